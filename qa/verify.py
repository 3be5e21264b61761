"""Checking a model's answer against the evidence it cites, before anyone sees it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.keyword import terms
from qa.prompts import CANNOT_ANSWER
from qa.values import dates, dates_agree, name_words, names, numbers, numbers_agree

MARKER = re.compile(r"\[(\d+)\]")
MAX_WORDS = 40


def markers(text: str) -> list[int]:
    """Returns the evidence numbers cited in `text`, in order of first appearance."""
    out: list[int] = []
    for m in MARKER.finditer(text):
        n = int(m.group(1))
        if n not in out:
            out.append(n)
    return out


def strip_markers(text: str) -> str:
    """Returns `text` without its [n] markers."""
    return " ".join(MARKER.sub(" ", text).split())


def problems(answer: str, evidence: Sequence[str]) -> list[str]:
    """Returns why `answer` cannot be shown (empty when it passes).

    Checks: it cites at least one evidence number and every cited number exists; every
    number, date and proper name it states appears in the evidence it cites, and every other
    word of content too (as a stem: "vehicles" for "vehicle"); a name is not cut from a longer
    one; it is short.
    """
    found: list[str] = []
    if not answer.strip() or CANNOT_ANSWER.lower() in answer.lower():
        return ["the model gave no answer"]
    cited = markers(answer)
    if not cited:
        found.append("cites no evidence")
    bad = [n for n in cited if not 1 <= n <= len(evidence)]
    if bad:
        found.append(f"cites evidence that does not exist: {bad}")
    sources = " ".join(evidence[n - 1] for n in cited if 1 <= n <= len(evidence))
    body = strip_markers(answer)
    if not re.search(r"\w", body):
        found.append("says nothing besides its markers")
    if len(body.split()) > MAX_WORDS:
        found.append(f"longer than {MAX_WORDS} words")

    src_numbers = [v.key for v in numbers(sources)]
    for v in numbers(body):
        if not any(numbers_agree(v.key, s) and (v.key == s or "-" in s) for s in src_numbers):
            found.append(f"number {v.text!r} is not in the cited evidence")
    src_dates = [v.key for v in dates(sources)]
    for v in dates(body):
        if not any(dates_agree(v.key, s) for s in src_dates):
            found.append(f"date {v.text!r} is not in the cited evidence")
    src_words = set(_words(sources))
    for w in sorted(name_words(body)):
        if w not in src_words:
            found.append(f"name {w!r} is not in the cited evidence")
    # a model must not add to what it cites: "The harbour was the storm's main target" cites a sentence that
    # says where the storm struck, and nothing of a target
    src_terms = set(terms(sources))
    added = sorted({t for t in terms(body) if t not in src_terms and not t.isdigit()})
    if added:
        found.append(f"words the cited evidence does not hold: {added}")
    for cut in _cut_names(body, sources):
        found.append(f"name {cut!r} is cut from a longer name in the cited evidence")
    return found


def locate(answer: str, evidence: Sequence[str]) -> tuple[int, int, int] | None:
    """Returns (evidence number, start, end) of the answer's phrase, without its markers, in the first
    passage it cites that holds it verbatim (case and spacing aside), or None."""
    body = strip_markers(answer).strip(" .,;:\"'“”‘’")
    if not body:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in body.split()), re.IGNORECASE)
    for n in markers(answer):
        if 1 <= n <= len(evidence) and (m := pattern.search(evidence[n - 1])):
            return n, m.start(), m.end()
    return None


def _words(text: str) -> list[str]:
    """Returns the lower-cased words of `text`, in order."""
    return re.findall(r"[a-z0-9]+", text.lower())


def _cut_names(body: str, sources: str) -> list[str]:
    """Returns the names of `body` that the evidence gives only as the head or middle of a longer name: "General"
    from "Lieutenant General Anna Berg" names a rank, not her. A name given whole or as a longer name's end
    ("Berg", "Port Authority") passes; so does one the evidence never names (`name_words` checks those)."""
    whole = [_words(v.text) for v in names(sources)]
    out = []
    for v in names(body):
        w = _words(v.text)
        inside = [n for n in whole if any(n[i : i + len(w)] == w for i in range(len(n) - len(w) + 1))]
        if w and inside and not any(n[len(n) - len(w) :] == w for n in inside):
            out.append(v.text)
    return out
