"""The values that cross the `qa` seam: `Quote`, `Conflict`, `Answer`."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any


def _lists(value: Any) -> Any:
    """Returns `value` with its tuples as lists, recursively (what JSON makes of them)."""
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    return {k: _lists(v) for k, v in value.items()} if isinstance(value, dict) else value


class _Serialisable:
    def to_dict(self) -> dict[str, Any]:
        """Returns a JSON-serialisable dict of the fields (tuples as lists)."""
        return dict(_lists(asdict(self)))  # type: ignore[call-overload]


def _md(text: str) -> str:
    """Returns `text` safe inside Markdown: HTML characters as entities, emphasis marks escaped."""
    return html.escape(text, quote=False).replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")


@dataclass(frozen=True)
class Quote(_Serialisable):
    """A verbatim passage: `text == document_text[start:end]` by construction.

    `answer_start`/`answer_end` are the document offsets of the answer span inside the quote
    (None for a quote that only shows context, such as a nearest passage of an abstention).
    """

    doc_id: str
    title: str
    start: int
    end: int
    text: str
    answer_start: int | None = None
    answer_end: int | None = None
    page: int | None = None  # the PDF page where the quote starts (None for other formats)
    date: str | None = None  # the article's publication date (ISO), where known
    author: str | None = None  # the article's author, where known (a web page's, or a byline's)

    @property
    def where(self) -> str:
        """Returns who wrote the quote, when and where it lies, for people: "Lena Ruiz, 2019-05-04, p. 2,
        chars 120–180", or "chars 120–180" where nothing else is known."""
        known = [x for x in (self.author, self.date, f"p. {self.page}" if self.page else None) if x]
        return ", ".join([*known, f"chars {self.start}–{self.end}"])


@dataclass(frozen=True)
class ConflictSide:
    """One value the sources give, and the markers (1-based, into `Answer.quotes`) that give it."""

    value: str
    markers: tuple[int, ...]
    doc_ids: tuple[str, ...]
    date: str | None = None  # the earliest publication date of its documents, where known (sides run oldest first)


@dataclass(frozen=True)
class Conflict(_Serialisable):
    """Documents disagree on the asked fact: every side with its quotes."""

    kind: str  # "number", "date" or "text"
    sides: tuple[ConflictSide, ...]


@dataclass(frozen=True)
class Answer(_Serialisable):
    """A short answer whose markers [n] point into `quotes` (1-based)."""

    question: str
    text: str
    quotes: tuple[Quote, ...] = ()
    abstained: bool = False
    conflicts: tuple[Conflict, ...] = ()
    mode: str = "extractive"  # which backend produced `text`: "llm" or "extractive"
    nearest: tuple[Quote, ...] = ()  # shown when abstaining: closest passages, which do not answer
    notes: tuple[str, ...] = field(default=())  # e.g. why an LLM answer was rejected
    # the share of answers scored like this one (by the reader's margin) that were right on held-out
    # articles (`qa/calibration.json`); None for an abstention or where it was not measured
    reliability: float | None = None

    @property
    def reliability_text(self) -> str:
        """Returns the reliability as a sentence for people ("" when there is none)."""
        if self.reliability is None:
            return ""
        return f"On held-out articles, {round(100 * self.reliability)}% of answers scored like this one were right."

    def to_markdown(self) -> str:
        """Returns the answer and its numbered quotes as Markdown; text from the documents is escaped
        (a title or quote holding `<img onerror=...>` renders as text, never as HTML)."""
        lines = [_md(self.text), *([f"*{self.reliability_text}*"] if self.reliability_text else []), ""]
        for i, q in enumerate(self.quotes, 1):
            lines.append(f"[{i}] “{_md(q.text)}” — *{_md(q.title)}* ({_md(q.doc_id)}, {_md(q.where)})")
        if self.nearest:
            lines.append("\nNearest passages (these do not answer the question):")
            for q in self.nearest:
                lines.append(f"- “{_md(q.text)}” — *{_md(q.title)}* ({_md(q.doc_id)}, {_md(q.where)})")
        return "\n".join(lines).strip()
