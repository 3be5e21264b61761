"""Deciding from judged passages (`qa.decide`)."""

from __future__ import annotations

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
