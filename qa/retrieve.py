"""Hybrid retrieval at sentence level over the corpus (`index.corpus`): dense (Chroma) + BM25, fused
by reciprocal rank.
"""

from __future__ import annotations

from index.corpus import Corpus, Unit
from index.embed import Embedder

RRF_K = 20


def retrieve(corpus: Corpus, embedder: Embedder, question: str, k: int = 12, pool: int = 30) -> list[Unit]:
    """Returns the `k` best units for `question`, best first, fusing dense and BM25 ranks."""
    if not corpus.size:
        return []
    vec = embedder.embed([question])[0]
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
    return [unit for uid, _ in ranked if (unit := corpus.by_id(uid)) is not None]
