"""Checking a model's answer against the evidence it cites, before anyone sees it.

An answer passes when it cites evidence that exists, is short, and its phrase (the answer without its
[n] markers) stands verbatim, case and spacing aside, in a passage it cites, and is not cut from the head
or middle of a longer name there ("General" of "Lieutenant General Ana Varela" names a rank, not her).
Verbatim is the whole test of content: every number, date, name and word of the phrase is in the quote
by construction, and a paraphrase, however faithful, is not shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.prompts import CANNOT_ANSWER

MARKER = re.compile(r"\[(\d+)\]")
MAX_WORDS = 40
_NAME_GOES_ON = re.compile(r"[ \t]+(?:[A-Z]|[ae]l-[A-Z])")  # the next word, after spaces only, is capitalised


def markers(text: str) -> list[int]:
    """Returns the evidence numbers cited in `text`, in order of first appearance."""
    return list(dict.fromkeys(int(m.group(1)) for m in MARKER.finditer(text)))


def strip_markers(text: str) -> str:
    """Returns `text` without its [n] markers."""
    return " ".join(MARKER.sub(" ", text).split())


def _phrase(answer: str) -> str:
    return strip_markers(answer).strip(" .,;:\"'“”‘’")


def locate(answer: str, evidence: Sequence[str]) -> tuple[int, int, int] | None:
    """Returns (evidence number, start, end) of the answer's phrase, without its markers, in the first
    passage it cites that holds it verbatim (case and spacing aside), or None."""
    body = _phrase(answer)
    if not body:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in body.split()), re.IGNORECASE)
    for n in markers(answer):
        if 1 <= n <= len(evidence) and (m := pattern.search(evidence[n - 1])):
            return n, m.start(), m.end()
    return None


def problems(answer: str, evidence: Sequence[str]) -> list[str]:
    """Returns why `answer` cannot be shown (empty when it passes: then `locate` finds its phrase)."""
    if not answer.strip() or CANNOT_ANSWER.lower() in answer.lower():
        return ["the model gave no answer"]
    found: list[str] = []
    cited = markers(answer)
    if not cited:
        found.append("cites no evidence")
    bad = [n for n in cited if not 1 <= n <= len(evidence)]
    if bad:
        found.append(f"cites evidence that does not exist: {bad}")
    phrase = _phrase(answer)
    if not re.search(r"\w", phrase):
        return [*found, "says nothing besides its markers"]
    if len(phrase.split()) > MAX_WORDS:
        found.append(f"longer than {MAX_WORDS} words")
    at = locate(answer, evidence)
    if at is None:
        if cited and len(bad) < len(cited):
            found.append(f"{phrase!r} is not verbatim in the evidence it cites")
    elif phrase.split()[-1][:1].isupper() and _NAME_GOES_ON.match(evidence[at[0] - 1], at[2]):
        found.append(f"{phrase!r} is cut from a longer name in the cited evidence")
    return found
