"""Hybrid retrieval at sentence level: dense (Chroma) + BM25, fused by reciprocal rank.

The corpus view is read from the store once: committed documents and their units. A
unit's text is always sliced from its document's text by offsets.

Which article a question points at: "..., according to the report on the bridge closure?".

A reader who names the article asks what that article says, so the answer comes from that article
alone (and two articles that disagree are no conflict: one was asked). The article is found by its
title and text, and the pointer is honoured only when one article (or a few equally well) fits the
description clearly better than the rest; otherwise the question is answered from every article.
The question itself is judged as asked: what describes the article ("the bridge closure") is often
what is asked about too.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.catalogue import load_or_build
from index.embed import Embedder
from index.keyword import terms
from index.store import StoredDoc, VectorStore

RRF_K = 20


@dataclass(frozen=True)
class Unit:
    """An evidence unit: a sentence of a document, by offsets."""

    id: str
    doc_id: str
    ordinal: int
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """A retrieved unit with its scores."""

    unit: Unit
    fused: float
    dense: float  # cosine similarity of the sentence to the question
    chunk: float  # cosine similarity of its best containing chunk
    bm25: float


class StaleCorpus(KeyError):
    """A document is no longer in the store as the corpus read it: read the index again."""


class Corpus:
    """The committed documents and units, with a keyword index over the units (the catalogue saved
    in `catalogue_dir`, or built when it is None).

    Units and chunks stay the catalogue's (memory-mapped) rows, sorted by document then ordinal; a
    `Unit` is made when asked for, and a document's text is read from the store when a question
    needs it (the last `TEXTS_KEPT` stay in memory): a corpus of 10,000 articles and 150,000
    sentences loads without reading them."""

    TEXTS_KEPT = 512

    def __init__(self, store: VectorStore, catalogue_dir: Path | None = None) -> None:
        self.store = store
        self.docs: dict[str, StoredDoc] = store.docs(texts=False)  # texts are read when a question needs them
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._texts_lock = threading.Lock()
        self._sizes: dict[str, int] | None = None
        cat = load_or_build(store, self.docs, catalogue_dir)
        self._doc_ids = cat.doc_ids
        self._position = {d: p for p, d in enumerate(cat.doc_ids)}
        self._units, self._chunks = cat.units, cat.chunks
        # each document's rows: units[first[p]:first[p + 1]] (rows sort by document position)
        everyone = np.arange(len(cat.doc_ids) + 1)
        self._first = np.searchsorted(cat.units[:, 0], everyone)
        self._first_chunk = np.searchsorted(cat.chunks[:, 0], everyone)
        self.keyword = cat.keyword

    @property
    def size(self) -> int:
        """Returns how many units the corpus holds."""
        return len(self._units)

    def unit(self, row: int) -> Unit:
        """Returns the unit of a catalogue row (the keyword index's positions are rows)."""
        p, o, s, e = (int(x) for x in self._units[row])
        doc_id = self._doc_ids[p]
        return Unit(f"{doc_id}:unit:{o}", doc_id, o, s, e)

    def _row(self, doc_id: str, ordinal: int) -> int | None:
        p = self._position.get(doc_id)
        if p is None:
            return None
        a, b = int(self._first[p]), int(self._first[p + 1])
        row = a + int(np.searchsorted(self._units[a:b, 1], ordinal))
        return row if row < b and int(self._units[row, 1]) == ordinal else None

    def at(self, doc_id: str, ordinal: int) -> Unit | None:
        """Returns unit `ordinal` of a document, or None."""
        row = self._row(doc_id, ordinal)
        return None if row is None else self.unit(row)

    def by_id(self, unit_id: str) -> Unit | None:
        """Returns the unit stored under a vector-store id ("<doc id>:unit:<ordinal>"), or None (an
        orphan or a document this corpus does not hold)."""
        doc_id, sep, ordinal = unit_id.rpartition(":unit:")
        return self.at(doc_id, int(ordinal)) if sep and ordinal.isdigit() else None

    def doc_units(self, doc_id: str) -> list[Unit]:
        """Returns a document's units in order ([] for an unknown document)."""
        p = self._position.get(doc_id)
        return [] if p is None else [self.unit(r) for r in range(int(self._first[p]), int(self._first[p + 1]))]

    def doc_of(self, row: int) -> str:
        """Returns the document id of a unit row."""
        return self._doc_ids[int(self._units[row, 0])]

    def chunk(self, chunk_id: str) -> tuple[str, int, int] | None:
        """Returns (document id, start, end) of the chunk stored under a vector-store id, or None."""
        doc_id, sep, ordinal = chunk_id.rpartition(":chunk:")
        p = self._position.get(doc_id)
        if not sep or not ordinal.isdigit() or p is None:
            return None
        a, b = int(self._first_chunk[p]), int(self._first_chunk[p + 1])
        row = a + int(np.searchsorted(self._chunks[a:b, 1], int(ordinal)))
        if row >= b or int(self._chunks[row, 1]) != int(ordinal):
            return None
        return doc_id, int(self._chunks[row, 2]), int(self._chunks[row, 3])

    def chunk_rows(self) -> list[tuple[str, int, int, int]]:
        """Returns every chunk as (document id, ordinal, start, end), in order."""
        return [(self._doc_ids[p], o, s, e) for p, o, s, e in self._chunks.tolist()]

    def read_texts(self, doc_ids: Collection[str]) -> None:
        """Reads the texts of these documents that are not in memory, in one call to the store."""
        with self._texts_lock:
            missing = [d for d in dict.fromkeys(doc_ids) if d not in self._texts]
        got = self.store.texts(missing) if missing else {}
        for d, text in list(got.items()):  # a text is used only as it was when the units were read
            if d not in self.docs or hashlib.sha256(text.encode("utf-8")).hexdigest() != self.docs[d].sha:
                del got[d]
        with self._texts_lock:
            for d in doc_ids:
                if d in got:
                    self._texts[d] = got[d]
                if d in self._texts:
                    self._texts.move_to_end(d)
            while len(self._texts) > self.TEXTS_KEPT:
                self._texts.popitem(last=False)

    def doc_text(self, doc_id: str) -> str:
        """Returns a document's text as it was when the corpus was read (StaleCorpus, a KeyError, when
        the document was removed or changed since, or was never there)."""
        with self._texts_lock:
            text = self._texts.get(doc_id)
        if text is None:
            self.read_texts([doc_id])
            with self._texts_lock:
                text = self._texts.get(doc_id)
        if text is None:
            raise StaleCorpus(f"document {doc_id!r} is not in the index as it was read (removed or changed since)")
        return text

    def sizes(self) -> dict[str, int]:
        """Returns each document's size in UTF-8 bytes (read once per corpus)."""
        if self._sizes is None:
            ids = sorted(self.docs)
            self._sizes = {d: len(t.encode("utf-8")) for d, t in self.store.texts(ids).items()}
        return self._sizes

    def text(self, unit: Unit) -> str:
        """Returns the unit's exact text, sliced from its document."""
        return self.doc_text(unit.doc_id)[unit.start : unit.end]

    def neighbours(self, unit: Unit, before: int = 1, after: int = 1) -> list[Unit]:
        """Returns the units around `unit` in its document, in order, itself included."""
        out = []
        for o in range(unit.ordinal - before, unit.ordinal + after + 1):
            u = self.at(unit.doc_id, o)
            if u is not None:
                out.append(u)
        return out


def retrieve(
    corpus: Corpus, embedder: Embedder, question: str, k: int = 12, pool: int = 30, within: Collection[str] = ()
) -> list[Hit]:
    """Returns the `k` best units for `question`, best first, fusing dense and BM25 ranks; only units of
    the documents `within` when it names any (every unit of those documents is ranked)."""
    if not corpus.size:
        return []
    vec = embedder.embed([question])[0]
    if within:
        ids = [u.id for d in within for u in corpus.doc_units(d)]
        dense = sorted(((i, float(v @ vec)) for i, v in corpus.store.vectors("unit", ids).items()), key=lambda x: -x[1])
        keyword = [(corpus.unit(p).id, s) for p, s in corpus.keyword.search(question, corpus.keyword.size) if corpus.doc_of(p) in within]
        chunk_hits = [(c, s) for i, s in corpus.store.query("chunk", vec, 10 * pool) if (c := corpus.chunk(i)) and c[0] in within]
    else:
        dense = [(i, s) for i, s in corpus.store.query("unit", vec, pool) if corpus.by_id(i) is not None]
        keyword = [(corpus.unit(p).id, s) for p, s in corpus.keyword.search(question, pool)]
        chunk_hits = [(c, s) for i, s in corpus.store.query("chunk", vec, 10) if (c := corpus.chunk(i))]

    dense_score = dict(dense)
    bm25_score = dict(keyword)
    union = list(dict.fromkeys([uid for uid, _ in dense] + [uid for uid, _ in keyword]))
    missing = [uid for uid in union if uid not in dense_score]
    if missing:  # exact cosine for keyword-only hits, so every candidate has both scores
        for uid, v in corpus.store.vectors("unit", missing).items():
            dense_score[uid] = float(v @ vec)

    chunk_of: dict[str, float] = {}
    for (doc_id, start, end), sim in chunk_hits:
        for u in corpus.doc_units(doc_id):
            if u.start >= start and u.end <= end:
                chunk_of[u.id] = max(chunk_of.get(u.id, 0.0), sim)

    # Reciprocal rank fusion over complete rankings of the union of both pools.
    fused = dict.fromkeys(union, 0.0)
    for ranking, weight in (
        (sorted(union, key=lambda u: -dense_score.get(u, 0.0)), 1.0),
        (sorted(union, key=lambda u: -bm25_score.get(u, 0.0)), 1.0),
        (sorted(union, key=lambda u: -chunk_of.get(u, 0.0)), 0.5),
    ):
        for rank, uid in enumerate(ranking):
            fused[uid] += weight / (RRF_K + rank)
    ranked = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
    return [
        Hit(unit, f, dense_score.get(uid, 0.0), chunk_of.get(uid, 0.0), bm25_score.get(uid, 0.0))
        for uid, f in ranked
        if (unit := corpus.by_id(uid)) is not None
    ]


# ", according to the report on the bridge closure", "in the Reuters piece", "per the article about the delays"
_POINTER = re.compile(
    r"\b(?:according to|in|per|from)\s+(?:the|an?|this|that)\s+(?P<pre>(?:(?!(?:in|on|of|the|by|to)\b)[\w&’'.-]+\s+){0,4}?)"
    r"(?:report|article|story|piece|account|coverage|dispatch)s?\b"
    r"(?:\s+(?:on|about|of|covering|describing)\s+(?:the\s+)?(?P<post>[^,?;]+))?",
    re.IGNORECASE,
)
TITLE_WEIGHT, TEXT_WEIGHT = 1.0, 0.5  # a description word in the title counts fully, elsewhere in the article half
MIN_FIT = 0.5  # the share of the description (idf-weighted) the article must hold
MIN_LEAD = 0.25  # and its lead over the next article that is not as good


def pointer(question: str) -> str | None:
    """Returns the words that describe the article the question points at ("Fatah offensive", "CNN"),
    or None when it points at none."""
    m = _POINTER.search(question)
    if m is None:
        return None
    described = " ".join(f"{m.group('pre')} {m.group('post') or ''}".split())
    return described if terms(described) else None


@lru_cache(maxsize=4096)
def _title_terms(title: str) -> frozenset[str]:
    return frozenset(terms(title))


def fit(corpus: Corpus, described: str) -> dict[str, float]:
    """Returns, for each document that holds a term of the description, the idf-weighted share of the
    description's terms it holds (which documents hold a term, the keyword index says: no article
    is read again)."""
    words = set(terms(described))
    total = sum(corpus.keyword.idf_of(t) for t in words)
    holders = {t: {corpus.doc_of(p) for p in corpus.keyword.holding(t)} for t in words}
    out = {}
    for doc_id in set().union(*holders.values()):
        title = _title_terms(corpus.docs[doc_id].title)
        got = sum(corpus.keyword.idf_of(t) * (TITLE_WEIGHT if t in title else TEXT_WEIGHT if doc_id in holders[t] else 0.0) for t in words)
        out[doc_id] = got / total if total else 0.0
    return out


def pointed(corpus: Corpus, question: str) -> list[str]:
    """Returns the documents the question points at, best first: [] when it points at none, or at
    none clearly."""
    described = pointer(question)
    if described is None:
        return []
    ranked = sorted(fit(corpus, described).items(), key=lambda kv: (-kv[1], kv[0]))  # ties by id: the same order in every process
    if not ranked or ranked[0][1] < MIN_FIT:
        return []
    best = ranked[0][1]
    chosen = [d for d, s in ranked if s > best - MIN_LEAD / 2]
    runner_up = max((s for d, s in ranked if d not in chosen), default=0.0)
    return chosen if best - runner_up >= MIN_LEAD else []


_ASKS_TITLE = re.compile(r"\b(?:headlines?|titles?|titled|headed)\b", re.IGNORECASE)


def search(corpus: Corpus, embedder: Embedder, question: str, k: int) -> tuple[list[Hit], list[str]]:
    """Returns the `k` best sentences for `question` and the documents it points at, whose sentences
    they are then limited to."""
    within = pointed(corpus, question)
    hits = retrieve(corpus, embedder, question, k=k, within=within)
    if within and not _ASKS_TITLE.search(question):
        # the article was found by its title: the title itself, which holds the question's description
        # of the article, answers nothing asked of the article
        hits = [h for h in hits if corpus.text(h.unit).strip() != corpus.docs[h.unit.doc_id].title.strip()]
    return hits, within
