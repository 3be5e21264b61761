"""Paired comparison of two runs: which questions changed, and whether the change could be luck."""

from __future__ import annotations

import math

import pytest

from evals.compare import paired, sign_test, verdict, wilson
from evals.report import changed_questions, markdown


def _items(outcomes: dict[str, bool], traps: dict[str, bool] | None = None) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [{"id": i, "kind": "fact", "question": f"question {i}?", "correct": ok} for i, ok in outcomes.items()]
    rows += [{"id": i, "kind": "unanswerable", "question": f"trap {i}?", "correct": ok} for i, ok in (traps or {}).items()]
    return rows


def test_the_interval_narrows_with_more_questions_and_stays_within_0_and_1() -> None:
    lo, hi = wilson(30, 37)
    assert lo < 30 / 37 < hi
    assert (round(lo, 3), round(hi, 3)) == (0.658, 0.905)  # scipy.stats.binomtest(30, 37).proportion_ci("wilson")
    wide, narrow = wilson(8, 10), wilson(80, 100)
    assert narrow[1] - narrow[0] < wide[1] - wide[0]
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == pytest.approx(1.0)


def test_the_sign_test_is_exact_and_two_sided() -> None:
    assert sign_test(0, 0) == 1.0
    assert sign_test(3, 3) == 1.0
    assert sign_test(5, 0) == pytest.approx(2 / 32)
    assert sign_test(0, 5) == sign_test(5, 0)
    assert sign_test(10, 2) == pytest.approx(2 * sum(math.comb(12, i) for i in range(3)) / 2**12)


def test_only_answerable_questions_both_runs_asked_are_paired() -> None:
    now = _items({"a": True, "b": True, "c": False, "d": True}, traps={"t": False})
    before = _items({"a": True, "b": False, "c": True, "e": True}, traps={"t": True})
    pair = paired(now, before)
    assert (pair.n, pair.both, pair.only_a, pair.only_b) == (3, 1, 1, 1)  # d and e are in one run only; t is a trap
    assert pair.ids_a == ("b",) and pair.ids_b == ("c",)
    assert "level" in verdict(pair, "now", "before")


def test_a_lopsided_split_is_called_unlikely_luck_and_a_small_one_is_not() -> None:
    now = _items({str(i): True for i in range(12)})
    before = _items({str(i): i < 2 for i in range(12)})
    assert "unlikely to be luck" in verdict(paired(now, before), "now", "before")
    assert "could well be luck" in verdict(paired(now[:4], before[:4]), "now", "before")
    assert verdict(paired(before, now), "x", "y").startswith("y is right on 10")


def test_the_report_names_the_questions_that_turned_right_or_wrong() -> None:
    def result(outcomes: dict[str, bool]) -> dict[str, object]:
        items = _items(outcomes)
        summary = {"overall": {"accuracy": sum(outcomes.values()) / len(outcomes)}, "per_kind": {}}
        return {
            "split": "test", "n_items": len(items), "llm": "none", "started": "now", "machine": "here",
            "systems": {"project": {"summary": summary, "items": items}, "bm25": {"summary": summary, "items": _items({"a": True, "b": True, "c": True})}},
        }

    now, before = result({"a": True, "b": True, "c": False}), result({"a": True, "b": False, "c": True})
    lines = changed_questions(now, before)
    assert "- Now right: b question b?" in lines and "- Now wrong: c question c?" in lines
    report = markdown(now, [], before)  # type: ignore[arg-type]
    assert "Now right: b" in report and "accuracy 2/3" in report
    assert "bm25 is right on 1 question(s) project misses" in report


def test_the_report_gives_abstention_recall_with_its_interval_where_questions_have_no_answer() -> None:
    from evals.report import accuracy_line

    line = accuracy_line("project", _items({"a": True, "b": False}, traps={f"t{i}": i < 5 for i in range(8)}))
    assert line == "project: accuracy 1/2 = 0.500 (95% interval 0.09-0.91); abstention recall 5/8 = 0.625 (95% interval 0.31-0.86)"
    assert "abstention" not in accuracy_line("project", _items({"a": True}))
    assert accuracy_line("p", _items({}, traps={"t": True})).startswith("p: no answerable question; abstention recall 1/1")
