"""Grounded question answering over news articles: every claim backed by a verbatim quote.

    from qa import answer
    a = answer("How old is the Grand al-Nuri Mosque?")
    print(a.text)
    for i, q in enumerate(a.quotes, 1):
        print(i, q.doc_id, q.title, q.start, q.end, q.text)
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from qa.types import Answer, Conflict, ConflictSide, Quote

if TYPE_CHECKING:
    from qa.engine import Engine
    from qa.llm import LLMError
    from qa.settings import Settings, go_offline

_LAZY = {"Engine": "qa.engine", "LLMError": "qa.llm", "Settings": "qa.settings", "go_offline": "qa.settings"}


def __getattr__(name: str) -> Any:
    """Imports the heavier public names on first use, so `import qa` stays light."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'qa' has no attribute {name!r}")

_engines: dict[Any, Engine] = {}
_lock = threading.Lock()


def get_engine(settings: Settings | None = None) -> Engine:
    """Returns the process-wide engine for `settings` (default: read from QA_* variables)."""
    from qa.engine import Engine
    from qa.settings import Settings, go_offline

    go_offline()
    settings = settings or Settings()
    key = settings.model_dump_json()
    with _lock:
        if key not in _engines:
            _engines[key] = Engine(settings)
        return _engines[key]


def answer(question: str, *, llm: str | None = None, top_k: int | None = None, settings: Settings | None = None) -> Answer:
    """Returns a verified, quoted answer to `question` from the indexed articles.

    On first use the default index is built from `seeds/` if there is none. `llm` picks the
    backend ("embedded", "openai", "none"; default QA_LLM), `top_k` the evidence passages.
    Raises ValueError for an empty question.
    """
    return get_engine(settings).answer(question, llm=llm, top_k=top_k)


def search(question: str, *, k: int = 10, settings: Settings | None = None) -> list[Quote]:
    """Returns the `k` passages retrieval ranks best for `question` (no answering), best first."""
    return get_engine(settings).passages(question, k=k)


__all__ = ["Answer", "Conflict", "ConflictSide", "Engine", "LLMError", "Quote", "Settings", "answer", "get_engine", "go_offline", "search"]
