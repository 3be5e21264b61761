"""Fitting the answer threshold end to end: the figure a new reader is kept by and the threshold it reads with."""

from __future__ import annotations

import json
import math
from pathlib import Path

from evals.dataset import Item
from qa.decide import Calibration, Reading, decide
from reader.calibrate import first_span_right, fit_answer, fit_answer_and_widen, fit_reliability, fit_side, fit_widen


def _item(n: int, answer: str | None) -> Item:
    kind = "fact" if answer else "unanswerable"
    return Item(f"q{n}", "dev", kind, f"question {n}?", ((answer,),) if answer else (), ("d",), ())


def _read(text: str, margin: float) -> list[Reading]:
    return [Reading("d", 0, len(text), text, margin)]


def test_the_best_threshold_answers_the_answerable_and_refuses_the_rest() -> None:
    # answerable, read right with margins 6 and 5; unanswerable, the reader's best spans score 2 and 1
    data = [(_item(1, "1921"), _read("1921", 6.0)), (_item(2, "Anna Kowal"), _read("Anna Kowal", 5.0)),
            (_item(3, None), _read("the bridge", 2.0)), (_item(4, None), _read("120 metres", 1.0))]
    score, t = fit_answer({"one": data})
    assert score == 1.0 and 2.0 < t <= 5.0


def test_a_threshold_over_the_false_abstention_cap_is_never_chosen() -> None:
    # the unanswerable question scores higher than the answerable one: refusing it refuses every answerable one
    data = [(_item(1, "1921"), _read("1921", 1.0)), (_item(2, None), _read("the bridge", 4.0))]
    score, t = fit_answer({"one": data})
    assert score == 0.5 and t <= 1.0
    wrong = [(_item(1, "1921"), _read("1898", 3.0))]
    assert fit_answer({"one": data, "two": wrong})[0] == 0.25
    assert math.isnan(fit_answer({"one": [(_item(1, "1921"), [])]})[1])


def _wide(text: str, margin: float, wider: str, wider_margin: float) -> list[Reading]:
    i = wider.index(text)
    return [Reading("d", i, i + len(text), text, margin, (Reading("d", 0, len(wider), wider, wider_margin),))]


def test_widening_is_fitted_to_hold_the_gold_answer_and_not_to_add_words_it_lacks() -> None:
    # the reader is unsure whether "until" belongs to the answer, and the gold says it does
    holds = [(_item(1, "until 1796"), _wide("1796", 6.0, "until 1796", 5.0))]
    assert 1.0 <= fit_widen({"one": holds}, answer=3.0) <= 2.0
    # the same doubt where the gold is the narrow span: widening loses token F1 and gains nothing
    narrow = [(_item(1, "1796"), _wide("1796", 6.0, "in 1796 and", 5.0))]
    assert fit_widen({"one": narrow}, answer=3.0) == 0.0


def test_answer_and_widening_are_fitted_each_at_the_other() -> None:
    # ten answerable questions read right; one whose gold is the wider span; one unanswerable question
    data = [(_item(n, "1921"), _read("1921", 6.0)) for n in range(10)]
    data += [(_item(10, "until 1796"), _wide("1796", 2.0, "until 1796", 1.5)), (_item(11, None), _read("the bridge", 1.0))]
    answer, widen = fit_answer_and_widen({"one": data})
    assert widen >= 0.5  # the wider span is the answer, so it is read
    assert fit_answer({"one": data}, widen)[1] == answer and fit_widen({"one": data}, answer) == widen
    # widened, the question is answered right: a threshold refusing it no longer scores as high
    assert fit_answer({"one": data}, widen)[0] > fit_answer({"one": data}, 0.0)[0]
    assert 1.0 < answer <= 2.0


def test_reliability_is_the_share_right_in_equal_groups_of_answers_ranked_by_margin() -> None:
    # six answered questions: the three lowest margins right once, the three highest right twice; one refused
    data = [(_item(1, "1921"), _read("1898", 2.0)), (_item(2, None), _read("the bridge", 2.5)), (_item(3, "1921"), _read("1921", 3.0)),
            (_item(4, "1921"), _read("1921", 6.0)), (_item(5, None), _read("120 metres", 7.0)), (_item(6, "Anna"), _read("Anna", 9.0)),
            (_item(7, "1921"), _read("1921", 0.5))]
    cal = Calibration(answer=1.5, side=1e9)
    assert fit_reliability({"one": data[:3], "two": data[3:]}, cal, bins=2) == ((1.5, 0.333), (6.0, 0.667))
    assert Calibration(reliability=((1.5, 0.333), (6.0, 0.667))).reliability_at(5.9) == 0.333
    assert Calibration(reliability=((1.5, 0.333), (6.0, 0.667))).reliability_at(1.0) is None


def test_the_stored_reliability_loads_as_pairs_and_an_older_file_without_it_loads(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"answer": 2.0, "side": 3.0, "widen": 0.5, "reliability": [[2.0, 0.25], [7.5, 0.8]], "fitted_on": "t"}))
    cal = Calibration.load(path)
    assert cal.reliability == ((2.0, 0.25), (7.5, 0.8)) and cal.reliability_at(8.0) == 0.8
    path.write_text(json.dumps({"answer": 2.0, "side": 3.0, "widen": 0.5, "fitted_on": "t"}))
    assert Calibration.load(path).reliability == () and Calibration.load(path).reliability_at(9.0) is None


def test_the_first_span_is_right_when_it_holds_a_gold_answer_whatever_its_margin() -> None:
    data = [(_item(1, "until 1796"), _wide("1796", 2.0, "until 1796", 1.5)), (_item(2, "1921"), _read("1921", -3.0)),
            (_item(3, "1921"), _read("1898", 9.0)), (_item(4, "1921"), []), (_item(5, None), _read("the bridge", 4.0))]
    assert first_span_right(data) == 0.25  # "1921" at margin -3 only; "1796" misses "until"; none read; the trap aside
    assert first_span_right(data, widen=0.5) == 0.5


def test_side_thresholds_show_the_labelled_conflicts_and_no_side_where_one_value_answers() -> None:
    def two(first: tuple[str, str, float], second: tuple[str, str, float]) -> list[Reading]:
        return [Reading(doc, 0, len(text), text, margin) for doc, text, margin in (first, second)]

    conflict = Item("c1", "dev", "conflict", "How old is the mosque?", (("850",), ("800",)), ("a", "b"), ())
    data = [
        (conflict, two(("a", "850 years", 9.0), ("b", "800 years", 6.0))),  # a labelled conflict: the second side scores 6
        (_item(2, "12,000"), two(("a", "12,000", 9.0), ("b", "3,500", 4.0))),  # one number answers; another document's scores 4
        (_item(3, "Ida Marsh"), two(("a", "Ida Marsh", 9.0), ("b", "Arno Belt", 7.0))),  # one name answers; another scores 7
        (_item(4, "Ida Marsh"), two(("a", "Ida Marsh", 9.0), ("b", "Marsh", 2.5))),  # an agreeing document
    ]
    side, side_text = fit_side({"one": data}, answer=2.0)
    assert 4.0 < side <= 6.0  # the conflict is shown, the false side of the number is not
    assert side_text > 7.0  # no phrase conflict is labelled: the false side of the name is not shown either
    cal = Calibration(answer=2.0, side=side, side_text=side_text)
    assert [len(decide(rs, cal).sides) for _, rs in data] == [2, 1, 1, 1]
