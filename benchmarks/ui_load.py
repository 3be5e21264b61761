"""Load on the web UI: 16 concurrent clients, 5 questions each, against one running app.

    python benchmarks/ui_load.py [--clients 16] [--per-client 5] [--llm none|embedded] [--url URL]

Starts the app on a free 127.0.0.1 port unless --url is given. Every answer is checked
against the same question answered in-process: none lost, none mixed up. Prints latency
p50/p95; asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=5)
    parser.add_argument("--llm", default="embedded")
    parser.add_argument("--url", default=None)
    args = parser.parse_args()

    from gradio_client import Client

    from evals.dataset import load_items
    from qa.engine import Engine
    from qa.settings import Settings, go_offline
    from ui.app import serve

    go_offline()
    settings = Settings(index_dir=Path(tempfile.mkdtemp(prefix="qa-load-")) / "index", llm=args.llm)
    engine = Engine(settings)
    questions = [it.question for it in load_items(settings.seeds_dir)][: args.clients * args.per_client]
    expected = {q: engine.answer(q).to_dict() for q in questions}
    url = args.url
    demo = None
    if url is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        demo = serve(settings, port=port, block=False)
        url = f"http://127.0.0.1:{port}/"

    latencies: list[float] = []
    problems: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        c = Client(url, analytics_enabled=False, verbose=False)
        for q in questions[i * args.per_client : (i + 1) * args.per_client]:
            t0 = time.perf_counter()
            try:
                got = c.predict(q, args.llm, settings.top_k, api_name="/answer")
            except Exception as exc:
                with lock:
                    problems.append(f"client {i}: {q!r} lost: {exc}")
                continue
            dt = time.perf_counter() - t0
            want = expected[q]
            with lock:
                latencies.append(dt)
                if got.get("question") != q or got.get("quotes") != want["quotes"] or got.get("text") != want["text"]:
                    problems.append(f"client {i}: answer to {q!r} does not match its own question")

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if demo is not None:
        demo.close()

    ys = sorted(latencies)
    p95 = ys[min(len(ys) - 1, int(round(0.95 * (len(ys) - 1))))] if ys else float("nan")
    print(f"{args.clients} clients x {args.per_client} questions, LLM backend {args.llm}: "
          f"{len(latencies)}/{len(questions)} answered, {len(problems)} problems, wall {wall:.1f} s")
    if ys:
        print(f"latency per request: p50 {statistics.median(ys):.2f} s, p95 {p95:.2f} s, max {ys[-1]:.2f} s; "
              f"throughput {len(ys) / wall:.1f} answers/s")
    for p in problems[:20]:
        print("PROBLEM", p)
    return 1 if problems or len(latencies) != len(questions) else 0


if __name__ == "__main__":
    sys.exit(main())
