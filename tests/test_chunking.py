"""Offsets hold for every unit and chunk: span.text == document.text[start:end]."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from index.chunking import retrieval_chunks, sentence_pieces, sentence_spans, sentence_units
from index.documents import Document, load_documents
from tests.conftest import SEEDS


def _seed_docs() -> list[Document]:
    docs, skipped = load_documents([SEEDS])
    assert len(docs) == 5 and not skipped
    return docs


def test_seed_units_and_chunks_are_exact_slices() -> None:
    for doc in _seed_docs():
        assert doc.text == (SEEDS / f"{doc.doc_id}.txt").read_bytes().decode("utf-8")
        units = sentence_units(doc)
        chunks = retrieval_chunks(doc)
        assert len(units) > 10 and chunks
        for span in units + chunks:
            assert span.text == doc.text[span.start : span.end]
            assert span.text == span.text.strip() and span.text
        # units are ordered, disjoint, and cover every non-blank character
        covered = [False] * len(doc.text)
        prev_end = 0
        for u in units:
            assert u.start >= prev_end
            prev_end = u.end
            for i in range(u.start, u.end):
                covered[i] = True
        assert all(covered[i] or doc.text[i].isspace() for i in range(len(doc.text)))


def test_sentences_respect_abbreviations() -> None:
    text = "Speaking on state TV, Brig. Gen. Yahya Rasool spoke. The U.S. Central Command agreed. Next one."
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert got == [
        "Speaking on state TV, Brig. Gen. Yahya Rasool spoke.",
        "The U.S. Central Command agreed.",
        "Next one.",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n“”’A1,é\u00a0\t")), max_size=300))
def test_sentence_offsets_hold_on_any_text(text: str) -> None:
    spans = sentence_spans(text)
    last = 0
    for s, e in spans:
        assert 0 <= s < e <= len(text) and s >= last
        assert text[s:e].strip() == text[s:e]
        last = e


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n“”’A1,é\u00a0\t")), max_size=300))
def test_splitter_sentence_pieces_join_back_and_start_at_sentences(text: str) -> None:
    pieces = sentence_pieces(text)
    assert "".join(pieces) == text
    cuts = [sum(len(p) for p in pieces[:i]) for i in range(1, len(pieces))]
    assert cuts == [s for s, _ in sentence_spans(text)][1:]


def test_retrieval_chunks_hold_on_generated_doc(tmp_path: Path) -> None:
    body = "\n\n".join(f"Paragraph {i}. " + "The quick brown fox jumps over the dog. " * 30 for i in range(8))
    doc = Document("gen", "gen", body)
    chunks = retrieval_chunks(doc)
    assert len(chunks) > 3
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text


def test_abbreviations_are_found_by_a_bounded_look_back_with_the_same_cuts() -> None:
    long_run = "a" * 40
    text = f"Gen. Lee met Col. Ruiz in the U.S. on a {long_run}. Then they left. " * 3 + "W. Bush spoke."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        f"Gen. Lee met Col. Ruiz in the U.S. on a {long_run}.", "Then they left.",
    ] * 3 + ["W. Bush spoke."]
