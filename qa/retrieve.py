"""Hybrid retrieval at sentence level: dense (Chroma) + BM25, fused by reciprocal rank.

The corpus view is read from the store once: committed documents and their units. A
unit's text is always sliced from its document's text by offsets.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from index.embed import Embedder
from index.keyword import KeywordIndex
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


class Corpus:
    """The committed documents and units, with a keyword index over the units."""

    def __init__(self, store: VectorStore) -> None:
        self.store = store
        self.docs: dict[str, StoredDoc] = store.docs()
        units = []
        for row in store.span_rows("unit"):
            m = row["metadatas"]
            d = self.docs.get(m["doc_id"])
            if d is None or d.sha != m["sha"]:
                continue  # an orphan of an interrupted run: never read
            units.append(Unit(row["id"], m["doc_id"], int(m["ordinal"]), int(m["start"]), int(m["end"])))
        units.sort(key=lambda u: (u.doc_id, u.ordinal))
        self.units = units
        self.by_id = {u.id: u for u in units}
        self.by_pos = {(u.doc_id, u.ordinal): u for u in units}
        self.doc_units: dict[str, list[Unit]] = {}
        for u in units:
            self.doc_units.setdefault(u.doc_id, []).append(u)
        self.chunks: dict[str, tuple[str, int, int]] = {}
        for row in store.span_rows("chunk"):
            m = row["metadatas"]
            d = self.docs.get(m["doc_id"])
            if d is not None and d.sha == m["sha"]:
                self.chunks[row["id"]] = (m["doc_id"], int(m["start"]), int(m["end"]))
        self.keyword = KeywordIndex([self.text(u) for u in units])

    def text(self, unit: Unit) -> str:
        """Returns the unit's exact text, sliced from its document."""
        return self.docs[unit.doc_id].text[unit.start : unit.end]

    def neighbours(self, unit: Unit, before: int = 1, after: int = 1) -> list[Unit]:
        """Returns the units around `unit` in its document, in order, itself included."""
        out = []
        for o in range(unit.ordinal - before, unit.ordinal + after + 1):
            u = self.by_pos.get((unit.doc_id, o))
            if u is not None:
                out.append(u)
        return out


def retrieve(
    corpus: Corpus, embedder: Embedder, question: str, k: int = 12, pool: int = 30, within: Collection[str] = ()
) -> list[Hit]:
    """Returns the `k` best units for `question`, best first, fusing dense and BM25 ranks; only units of
    the documents `within` when it names any (every unit of those documents is ranked)."""
    if not corpus.units:
        return []
    vec = embedder.embed([question])[0]
    if within:
        ids = [u.id for d in within for u in corpus.doc_units.get(d, [])]
        dense = sorted(((i, float(v @ vec)) for i, v in corpus.store.vectors("unit", ids).items()), key=lambda x: -x[1])
        keep = set(ids)
        keyword = [(corpus.units[p].id, s) for p, s in corpus.keyword.search(question, corpus.keyword.size) if corpus.units[p].id in keep]
        chunk_hits = [(corpus.chunks[i], s) for i, s in corpus.store.query("chunk", vec, 10 * pool) if i in corpus.chunks and corpus.chunks[i][0] in within]
    else:
        dense = [(i, s) for i, s in corpus.store.query("unit", vec, pool) if i in corpus.by_id]
        keyword = [(corpus.units[p].id, s) for p, s in corpus.keyword.search(question, pool)]
        chunk_hits = [(corpus.chunks[i], s) for i, s in corpus.store.query("chunk", vec, 10) if i in corpus.chunks]

    dense_score = dict(dense)
    bm25_score = dict(keyword)
    union = list(dict.fromkeys([uid for uid, _ in dense] + [uid for uid, _ in keyword]))
    missing = [uid for uid in union if uid not in dense_score]
    if missing:  # exact cosine for keyword-only hits, so every candidate has both scores
        for uid, v in corpus.store.vectors("unit", missing).items():
            dense_score[uid] = float(v @ vec)

    chunk_of: dict[str, float] = {}
    for (doc_id, start, end), sim in chunk_hits:
        for u in corpus.doc_units.get(doc_id, []):
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
        Hit(corpus.by_id[uid], f, dense_score.get(uid, 0.0), chunk_of.get(uid, 0.0), bm25_score.get(uid, 0.0))
        for uid, f in ranked
    ]
