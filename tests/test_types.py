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


def test_to_dict_is_what_json_makes_of_every_field() -> None:
    import json

    from qa import Conflict, ConflictSide

    q = Quote("d1", "T", 0, 5, "Alpha", 0, 5, page=2, date="2017-01-02", author="Lena Ruiz")
    sides = (ConflictSide("5", (1,), ("d1",), "2017-01-02"), ConflictSide("6", (2, 3), ("d2", "d3")))
    a = Answer("q", "The sources disagree: 5 [1] versus 6 [2][3].", (q, q, q), conflicts=(Conflict("number", sides),), notes=("n",))
    d = a.to_dict()
    assert d == json.loads(json.dumps(d))  # lists, not tuples, all the way down
    assert list(d) == ["question", "text", "quotes", "abstained", "conflicts", "mode", "nearest", "notes", "reliability"]
    assert d["conflicts"][0]["sides"][1] == {"value": "6", "markers": [2, 3], "doc_ids": ["d2", "d3"], "date": None}
    assert d["quotes"][0]["page"] == 2 and d["quotes"][0]["author"] == "Lena Ruiz" and d["nearest"] == [] and d["notes"] == ["n"]


def test_a_quote_says_who_wrote_it_when_and_where_it_lies_as_far_as_known() -> None:
    q = Quote("d1", "T", 120, 180, "x" * 60)
    assert q.where == "chars 120–180"
    assert Quote("d1", "T", 120, 180, "x" * 60, page=2, date="2019-05-04", author="Lena Ruiz").where == "Lena Ruiz, 2019-05-04, p. 2, chars 120–180"
    odd = Answer("q", "X [1].", (Quote("d1", "T", 0, 1, "x", author="<i>Ana</i> *de* la_Cruz"),)).to_markdown()
    assert "(d1, &lt;i&gt;Ana&lt;/i&gt; \\*de\\* la\\_Cruz, chars 0–1)" in odd  # an author is text from the document: escaped


def test_the_reliability_is_stated_as_a_share_of_right_answers_and_only_when_measured() -> None:
    a = Answer("q", "Five percent [1].", reliability=0.687)
    assert a.reliability_text == "On held-out articles, 69% of answers scored like this one were right."
    assert a.to_markdown().splitlines()[1] == f"*{a.reliability_text}*" and a.to_dict()["reliability"] == 0.687
    assert Answer("q", "Not in the sources.", abstained=True).reliability_text == ""
    assert "held-out" not in Answer("q", "Five percent [1].").to_markdown()
