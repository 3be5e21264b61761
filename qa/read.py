"""Reading: the passages around the retrieved sentences, and the reader that finds answer spans in them.

The passages (`windows`) are each retrieved sentence with its neighbours, by document offsets: a
window is a run of whole sentences of one document; windows that overlap are merged (up to
`MAX_CHARS`), so no text is read twice and a span's document offsets are `window.start + offset`.

The reader is extractive question answering with a no-answer option.

For a question and a list of passages it returns, per passage, the best answer spans as character
offsets into that passage, each with a `margin`: the span's score (start + end logit) minus the
no-answer score of the window it was read in. Margins are comparable across passages and
documents (the model was trained with negatives from other passages of the same article), and
one calibrated threshold on them decides whether anything answers (`qa/calibration.json`).

The weights (trained by `make reader`, see reader/MODEL_CARD.md; run as an int8 ONNX graph that
`make onnx` exports from them; `reader.evaluate` also runs them in torch) are checked against their
SHA-256 when loaded. A passage longer than the model's window is read in overlapping windows;
offsets stay exact.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.corpus import Corpus
from index.encoder import OnnxEncoder, batch
from qa.retrieve import Hit
from qa.settings import PROJECT_ROOT

MODEL_DIR = PROJECT_ROOT / "reader" / "model"
GRAPH = "model.int8.onnx"  # exported from model.safetensors by `python -m reader.export`
BEFORE, AFTER = 1, 1  # sentences read on each side of a retrieved one
MAX_CHARS = 1500  # a merged window stops growing here (about 300 tokens)
Logits = Callable[[dict[str, np.ndarray]], tuple[np.ndarray, np.ndarray]]


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
    a, b = corpus.at(doc_id, first), corpus.at(doc_id, last)
    assert a is not None and b is not None
    return a.start, b.end


def text_of(corpus: Corpus, w: Window) -> str:
    """Returns the window's exact text."""
    return corpus.doc_text(w.doc_id)[w.start : w.end]


@dataclass(frozen=True)
class Span:
    """An answer span in passage `passage`: `text == passages[passage][start:end]`."""

    passage: int
    start: int
    end: int
    text: str
    margin: float  # span score minus the no-answer score of its window: > threshold means it answers
    no_answer: float = 0.0  # the no-answer score ([CLS] start + end logits) of the window it was read in


class Reader(Protocol):
    """Reads passages for a question; returns each passage's best spans, best first."""

    def read(self, question: str, passages: Sequence[str], top_n: int = 3) -> list[list[Span]]: ...


class ExtractiveReader:
    """The trained MiniLM span reader, run as its int8 ONNX graph (what the thresholds were fitted
    with). `warm_up()` loads it once; `read()` is thread-safe. Window settings default to those the
    model was trained with (its training.json)."""

    weights_file, rebuild = GRAPH, "make onnx (after make reader)"

    def __init__(
        self,
        model_dir: Path = MODEL_DIR,
        max_length: int | None = None,
        stride: int | None = None,
        max_question_tokens: int | None = None,
        max_answer_tokens: int = 30,
        batch_size: int = 16,
    ) -> None:
        self.model_dir = Path(model_dir)
        try:
            trained = dict(json.loads((self.model_dir / "training.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            trained = {}
        self.max_length = max_length or int(trained.get("max_length", 256))
        self.stride = stride or int(trained.get("stride", 64))
        self.max_question_tokens = max_question_tokens or int(trained.get("max_question", 48))
        self.max_answer_tokens = max_answer_tokens
        self.batch_size = batch_size
        self._logits: Logits | None = None
        self._tokenizer: Any = None
        self._plain: Any = None
        self._lock = threading.Lock()

    @property
    def weights(self) -> Path:
        """The file the reader runs."""
        return self.model_dir / self.weights_file

    def warm_up(self) -> None:
        """Loads the tokenizer and the weights (once)."""
        with self._lock:
            if self._logits is not None:
                return
            from tokenizers import Tokenizer

            path = str(self.model_dir / "tokenizer.json")
            self._plain = Tokenizer.from_file(path)  # questions: no truncation (a pair's settings refuse one text)
            self._plain.no_padding()
            self._plain.no_truncation()
            tokenizer = Tokenizer.from_file(path)
            tokenizer.no_padding()
            tokenizer.enable_truncation(self.max_length, stride=self.stride, strategy="only_second")
            self._tokenizer = tokenizer
            self._logits = self.load()

    def load(self) -> Logits:
        """Returns the function from a batch of encoded windows to their start and end logits."""
        encoder = OnnxEncoder(self.weights, self.rebuild)

        def logits(inputs: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
            start, end = encoder.run(inputs)
            return start, end

        return logits

    def _question(self, question: str) -> str:
        """Returns the question cut after the tokens the model reads of it."""
        offsets = self._plain.encode(question, add_special_tokens=False).offsets[: self.max_question_tokens]
        return question[: offsets[-1][1]] if offsets else "?"

    def _encode(self, question: str, passages: Sequence[str]) -> list[tuple[int, Any]]:
        """Returns (passage position, encoding) for every model window over the passages."""
        q = self._question(question)
        out: list[tuple[int, Any]] = []
        for i, e in enumerate(self._tokenizer.encode_batch([(q, p) for p in passages])):
            out.extend((i, w) for w in [e, *e.overflowing])
        return out

    def windows(self, question: str, passages: Sequence[str]) -> int:
        """Returns how many model windows `read` runs for these passages."""
        self.warm_up()
        return len(self._encode(question, passages))

    def read(self, question: str, passages: Sequence[str], top_n: int = 3) -> list[list[Span]]:
        """Returns for each passage its `top_n` best spans by margin (best first; [] for an empty passage)."""
        self.warm_up()
        assert self._logits is not None
        keep = [i for i, p in enumerate(passages) if p.strip()]
        out: list[list[Span]] = [[] for _ in passages]
        if not keep:
            return out
        encoded = self._encode(question, [passages[i] for i in keep])
        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        for b in range(0, len(encoded), self.batch_size):
            s_log, e_log = self._logits(batch([e for _, e in encoded[b : b + self.batch_size]]))
            starts.extend(s_log)
            ends.extend(e_log)
        best: dict[int, dict[tuple[int, int], tuple[float, float]]] = {}
        for f, (sample, enc) in enumerate(encoded):
            ctx = [i for i, s in enumerate(enc.sequence_ids) if s == 1]
            if not ctx:
                continue
            s_log, e_log, offs = starts[f].tolist(), ends[f].tolist(), enc.offsets
            null = s_log[0] + e_log[0]
            top_s = sorted(ctx, key=lambda i: -s_log[i])[:20]
            top_e = sorted(ctx, key=lambda i: -e_log[i])[:20]
            spans = best.setdefault(keep[sample], {})
            for si in top_s:
                for ei in top_e:
                    if ei < si or ei - si + 1 > self.max_answer_tokens:
                        continue
                    key = (offs[si][0], offs[ei][1])
                    margin = s_log[si] + e_log[ei] - null
                    if key not in spans or margin > spans[key][0]:
                        spans[key] = (margin, null)
        for p, spans in best.items():
            text = passages[p]
            ranked = sorted(spans.items(), key=lambda kv: -kv[1][0])
            chosen: list[Span] = []
            for (s, e), (margin, null) in ranked:
                if any(s < c.end and c.start < e for c in chosen):
                    continue  # an overlapping, weaker reading of a span already kept
                chosen.append(Span(p, s, e, text[s:e], margin, null))
                if len(chosen) >= top_n:
                    break
            out[p] = chosen
        return out
