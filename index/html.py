"""The article in an HTML page: its main text, title, author and publication date.

A saved web page holds navigation, cookie banners and "related stories" around the article;
trafilatura (Apache-2.0) finds the article's own text and its metadata (the date by htmldate, from
the page's meta tags and markup). A page where it finds no article (a bare fragment) is reduced to
all its visible text by the standard library's HTMLParser. Either way the extracted text is what
gets stored and quoted, so offsets point into it, never into the markup; scripts never pass.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

MIN_ARTICLE_WORDS = 20  # a shorter "article" from the extractor is taken as a miss: the whole page is read
for _noisy in ("trafilatura", "htmldate"):  # they log every page they find little in
    logging.getLogger(_noisy).setLevel(logging.ERROR)

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


@dataclass(frozen=True)
class Article:
    """What a page says: its title, text (paragraphs one blank line apart), author and date (ISO), where known."""

    title: str | None
    text: str
    author: str = ""
    date: str = ""


def article(markup: str) -> Article:
    """Returns the page's article (its main text and metadata), else its whole visible text."""
    import trafilatura

    found = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False, include_tables=True,
                                        favor_precision=True, deduplicate=False)
    meta = (found if isinstance(found, dict) else found.as_dict()) if found is not None else {}
    lines = [" ".join(line.split()) for line in (meta.get("text") or "").split("\n")]
    paragraphs = [line for line in lines if line]
    if sum(len(p.split()) for p in paragraphs) < MIN_ARTICLE_WORDS:
        title, text = visible_text(markup)
        return Article(title, text)
    return Article(meta.get("title") or None, "\n\n".join(paragraphs) + "\n", meta.get("author") or "", meta.get("date") or "")


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
