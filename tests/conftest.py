"""Shared fixtures: a temporary index folder, settings pointing at it, API keys unset."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qa.settings import PROJECT_ROOT, Settings, go_offline

go_offline()
SEEDS = PROJECT_ROOT / "seeds"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("QA_") or key in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            monkeypatch.delenv(key, raising=False)


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A copy of the seed articles that a test may change."""
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst


@pytest.fixture
def fast_settings(tmp_path: Path, seeds_copy: Path) -> Settings:
    """Settings for fast tests: the hashing fake embedder, no LLM, an index under tmp_path."""
    return Settings(index_dir=tmp_path / "index", seeds_dir=seeds_copy, embedder="hashing", llm="none")


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for integration tests: the real embedder and embedded LLM, a fresh index of the seeds."""
    folder = tmp_path_factory.mktemp("real")
    return Settings(index_dir=folder / "index", seeds_dir=SEEDS, embedder="minilm", llm="embedded")
