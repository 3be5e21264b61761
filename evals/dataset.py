"""The hand-labelled eval questions: loading and validating `evals/questions.jsonl`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

QUESTIONS_FILE = Path(__file__).with_name("questions.jsonl")
KINDS = ("fact", "number", "date", "person", "place", "multi-source", "conflict", "unanswerable")
SPLITS = ("dev", "test")
# a dev question sharing this share of its content words with a test question that has an answer
# form in common repeats it: tuning on it would be tuning on the test question
REPEAT_OVERLAP = 0.6
_FORM_WORDS = frozenset(
    re.findall(r"\w+", "a an the of in on to by for from is was are were do does did what which who whom when where how many much according s")
)


@dataclass(frozen=True)
class Span:
    """A gold evidence span: verbatim text of a document and its offsets there."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Item:
    """One labelled question."""

    id: str
    split: str
    kind: str
    question: str
    answer: tuple[tuple[str, ...], ...]  # every group must match; any form within a group
    doc_ids: tuple[str, ...]
    evidence: tuple[Span, ...]

    @property
    def answerable(self) -> bool:
        """Returns False for questions no article answers."""
        return self.kind != "unanswerable"


class DatasetError(ValueError):
    """The questions file is malformed; the message names the item and the problem."""


def load_items(
    seeds_dir: Path, path: Path = QUESTIONS_FILE, split: str | None = None
) -> list[Item]:
    """Returns the validated items (of one split, or all).

    Raises DatasetError when an id repeats, a kind or split is unknown, a document is
    missing, an answerable item has no answer or evidence, evidence is not verbatim
    in its document (exactly once), or a dev question repeats a test question (`repeats`).
    """
    texts = {p.stem: p.read_bytes().decode("utf-8") for p in sorted(seeds_dir.glob("*.txt"))}
    items: list[Item] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        iid = raw.get("id", f"line {n}")
        where = f"{path.name}:{n} ({iid})"
        if iid in seen:
            raise DatasetError(f"{where}: duplicate id")
        seen.add(iid)
        if raw.get("kind") not in KINDS:
            raise DatasetError(f"{where}: unknown kind {raw.get('kind')!r}; known: {KINDS}")
        if raw.get("split") not in SPLITS:
            raise DatasetError(f"{where}: unknown split {raw.get('split')!r}")
        if not str(raw.get("question", "")).strip():
            raise DatasetError(f"{where}: empty question")
        answerable = raw["kind"] != "unanswerable"
        groups = tuple(tuple(g) for g in raw.get("answer", []))
        if answerable and (not groups or any(not g for g in groups)):
            raise DatasetError(f"{where}: an answerable item needs answer groups, none empty")
        if not answerable and (groups or raw.get("evidence")):
            raise DatasetError(f"{where}: an unanswerable item has no answer and no evidence")
        if raw["kind"] == "conflict" and len(groups) < 2:
            raise DatasetError(f"{where}: a conflict needs one answer group per side")
        spans = []
        for ev in raw.get("evidence", []):
            doc = texts.get(ev["doc_id"])
            if doc is None:
                raise DatasetError(f"{where}: unknown document {ev['doc_id']}")
            start = doc.find(ev["text"])
            if start < 0:
                raise DatasetError(f"{where}: evidence is not verbatim in {ev['doc_id']}: {ev['text'][:60]!r}")
            if doc.find(ev["text"], start + 1) >= 0:
                raise DatasetError(f"{where}: evidence occurs twice in {ev['doc_id']}; make it longer")
            spans.append(Span(ev["doc_id"], start, start + len(ev["text"]), ev["text"]))
        if answerable and not spans:
            raise DatasetError(f"{where}: an answerable item needs evidence")
        if sorted({s.doc_id for s in spans}) != sorted(raw.get("doc_ids", [])):
            raise DatasetError(f"{where}: doc_ids do not match the evidence documents")
        items.append(Item(iid, raw["split"], raw["kind"], raw["question"], groups, tuple(raw["doc_ids"]), tuple(spans)))
    if repeat := repeats(items):
        raise DatasetError(f"{path.name}: dev question {repeat[0]} repeats test question {repeat[1]}; ask it another way or drop it")
    return [item for item in items if split is None or item.split == split]


def _content_words(question: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", question.lower())) - _FORM_WORDS


def repeats(items: list[Item]) -> tuple[str, str] | None:
    """Returns the first (dev id, test id) pair where the dev question asks the test question again:
    an answer form in common and at least `REPEAT_OVERLAP` of their content words shared. None when
    the splits are apart."""
    def forms(item: Item) -> set[str]:
        return {f.lower() for g in item.answer for f in g}

    tests = [(t.id, forms(t), _content_words(t.question)) for t in items if t.split == "test" and t.answer]
    for d in items:
        if d.split != "dev" or not d.answer:
            continue
        own, words = forms(d), _content_words(d.question)
        for tid, other_forms, other in tests:
            if own & other_forms and len(words & other) >= REPEAT_OVERLAP * max(1, len(words | other)):
                return d.id, tid
    return None
