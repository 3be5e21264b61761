"""Loading documents from files: exact text, a stable id and a title.

A document's text is kept exactly as decoded from its file (UTF-8, or UTF-16 with its
byte-order mark; a leading mark dropped, nothing else normalised), so that every offset
computed on it points into the file's text. HTML is reduced to its visible text, a Word file
(.docx) to its paragraphs, one per line (headings included), and a PDF to the text of its text
layer with the offset where each page starts (index/pdf.py); offsets then point into that
stored text.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# How files are read (text, title, date, author). Change it when any of that changes: each indexed document records
# it, `qa index` reads a document recorded with another one again, and questions warn until it has.
LOADER = "loader-2/bylines"


@dataclass(frozen=True)
class Document:
    """One article: its id, title, exact text and where it came from."""

    doc_id: str
    title: str
    text: str
    source: str = ""
    pages: tuple[int, ...] = ()  # a PDF's page starts in `text` (index.pdf.page_of finds a quote's page)
    date: str = ""  # publication date, ISO (YYYY-MM-DD), where known: a web page's metadata or a dateline
    author: str = ""

    @property
    def sha(self) -> str:
        """Returns the SHA-256 of the text (hex), used to detect changes."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Skipped:
    """A file that was not loaded, and why."""

    path: str
    reason: str


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# a date, perhaps with a weekday and a time: "Wednesday, 20 February, 2019", "June 29, 2017 09:06"
_DATE = (rf"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s*)?"
         rf"(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}),?\s+\d{{4}}(?:,?\s+\d{{1,2}}:\d{{2}})?")
_DATELINE = re.compile(rf"^\W*(?P<date>{_DATE})\W*$", re.IGNORECASE)
# a byline: a name, then a date after a bar, dash, bullet or comma ("Melinda Barton | 29 June, 2017, 09:06",
# "By Lena Marsh, March 3, 2025"); the name has no digits and no sentence end
_BYLINE = re.compile(rf"^(?:by\s+)?(?P<author>[^\W\d_][^\d|·•—–,!?:;]{{0,60}}?)\s*(?:[|·•—–-]|,)\s*(?P<date>{_DATE})\W*$", re.IGNORECASE)
FRONT_LINES = 5  # the first non-blank lines searched for a dateline or a byline


def title_of(text: str) -> str:
    """Returns the document's title: its first Markdown heading, else its first non-blank line that
    is neither only a date (a page's dateline above its headline) nor a byline that starts with "By"."""
    for line in text.splitlines():
        m = re.match(r"^\s{0,3}#{1,6}\s+(.*\S)", line)
        if m:
            return m.group(1).strip()[:200]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if not _DATELINE.match(line) and not (line[:3].lower() == "by " and _byline(line)):
            return line[:200]
    return lines[0][:200] if lines else "(untitled)"


def _iso(date: str) -> str:
    """Returns the ISO form of a date matched by _DATE, or "" when it is no day of the calendar."""
    from datetime import datetime

    words = re.sub(r"^\W*(?:\w+day,?\s*)|,|\s+\d{1,2}:\d{2}.*$|\W+$", " ", date, flags=re.IGNORECASE).split()
    for fmt in ("%d %B %Y", "%B %d %Y", "%d %b %Y", "%b %d %Y"):
        try:
            return datetime.strptime(" ".join(w.rstrip(".") for w in words), fmt).date().isoformat()
        except ValueError:
            continue
    return ""


_NAME_PARTICLES = {"and", "&", "de", "da", "del", "der", "den", "van", "von", "al", "el", "bin", "ibn", "la", "le", "y"}


def _byline(line: str) -> tuple[str, str] | None:
    """Returns (author, ISO date) when the line is a byline, its name at most six capitalised words
    (particles such as "de", "van", "al" and "and" aside), else None."""
    m = None if _DATELINE.match(line) else _BYLINE.match(line)
    words = m["author"].split() if m else []
    if not m or len(words) > 6 or not all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words):
        return None
    date = _iso(m["date"])
    return (m["author"].strip(" .-"), date) if date else None


def front_matter(text: str) -> tuple[str, str]:
    """Returns (ISO date, author) from the first lines: a byline's ("Melinda Barton | 29 June, 2017"; on
    the first line, where a headline stands, only one that starts with "By"), else
    the date of a line that is only a date ("Wednesday, 20 February, 2019", which may be when the page was
    printed) and no author; "" for what is not there."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:FRONT_LINES]
    for i, line in enumerate(lines):
        if (i > 0 or line[:3].lower() == "by ") and (found := _byline(line)):  # a first line is the headline unless it says "By"
            return found[1], found[0]
    for line in lines:
        if (m := _DATELINE.match(line)) and (date := _iso(m["date"])):
            return date, ""
    return "", ""


def content_id(path: Path, text: str) -> str:
    """Returns a stable id from the file's name and its content hash, e.g. "my-report-3f2a9c1b0d4e5f60"."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-").lower()[:40] or "doc"
    return f"{slug}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


