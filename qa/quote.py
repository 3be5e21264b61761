"""Quoting: the answer text written by code from the decision, with [n] markers into its quotes, and
the quotes themselves, whole sentences sliced from the stored text by offsets."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate

from index.corpus import Corpus
from index.pdf import page_of
from qa.decide import Decision, Reading
from qa.types import Answer, Conflict, ConflictSide, Quote

NOT_IN_SOURCES = "Not in the sources: the indexed articles do not answer this question."
NO_DOCUMENTS = "No documents indexed: add some with `qa index PATH`."
UNDATED = "9999"  # sorts after every ISO date


def cite(numbers: list[int]) -> str:
    """Returns the markers for 1-based quote numbers, e.g. "[1][2]"."""
    return "".join(f"[{n}]" for n in numbers)


EDGE = " ,;:.—–-\"'“”‘’"  # punctuation a span's edges lose in an answer; brackets only when unpaired


def phrase(text: str) -> str:
    """Returns a span as it reads in an answer: single-spaced, without edge punctuation, and without a
    bracket at an edge unless the span closes it ("400 m (1,300 ft)" keeps its brackets)."""
    t = " ".join(text.split())
    while True:
        s = t.strip(EDGE)
        if s[:1] == "(" and s[-1:] == ")" and _paired(s[1:-1]):
            s = s[1:-1]  # the whole span in brackets
        if s[:1] == "(" and not _paired(s):
            s = s[1:]
        if s[-1:] == ")" and not _paired(s):
            s = s[:-1]
        if s == t:
            return t or text.strip()
        t = s


def _paired(text: str) -> bool:
    """Returns True when every bracket in `text` closes one opened before it."""
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def marks(sides: Sequence[Sequence[Reading]]) -> list[tuple[int, ...]]:
    """Returns each side's markers: the readings are quoted side after side, so each side holds the next run of numbers."""
    ends = accumulate(len(side) for side in sides)
    return [tuple(range(end - len(side) + 1, end + 1)) for side, end in zip(sides, ends, strict=True)]


def answer_text(sides: Sequence[Sequence[Reading]]) -> str:
    """Returns the answer stating each side's value with its markers, e.g. "850-year [1]." or
    "The sources disagree: 850-year [1] versus 800-year [2][3] (2 sources)."."""
    parts = []
    for side, numbers in zip(sides, marks(sides), strict=True):
        docs = len({r.doc_id for r in side})
        parts.append(f"{phrase(side[0].text)} {cite(list(numbers))}" + (f" ({docs} sources)" if docs > 1 else ""))
    if len(parts) > 1:
        return "The sources disagree: " + " versus ".join(parts) + "."
    return parts[0][:1].upper() + parts[0][1:] + "."


def extractive(corpus: Corpus, question: str, d: Decision, notes: Sequence[str]) -> Answer:
    """Returns the reader's answer for a decision that answers: its text, a quote for every reading cited
    and, when there are several sides, the conflict, its sides from the oldest source to the newest
    (undated last)."""

    def earliest(side: Sequence[Reading]) -> str | None:
        return min((corpus.docs[r.doc_id].date for r in side if corpus.docs[r.doc_id].date), default=None)

    sides = sorted(d.sides, key=lambda side: earliest(side) or UNDATED)
    quotes = tuple(quote(corpus, r.doc_id, r.start, r.end, answer=True) for side in sides for r in side)
    conflicts: tuple[Conflict, ...] = ()
    if len(sides) > 1:
        conflicts = (Conflict(d.kind, tuple(
            ConflictSide(phrase(side[0].text), numbers, tuple(r.doc_id for r in side), earliest(side))
            for side, numbers in zip(sides, marks(sides), strict=True)
        )),)
    return Answer(question, answer_text(sides), quotes, conflicts=conflicts, notes=tuple(notes))


def quote(corpus: Corpus, doc_id: str, start: int, end: int, answer: bool = False) -> Quote:
    """Returns the quote of the sentences holding start..end (with the span marked when `answer`)."""
    doc = corpus.docs[doc_id]
    units = corpus.touching(doc_id, start, end)
    s, e = min(start, units[0].start), max(end, units[-1].end)
    page, date, text = page_of(doc.pages, s), doc.date or None, corpus.doc_text(doc_id)[s:e]
    a, b = (start, end) if answer else (None, None)
    return Quote(doc_id, doc.title, s, e, text, a, b, page, date, doc.author or None)
