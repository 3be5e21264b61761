# The two commands a new user needs:
#   make run    set up, index the seeds, and open the web UI on http://127.0.0.1:7860 (embedded default)
#   make test   set up and run every test, then the grounding evals on the test split
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.installed-llm
TEST_STAMP := $(VENV)/.installed-test

.PHONY: setup setup-llm setup-test run test unit evals browser-deps bench lint reader onnx calibrate

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	# the CPU build of torch that lies on this machine's disk (a looser pin pulls a CUDA build)
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e .
	touch $(STAMP)

# the embedded LLM (QA_LLM=embedded): llama-cpp-python compiles once, about 5-11 minutes on 2 cores
$(LLM_STAMP): $(STAMP)
	$(BIN)/pip install -e ".[llm]"
	touch $(LLM_STAMP)

# the tests run every part for real, the embedded LLM and its OpenAI-compatible server included
$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -e ".[test]"
	touch $(TEST_STAMP)

setup: $(STAMP)
setup-llm: $(LLM_STAMP)
setup-test: $(TEST_STAMP)

run: setup
	$(BIN)/qa index
	$(BIN)/qa ui

browser-deps:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

test: setup-test browser-deps
	$(BIN)/python -m pytest -q
	$(BIN)/qa eval --suite mosul --split test --out evals/results/mosul
	$(BIN)/qa eval --suite squad --split test --out evals/results/squad
	$(BIN)/python benchmarks/scale.py --sizes 5 40 --questions 10 --smoke

unit: setup-test
	$(BIN)/python -m pytest -q -m "not integration and not browser"

evals: setup
	$(BIN)/qa eval --suite mosul --split test --out evals/results/mosul
	$(BIN)/qa eval --suite squad --split test --out evals/results/squad

# Reproduce the reader from the bundled MiniLM and ../shared/data/squad in two stages (each a fixed
# budget of 68,800 windows of at most 128 tokens, under an hour on 2 quiet cores with bf16, over one
# half of SQuAD 1.x; a stopped stage resumes from reader/checkpoints/, one trained with other settings
# is not resumed), then score it alone on the split's articles and refit its thresholds. Set-up and CI
# never run it.
reader: setup
	$(BIN)/python -m reader.train
	$(BIN)/python -m reader.train --stage 2
	$(MAKE) onnx
	$(BIN)/python -m reader.evaluate
	$(BIN)/python -m reader.calibrate

# The int8 ONNX graphs the product runs (reader/model/model.int8.onnx, index/models/minilm/), exported
# from the torch weights in seconds; committed, so set-up and CI never export.
onnx: setup
	$(BIN)/pip install -e ".[export]"
	$(BIN)/python -m reader.export

calibrate: setup
	$(BIN)/python -m reader.calibrate

bench: setup
	$(BIN)/python benchmarks/answer_latency.py
	$(BIN)/python benchmarks/ui_load.py

lint: setup
	$(BIN)/ruff check . && $(BIN)/mypy qa index evals ui reader
