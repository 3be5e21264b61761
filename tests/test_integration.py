"""Integration over the seeds with real parts: embedded Chroma, the bundled embedder and LLM,
and a real OpenAI-compatible server (llama.cpp's, with the same bundled model) on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from index.documents import title_of
from qa.engine import Engine
from qa.settings import Settings
from tests.conftest import SEEDS, free_port

pytestmark = pytest.mark.integration

TEXTS = {p.stem: p.read_bytes().decode("utf-8") for p in SEEDS.glob("*.txt")}


@pytest.fixture(scope="module")
def engine(real_settings: Settings) -> Engine:
    return Engine(real_settings)


def _exact(answer) -> None:  # type: ignore[no-untyped-def]
    for q in list(answer.quotes) + list(answer.nearest):
        assert TEXTS[q.doc_id][q.start : q.end] == q.text
        assert q.title == title_of(TEXTS[q.doc_id])  # the first line, past a dateline


def test_first_use_builds_the_index_from_seeds(engine: Engine) -> None:
    assert sorted(engine.corpus.docs) == sorted(TEXTS)
    assert engine.corpus.store.count("unit") == engine.corpus.size > 100


def test_conflict_on_the_mosque_age(engine: Engine) -> None:
    a = engine.answer("How old is the Grand al-Nuri Mosque?")
    assert not a.abstained and a.conflicts
    assert "850" in a.text and "800" in a.text
    assert {"000_80fdb4fce696fed8", "004_31e91b36f84b13b4"} <= {q.doc_id for q in a.quotes}
    _exact(a)


def test_answerable_question_is_answered_with_the_value(engine: Engine) -> None:
    a = engine.answer("How many civilians remain in the battlefield?")
    assert not a.abstained and "100,000" in a.text
    assert a.quotes[0].doc_id == "004_31e91b36f84b13b4"
    _exact(a)


def test_unanswerable_question_abstains(engine: Engine) -> None:
    a = engine.answer("How much aid money did Japan pledge for rebuilding Mosul's bridges?")
    assert a.abstained and a.text.startswith("Not in the sources")
    _exact(a)


def test_embedded_llm_writes_and_is_verified(engine: Engine) -> None:
    from qa.llm import get_llm

    model = get_llm("embedded", engine.settings)
    assert model is not None
    raw = model.answer("How many civilians remain?", ["Meanwhile, about 100,000 civilians remain in the complex battlefield."])
    assert raw.strip()
    a = engine.answer("How many civilians remain in the battlefield?", llm="embedded")
    assert a.mode in ("llm", "extractive") and "100,000" in a.text
    _exact(a)


def test_llama_cpp_notes_go_to_logging_not_to_stderr(engine: Engine) -> None:
    # llama.cpp warns on every new context ("llama_kv_cache_iswa: using full-size SWA cache"); a user of
    # `qa ask` should not see it, `qa -v ask` should
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_INDEX_DIR=str(engine.settings.index_dir), QA_SEEDS_DIR=str(SEEDS), QA_LLM="embedded")
    question = "How many civilians remain in the battlefield?"

    def ask(*flags: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "qa.cli", *flags, "ask", question]
        return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)

    quiet, verbose = ask(), ask("-v")
    assert quiet.returncode == 0 and "100,000" in quiet.stdout, quiet.stderr
    assert "llama_kv_cache" not in quiet.stderr, quiet.stderr
    assert "INFO llama_cpp: llama_kv_cache" in verbose.stderr, verbose.stderr


def test_every_quote_of_many_answers_is_exact(engine: Engine) -> None:
    from evals.dataset import load_items

    for item in load_items(SEEDS)[::4]:
        _exact(engine.answer(item.question, llm="none"))


def test_openai_backend_against_a_real_server(openai_server: str, real_settings: Settings) -> None:
    settings = real_settings.model_copy(update={"llm": "openai", "openai_base_url": openai_server, "openai_model": "gemma"})
    engine = Engine(settings)
    a = engine.answer("How many civilians remain in the battlefield?")
    # the server was asked: either its answer passed verification or a note says why the reader's is shown
    assert a.mode == "llm" or any(n.startswith(("model answer", "the model answered", "the model gave")) for n in a.notes), a.notes
    assert "100,000" in a.text
    _exact(a)


def test_unreachable_openai_server_falls_back_to_the_reader_naming_the_setting(real_settings: Settings) -> None:
    settings = real_settings.model_copy(
        update={"llm": "openai", "openai_base_url": f"http://127.0.0.1:{free_port()}/v1", "llm_timeout": 5.0}
    )
    a = Engine(settings).answer("How many civilians remain in the battlefield?")
    assert a.mode == "extractive" and "100,000" in a.text
    assert any("failed" in n and "QA_OPENAI_BASE_URL" in n for n in a.notes), a.notes


def test_the_embedder_gives_the_vectors_sentence_transformers_gives() -> None:
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from index.embed import MiniLMEmbedder, bundled_model_path

    texts = [line for text in TEXTS.values() for line in text.splitlines() if line.strip()][:40]
    texts.append("How old is the Grand al-Nuri Mosque? " * 80)  # longer than the 256-token limit
    ours = MiniLMEmbedder().embed(texts)
    theirs = SentenceTransformer(bundled_model_path(), device="cpu").encode(texts, normalize_embeddings=True)
    assert ours.shape == (len(texts), 384)
    assert np.abs(ours - theirs).max() < 1e-5


def test_the_int8_embedder_ranks_the_seed_sentences_as_the_float32_one_does() -> None:
    import numpy as np

    from index.chunking import sentence_spans
    from index.embed import MiniLMEmbedder, OnnxMiniLMEmbedder

    sentences = [t[a:b] for t in TEXTS.values() for a, b in sentence_spans(t)]
    questions = ["How many civilians remain in the city?", "When did the offensive on the Old City begin?",
                 "Who leads the Iraqi forces?", "What happened to the Grand al-Nuri Mosque?", "How much aid did Japan give?",
                 "Where did displaced families go?", "What did the United Nations say?", "How many fighters does ISIS have?"]
    ranks = []
    for model in (OnnxMiniLMEmbedder(), MiniLMEmbedder()):
        scores = model.embed(questions) @ model.embed(sentences).T
        ranks.append(np.argsort(-scores, axis=1)[:, :5])
    int8, fp32 = ranks
    assert len(sentences) > 100
    assert (int8[:, 0] == fp32[:, 0]).mean() >= 0.75
    assert np.mean([len(set(a) & set(b)) / 5 for a, b in zip(int8, fp32, strict=True)]) >= 0.7


def test_the_embedded_prompt_is_fitted_to_the_models_window(engine: Engine) -> None:
    from qa.llm import get_llm

    model = get_llm("embedded", engine.settings)
    long_passages = [" ".join(TEXTS[d].split()[:900]) for d in sorted(TEXTS)]  # about 5,000 words in all
    prompt = model.fitted_prompt("How many civilians remain?", long_passages)  # type: ignore[union-attr]
    assert len(model._llm.tokenize(prompt.encode("utf-8"))) <= 2048 - model.MAX_TOKENS  # type: ignore[union-attr]
    assert "[1]" in prompt and model.answer("How many civilians remain?", long_passages) is not None
