"""Fitting the reader's thresholds on held-out data (never on a test split).

    python -m reader.calibrate     # prints the sweep and writes qa/calibration.json

Every question of the SQuAD calibration articles (reader/split.json, indexed together and asked by
open retrieval like the SQuAD suite) and of the Mosul dev split is read (about 2,500): a sample let
the cap below pass on the sample and fail on the rest.

- `answer` (may the best span answer?): the threshold that maximises the mean of both corpora's
  balanced accuracy (the mean of the share of answerable questions answered right and the share
  of unanswerable ones refused), under a cap on false abstentions in each.
- `widen` (how far under a span's margin a span holding it may still be the answer's text) at that
  `answer` threshold: the one that maximises the mean of both corpora's answered-right share and
  token F1 of the answerable questions (widening holds more of a gold answer and costs F1 when the
  extra words are not in it). `answer` is fitted again with that widening, the two in turn until
  neither moves, so that each is fitted as the product decides.
- `reliability` (how often an answer scored like this one was right) at those thresholds: the
  answered questions of both corpora pooled, ranked by their best span's margin and cut into
  `RELIABILITY_BINS` groups of equal size; each group's share answered right, from its lowest margin.
- `side` (does another document's best span count, agreeing or as another side of a number or
  date?) and `side_text` (is a different phrase another side?), each for the answers of its kinds:
  the lowest threshold that maximises the mean of conflict recall (the Mosul dev split's conflict
  questions are the only labelled disagreements) and the strict accuracy of the other answerable
  questions, an answer showing a side too many counting as wrong, averaged over both corpora.

Retrieval and reading run once per question; each threshold then re-decides from the same spans.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from tqdm import tqdm

from evals import squad
from evals.dataset import Item, load_items
from evals.metrics import MAX_ANSWER_WORDS, best_f1, matches
from qa.decide import CALIBRATION_FILE, Calibration, Decision, Reading, decide, widened
from qa.engine import Engine
from qa.quote import answer_text
from qa.read import WIDEST, ExtractiveReader
from qa.settings import Settings, go_offline

MAX_FALSE_ABSTENTION = 0.10  # on each corpus: the product's promise that answerable questions are rarely refused
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
    return judged(it, decide(readings, cal))


def judged(it: Item, d: Decision) -> tuple[bool, bool]:
    """Returns (abstained, right) for one item's decision."""
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


RELIABILITY_BINS = 5  # groups of answered calibration questions, about 400 each: enough to read a share to +-0.05
GRID = [x / 4 for x in range(-40, 61)]  # the answer thresholds tried


def fit_answer(corpora: dict[str, Collected], widen: float = 0.0, show: bool = False) -> tuple[float, float]:
    """Returns (the best mean balanced accuracy over the corpora with false abstentions at most the cap in
    each, the answer threshold that gives it), spans widened by `widen`; (0.0, nan) when no threshold
    keeps under the cap. `show` prints every threshold's figures."""
    found = (0.0, float("nan"))
    for t in GRID:
        scores = {name: balanced(data, Calibration(answer=t, side=1e9, widen=widen)) for name, data in corpora.items()}
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


def first_span_right(data: Collected, widen: float = 0.0) -> float:
    """Returns the share of the answerable questions (conflicts aside) whose best span, widened by `widen`,
    holds a gold answer, whatever its margin: how often the reader's first choice is right, abstaining aside."""
    rows = [(it, rs) for it, rs in data if it.answerable and it.kind != "conflict"]
    right = sum(bool(rs) and matches(widened(max(rs, key=lambda r: r.margin), widen).text, it.answer) for it, rs in rows)
    return right / max(len(rows), 1)


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


def fit_answer_and_widen(corpora: dict[str, Collected], rounds: int = 4) -> tuple[float, float]:
    """Returns (answer, widen): each fitted at the other, in turn from no widening, until neither moves."""
    answer, widen = float("nan"), 0.0
    seen: set[tuple[float, float]] = set()
    for _ in range(rounds):
        _, answer = fit_answer(corpora, widen, show=not seen)
        if math.isnan(answer):
            raise SystemExit(f"no answer threshold keeps false abstentions at most {MAX_FALSE_ABSTENTION} on every corpus")
        if (answer, widen) in seen:
            break
        seen.add((answer, widen))
        widen = fit_widen(corpora, answer)
    return answer, widen


