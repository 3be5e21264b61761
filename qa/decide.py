"""Deciding from judged passages: abstain or answer, which passages support the answer, and the sides
when articles disagree; the answer gate learnt from dev questions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from index.keyword import terms
from qa.calibration import Calibration
from qa.candidates import Assessment, Candidate
from qa.values import Value, dates_agree, numbers_agree

MIN_FACT_WORDS = 4  # a passage of fewer words is a caption or a heading, not a statement of fact


SIDE_FIT_RATIO = 0.5  # a conflicting side's value must fit the question at least half as well as the best side's


def _unit_word(c: Candidate) -> str | None:
    """Returns the first term after the candidate's value: what a number counts ("people")."""
    if c.value is None:
        return None
    after = terms(c.text[c.value.end : c.value.end + 40])
    return after[0] if after else None


def same_unit(kind: str, a: Candidate, b: Candidate) -> bool:
    """Returns True when two passages' values measure the same thing (numbers: the same counted noun)."""
    return kind != "number" or _unit_word(a) == _unit_word(b)


def values_agree(kind: str, a: Value, b: Value) -> bool:
    """Returns True when two values of the asked kind say the same (a range holds a number; a month holds its days)."""
    if kind == "number":
        return numbers_agree(a.key, b.key)
    if kind == "date":
        # a relative date ("last week") counts from its article's unknown date: it can name any day
        return a.key.startswith("~") or b.key.startswith("~") or dates_agree(a.key, b.key)
    return a.key == b.key or a.key in b.key or b.key in a.key


GATE_FEATURES = ("relevance", "coverage", "missing", "fit", "dense", "bm25 / 10", "margin over the next passage", "gives a value")


# how each feature may move the score (+1 up, -1 down, 0 either way): what the fit is held to
GATE_SIGNS = (1, 1, -1, 1, 1, 1, 1, 0)


def gate_features(best: Candidate, cands: list[Candidate]) -> list[float]:
    """Returns what the answer gate weighs about the passage chosen to answer (`GATE_FEATURES`)."""
    margin = best.relevance - max((c.relevance for c in cands if c is not best), default=0.0)
    return [best.relevance, best.coverage, best.missing, best.fit, best.dense, best.bm25 / 10, margin, float(best.value is not None)]


def answer_score(weights: Sequence[float], features: Sequence[float]) -> float:
    """Returns the logistic score, in 0-1, that a passage with these features answers its question."""
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _gated(a: Assessment, cal: Calibration) -> Assessment:
    """Returns `a`, or an abstention when its one-sided answer scores under `gate_min`.

    The lexical checks pass many an on-topic passage that answers a neighbouring question; what
    such a passage looks like (weak keyword match, no lead over the next passage, ...) is learnt
    from dev questions by `evals.calibrate`. A conflict is never gated: two articles giving
    values is not what an unanswerable question looks like.
    """
    if not cal.gate or a.abstain or a.sides or not a.support:
        return a
    score = answer_score(cal.gate, gate_features(a.support[0], a.candidates))
    if score >= cal.gate_min:
        return a
    return Assessment(a.kind, a.candidates, True, f"the best passage looks unlike an answer (answer score {score:.2f} < {cal.gate_min:.2f})")


def decide(kind: str, cands: list[Candidate], cal: Calibration) -> Assessment:
    """Returns whether to abstain, the supporting passages, and the sides when documents disagree."""
    return _gated(decide_ungated(kind, cands, cal), cal)


SIDED = ("number", "date")  # the kinds whose values the articles can disagree on


def _close_first(ok: list[Candidate], margin: float, wanted: Callable[[Candidate], bool]) -> Candidate | None:
    """Returns the first passage of `ok` that is `wanted` and about as relevant as the first (within
    `margin`), or None."""
    return next((c for c in ok if wanted(c) and c.relevance >= ok[0].relevance - margin), None)


def _prefer(ok: list[Candidate], margin: float, wanted: Callable[[Candidate], bool]) -> list[Candidate]:
    """Returns `ok` with its first `wanted` passage that is about as relevant as the first (`_close_first`)
    put first; `ok` itself when the first is wanted or none is close."""
    if not ok or wanted(ok[0]) or (chosen := _close_first(ok, margin, wanted)) is None:
        return ok
    return [chosen, *(c for c in ok if c is not chosen)]


