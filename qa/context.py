"""The passages the reader reads: each retrieved sentence with its neighbours, by document offsets.

A window is a run of whole sentences of one document; windows that overlap are merged (up to
`MAX_CHARS`), so no text is read twice and a span's document offsets are `window.start + offset`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.retrieve import Corpus, Hit, Unit

BEFORE, AFTER = 1, 1  # sentences read on each side of a retrieved one
MAX_CHARS = 1500  # a merged window stops growing here (about 300 tokens)


@dataclass(frozen=True)
class Window:
    """Sentences `first`..`last` (ordinals) of a document; `rank` is its best hit's retrieval rank."""

    doc_id: str
    first: int
    last: int
    start: int
    end: int
    rank: int


def windows(corpus: Corpus, hits: Sequence[Hit], limit: int) -> list[Window]:
    """Returns at most `limit` windows around the hits, in the order of their best hit."""
    out: list[Window] = []
    for rank, h in enumerate(hits):
        around = corpus.neighbours(h.unit, BEFORE, AFTER)
        first, last = around[0], around[-1]
        merged = False
        for i, w in enumerate(out):
            if w.doc_id != h.unit.doc_id or first.ordinal > w.last + 1 or last.ordinal < w.first - 1:
                continue
            a = min(first.ordinal, w.first)
            b = max(last.ordinal, w.last)
            start, end = _span(corpus, h.unit.doc_id, a, b)
            if end - start <= MAX_CHARS:
                out[i] = Window(w.doc_id, a, b, start, end, w.rank)
                merged = True
                break
        if not merged:
            if len(out) >= limit:
                continue
            out.append(Window(h.unit.doc_id, first.ordinal, last.ordinal, first.start, last.end, rank))
    return out


def _span(corpus: Corpus, doc_id: str, first: int, last: int) -> tuple[int, int]:
    return corpus.by_pos[(doc_id, first)].start, corpus.by_pos[(doc_id, last)].end


def text_of(corpus: Corpus, w: Window) -> str:
    """Returns the window's exact text."""
    return corpus.docs[w.doc_id].text[w.start : w.end]


def sentences_holding(corpus: Corpus, doc_id: str, start: int, end: int) -> list[Unit]:
    """Returns the sentences of a document that the span start..end touches, in order."""
    return [u for u in corpus.doc_units.get(doc_id, []) if u.start < end and start < u.end] or [
        min(corpus.doc_units[doc_id], key=lambda u: abs(u.start - start))
    ]
