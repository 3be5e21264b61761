"""The reader's training stages: each continues the weights of the stage before it, named by their SHA-256."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