def read_document(path: Path, doc_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, hashed_id: bool = False) -> Document:
    """Returns the document read from `path` (HTML reduced to its visible text, Word to its
    paragraphs, PDF to its text layer).

    Text is UTF-8, or UTF-16 with its byte-order mark; a leading byte-order mark is not part of the
    text. Raises ValueError naming the file when it is not a regular file, too large, binary, in
    another encoding, holds NUL characters or is empty.
    """
    if not path.is_file():
        raise ValueError(f"{path}: not a regular file (a device, pipe or socket)")
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"{path}: {size / 2**20:.1f} MB is over the {max_bytes / 2**20:g} MB limit (QA_MAX_FILE_MB)")
    if path.suffix.lower() in (".docx", ".pdf"):
        pages: tuple[int, ...] = ()
        if path.suffix.lower() == ".pdf":
            from index.pdf import pdf_text

            title, text, pages = pdf_text(path)
        else:
            title, text = docx_text(path)
        if not text.strip():
            raise ValueError(f"{path}: empty document")
        ident = doc_id or (content_id(path, text) if hashed_id else path.stem)
        date, author = front_matter(text)
        return Document(doc_id=ident, title=title or title_of(text), text=text, source=str(path), pages=pages, date=date, author=author)
    data = path.read_bytes()
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    if encoding == "utf-8-sig" and b"\x00" in data:
        halves = data[0::2].count(0), data[1::2].count(0)
        if max(halves) > len(data) // 4:
            raise ValueError(f"{path}: UTF-16 text without a byte-order mark; save it as UTF-8")
        raise ValueError(f"{path}: binary file (contains NUL bytes)")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not {encoding.upper().removesuffix('-SIG')} text ({exc.reason} at byte {exc.start})") from exc
    if "\x00" in text:
        raise ValueError(f"{path}: text with NUL characters")
    title, date, author = None, "", ""
    if path.suffix.lower() in (".html", ".htm"):
        from index.html import article

        page = article(text)
        title, text, date, author = page.title, page.text, page.date, page.author
    if not text.strip():
        raise ValueError(f"{path}: empty document")
    ident = doc_id or (content_id(path, text) if hashed_id else path.stem)
    front_date, front_author = front_matter(text)
    return Document(doc_id=ident, title=title or title_of(text), text=text, source=str(path),
                    date=date or front_date, author=author or front_author)


def docx_text(path: Path) -> tuple[str | None, str]:
    """Returns a Word file's title (from its properties, when set) and its paragraphs in order, one per
    line, headings kept as lines. Raises ValueError when it is not a readable .docx."""
    import zipfile

    import docx
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(str(path))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable Word (.docx) file ({type(exc).__name__})") from None
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    return (document.core_properties.title or "").strip() or None, "\n".join(lines) + "\n"


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Yields every file under `paths` (files as given, folders recursively, sorted)."""
    for p in paths:
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
        elif p.is_file():
            yield p
        elif p.exists():
            yield p  # a device or a pipe: refused by read_document, with its reason
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")


def load_documents(
    paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES, hashed_ids: bool = False
) -> tuple[list[Document], list[Skipped]]:
    """Returns the documents found under `paths` and the files skipped, with reasons.

    Files of another type, files over `max_bytes`, binary files, files that are not UTF-8
    and files whose content repeats another's are skipped with a warning that names them;
    the rest still load. Ids are file stems, or name-and-content-hash ids with `hashed_ids`.
    """
    docs: list[Document] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    by_sha: dict[str, str] = {}
    for f in iter_files(paths):
        if f.suffix.lower() not in SUFFIXES:
            skipped.append(Skipped(str(f), f"unsupported file type {f.suffix or '(none)'}"))
            continue
        try:
            doc = read_document(f, max_bytes=max_bytes, hashed_id=hashed_ids)
        except ValueError as exc:
            skipped.append(Skipped(str(f), str(exc).split(": ", 1)[-1]))
            continue
        if doc.doc_id in seen:
            skipped.append(Skipped(str(f), f"duplicate document id {doc.doc_id} (also {seen[doc.doc_id]})"))
            continue
        if doc.sha in by_sha:
            skipped.append(Skipped(str(f), f"same content as {by_sha[doc.sha]}"))
            continue
        seen[doc.doc_id] = str(f)
        by_sha[doc.sha] = str(f)
        docs.append(doc)
    for s in skipped:  # the caller tells the user (qa index prints each, the UI lists them)
        log.info("skipped %s: %s", s.path, s.reason)
    return docs, skipped
