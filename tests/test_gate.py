"""The answer gate's fit: a logistic score learnt from dev questions, cross-validated, and out-of-fold weights."""

from __future__ import annotations

import numpy as np

from evals.gate import fit_gate, fit_logistic, folds, out_of_fold, scores


def _rows(n: int, seed: int, signal: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.85).astype(float)  # few traps, as on dev
    x = rng.normal(size=(n, 3))
    x[:, 0] += signal * (2 * y - 1)  # the first feature tells answerable from traps by `signal`
    return x, y


def test_logistic_fit_learns_the_feature_that_separates_and_weighs_both_classes() -> None:
    x, y = _rows(400, 1, 2.0)
    w = fit_logistic(x, y)
    assert w[1] > 1.0 and w[1] > 3 * max(abs(w[2]), abs(w[3]))
    p = scores(w, x)
    assert p[y == 0].mean() < 0.3 < 0.7 < p[y == 1].mean()
    # classes are weighted equally: with a weak signal the rare traps still score under one half
    x, y = _rows(400, 1, 0.5)
    p = scores(fit_logistic(x, y), x)
    assert p[y == 0].mean() < 0.5 < p[y == 1].mean()


def test_cross_validation_shows_traps_refused_only_when_a_feature_tells_them_apart() -> None:
    x, y = _rows(200, 2, 2.5)
    fit = fit_gate(x.tolist(), (y == 1).tolist())
    assert fit.traps == int((y == 0).sum()) and fit.answerable == int(y.sum()) and len(fit.weights) == 4
    assert max(caught - lost for _, caught, lost in fit.table) > 0.5 * fit.traps
    x, y = _rows(200, 3, 0.0)
    noise = fit_gate(x.tolist(), (y == 1).tolist())
    assert max(caught - lost for _, caught, lost in noise.table) < 0.2 * noise.traps


def test_out_of_fold_weights_never_saw_their_row() -> None:
    x, y = _rows(100, 4, 1.0)
    own = out_of_fold(x.tolist(), (y == 1).tolist())
    assert len(own) == 100 and len(set(own)) == 5  # one gate per fold
    for test in folds(y, 5, 0):
        train = np.setdiff1d(np.arange(100), test)
        expected = tuple(float(v) for v in fit_logistic(x[train], y[train]))
        assert all(own[int(i)] == expected for i in test)


def test_calibration_objective_weighs_answerable_and_unanswerable_questions_equally():
    from evals.calibrate import objective

    # 100 answerable, 10 traps: refusing 5 more traps at the cost of 5 right answers is a gain
    # (0.5 of the traps against 0.05 of the answerable), although fewer questions are right in all
    assert objective(80, 100, 9, 10, 0) > objective(85, 100, 4, 10, 0)
    assert objective(90, 100, 9, 10, 0)[0] == (0.9 + 0.9) / 2
    # over the cap of 5% false abstentions a setting loses, however it scores otherwise
    assert objective(90, 100, 10, 10, 6) < objective(10, 100, 0, 10, 5)


def test_a_feature_whose_weight_goes_against_its_meaning_is_dropped() -> None:
    rng = np.random.default_rng(5)
    y = (rng.random(400) < 0.7).astype(float)
    a = rng.normal(size=400) + 1.5 * (2 * y - 1)
    x = np.column_stack([a, a + 0.3 * rng.normal(size=400), rng.normal(size=400)])  # two near copies of one signal
    held = fit_logistic(x, y, l2=0.01, signs=(1, 1, 0))
    assert held[1] >= 0 and held[2] >= 0 and held[1] + held[2] > 1.0
    # a feature that lowers the score where it may only raise it is dropped, not learnt backwards
    backwards = fit_logistic(np.column_stack([x[:, 0], -x[:, 0]]), y, signs=(1, 1))
    assert backwards[2] == 0.0 and backwards[1] > 1.0
    gate = fit_gate(x.tolist(), (y == 1).tolist(), rounds=2, signs=(1, 1, 0))
    assert gate.weights[1] >= 0 and gate.weights[2] >= 0
