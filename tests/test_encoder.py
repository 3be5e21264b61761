"""The int8 graphs read alike on every CPU: without VNNI their weights are loaded unsigned, whose products are exact."""

from __future__ import annotations

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


@pytest.mark.parametrize("vnni", [True, False])
def test_the_graph_is_loaded_unsigned_where_the_cpu_has_no_vnni(monkeypatch: pytest.MonkeyPatch, vnni: bool) -> None:
    loaded: list[Path] = []
    real = encoder.exact

    def spy(graph: Path) -> bytes:
        loaded.append(graph)
        return real(graph)

    monkeypatch.setattr(encoder, "has_vnni", lambda: vnni)
    monkeypatch.setattr(encoder, "exact", spy)
    encoder.OnnxEncoder(EMBEDDER_GRAPH, "make onnx")
    assert loaded == ([] if vnni else [EMBEDDER_GRAPH])
