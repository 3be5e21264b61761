"""Soft word matching: a question word absent from a passage may still be there as a near synonym.

Word vectors come from the same bundled embedder, cached per word for the process.
"""

from __future__ import annotations

import re
import threading

import numpy as np

from index.embed import Embedder
from index.keyword import STOPWORDS

_WORD = re.compile(r"[^\W\d_][\w’'-]*", re.UNICODE)


class SoftMatcher:
    """Returns how close a word comes to any word of a text (cosine of word embeddings)."""

    def __init__(self, embedder: Embedder, max_cache: int = 200_000) -> None:
        self.embedder = embedder
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._max = max_cache

    def _vectors(self, words: list[str]) -> np.ndarray:
        with self._lock:
            todo = sorted({w for w in words if w not in self._cache})
        if todo:
            vecs = self.embedder.embed(todo)
            with self._lock:
                if len(self._cache) + len(todo) > self._max:
                    self._cache.clear()
                self._cache.update(zip(todo, vecs, strict=True))
        with self._lock:
            return np.stack([self._cache[w] for w in words]) if words else np.zeros((0, self.embedder.dim), np.float32)

    @staticmethod
    def words(text: str) -> list[str]:
        """Returns the lower-cased content words of `text`."""
        return [w for w in dict.fromkeys(m.group(0).lower() for m in _WORD.finditer(text)) if w not in STOPWORDS and len(w) > 2]

    def best(self, queries: list[str], text: str) -> list[float]:
        """Returns, for each query word, its highest cosine with a word of `text`."""
        words = self.words(text)
        if not queries or not words:
            return [0.0] * len(queries)
        q = self._vectors(queries)
        t = self._vectors(words)
        return [float(x) for x in (q @ t.T).max(axis=1)]
