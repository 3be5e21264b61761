"""Telling a real difference from luck: two systems, or two runs, compared question by question.

On a few dozen questions one answer moves accuracy by 2-3 points, so a bare "0.81 vs 0.78" says
little. The same questions are asked of both sides, so the comparison is paired: only the questions
one side gets right and the other wrong say anything, and an exact sign test on them says how often
luck alone would split them that unevenly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Returns the Wilson score interval (95% by default) for `k` successes in `n` trials."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def sign_test(wins: int, losses: int) -> float:
    """Returns the exact two-sided p-value that a fair coin splits `wins + losses` questions at least
    this unevenly (1.0 when no question splits them)."""
    n = wins + losses
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(wins, losses) + 1)) / 2**n
    return min(1.0, 2 * tail)


@dataclass(frozen=True)
class Paired:
    """How two sides did on the answerable questions both were asked."""

    n: int
    both: int
    only_a: int  # questions side a gets right and side b wrong
    only_b: int
    ids_a: tuple[str, ...]  # which ones, for a person to read
    ids_b: tuple[str, ...]

    @property
    def p(self) -> float:
        return sign_test(self.only_a, self.only_b)


def answerable_outcomes(items: Sequence[Mapping[str, Any]]) -> dict[str, bool]:
    """Returns question id -> answered right, for the answerable questions of a result's `items`
    (what the accuracy metric counts)."""
    return {it["id"]: bool(it["correct"]) for it in items if it["kind"] != "unanswerable"}


def paired(a: Sequence[Mapping[str, Any]], b: Sequence[Mapping[str, Any]]) -> Paired:
    """Returns the paired comparison of two result `items` lists on the answerable questions in both."""
    ra, rb = answerable_outcomes(a), answerable_outcomes(b)
    shared = [i for i in ra if i in rb]
    only_a = tuple(i for i in shared if ra[i] and not rb[i])
    only_b = tuple(i for i in shared if rb[i] and not ra[i])
    return Paired(len(shared), sum(ra[i] and rb[i] for i in shared), len(only_a), len(only_b), only_a, only_b)


def verdict(pair: Paired, a: str, b: str) -> str:
    """Returns one line saying who is ahead and whether the split could be luck."""
    if pair.only_a == pair.only_b == 0:
        return f"{a} and {b} get the same {pair.both} of {pair.n} answerable questions right"
    if pair.only_a == pair.only_b:
        return f"{a} and {b} are level: each is right on {pair.only_a} question(s) the other misses"
    lead, trail = (a, b) if pair.only_a > pair.only_b else (b, a)
    more, fewer = max(pair.only_a, pair.only_b), min(pair.only_a, pair.only_b)
    luck = "could well be luck" if pair.p >= 0.05 else "unlikely to be luck"
    return f"{lead} is right on {more} question(s) {trail} misses, {trail} on {fewer} the other way: p = {pair.p:.3f}, {luck}"
