"""The reader's training stages: each continues the weights of the stage before it, named by their SHA-256."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from reader.train import stacked, starting_point


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


def _tiny_reader(layers: int):
    from transformers import BertConfig, BertForQuestionAnswering

    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=layers, num_attention_heads=2, intermediate_size=32)
    return BertForQuestionAnswering(config).eval()


def test_a_stacked_reader_repeats_the_layers_named_and_reloads_as_deep(tmp_path: Path) -> None:
    model = _tiny_reader(3)
    stacked(model, [1])
    layers = model.bert.encoder.layer
    assert len(layers) == 4 and model.config.num_hidden_layers == 4
    assert layers[2] is not layers[1]
    assert all(torch.equal(a, b) for a, b in zip(layers[1].parameters(), layers[2].parameters(), strict=True))
    model.save_pretrained(tmp_path / "deep")
    from transformers import BertForQuestionAnswering

    again = BertForQuestionAnswering.from_pretrained(tmp_path / "deep").eval()
    ids = torch.tensor([[1, 5, 7, 2, 9, 2]])
    with torch.no_grad():
        assert len(again.bert.encoder.layer) == 4
        assert torch.allclose(again(input_ids=ids).start_logits, model(input_ids=ids).start_logits, atol=1e-6)


def test_stacking_refuses_a_layer_the_reader_lacks() -> None:
    with pytest.raises(SystemExit, match="numbers layers 0-2"):
        stacked(_tiny_reader(3), [3])
