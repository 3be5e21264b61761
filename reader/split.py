"""The one split of the SQuAD 2.0 development articles: test / calibration / train, by article.

Run once; the result is committed as split.json and never changed. Test articles are never
trained on, calibrated on or looked at; calibration articles fit the reader's thresholds only.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "squad"
SQUAD2 = DATA / "dev-v2.0-open.json.gz"
SPLIT = HERE / "split.json"
N_TEST, N_CALIBRATION, SEED = 8, 4, 20261204


def _articles(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)["data"]


def main() -> None:
    titles = sorted(a["title"] for a in _articles(SQUAD2))
    random.Random(SEED).shuffle(titles)
    split = {
        "seed": SEED,
        "source": "dev-v2.0-open.json.gz",
        "test": sorted(titles[:N_TEST]),
        "calibration": sorted(titles[N_TEST : N_TEST + N_CALIBRATION]),
        "train": sorted(titles[N_TEST + N_CALIBRATION :]),
    }
    SPLIT.write_text(json.dumps(split, indent=2) + "\n", encoding="utf-8")
    print({k: len(v) for k, v in split.items() if isinstance(v, list)})


if __name__ == "__main__":
    main()
