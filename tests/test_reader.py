"""The real reader (reader/model, trained here) on crafted passages, long passages and the seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from index.chunking import sentence_spans
from index.encoder import EncoderError
from qa.decide import Calibration
from qa.read import WIDEST, ExtractiveReader
from reader.evaluate import TorchReader
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
    assert reader.windows("Who opened the Vell Bridge?", [passage]) > 3
    best = _best(reader, "Who opened the Vell Bridge?", passage)
    assert "Anna Kowal" in best.text and best.start > len(filler) - 1


def test_every_span_slices_its_passage_exactly_over_the_seeds(reader: ExtractiveReader) -> None:
    questions = ["Who said it?", "How many people were displaced?", "When did the offensive begin?", "Where is the mosque?",
                 "How old is the mosque?", "Who leads the Iraqi forces?", "How many civilians were killed?", "What was destroyed?"]
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        spans = sentence_spans(text)
        passages = [text[spans[i][0] : spans[min(i + 2, len(spans) - 1)][1]] for i in range(0, len(spans), 7)]
        for q in questions:
            for passage, found in zip(passages, reader.read(q, passages), strict=True):
                for s in found:
                    assert passage[s.start : s.end] == s.text and s.text.strip()
                    for a, b, m in s.wider:  # the spans it may widen to hold it and score at most WIDEST under it
                        assert a <= s.start and s.end <= b and (a, b) != (s.start, s.end) and m >= s.margin - WIDEST


@pytest.mark.parametrize(("kind", "command"), [(ExtractiveReader, "make onnx"), (TorchReader, "make reader")])
def test_missing_or_corrupted_weights_name_the_file_and_the_rebuild_command(
    reader: ExtractiveReader, tmp_path: Path, kind: type[ExtractiveReader], command: str
) -> None:
    broken = tmp_path / "model"
    shutil.copytree(reader.model_dir, broken)
    weights = kind(broken).weights
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(EncoderError, match=rf"{weights} is corrupted.*{command}"):
        kind(broken).warm_up()
    weights.unlink()
    with pytest.raises(EncoderError, match=rf"missing: {weights}.*{command}"):
        kind(broken).warm_up()


def test_the_int8_graph_and_the_torch_weights_read_the_seeds_alike(reader: ExtractiveReader) -> None:
    """The shipped int8 graph against the float32 weights it was exported from: where float32 finds a
    confident answer, int8 finds the same span nearly always; margins differ by far less than the
    threshold's scale."""
    torch_reader = TorchReader()
    threshold = Calibration.load().answer
    questions = ["Who said it?", "How many people were displaced?", "When did the offensive begin?", "Where is the mosque?",
                 "How old is the mosque?", "Who leads the Iraqi forces?", "How many civilians were killed?", "What was destroyed?"]
    same, total, gaps = 0, 0, []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        spans = sentence_spans(text)
        passages = [text[spans[i][0] : spans[min(i + 2, len(spans) - 1)][1]] for i in range(0, len(spans), 5)]
        for q in questions:
            for a, b in zip(reader.read(q, passages, top_n=1), torch_reader.read(q, passages, top_n=1), strict=True):
                gaps.append(abs(a[0].margin - b[0].margin))
                if b[0].margin >= threshold:
                    total += 1
                    same += (a[0].start, a[0].end) == (b[0].start, b[0].end)
    assert total >= 10 and same / total >= 0.9, (same, total)
    assert sorted(gaps)[len(gaps) // 2] < 0.5, sorted(gaps)[len(gaps) // 2]


def test_windows_counts_what_read_runs(reader: ExtractiveReader) -> None:
    short = "The bridge opened in 1896."
    long = " ".join(f"Sentence {i} says the river rose by {i} centimetres on day {i}." for i in range(60))
    assert reader.windows("When did the bridge open?", [short]) == 1
    assert reader.windows("When did the bridge open?", [short, long]) > 3  # the long passage is read in several windows


def test_a_question_longer_than_the_window_is_cut_and_still_read(reader: ExtractiveReader) -> None:
    question = "Who opened the Vell Bridge " + "and when did the river rise " * 60 + "?"
    assert reader.windows(question, [PASSAGE]) == 1
    best = _best(reader, question)
    assert PASSAGE[best.start : best.end] == best.text


class _PeakReader(ExtractiveReader):
    """The real tokenizer with fake logits: the start peaks on one token id, the end on another, [CLS] at 0."""

    def __init__(self, start_id: int, end_id: int) -> None:
        super().__init__()
        self.start_id, self.end_id = start_id, end_id

    def load(self):  # type: ignore[no-untyped-def]
        def logits(inputs: dict[str, np.ndarray]) -> list[np.ndarray]:
            ids = inputs["input_ids"]
            start = np.where(ids == self.start_id, 10.0, -10.0)
            end = np.where(ids == self.end_id, 10.0, -10.0)
            start[:, 0] = end[:, 0] = 0.0
            return [start, end]

        return logits


def test_a_span_whose_boundary_falls_inside_a_word_holds_the_whole_word() -> None:
    passage = "After the war the Ludendorff Bridge was never rebuilt."
    tokenizer = Tokenizer.from_file(str(ExtractiveReader().model_dir / "tokenizer.json"))
    pieces = tokenizer.encode("Ludendorff Bridge", add_special_tokens=False)
    assert len(pieces.ids) > 2 and pieces.tokens[1].startswith("##")  # the name is split into pieces
    best = _PeakReader(start_id=pieces.ids[1], end_id=pieces.ids[-1]).read("Which bridge?", [passage])[0][0]
    assert best.text == "Ludendorff Bridge" and passage[best.start : best.end] == best.text
