"""PDF text by its text layer (pypdfium2: PDFium, BSD/Apache), with the offset where each page starts.

A page's visual lines are joined with spaces (a line ending in a hyphen joins without one), blank
lines stay paragraph breaks, and pages are joined with a space, so that sentences run on across
line and page breaks. The stored text is this joined text; `pages[i]` is the offset in it where
page i + 1 begins, so a quote's page is found from its start offset.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path

_LINES = re.compile(r"\r\n|\r|\n")
MIN_CHARS_PER_PAGE = 20  # fewer letters and digits than this on average: a scan without a text layer


def _page_text(raw: str) -> str:
    paragraphs, current = [], ""
    for line in _LINES.split(raw.replace("\x00", "")):
        line = line.strip()
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
        elif current.endswith("-") and line[:1].islower():
            current += line
        else:
            current = f"{current} {line}" if current else line
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def pdf_text(path: Path) -> tuple[str | None, str, tuple[int, ...]]:
    """Returns a PDF's title (from its properties, when set), its text and the offsets where its
    pages start. Raises ValueError when it is encrypted, unreadable or has no text layer (a scan)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ValueError(f"{path}: an encrypted PDF (password protected); save an unprotected copy to index it") from None
        raise ValueError(f"{path}: not a readable PDF ({exc})") from None
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(_page_text(textpage.get_text_bounded()))
            textpage.close()
            page.close()
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
    finally:
        pdf.close()
    letters = sum(ch.isalnum() for t in texts for ch in t)
    if letters < MIN_CHARS_PER_PAGE * max(1, len(texts)):
        raise ValueError(f"{path}: a PDF without a text layer (a scan?); run it through OCR first")
    text, starts = "", []
    for t in texts:
        if text and t:
            text += " "
        starts.append(len(text))
        text += t
    return title, text + "\n", tuple(starts)


def page_of(pages: Sequence[int], offset: int) -> int | None:
    """Returns the 1-based page holding `offset`, or None for a document without pages."""
    return bisect_right(pages, offset) if pages else None
