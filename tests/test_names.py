"""What a question is about, and whether a passage names it (`qa.names`)."""

from __future__ import annotations

from index.keyword import terms
from qa.names import asked_about, body_phrases, names_subject


def test_a_passage_names_the_subject_by_most_of_its_words_or_initials() -> None:
    assert names_subject("Grand al-Nuri Mosque", "the iconic 800-year-old al-Nuri mosque")
    assert names_subject("Syrian Democratic Forces", "the SDF has been advancing")
    assert names_subject("UN", "said the United Nations coordinator")
    assert not names_subject("Raqqa", "Iraq captured east Mosul in late January.")
    assert names_subject("", "anything")
    # what a possessive names is its owner's thing: Mosul's Old City is not the city of Mosul
    assert names_subject("Mosul's Old City", "the historic district of the Old City in western Mosul")
    assert not names_subject("Mosul’s Old City", "the final assault on the city of Mosul")


def test_a_body_named_in_lower_case_with_its_qualifier_is_read_and_one_asked_about_is_known() -> None:
    text = "While Vellan forces hold the quay, an army of Dorn militias and the US-led coalition wait. The police left."
    assert [v.text for v in body_phrases(text)] == ["Vellan forces", "Dorn militias", "US-led coalition"]
    assert all(text[v.start : v.end] == v.text for v in body_phrases(text))
    assert body_phrases("The forces came. The Vellan Army came.") == []  # no qualifier, or a name `names` reads
    forces = body_phrases("Vellan forces hold the quay.")[0]
    assert asked_about(forces, set(terms("Who fought beside Vellan troops?")))  # troops and forces: one kind of body
    assert not asked_about(forces, set(terms("Who fought beside Dorn troops?")))
