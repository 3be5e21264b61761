"""What a question is about, and whether a passage names it (`qa.names`)."""

from __future__ import annotations

from qa.names import names_subject


def test_a_passage_names_the_subject_by_most_of_its_words_or_initials() -> None:
    assert names_subject("Grand al-Nuri Mosque", "the iconic 800-year-old al-Nuri mosque")
    assert names_subject("Syrian Democratic Forces", "the SDF has been advancing")
    assert names_subject("UN", "said the United Nations coordinator")
    assert not names_subject("Raqqa", "Iraq captured east Mosul in late January.")
    assert names_subject("", "anything")
