"""Verification shows a model's answer only when its phrase is verbatim in a passage it cites: a planted wrong
number, date, name or word is rejected, and so are bad citations and a name cut from a longer one."""

from __future__ import annotations

from qa.verify import locate, problems

EVIDENCE = [
    "Last week, the iconic 800-year-old al-Nuri mosque was destroyed in an explosion that Iraq and the US blamed on ISIS.",
    "“There is still tough fighting to go,” Col. Joseph Scrocca told CNN.",
    "Iraqi Security Forces launched the offensive on the historic district of the Old City in western Mosul on June 18.",
]


def test_a_correct_answer_passes() -> None:
    assert problems("the iconic 800-year-old al-Nuri mosque [1].", EVIDENCE) == []
    assert problems("Col. Joseph Scrocca [2]", EVIDENCE) == []
    assert problems("On June 18 [3].", EVIDENCE) == []


def test_planted_wrong_number_is_rejected() -> None:
    found = problems("the iconic 850-year-old al-Nuri mosque [1].", EVIDENCE)
    assert any("850" in p for p in found)


def test_number_from_uncited_evidence_is_rejected() -> None:
    assert problems("800 years [2].", EVIDENCE)


def test_planted_wrong_name_is_rejected() -> None:
    found = problems("Col. Ryan Dillon told CNN [2].", EVIDENCE)
    assert any("Dillon" in p for p in found)


def test_a_name_cut_from_the_head_of_a_longer_one_is_rejected() -> None:
    evidence = ["“The quay is ours,” harbour commander Staff Lieutenant General Ana Varela said in a statement."]
    assert any("cut from a longer name" in p for p in problems("General [1].", evidence))  # a rank, not her
    assert any("cut from a longer name" in p for p in problems("Staff Lieutenant [1].", evidence))
    assert problems("Varela [1].", evidence) == []  # her surname ends the name
    assert problems("General Ana Varela [1].", evidence) == []


def test_words_the_evidence_does_not_hold_are_rejected() -> None:
    found = problems("The Old City was a major strategic target for ISIS [3].", EVIDENCE)
    assert any("strateg" in p and "target" in p for p in found), found  # invented, though every name is in [3]
    assert problems("the offensive on the historic district of the Old City [3].", EVIDENCE) == []


def test_a_paraphrase_is_not_shown_however_faithful() -> None:
    assert any("not verbatim" in p for p in problems("The mosque was 800 years old [1].", EVIDENCE))


def test_planted_wrong_date_is_rejected() -> None:
    assert any("June 29" in p for p in problems("On June 29 [3].", EVIDENCE))


def test_a_relative_date_in_the_evidence_vouches_only_for_itself() -> None:
    evidence = ["Last week, the iconic 800-year-old al-Nuri mosque was destroyed in an explosion."]
    assert any("1943" in p for p in problems("1943 [1].", evidence))
    assert any("June 21" in p for p in problems("On June 21 [1].", evidence))
    assert problems("Last week [1].", evidence) == []


def test_citations_must_exist() -> None:
    assert any("does not exist" in p for p in problems("800 years [7].", EVIDENCE))
    assert any("cites no evidence" in p for p in problems("800 years.", EVIDENCE))


def test_model_refusal_is_not_an_answer() -> None:
    assert problems("NOT IN SOURCES", EVIDENCE)


def test_the_answer_phrase_is_located_verbatim_in_a_cited_passage() -> None:
    n, start, end = locate("iconic 800-year-old  al-Nuri mosque [1]", EVIDENCE) or (0, 0, 0)
    assert (n, EVIDENCE[0][start:end]) == (1, "iconic 800-year-old al-Nuri mosque")
    assert locate("On june 18 [3]", EVIDENCE) is not None  # case aside
    assert locate("800-year-old [2]", EVIDENCE) is None  # not in the passage it cites
    assert locate("a 900-year-old mosque [1]", EVIDENCE) is None
