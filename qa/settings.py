"""Settings, read once at the edge (CLI, UI, tests) from `QA_*` environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
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
    chroma_port: int | None = Field(None, description="Chroma server port.")
    embedder: str = Field("minilm", description="Embedder: minilm (bundled all-MiniLM-L6-v2) or hashing (test fake).")
    llm: str = Field("embedded", description="LLM backend: embedded (bundled Gemma 3 270M), openai, none, or a registered fake.")
    openai_base_url: str = Field("http://127.0.0.1:8080/v1", description="Base URL of an OpenAI-compatible server.")
    openai_model: str = Field("gpt-4o-mini", description="Model name sent to the OpenAI-compatible server.")
    openai_api_key: str = Field("not-needed", description="API key for the OpenAI-compatible server.")
    llm_timeout: float = Field(60.0, description="Seconds to wait for one LLM reply.")
    top_k: int = Field(4, ge=1, le=20, description="Evidence passages handed to the answer step.")
    candidates: int = Field(12, ge=4, le=200, description="Passages retrieved and judged per question to answer it.")
    rival_candidates: int = Field(
        30, ge=4, le=200, description="Passages searched for the other side of a conflict with the answer (the answer's own passages and the next ones)."
    )
    max_file_mb: float = Field(5.0, gt=0, description="Files larger than this many MB are refused at indexing.")
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are cut to this many characters.")

    @property
    def max_file_bytes(self) -> int:
        """Returns the file size limit in bytes (`max_file_mb` MiB)."""
        return int(self.max_file_mb * 1024 * 1024)

    def store_config(self) -> StoreConfig:
        """Returns where the vectors live."""
        url = self.chroma_url
        if not url and self.chroma_host:
            url = f"http://{self.chroma_host}:{self.chroma_port or 8000}"
        return StoreConfig(path=self.index_dir, chroma_url=url)
