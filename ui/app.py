"""The Gradio web UI: a thin layer over `qa` — it asks `Engine.answer` and renders the result.

    qa ui [--host 127.0.0.1] [--port 7860]

Also exposes a JSON endpoint, `/answer`, returning `Answer.to_dict()` (for gradio_client).
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any

from qa import Answer, Engine, LLMError, Settings, go_offline
from ui import render

log = logging.getLogger(__name__)

EXAMPLES = [  # about the seed articles: offered only where they are indexed
    "How old is the Grand al-Nuri Mosque?",
    "How many civilians remain in the battlefield?",
    "Who is the United Nations humanitarian coordinator in Iraq?",
    "When did Iraq capture east Mosul?",
    "How many people have been displaced from Mosul?",
    "How much aid money did Japan pledge for rebuilding Mosul's bridges?",
]
LLM_CHOICES = ["embedded", "openai", "none"]


def examples_for(engine: Engine) -> list[str]:
    """Returns the example questions when the index holds the seed articles they ask about, else none
    (questions about Mosul would mislead over anyone else's articles)."""
    seeds = {p.stem for p in engine.settings.seeds_dir.glob("*.txt")}
    try:
        docs = set(engine.corpus.docs)
    except (ConnectionError, ValueError):
        return []
    return EXAMPLES if seeds and seeds <= docs else []


def status_text(engine: Engine, llm: str | None = None) -> str:
    """Returns the status line: backend, index location and document count."""
    try:
        n = len(engine.corpus.docs)
        docs = f"{n} document{'s' if n != 1 else ''} indexed"
    except Exception as exc:  # the index may be unreachable; say so instead of failing
        docs = f"index unavailable: {exc}"
    return (
        f"<div class='qa-status'>LLM backend: <b>{render.esc(llm or engine.settings.llm)}</b> · "
        f"index: <b>{render.esc(engine.settings.store_config().describe())}</b> · {render.esc(docs)}</div>"
    )


class Session:
    """What the page does, as plain functions (the same ones the tests call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def answer(self, question: str, llm: str | None = None, top_k: float | None = None) -> Answer:
        """Returns the engine's answer; raises ValueError, LLMError or ConnectionError with a readable message."""
        if top_k is not None and (not isinstance(top_k, int | float) or top_k != int(top_k)):
            raise ValueError(f"top_k must be a whole number from 1 to 20, not {top_k!r}")
        return self.engine.answer(question, llm=llm or None, top_k=None if top_k is None else int(top_k))

    def api_answer(self, question: str, llm: str = "", top_k: float = 0) -> dict[str, Any]:
        """Returns the answer as a dict, or {"error": message}."""
        try:
            return self.answer(question, llm or None, top_k if top_k else None).to_dict()
        except (ValueError, TypeError, OverflowError, LLMError, ConnectionError) as exc:
            return {"error": str(exc)}

    def documents(self) -> list[list[Any]]:
        """Returns one row per indexed document: id, title, author, date, units, bytes."""
        corpus = self.engine.corpus
        sizes = corpus.sizes()
        return [[d.doc_id, d.title, d.author, d.date, d.n_units, sizes.get(d.doc_id, 0)] for d in sorted(corpus.docs.values(), key=lambda d: d.doc_id)]

    def doc_choices(self) -> list[tuple[str, str]]:
        """Returns the documents as (label, id) choices: the title, then the id."""
        return [(f"{title[:70]} ({doc_id})", doc_id) for doc_id, title, *_ in self.documents()]

    def removal_prompt(self, doc_id: str) -> tuple[bool, str]:
        """Returns whether `doc_id` can be removed and the question to confirm it (naming the title), or why not."""
        if not doc_id:
            return False, "Choose a document to remove."
        doc = self.engine.corpus.docs.get(doc_id)
        if doc is None:
            return False, f"Not removed: {doc_id} is no longer indexed."
        return True, f"Remove “{doc.title}” ({doc_id}) from the index? Questions will no longer be answered from it."

    def refresh(self) -> None:
        """Reads the index again when another process (`qa index`, another page) changed its documents."""
        with contextlib.suppress(Exception):  # an unreachable index is said by the status line
            self.engine.refresh()

    def remove(self, doc_id: str) -> str:
        """Removes a document by id; returns a message."""
        from index.build import remove_document

        if not doc_id:
            return "Choose a document to remove."
        try:
            remove_document(self.engine.settings.store_config(), doc_id)
        except (KeyError, RuntimeError) as exc:
            return f"Not removed: {exc.args[0]}"
        self.engine.reload()
        return f"Removed {doc_id}."

    def upload(self, paths: list[str]) -> str:
        """Indexes uploaded files with the same checks as `qa index`; returns what happened.

        Each file is kept as the document's source under a folder named for its content, so a file
        uploaded under a name used before (in this upload or an earlier one) is another document and
        never replaces or deletes the earlier one; the same content uploaded again is the same file."""
        import hashlib
        import shutil
        from pathlib import Path

        from index.build import build_index

        if not paths:
            return "No files given."
        folder = self.engine.settings.index_dir / "uploads"
        kept: dict[Path, None] = {}
        for p in paths:
            with open(p, "rb") as f:
                dst = folder / hashlib.file_digest(f, "sha256").hexdigest()[:16] / Path(p).name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dst)
            kept[dst] = None
        try:
            report = build_index(
                self.engine.settings.store_config(), self.engine.embedder, list(kept), prune=False, hashed_ids=True,
                max_bytes=self.engine.settings.max_file_bytes,
            )
        except RuntimeError as exc:
            return f"Not indexed: {exc}"
        for s in report.skipped:  # refused files are not kept (each lies alone in its content's folder)
            Path(s.path).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                Path(s.path).parent.rmdir()
        self.engine.reload()
        lines = [report.summary()] + [f"refused {Path(s.path).name}: {s.reason}" for s in report.skipped]
        return "\n".join(lines)

    def viewer(self, a: Answer | None, pick: str | None) -> str:
        """Returns the source viewer for the picked quote ("[n] …"), all quotes of its article highlighted."""
        if a is None or not a.quotes:
            return "<div class='qa-note'>Quotes open here, highlighted in their article.</div>"
        n = 1
        if pick and pick.startswith("["):
            n = int(pick[1 : pick.index("]")])
        n = max(1, min(n, len(a.quotes)))
        doc_id = a.quotes[n - 1].doc_id
        doc = self.engine.corpus.docs.get(doc_id)
        if doc is None:
            return render.error_html(f"document {doc_id} is no longer indexed")
        spans = [(q.start, q.end, i) for i, q in enumerate(a.quotes, 1) if q.doc_id == doc_id]
        answers = [(q.answer_start, q.answer_end) for q in a.quotes if q.doc_id == doc_id and q.answer_start is not None and q.answer_end is not None]
        return render.viewer_html(doc.title, doc_id, self.engine.corpus.doc_text(doc_id), spans, n, answers, doc.pages)


