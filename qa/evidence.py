"""Assessing the evidence for a question by code: judge the retrieved passages (`judge`), decide
whether and how they answer (`decide`), and gather every article that states a conflict side's value.

Nothing here trusts a model. The thresholds are in `Calibration`, fitted on the dev split
of the eval questions only (`python -m evals.calibrate`).
"""

from __future__ import annotations

from index.keyword import terms
from qa.calibration import Calibration
from qa.candidates import Assessment, Candidate
from qa.decide import SIDE_FIT_RATIO, SIDED, decide, decide_ungated, same_unit, values_agree
from qa.judge import judge
from qa.names import unknown_names
from qa.passages import question_weights
from qa.pick import pick_value, value_clause
from qa.retrieve import Corpus, Hit
from qa.soft import SoftMatcher
from qa.values import Value, question_kind


def _context(corpus: Corpus, text: str, value: Value) -> dict[str, float]:
    """Returns the weighted terms around a value within its clause: what the value is said of."""
    lo, hi = value_clause(text, value)
    own = set(terms(value.text))
    return {t: corpus.keyword.idf_of(t) for t in terms(text[lo : value.start] + " " + text[value.end : hi]) if t not in own}


def same_statement(corpus: Corpus, a: Candidate, b: Candidate) -> float:
    """Returns how far two passages' values are said of the same thing: the idf-weighted share of
    the smaller value context that the other holds (1.0: the same words around both values)."""
    if a.value is None or b.value is None:
        return 0.0
    ca, cb = _context(corpus, a.text, a.value), _context(corpus, b.text, b.value)
    small = min(sum(ca.values()), sum(cb.values()))
    if small <= 0:
        return 0.0
    return sum(w for t, w in ca.items() if t in cb) / small


def corroborate(corpus: Corpus, question: str, a: Assessment, probes: list[list[Hit]], cal: Calibration) -> Assessment:
    """Returns the conflict with every article that states a side's value on that side.

    `probes[i]` are the passages found by searching for side i's own passage: another article
    words the same fact its own way ("Eight months after ... initiated their assault" for
    "eight months into an epic battle"), which the question's words can miss. A probed passage
    joins side i when it gives the side's value, measures the same thing (same counted
    noun), and the words around it are those around the side's value (`same_statement` at least
    `probe_fit`). Probes never start a side: on dev, a search by the answer's own passage found
    as many unrelated values as contradicting ones.
    """
    if len(a.sides) < 2:
        return a
    sides = [list(side) for side in a.sides]
    weights = question_weights(corpus, question)
    for side, probe in zip(sides, probes, strict=True):
        head = side[0]
        assert head.value is not None
        for h in probe:
            if any(x.unit.doc_id == h.unit.doc_id for x in side):
                continue
            text = corpus.text(h.unit)
            value, fit = pick_value(text, a.kind, question, weights)
            if value is None or value.key != head.value.key:
                continue  # the same value, not one that merely agrees ("June 2017" holds "June 18")
            c = Candidate(h.unit, text, max(h.dense, 0.0), 0.0, 0.0, value, fit, 0.0, h.bm25, h.fused)
            if same_unit(a.kind, head, c) and same_statement(corpus, head, c) >= cal.probe_fit:
                side.append(c)
    return Assessment(a.kind, a.candidates, False, a.reason, sides=sides, support=sides[0])


# how much of the words around two values must be the same for a far-ranked passage to be the other side
# (on dev the same conflicts were found from 0.15 to 0.3, and fewer at 0.4; dates found false ones at any)
RESTATED = 0.25


def restated_rival(corpus: Corpus, a: Assessment, cands: list[Candidate]) -> Assessment:
    """Returns `a` as a conflict when another article states the answer's number in much the same words
    with another value ("An estimated 862,000 people have been displaced from Mosul ever since the battle
    ... began" and "More than 700,000 people have been displaced since the offensive began"), however
    far down the ranking it is: the question's own words may miss it. Only numbers: a date said in
    the same words is as often another event's ("launched ... on June 18", "launched ... in October 2016")."""
    if a.kind != "number" or a.abstain or a.sides or not a.support:
        return a
    best = a.support[0]
    if best.value is None:
        return a
    for c in cands:
        if (
            c.value is not None
            and c.unit.doc_id != best.unit.doc_id
            and c.on_subject
            and c.foreseen == best.foreseen
            and same_unit(a.kind, best, c)
            and not values_agree(a.kind, best.value, c.value)
            and c.fit >= SIDE_FIT_RATIO * best.fit
            and same_statement(corpus, best, c) >= RESTATED
        ):
            return Assessment(a.kind, a.candidates, False, a.reason, sides=[[best], [c]], support=[best])
    return a


def assess(
    corpus: Corpus, question: str, hits: list[Hit], cal: Calibration, soft: SoftMatcher | None = None, pool: int | None = None
) -> Assessment:
    """Returns the judged candidates, whether to abstain, and the sides when sources disagree.

    Only the first `pool` hits (all when None) may answer; the hits after them may only be the other
    side of a conflict with that answer ("700,000 have been displaced", ranked 20th, against "862,000").
    """
    if pool is not None and question_kind(question) not in SIDED:
        hits = hits[:pool]  # only a number or a date has sides: the rest are never read
    kind, cands = judge(corpus, question, hits, cal.dense_weight, soft, cal.verb_fit)
    first = [c for c in cands if pool is None or c.rank < pool]
    unknown = unknown_names(corpus, question, {c.unit.doc_id for c in first})
    if unknown:
        return Assessment(kind, first, True, f"the indexed articles never mention {unknown[0]!r}")
    a = restated_rival(corpus, decide(kind, first, cal), cands)
    if len(first) == len(cands) or a.abstain or kind not in SIDED:
        return a
    wide = decide_ungated(kind, cands, cal)
    if wide.sides and wide.sides[0][0] is a.support[0] and len(wide.sides) > len(a.sides):
        return Assessment(kind, first, False, a.reason, sides=wide.sides, support=wide.sides[0])
    return a
