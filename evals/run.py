"""Running the grounding evals: the project and its peers on the same questions.

    qa eval [--suite mosul|squad] [--llm embedded|openai|none] [--split ...] [--out DIR] [--previous result.json]

- mosul: the hand-labelled questions over the seed articles (splits dev, test, all); peers: the
  llama-index recipe and BM25 best sentence.
- squad: held-out SQuAD 2.0 articles indexed together as one corpus (splits test, calibration);
  peer: BM25 best sentence.

Prints a table, writes result.json, report.md and chart.png to DIR, and exits non-zero when
a metric falls below its threshold for the suite in evals/thresholds.toml.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import platform
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

from tqdm import tqdm

from evals.dataset import Item, load_items
from evals.metrics import Scored, summarise
from evals.report import changed_questions, chart, markdown, peer_lines, per_kind_rows, table

THRESHOLDS_FILE = Path(__file__).with_name("thresholds.toml")
LEGACY_FILE = Path(__file__).with_name("legacy_squad.json")  # the rule-based engine, scored once by evals/legacy.py


def _run_system(name: str, answer_fn, ranked_fn, items: list[Item]) -> list[Scored]:  # type: ignore[no-untyped-def]
    out = []
    for it in tqdm(items, desc=f"eval {name}", unit="q"):
        t0 = time.perf_counter()
        try:
            a, err = answer_fn(it.question), ""
        except Exception as exc:  # a crash is a scored failure, not a lost run
            a, err = None, f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - t0
        ranked = ranked_fn(it.question) if ranked_fn else []
        out.append(Scored(it, a, seconds, err, ranked))
    return out


def check(result: dict[str, Any], thresholds: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """Returns (name, passed, detail) for every threshold and every peer comparison."""
    overall = result["systems"]["project"]["summary"]["overall"]
    checks = []
    for key, floor in thresholds.get("min", {}).items():
        v = overall.get(key)
        checks.append((f"{key} >= {floor}", v is not None and v >= floor, f"measured {v}"))
    for key, ceiling in thresholds.get("max", {}).items():
        v = overall.get(key)
        checks.append((f"{key} <= {ceiling}", v is not None and v <= ceiling, f"measured {v}"))
    for group, suffix in (("beat_peers", ""), ("beat_peers_reported", " (reported, not enforced)")):
        for key in thresholds.get(group, []):
            mine = overall.get(key) or 0.0
            for name, sysres in result["systems"].items():
                if name != "project":
                    theirs = sysres["summary"]["overall"].get(key) or 0.0
                    checks.append((f"project beats {name} on {key}{suffix}", mine > theirs, f"{mine:.3f} vs {theirs:.3f}"))
    for key, goal in thresholds.get("targets", {}).items():
        v = overall.get(key)
        ok = v is not None and (v <= goal if key.startswith("false_") else v >= goal)
        checks.append((f"target {key} {'<=' if key.startswith('false_') else '>='} {goal} (reported, not enforced)", ok, f"measured {v}"))
    return checks


def main(args: argparse.Namespace | None = None) -> int:
    """Runs the evals; returns 0 when every enforced threshold holds."""
    if args is None:
        from evals.command import add_arguments

        parser = argparse.ArgumentParser(prog="python -m evals.run", description="Runs the grounding evals (as `qa eval`).")
        add_arguments(parser)
        args = parser.parse_args()
    if args.previous and not Path(args.previous).is_file():  # say so now, not after the whole run
        print(f"qa eval: --previous {args.previous}: no such file (give a result.json of an earlier run)", file=sys.stderr)
        return 2
    from qa import Settings, get_engine, go_offline

    go_offline()
    out = Path(args.out)
    overrides = {"llm": args.llm} if args.llm else {}
    if args.suite == "squad":
        from evals import squad

        split = args.split if args.split != "dev" else "test"
        corpus = out / "squad-corpus"
        items = squad.build(split, corpus)
        scratch = Path(tempfile.mkdtemp(prefix="qa-squad-index-"))
        atexit.register(shutil.rmtree, scratch, True)
        settings = Settings(index_dir=scratch, seeds_dir=corpus, **overrides)
        peer_names: tuple[str, ...] = ("bm25-sentence",)
    else:
        settings = Settings(**overrides)
        split = args.split
        items = load_items(settings.seeds_dir, split=None if split == "all" else split)
        peer_names = ("llamaindex-citation", "bm25-sentence")
    engine = get_engine(settings)
    texts = {p.stem: p.read_bytes().decode("utf-8") for p in sorted(settings.seeds_dir.glob("*.txt"))}

    engine.answer("warm-up question")  # index and load models before timing
    systems: dict[str, list[Scored]] = {
        "project": _run_system("project", engine.answer, lambda q: engine.passages(q, k=10), items)
    }
    if not args.no_peers:
        from evals.peers import build_peers

        for peer in build_peers(settings.seeds_dir, peer_names):
            peer.answer("warm-up question")
            systems[peer.name] = _run_system(peer.name, peer.answer, peer.ranked, items)

    result: dict[str, Any] = {
        "suite": args.suite,
        "split": split,
        "llm": settings.llm,
        "n_items": len(items),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or ''} {__import__('os').cpu_count()} cores, Python {platform.python_version()}".strip(),
        "systems": {
            name: {"summary": summarise(rs, texts), "items": [r.to_dict() for r in rs]} for name, rs in systems.items()
        },
    }
    if args.suite == "squad" and split == "test" and LEGACY_FILE.is_file():
        result["legacy"] = json.loads(LEGACY_FILE.read_text())
    thresholds = tomllib.loads(Path(args.thresholds or THRESHOLDS_FILE).read_text()).get(args.suite, {})
    checks = check(result, thresholds)
    result["checks"] = [{"name": n, "passed": ok, "detail": d} for n, ok, d in checks]

    out.mkdir(parents=True, exist_ok=True)
    previous = json.loads(Path(args.previous).read_text()) if args.previous else None
    (out / "result.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    chart(result, out / "chart.png")
    (out / "report.md").write_text(markdown(result, checks, previous))

    print(table([(name, s["summary"]["overall"]) for name, s in result["systems"].items()]))
    print()
    print(table(per_kind_rows(result["systems"]["project"]["summary"])))
    print()
    print("\n".join(peer_lines(result)))
    if previous is not None:
        print(changed_questions(result, previous)[0])
    print()
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    print(f"\nwrote {out / 'result.json'}, {out / 'report.md'}, {out / 'chart.png'}")
    enforced = [ok for name, ok, _ in checks if "not enforced" not in name]
    return 0 if all(enforced) else 1


if __name__ == "__main__":
    sys.exit(main())
