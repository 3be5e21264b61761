"""User documents: HTML text extraction, size limit, content-hash ids, duplicates, replacement."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build import build_index
from index.chunking import sentence_units
from index.documents import front_matter, load_documents, read_document, title_of
from index.embed import HashingEmbedder
from index.html import visible_text
from index.store import StoreConfig, VectorStore

PAGE = """<!doctype html><html><head><title>Mosul &amp; the river</title>
<style>body {color: red}</style><script>var secret = "do not index";</script></head>
<body><nav>Home | World</nav><h1>The Tigris</h1><p>The Tigris River cuts Mosul in half.</p>
<p>Bridges were <b>damaged</b> in 2017 &mdash; officials said.</p><!-- a comment --></body></html>"""


def test_html_visible_text_only() -> None:
    title, text = visible_text(PAGE)
    assert title == "Mosul & the river"
    assert "secret" not in text and "color" not in text and "comment" not in text
    assert "The Tigris River cuts Mosul in half." in text
    assert "Bridges were damaged in 2017 — officials said." in text


def test_html_document_offsets_point_into_extracted_text(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE)
    doc = read_document(tmp_path / "page.html", hashed_id=True)
    assert doc.title == "Mosul & the river" and doc.doc_id.startswith("page-")
    for u in sentence_units(doc):
        assert doc.text[u.start : u.end] == u.text and "<" not in u.text


def test_size_limit_refuses_big_files_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 300_000)
    (tmp_path / "small.txt").write_text("A small article.\n")
    docs, skipped = load_documents([tmp_path], max_bytes=1_000_000)
    assert [d.doc_id for d in docs] == ["small"]
    assert skipped[0].path.endswith("big.txt") and "limit" in skipped[0].reason


def test_content_ids_are_stable_and_duplicates_reported(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "Report One.md").write_text("# Report\n\nThe convoy left at dawn.\n")
    (folder / "copy.txt").write_text("# Report\n\nThe convoy left at dawn.\n")
    docs, skipped = load_documents([folder], hashed_ids=True)
    assert len(docs) == 1 and docs[0].doc_id.startswith("report-one-") and len(docs[0].doc_id) == len("report-one-") + 16
    assert "same content" in skipped[0].reason
    again, _ = load_documents([folder], hashed_ids=True)
    assert again[0].doc_id == docs[0].doc_id


def test_user_file_changes_replace_its_old_version(tmp_path: Path, seeds_copy: Path) -> None:
    config = StoreConfig(tmp_path / "idx")
    emb = HashingEmbedder()
    build_index(config, emb, [seeds_copy])
    mine = tmp_path / "mine"
    mine.mkdir()
    note = mine / "note.md"
    note.write_text("# Note\n\nFirst version.\n")
    first = build_index(config, emb, [mine], hashed_ids=True)
    note.write_text("# Note\n\nSecond version, longer.\n")
    second = build_index(config, emb, [mine], hashed_ids=True)
    assert second.removed == first.added and len(second.added) == 1
    docs = VectorStore(config).docs()
    assert len(docs) == 6 and docs[second.added[0]].text.endswith("Second version, longer.\n")
    # a copy of a seed under another name is detected, not stored twice
    (mine / "dup.txt").write_bytes((seeds_copy / "003_d97496b591feec8d.txt").read_bytes())
    third = build_index(config, emb, [mine], hashed_ids=True)
    assert any("003_d97496b591feec8d" in s.reason for s in third.skipped)
    assert len(VectorStore(config).docs()) == 6


def test_a_title_is_the_first_line_that_is_not_only_a_date() -> None:
    assert title_of("Wednesday, 20 February, 2019\n\nISIS extremists losing ground\n\nText.") == "ISIS extremists losing ground"
    assert title_of("June 29, 2017 09:06\nThe headline\n") == "The headline"
    assert title_of("29 June 2017 marked the end of the siege.\n") == "29 June 2017 marked the end of the siege."
    assert title_of("20 February, 2019\n") == "20 February, 2019"  # nothing but a date: the date
    assert title_of("Intro\n# The heading\n") == "The heading"


def test_a_byline_in_plain_text_gives_the_author_and_the_date_over_a_printed_dateline(tmp_path: Path) -> None:
    (tmp_path / "printed.txt").write_text("Wednesday, 20 February, 2019\n\nFerry fares rise\n\n"
                                          "Melinda Barton | 29 June, 2017, 09:06\n\nFares rose by a tenth.\n")
    (tmp_path / "by.txt").write_text("By Ana de la Cruz, March 3, 2025\nStorm report\n\nThe storm passed.\n")
    (tmp_path / "dated.txt").write_text("June 30, 2017\n\nOld City report\n\nThe offensive began.\n")
    got = {d.doc_id: (d.title, d.author, d.date) for d in load_documents([tmp_path])[0]}
    assert got == {
        "printed": ("Ferry fares rise", "Melinda Barton", "2017-06-29"),  # the byline's date, not the page's
        "by": ("Storm report", "Ana de la Cruz", "2025-03-03"),
        "dated": ("Old City report", "", "2017-06-30"),
    }


@pytest.mark.parametrize("line", [
    "The agreement signed in Paris, 12 December 2015",  # a sentence: not capitalised as a name
    "Talks resumed in Geneva on March 3, 2025.",
    "Melinda Barton | 31 June, 2017",  # no day of the calendar
    "Mosul Falls - June 29, 2017",  # a headline with its date, on the first line
    "Reported by 12 agencies | March 3, 2025",
])
def test_a_line_ending_in_a_date_is_no_byline_unless_a_name_comes_before_it(line: str) -> None:
    assert front_matter(f"{line}\n\nText.\n") == ("", "")
    assert title_of(f"{line}\n\nText.\n") == line


def test_encodings_are_read_or_named_and_nul_characters_refused(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes("\ufeffBOM Title\nThe dam opened in 1950.\n".encode("utf-8"))
    (tmp_path / "u16.txt").write_bytes("Wide Title\nThe ferry ran at midnight.\n".encode("utf-16"))
    (tmp_path / "u16le.txt").write_bytes("No mark at all\nStill UTF-16.\n".encode("utf-16-le"))
    (tmp_path / "late-nul.txt").write_bytes(b"Fine start.\n" + b"x" * 9000 + b"\x00 hidden\n")
    docs, skipped = load_documents([tmp_path])
    assert sorted(d.title for d in docs) == ["BOM Title", "Wide Title"]
    assert all(not d.text.startswith("\ufeff") for d in docs)
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons == {"u16le.txt": "UTF-16 text without a byte-order mark; save it as UTF-8", "late-nul.txt": "binary file (contains NUL bytes)"}


def test_a_path_that_is_no_regular_file_is_refused_with_a_reason(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    docs, skipped = load_documents([fifo, Path("/dev/null")])
    assert docs == [] and [s.reason for s in skipped] == ["not a regular file (a device, pipe or socket)", "unsupported file type (none)"]


def test_the_size_limit_is_said_in_the_unit_it_is_set_in(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 300_000)  # 1.4 MiB
    _, skipped = load_documents([tmp_path], max_bytes=1 * 2**20)
    assert skipped[0].reason == "1.4 MB is over the 1 MB limit (QA_MAX_FILE_MB)"


def test_a_word_file_gives_its_paragraphs_in_order_and_quotes_slice_them_exactly(tmp_path: Path) -> None:
    import docx

    word = docx.Document()
    word.core_properties.title = "Harbour report"
    word.add_heading("Storm closes the harbour", level=1)
    word.add_paragraph("By Lena Ruiz | 4 May 2019")
    word.add_paragraph("The harbour closed on 3 May after the storm.")
    word.add_paragraph("")
    word.add_paragraph("About 40 boats stayed at sea, the port authority said.")
    word.save(str(tmp_path / "report.docx"))
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    docs, skipped = load_documents([tmp_path])
    assert [(d.title, d.author, d.date) for d in docs] == [("Harbour report", "Lena Ruiz", "2019-05-04")]
    text = docs[0].text
    assert text == "Storm closes the harbour\nBy Lena Ruiz | 4 May 2019\nThe harbour closed on 3 May after the storm.\nAbout 40 boats stayed at sea, the port authority said.\n"
    units = sentence_units(docs[0])
    assert [text[u.start : u.end] for u in units][-1] == "About 40 boats stayed at sea, the port authority said."
    assert [Path(s.path).name for s in skipped] == ["broken.docx"] and "not a readable Word" in skipped[0].reason


def _pdf(path: Path, pages: list[list[str]], title: str | None = None, encrypt: str | None = None) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt=encrypt)
    if title:
        c.setTitle(title)
    for lines in pages:
        for i, line in enumerate(lines):
            c.drawString(72, 750 - 15 * i, line)
        if not lines:
            c.rect(72, 300, 400, 400, fill=1)  # a picture of a page, no text
        c.showPage()
    c.save()


def test_a_pdf_gives_its_text_layer_with_pages_and_a_quote_from_page_2_says_page_2(tmp_path: Path) -> None:
    from index.build import build_index
    from index.corpus import Corpus
    from index.embed import HashingEmbedder
    from index.store import StoreConfig, VectorStore
    from qa.quote import quote
    from qa.types import Answer

    _pdf(tmp_path / "bridge.pdf", [
        ["The Vell Bridge was opened on 3 May 1921 by Mayor Anna Kowal. It is", "120 metres long and carries"],
        ["about 4,000 cars a day across the river Vell.", "Repairs closed it for a month in 2019."],
    ], title="Bridge report")
    docs, skipped = load_documents([tmp_path])
    assert skipped == [] and [d.title for d in docs] == ["Bridge report"]
    doc = docs[0]
    assert doc.text == ("The Vell Bridge was opened on 3 May 1921 by Mayor Anna Kowal. It is 120 metres long and carries "
                        "about 4,000 cars a day across the river Vell. Repairs closed it for a month in 2019.\n")
    assert doc.pages == (0, doc.text.index("about 4,000"))
    units = [doc.text[u.start : u.end] for u in sentence_units(doc)]
    assert "It is 120 metres long and carries about 4,000 cars a day across the river Vell." in units  # across the page break
    config = StoreConfig(tmp_path / "idx")
    build_index(config, HashingEmbedder(), [tmp_path / "bridge.pdf"])
    corpus = Corpus(VectorStore(config))
    start = doc.text.index("Repairs")
    on_two = quote(corpus, "bridge", start, start + len("Repairs closed it"), answer=True)
    assert on_two.page == 2 and on_two.text == doc.text[on_two.start : on_two.end] and on_two.text.startswith("Repairs")
    assert "p. 2, chars" in on_two.where and "p. 2, chars" in Answer("q?", "Repairs [1].", (on_two,)).to_markdown()
    on_one = quote(corpus, "bridge", doc.text.index("Anna"), doc.text.index("Anna") + 10)
    assert on_one.page == 1


def test_a_scanned_or_encrypted_pdf_is_refused_with_its_reason(tmp_path: Path) -> None:
    _pdf(tmp_path / "scan.pdf", [[], []])
    _pdf(tmp_path / "locked.pdf", [["A secret report on the harbour."]], encrypt="secret")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    docs, skipped = load_documents([tmp_path])
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert docs == []
    assert "without a text layer" in reasons["scan.pdf"]
    assert "encrypted" in reasons["locked.pdf"]
    assert "not a readable PDF" in reasons["broken.pdf"]


NEWS_PAGE = """<!doctype html><html><head><title>Storm closes harbour | The Coast Times</title>
<meta name="author" content="Lena Ruiz"><meta property="article:published_time" content="2019-05-04T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World news</a> <a href="/sport">Sport results</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<article><h1>Storm closes the harbour</h1>
<p>The harbour closed on 3 May after the storm, the port authority said on Saturday.</p>
<p>About 40 boats stayed at sea overnight, and two were still missing on Sunday morning.</p>
<p>The authority said the harbour would reopen when the wind fell below 50 kilometres an hour.</p></article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Floods hit the valley again</a></li><li><a href="/b">Ferry fares rise</a></li></ul></aside>
<script>document.title = "pwned"</script><footer>Copyright 2019 The Coast Times</footer></body></html>"""


def test_a_saved_web_page_gives_its_article_with_title_author_and_date_not_its_boilerplate(tmp_path: Path) -> None:
    (tmp_path / "storm.html").write_text(NEWS_PAGE, encoding="utf-8")
    doc = read_document(tmp_path / "storm.html")
    assert (doc.title, doc.author, doc.date) == ("Storm closes the harbour", "Lena Ruiz", "2019-05-04")
    assert "About 40 boats stayed at sea overnight, and two were still missing on Sunday morning." in doc.text
    for boilerplate in ("cookies", "Related stories", "Ferry fares", "World news", "Copyright", "pwned"):
        assert boilerplate not in doc.text
    config = StoreConfig(tmp_path / "idx")
    build_index(config, HashingEmbedder(), [tmp_path / "storm.html"])
    stored = VectorStore(config).docs()["storm"]
    assert (stored.date, stored.author, stored.text) == ("2019-05-04", "Lena Ruiz", doc.text)
