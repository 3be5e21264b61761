"""The real reader (reader/model, trained here) on crafted passages, long passages and the seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.chunking import sentence_spans
from qa.decide import Calibration
from qa.read import ExtractiveReader, ReaderError
from tests.conftest import SEEDS

pytestmark = pytest.mark.integration

PASSAGE = (
    "The Vell Bridge was opened on 3 May 1921 by Mayor Anna Kowal. It is 120 metres long and carries "
    "about 4,000 cars a day across the river Vell."
)


@pytest.fixture(scope="module")
def reader() -> ExtractiveReader:
    r = ExtractiveReader()
    r.warm_up()
    return r


def _best(reader: ExtractiveReader, question: str, passage: str = PASSAGE):  # type: ignore[no-untyped-def]
    spans = reader.read(question, [passage])[0]
    assert spans and all(passage[s.start : s.end] == s.text for s in spans)
    return spans[0]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("How many cars cross the Vell Bridge each day?", "4,000"),
        ("When was the Vell Bridge opened?", "3 May 1921"),
        ("Who opened the Vell Bridge?", "Anna Kowal"),
    ],
)
def test_a_number_a_date_and_a_name_are_read_from_the_same_passage(reader: ExtractiveReader, question: str, answer: str) -> None:
    best = _best(reader, question)
    assert answer in best.text and len(best.text.split()) <= 6, best
    assert best.margin >= Calibration.load().answer


def test_a_question_the_passage_does_not_answer_gets_no_confident_span(reader: ExtractiveReader) -> None:
    cal = Calibration.load()
    assert _best(reader, "What colour is the Vell Bridge painted?").margin < cal.answer
    assert _best(reader, "Who designed the Vell Bridge?").margin < _best(reader, "Who opened the Vell Bridge?").margin


def test_a_passage_longer_than_the_window_is_read_in_windows_with_exact_offsets(reader: ExtractiveReader) -> None:
    filler = "The river Vell floods the meadows in spring and the farmers move their cattle to the hills. " * 60
    passage = filler + PASSAGE
    assert len(reader._tokenizer.tokenize(passage)) > 3 * reader.max_length  # type: ignore[union-attr]
    best = _best(reader, "Who opened the Vell Bridge?", passage)
    assert "Anna Kowal" in best.text and best.start > len(filler) - 1


def test_every_span_slices_its_passage_exactly_over_the_seeds(reader: ExtractiveReader) -> None:
    questions = ["Who said it?", "How many people were displaced?", "When did the offensive begin?", "Where is the mosque?"]
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        spans = sentence_spans(text)
        passages = [text[spans[i][0] : spans[min(i + 2, len(spans) - 1)][1]] for i in range(0, len(spans), 7)]
        for q in questions:
            for passage, found in zip(passages, reader.read(q, passages), strict=True):
                for s in found:
                    assert passage[s.start : s.end] == s.text and s.text.strip()


def test_missing_or_corrupted_weights_name_the_file_and_the_rebuild_command(reader: ExtractiveReader, tmp_path: Path) -> None:
    broken = tmp_path / "model"
    shutil.copytree(reader.model_dir, broken)
    weights = broken / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ReaderError, match=r"corrupted.*make reader"):
        ExtractiveReader(broken).warm_up()
    weights.unlink()
    with pytest.raises(ReaderError, match=rf"missing: {weights}.*make reader"):
        ExtractiveReader(broken).warm_up()


def test_an_unknown_precision_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="fp32"):
        ExtractiveReader(precision="fp8")


def test_auto_precision_is_bf16_exactly_where_the_cpu_computes_it_natively() -> None:
    from qa.read import cpu_has_bf16

    assert ExtractiveReader().precision == ("bf16" if cpu_has_bf16() else "fp32")
    assert ExtractiveReader(precision="fp32").precision == "fp32"


def test_windows_counts_what_read_runs(reader: ExtractiveReader) -> None:
    short = "The bridge opened in 1896."
    long = " ".join(f"Sentence {i} says the river rose by {i} centimetres on day {i}." for i in range(60))
    assert reader.windows("When did the bridge open?", [short]) == 1
    assert reader.windows("When did the bridge open?", [short, long]) > 3  # the long passage is read in several windows
