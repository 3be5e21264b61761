"""The labelled eval file validates, and its validator rejects broken items."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.dataset import QUESTIONS_FILE, DatasetError, load_items
from tests.conftest import SEEDS


def test_questions_file_is_valid_and_large_enough() -> None:
    items = load_items(SEEDS)
    assert len(items) >= 80
    per_doc = Counter(d for it in items for d in it.doc_ids)
    assert len(per_doc) == 5 and min(per_doc.values()) >= 10
    kinds = Counter(it.kind for it in items)
    assert kinds["unanswerable"] >= 12 and kinds["conflict"] >= 1
    assert {it.split for it in items} == {"dev", "test"}
    for it in items:
        text = (SEEDS / f"{it.evidence[0].doc_id}.txt").read_text() if it.evidence else ""
        for span in it.evidence:
            doc = (SEEDS / f"{span.doc_id}.txt").read_text()
            assert doc[span.start : span.end] == span.text
        assert text or not it.answerable


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    p = tmp_path / "q.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows))
    return p


def _good() -> dict:
    return json.loads(QUESTIONS_FILE.read_text().splitlines()[0])


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda r: r["evidence"][0].update(text="words that are not in the article"), "not verbatim"),
        (lambda r: r.update(kind="trivia"), "unknown kind"),
        (lambda r: r.update(split="train"), "unknown split"),
        (lambda r: r.update(answer=[]), "answer groups"),
        (lambda r: r.update(doc_ids=["004_31e91b36f84b13b4"]), "doc_ids"),
    ],
)
def test_validator_rejects_broken_items(tmp_path: Path, mutate, message: str) -> None:
    row = _good()
    mutate(row)
    with pytest.raises(DatasetError, match=message):
        load_items(SEEDS, _write(tmp_path, [row]))


def test_validator_rejects_duplicate_ids(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="duplicate id"):
        load_items(SEEDS, _write(tmp_path, [_good(), _good()]))


def test_validator_rejects_a_dev_question_that_repeats_a_test_question(tmp_path: Path) -> None:
    test = _good() | {"id": "t1", "split": "test"}
    reworded = test | {"id": "d1", "split": "dev", "question": test["question"].replace("How many", "How many in all,")}
    other_fact = reworded | {"answer": [["1,300"]]}  # same words, another answer: a different question
    load_items(SEEDS, _write(tmp_path, [test, other_fact]))
    with pytest.raises(DatasetError, match="dev question d1 repeats test question t1"):
        load_items(SEEDS, _write(tmp_path, [test, reworded]))
