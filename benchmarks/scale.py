"""Scale benchmark: index and answer over synthetic corpora of growing size; prints figures
and writes them to benchmarks/results.md. Asserts nothing about speed.

    python benchmarks/scale.py --sizes 5 1000 10000      # the full run (10,000 takes hours)
    python benchmarks/scale.py --sizes 5 40 --smoke      # what CI runs: a small smoke test

Each size runs in its own process, so peak memory is that size's own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results.md"
NOTES = "<!-- notes: kept when the table is rewritten -->"
ROWS = ROOT / "benchmarks" / "results.json"  # every size's latest figures; a run replaces the sizes it measured


def peak_mb() -> float:
    """Returns this process's peak resident memory in MB: VmHWM, which starts afresh at exec. (ru_maxrss does
    not: a process started by a large one reports at least the parent's size at the fork, which is how
    the new-process column once read 1,843 MB at 10,000 articles.)"""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pct(xs: list[float], p: float) -> float:
    ys = sorted(xs)
    return ys[min(len(ys) - 1, int(round(p * (len(ys) - 1))))] if ys else float("nan")


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_one(size: int, questions: int, llm: str, embedder: str) -> dict:
    """Measures one corpus size in this process; returns the figures."""
    from benchmarks.synth import write
    from index.build import build_index
    from index.embed import get_embedder
    from qa.engine import Engine
    from qa.settings import Settings, go_offline

    go_offline()
    tmp = Path(tempfile.mkdtemp(prefix=f"qa-scale-{size}-"))
    try:
        facts = write(tmp / "corpus", size, seed=11)
        settings = Settings(index_dir=tmp / "index", seeds_dir=tmp / "corpus" / "articles", llm=llm, embedder=embedder)
        emb = get_embedder(embedder)
        emb.embed(["warm up"])
        t0 = time.perf_counter()
        report = build_index(settings.store_config(), emb, [settings.seeds_dir], progress=True)
        index_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        build_index(settings.store_config(), emb, [settings.seeds_dir])
        reindex_s = time.perf_counter() - t0
        disk = _du(tmp / "index")
        cold = _cold_start(settings, facts[0].question)  # as after `qa index`: before this process opens an engine

        t0 = time.perf_counter()
        engine = Engine(settings)
        _ = engine.corpus
        load_s = time.perf_counter() - t0
        engine.answer("How old is the bridge?")
        sample = facts[:: max(1, len(facts) // questions)][:questions]
        retrieval, full, right = [], [], 0
        for f in sample:
            t0 = time.perf_counter()
            engine.passages(f.question, k=10)
            retrieval.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            a = engine.answer(f.question)
            full.append(time.perf_counter() - t0)
            right += (not a.abstained) and f.answer in a.text and any(q.doc_id == f.doc_id for q in a.quotes)
        return {
            "articles": size,
            "units": report.units,
            "index_s": index_s,
            "units_per_s": report.units / index_s if index_s else 0.0,
            "reindex_s": reindex_s,
            "disk_mb": disk / 1e6,
            "engine_load_s": load_s,
            "retrieval_p50": statistics.median(retrieval),
            "retrieval_p95": _pct(retrieval, 0.95),
            "answer_p50": statistics.median(full),
            "answer_p95": _pct(full, 0.95),
            "planted_accuracy": right / len(sample),
            "questions": len(sample),
            "peak_rss_mb": peak_mb(),
            **cold,
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


COLD = """
import json, sys, time
t0 = time.perf_counter()
from benchmarks.scale import peak_mb
from qa.engine import Engine
from qa.settings import Settings
engine = Engine(Settings(index_dir=sys.argv[1], seeds_dir=sys.argv[2], llm="none"))
engine.reader.warm_up()
t1 = time.perf_counter()
engine.answer(sys.argv[3])
t2 = time.perf_counter()
print(json.dumps({"cold_models_s": t1 - t0, "cold_first_answer_s": t2 - t1,
                  "cold_peak_rss_mb": peak_mb()}))
