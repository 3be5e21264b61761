"""The SQuAD suite: held-out SQuAD 2.0 articles, indexed together as one corpus, open retrieval.

The article split is `reader/split.json` (by article; the reader never trained on the test or the
calibration articles). Each article becomes one document (its title, then its paragraphs); each
question an `Item` whose evidence is its gold answer's place in that document. A fixed sample of
`PER_ARTICLE` questions per article (seeded) keeps a run to minutes; unanswerable questions keep
their SQuAD 2.0 share.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

from evals.dataset import Item, Span

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout: the reader's split lives beside qa/
SQUAD2 = PROJECT_ROOT.parent / "shared" / "data" / "squad" / "dev-v2.0-open.json.gz"
SPLIT_FILE = PROJECT_ROOT / "reader" / "split.json"
PER_ARTICLE = 40
SEED = 7


def _articles(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)["data"]


def slug(title: str) -> str:
    """Returns the document id of an article: its title in lower case, runs of other characters as '-'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def article_titles(part: str) -> list[str]:
    """Returns the titles of one part of the split ("test", "calibration" or "train")."""
    split = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    if part not in ("test", "calibration", "train"):
        raise ValueError(f"unknown SQuAD split {part!r}; choose test or calibration")
    return list(split[part])


def build(part: str, folder: Path, per_article: int = PER_ARTICLE) -> list[Item]:
    """Writes the part's articles as .txt files into `folder` and returns their sampled questions."""
    if not SQUAD2.is_file():
        raise FileNotFoundError(f"{SQUAD2} is missing: the SQuAD suite needs ../shared/data/squad beside the project")
    wanted = set(article_titles(part))
    folder.mkdir(parents=True, exist_ok=True)
    items: list[Item] = []
    rng = random.Random(SEED)
    for article in _articles(SQUAD2):
        if article["title"] not in wanted:
            continue
        doc_id = slug(article["title"])
        text = article["title"].replace("_", " ")
        found: list[Item] = []
        for p in article["paragraphs"]:
            text += "\n\n"
            offset = len(text)
            text += p["context"]
            for qa in p["qas"]:
                if qa.get("is_impossible") or not qa["answers"]:
                    found.append(Item(qa["id"], part, "unanswerable", qa["question"], (), (), ()))
                    continue
                a = qa["answers"][0]
                start = offset + a["answer_start"]
                span = Span(doc_id, start, start + len(a["text"]), a["text"])
                forms = tuple(dict.fromkeys(x["text"] for x in qa["answers"]))
                found.append(Item(qa["id"], part, "squad", qa["question"], (forms,), (doc_id,), (span,)))
        (folder / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
        items.extend(rng.sample(found, min(per_article, len(found))))
    for it in items:  # the gold spans are verbatim by construction; check it anyway
        for s in it.evidence:
            body = (folder / f"{s.doc_id}.txt").read_text(encoding="utf-8")
            assert body[s.start : s.end] == s.text, it.id
    return items
