"""Offline grounding metrics (no LLM judge): answer match, citations, quotes, abstention, conflicts."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evals.dataset import Item, Span
from qa import Answer, Quote

_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
    )
}


def normalise(text: str) -> str:
    """Returns `text` lower-cased, quotes and dashes unified, thousands separators and markers dropped, number words as digits."""
    t = text.lower()
    t = re.sub(r"\[\d+\]", " ", t)
    t = re.sub(r"[“”\"‘’'`]", "", t)
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t)
    t = re.sub(r"[-–—/]", " ", t)
    t = re.sub(r"[^\w\s.%]", " ", t)
    t = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", t)  # a full stop ends a word ("feed.Soldiers"); 3.5 keeps its point
    words = [_NUMBER_WORDS.get(w, w) for w in t.split()]
    return " " + " ".join(w.strip(".") for w in words) + " "


def matches(answer_text: str, groups: Sequence[Sequence[str]]) -> bool:
    """Returns True when every group has a form that occurs in the answer (after normalising)."""
    norm = normalise(answer_text)
    return all(any(normalise(form) in norm for form in group) for group in groups)


def overlaps(q: Quote, s: Span) -> bool:
    """Returns True when the quote and the gold span share at least one character."""
    return q.doc_id == s.doc_id and q.start < s.end and s.start < q.end


@dataclass
class Scored:
    """One system's outcome on one item."""

    item: Item
    answer: Answer | None
    seconds: float
    error: str = ""
    ranked: list[Quote] = field(default_factory=list)  # retrieval ranking, when the system has one

    def to_dict(self) -> dict[str, Any]:
        """Returns a JSON-serialisable dict."""
        return {
            "id": self.item.id,
            "kind": self.item.kind,
            "question": self.item.question,
            "seconds": round(self.seconds, 4),
            "error": self.error,
            "answer": self.answer.to_dict() if self.answer else None,
            "correct": correct(self),
        }


MAX_ANSWER_WORDS = 25  # a right answer holds an accepted form in at most this many words (a conflict states every side)


def words_of(a: Answer) -> int:
    """Returns the number of words of the answer text, markers aside."""
    return len(re.sub(r"\[\d+\]", "", a.text).split())


def correct(s: Scored) -> bool:
    """Returns True when the answer is right: the accepted values (both sides for a conflict) in at most
    `MAX_ANSWER_WORDS` words, or an abstention when nothing answers."""
    a = s.answer
    if a is None:
        return False
    if not s.item.answerable:
        return a.abstained
    short = s.item.kind == "conflict" or words_of(a) <= MAX_ANSWER_WORDS
    return not a.abstained and short and matches(a.text, s.item.answer)


def squad_tokens(text: str) -> list[str]:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    t = re.sub(r"\[\d+\]", " ", text.lower())
    t = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in t)
    return [w for w in t.split() if w not in ("a", "an", "the")]


def span_f1(predicted: str, gold: str) -> float:
    """Returns SQuAD's token F1 of one predicted answer against one gold answer."""
    got, want = squad_tokens(predicted), squad_tokens(gold)
    common = sum(min(got.count(w), want.count(w)) for w in set(want))
    if not common:
        return 0.0
    p, r = common / len(got), common / len(want)
    return 2 * p * r / (p + r)


def best_f1(text: str, groups: Sequence[Sequence[str]]) -> float:
    """Returns SQuAD's token F1 of an answer text against the best-matching accepted form."""
    return max((span_f1(text, form) for g in groups for form in g), default=0.0)


def token_f1(s: Scored) -> float | None:
    """Returns SQuAD's token F1 of the answer against the best-matching accepted form (0 when it
    abstains on an answerable question); None for unanswerable questions."""
    if not s.item.answerable:
        return None
    if s.answer is None or s.answer.abstained:
        return 0.0
    return best_f1(s.answer.text, s.item.answer)


def answer_in_quote(s: Scored) -> bool | None:
    """Returns whether an accepted form lies inside one of the answer's quotes (None when it did not answer
    an answerable question)."""
    if not s.item.answerable or s.answer is None or s.answer.abstained:
        return None
    return any(matches(q.text, s.item.answer) for q in s.answer.quotes)


def conflict_shown(s: Scored) -> bool:
    """Returns True when a conflict item's answer names both values and cites every gold document."""
    a = s.answer
    if a is None or a.abstained or not matches(a.text, s.item.answer):
        return False
    cited = {q.doc_id for q in a.quotes}
    return set(s.item.doc_ids) <= cited


def citation_recall(s: Scored) -> float:
    """Returns the share of gold spans that some quote overlaps."""
    if s.answer is None or not s.item.evidence:
        return 0.0
    return sum(any(overlaps(q, g) for q in s.answer.quotes) for g in s.item.evidence) / len(s.item.evidence)


def citation_precision(s: Scored) -> float | None:
    """Returns the share of quotes that overlap gold evidence or come from a gold document and hold an accepted answer."""
    if s.answer is None or not s.answer.quotes:
        return None
    good = 0
    for q in s.answer.quotes:
        if any(overlaps(q, g) for g in s.item.evidence) or (
            q.doc_id in s.item.doc_ids and any(matches(q.text, [grp]) for grp in s.item.answer)
        ):
            good += 1
    return good / len(s.answer.quotes)


