"""Transformer encoders run by ONNX Runtime: a checksummed int8 graph and its `tokenizers` tokenizer.

Both bundled encoders (the embedder and the reader) are exported from their torch weights by
`make onnx` (reader/export.py) and quantised to int8 (dynamic, per channel). At run time neither torch
nor transformers is imported: a cold start loads a graph in a fraction of a second, and int8
matrix products run about twice as fast as float32 on CPUs with VNNI.

The same answers on every CPU: ONNX Runtime multiplies the graphs' unsigned activations by their
signed weights exactly where the CPU has VNNI (AVX-512 VNNI or AVX-VNNI), but elsewhere (AVX2) with
an instruction that saturates, so the same graph read differently by CPU (the reader agreed with its
float32 weights on 12 of 15 confident seed spans on an AVX2 CPU, 14 on a VNNI one; its logits on an
emulated AVX2 CPU, qemu -cpu Haswell, were 0.12 off the VNNI ones on average). Without VNNI the graph
is therefore loaded with its weights stored unsigned, zero point plus 128 (`exact`; the copy is kept
beside the graph after the first start, `unsigned_graph`): the same values, and unsigned by unsigned
never saturates. Its logits there are 0.025 off the VNNI ones on average (float rounding) and it
agreed on 14 of 15. Unsigned by unsigned is slower: forced on a VNNI CPU the
unsigned graph read 60-64 windows/s against the signed one's 82-106 (its speed on AVX2 is unmeasured).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class EncoderError(RuntimeError):
    """A model file is missing or does not match its recorded SHA-256."""


def sha256(path: Path) -> str:
    """Returns the hex SHA-256 of a file."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def recorded_sums(folder: Path) -> dict[str, str]:
    """Returns {file name: SHA-256} from the folder's `SHA256` file (`sha256sum` format; {} when absent)."""
    try:
        lines = (folder / "SHA256").read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return {parts[1].lstrip("*"): parts[0] for line in lines if len(parts := line.split()) == 2}


def check_file(path: Path, rebuild: str) -> None:
    """Raises EncoderError unless `path` exists and matches its line in the folder's SHA256 file."""
    want = recorded_sums(path.parent).get(path.name)
    if not path.is_file() or want is None:
        raise EncoderError(f"model file missing: {path} (and its line in {path.parent / 'SHA256'}); rebuild it with: {rebuild}")
    got = sha256(path)
    if got != want:
        raise EncoderError(f"model file {path} is corrupted (SHA-256 {got[:12]}…, expected {want[:12]}…); restore it from git or rebuild it with: {rebuild}")


def record_sum(path: Path) -> None:
    """Writes (or replaces) the file's line in its folder's SHA256 file."""
    sums = recorded_sums(path.parent) | {path.name: sha256(path)}
    (path.parent / "SHA256").write_text("".join(f"{h}  {n}\n" for n, h in sorted(sums.items())), encoding="utf-8")


def batch(encodings: Sequence[Any]) -> dict[str, np.ndarray]:
    """Pads `tokenizers` encodings (zeros on the right) into the encoder's int64 inputs."""
    width = max((len(e.ids) for e in encodings), default=0)
    out = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in INPUTS}
    for i, e in enumerate(encodings):
        n = len(e.ids)
        out["input_ids"][i, :n] = e.ids
        out["attention_mask"][i, :n] = e.attention_mask
        out["token_type_ids"][i, :n] = e.type_ids
    return out


def has_vnni() -> bool:
    """Returns True when the CPU multiplies unsigned by signed 8-bit exactly (AVX-512 VNNI or AVX-VNNI)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return False
    return "avx512_vnni" in flags or "avx_vnni" in flags


def exact(graph: Path) -> bytes:
    """Returns the graph with its int8 matrix weights and their zero points stored as uint8 plus 128:
    the same products, computed without saturation on every CPU."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(graph))
    tensors = {t.name: t for t in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            continue
        for name in node.input[1::2]:  # B and its zero point (A's are computed at run time)
            t = tensors.get(name)
            if t is not None and t.data_type == onnx.TensorProto.INT8:
                shifted = numpy_helper.to_array(t).astype(np.int16) + 128
                t.CopyFrom(numpy_helper.from_array(shifted.astype(np.uint8), name))
    return bytes(model.SerializeToString())


def unsigned_graph(graph: Path) -> str | bytes:
    """Returns the path of the graph's unsigned copy (`exact`), kept beside it with a stamp naming the
    SHA-256 of the graph it was made from and its own, so that a start without VNNI does not rewrite the
    graph (about 0.7 s, most of it importing onnx); a missing, stale or damaged copy is made again. Where
    the folder cannot be written, returns the rewritten graph's bytes."""
    copy = graph.with_name(f"{graph.stem}.unsigned{graph.suffix}")
    stamp = copy.with_name(copy.name + ".sha256")
    source = recorded_sums(graph.parent).get(graph.name) or sha256(graph)
    try:
        if stamp.read_text(encoding="utf-8").split() == [source, sha256(copy)]:
            return str(copy)
    except OSError:
        pass  # no copy yet
    data = exact(graph)
    part = copy.with_name(f"{copy.name}.{os.getpid()}.part")  # another process may be writing its own
    try:
        part.write_bytes(data)
        part.replace(copy)
        stamp.write_text(f"{source} {hashlib.sha256(data).hexdigest()}\n", encoding="utf-8")
    except OSError:
        part.unlink(missing_ok=True)
        return data
    return str(copy)


class OnnxEncoder:
    """One ONNX graph on the CPU; `run()` is thread-safe (ONNX Runtime sessions are)."""

    def __init__(self, graph: Path, rebuild: str, threads: int = 0, unsigned: bool | None = None) -> None:
        """Checks the graph against its SHA-256 and opens it; `threads` 0 lets ONNX Runtime choose;
        `unsigned` runs it through `exact` (default: where the CPU has no VNNI)."""
        check_file(graph, rebuild)
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.log_severity_level = 3
        if unsigned is None:
            unsigned = not has_vnni()
        source = unsigned_graph(graph) if unsigned else str(graph)
        self._session = ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])

    def run(self, inputs: dict[str, np.ndarray]) -> list[np.ndarray]:
        """Returns the graph's outputs for a padded batch."""
        return list(self._session.run(None, inputs))
