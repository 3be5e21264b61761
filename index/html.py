"""Visible text of an HTML page, with a real parser (the standard library's HTMLParser).

The extracted text is what gets stored and quoted, so offsets stay stable: they point into
the extracted text, never into the markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "header", "footer", "blockquote", "pre", "figcaption", "hr", "main", "aside", "nav", "dd", "dt",
}


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.h1: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP and tag != "head":
            self.skip += 1
        if tag in ("title", "h1"):
            self._in.append(tag)
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and tag != "head" and self.skip:
            self.skip -= 1
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "title":
            self.title.append(data)
            return
        if self.skip:
            return
        if self._in and self._in[-1] == "h1":
            self.h1.append(data)
        self.parts.append(data)


def visible_text(markup: str) -> tuple[str | None, str]:
    """Returns (title, visible text): the <title> or first <h1>, and the text with one blank line between blocks."""
    p = _Extractor()
    p.feed(markup)
    p.close()
    raw = "".join(p.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in raw.split("\n")]
    paragraphs = [line for line in lines if line]
    title = " ".join("".join(p.title).split()) or " ".join("".join(p.h1).split()) or None
    return title, "\n\n".join(paragraphs) + ("\n" if paragraphs else "")
