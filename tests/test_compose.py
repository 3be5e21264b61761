"""Extractive answer text: windows cut from a sentence (`qa.compose`)."""

from __future__ import annotations

from qa.candidates import Candidate
from qa.compose import sentence_window, value_phrase
from qa.retrieve import Unit
from qa.values import values_of


def _valued(text: str, kind: str = "number") -> Candidate:
    value = values_of(text, kind)[0]
    return Candidate(Unit("u0", "port", 0, 0, len(text)), text, 0.5, 0.5, 0.5, value, 0.5)


def test_a_window_cut_from_mid_sentence_keeps_its_case() -> None:
    text = "In the old town, just a few fishermen can hold the quay for some time, the harbour master said on Monday."
    cut = sentence_window(text, "Who can hold the quay?", max_words=10)
    assert cut.startswith("… ") and cut[2].islower(), cut  # "… just a few ...", not "… Just a few ..."
    end = sentence_window(text, "What did the harbour master say on Monday?", max_words=10)
    assert end.startswith("… ") and end.endswith("on Monday"), end  # its full stop is the answer's, after the markers
    assert sentence_window("the quay is open.", "Is the quay open?") == "The quay is open"  # a whole sentence starts with a capital


def test_an_answer_keeps_both_marks_of_a_quotation_it_cuts_at_the_edge() -> None:
    said = "“There is still tough fighting to go,” Col. Joseph Scrocca told CNN."
    assert sentence_window(said, "What is still to go?") == "“There is still tough fighting to go,” Col. Joseph Scrocca told CNN"
    assert sentence_window('Only "a small part" remains, he said.', "What remains?") == 'Only "a small part" remains, he said'
    assert sentence_window('"A small part remains in the city", he told Reuters.', "What remains?").startswith('"A small part')
    assert sentence_window("the “caliphate", "Which caliphate?") == "The “caliphate”"
    said = "for some time,” Scrocca said. “The forces must be quick"
    assert sentence_window(said, "Who said it?") == "“For some time,” Scrocca said. “The forces must be quick”"
    long = "He said “the strikes destroyed 359 VBIEDs and 781 buildings and 225 tunnels and 279 boats since October” on Monday."
    cut = sentence_window(long, "Who said the strikes destroyed VBIEDs?", max_words=14)
    assert cut.endswith(" …”"), cut  # the mark closes a quotation that runs on past the cut


def test_a_conflict_side_reads_on_past_a_word_that_leads_to_another() -> None:
    moved = _valued("An estimated 12,000 sailors have been moved from the harbour since the storm began.")
    assert value_phrase(moved) == "an estimated 12,000 sailors have been moved"  # not "... sailors have been"
    walls = _valued("The 640-year-old harbour wall of the old port was rebuilt last spring.")
    assert value_phrase(walls) == "640-year-old harbour wall"  # stops before "of the old port"
    months = _valued("Four months into an endless strike, the dockers voted again.")
    assert value_phrase(months) == "four months"  # mid-sentence in the answer: the sentence's capital goes
    assert value_phrase(_valued("Couple of hundred dockers remain.")) == "couple of hundred dockers remain"
    assert value_phrase(_valued("June 18, the harbour closed.", "date")) == "June 18"  # a name keeps its capital
