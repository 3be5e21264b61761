"""Quoting: the answer text written by code from the decision, with [n] markers into its quotes, and
the quotes themselves, whole sentences sliced from the stored text by offsets."""

from __future__ import annotations

from index.corpus import Corpus, Unit
from index.pdf import page_of
from qa.decide import Decision, Reading
from qa.types import Quote

NOT_IN_SOURCES = "Not in the sources: the indexed articles do not answer this question."
NO_DOCUMENTS = "No documents indexed: add some with `qa index PATH`."


def cite(numbers: list[int]) -> str:
    """Returns the markers for 1-based quote numbers, e.g. "[1][2]"."""
    return "".join(f"[{n}]" for n in numbers)


def phrase(text: str) -> str:
    """Returns a span as it reads in an answer: single-spaced, without edge punctuation."""
    return " ".join(text.split()).strip(" ,;:.—–-()\"'“”‘’") or text.strip()


def side_marks(d: Decision) -> list[tuple[int, ...]]:
    """Returns each side's markers: the sides' readings are quoted in order, so side i holds a run of numbers."""
    out, n = [], 0
    for side in d.sides:
        out.append(tuple(range(n + 1, n + len(side) + 1)))
        n += len(side)
    return out


def answer_text(d: Decision) -> tuple[str, list[Reading]]:
    """Returns the answer text and the readings it cites, in marker order."""
    cited = [r for side in d.sides for r in side]
    parts = []
    for side, marks in zip(d.sides, side_marks(d), strict=True):
        docs = len({r.doc_id for r in side})
        parts.append(f"{phrase(side[0].text)} {cite(list(marks))}" + (f" ({docs} sources)" if docs > 1 else ""))
    if len(parts) > 1:
        return "The sources disagree: " + " versus ".join(parts) + ".", cited
    body = parts[0]
    return body[:1].upper() + body[1:] + ".", cited


def sentences_holding(corpus: Corpus, doc_id: str, start: int, end: int) -> list[Unit]:
    """Returns the sentences of a document that the span start..end touches, in order."""
    units = corpus.doc_units(doc_id)
    return [u for u in units if u.start < end and start < u.end] or [min(units, key=lambda u: abs(u.start - start))]


def quote(corpus: Corpus, doc_id: str, start: int, end: int, answer: bool = False) -> Quote:
    """Returns the quote of the sentences holding start..end (with the span marked when `answer`)."""
    doc = corpus.docs[doc_id]
    units = sentences_holding(corpus, doc_id, start, end)
    s, e = min(start, units[0].start), max(end, units[-1].end)
    page, date, text = page_of(doc.pages, s), doc.date or None, corpus.doc_text(doc_id)[s:e]
    if answer:
        return Quote(doc_id, doc.title, s, e, text, start, end, page, date)
    return Quote(doc_id, doc.title, s, e, text, page=page, date=date)
