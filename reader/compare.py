"""Judge a new reader as the product uses it, before any test run: end to end on all the calibration data.

    python -m reader.compare NEW_MODEL_DIR [--baseline reader/model]

(`python -m reader.export NEW_MODEL_DIR` writes the int8 graph of the weights in that folder.)

Each reader (a folder holding the int8 graph, tokenizer and training.json, as reader/model/) answers every
question of the SQuAD calibration articles (indexed together, open retrieval, as the squad suite) and every
Mosul dev question, with the same retrieval. Each is scored, at every answer threshold of `reader.calibrate`'s
grid, by the share of answerable questions answered right, the share of unanswerable ones refused and the
false abstentions, and summed up by `reader.calibrate`'s figure: the best mean balanced accuracy of the two
corpora with false abstentions under its cap in each (spans as read, not widened: `make calibrate` fits
each reader's widening); and how often each corpus's best span holds a gold answer (as read, and widened
as the shipped calibration widens), which bounds the accuracy any threshold can reach. A new reader is
kept only when that figure does not fall (reader/MODEL_CARD.md). All the questions are read (about
2,500, as `make calibrate` reads them): reading a paragraph better alone has not meant answering better
end to end.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from qa.decide import Calibration
from qa.read import MODEL_DIR, ExtractiveReader
from reader.calibrate import GRID, balanced, first_span_right, fit_answer, read_all


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("new", type=Path, help="the new reader's folder")
    ap.add_argument("--baseline", type=Path, default=MODEL_DIR, help="the reader it is compared with (default: the shipped one)")
    args = ap.parse_args()
    scratch, widen = Path(tempfile.mkdtemp(prefix="qa-compare-")), Calibration.load().widen
    try:
        for name, folder in (("baseline", args.baseline), ("new", args.new)):
            data = read_all(ExtractiveReader(folder), scratch)
            score, t = fit_answer(data)
            print(f"{name} ({folder}): best mean balanced accuracy {score:.3f} at answer threshold {t:.2f}")
            for corpus, rows in data.items():
                curve = []
                for x in GRID[40:73:4]:  # thresholds 0, 1, ..., 8
                    b, fa = balanced(rows, Calibration(answer=x, side=1e9))
                    curve.append(f"{x:g}: bal {b:.3f} fa {fa:.3f}")
                print(f"  {corpus} ({len(rows)} q.): " + "; ".join(curve))
                print(f"  {corpus}: the best span holds a gold answer for {first_span_right(rows):.3f} of the answerable questions"
                      f" ({first_span_right(rows, widen):.3f} widened by {widen:g})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
