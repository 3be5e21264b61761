"""Deciding from judged passages (`qa.decide`)."""

from __future__ import annotations

from dataclasses import replace

from qa.calibration import Calibration
from qa.candidates import Candidate
from qa.decide import decide
from qa.retrieve import Unit


def _fact(ordinal: int, text: str, relevance: float) -> Candidate:
    return Candidate(Unit(f"u{ordinal}", "port", ordinal, 0, len(text)), text, relevance, relevance, relevance, None, rank=ordinal)


def test_a_caption_fragment_does_not_answer_a_fact_question() -> None:
    cal = Calibration(min_relevance=0.3, min_coverage=0.0)
    caption = _fact(0, "Harbour guards.", 0.5)
    said = _fact(1, "The harbour guards offered the smugglers a choice: surrender or leave.", 0.45)
    a = decide("fact", [caption, said], cal)
    assert not a.abstain and a.support[0] is said
    alone = decide("fact", [caption], cal)
    assert alone.abstain and "caption" in alone.reason


def _place(ordinal: int, text: str, relevance: float, value: str | None = None, **kw: object) -> Candidate:
    v = None
    if value is not None:
        from qa.values import Value

        at = text.index(value)
        v = Value("name", value, at, at + len(value), value.lower())
    return Candidate(Unit(f"u{ordinal}", "port", ordinal, 0, len(text)), text, relevance, relevance, relevance, v, rank=ordinal, **kw)  # type: ignore[arg-type]


def test_where_the_lead_lacks_the_act_a_close_passage_that_says_it_and_where_answers() -> None:
    cal = Calibration(min_relevance=0.3, min_coverage=0.0, min_fit=0.1, conflict_margin=0.1, place_fallback=0.5)
    lost = _place(0, "The loss of the port was a blow to the gang, which had lost its base in Vell.", 0.66, "Vell", fit=0.3, missing=0.4, located=True)
    fled = _place(1, "The gang was forced to retreat to the hills, where it kept up its raids.", 0.63, missing=0.0, located=True)
    a = decide("place", [lost, fled], cal)
    assert not a.abstain and a.support[0] is fled
    # when the lead says the act too, it answers
    said = replace(lost, missing=0.0)
    assert decide("place", [said, fled], cal).support[0] is said


def test_which_place_is_measured_against_the_best_passage_that_could_name_it() -> None:
    cal = Calibration(min_relevance=0.3, min_coverage=0.0, min_fit=0.1, conflict_margin=0.1, place_fallback=0.5)
    first = _place(0, "Guards took their first street in the old town on Monday.", 0.75, unnamed=True)
    named = _place(1, "Guards have freed Vell Lane street in the old town, the commander said.", 0.59, "Vell Lane", fit=0.4)
    a = decide("place", [first, named], cal)
    assert not a.abstain and a.support[0] is named
    # a passage that could answer, far more relevant than the one naming a place, answers before it
    could = replace(first, unnamed=False)
    assert decide("place", [could, named], cal).support[0] is could


def test_of_names_about_as_relevant_the_one_said_to_do_the_act_answers_who() -> None:
    cal = Calibration(min_relevance=0.3, min_coverage=0.0, min_fit=0.1, conflict_margin=0.1)
    other = _place(0, "Months after Vell Guards began their assault, the troops neared the quay.", 0.69, "Vell Guards", fit=0.7, acts_asked=False)
    held = _place(1, "The quay had been under Dorn Army control for three years.", 0.62, "Dorn Army", fit=0.7)
    a = decide("person", [other, held], cal)
    assert not a.abstain and a.support[0] is held
    # far less relevant, the one said to do it does not answer before
    assert decide("person", [other, replace(held, relevance=0.5)], cal).support[0] is other
