"""Deciding from the reader's spans: answer, abstain, or show the sides when documents disagree.

- The span with the highest margin answers when its margin reaches `Calibration.answer`.
- Each span reads as the widest span holding it that the reader scored at most `Calibration.widen`
  under it (the model cannot tell them apart: "1796" or "until 1796", "two million" or "over two
  million"); it keeps its own margin, so widening never changes whether anything answers.
- How often answers scored like this one were right on the held-out articles (`reliability_at`) is
  stated beside the answer, so that a reader of it knows how far to trust it before reading the quotes.
- Every other document's own best span whose margin reaches `Calibration.side` is compared with
  it: the same value (numbers and dates normalised, a range holding a number; short phrases when
  one's words hold the other's or most are shared) cites that document beside the answer; a
  different number or date is another side (a number of another unit, "two years" beside "12
  million euros", and a date naming other parts, "1921" or "Monday" beside "19 June", are
  neither). A different phrase is another side only from `Calibration.side_text`: phrases cannot
  be compared by normalised keys, and where a document does not hold the answer the reader's best
  span there is often another name of the same type (the other agency, the other official), so a
  phrase needs more of the reader's confidence to be shown as a disagreement than to be cited as
  agreeing.

The thresholds are fitted on held-out articles by `python -m reader.calibrate` and stored in
`qa/calibration.json`: one family of thresholds on the reader's margin (a span's score minus its
window's no-answer score).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.keyword import STOPWORDS
from qa.values import dates, dates_agree, dates_comparable, numbers, numbers_agree, units_comparable

SHARED_WORDS = 0.5  # two phrases with this share of their words in common say the same
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    """Margin thresholds (see the module docstring) and where they were fitted."""

    answer: float = 0.0  # the best span answers when its margin is at least this
    side: float = 0.0  # another document's best span counts (agreeing, or a side of a number or date) at this margin
    side_text: float = 0.0  # another document's best span is another side of a phrase at this margin (and `side`)
    widen: float = 0.0  # a span reads as the widest span holding it with a margin at most this much lower
    # (margin from, share right): of the held-out answers whose best span scored from this margin up to the
    # next, the share that were right; ascending by margin, the first from `answer`
    reliability: tuple[tuple[float, float], ...] = ()
    fitted_on: str = "defaults"

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> Calibration:
        """Returns the stored calibration, or the defaults when there is none."""
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            data["reliability"] = tuple((float(m), float(r)) for m, r in data.get("reliability", ()))
            return cls(**data)
        return cls()

    def reliability_at(self, margin: float) -> float | None:
        """Returns the share of held-out answers scored like `margin` that were right; None when it was not
        measured (no reliability stored, or a margin under the first measured)."""
        found = None
        for start, share in self.reliability:
            if margin >= start:
                found = share
        return found


@dataclass(frozen=True)
class Reading:
    """A span the reader found, by document offsets."""

    doc_id: str
    start: int
    end: int
    text: str
    margin: float
    wider: tuple[Reading, ...] = ()  # the spans holding this one that the reader scored nearly as high (or higher)


def widened(r: Reading, widen: float) -> Reading:
    """Returns the reading as its widest holding span within `widen` of its margin (longest, then best
    scored), keeping its own margin; the reading itself when there is none."""
    near = [w for w in r.wider if w.margin >= r.margin - widen]
    if not near:
        return r
    w = max(near, key=lambda w: (w.end - w.start, w.margin))
    return Reading(r.doc_id, w.start, w.end, w.text, r.margin)


@dataclass(frozen=True)
class Decision:
    """What the answer says: nothing (abstain), one value with its documents, or several sides."""

    sides: tuple[tuple[Reading, ...], ...]  # the answer's side first; more than one side is a conflict
    kind: str  # "number", "date" or "text": the type of the answer's value
    reason: str = ""  # why it abstains

    @property
    def abstain(self) -> bool:
        """Returns True when nothing answers."""
        return not self.sides

    @property
    def best(self) -> Reading:
        """Returns the answering span."""
        return self.sides[0][0]


def value_kind(text: str) -> str:
    """Returns "number", "date" or "text": how two values of this span are compared."""
    if numbers(text):
        return "number"
    if dates(text):
        return "date"
    return "text"


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS} or set(re.findall(r"\w+", text.lower()))


def comparable(a: str, b: str) -> bool:
    """Returns True when two spans' values can agree or disagree: numbers of the same unit (or of none),
    dates that state a common part (a year and a day of a month do not), any two phrases."""
    kind = value_kind(a)
    if kind == "number":
        return any(units_comparable(x.unit, y.unit) for x in numbers(a) for y in numbers(b))
    if kind == "date":
        return any(dates_comparable(x.key, y.key) for x in dates(a) for y in dates(b))
    return True


def same_value(a: str, b: str) -> bool:
    """Returns True when two spans state the same value (numbers and dates by their normalised keys)."""
    kind = value_kind(a)
    if kind != value_kind(b):
        return False
    if kind == "number":
        return any(numbers_agree(x.key, y.key) and units_comparable(x.unit, y.unit) for x in numbers(a) for y in numbers(b))
    if kind == "date":
        return any(dates_agree(x.key, y.key) for x in dates(a) for y in dates(b))
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return a.strip().lower() == b.strip().lower()
    return wa <= wb or wb <= wa or len(wa & wb) >= SHARED_WORDS * len(wa | wb)


def decide(readings: Sequence[Reading], calibration: Calibration) -> Decision:
    """Returns the decision for the spans the reader found in the retrieved passages."""
    ranked = tuple(sorted((widened(r, calibration.widen) for r in readings), key=lambda r: -r.margin))
    if not ranked:
        return Decision((), "text", "no passage was retrieved")
    best = ranked[0]
    if best.margin < calibration.answer:
        return Decision((), value_kind(best.text), f"no passage answers: the best span scores {best.margin:.2f}, under the calibrated {calibration.answer:.2f}")
    kind = value_kind(best.text)
    own: dict[str, Reading] = {}
    for r in ranked:  # each document's own best span
        own.setdefault(r.doc_id, r)
    sides: list[list[Reading]] = [[best]]
    for doc_id, r in own.items():
        if doc_id == best.doc_id or r.margin < calibration.side or value_kind(r.text) != kind:
            continue
        for side in sides:
            if same_value(side[0].text, r.text):
                side.append(r)
                break
        else:
            if kind == "text" and r.margin < calibration.side_text:
                continue  # a different phrase the reader is not confident enough of to show as a disagreement
            if not any(comparable(side[0].text, r.text) for side in sides):
                continue  # "1921" says nothing about "19 June", "two years" nothing about "12 million euros"
            sides.append([r])
    return Decision(tuple(tuple(s) for s in sides), kind)
