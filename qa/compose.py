"""Writing the answer text by code from the decision, with [n] markers into its quotes."""

from __future__ import annotations

from qa.decide import Decision, Reading

NOT_IN_SOURCES = "Not in the sources: the indexed articles do not answer this question."
NO_DOCUMENTS = "No documents indexed: add some with `qa index PATH`."


def cite(numbers: list[int]) -> str:
    """Returns the markers for 1-based quote numbers, e.g. "[1][2]"."""
    return "".join(f"[{n}]" for n in numbers)


def phrase(text: str) -> str:
    """Returns a span as it reads in an answer: single-spaced, without edge punctuation."""
    return " ".join(text.split()).strip(" ,;:.—–-()\"'“”‘’") or text.strip()


def side_marks(d: Decision) -> list[tuple[int, ...]]:
    """Returns each side's markers: the sides' readings are quoted in order, so side i holds a run of numbers."""
    out, n = [], 0
    for side in d.sides:
        out.append(tuple(range(n + 1, n + len(side) + 1)))
        n += len(side)
    return out


def answer_text(d: Decision) -> tuple[str, list[Reading]]:
    """Returns the answer text and the readings it cites, in marker order."""
    cited = [r for side in d.sides for r in side]
    parts = []
    for side, marks in zip(d.sides, side_marks(d), strict=True):
        docs = len({r.doc_id for r in side})
        parts.append(f"{phrase(side[0].text)} {cite(list(marks))}" + (f" ({docs} sources)" if docs > 1 else ""))
    if len(parts) > 1:
        return "The sources disagree: " + " versus ".join(parts) + ".", cited
    body = parts[0]
    return body[:1].upper() + body[1:] + ".", cited
