"""Hybrid retrieval at sentence level over the corpus (`index.corpus`): dense (Chroma) + BM25, fused
by reciprocal rank.

Which article a question points at: "..., according to the report on the bridge closure?".

A reader who names the article asks what that article says, so the answer comes from that article
alone (and two articles that disagree are no conflict: one was asked). The article is found by its
title and text, and the pointer is honoured only when one article (or a few equally well) fits the
description clearly better than the rest; otherwise the question is answered from every article.
The question itself is judged as asked: what describes the article ("the bridge closure") is often
what is asked about too.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from index.corpus import Corpus, Unit
from index.embed import Embedder
from index.keyword import terms

RRF_K = 20


@dataclass(frozen=True)
class Hit:
    """A retrieved unit with its scores."""

    unit: Unit
    fused: float
    dense: float  # cosine similarity of the sentence to the question
    chunk: float  # cosine similarity of its best containing chunk
    bm25: float


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
