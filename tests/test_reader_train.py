"""The reader's training stages: each continues the weights of the stage before it, named by their SHA-256."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from reader import data
from reader.data import Window
from reader.train import group_loss, starting_point


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


class _Logits:
    """A stand-in for the span model: fixed start and end logits per window (rows of the batch)."""

    def __init__(self, start: list[list[float]], end: list[list[float]]) -> None:
        self.start, self.end = start, end

    def __call__(self, **batch: torch.Tensor) -> SimpleNamespace:
        return SimpleNamespace(start_logits=torch.tensor(self.start), end_logits=torch.tensor(self.end), loss=torch.tensor(2.0))


# [CLS] q [SEP] p p [SEP]: positions 3 and 4 are passage tokens
def _window(start: int = 0, end: int = 0) -> Window:
    return Window([101, 7, 102, 8, 9, 102], [0, 0, 0, 1, 1, 1], start, end)


def test_group_loss_is_one_softmax_over_the_margins_of_all_windows_and_no_answer() -> None:
    # window 0: [CLS] 1, passage margins 0 and 2; window 1 (holds the answer at 4): [CLS] 0, margins 1 and 3
    logits = [[1.0, 9.0, 9.0, 1.0, 3.0, 9.0], [0.0, 9.0, 9.0, 1.0, 3.0, 9.0]]
    model = _Logits(logits, logits)
    got = group_loss(model, [[_window(), _window(4, 4)]], pad=0, sep=102)
    margins = torch.tensor([0.0, 0.0, 2.0, 1.0, 3.0])  # no-answer, then every passage token of both windows
    assert got.item() == pytest.approx((torch.logsumexp(margins, 0) - 3.0).item(), abs=1e-5)
    nothing = group_loss(model, [[_window(), _window()]], pad=0, sep=102)  # no window answers: the target is no-answer
    assert nothing.item() == pytest.approx(torch.logsumexp(margins, 0).item(), abs=1e-5)
    mixed = group_loss(model, [[_window(), _window()]], pad=0, sep=102, window_loss=0.5)  # plus half the per-window loss
    assert mixed.item() == pytest.approx(nothing.item() + 1.0, abs=1e-5)


def test_group_loss_falls_when_the_answer_outscores_other_passages() -> None:
    wrong = [[0.0, 0, 0, 0.0, 5.0, 0], [0.0, 0, 0, 0.0, 1.0, 0]]  # a distractor window scores higher
    right = [[0.0, 0, 0, 0.0, 1.0, 0], [0.0, 0, 0, 0.0, 5.0, 0]]
    group = [[_window(), _window(4, 4)]]
    assert group_loss(_Logits(right, right), group, 0, 102) < group_loss(_Logits(wrong, wrong), group, 0, 102)


def test_distractors_share_question_words_and_hold_no_answer() -> None:
    paragraphs = ["The dam on the river was built in 1950.", "The river floods.", "The dam holds 1950 tonnes.", "Cats."]
    words = [data._words(p) for p in paragraphs]
    got = data.distractors("When was the dam on the river built?", ["1950"], paragraphs, words, own=0, n=3)
    assert got == ["The river floods."]  # the own paragraph, one holding the answer and one sharing no word are left out