def fit_reliability(corpora: dict[str, Collected], cal: Calibration, bins: int = RELIABILITY_BINS) -> tuple[tuple[float, float], ...]:
    """Returns ((margin from, share right), ...): the answered questions of all corpora decided with `cal`,
    ranked by the margin of their answer's best span and cut into `bins` groups of equal size; the first
    group from `cal.answer`. A question answered wrong or answered when it has no answer is not right."""
    decided = [(it, decide(rs, cal)) for data in corpora.values() for it, rs in data]
    scored = sorted((d.best.margin, judged(it, d)[1]) for it, d in decided if not d.abstain)
    out: list[tuple[float, float]] = []
    for b in range(bins):
        group = scored[b * len(scored) // bins : (b + 1) * len(scored) // bins]
        if group:
            start = cal.answer if not out else round(group[0][0], 2)
            out.append((start, round(sum(right for _, right in group) / len(group), 3)))
    return tuple(out)


SIDE_GROUPS = {"value": ("number", "date"), "text": ("text",)}  # the kinds of answer each side threshold decides


def strict_outcome(it: Item, readings: list[Reading], cal: Calibration) -> bool:
    """Returns True when `it` is answered right with `cal` and, unless it is a conflict, with one side: an
    answer that shows a side too many ("the sources disagree: January versus June") is wrong here even
    when it holds the gold value, because it tells the user that the sources disagree when they do not."""
    d = decide(readings, cal)
    return judged(it, d)[1] and (it.kind == "conflict" or len(d.sides) == 1)


def fit_side(corpora: dict[str, Collected], answer: float, widen: float = 0.0) -> tuple[float, float]:
    """Returns (side, side_text): for the answers of each group of kinds (numbers and dates; phrases), the
    lowest threshold with the best mean of the recall of the group's conflict questions (where a corpus
    labels any) and the mean over the corpora of the strict accuracy (`strict_outcome`) of the group's
    other answerable questions. Each question belongs to the group of its answer's kind."""
    base = Calibration(answer=answer, side=1e9, side_text=1e9, widen=widen)
    answered = {name: [(it, rs, d.kind) for it, rs in rows if it.answerable and not (d := decide(rs, base)).abstain] for name, rows in corpora.items()}
    found: dict[str, float] = {}
    for group, kinds in SIDE_GROUPS.items():
        conflicts = [(it, rs) for rows in answered.values() for it, rs, kind in rows if it.kind == "conflict" and kind in kinds]
        others = {name: [(it, rs) for it, rs, kind in rows if it.kind != "conflict" and kind in kinds] for name, rows in answered.items()}
        floor = found.get("value", answer)  # a phrase side needs `side` as well
        best, best_score = floor, -1.0
        for t in [floor + x / 4 for x in range(0, 41)]:
            cal = Calibration(answer=answer, side=t if group == "value" else found["value"], side_text=t, widen=widen)
            parts = [sum(strict_outcome(it, rs, cal) for it, rs in rows) / len(rows) for rows in others.values() if rows]
            score = sum(parts) / max(len(parts), 1)
            shown = f"others (strict) {score:.3f}"
            if conflicts:
                recall = sum(strict_outcome(it, rs, cal) for it, rs in conflicts) / len(conflicts)
                score, shown = (recall + score) / 2, f"conflict recall {recall:.3f}  " + shown
            print(f"side ({group}) {t:6.2f}  {shown}")
            if score > best_score:
                best, best_score = t, score
        found[group] = best
    return found["value"], found["text"]


def read_all(reader: ExtractiveReader | None, scratch: Path) -> dict[str, Collected]:
    """Every question of the SQuAD calibration articles and of the Mosul dev split, with the spans the
    reader (the shipped one when None) found for it by open retrieval; `scratch` holds the indexes."""
    go_offline()
    open_cal, name = Calibration(answer=-1e9, side=1e9), f", {reader.model_dir}" if reader else ""
    items = squad.build("calibration", scratch / "corpus", per_article=10**6)
    settings = Settings(index_dir=scratch / "squad-index", seeds_dir=scratch / "corpus", llm="none")
    out = {"squad": collect(Engine(settings, reader=reader, calibration=open_cal), items, f"squad calibration{name}")}
    settings = Settings(index_dir=scratch / "mosul-index", llm="none")
    dev = load_items(settings.seeds_dir, split="dev")
    out["mosul"] = collect(Engine(settings, reader=reader, calibration=open_cal), dev, f"mosul dev{name}")
    return out


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="qa-calibrate-"))
    try:
        data = read_all(None, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    answer, widen = fit_answer_and_widen(data)
    side, side_text = fit_side(data, answer, widen)
    reliability = fit_reliability(data, Calibration(answer=answer, side=side, side_text=side_text, widen=widen))
    print("reliability (margin from, share right): " + ", ".join(f"{m:g}: {r:.3f}" for m, r in reliability))
    n = {name: len(rows) for name, rows in data.items()}
    cal = Calibration(
        answer=answer,
        side=side,
        side_text=side_text,
        widen=widen,
        reliability=reliability,
        fitted_on=f"all {n['squad']} SQuAD calibration questions + all {n['mosul']} Mosul dev questions (the conflicts: Mosul dev's)",
    )
    CALIBRATION_FILE.write_text(json.dumps(asdict(cal), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {CALIBRATION_FILE}: answer {answer}, widen {widen}, side {side}, side_text {side_text}")


if __name__ == "__main__":
    main()
