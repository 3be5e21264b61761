"""The answering pipeline: retrieve, read, decide, answer (model or extractive), verify.

`Engine` holds what is loaded once (store, corpus, embedder, reader, model); `answer()` is safe
to call from several threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from index.build import build_index, was_set_up
from index.catalogue import FOLDER as CATALOGUE
from index.chunking import SPLITTING
from index.corpus import Corpus, Passage, StaleCorpus, Unit
from index.documents import LOADER
from index.embed import Embedder, get_embedder
from index.store import VectorStore
from qa import quote, verify
from qa.decide import Calibration, Decision, Reading, decide, same_value
from qa.llm import LLMError, check_backend, get_llm
from qa.read import ExtractiveReader, Reader
from qa.retrieve import retrieve
from qa.settings import Settings, go_offline
from qa.types import Answer, Quote

log = logging.getLogger(__name__)

HITS_PER_PASSAGE = 2  # sentences retrieved per passage read (neighbouring hits merge into one passage)
T = TypeVar("T")


class Engine:
    """Answers questions over one index with one settings object."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        reader: Reader | None = None,
        calibration: Calibration | None = None,
    ) -> None:
        go_offline()
        self.settings = settings
        self.embedder = embedder or get_embedder(settings.embedder)
        self.reader: Reader = reader or ExtractiveReader()
        self.calibration = calibration or Calibration.load()
        self._lock = threading.Lock()
        self._corpus: Corpus | None = None

    # -- the index --------------------------------------------------------------
    @property
    def corpus(self) -> Corpus:
        """Returns the corpus, indexing the seeds first into an index that was never set up (an index
        that `qa index` has filled or emptied stays as the user left it)."""
        with self._lock:
            if self._corpus is None:
                config = self.settings.store_config()
                store = VectorStore(config)
                if store.count("doc") == 0 and not was_set_up(config.path):
                    if not self.settings.seeds_dir.is_dir():
                        raise ValueError(f"invalid setting QA_SEEDS_DIR={str(self.settings.seeds_dir)!r}: no such folder to index on "
                                         "first use; point it at one, or add articles with: qa index PATH")
                    log.info("no index yet: indexing %s", self.settings.seeds_dir)
                    build_index(config, self.embedder, [self.settings.seeds_dir])
                    store = VectorStore(config)
                self._corpus = Corpus(store, config.path / CATALOGUE)
                others = {d.embedder or "an earlier embedder" for d in self._corpus.docs.values()} - {self.embedder.name}
                if others:
                    log.warning("some documents were embedded by %s, questions by %s: run qa index to embed them again",
                                ", ".join(sorted(others)), self.embedder.name)
                older = sum((d.splitting, d.loader) != (SPLITTING, LOADER) for d in self._corpus.docs.values())
                if older:
                    log.warning("%d of %d documents were indexed by an earlier version of this tool (how it splits them or reads "
                                "their titles, dates and authors): run qa index to read them again", older, len(self._corpus.docs))
            return self._corpus

    def reload(self) -> None:
        """Forgets the loaded corpus so the next question reads the index again."""
        with self._lock:
            self._corpus = None

    def refresh(self) -> bool:
        """Reloads the corpus when the store's documents changed since it was read (another process
        indexed or removed some); returns True when it did."""
        corpus = self.corpus
        if corpus.store.doc_versions() == {d: doc.sha for d, doc in corpus.docs.items()}:
            return False
        self.reload()
        return True

    # -- answering ----------------------------------------------------------------
    def passages(self, question: str, k: int = 10) -> list[Quote]:
        """Returns the `k` passages hybrid retrieval ranks best for `question`, best first, as `answer` reads them."""
        q, _ = self.read_question(question)
        return self._current(lambda: [self._quote(u.doc_id, u.start, u.end) for u in retrieve(self.corpus, self.embedder, q, k)])

    def _current(self, read: Callable[[], T]) -> T:
        """Returns `read()`, run again over the index read anew when a document it quotes was changed or
        removed by another process since the corpus was read."""
        try:
            return read()
        except StaleCorpus:
            self.reload()
            return read()

    def read_question(self, question: str) -> tuple[str, list[str]]:
        """Returns the question with whitespace collapsed and cut at a word boundary to the length
        limit, and notes saying what was changed.

        Raises TypeError for a question that is not a string, ValueError for an empty one.
        """
        if not isinstance(question, str):
            raise TypeError(f"the question must be a string, not {type(question).__name__}")
        q = " ".join(question.encode("utf-8", "replace").decode("utf-8").split())
        if not q:
            raise ValueError("the question is empty: ask something about the indexed articles")
        notes = []
        limit = self.settings.max_question_chars
        if len(q) > limit:
            cut = q.rfind(" ", 0, limit + 1)
            q = q[: cut if cut > limit // 2 else limit]
            notes.append(f"question cut to its first {len(q)} characters (at a word boundary)")
        return q, notes

    def readings(self, question: str) -> tuple[list[Unit], list[Passage], list[Reading]]:
        """Returns, for a question read by `read_question`: the retrieved sentences, the passages read
        around them and every span the reader found in them (by document offsets, once each, with the spans
        holding it that it may widen to)."""
        corpus = self.corpus
        hits = retrieve(corpus, self.embedder, question, self.settings.candidates * HITS_PER_PASSAGE)
        passages = corpus.passages(hits, self.settings.candidates)
        corpus.read_texts([w.doc_id for w in passages])  # one call to the store for every document read
        seen: dict[tuple[str, int, int], Reading] = {}
        texts = [corpus.text(w) for w in passages]
        for w, text, found in zip(passages, texts, self.reader.read(question, texts), strict=True):
            for s in found:
                wider = tuple(Reading(w.doc_id, w.start + a, w.start + b, text[a:b], m) for a, b, m in s.wider)
                r = Reading(w.doc_id, w.start + s.start, w.start + s.end, s.text, s.margin, wider)
                if (key := (r.doc_id, r.start, r.end)) not in seen or seen[key].margin < r.margin:
                    seen[key] = r
        return hits, passages, list(seen.values())

    def answer(self, question: str, llm: str | None = None, top_k: int | None = None) -> Answer:
        """Returns a verified answer to `question`.

        Raises TypeError/ValueError for a question that is not a string or is empty, and LLMError
        when the chosen model backend is unknown.
        """
        q, notes = self.read_question(question)
        backend = llm or self.settings.llm
        check_backend(backend)
        if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= 20):
            raise ValueError(f"top_k must be a whole number from 1 to 20, not {top_k!r}")
        k = top_k or self.settings.top_k
        return self._current(lambda: self._answer(question, q, notes, backend, k))

    def _answer(self, question: str, q: str, notes: list[str], backend: str, k: int) -> Answer:
        corpus = self.corpus
        notes = list(notes)
        if not corpus.docs:
            return Answer(question, quote.NO_DOCUMENTS, abstained=True, notes=tuple(notes))
        hits, passages, readings = self.readings(q)
        d = decide(readings, self.calibration)
        if d.abstain:
            nearest = tuple(self._quote(u.doc_id, u.start, u.end) for u in hits[: min(3, k)])
            return Answer(question, quote.NOT_IN_SOURCES, abstained=True, nearest=nearest, notes=(*notes, d.reason))
        result = replace(quote.extractive(corpus, question, d, notes), reliability=self.calibration.reliability_at(d.best.margin))
        if len(d.sides) > 1 or backend == "none":
            return result  # conflicts are stated by code, never left to a model
        return self._with_model(backend, q, d, passages, result, k)

    def _with_model(self, backend: str, q: str, d: Decision, passages: list[Passage], result: Answer, k: int) -> Answer:
        """Returns the model's answer when it passes verification and agrees with the reader, else `result`
        with a note saying why the reader's answer is shown."""
        corpus, best = self.corpus, d.best
        first = next(w for w in passages if w.doc_id == best.doc_id and w.start <= best.start < w.end)
        shown = [first, *[w for w in passages if w != first]][:k]
        evidence = [corpus.text(w) for w in shown]
        notes = list(result.notes)
        try:
            model = get_llm(backend, self.settings)
            raw = model.answer(q, evidence) if model is not None else ""
        except Exception as exc:  # any model failure: the reader's answer stands
            log.warning("model backend %s failed: %s", backend, exc)
            return replace(result, notes=(*notes, f"the {backend} model failed ({exc}); the reader's answer is shown"))
        if not raw.strip():
            return replace(result, notes=(*notes, "the model gave no answer; the reader's answer is shown"))
        issues = verify.problems(raw, evidence)
        found = verify.locate(raw, evidence)
        if issues or found is None:
            return replace(result, notes=(*notes, f"model answer {raw!r} rejected: {'; '.join(issues)}; the reader's answer is shown"))
        n, start, end = found
        phrase = evidence[n - 1][start:end]
        if not same_value(phrase, best.text):
            return replace(
                result,
                notes=(*notes, f"the model answered {phrase!r} [{n}]; the reader's answer {quote.phrase(best.text)!r} is shown: "
                       "the reader scores its span as the answer and the model's phrase is another value"),
            )
        w = shown[n - 1]
        cited = self._quote(w.doc_id, w.start + start, w.start + end, answer=True)
        text = f"{quote.phrase(verify.strip_markers(raw))} [1]."
        return replace(result, text=text[:1].upper() + text[1:], quotes=(cited,), mode="llm")

    def _quote(self, doc_id: str, start: int, end: int, answer: bool = False) -> Quote:
        return quote.quote(self.corpus, doc_id, start, end, answer)


__all__ = ["Engine", "LLMError"]
