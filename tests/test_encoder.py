"""The int8 graphs read alike on every CPU: without VNNI their weights are loaded unsigned, whose products are exact."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from index import encoder
from index.embed import GRAPH as EMBEDDER_GRAPH


def _matmul_integer(path: Path, weights: np.ndarray, zero_points: np.ndarray) -> None:
    """Writes a graph computing MatMulInteger(A, weights) for a uint8 A with zero point 131."""
    k, n = weights.shape
    node = helper.make_node("MatMulInteger", ["a", "b", "a_zero", "b_zero"], ["y"])
    graph = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, ["rows", k])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, ["rows", n])],
        [numpy_helper.from_array(weights, "b"), numpy_helper.from_array(zero_points, "b_zero"),
         numpy_helper.from_array(np.array(131, dtype=np.uint8), "a_zero")],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def test_unsigned_weights_give_the_signed_products_exactly(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    weights = rng.integers(-127, 128, size=(384, 8)).astype(np.int8)
    weights[:, 0] = 127  # with A = 255, the pair sums that saturate 16 bits without VNNI
    weights[:, 1] = -127
    zero_points = np.array([0, 0, 3, -5, 0, 0, 1, 0], dtype=np.int8)
    a = rng.integers(0, 256, size=(5, 384)).astype(np.uint8)
    a[0] = 255
    _matmul_integer(tmp_path / "signed.onnx", weights, zero_points)
    shifted = encoder.exact(tmp_path / "signed.onnx")

    expected = (a.astype(np.int64) - 131) @ (weights.astype(np.int64) - zero_points.astype(np.int64))
    got = ort.InferenceSession(shifted, providers=["CPUExecutionProvider"]).run(None, {"a": a})[0]
    assert np.array_equal(got, expected)
    inits = {t.name: t for t in onnx.load_from_string(shifted).graph.initializer}
    assert inits["b"].data_type == inits["b_zero"].data_type == TensorProto.UINT8


def _graph_copy(folder: Path) -> Path:
    """Returns a copy of the embedder's graph, with its SHA256 line, in `folder`."""
    graph = folder / EMBEDDER_GRAPH.name
    shutil.copyfile(EMBEDDER_GRAPH, graph)
    encoder.record_sum(graph)
    return graph


def _spy_on_exact(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    rewritten: list[Path] = []
    real = encoder.exact

    def spy(graph: Path) -> bytes:
        rewritten.append(graph)
        return real(graph)

    monkeypatch.setattr(encoder, "exact", spy)
    return rewritten


@pytest.mark.parametrize("vnni", [True, False])
def test_the_graph_is_loaded_unsigned_where_the_cpu_has_no_vnni(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vnni: bool) -> None:
    graph = _graph_copy(tmp_path)
    rewritten = _spy_on_exact(monkeypatch)
    monkeypatch.setattr(encoder, "has_vnni", lambda: vnni)
    encoder.OnnxEncoder(graph, "make onnx")
    assert rewritten == ([] if vnni else [graph])


def test_the_unsigned_graph_is_rewritten_once_and_again_when_its_copy_is_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _graph_copy(tmp_path)
    rewritten = _spy_on_exact(monkeypatch)
    first = encoder.unsigned_graph(graph)
    assert isinstance(first, str) and Path(first).read_bytes() == encoder.exact(graph)
    rewritten.clear()
    assert encoder.unsigned_graph(graph) == first and rewritten == []  # the next start loads the copy
    Path(first).write_bytes(Path(first).read_bytes()[:1000])  # a damaged copy is made again
    assert encoder.unsigned_graph(graph) == first and rewritten == [graph]
    assert Path(first).read_bytes() == encoder.exact(graph)


def test_the_unsigned_graph_is_kept_in_memory_where_its_folder_cannot_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _graph_copy(tmp_path)

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(f"read-only: {target}")

    monkeypatch.setattr(Path, "replace", refuse)  # the copy is written, but cannot take its name
    assert encoder.unsigned_graph(graph) == encoder.exact(graph)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["SHA256", graph.name]  # nothing half written is left
