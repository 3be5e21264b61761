"""Settings, read once at the edge (CLI, UI, tests) from `QA_*` environment variables."""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.store import StoreConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def go_offline() -> None:
    """Sets the environment that keeps every library off the network (call at entry points)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


class Settings(BaseSettings):
    """Every knob of the tool; each can be set as QA_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="QA_", extra="forbid", frozen=True)

    index_dir: Path = Field(PROJECT_ROOT / ".qa_index", description="Folder of the embedded Chroma store and caches.")
    seeds_dir: Path = Field(PROJECT_ROOT / "seeds", description="Folder indexed on first use when no index exists.")
    chroma_url: str | None = Field(None, description="Chroma server URL (e.g. http://127.0.0.1:8000); unset = embedded store.")
    chroma_host: str | None = Field(None, description="Chroma server host; with chroma_port, an alternative to chroma_url.")
    chroma_port: int | None = Field(None, ge=1, le=65535, description="Chroma server port.")
    embedder: str = Field("minilm", description="Embedder: minilm (bundled all-MiniLM-L6-v2, int8 ONNX), minilm-fp32 (the same in torch) or hashing (test fake).")
    llm: str = Field("none", description="LLM backend: none (the reader's answer), embedded (Gemma 3 270M, the [llm] extra), openai, or a registered fake.")
    openai_base_url: str = Field("http://127.0.0.1:8080/v1", description="Base URL of an OpenAI-compatible server.")
    openai_model: str = Field("gpt-4o-mini", description="Model name sent to the OpenAI-compatible server.")
    openai_api_key: str = Field("not-needed", description="API key for the OpenAI-compatible server.")
    llm_timeout: float = Field(60.0, description="Seconds to wait for one LLM reply.")
    top_k: int = Field(4, ge=1, le=20, description="Passages handed to an LLM (the reader reads `candidates`).")
    candidates: int = Field(12, ge=1, le=100, description="Passages (sentences with their neighbours) the reader reads per question.")
    max_file_mb: float = Field(5.0, gt=0, le=1024, allow_inf_nan=False, description="Files larger than this many MB are refused at indexing.")
    max_question_chars: int = Field(2000, ge=10, le=100_000, description="Longer questions are cut to this many characters.")

    def __init__(self, **values: Any) -> None:
        """Reads QA_* variables over the defaults; raises ValueError naming the setting for an unknown
        QA_* name (with the closest valid one) or a value out of range."""
        names = {f"QA_{n.upper()}" for n in type(self).model_fields}
        for key in sorted(k for k in os.environ if k.startswith("QA_") and k not in names):
            close = difflib.get_close_matches(key, sorted(names), n=1)
            raise ValueError(f"unknown setting {key}" + (f"; did you mean {close[0]}?" if close else f"; the settings are: {', '.join(sorted(names))}"))
        try:
            super().__init__(**values)
        except ValidationError as exc:
            problems = [f"QA_{str(e['loc'][0]).upper() if e['loc'] else '?'}={e.get('input')!r}: {e['msg']}" for e in exc.errors()]
            raise ValueError("invalid setting " + "; ".join(problems)) from None
        if self.index_dir.exists() and not self.index_dir.is_dir():
            raise ValueError(f"invalid setting QA_INDEX_DIR={str(self.index_dir)!r}: it is a file, not a folder")

    @property
    def max_file_bytes(self) -> int:
        """Returns the file size limit in bytes (`max_file_mb` MiB)."""
        return int(self.max_file_mb * 1024 * 1024)

    def store_config(self) -> StoreConfig:
        """Returns where the vectors live."""
        if self.chroma_url or not self.chroma_host:
            return StoreConfig(path=self.index_dir, chroma_url=self.chroma_url)
        url = f"http://{self.chroma_host}:{self.chroma_port or 8000}"
        return StoreConfig(path=self.index_dir, chroma_url=url, setting="QA_CHROMA_HOST/QA_CHROMA_PORT")
