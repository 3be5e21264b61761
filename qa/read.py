"""Reading: the reader that finds answer spans in passages (`index.corpus.Passage`: whole sentences
around the retrieved ones).

The reader is extractive question answering with a no-answer option: for each passage it returns the
best spans by character offsets, each with a `margin`, the span's score (start + end logit) minus the
no-answer score of the model window it was read in, and the spans of the passage that hold it with their
own margins (where the model is unsure how far a span reaches: "1796" or "until 1796"). Margins are
comparable across passages (the model was trained with negatives from other passages), and calibrated
thresholds on them decide whether anything answers and how wide the answer is (`qa/decide.py`). The
weights (reader/MODEL_CARD.md; run as the int8 ONNX graph) are checked against their SHA-256 when
loaded; a passage longer than the model's window is read in overlapping windows with exact offsets. A
span holds whole words: one whose best boundary falls on a word's inner piece ("##dendorff" of
"Ludendorff") reads from the word's first piece to its last.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.encoder import OnnxEncoder, batch
from qa.settings import PROJECT_ROOT

MODEL_DIR = PROJECT_ROOT / "reader" / "model"
GRAPH = "model.int8.onnx"  # exported from model.safetensors by `python -m reader.export`
Logits = Callable[[dict[str, np.ndarray]], Sequence[np.ndarray]]  # a batch of encoded windows -> start, end logits
WIDEST = 2.0  # a span's wider readings are kept down to this far under its margin (`Calibration.widen` is fitted up to it)


@dataclass(frozen=True)
class Span:
    """An answer span in the passage it was found in: `text == passage[start:end]`."""

    start: int
    end: int
    text: str
    margin: float  # span score minus the no-answer score of its window: > threshold means it answers
    wider: tuple[tuple[int, int, float], ...] = ()  # (start, end, margin) of the passage's spans that hold this one, margin at least its own less WIDEST


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
        return OnnxEncoder(self.weights, self.rebuild).run

    def _question(self, question: str) -> str:
        """Returns the question cut after the tokens the model reads of it."""
        offsets = self._plain.encode(question, add_special_tokens=False).offsets[: self.max_question_tokens]
        return question[: offsets[-1][1]] if offsets else "?"

    def _encode(self, question: str, passages: Sequence[str]) -> list[tuple[int, Any]]:
        """Returns (passage position, encoding) for every model window over the passages that are not empty."""
        q, keep = self._question(question), [i for i, p in enumerate(passages) if p.strip()]
        encodings = self._tokenizer.encode_batch([(q, passages[i]) for i in keep]) if keep else []
        return [(i, w) for i, e in zip(keep, encodings, strict=True) for w in [e, *e.overflowing]]

    def windows(self, question: str, passages: Sequence[str]) -> int:
        """Returns how many model windows `read` runs for these passages."""
        self.warm_up()
        return len(self._encode(question, passages))

    def read(self, question: str, passages: Sequence[str], top_n: int = 3) -> list[list[Span]]:
        """Returns for each passage its `top_n` best spans by margin (best first; [] for an empty passage)."""
        self.warm_up()
        assert self._logits is not None
        encoded = self._encode(question, passages)
        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        for b in range(0, len(encoded), self.batch_size):
            s_log, e_log = self._logits(batch([e for _, e in encoded[b : b + self.batch_size]]))
            starts.extend(s_log)
            ends.extend(e_log)
        best: dict[int, dict[tuple[int, int], float]] = {}  # passage -> span offsets -> best margin
        for f, (p, enc) in enumerate(encoded):
            ctx = [i for i, s in enumerate(enc.sequence_ids) if s == 1]
            s_log, e_log, offs, words = starts[f].tolist(), ends[f].tolist(), enc.offsets, enc.word_ids
            first: dict[int, int] = {}  # a word's first and last token in this window: spans hold whole words
            last: dict[int, int] = {}
            for i in ctx:
                first.setdefault(words[i], i)
                last[words[i]] = i
            null = s_log[0] + e_log[0]
            spans, top_e = best.setdefault(p, {}), sorted(ctx, key=lambda i: -e_log[i])[:20]
            for si in sorted(ctx, key=lambda i: -s_log[i])[:20]:
                for ei in top_e:
                    if si <= ei < si + self.max_answer_tokens:
                        key = (offs[first[words[si]]][0], offs[last[words[ei]]][1])
                        margin = s_log[si] + e_log[ei] - null
                        spans[key] = max(margin, spans.get(key, margin))
        out: list[list[Span]] = [[] for _ in passages]
        for p, spans in best.items():
            chosen: list[Span] = []
            for (s, e), margin in sorted(spans.items(), key=lambda kv: -kv[1]):
                if any(s < c.end and c.start < e for c in chosen):
                    continue  # an overlapping, weaker reading of a span already kept
                wider = tuple(
                    (s2, e2, m2) for (s2, e2), m2 in spans.items() if s2 <= s and e <= e2 and (s2, e2) != (s, e) and m2 >= margin - WIDEST
                )
                chosen.append(Span(s, e, passages[p][s:e], margin, wider))
                if len(chosen) >= top_n:
                    break
            out[p] = chosen
        return out
