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

The weights (trained by `make reader`, see reader/MODEL_CARD.md) are checked against their
SHA-256 when loaded. A passage longer than the model's window is read in overlapping windows;
offsets stay exact.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from qa.retrieve import Corpus, Hit
from qa.settings import PROJECT_ROOT

MODEL_DIR = PROJECT_ROOT / "reader" / "model"
REBUILD = "make reader"
PRECISIONS = ("auto", "fp32", "bf16", "int8")
BEFORE, AFTER = 1, 1  # sentences read on each side of a retrieved one
MAX_CHARS = 1500  # a merged window stops growing here (about 300 tokens)


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
    return corpus.by_pos[(doc_id, first)].start, corpus.by_pos[(doc_id, last)].end


def text_of(corpus: Corpus, w: Window) -> str:
    """Returns the window's exact text."""
    return corpus.docs[w.doc_id].text[w.start : w.end]


class ReaderError(RuntimeError):
    """The reader's weights are missing or do not match their checksum."""


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


def cpu_has_bf16() -> bool:
    """True where the processor computes bf16 natively (AVX-512 BF16 or AMX); elsewhere autocast is slower."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def sha256(path: Path) -> str:
    """Returns the hex SHA-256 of a file."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class ExtractiveReader:
    """The trained MiniLM span reader. `warm_up()` loads it once; `read()` is thread-safe."""

    def __init__(
        self,
        model_dir: Path = MODEL_DIR,
        max_length: int | None = None,
        stride: int | None = None,
        max_question_tokens: int | None = None,
        max_answer_tokens: int = 30,
        batch_size: int = 16,
        precision: str = "auto",
    ) -> None:
        """Window settings default to those the model was trained with (its training.json).

        `precision`: "auto" (the default, what the thresholds were fitted with: "bf16" where the CPU
        computes bf16 natively, as the reader was trained, else "fp32"), "fp32", "bf16" (autocast) or
        "int8" (dynamic quantisation of the linear layers); each is measured by
        `python -m reader.evaluate --precision ...`.
        """
        if precision not in PRECISIONS:
            raise ValueError(f"unknown reader precision {precision!r}; choose one of {PRECISIONS}")
        self.precision = ("bf16" if cpu_has_bf16() else "fp32") if precision == "auto" else precision
        self.model_dir = Path(model_dir)
        trained = self._trained_settings()
        self.max_length = max_length or int(trained.get("max_length", 256))
        self.stride = stride or int(trained.get("stride", 64))
        self.max_question_tokens = max_question_tokens or int(trained.get("max_question", 48))
        self.max_answer_tokens = max_answer_tokens
        self.batch_size = batch_size
        self._model: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _trained_settings(self) -> dict[str, Any]:
        path = self.model_dir / "training.json"
        try:
            return dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def check(self) -> None:
        """Raises ReaderError unless the weights exist and match their recorded SHA-256."""
        weights, recorded = self.model_dir / "model.safetensors", self.model_dir / "SHA256"
        if not weights.is_file() or not recorded.is_file():
            raise ReaderError(f"reader weights missing: {weights} (and its SHA256 file); rebuild them with: {REBUILD}")
        want = recorded.read_text(encoding="utf-8").split()[0]
        got = sha256(weights)
        if got != want:
            raise ReaderError(f"reader weights {weights} are corrupted (SHA-256 {got[:12]}…, expected {want[:12]}…); restore the file from git or rebuild with: {REBUILD}")

    def warm_up(self) -> None:
        """Loads the tokenizer and the weights (once)."""
        with self._lock:
            if self._model is not None:
                return
            self.check()
            import torch
            from transformers import AutoModelForQuestionAnswering, AutoTokenizer

            self._tokenizer = AutoTokenizer.from_pretrained(self.model_dir)
            model = AutoModelForQuestionAnswering.from_pretrained(self.model_dir, dtype=torch.float32)
            model.eval()
            if self.precision == "int8":
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
            self._model = model

    def _question(self, question: str) -> str:
        """Returns the question cut to the tokens the model reads of it."""
        return self._tokenizer.convert_tokens_to_string(self._tokenizer.tokenize(question)[: self.max_question_tokens]) or "?"

    def windows(self, question: str, passages: Sequence[str]) -> int:
        """Returns how many model windows `read` runs for these passages."""
        self.warm_up()
        q = self._question(question)
        enc = self._tokenizer([q] * len(passages), list(passages), truncation="only_second", max_length=self.max_length,
                              stride=self.stride, return_overflowing_tokens=True)
        return len(enc["input_ids"])

    def read(self, question: str, passages: Sequence[str], top_n: int = 3) -> list[list[Span]]:
        """Returns for each passage its `top_n` best spans by margin (best first; [] for an empty passage)."""
        import torch

        self.warm_up()
        tok, model = self._tokenizer, self._model
        assert tok is not None and model is not None
        q = self._question(question)
        keep = [i for i, p in enumerate(passages) if p.strip()]
        out: list[list[Span]] = [[] for _ in passages]
        if not keep:
            return out
        enc = tok(
            [q] * len(keep),
            [passages[i] for i in keep],
            truncation="only_second",
            max_length=self.max_length,
            stride=self.stride,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
            padding=True,
            return_tensors="pt",
        )
        offsets = enc.pop("offset_mapping").tolist()
        owner = enc.pop("overflow_to_sample_mapping").tolist()
        starts, ends = [], []
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            for b in range(0, len(owner), self.batch_size):
                part = {k: v[b : b + self.batch_size] for k, v in enc.items()}
                res = model(**part)
                starts.extend(res.start_logits.float().tolist())
                ends.extend(res.end_logits.float().tolist())
        best: dict[int, dict[tuple[int, int], tuple[float, float]]] = {}
        for f, sample in enumerate(owner):
            seq = enc.sequence_ids(f)
            ctx = [i for i, s in enumerate(seq) if s == 1]
            if not ctx:
                continue
            s_log, e_log, offs = starts[f], ends[f], offsets[f]
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