def upload_and_forget(session: Session, paths: list[str]) -> str:
    """Indexes files the browser uploaded, then deletes Gradio's temporary copies of them (indexed ones
    are kept under the index's uploads folder; refused ones are not kept anywhere)."""
    from pathlib import Path

    try:
        return session.upload(paths)
    finally:
        for p in paths:
            Path(p).unlink(missing_ok=True)


def _choices(a: Answer) -> list[str]:
    return [f"[{i}] {q.title[:60]}" for i, q in enumerate(a.quotes, 1)]


def build_app(settings: Settings, engine: Engine | None = None):  # type: ignore[no-untyped-def]
    """Returns the Gradio Blocks app (not launched)."""
    import gradio as gr

    go_offline()
    session = Session(engine or Engine(settings))

    with gr.Blocks(title="Grounded answers — Mosul articles", analytics_enabled=False) as demo:
        gr.Markdown("## Ask the articles\nEvery claim is backed by a verbatim quote; when the articles do not say, you are told so.")
        status = gr.HTML(status_text(session.engine))
        last = gr.State(None)
        history = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                question = gr.Textbox(
                    label="Question", placeholder="Ask about the indexed articles  (Enter to ask)",
                    lines=1, max_lines=4, submit_btn="Ask", autofocus=True, elem_id="question",
                )
                examples = examples_for(session.engine)
                if examples:
                    gr.Examples(examples, inputs=question, label="Examples from the articles")
                answer_box = gr.HTML("<div class='qa-note'>The answer appears here.</div>", elem_id="answer")
                cards = gr.HTML("", elem_id="quote-cards")
                picker = gr.Radio(choices=[], label="Quote shown in the article", elem_id="quote-picker")
                copy_md = gr.Textbox(
                    label="Answer with citations (Markdown)", lines=3, max_lines=12, interactive=False,
                    buttons=["copy"], elem_id="copy-markdown",
                )
            with gr.Column(scale=2, min_width=300):
                viewer = gr.HTML(session.viewer(None, None), elem_id="source-viewer")
                with gr.Accordion("Settings", open=False):
                    llm = gr.Dropdown(LLM_CHOICES, value=settings.llm if settings.llm in LLM_CHOICES else None,
                                      label="LLM backend", allow_custom_value=True)
                    top_k = gr.Slider(1, 10, value=settings.top_k, step=1, label="Passages handed to the answer step")
                hist_box = gr.Dataset(components=[question], samples=[], label="This session's questions", samples_per_page=8)
                with gr.Accordion("Documents", open=False):
                    doc_table = gr.Dataframe(
                        headers=["id", "title", "author", "date", "units", "bytes"], value=session.documents, interactive=False, wrap=True,
                    )
                    uploads = gr.File(label="Add articles (.txt, .md, .html, .docx, .pdf)", file_count="multiple", type="filepath")
                    with gr.Row():
                        doc_pick = gr.Dropdown(choices=session.doc_choices(), value=None, label="Document", scale=3, elem_id="doc-pick")
                        remove_btn = gr.Button("Remove…", scale=1, elem_id="remove-doc")
                    with gr.Column(visible=False, elem_id="confirm-removal") as confirm_row:
                        confirm_msg = gr.HTML("")
                        with gr.Row():
                            confirm_btn = gr.Button("Yes, remove it", variant="stop")
                            cancel_btn = gr.Button("Cancel")
                    doc_msg = gr.Markdown("")

        def ask(q: str, backend: str | None, k: float, past: list[list[str]]):  # type: ignore[no-untyped-def]
            yield (render.esc_status("Searching the articles…"), "", gr.update(), "", gr.update(), None, past,
                   gr.update(), status_text(session.engine, backend))
            try:
                a = session.answer(q, backend, int(k))
            except (ValueError, LLMError, ConnectionError) as exc:
                yield (render.error_html(str(exc)), "", gr.update(choices=[], value=None), "", gr.update(), None, past,
                       gr.update(), status_text(session.engine, backend))
                return
            except Exception as exc:  # never a stack trace in the page
                log.exception("answer failed")
                yield (render.error_html(f"Something went wrong ({type(exc).__name__}); see the server log."), "",
                       gr.update(choices=[], value=None), "", gr.update(), None, past, gr.update(),
                       status_text(session.engine, backend))
                return
            past = [[q.strip()], *[p for p in past if p != [q.strip()]]][:20]
            choices = _choices(a)
            yield (
                render.answer_html(a), render.cards_html(a),
                gr.update(choices=choices, value=choices[0] if choices else None),
                a.to_markdown(), session.viewer(a, choices[0] if choices else None), a, past,
                gr.update(samples=past), status_text(session.engine, backend),
            )

        outputs = [answer_box, cards, picker, copy_md, viewer, last, history, hist_box, status]
        question.submit(ask, [question, llm, top_k, history], outputs, api_visibility="private", concurrency_limit=4)
        # always_last: a pick made while the previous one is still rendering is not dropped
        picker.change(session.viewer, [last, picker], viewer, api_visibility="private", trigger_mode="always_last").then(
            None, js=render.SCROLL_JS
        )
        hist_box.click(lambda s: s[0], hist_box, question, api_visibility="private")
        gr.api(session.api_answer, api_name="answer", concurrency_limit=4)

        def after_change(message: str):  # type: ignore[no-untyped-def]
            return message, session.documents(), gr.update(choices=session.doc_choices(), value=None), status_text(session.engine), gr.update(visible=False)

        def ask_removal(doc_id: str | None):  # type: ignore[no-untyped-def]
            ok, text = session.removal_prompt(doc_id or "")
            return gr.update(visible=ok), f"<div class='qa-note'>{render.esc(text)}</div>" if ok else "", "" if ok else text

        def on_load():  # type: ignore[no-untyped-def]
            session.refresh()  # what `qa index` in a terminal changed since the server started
            return session.documents(), gr.update(choices=session.doc_choices()), status_text(session.engine)

        doc_outputs = [doc_msg, doc_table, doc_pick, status, confirm_row]
        demo.load(on_load, None, [doc_table, doc_pick, status], api_visibility="private")  # keeps what the user picked
        uploads.upload(lambda files: after_change(upload_and_forget(session, files or [])), uploads, doc_outputs, api_visibility="private")
        remove_btn.click(ask_removal, doc_pick, [confirm_row, confirm_msg, doc_msg], api_visibility="private")
        confirm_btn.click(lambda d: after_change(session.remove(d or "")), doc_pick, doc_outputs, api_visibility="private")
        cancel_btn.click(lambda: (gr.update(visible=False), "Nothing removed."), None, [confirm_row, doc_msg], api_visibility="private")
    return demo


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, block: bool = True):  # type: ignore[no-untyped-def]
    """Starts the UI on host:port (no share link, analytics off); returns the app when not blocking."""
    import gradio as gr

    go_offline()
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    demo = build_app(settings)
    demo.queue(default_concurrency_limit=4)
    demo.launch(
        server_name=host, server_port=port, share=False, prevent_thread_lock=not block, show_error=False,
        css=render.CSS, head=render.HEAD_JS, theme=gr.themes.Soft(), quiet=not block,
        max_file_size=settings.max_file_bytes,  # Gradio refuses bigger uploads before they are stored
    )
    return demo
