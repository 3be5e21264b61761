"""Fitting the reader's thresholds on held-out data (never on a test split).

    python -m reader.calibrate     # prints the sweep and writes qa/calibration.json

- `answer` (may the best span answer?) on the SQuAD calibration articles (reader/split.json),
  indexed together and asked by open retrieval like the SQuAD suite, and on the Mosul dev split:
  the threshold that maximises the mean of both corpora's balanced accuracy (the mean of the
  share of answerable questions answered right and the share of unanswerable ones refused),
  under a cap on false abstentions in each.
- `widen` (how far under a span's margin a span holding it may still be the answer's text) on the
  same questions at that `answer` threshold: the one that maximises the mean of both corpora's
  answered-right share and token F1 of the answerable questions (widening holds more of a gold
  answer and costs F1 when the extra words are not in it).
- `side` (does another document's best span count, agreeing or as another side?) on the Mosul
  dev split, whose conflict questions are the only labelled disagreements: the threshold that
  maximises the mean of conflict recall and the accuracy of the other answerable questions.

Retrieval and reading run once per question; each threshold then re-decides from the same spans.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from tqdm import tqdm

from evals import squad
from evals.dataset import Item, load_items
from evals.metrics import MAX_ANSWER_WORDS, best_f1, matches
from qa.decide import CALIBRATION_FILE, Calibration, Reading, decide
from qa.engine import Engine
from qa.quote import answer_text
from qa.read import WIDEST
from qa.settings import Settings, go_offline

MAX_FALSE_ABSTENTION = 0.10  # on each corpus: the product's promise that answerable questions are rarely refused
MOSUL_SAMPLE = 400  # dev questions read (all conflict questions among them); the rest adds minutes, not information
Collected = list[tuple[Item, list[Reading]]]


def collect(engine: Engine, items: Sequence[Item], desc: str) -> Collected:
    """Returns every item with the spans the reader found for it."""
    out = []
    for it in tqdm(items, desc=desc, unit="q"):
        q, _ = engine.read_question(it.question)
        out.append((it, engine.readings(q)[2]))
    return out


def outcome(it: Item, readings: list[Reading], cal: Calibration) -> tuple[bool, bool]:
    """Returns (abstained, right) for one item decided with `cal`."""
    d = decide(readings, cal)
    if d.abstain:
        return True, not it.answerable
    if not it.answerable:
        return False, False
    text, cited = answer_text(d.sides), [r for side in d.sides for r in side]
    if it.kind == "conflict":
        return False, matches(text, it.answer) and set(it.doc_ids) <= {r.doc_id for r in cited}
    return False, len(text.split()) <= MAX_ANSWER_WORDS + len(cited) and matches(text, it.answer)


def balanced(data: Collected, cal: Calibration) -> tuple[float, float]:
    """Returns (balanced accuracy, false-abstention rate) of one corpus under `cal`."""
    ans = [outcome(it, rs, cal) for it, rs in data if it.answerable]
    trap = [outcome(it, rs, cal) for it, rs in data if not it.answerable]
    acc = sum(r for _, r in ans) / max(len(ans), 1)
    refused = sum(a for a, _ in trap) / max(len(trap), 1)
    return (acc + refused) / 2, sum(a for a, _ in ans) / max(len(ans), 1)


GRID = [x / 4 for x in range(-40, 61)]  # the answer thresholds tried


def fit_answer(corpora: dict[str, Collected], side: float = 1e9, show: bool = False) -> tuple[float, float]:
    """Returns (the best mean balanced accuracy over the corpora with false abstentions at most the cap in
    each, the answer threshold that gives it); (0.0, nan) when no threshold keeps under the cap. `show`
    prints every threshold's figures."""
    found = (0.0, float("nan"))
    for t in GRID:
        scores = {name: balanced(data, Calibration(answer=t, side=side)) for name, data in corpora.items()}
        ok = all(fa <= MAX_FALSE_ABSTENTION for _, fa in scores.values())
        mean = sum(b for b, _ in scores.values()) / len(scores)
        if show:
            print(f"answer {t:6.2f}  " + "  ".join(f"{n}: bal {b:.3f} fa {fa:.3f}" for n, (b, fa) in scores.items()) + ("" if ok else "  (over the cap)"))
        if ok and mean > found[0]:
            found = (mean, t)
    return found


