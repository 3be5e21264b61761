"""Score the rule-based engine that the reader replaced, once, on the SQuAD suite's test articles.

    python -m evals.legacy [--commit 80ca8a7]     # writes evals/legacy_squad.json

The engine of `--commit` (the last one before the reader) is unpacked from git into a scratch
folder and asked every question of the suite in its own process (`llm="none"`: its extractive
answer; its embedded model's answer was accepted about 2 times in 100). Its answers are scored by
this commit's metrics; the summary is committed and shown beside the project in the squad report.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from evals import squad
from evals.metrics import Scored, summarise
from evals.squad import PROJECT_ROOT
from qa import Answer, Quote

LEGACY_FILE = Path(__file__).with_name("legacy_squad.json")
COMMIT = "80ca8a7"
_ASK = """
import json, sys, time
from pathlib import Path
from qa.engine import Engine
from qa.settings import Settings
corpus, index, questions = Path(sys.argv[1]), Path(sys.argv[2]), json.load(open(sys.argv[3]))
engine = Engine(Settings(index_dir=index, seeds_dir=corpus, llm="none"))
engine.answer("warm-up question")
out = []
for q in questions:
    t = time.perf_counter()
    a = engine.answer(q)
    out.append({"answer": a.to_dict(), "seconds": time.perf_counter() - t})
json.dump(out, open(sys.argv[4], "w"))
"""


def _answer(d: dict) -> Answer:
    quote = lambda q: Quote(q["doc_id"], q["title"], q["start"], q["end"], q["text"])  # noqa: E731
    return Answer(d["question"], d["text"], tuple(quote(q) for q in d["quotes"]), d["abstained"],
                  nearest=tuple(quote(q) for q in d.get("nearest", [])))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--commit", default=COMMIT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="qa-legacy-") as tmp:
        root = Path(tmp)
        items = squad.build("test", root / "corpus")
        archive = subprocess.run(["git", "archive", args.commit], cwd=PROJECT_ROOT, check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(root / "legacy", filter="data")
        (root / "questions.json").write_text(json.dumps([it.question for it in items]))
        env = os.environ | {"PYTHONPATH": str(root / "legacy")}
        subprocess.run([sys.executable, "-c", _ASK, str(root / "corpus"), str(root / "index"), str(root / "questions.json"), str(root / "answers.json")],
                       cwd=root / "legacy", env=env, check=True)
        answers = json.loads((root / "answers.json").read_text())
        texts = {p.stem: p.read_text(encoding="utf-8") for p in (root / "corpus").glob("*.txt")}
        scored = [Scored(it, _answer(a["answer"]), a["seconds"]) for it, a in zip(items, answers, strict=True)]
        overall = summarise(scored, texts)["overall"]
    LEGACY_FILE.write_text(json.dumps({"commit": args.commit, "llm": "none", "n_items": len(items), "overall": overall}, indent=1) + "\n")
    print(json.dumps(overall, indent=1))


if __name__ == "__main__":
    main()
