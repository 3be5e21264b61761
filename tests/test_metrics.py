"""The eval metrics on hand-made answers: what counts as a right answer and a good citation."""

from __future__ import annotations

import pytest

from evals.dataset import Item, Span
from evals.metrics import Scored, citation_precision, citation_recall, conflict_shown, correct, matches, summarise
from qa.types import Answer, Conflict, ConflictSide, Quote

DOC = "Some 980 militants have been killed. About 100,000 civilians remain. Officers watch the video feed.Soldiers wait."


def _item(kind: str = "number", answer=(("100,000", "100000"),), doc_ids=("d1",), spans=((37, 68),)) -> Item:
    evidence = tuple(Span("d1", s, e, DOC[s:e]) for s, e in spans)
    return Item("x1", "dev", kind, "How many civilians remain?", answer, doc_ids, evidence)


def _quote(start: int, end: int, doc_id: str = "d1") -> Quote:
    return Quote(doc_id, "t", start, end, DOC[start:end])


@pytest.mark.parametrize(
    ("text", "groups", "expected"),
    [
        ("About 100,000 civilians remain [1].", [["100000"]], True),  # thousands separator
        ("About one hundred civilians", [["100"]], False),  # only small number words become digits
        ("It took four of nine plants", [["4"]], True),  # number words
        ("“Their fictitious state has fallen”", [["fictitious state"]], True),  # curly quotes
        ("on the transmitted video feed.Soldiers, who dash", [["video feed"]], True),  # a full stop ends a word
        ("3.5 million liters", [["3.5 million"]], True),  # a decimal point is kept
        ("35 million liters", [["3.5 million"]], False),
        ("snipers remained", [["snipers"], ["suicide bombers"]], False),  # every group must match
        ("the 800-year-old mosque", [["800 year old"]], True),  # hyphens as spaces
        ("June 210 strikes", [["June 21"]], False),  # whole words only
    ],
)
def test_matches(text: str, groups: list[list[str]], expected: bool) -> None:
    assert matches(text, groups) is expected


def test_correct_needs_the_value_and_no_abstention() -> None:
    item = _item()
    assert correct(Scored(item, Answer("q", "About 100,000 civilians [1].", (_quote(37, 68),)), 0.1))
    assert not correct(Scored(item, Answer("q", "Some 980 militants [1].", (_quote(0, 36),)), 0.1))
    assert not correct(Scored(item, Answer("q", "Not in the sources: 100,000", abstained=True), 0.1))
    unanswerable = _item(kind="unanswerable", answer=(), doc_ids=(), spans=())
    assert correct(Scored(unanswerable, Answer("q", "Not in the sources.", abstained=True), 0.1))
    assert not correct(Scored(unanswerable, Answer("q", "Some 980 militants [1].", (_quote(0, 36),)), 0.1))


def test_citation_precision_and_recall() -> None:
    item = _item()
    on_gold, off_gold = _quote(37, 68), _quote(0, 36)
    both = Scored(item, Answer("q", "100,000 [1][2].", (on_gold, off_gold)), 0.1)
    assert citation_precision(both) == 0.5
    assert citation_recall(both) == 1.0
    wrong = Scored(item, Answer("q", "980 [1].", (off_gold,)), 0.1)
    assert citation_precision(wrong) == 0.0
    assert citation_recall(wrong) == 0.0
    # a quote from a gold document that holds an accepted answer is precise though off the span
    elsewhere = Scored(_item(spans=((0, 5),)), Answer("q", "100,000 [1].", (on_gold,)), 0.1)
    assert citation_precision(elsewhere) == 1.0
    # ... but not from another document
    other_doc = Scored(_item(spans=((0, 5),)), Answer("q", "100,000 [1].", (Quote("d2", "t", 37, 68, DOC[37:68]),)), 0.1)
    assert citation_precision(other_doc) == 0.0


def test_conflict_shown_needs_both_values_and_both_documents() -> None:
    item = Item("c1", "dev", "conflict", "How many?", (("980",), ("100,000",)), ("d1", "d2"), (Span("d1", 0, 36, DOC[:36]),))
    one_doc = Answer("q", "The sources disagree: 980 [1] versus 100,000 [2].", (_quote(0, 36), _quote(37, 68)))
    assert not conflict_shown(Scored(item, one_doc, 0.1))
    two_docs = Answer("q", "The sources disagree: 980 [1] versus 100,000 [2].", (_quote(0, 36), _quote(37, 68, "d2")))
    assert conflict_shown(Scored(item, two_docs, 0.1))
    one_value = Answer("q", "980 [1][2].", (_quote(0, 36), _quote(37, 68, "d2")))
    assert not conflict_shown(Scored(item, one_value, 0.1))


def test_summarise_counts_abstentions_and_bad_offsets() -> None:
    answerable, unanswerable = _item(), _item(kind="unanswerable", answer=(), doc_ids=(), spans=())
    shifted = Quote("d1", "t", 38, 69, DOC[37:68])  # right text, wrong offsets
    results = [
        Scored(answerable, Answer("q", "Not in the sources.", abstained=True), 0.1),
        Scored(answerable, Answer("q", "100,000 [1].", (shifted,)), 0.3),
        Scored(unanswerable, Answer("q", "Not in the sources.", abstained=True), 0.2),
        Scored(unanswerable, Answer("q", "980 [1].", (_quote(0, 36),), reliability=0.4), 0.2),
    ]
    overall = summarise(results, {"d1": DOC})["overall"]
    assert overall["answered_right"] == 0.5  # of the two answers given, the first is right
    assert overall["reliability_stated"] == 0.4  # only the second stated one
    assert overall["false_conflict"] == 0.0
    two = Answer("q", "100,000 [1] versus 980 [2].", conflicts=(Conflict("number", (ConflictSide("100,000", (1,), ("d1",)), ConflictSide("980", (2,), ("d1",)))),))
    assert summarise([*results, Scored(answerable, two, 0.1)], {"d1": DOC})["overall"]["false_conflict"] == 0.5
    assert overall["accuracy"] == 0.5
    assert overall["false_abstention"] == 0.5
    assert overall["abstention_recall"] == 0.5
    assert overall["abstention_precision"] == 0.5
    assert overall["quote_verbatim"] == 1.0
    assert overall["quote_offsets"] == 0.5