def f1(it: Item, readings: list[Reading], cal: Calibration) -> float:
    """Returns the token F1 of the answer to an answerable item decided with `cal` (0 when it abstains)."""
    d = decide(readings, cal)
    return 0.0 if d.abstain else best_f1(answer_text(d.sides), it.answer)


def fit_widen(corpora: dict[str, Collected], answer: float) -> float:
    """Returns the widening (0, 0.25, ..., `qa.read.WIDEST`) with the best mean over the corpora of the
    answerable questions' answered-right share and token F1 at the `answer` threshold."""
    best, best_score = 0.0, -1.0
    for w in [x / 4 for x in range(int(WIDEST * 4) + 1)]:
        cal, parts, shown = Calibration(answer=answer, side=1e9, widen=w), [], []
        for name, data in corpora.items():
            ans = [(it, rs) for it, rs in data if it.answerable]
            acc = sum(outcome(it, rs, cal)[1] for it, rs in ans) / max(len(ans), 1)
            tf1 = sum(f1(it, rs, cal) for it, rs in ans) / max(len(ans), 1)
            parts.append((acc + tf1) / 2)
            shown.append(f"{name}: answered right {acc:.3f} token F1 {tf1:.3f}")
        print(f"widen {w:5.2f}  " + "  ".join(shown))
        if sum(parts) / len(parts) > best_score:
            best, best_score = w, sum(parts) / len(parts)
    return best


def fit_side(mosul: Collected, answer: float, widen: float = 0.0) -> float:
    """Returns the side threshold with the best mean of conflict recall and other answerable accuracy."""
    conflicts = [(it, rs) for it, rs in mosul if it.kind == "conflict"]
    others = [(it, rs) for it, rs in mosul if it.answerable and it.kind != "conflict"]
    best, best_score = answer, -1.0
    for t in [answer + x / 4 for x in range(0, 41)]:
        cal = Calibration(answer=answer, side=t, widen=widen)
        recall = sum(outcome(it, rs, cal)[1] for it, rs in conflicts) / max(len(conflicts), 1)
        acc = sum(outcome(it, rs, cal)[1] for it, rs in others) / max(len(others), 1)
        print(f"side {t:6.2f}  conflict recall {recall:.3f}  other accuracy {acc:.3f}")
        if (recall + acc) / 2 > best_score:
            best, best_score = t, (recall + acc) / 2
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mosul-sample", type=int, default=MOSUL_SAMPLE)
    ap.add_argument("--per-article", type=int, default=100, help="SQuAD calibration questions per article")
    args = ap.parse_args()
    go_offline()
    open_cal = Calibration(answer=-1e9, side=1e9)
    scratch = Path(tempfile.mkdtemp(prefix="qa-calibrate-"))
    try:
        items = squad.build("calibration", scratch / "corpus", per_article=args.per_article)
        engine = Engine(Settings(index_dir=scratch / "index", seeds_dir=scratch / "corpus", llm="none"), calibration=open_cal)
        squad_data = collect(engine, items, "squad calibration")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    settings = Settings(llm="none")
    dev = load_items(settings.seeds_dir, split="dev")
    rng = random.Random(0)
    conflict = [it for it in dev if it.kind == "conflict"]
    rest = [it for it in dev if it.kind != "conflict"]
    sample = conflict + rng.sample(rest, min(len(rest), max(0, args.mosul_sample - len(conflict))))
    mosul_data = collect(Engine(settings, calibration=open_cal), sample, "mosul dev")
    _, answer = fit_answer({"squad": squad_data, "mosul": mosul_data}, show=True)
    if math.isnan(answer):
        raise SystemExit(f"no answer threshold keeps false abstentions at most {MAX_FALSE_ABSTENTION} on both corpora")
    widen = fit_widen({"squad": squad_data, "mosul": mosul_data}, answer)
    side = fit_side(mosul_data, answer, widen)
    cal = Calibration(
        answer=answer,
        side=side,
        widen=widen,
        fitted_on=f"answer, widen: {len(squad_data)} SQuAD calibration questions + {len(mosul_data)} Mosul dev questions; side: the Mosul dev sample",
    )
    CALIBRATION_FILE.write_text(json.dumps(asdict(cal), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {CALIBRATION_FILE}: answer {answer}, widen {widen}, side {side}")


if __name__ == "__main__":
    main()
