"""Benchmark of the answering core on this machine: prints figures, asserts nothing.

    python benchmarks/answer_latency.py [--llm embedded] [--rounds 1]

Measures: indexing the seeds (fresh store, embedder loaded; and a whole `qa index` process),
warm `answer()` latency over every eval question, and a cold `qa ask` in a new process with
the caches already built.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(xs: list[float], p: float) -> float:
    ys = sorted(xs)
    return ys[min(len(ys) - 1, int(round(p * (len(ys) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--llm", default="embedded")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()

    from evals.dataset import load_items
    from index.build import build_index
    from index.embed import get_embedder
    from qa.engine import Engine
    from qa.settings import Settings, go_offline

    go_offline()
    tmp = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    settings = Settings(index_dir=tmp / "index", llm=args.llm)
    embedder = get_embedder(settings.embedder)
    t0 = time.perf_counter()
    report = build_index(settings.store_config(), embedder, [settings.seeds_dir])
    index_warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    build_index(settings.store_config(), embedder, [settings.seeds_dir])
    reindex = time.perf_counter() - t0

    env = dict(os.environ, QA_INDEX_DIR=str(tmp / "index2"), QA_LLM=args.llm)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qa.cli", "index", "--quiet"], env=env, check=True, capture_output=True)
    index_cold = time.perf_counter() - t0

    engine = Engine(settings)
    engine.answer("warm-up: how old is the mosque?")
    items = load_items(settings.seeds_dir)
    times = []
    modes: dict[str, int] = {}
    for _ in range(args.rounds):
        for it in items:
            t0 = time.perf_counter()
            a = engine.answer(it.question)
            times.append(time.perf_counter() - t0)
            modes[a.mode] = modes.get(a.mode, 0) + 1

    env = dict(os.environ, QA_INDEX_DIR=str(tmp / "index"), QA_LLM=args.llm)
    cold = []
    for q in ["How old is the Grand al-Nuri Mosque?", "How many civilians remain in the battlefield?", "Who commanded ISIS in Mosul?"]:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "qa.cli", "ask", q], env=env, check=True, capture_output=True)
        cold.append(time.perf_counter() - t0)

    print(f"machine: {os.cpu_count()} cores; LLM backend: {args.llm}")
    print(f"index seeds (fresh store, embedder loaded): {index_warm:.2f} s, {report.units} units")
    print(f"re-index unchanged seeds: {reindex:.2f} s")
    print(f"`qa index` whole process (fresh store, model load included): {index_cold:.2f} s")
    print(
        f"warm answer(): n={len(times)} median {statistics.median(times):.3f} s, p95 {pct(times, 0.95):.3f} s, "
        f"max {max(times):.3f} s; modes {modes}"
    )
    print(f"cold `qa ask` (new process, caches built): {', '.join(f'{c:.2f}' for c in cold)} s; median {statistics.median(cold):.2f} s")


if __name__ == "__main__":
    main()