def quote_checks(s: Scored, texts: dict[str, str]) -> tuple[int, int, int]:
    """Returns (quotes, verbatim in their document, exact at their offsets)."""
    if s.answer is None:
        return 0, 0, 0
    quotes = list(s.answer.quotes) + list(s.answer.nearest)
    verbatim = sum(1 for q in quotes if q.doc_id in texts and q.text and q.text in texts[q.doc_id])
    exact = sum(1 for q in quotes if q.doc_id in texts and q.text and texts[q.doc_id][q.start : q.end] == q.text)
    return len(quotes), verbatim, exact


def retrieval_rank(s: Scored) -> int | None:
    """Returns the 1-based rank of the first retrieved passage overlapping gold evidence, or None."""
    for i, q in enumerate(s.ranked, 1):
        if any(overlaps(q, g) for g in s.item.evidence):
            return i
    return None


def _pct(xs: Sequence[float], p: float) -> float:
    if not xs:
        return 0.0
    ys = sorted(xs)
    return ys[min(len(ys) - 1, int(round(p * (len(ys) - 1))))]


def summarise(results: Sequence[Scored], texts: dict[str, str], k: int = 5) -> dict[str, Any]:
    """Returns every metric, overall and per kind."""

    def block(rs: Sequence[Scored]) -> dict[str, Any]:
        answerable = [r for r in rs if r.item.answerable]
        unanswerable = [r for r in rs if not r.item.answerable]
        predicted_abstain = [r for r in rs if r.answer is not None and r.answer.abstained]
        precisions = [p for r in answerable if (p := citation_precision(r)) is not None]
        q_total = q_verbatim = q_exact = 0
        for r in rs:
            t, v, e = quote_checks(r, texts)
            q_total, q_verbatim, q_exact = q_total + t, q_verbatim + v, q_exact + e
        ranks = [retrieval_rank(r) for r in answerable if r.ranked]
        conflicts = [r for r in rs if r.item.kind == "conflict"]
        lengths = [words_of(r.answer) for r in rs if r.answer]
        f1s = [f for r in answerable if (f := token_f1(r)) is not None]
        inside = [x for r in answerable if (x := answer_in_quote(r)) is not None]
        secs = [r.seconds for r in rs]
        answered = [r for r in rs if r.answer is not None and not r.answer.abstained]
        one_value = [r for r in answered if r.item.answerable and r.item.kind != "conflict"]
        stated = [r.answer.reliability for r in answered if r.answer is not None and r.answer.reliability is not None]
        out: dict[str, Any] = {
            "n": len(rs),
            "accuracy": sum(correct(r) for r in answerable) / len(answerable) if answerable else None,
            "token_f1": statistics.mean(f1s) if f1s else None,
            "answer_in_quote": sum(inside) / len(inside) if inside else None,
            "citation_recall": statistics.mean(citation_recall(r) for r in answerable) if answerable else None,
            "citation_precision": statistics.mean(precisions) if precisions else None,
            "quotes": q_total,
            "quote_verbatim": q_verbatim / q_total if q_total else None,
            "quote_offsets": q_exact / q_total if q_total else None,
            "abstention_precision": (
                sum(not r.item.answerable for r in predicted_abstain) / len(predicted_abstain) if predicted_abstain else None
            ),
            "abstention_recall": (
                sum(1 for r in unanswerable if r.answer is not None and r.answer.abstained) / len(unanswerable)
                if unanswerable
                else None
            ),
            "false_abstention": (
                sum(1 for r in answerable if r.answer is not None and r.answer.abstained) / len(answerable)
                if answerable
                else None
            ),
            "conflict_recall": sum(conflict_shown(r) for r in conflicts) / len(conflicts) if conflicts else None,
            # answers to a question with one answer that say the sources disagree (a side too many)
            "false_conflict": sum(bool(r.answer and r.answer.conflicts) for r in one_value) / len(one_value) if one_value else None,
            # of the answers given (to any question), the share right, and the mean share each answer stated
            # for itself (`Answer.reliability`, measured on the calibration articles): does it hold on these?
            "answered_right": sum(correct(r) for r in answered) / len(answered) if answered else None,
            "reliability_stated": statistics.mean(stated) if stated else None,
            f"recall@{k}": sum(1 for x in ranks if x is not None and x <= k) / len(ranks) if ranks else None,
            "mrr": statistics.mean(1.0 / x if x else 0.0 for x in ranks) if ranks else None,
            "answer_words": statistics.mean(lengths) if lengths else None,
            "latency_p50": _pct(secs, 0.5),
            "latency_p95": _pct(secs, 0.95),
            "errors": sum(1 for r in rs if r.error),
        }
        return out

    kinds = sorted({r.item.kind for r in results})
    return {"overall": block(results), "per_kind": {kd: block([r for r in results if r.item.kind == kd]) for kd in kinds}}
