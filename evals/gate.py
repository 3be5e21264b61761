"""Fitting the answer gate: a logistic score over the answering passage's features, learnt from
dev questions, with what cross-validation says each threshold would refuse.

The gate sees only questions the thresholds already answer with one side: answerable ones are
positives, unanswerable ones (traps the lexical checks let through) negatives. `evals.calibrate`
chooses the threshold together with the relevance thresholds, scoring each dev question with the
gate fitted on the folds without it (`out_of_fold`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

THRESHOLDS = tuple(round(0.025 * i, 3) for i in range(2, 13))  # 0.05 to 0.3


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50, signs: Sequence[int] | None = None) -> np.ndarray:
    """Returns weights (intercept first) of an L2-penalised logistic regression, both classes
    weighted equally whatever their sizes (Newton's method; the intercept is not penalised).

    With `signs` (one per feature: +1 the score may only rise with it, -1 only fall, 0 either),
    a feature whose weight comes out against its sign is dropped (weight 0), the one most against
    first, and the rest refitted: correlated features ("relevance" is half "coverage") otherwise
    trade weights of opposite signs that fit the dev questions and nothing else.
    """
    if signs is not None:
        active = list(range(x.shape[1]))
        while True:
            w = fit_logistic(x[:, active], y, l2, steps)
            against = [(signs[f] * w[1 + i], i) for i, f in enumerate(active) if signs[f] * w[1 + i] < 0]
            if not against:
                full = np.zeros(x.shape[1] + 1)
                full[0] = w[0]
                full[[1 + f for f in active]] = w[1:]
                return full
            active.pop(min(against)[1])
    n, d = x.shape
    xb = np.hstack([np.ones((n, 1)), x])
    pos = max(int(y.sum()), 1)
    neg = max(n - int(y.sum()), 1)
    sample = np.where(y == 1, n / (2 * pos), n / (2 * neg))
    penalty = np.full(d + 1, l2)
    penalty[0] = 0.0
    w = np.zeros(d + 1)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -50, 50)))
        grad = xb.T @ (sample * (p - y)) + penalty * w
        hess = (xb * (sample * p * (1 - p))[:, None]).T @ xb + np.diag(penalty) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def scores(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Returns the logistic scores of rows `x` under weights `w` (intercept first)."""
    return 1.0 / (1.0 + np.exp(-np.clip(w[0] + x @ w[1:], -50, 50)))


@dataclass(frozen=True)
class GateFit:
    """The gate fitted on all rows, and what cross-validation says each threshold does on them."""

    weights: tuple[float, ...]
    traps: int
    answerable: int
    table: tuple[tuple[float, float, float], ...]  # (threshold, traps refused, answerable lost), means per round


def folds(y: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """Returns `k` test folds, each class spread evenly over them."""
    rng = np.random.default_rng(seed)
    out: list[list[int]] = [[] for _ in range(k)]
    for label in (0, 1):
        idx = rng.permutation(np.flatnonzero(y == label))
        for i, j in enumerate(idx):
            out[i % k].append(int(j))
    return [np.array(sorted(f), dtype=int) for f in out]


def fit_gate(
    features: Sequence[Sequence[float]], answerable: Sequence[bool], rounds: int = 10, k: int = 5, signs: Sequence[int] | None = None
) -> GateFit:
    """Returns the gate fitted on all rows (weights held to `signs`, see `fit_logistic`), and for
    each of `THRESHOLDS` how many traps and how many answerable questions it refuses in `rounds` of
    k-fold cross-validation."""
    x = np.asarray(features, dtype=float)
    y = np.asarray(answerable, dtype=float)
    caught = dict.fromkeys(THRESHOLDS, 0.0)
    lost = dict.fromkeys(THRESHOLDS, 0.0)
    for seed in range(rounds):
        p = np.array([scores(np.asarray(w), row) for w, row in zip(out_of_fold(x, y, k, seed, signs), x, strict=True)])
        for t in THRESHOLDS:
            caught[t] += float(((p < t) & (y == 0)).sum()) / rounds
            lost[t] += float(((p < t) & (y == 1)).sum()) / rounds
    return GateFit(
        tuple(float(v) for v in fit_logistic(x, y, signs=signs)),
        int((y == 0).sum()),
        int((y == 1).sum()),
        tuple((t, round(caught[t], 2), round(lost[t], 2)) for t in THRESHOLDS),
    )


def out_of_fold(
    features: Sequence[Sequence[float]] | np.ndarray,
    answerable: Sequence[bool] | np.ndarray,
    k: int = 5,
    seed: int = 0,
    signs: Sequence[int] | None = None,
) -> list[tuple[float, ...]]:
    """Returns, for each row, the weights of a gate fitted on the other folds: scoring a question
    with them says what the gate would do on a question it never saw."""
    x = np.asarray(features, dtype=float)
    y = np.asarray(answerable, dtype=float)
    out: list[tuple[float, ...]] = [()] * len(y)
    for test in folds(y, k, seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        w = tuple(float(v) for v in fit_logistic(x[train], y[train], signs=signs))
        for i in test:
            out[int(i)] = w
    return out
