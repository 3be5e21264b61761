"""The values that cross the qa seam, and their exports."""

from __future__ import annotations

from qa import Answer, Quote


def test_markdown_export_escapes_what_documents_bring() -> None:
    title, text = "<img src=x onerror=alert(1)> *News*", "Costs rose <b>5%</b> in the_city."
    a = Answer("q", "Five percent [1].", (Quote("doc_1", title, 0, len(text), text, 16, 18),))
    md = a.to_markdown()
    assert "<img" not in md and "<b>" not in md
    assert "&lt;img src=x onerror=alert(1)&gt; \\*News\\*" in md and "the\\_city" in md and "doc\\_1" in md
    assert a.to_dict()["quotes"][0]["text"] == text  # JSON keeps the exact text
