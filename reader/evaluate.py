"""Score the reader alone, paragraph given, on the split's held-out SQuAD 2.0 articles.

    python -m reader.evaluate      # writes reader/scores.json and the Scores section of MODEL_CARD.md

- Reading: exact match and token F1 (SQuAD's normalisation, best over the gold answers) of the best
  span on the answerable questions of the test articles, never refusing.
- Refusal: a question is refused when its best span's margin is below a threshold. The curve of
  abstention recall (unanswerable questions refused) against false abstentions (answerable ones
  refused) as the threshold moves, on the test articles.
- The threshold is chosen on the calibration articles by one rule: the highest margin at which at
  most MAX_FALSE_ABSTENTION of their answerable questions are refused. The test figures at it are
  reported; the test articles choose nothing.
- Speed: windows/s of batched inference on 2 threads and the warm-up time.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from evals.metrics import span_f1, squad_tokens
from index.encoder import check_file, sha256
from qa.read import ExtractiveReader, Logits
from reader.data import SQUAD2, load, split

HERE = Path(__file__).resolve().parent
SCORES = HERE / "scores.json"
CARD = HERE / "MODEL_CARD.md"
MAX_FALSE_ABSTENTION = 0.10
BEGIN, END = "<!-- scores: written by python -m reader.evaluate -->", "<!-- /scores -->"
PRECISIONS = ("int8", "bf16", "fp32")  # int8: the ONNX graph the product runs; the others: the weights in torch


class TorchReader(ExtractiveReader):
    """The trained weights in torch, float32 or under bf16 autocast (as the reader was trained; fast only
    where the CPU computes bf16 natively): what the int8 graph is measured against."""

    weights_file, rebuild = "model.safetensors", "make reader"

    def __init__(self, *args: Any, bf16: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bf16 = bf16

    def load(self) -> Logits:
        check_file(self.weights, self.rebuild)
        import torch
        from transformers import AutoModelForQuestionAnswering

        model = AutoModelForQuestionAnswering.from_pretrained(self.model_dir, dtype=torch.float32).eval()

        def logits(inputs: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
                res = model(**{k: torch.from_numpy(v) for k, v in inputs.items()})
            return res.start_logits.float().numpy(), res.end_logits.float().numpy()

        return logits


def reader_of(precision: str) -> ExtractiveReader:
    """Returns the reader at one of PRECISIONS."""
    return ExtractiveReader() if precision == "int8" else TorchReader(bf16=precision == "bf16")


def read_part(reader: ExtractiveReader, part: str) -> list[dict]:
    """Every question of the part's articles with the reader's best span and its margin."""
    wanted = set(split(part))
    out = []
    for article in load(SQUAD2):
        if article["title"] not in wanted:
            continue
        for p in article["paragraphs"]:
            for qa in p["qas"]:
                spans = reader.read(qa["question"], [p["context"]], top_n=1)[0]
                best = spans[0] if spans else None
                out.append({
                    "answers": [a["text"] for a in qa["answers"]] if not qa.get("is_impossible") else [],
                    "text": best.text if best else "",
                    "margin": best.margin if best else float("-inf"),
                })
    return out


def at(rows: list[dict], threshold: float) -> dict[str, float]:
    ans = [r for r in rows if r["answers"]]
    imp = [r for r in rows if not r["answers"]]
    kept = [r for r in ans if r["margin"] >= threshold]
    return {
        "threshold": round(threshold, 3),
        "abstention_recall": round(sum(r["margin"] < threshold for r in imp) / max(len(imp), 1), 3),
        "false_abstentions": round(sum(r["margin"] < threshold for r in ans) / max(len(ans), 1), 3),
        "f1_answered": round(sum(max(span_f1(r["text"], g) for g in r["answers"]) for r in kept) / max(len(kept), 1), 3),
    }


def choose(rows: list[dict], cap: float = MAX_FALSE_ABSTENTION) -> float:
    """The highest threshold refusing at most `cap` of the answerable questions."""
    margins = sorted(r["margin"] for r in rows if r["answers"])
    allowed = int(cap * len(margins))  # refused are those strictly below the threshold
    return margins[allowed] if margins else 0.0


def speed(reader: ExtractiveReader, rows: int = 256) -> float:
    passage = ("The Vell Bridge was opened on 3 May 1921 by Mayor Anna Kowal. It is 120 metres long and carries about "
               "4,000 cars a day across the river Vell, which floods the meadows in spring. ") * 3
    reader.read("Who opened the bridge?", [passage] * 16)
    t = time.perf_counter()
    reader.read("Who opened the bridge?", [passage] * rows)
    return reader.windows("Who opened the bridge?", [passage] * rows) / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--precision", choices=PRECISIONS, default=PRECISIONS[0],
                    help=f"{PRECISIONS[0]} (what the product uses) writes scores.json and the card; another writes scores-<precision>.json beside it")
    args = ap.parse_args()
    t = time.perf_counter()
    reader = reader_of(args.precision)
    reader.warm_up()
    warm = time.perf_counter() - t
    test, cal = read_part(reader, "test"), read_part(reader, "calibration")
    answerable = [r for r in test if r["answers"]]
    threshold = choose(cal)
    curve = [at(test, choose(test, c)) | {"cap": c} for c in (0.05, 0.10, 0.15, 0.20, 0.30)]
    scores: dict[str, Any] = {
        "test_articles": len(split("test")),
        "test_questions": len(test),
        "test_unanswerable": len(test) - len(answerable),
        "exact_match": round(sum(max(float(squad_tokens(r["text"]) == squad_tokens(g)) for g in r["answers"]) for r in answerable) / len(answerable), 3),
        "f1": round(sum(max(span_f1(r["text"], g) for g in r["answers"]) for r in answerable) / len(answerable), 3),
        "calibration_rule": f"highest margin refusing at most {MAX_FALSE_ABSTENTION:.0%} of the calibration articles' answerable questions",
        "at_calibrated_margin": at(test, threshold),
        "calibration_at_margin": at(cal, threshold),
        "curve_on_test": curve,
        "windows_per_s": round(speed(reader), 1),
        "warm_up_s": round(warm, 2),
        "window_tokens": reader.max_length,
        "sha256": sha256(reader.weights),
        "weights": reader.weights.name,
        "precision": args.precision,
    }
    if args.precision != PRECISIONS[0]:
        out = SCORES.with_name(f"scores-{args.precision}.json")
        out.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(scores, indent=2))
        return
    SCORES.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    c = scores["at_calibrated_margin"]
    lines = [
        BEGIN,
        f"`{scores['weights']}` SHA-256 `{scores['sha256']}`. Paragraph given, {scores['test_articles']} test articles "
        f"({scores['test_questions']} questions, {scores['test_unanswerable']} unanswerable):",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| exact match, answerable, never refusing | {scores['exact_match']:.3f} |",
        f"| token F1, answerable, never refusing | {scores['f1']:.3f} |",
        f"| margin chosen on the calibration articles ({scores['calibration_rule']}) | {c['threshold']:.2f} |",
        f"| at that margin: abstention recall / false abstentions / F1 of answered | {c['abstention_recall']:.3f} / {c['false_abstentions']:.3f} / {c['f1_answered']:.3f} |",
        f"| inference, batch 16, {scores['window_tokens']}-token windows, 2 threads, {scores['precision']} | {scores['windows_per_s']:.0f} windows/s |",
        f"| warm-up (tokenizer, checksum, weights) | {scores['warm_up_s']:.2f} s |",
        "",
        "Abstention recall against false abstentions on the test articles (the margin that refuses the given share of answerable questions):",
        "",
        "| false abstentions | margin | abstention recall | F1 of answered |",
        "| --- | --- | --- | --- |",
        *[f"| {p['false_abstentions']:.3f} | {p['threshold']:.2f} | {p['abstention_recall']:.3f} | {p['f1_answered']:.3f} |" for p in curve],
        END,
    ]
    card = CARD.read_text(encoding="utf-8")
    if BEGIN in card and END in card:
        card = card[: card.index(BEGIN)] + "\n".join(lines) + card[card.index(END) + len(END) :]
        CARD.write_text(card, encoding="utf-8")
    print(json.dumps(scores, indent=2))


if __name__ == "__main__":
    main()
