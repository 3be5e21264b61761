"""Which article a question points at: "..., according to the report on the Fatah operation?".

A reader who names the article asks what that article says, so the answer comes from that article
alone (and two articles that disagree are no conflict: one was asked). The article is found by its
title and text, and the pointer is honoured only when one article (or a few equally well) fits the
description clearly better than the rest; otherwise the question is answered from every article.
The question itself is judged as asked: what describes the article ("the Fatah offensive") is often
what is asked about too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.keyword import terms
from qa.retrieve import Corpus

# ", according to the report on the Fatah operation", "in the CNN piece", "per the article about the delays"
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
    holders = {t: {corpus.units[p].doc_id for p in corpus.keyword.holding(t)} for t in words}
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
