"""HTML for the web UI: answer with clickable markers, quote cards, conflicts, the source viewer.

Pure functions of `Answer` values and document text; every piece of text is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from qa import Answer, Quote

CSS = """
.qa-answer {font-size: 1.15rem; line-height: 1.5; padding: .6rem .2rem;}
.qa-answer a.marker {text-decoration: none; font-weight: 600; color: #1d4ed8; cursor: pointer; padding: 0 .1rem;}
.qa-answer.abstained {color: #92400e;}
.qa-note {font-size: .85rem; color: #6b7280; margin-top: .3rem;}
.qa-reliability {font-size: .9rem; color: #374151; padding: 0 .2rem .3rem;}
.qa-error {color: #b91c1c; font-weight: 600; padding: .6rem .2rem;}
.qa-cards {display: flex; flex-direction: column; gap: .5rem;}
.qa-card {border: 1px solid #e5e7eb; border-radius: 8px; padding: .6rem .8rem; cursor: pointer; background: #fff;}
.qa-card:hover {border-color: #1d4ed8;}
.qa-card .head {font-size: .85rem; color: #374151; margin-bottom: .25rem;}
.qa-card .num {font-weight: 700; color: #1d4ed8; margin-right: .3rem;}
.qa-card .pos {color: #6b7280;}
.qa-card blockquote {margin: 0; font-style: italic; color: #111827;}
.qa-card.nearest {background: #f9fafb; border-style: dashed;}
.qa-conflict {display: flex; flex-wrap: wrap; gap: .75rem; margin: .5rem 0;}
.qa-side {flex: 1 1 220px; border: 1px solid #fcd34d; background: #fffbeb; border-radius: 8px; padding: .6rem .8rem;}
.qa-side .value {font-size: 1.3rem; font-weight: 700;}
.qa-viewer {max-height: 70vh; overflow-y: auto; white-space: pre-wrap; line-height: 1.55; font-size: .95rem;
            border: 1px solid #e5e7eb; border-radius: 8px; padding: .8rem;}
.qa-viewer mark {background: #fde68a; padding: 0 .1rem; border-radius: 3px;}
.qa-viewer mark.current {background: #f59e0b; outline: 2px solid #b45309;}
.qa-span {font-style: normal; font-weight: 700; text-decoration: underline 2px #1d4ed8; text-underline-offset: 3px;}
.qa-viewer h4 {margin: 0 0 .5rem 0; white-space: normal;}
.qa-viewer .qa-page {display: inline-block; margin: 0 .3rem; padding: 0 .3rem; font-size: .75rem; color: #6b7280; border: 1px solid #d1d5db; border-radius: 3px; user-select: none;}
.qa-status {font-size: .85rem; color: #4b5563;}
#quote-picker {display: none;}
"""

# Clicking a marker or a card picks the quote in the (hidden) radio, which updates the viewer.
PICK_JS = "qaPick"
HEAD_JS = """
<script>
function qaPick(n) {
  const inputs = document.querySelectorAll('#quote-picker input[type=radio]');
  if (inputs.length >= n) { inputs[n - 1].click(); }
}
</script>
"""
SCROLL_JS = """
() => {
  // the viewer's new HTML may land a moment later: keep its current quote centred for a short while,
  // moving only the viewer's own scroll position, never the page's
  let waited = 0;
  const timer = setInterval(() => {
    const el = document.querySelector('#source-viewer mark.current');
    const box = el && el.closest('.qa-viewer');
    if (box) {
      const top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      box.scrollTop = Math.max(0, top - box.clientHeight / 2 + el.offsetHeight / 2);
    }
    waited += 150;
    if (waited > 2000) clearInterval(timer);
  }, 150);
}
"""


def esc(text: str) -> str:
    """Returns `text` escaped for HTML."""
    return html.escape(text, quote=True)


def _markers(text: str) -> str:
    return re.sub(r"\[(\d+)\]", lambda m: f'<a class="marker" onclick="{PICK_JS}({m.group(1)})" title="show quote {m.group(1)}">[{m.group(1)}]</a>', esc(text))


def answer_html(a: Answer) -> str:
    """Returns the answer text with clickable markers, and conflict sides when there are any."""
    cls = "qa-answer abstained" if a.abstained else "qa-answer"
    parts = [f'<div class="{cls}">{_markers(a.text)}</div>']
    if a.reliability_text:
        parts.append(f'<div class="qa-reliability">{esc(a.reliability_text)}</div>')
    for c in a.conflicts:
        parts.append('<div class="qa-conflict">')
        for side in c.sides:
            titles = "; ".join(esc(a.quotes[m - 1].title) for m in side.markers)
            links = " ".join(f'<a class="marker" onclick="{PICK_JS}({m})">[{m}]</a>' for m in side.markers)
            when = f'<div class="pos">{esc(side.date)}</div>' if side.date else ""
            parts.append(f'<div class="qa-side"><div class="value">{esc(side.value)}</div>{when}<div>{links} {titles}</div></div>')
        parts.append("</div>")
    parts.append(f'<div class="qa-note">answered by: {esc(a.mode)}{" · " + esc("; ".join(a.notes)) if a.notes else ""}</div>')
    return "\n".join(parts)


def _card(n: int | None, q: Quote, nearest: bool = False) -> str:
    num = f'<span class="num">[{n}]</span>' if n else ""
    click = f' onclick="{PICK_JS}({n})"' if n else ""
    return (
        f'<div class="qa-card{" nearest" if nearest else ""}"{click}>'
        f'<div class="head">{num}<b>{esc(q.title)}</b> · {esc(q.doc_id)} · <span class="pos">{esc(q.where)}</span></div>'
        f"<blockquote>{spanned(q.text, q.start, _answer_span(q))}</blockquote></div>"  # verbatim: no marks added to a quote that has its own
    )


def _answer_span(q: Quote) -> list[tuple[int, int]]:
    return [(q.answer_start, q.answer_end)] if q.answer_start is not None and q.answer_end is not None else []


def spanned(text: str, base: int, spans: list[tuple[int, int]]) -> str:
    """Returns `text` (which starts at document offset `base`) escaped, the answer spans (document
    offsets) inside it marked."""
    out, pos = [], 0
    for s, e in sorted(spans):
        s, e = max(s - base, pos), min(e - base, len(text))
        if s >= e:
            continue
        out.append(esc(text[pos:s]))
        out.append(f'<strong class="qa-span" title="the answer">{esc(text[s:e])}</strong>')
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)


def cards_html(a: Answer) -> str:
    """Returns one card per quote, and the nearest passages marked as not answering."""
    parts = ['<div class="qa-cards">']
    parts += [_card(i, q) for i, q in enumerate(a.quotes, 1)]
    if a.nearest:
        parts.append("<div class='qa-note'>Nearest passages — these do <b>not</b> answer the question:</div>")
        parts += [_card(None, q, nearest=True) for q in a.nearest]
    parts.append("</div>")
    return "\n".join(parts)


def paged(text: str, base: int, pages: Sequence[int]) -> str:
    """Returns `text` (which starts at document offset `base`) escaped, with a page mark where each
    page after the first begins (marks are shown beside the text, never inside a quote)."""
    out, pos = [], 0
    for number, start in enumerate(pages, 1):
        if number > 1 and base + pos <= start <= base + len(text):
            out.append(esc(text[pos : start - base]))
            out.append(f'<span class="qa-page" title="page {number} begins">p. {number}</span>')
            pos = start - base
    out.append(esc(text[pos:]))
    return "".join(out)


def viewer_html(
    title: str, doc_id: str, text: str, spans: list[tuple[int, int, int]], current: int | None, answers: Sequence[tuple[int, int]] = (),
    pages: Sequence[int] = (),
) -> str:
    """Returns the article with quoted spans highlighted in place, the answer spans inside them marked;
    `spans` are (start, end, marker), `answers` (start, end), all document offsets; `pages`: a PDF's page starts."""
    out = [f'<div class="qa-viewer"><h4>{esc(title)} <small>({esc(doc_id)})</small></h4>']
    pos = 0
    for start, end, n in sorted(spans):
        if start < pos:  # overlapping quotes: highlight the remainder only
            start = pos
        if start >= end:
            continue
        out.append(paged(text[pos:start], pos, pages))
        cls = ' class="current"' if n == current else ""
        out.append(f'<mark id="quote-{n}"{cls} title="quote [{n}]">{spanned(text[start:end], start, list(answers))}</mark>')
        pos = end
    out.append(paged(text[pos:], pos, pages))
    out.append("</div>")
    return "".join(out)


def error_html(message: str) -> str:
    """Returns an error message for the page (never a stack trace)."""
    return f'<div class="qa-error">⚠ {esc(message)}</div>'


def esc_status(message: str) -> str:
    """Returns a progress message for the answer area."""
    return f'<div class="qa-note">⏳ {esc(message)}</div>'