"""


def _cold_start(settings, question: str) -> dict:  # type: ignore[no-untyped-def]
    """A new answering process over the built index: seconds to load the models, then to answer its
    first question (reading the corpus included), and its peak memory."""
    out = subprocess.run([sys.executable, "-c", COLD, str(settings.index_dir), str(settings.seeds_dir), question],
                         capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def render(rows: list[dict]) -> str:
    """Returns the Markdown table of the rows, and how query cost grows from 1,000 to 10,000 articles."""
    head = ("| articles | units | index s | units/s | re-index s | disk MB | load s | retrieval p50/p95 s | "
            "answer p50/p95 s | planted facts right | peak RSS MB | new process: models s / first answer s / peak MB | measured |")
    lines = [head, "|" + "---|" * 13]
    for r in rows:
        lines.append(
            f"| {r['articles']} | {r['units']} | {r['index_s']:.1f} | {r['units_per_s']:.0f} | {r['reindex_s']:.2f} | "
            f"{r['disk_mb']:.1f} | {r['engine_load_s']:.1f} | {r['retrieval_p50']:.3f} / {r['retrieval_p95']:.3f} | "
            f"{r['answer_p50']:.3f} / {r['answer_p95']:.3f} | {r['planted_accuracy']:.2f} ({r['questions']}) | "
            f"{r['peak_rss_mb']:.0f} | {_cold_cell(r)} | {r.get('run', 'this run')} |"
        )
    by = {r["articles"]: r for r in rows}
    if 1000 in by and 10000 in by:
        a, b = by[1000], by[10000]
        lines.append(
            f"\nQuery cost from 1,000 to 10,000 articles: answer p50 x{b['answer_p50'] / a['answer_p50']:.2f}, "
            f"retrieval p50 x{b['retrieval_p50'] / a['retrieval_p50']:.2f} (goal: at most x2)."
        )
    return "\n".join(lines)


def _cold_cell(r: dict) -> str:
    if "cold_models_s" not in r:
        return "not measured"
    return f"{r['cold_models_s']:.1f} / {r['cold_first_answer_s']:.1f} / {r['cold_peak_rss_mb']:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 1000])
    parser.add_argument("--questions", type=int, default=40, help="planted questions asked per size")
    parser.add_argument("--llm", default="embedded")
    parser.add_argument("--embedder", default="minilm")
    parser.add_argument("--smoke", action="store_true", help="small CI run: print, do not write results.md")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print("RESULT " + json.dumps(run_one(args.one, args.questions, args.llm, args.embedder)))
        return 0

    rows = []
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(size), "--questions", str(args.questions),
               "--llm", args.llm, "--embedder", args.embedder]
        out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")]
        if out.returncode != 0 or not line:
            print(out.stderr[-3000:], file=sys.stderr)
            return 1
        row = json.loads(line[0][7:])
        rows.append(row)
        print(json.dumps(row))

    if args.smoke:
        print(render(rows))
        return 0
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    stored = {r["articles"]: r for r in (json.loads(ROWS.read_text()) if ROWS.exists() else [])}
    for r in rows:
        stored[r["articles"]] = {**r, "run": f"{time.strftime('%Y-%m-%d')}, LLM {args.llm}, embedder {args.embedder}"}
    ordered = [stored[k] for k in sorted(stored)]
    ROWS.write_text(json.dumps(ordered, indent=1) + "\n")
    table = render(ordered)
    print(table)
    old = RESULTS.read_text() if RESULTS.exists() else ""
    notes = old[old.index(NOTES) :] if NOTES in old else f"{NOTES}\n"  # hand-written notes survive a re-run
    RESULTS.write_text(
        f"# Scale benchmark\n\nMachine: {machine}. Written by `python benchmarks/scale.py --sizes ...`; each size runs "
        f"in its own process on a synthetic corpus (benchmarks/synth.py, seed 11) and a re-run replaces only the sizes "
        f"it measured (raw figures: benchmarks/results.json).\n\n{table}\n\n{notes}"
    )
    print(f"wrote {RESULTS} and {ROWS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