def decide_ungated(kind: str, cands: list[Candidate], cal: Calibration) -> Assessment:
    if not cands:
        return Assessment(kind, cands, True, "nothing is indexed")
    ok = [
        c
        for c in cands
        if c.relevance >= cal.min_relevance and c.coverage >= cal.min_coverage and c.missing <= cal.max_missing
    ]
    if not ok:
        return Assessment(kind, cands, True, "no passage is relevant enough")
    if cal.rank_by != "relevance":
        ok = sorted(ok, key=lambda c: -getattr(c, cal.rank_by))
    if kind == "fact":
        # a caption's fragment ("ISIS militants.", "Story highlights") states no fact
        ok = [c for c in ok if len(c.text.split()) >= MIN_FACT_WORDS]
        if not ok:
            return Assessment(kind, cands, True, "no relevant passage is more than a caption")
        # a why-question asks for a reason, "how did X describe it" for someone's words: of passages about as
        # relevant, the one that gives them ("because of its narrow streets", a quotation) answers first
        ok = _prefer(ok, cal.conflict_margin, lambda c: c.reasoned)
    if kind != "fact":
        typed = [c for c in ok if c.value is not None and c.fit >= cal.min_fit]
        # where: a place need not be a name ("on a couch", "in civilian areas"), so a where-question's
        # passage may answer with less of the question's words than a who-question's
        fallback = cal.place_fallback if kind == "place" else cal.name_fallback
        # measured against the best passage that could answer: "recaptured their first neighborhood" says
        # nothing of which, so a name said a little further down ("liberated al-Farouq al-Awla neighborhood") is close
        # (a who-question's passage that names no one is no such measure: "Who ordered the bombardment": a name
        # far below "The offensive was launched with a massive artillery bombardment" ordered nothing)
        ref = next((c for c in ok if not c.unnamed), ok[0]) if kind == "place" else ok[0]
        named_close = any(c.relevance >= ref.relevance - cal.conflict_margin for c in typed)
        lead = ok[0]
        if kind == "place" and not lead.located:
            # "where had the fighters dug in": of two passages about as relevant, the one that says where
            # ("dug in ... in the narrow streets"), not the one that only repeats the question ("had dug in and prepared")
            lead = _close_first(ok, cal.conflict_margin, lambda c: c.value is None and c.located) or lead
        if kind == "place" and lead.missing > 0:
            # "where did ISIS retreat to": of two passages about as relevant, the one that says the act asked
            # about, and where ("forced to retreat to rural areas"), not "had lost its last stronghold in Iraq"
            complete = _close_first(ok, cal.conflict_margin, lambda c: c.missing == 0 and c.located and c.value is None)
            if complete is not None and complete.coverage >= fallback and not complete.unnamed:
                return Assessment("fact", cands, False, support=[complete])
        if kind in ("person", "place") and lead.value is None and lead.coverage >= fallback and not lead.unnamed and not named_close:
            # "who led the operation": the passage holding every word of the question answers it
            # even when what it names is a group, not a person's name -- unless a passage about as
            # relevant names one ("which Syrian city": "... encircle ISIS fighters in ... Raqqa")
            return Assessment("fact", cands, False, support=[lead])
        if not typed:
            return Assessment(kind, cands, True, f"no relevant passage states the {kind} asked for")
        if kind in ("person", "place") and not named_close:
            # "who said it had killed many fighters": "The Iraqi military reported that it had killed ..." is far
            # more relevant than "... the Pentagon reported a month ago". A name only passages far less relevant
            # than the best one give is likely said of something else
            return Assessment(kind, cands, True, f"only passages far less relevant than the best state the {kind} asked for")
        # "how many were expected to be displaced": of values about as relevant, the one foreseen
        # ("would be uprooted") answers before one counted ("have been displaced"), and the other way round
        typed = _prefer(typed, cal.conflict_margin, lambda c: c.tense_fit)
        # "who held the Old City": of names about as relevant, the one said to do it ("under ISIS control") answers
        # before a body that only does something else ("Iraqi Security Forces ... initiated their assault")
        typed = _prefer(typed, cal.conflict_margin, lambda c: c.acts_asked)
        # "when did the assault on Mosul's Old City start": of values about as relevant, one said where the
        # Old City is named answers before one said of the city of Mosul
        typed = _prefer(typed, cal.conflict_margin, lambda c: c.on_subject)
        if kind == "date" and typed[0].value is not None and typed[0].value.key.startswith("~"):
            # "last week" yields to a calendar date that is about as relevant
            near = [c for c in typed if c.relevance >= typed[0].relevance - cal.conflict_margin]
            typed = sorted(near, key=lambda c: c.value is not None and c.value.key.startswith("~")) + [c for c in typed if c not in near]
        ok = typed
    best = ok[0]
    if kind in ("person", "place") and not best.on_subject:
        # "who led the Kurdish Peshmerga": a commander named where no Peshmerga are is someone else's
        return Assessment(kind, cands, True, f"the passage that names a {kind} is not about what the question names")
    support = [
        c
        for c in ok
        if c.relevance >= best.relevance - cal.conflict_margin
        or (c.fit >= cal.side_fit and same_unit(kind, best, c))  # a strong passage of its own
    ]
    if kind not in SIDED:
        return Assessment(kind, cands, False, support=[best])

    # One side per distinct value of the same measure; each document's best passage for a
    # value speaks for it (a document that gives two values is on both sides).
    sides: list[list[Candidate]] = []
    for c in support:
        if c.value is None or not same_unit(kind, best, c):
            continue
        if c is not best and not c.on_subject:
            continue  # "when did the SDF capture Raqqa": "Iraq captured east Mosul in late January" is no rival
        if c is not best and not c.clause_act:
            continue  # "how many people have been displaced": "providing water to almost 1 million people" is no side
        if c is not best and c.foreseen != best.foreseen:
            continue  # "862,000 have been displaced" and "one million would be uprooted": a forecast is no rival of a count
        for side in sides:
            if side[0].value is not None and values_agree(kind, side[0].value, c.value):
                if all(x.unit.doc_id != c.unit.doc_id for x in side):
                    side.append(c)
                break
        else:
            sides.append([c])
    # a side whose value fits the question far worse than the best-fitting side answers something else
    top_fit = max(max(c.fit for c in side) for side in sides)
    sides = [side for side in sides if side is sides[0] or max(c.fit for c in side) >= SIDE_FIT_RATIO * top_fit]
    return Assessment(kind, cands, False, sides=sides if len(sides) > 1 else [], support=sides[0])
