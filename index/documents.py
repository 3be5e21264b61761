"""Loading documents from files: exact text, a stable id and a title.

A document's text is kept exactly as decoded from its file (UTF-8, nothing
normalised), so that every offset computed on it points into the file's text.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Document:
    """One article: its id, title, exact text and where it came from."""

    doc_id: str
    title: str
    text: str
    source: str = ""

    @property
    def sha(self) -> str:
        """Returns the SHA-256 of the text (hex), used to detect changes."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Skipped:
    """A file that was not loaded, and why."""

    path: str
    reason: str


def title_of(text: str) -> str:
    """Returns the document's title: its first Markdown heading, else its first non-blank line."""
    for line in text.splitlines():
        m = re.match(r"^\s{0,3}#{1,6}\s+(.*\S)", line)
        if m:
            return m.group(1).strip()[:200]
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return "(untitled)"


def read_document(path: Path, doc_id: str | None = None) -> Document:
    """Returns the document read from `path`.

    Raises ValueError naming the file when it is not UTF-8 text or is empty.
    """
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ValueError(f"{path}: binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if not text.strip():
        raise ValueError(f"{path}: empty document")
    return Document(doc_id=doc_id or path.stem, title=title_of(text), text=text, source=str(path))


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Yields every file under `paths` (files as given, folders recursively, sorted)."""
    for p in paths:
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
        elif p.is_file():
            yield p
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")


def load_documents(paths: Iterable[Path]) -> tuple[list[Document], list[Skipped]]:
    """Returns the documents found under `paths` and the files skipped, with reasons.

    Files of another type, binary files and files that are not UTF-8 are skipped with a
    warning that names them; the rest still load.
    """
    docs: list[Document] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for f in iter_files(paths):
        if f.suffix.lower() not in SUFFIXES:
            skipped.append(Skipped(str(f), f"unsupported file type {f.suffix or '(none)'}"))
            continue
        try:
            doc = read_document(f)
        except ValueError as exc:
            skipped.append(Skipped(str(f), str(exc).split(": ", 1)[-1]))
            continue
        if doc.doc_id in seen:
            skipped.append(Skipped(str(f), f"duplicate document id {doc.doc_id} (also {seen[doc.doc_id]})"))
            continue
        seen[doc.doc_id] = str(f)
        docs.append(doc)
    for s in skipped:
        log.warning("skipped %s: %s", s.path, s.reason)
    return docs, skipped
