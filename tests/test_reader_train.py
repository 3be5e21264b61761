"""The reader's training: each stage continues the weights of the stage before it, named by their SHA-256; constructed unanswerable questions."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from reader.data import _NAME, _swappable, perturbed
from reader.train import starting_point


def _weights(folder: Path, settings: dict) -> Path:
    folder.mkdir()
    (folder / "training.json").write_text(json.dumps(settings), encoding="utf-8")
    (folder / "SHA256").write_text("ab12  model.safetensors\ncd34  model.int8.onnx\n", encoding="utf-8")
    return folder


def test_a_stage_starts_from_the_stage_before_it(tmp_path: Path) -> None:
    first = _weights(tmp_path / "first", {"lr": 1e-4})  # stage 1 runs recorded no stage
    second = _weights(tmp_path / "second", {"lr": 5e-5, "stage": 2})
    assert starting_point(2, first) == {"lr": 1e-4, "sha256": "ab12"}
    assert starting_point(3, second)["sha256"] == "ab12"


@pytest.mark.parametrize(("stage", "held"), [(2, {"stage": 2}), (3, {}), (3, {"stage": 3})])
def test_a_stage_refuses_weights_of_another_stage(tmp_path: Path, stage: int, held: dict) -> None:
    with pytest.raises(SystemExit, match=f"stage {stage} starts from stage {stage - 1}'s"):
        starting_point(stage, _weights(tmp_path / "w", held))


def test_a_perturbed_question_swaps_one_name_or_number_for_another_of_the_article() -> None:
    names, numbers = {"Vienna", "Bruckner", "Mahler"}, {"1897", "12"}
    seen = set()
    for seed in range(20):
        q = perturbed("When did Mahler move to Vienna in 1897?", names, numbers, random.Random(seed))
        assert q is not None
        seen.add(q)
    # a year only for a year (never "12"), a name for a name, never a word the question already holds
    assert seen == {"When did Bruckner move to Vienna in 1897?", "When did Mahler move to Bruckner in 1897?"}


def test_a_question_with_nothing_to_swap_is_not_perturbed() -> None:
    assert perturbed("Who wrote the symphony?", {"Mahler"}, {"4"}, random.Random(0)) is None
    assert perturbed("When did Mahler arrive?", {"Mahler"}, set(), random.Random(0)) is None


def test_a_capital_that_opens_a_sentence_is_no_name() -> None:
    assert _swappable(_NAME, "They met Gustav Mahler. In Vienna, the Opera hired him.") == {"Gustav Mahler", "Opera"}
