"""The answering pipeline: retrieve, assess, answer (model or extractive), verify.

`Engine` holds what is loaded once (store, corpus, embedder, model); `answer()` is safe to
call from several threads.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import replace

from index.build import build_index
from index.embed import Embedder, get_embedder
from index.store import VectorStore
from qa import verify
from qa.calibration import Calibration
from qa.candidates import Assessment, Candidate
from qa.compose import NOT_IN_SOURCES, extractive_text
from qa.evidence import assess, corroborate
from qa.llm import LLMS, LLMError, get_llm
from qa.retrieve import Corpus, Hit, Unit, retrieve
from qa.rewrite import abbreviate, plain_words
from qa.settings import Settings, go_offline
from qa.soft import SoftMatcher
from qa.sources import pointed
from qa.types import Answer, Conflict, ConflictSide, Quote

log = logging.getLogger(__name__)


_ASKS_TITLE = re.compile(r"\b(?:headlines?|titles?|titled|headed)\b", re.IGNORECASE)


class Engine:
    """Answers questions over one index with one settings object."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, calibration: Calibration | None = None) -> None:
        go_offline()
        self.settings = settings
        self.embedder = embedder or get_embedder(settings.embedder)
        self.calibration = calibration or Calibration.load()
        self.soft = SoftMatcher(self.embedder)
        self._lock = threading.Lock()
        self._corpus: Corpus | None = None

    # -- the index --------------------------------------------------------------
    @property
    def corpus(self) -> Corpus:
        """Returns the corpus, building the default index from the seeds on first use if it is empty."""
        with self._lock:
            if self._corpus is None:
                config = self.settings.store_config()
                store = VectorStore(config)
                if store.count("doc") == 0:
                    log.info("no index yet: indexing %s", self.settings.seeds_dir)
                    build_index(config, self.embedder, [self.settings.seeds_dir])
                    store = VectorStore(config)
                self._corpus = Corpus(store)
            return self._corpus

    def reload(self) -> None:
        """Forgets the loaded corpus so the next question reads the index again."""
        with self._lock:
            self._corpus = None

    # -- answering ----------------------------------------------------------------
    def passages(self, question: str, k: int = 10) -> list[Quote]:
        """Returns the `k` passages hybrid retrieval ranks best for `question`, best first: only the
        named article's when the question names one, as `answer` reads them."""
        q, _ = self.read_question(question)
        return [self._quote(h.unit) for h in self.hits(q, k)[0][:k]]

    def read_question(self, question: str) -> tuple[str, list[str]]:
        """Returns the question with whitespace collapsed, cut to the length limit and a long name the
        articles abbreviate written as they do (`rewrite.abbreviate`), and notes saying what was changed.

        Raises ValueError for an empty question.
        """
        if not isinstance(question, str) or not question.strip():
            raise ValueError("the question is empty: ask something about the indexed articles")
        q = " ".join(question.split())
        notes = []
        if len(q) > self.settings.max_question_chars:
            q = q[: self.settings.max_question_chars]
            notes.append(f"question cut to its first {self.settings.max_question_chars} characters")
        short = plain_words(self.corpus, abbreviate(self.corpus, q))
        if short != q:
            notes.append(f"read as the articles write it: {short!r}")
        return short, notes

    def answer(self, question: str, llm: str | None = None, top_k: int | None = None) -> Answer:
        """Returns a verified answer to `question`.

        Raises ValueError for an empty question and LLMError when the chosen model backend
        cannot be used.
        """
        q, notes = self.read_question(question)
        backend = llm or self.settings.llm
        if backend not in LLMS:
            raise LLMError(f"unknown LLM backend {backend!r} (QA_LLM / --llm); choose one of {sorted(LLMS)}")
        k = top_k or self.settings.top_k
        corpus = self.corpus
        hits, within = self.hits(q, k)
        if within:
            notes.append("answered from " + " and ".join(repr(corpus.docs[d].title) for d in within) + ", the article the question names")
        a = assess(corpus, q, hits, self.calibration, self.soft, pool=self.pool(k))
        if a.sides:  # the other articles that state each side's value, in their own words
            a = corroborate(corpus, q, a, self.probes(a), self.calibration)
        if a.abstain:
            return self._abstention(question, a, k, notes)
        text, cited = extractive_text(a, q)
        result = self._answer(question, text, cited, a, notes)
        if a.sides or backend == "none":
            return result  # conflicts are stated by code, never left to a model
        model = get_llm(backend, self.settings)
        if model is None:
            return result
        evidence = self._evidence(a, k)
        raw = model.answer(q, [c.text for c in evidence])
        issues = verify.problems(raw, [c.text for c in evidence], a.kind)
        if not issues and not verify.agrees(raw, a.kind, a.support[0].value):
            issues = [f"it does not state the {a.kind} the best evidence gives"]
        if not issues and 1 not in verify.markers(raw):
            issues = ["it does not rest on the most relevant passage [1]"]
        if issues:
            notes.append(f"model answer {raw!r} rejected: {'; '.join(issues)}; extractive answer shown")
            return replace(result, notes=tuple(notes))
        order = verify.markers(raw)
        renumber = {old: new for new, old in enumerate(order, 1)}
        text = verify.MARKER.sub(lambda m: f"[{renumber[int(m.group(1))]}]", raw)
        return self._answer(question, text, [evidence[n - 1] for n in order], a, notes, mode="llm")

    def pool(self, k: int) -> int:
        """Returns how many of the best passages may answer when `k` are to be shown; the passages
        after them, up to `rival_candidates`, may only be the other side of a conflict."""
        return max(self.settings.candidates, 3 * k)

    def hits(self, question: str, k: int) -> tuple[list[Hit], list[str]]:
        """Returns the candidate passages for a question read by `read_question` (`k` passages are
        to be shown; the first `pool(k)` may answer) and the documents it names, whose passages they
        are then limited to."""
        within = pointed(self.corpus, question)
        n = max(self.pool(k), self.settings.rival_candidates)
        hits = retrieve(self.corpus, self.embedder, question, k=n, within=within)
        if within and not _ASKS_TITLE.search(question):
            # the article was found by its title ("per the report on ISIS losing ground"): the title itself,
            # which holds the question's description of the article, answers nothing asked of the article
            hits = [h for h in hits if self.corpus.text(h.unit).strip() != self.corpus.docs[h.unit.doc_id].title.strip()]
        return hits, within

    def probes(self, a: Assessment) -> list[list[Hit]]:
        """Returns, for each side of a conflict, the passages a search with that side's own passage finds."""
        return [retrieve(self.corpus, self.embedder, side[0].text, k=self.settings.rival_candidates) for side in a.sides]

    def _evidence(self, a: Assessment, k: int) -> list[Candidate]:
        """Returns the passages handed to a model: the supporting ones first, then the next most relevant."""
        out = list(a.support)
        for c in a.candidates:
            if len(out) >= k:
                break
            if c not in out:
                out.append(c)
        return out[:k]

    def _quote(self, unit: Unit) -> Quote:
        doc = self.corpus.docs[unit.doc_id]
        return Quote(doc.doc_id, doc.title, unit.start, unit.end, doc.text[unit.start : unit.end])

    def _answer(
        self, question: str, text: str, cited: list[Candidate], a: Assessment, notes: list[str], mode: str = "extractive"
    ) -> Answer:
        conflicts: tuple[Conflict, ...] = ()
        if a.sides:
            sides, n = [], 0
            for side in a.sides:
                assert side[0].value is not None
                marks = tuple(range(n + 1, n + len(side) + 1))
                n += len(side)
                sides.append(ConflictSide(side[0].value.text, marks, tuple(c.unit.doc_id for c in side)))
            conflicts = (Conflict(a.kind, tuple(sides)),)
        return Answer(
            question=question,
            text=text,
            quotes=tuple(self._quote(c.unit) for c in cited),
            conflicts=conflicts,
            mode=mode,
            notes=tuple(notes),
        )

    def _abstention(self, question: str, a: Assessment, k: int, notes: list[str]) -> Answer:
        nearest = tuple(self._quote(c.unit) for c in a.candidates[: min(3, k)])
        return Answer(
            question=question,
            text=NOT_IN_SOURCES,
            abstained=True,
            mode="extractive",
            nearest=nearest,
            notes=tuple([*notes, a.reason]),
        )


__all__ = ["Engine", "LLMError"]
