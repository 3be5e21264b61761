"""The project's keyword index (`index/keyword.py`) against the maintained bm25s library, over the same
terms: build, load, query time, and whether they score the same.

    pip install bm25s && python benchmarks/bm25cmp.py --articles 2000

Sentences of synthetic articles (`benchmarks/synth.py`), the questions their first words; both indexes
use Lucene's BM25 (k1 1.2, b 0.75), so the scores should differ only by bm25s leaving out the (k1 + 1)
factor. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import generate
from index.chunking import sentence_spans
from index.keyword import KeywordIndex, terms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--questions", type=int, default=200)
    args = ap.parse_args()
    import bm25s

    docs, _ = generate(args.articles, 11)
    # bm25s reads its input's type from the first text's tokens: a text without terms first breaks it
    texts = [s for _, text in docs for a, b in sentence_spans(text) if terms(s := text[a:b])]
    questions = [" ".join(t.split()[:8]) for t in texts[:: max(1, len(texts) // args.questions)]][: args.questions]
    t = time.perf_counter()
    ours = KeywordIndex(texts)
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    tokens = [terms(x) for x in texts]
    t_terms = time.perf_counter() - t
    t = time.perf_counter()
    theirs = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    theirs.index(tokens, show_progress=False)
    t_theirs = time.perf_counter() - t
    folder = Path(tempfile.mkdtemp())
    (folder / "ours").mkdir()
    ours.save(folder / "ours")
    theirs.save(folder / "theirs")
    t = time.perf_counter()
    ours = KeywordIndex.load(folder / "ours")
    load_ours = time.perf_counter() - t
    t = time.perf_counter()
    theirs = bm25s.BM25.load(folder / "theirs", mmap=True)
    load_theirs = time.perf_counter() - t
    t = time.perf_counter()
    a = [ours.search(q, 10) for q in questions]
    q_ours = (time.perf_counter() - t) / len(questions)
    t = time.perf_counter()
    b = []
    for q in questions:
        qt = sorted({w for w in terms(q) if w in theirs.vocab_dict})
        docs_, scores = theirs.retrieve([qt], k=10, show_progress=False) if qt else ([[]], [[]])
        b.append([(int(i), float(s)) for i, s in zip(docs_[0], scores[0], strict=True) if s > 0])
    q_theirs = (time.perf_counter() - t) / len(questions)
    same = np.mean([np.allclose([s for _, s in x], [s * 2.2 for _, s in y], rtol=1e-3) for x, y in zip(a, b, strict=True)])
    print(f"{len(texts)} sentences of {args.articles} articles, {len(questions)} questions")
    print(f"build: ours {t_ours:.2f} s (cutting and stemming words included); cutting and stemming alone {t_terms:.2f} s; bm25s {t_theirs:.2f} s more")
    print(f"load (memory-mapped): ours {load_ours * 1000:.1f} ms, bm25s {load_theirs * 1000:.1f} ms")
    print(f"query: ours {q_ours * 1000:.2f} ms, bm25s {q_theirs * 1000:.2f} ms")
    print(f"questions whose top-10 scores are the same (bm25s x (k1 + 1)): {same:.3f}")


if __name__ == "__main__":
    main()
