"""Splitting a document two ways, with character offsets into its exact text.

- Evidence units: sentences (lines never join), the grain quotes are made of.
- Retrieval chunks: llama-index's `SentenceSplitter` (token counts through tiktoken),
  the wider context a sentence's relevance is also judged by.

Every span satisfies `span.text == document.text[span.start:span.end]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.documents import Document

# Words that end with a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "gen", "brig", "col", "lt", "maj", "capt", "sgt", "cpl", "pvt", "adm", "cmdr", "gov", "sen", "rep", "rev", "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "est", "fig", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m"]
)

CHUNK_TOKENS, CHUNK_OVERLAP = 200, 40  # retrieval chunks: SentenceSplitter's size and overlap, in tokens
# Names the way documents are split; an index made another way is re-split on the next run.
SPLITTING = f"sentences-2/chunks-{CHUNK_TOKENS}-{CHUNK_OVERLAP}-own-sentences"

_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Span:
    """A piece of a document: `doc_id`, `ordinal` in its kind, offsets and the exact text."""

    doc_id: str
    kind: str  # "unit" (sentence) or "chunk"
    ordinal: int
    start: int
    end: int
    text: str

    @property
    def id(self) -> str:
        """Returns the span's deterministic id."""
        return f"{self.doc_id}:{self.kind}:{self.ordinal}"


_LONGEST = 32  # letters and dots before a full stop: a run this long is no abbreviation


def _is_abbreviation(line: str, dot: int) -> bool:
    """Returns True when the full stop at `dot` ends a known abbreviation or an initial."""
    m = re.search(r"([A-Za-z.]+)$", line[max(0, dot - _LONGEST) : dot])  # a bounded look back: long lines stay linear
    if not m or len(m.group(1)) >= _LONGEST:
        return False
    word = m.group(1).lower().strip(".")
    if word in ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isalpha()  # an initial: "George W. Bush"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Returns (start, end) of every sentence in `text`; a line break always ends one."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start = pos
        pos += len(line)
        cut = 0
        for m in _BOUNDARY.finditer(line):
            dot = m.start()
            if line[dot] == "." and _is_abbreviation(line, dot):
                continue
            s, e = _trimmed(text, line_start + cut, line_start + m.end())
            if e > s:
                spans.append((s, e))
            cut = m.end()
        s, e = _trimmed(text, line_start + cut, line_start + len(line))
        if e > s:
            spans.append((s, e))
    return spans


def sentence_units(doc: Document) -> list[Span]:
    """Returns the document's sentences as evidence units, in order."""
    return [
        Span(doc.doc_id, "unit", i, s, e, doc.text[s:e])
        for i, (s, e) in enumerate(sentence_spans(doc.text))
    ]


def sentence_pieces(text: str) -> list[str]:
    """Returns `text` cut at the starts of its sentences; the pieces join back to `text`.

    The splitter's sentence step: the same sentences as the evidence units, and no NLTK import
    (its default punkt tokenizer costs about 1.5 s of every indexing process)."""
    cuts = [s for s, _ in sentence_spans(text)][1:]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True) if b > a]


@lru_cache(maxsize=4)
def _splitter(chunk_size: int, chunk_overlap: int):  # type: ignore[no-untyped-def]
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.utils import get_tokenizer

    return SentenceSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        tokenizer=get_tokenizer(),
        chunking_tokenizer_fn=sentence_pieces,
    )


def retrieval_chunks(doc: Document, chunk_size: int = CHUNK_TOKENS, chunk_overlap: int = CHUNK_OVERLAP) -> list[Span]:
    """Returns the document's retrieval chunks from llama-index's SentenceSplitter, located by offset.

    The splitter may drop or squeeze whitespace between pieces; each chunk is located by
    its first and last characters and the span kept is the exact text between them.
    """
    pieces = _splitter(chunk_size, chunk_overlap).split_text(doc.text)
    spans: list[Span] = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        head = piece[: min(len(piece), 40)]
        start = doc.text.find(head, max(0, cursor - len(piece)))
        if start < 0:
            start = doc.text.find(head)
        if start < 0:
            continue
        tail = piece[-min(len(piece), 40):]
        end = doc.text.find(tail, start + len(piece) - len(tail) - 50 if len(piece) > 90 else start)
        end = end + len(tail) if end >= 0 else min(len(doc.text), start + len(piece))
        s, e = _trimmed(doc.text, start, end)
        spans.append(Span(doc.doc_id, "chunk", len(spans), s, e, doc.text[s:e]))
        cursor = e
    return spans
