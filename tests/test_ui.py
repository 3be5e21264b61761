"""The web UI for real: a Gradio server on a free 127.0.0.1 port, gradio_client, and Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.settings import Settings
from tests.conftest import SEEDS, free_port

pytestmark = pytest.mark.integration

TEXTS = {p.stem: p.read_bytes().decode("utf-8") for p in SEEDS.glob("*.txt")}
OUTPUT = Path(__file__).parent / "output"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from ui.app import serve

    folder = tmp_path_factory.mktemp("ui")
    settings = Settings(index_dir=folder / "index", seeds_dir=SEEDS, embedder="minilm", llm="none")
    port = free_port()
    demo = serve(settings, host="127.0.0.1", port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def client(app_url: str):  # type: ignore[no-untyped-def]
    from gradio_client import Client

    return Client(app_url, analytics_enabled=False, verbose=False)


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    """A headless Debian Chromium (make test installs it)."""
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium (make test does it)")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_answerable_question_has_quotes_at_exact_offsets(client) -> None:  # type: ignore[no-untyped-def]
    a = client.predict("How many civilians remain in the battlefield?", "none", 4, api_name="/answer")
    assert not a["abstained"] and "100,000" in a["text"]
    assert a["quotes"] and 0.0 <= a["reliability"] <= 1.0  # the shipped calibration measures it
    for q in a["quotes"]:
        assert TEXTS[q["doc_id"]][q["start"] : q["end"]] == q["text"]


def test_unanswerable_question_abstains(client) -> None:  # type: ignore[no-untyped-def]
    # how often the reader abstains rightly is the eval suite's to measure; here, how an abstention comes back
    a = client.predict("How much aid money did Japan pledge for rebuilding Mosul's bridges?", "none", 4, api_name="/answer")
    assert a["abstained"] and a["text"].startswith("Not in the sources") and not a["quotes"]


def test_conflict_shows_both_values(client) -> None:  # type: ignore[no-untyped-def]
    a = client.predict("How old is the Grand al-Nuri Mosque?", "none", 4, api_name="/answer")
    assert a["conflicts"] and "850" in a["text"] and "800" in a["text"]
    values = [s["value"] for s in a["conflicts"][0]["sides"]]
    assert len(values) == 2 and {"850", "800"} == {v for v in ("850", "800") if any(v in x for x in values)}


def test_errors_come_back_as_messages(client) -> None:  # type: ignore[no-untyped-def]
    assert "empty" in client.predict("   ", "none", 4, api_name="/answer")["error"]
    assert "QA_LLM" in client.predict("How old is the mosque?", "no-such-backend", 4, api_name="/answer")["error"]
    for bad in (-1, 10**18, 2.5):
        assert "top_k must be" in client.predict("How old is the mosque?", "none", bad, api_name="/answer")["error"]


@pytest.mark.browser
def test_browser_asks_and_shows_a_highlighted_quote(app_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app_url)
    box = page.locator("#question textarea")
    box.fill("How old is the Grand al-Nuri Mosque?")
    box.press("Enter")
    page.wait_for_selector("#quote-cards .qa-card", timeout=120_000)
    assert "850" in page.locator("#answer").inner_text()
    assert "% of answers scored like this one were right" in page.locator("#answer .qa-reliability").inner_text()
    mark = page.locator("#source-viewer mark.current")
    mark.wait_for(state="visible", timeout=30_000)
    second = page.locator("#quote-cards .qa-card").nth(1)
    wanted = second.locator("blockquote").inner_text().strip()  # the card shows the quote verbatim
    assert wanted not in mark.inner_text()  # the second quote is not the one shown first
    second.click()
    page.wait_for_function(
        "(w) => (document.querySelector('#source-viewer mark.current') || {}).textContent === w",
        arg=wanted,
        timeout=30_000,
    )
    assert page.locator("#source-viewer mark.current").is_visible()
    # the answer span is marked inside its quote card and inside the quote in the article
    span = second.locator("strong.qa-span")
    assert span.count() == 1 and span.inner_text().strip() in wanted
    assert page.locator("#source-viewer mark.current strong.qa-span").inner_text() == span.inner_text()
    page.wait_for_function(  # scrolled into view inside the viewer
        """() => { const m = document.querySelector('#source-viewer mark.current');
                   const v = m && m.closest('.qa-viewer'); if (!v) return false;
                   const a = m.getBoundingClientRect(), b = v.getBoundingClientRect();
                   return a.top >= b.top && a.bottom <= b.bottom; }""",
        timeout=10_000,
    )
    page.screenshot(path=str(OUTPUT / "ui_answer.png"), full_page=True)
    page.set_viewport_size({"width": 420, "height": 900})  # a phone: the marked span stays visible
    assert second.locator("strong.qa-span").is_visible()
    page.screenshot(path=str(OUTPUT / "ui_answer_narrow.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    box.fill("   ")
    box.press("Enter")
    page.wait_for_selector("#answer .qa-error", timeout=30_000)
    assert "empty" in page.locator("#answer").inner_text()
    assert "Traceback" not in page.content()


def test_documents_can_be_added_and_removed_from_the_page_logic(tmp_path: Path) -> None:
    from qa.engine import Engine
    from ui.app import Session

    settings = Settings(index_dir=tmp_path / "index", seeds_dir=SEEDS, embedder="hashing", llm="none")
    session = Session(Engine(settings))
    assert len(session.documents()) == 5
    assert next(r for r in session.documents() if r[0] == "001_2da0e51576e3339f")[1:4] == [
        "ISIS extremists losing more ground in Iraq's Mosul", "Melinda Barton", "2017-06-29"]
    good = tmp_path / "field note.md"
    good.write_text("# Field note\n\nThe convoy reached Bartella at dawn.\n")
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4")
    msg = session.upload([str(good), str(bad)])
    assert "1 added" in msg and "refused scan.pdf" in msg
    rows = session.documents()
    assert len(rows) == 6
    new_id = next(r[0] for r in rows if r[0].startswith("field-note-"))
    assert any(q.doc_id == new_id for q in session.engine.passages("convoy reached Bartella at dawn", k=3))
    assert session.remove(new_id) == f"Removed {new_id}."
    assert len(session.documents()) == 5
    assert "Not removed" in session.remove(new_id)


def test_an_upload_under_a_name_used_before_is_another_document(tmp_path: Path) -> None:
    from qa.engine import Engine
    from ui.app import Session

    session = Session(Engine(Settings(index_dir=tmp_path / "index", seeds_dir=tmp_path / "none", embedder="hashing", llm="none")))
    first, second, again = tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt", tmp_path / "c" / "report.txt"
    for path, text in ((first, "The bridge opened in 1896."), (second, "The dam was finished in 1950."), (again, "The bridge opened in 1896.")):
        path.parent.mkdir()
        path.write_text(text)
    assert "1 added" in session.upload([str(first)])
    msg = session.upload([str(second), str(again)])  # a new report.txt, and the first one's content again
    assert "1 added" in msg and "removed" not in msg.replace("0 removed", "")
    titles = sorted(r[1] for r in session.documents())
    assert titles == ["The bridge opened in 1896.", "The dam was finished in 1950."]
    sources = sorted(p.read_text() for p in (tmp_path / "index" / "uploads").rglob("report.txt"))
    assert sources == ["The bridge opened in 1896.", "The dam was finished in 1950."]  # each document keeps its source



def test_the_browsers_temporary_uploads_are_deleted_once_indexed_or_refused(tmp_path: Path) -> None:
    from qa.engine import Engine
    from ui.app import Session, upload_and_forget

    session = Session(Engine(Settings(index_dir=tmp_path / "index", seeds_dir=tmp_path / "none", embedder="hashing", llm="none")))
    good, bad = tmp_path / "gradio" / "note.md", tmp_path / "gradio" / "scan.pdf"
    good.parent.mkdir()
    good.write_text("# Note\n\nThe ferry resumed service at midnight.\n")
    bad.write_bytes(b"%PDF-1.4")
    msg = upload_and_forget(session, [str(good), str(bad)])
    assert "1 added" in msg and "refused scan.pdf" in msg
    assert list(good.parent.iterdir()) == []  # nothing left in the temporary folder
    assert [p.name for p in (tmp_path / "index" / "uploads").rglob("*") if p.is_file()] == ["note.md"]


def test_removal_is_confirmed_by_title_and_the_panel_sees_what_qa_index_changed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from qa.engine import Engine
    from ui.app import Session

    session = Session(Engine(Settings(index_dir=tmp_path / "index", seeds_dir=SEEDS, embedder="hashing", llm="none")))
    doc_id, title = session.documents()[0][:2]
    ok, text = session.removal_prompt(doc_id)
    assert ok and title in text and doc_id in text
    assert session.removal_prompt("") == (False, "Choose a document to remove.")
    assert session.removal_prompt("gone")[0] is False
    assert [i for _, i in session.doc_choices()] == [r[0] for r in session.documents()]
    note = tmp_path / "extra" / "note.md"
    note.parent.mkdir()
    note.write_text("# Night shift\n\nThe ferry resumed service at midnight.\n")
    env = os.environ | {"QA_INDEX_DIR": str(tmp_path / "index"), "QA_EMBEDDER": "hashing", "QA_SEEDS_DIR": str(SEEDS), "QA_LLM": "none"}
    subprocess.run([sys.executable, "-m", "qa.cli", "index", "-q", str(note.parent)], env=env, check=True, capture_output=True)
    assert len(session.documents()) == 5  # what this process read, until the page asks again
    session.refresh()
    assert [r[1] for r in session.documents()].count("Night shift") == 1


@pytest.mark.browser
def test_browser_documents_panel_preselects_nothing_and_asks_before_removing(app_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(app_url)
    page.get_by_text("Documents", exact=True).click()
    pick = page.locator("#doc-pick input")
    pick.wait_for(state="visible", timeout=30_000)
    assert pick.input_value() == ""  # nothing preselected: one click removes nothing
    page.locator("#remove-doc").click()
    page.get_by_text("Choose a document to remove.").wait_for(timeout=30_000)
    pick.click()
    page.get_by_role("option").first.click()
    chosen = pick.input_value()
    assert chosen
    page.locator("#remove-doc").click()
    confirm = page.locator("#confirm-removal")
    confirm.wait_for(state="visible", timeout=30_000)
    title = chosen.rsplit(" (", 1)[0]
    assert f"Remove “{title}" in confirm.inner_text()
    page.screenshot(path=str(OUTPUT / "ui_documents_confirm.png"), full_page=True)
    page.get_by_role("button", name="Cancel").click()
    confirm.wait_for(state="hidden", timeout=30_000)
    assert "Nothing removed." in page.content()
    pick.click()
    assert page.get_by_role("option").count() == 5  # all five seeds still offered
    assert page.get_by_role("option", name=chosen).count() == 1


def test_a_pdf_quote_card_says_its_page_and_the_viewer_marks_where_pages_begin() -> None:
    import re

    from qa.types import Answer, Quote
    from ui import render

    text = "Page one says <b>hi</b>. Page two starts here. It goes on."
    two = text.index("Page two")
    q = Quote("report", "Report", two, len(text), text[two:], page=2)
    assert "p. 2, chars" in render.cards_html(Answer("q?", "x [1].", (q,)))
    html = render.viewer_html("Report", "report", text, [(two, len(text), 1)], 1, pages=(0, two))
    assert html.count('class="qa-page"') == 1 and "p. 1<" not in html
    assert html.index("p. 2</span>") < html.index('<mark id="quote-1"')
    assert "&lt;b&gt;hi&lt;/b&gt;" in html  # the text stays escaped
    assert re.sub(r"<[^>]+>", "", html.replace('<span class="qa-page" title="page 2 begins">p. 2</span>', "")).endswith(
        "It goes on.")
    plain = render.viewer_html("Report", "report", text, [], None)
    assert "qa-page" not in plain


DATED_PAGE = """<!doctype html><html><head><title>{title}</title><meta property="article:published_time" content="{date}T08:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>{title}</h1>
<p>{body}</p><p>Traffic across the river Vell had used the old ferry while the bridge was shut for repairs.</p>
<p>The council thanked residents for their patience during the long closure of the crossing.</p></article></body></html>"""


@pytest.mark.browser
def test_browser_shows_a_pdf_quotes_page_and_a_conflicts_dated_sides(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from reportlab.pdfgen import canvas

    from ui.app import serve

    articles = tmp_path / "articles"
    articles.mkdir()
    pdf = canvas.Canvas(str(articles / "council-report.pdf"))
    pdf.setTitle("Council report on the Vell Bridge")
    for lines in (["The Vell Bridge was opened in 1921 by Mayor Anna Kowal and carries", "about 4,000 cars a day."],
                  ["Repairs to the Vell Bridge cost 2.4 million euros, the council's report says."]):
        for i, line in enumerate(lines):
            pdf.drawString(72, 750 - 15 * i, line)
        pdf.showPage()
    pdf.save()
    for name, title, date, body in (
        ("later.html", "Vell Bridge open again", "2019-06-20", "The Vell Bridge reopened on 19 June, the council said on Thursday."),
        ("earlier.html", "Vell Bridge reopens", "2019-05-04", "The Vell Bridge reopened on 3 May, the council said on Saturday."),
    ):
        (articles / name).write_text(DATED_PAGE.format(title=title, date=date, body=body), encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", seeds_dir=articles, embedder="minilm", llm="none")
    port = free_port()
    demo = serve(settings, host="127.0.0.1", port=port, block=False)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/")
        box = page.locator("#question textarea")
        box.fill("How much did the repairs to the Vell Bridge cost?")
        box.press("Enter")
        page.wait_for_selector("#quote-cards .qa-card", timeout=120_000)
        assert "2.4 million euros" in page.locator("#answer").inner_text()
        card = page.locator("#quote-cards .qa-card").first
        assert "p. 2, chars" in card.inner_text()
        page.screenshot(path=str(OUTPUT / "ui_pdf_page.png"), full_page=True)
        box.fill("When did the Vell Bridge reopen?")
        box.press("Enter")
        page.wait_for_selector("#answer .qa-side", timeout=120_000)
        sides = page.locator("#answer .qa-side")
        assert sides.count() == 2
        assert "3 May" in sides.nth(0).inner_text() and "2019-05-04" in sides.nth(0).inner_text()
        assert "19 June" in sides.nth(1).inner_text() and "2019-06-20" in sides.nth(1).inner_text()
        page.screenshot(path=str(OUTPUT / "ui_dated_conflict.png"), full_page=True)
    finally:
        demo.close()


def test_the_seed_examples_are_offered_only_over_the_seed_articles(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from ui.app import EXAMPLES, examples_for

    stems = {p.stem: object() for p in SEEDS.glob("*.txt")}
    over = lambda docs: SimpleNamespace(settings=SimpleNamespace(seeds_dir=SEEDS), corpus=SimpleNamespace(docs=docs))  # noqa: E731
    assert examples_for(over(stems)) == EXAMPLES
    assert examples_for(over({**stems, "my-report": object()})) == EXAMPLES
    assert examples_for(over({"my-report": object()})) == []
    mine = SimpleNamespace(settings=SimpleNamespace(seeds_dir=tmp_path), corpus=SimpleNamespace(docs={"my-report": object()}))
    assert examples_for(mine) == []


def test_the_answer_states_its_reliability_only_when_it_was_measured() -> None:
    from qa.types import Answer
    from ui import render

    shown = render.answer_html(Answer("q", "Five percent [1].", reliability=0.3))
    assert '<div class="qa-reliability">On held-out articles, 30% of answers scored like this one were right.</div>' in shown
    assert "qa-reliability" not in render.answer_html(Answer("q", "Five percent [1]."))
