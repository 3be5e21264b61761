"""Export the reader and the bundled embedder to int8 ONNX graphs, the form the product runs.

    python -m reader.export          # (make onnx) needs the [export] extra: onnx, onnxscript
    python -m reader.export DIR      # only the reader in DIR (a trained candidate, for `python -m reader.compare DIR`)

- reader/model/model.safetensors -> reader/model/model.int8.onnx (start and end logits)
- the bundled all-MiniLM-L6-v2 -> index/models/minilm/model.int8.onnx (token vectors; the embedder pools)

Each is traced by torch's TorchScript exporter (opset 17, batch and length dynamic), then quantised
by ONNX Runtime: dynamic int8, per output channel (per-tensor scales cost the reader 0.03 token F1;
per channel, 0.005). The SHA-256 of each graph is written beside it and checked at load. After a
new export, refit the thresholds (`make calibrate`): they belong to the graph that reads.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch

from index.embed import GRAPH as EMBEDDER_GRAPH
from index.embed import bundled_model_path
from index.encoder import INPUTS, record_sum
from qa.read import GRAPH as READER_GRAPH
from qa.read import MODEL_DIR

log = logging.getLogger("reader.export")


class _Positional(torch.nn.Module):
    """Calls a transformers model by keyword (its positional order differs between versions)."""

    def __init__(self, model: torch.nn.Module, outputs: tuple[str, ...]) -> None:
        super().__init__()
        self.model, self.outputs = model, outputs

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> tuple[torch.Tensor, ...]:
        res = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return tuple(getattr(res, name) for name in self.outputs)


def export(model: torch.nn.Module, outputs: tuple[str, ...], target: Path) -> None:
    """Writes `model` as an int8 ONNX graph at `target` and records its SHA-256."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    example = {name: torch.ones((2, 8), dtype=torch.long) for name in INPUTS}
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, *outputs)}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "model.onnx"
        torch.onnx.export(_Positional(model.eval(), outputs), tuple(example[n] for n in INPUTS), str(plain),
                          input_names=list(INPUTS), output_names=list(outputs), dynamic_axes=axes, opset_version=17,
                          dynamo=False)
        quantize_dynamic(str(plain), str(target), weight_type=QuantType.QInt8, per_channel=True)
    record_sum(target)
    log.info("wrote %s (%.1f MB)", target, target.stat().st_size / 1e6)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, nargs="?", default=MODEL_DIR, help="the reader's folder (default: the shipped one, and the embedder too)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")  # the quantiser logs every tensor at INFO
    log.setLevel(logging.INFO)
    from transformers import AutoModel, AutoModelForQuestionAnswering

    torch.manual_seed(0)
    reader = AutoModelForQuestionAnswering.from_pretrained(args.folder, dtype=torch.float32)
    export(reader, ("start_logits", "end_logits"), args.folder / READER_GRAPH)
    if args.folder.resolve() != MODEL_DIR.resolve():
        return
    embedder = AutoModel.from_pretrained(bundled_model_path(), dtype=torch.float32)
    export(embedder, ("last_hidden_state",), EMBEDDER_GRAPH)


if __name__ == "__main__":
    main()
