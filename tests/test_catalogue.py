"""The saved sentence catalogue: the same corpus as a fresh build, rebuilt exactly when the documents change."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index import catalogue
from index.build import build_index, remove_document
from index.corpus import Corpus
from index.embed import HashingEmbedder
from index.store import StoreConfig, VectorStore

EMB = HashingEmbedder()
QUESTIONS = ["How many civilians remain in the city?", "When did the offensive begin?", "Who leads the Iraqi forces?"]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts catalogue builds (each appends the number of documents it read)."""
    seen: list[int] = []
    real = catalogue.build

    def counting(store, docs):  # type: ignore[no-untyped-def]
        seen.append(len(docs))
        return real(store, docs)

    monkeypatch.setattr(catalogue, "build", counting)
    return seen


def _units(corpus: Corpus) -> list:
    return [corpus.unit(row) for row in range(corpus.size)]


def _view(corpus: Corpus) -> tuple:
    searches = [corpus.keyword.search(q, 10) for q in QUESTIONS]
    return _units(corpus), corpus.chunk_rows(), searches, [corpus.keyword.idf_of(t) for t in ("mosul", "civilian", "unseen")]


def test_a_saved_catalogue_gives_the_corpus_a_fresh_build_gives(tmp_path: Path, seeds_copy: Path, builds: list[int]) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    fresh = Corpus(VectorStore(config))
    first = Corpus(VectorStore(config), config.path / catalogue.FOLDER)
    loaded = Corpus(VectorStore(config), config.path / catalogue.FOLDER)
    assert builds == [5, 5]  # the one indexing saved and the unsaved corpus; both saved ones were loaded
    assert fresh.size > 100 and len(fresh.chunk_rows()) > 10
    assert _view(fresh) == _view(first) == _view(loaded)
    assert isinstance(loaded.keyword.idf, np.memmap)


def test_the_catalogue_is_rebuilt_when_a_document_is_added_changed_or_removed(
    tmp_path: Path, seeds_copy: Path, builds: list[int]
) -> None:
    config = StoreConfig(tmp_path / "idx")
    folder = config.path / catalogue.FOLDER  # indexing builds it; an answering process loads it
    build_index(config, EMB, [seeds_copy])
    assert builds == [5] and (folder / catalogue.key_of(VectorStore(config).docs())).is_dir()  # before any question
    Corpus(VectorStore(config), folder)
    (seeds_copy / "extra.txt").write_text("The Vell Bridge opened in 1921.\n\nIt carries 4,000 cars a day.\n", encoding="utf-8")
    build_index(config, EMB, [seeds_copy])
    added = Corpus(VectorStore(config), folder)
    assert added.keyword.search("Vell Bridge", 1) and added.unit(added.keyword.search("Vell Bridge", 1)[0][0]).doc_id == "extra"
    (seeds_copy / "extra.txt").write_text("The Vell Bridge opened in 1922, after a flood.\n", encoding="utf-8")
    build_index(config, EMB, [seeds_copy])
    changed = Corpus(VectorStore(config), folder)
    assert "1922" in changed.text(changed.unit(changed.keyword.search("flood", 1)[0][0]))
    remove_document(config, "extra")
    removed = Corpus(VectorStore(config), folder)
    assert removed.keyword.search("Vell", 5) == [] and "extra" not in {u.doc_id for u in _units(removed)}
    Corpus(VectorStore(config), folder)  # unchanged: loaded
    assert builds == [5, 6, 6, 5]
    assert [p.name for p in folder.iterdir()] == [catalogue.key_of(VectorStore(config).docs())]  # older ones deleted


def test_a_save_killed_half_way_is_cleaned_up_once_abandoned(tmp_path: Path, seeds_copy: Path) -> None:
    config = StoreConfig(tmp_path / "idx")
    folder = config.path / catalogue.FOLDER
    build_index(config, EMB, [seeds_copy])
    killed, running = folder / ".building-killed", folder / ".building-running"  # as a save leaves them
    for half in (killed, running):
        half.mkdir()
        (half / "units.npy").write_bytes(b"half")
    old = time.time() - catalogue.ABANDONED_SECONDS - 60
    os.utime(killed, (old, old))
    (seeds_copy / "extra.txt").write_text("The Vell Bridge opened in 1921.\n", encoding="utf-8")
    build_index(config, EMB, [seeds_copy])  # saves a new catalogue
    assert sorted(p.name for p in folder.iterdir()) == [".building-running", catalogue.key_of(VectorStore(config).docs())]


def test_a_damaged_catalogue_is_rebuilt_with_a_warning(
    tmp_path: Path, seeds_copy: Path, builds: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    config = StoreConfig(tmp_path / "idx")
    folder = config.path / catalogue.FOLDER
    build_index(config, EMB, [seeds_copy])
    before = _view(Corpus(VectorStore(config), folder))
    saved = next(folder.iterdir())
    (saved / "bm25.json").write_text("{not json", encoding="utf-8")
    assert _view(Corpus(VectorStore(config), folder)) == before
    assert builds == [5, 5] and "rebuilding the saved catalogue" in caplog.text
    assert _view(Corpus(VectorStore(config), folder)) == before and builds == [5, 5]


def test_units_and_chunks_are_found_by_their_store_ids(tmp_path: Path, seeds_copy: Path) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    store = VectorStore(config)
    corpus = Corpus(store, tmp_path / "cat")
    rows = store.span_rows("unit")
    assert len(rows) == corpus.size
    for row in rows:
        m = row["metadatas"]
        unit = corpus.by_id(row["id"])
        assert unit is not None and (unit.id, unit.doc_id, unit.ordinal, unit.start, unit.end) == (
            row["id"], m["doc_id"], m["ordinal"], m["start"], m["end"])
        assert corpus.at(m["doc_id"], m["ordinal"]) == unit
    for row in store.span_rows("chunk"):
        m = row["metadatas"]
        assert corpus.chunk(row["id"]) == (m["doc_id"], m["start"], m["end"])
    some = corpus.unit(0).doc_id
    assert [u.ordinal for u in corpus.doc_units(some)] == list(range(len(corpus.doc_units(some))))
    assert corpus.by_id("nosuch:unit:0") is None and corpus.by_id(f"{some}:unit:99999") is None and corpus.chunk("x") is None
    assert corpus.doc_units("nosuch") == [] and corpus.at(some, -1) is None


def test_document_texts_are_read_when_a_question_needs_them(tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    corpus = Corpus(VectorStore(config), tmp_path / "cat")
    assert corpus.docs and all(d.text is None for d in corpus.docs.values())  # nothing read at start-up
    monkeypatch.setattr(Corpus, "TEXTS_KEPT", 2)
    for path in sorted(seeds_copy.glob("*.txt")):
        assert corpus.doc_text(path.stem) == path.read_bytes().decode("utf-8")
    assert len(corpus._texts) == 2  # the two read last
    unit = corpus.unit(0)
    assert corpus.text(unit) == (seeds_copy / f"{unit.doc_id}.txt").read_bytes().decode("utf-8")[unit.start : unit.end]
    assert corpus.sizes() == {p.stem: len(p.read_bytes()) for p in seeds_copy.glob("*.txt")}
    with pytest.raises(KeyError):
        corpus.doc_text("nosuch")


def test_sizes_come_from_the_records_and_from_the_text_only_for_older_records(tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    store = VectorStore(config)
    files = {p.stem: len(p.read_bytes()) for p in seeds_copy.glob("*.txt")}
    docs = store.docs(texts=False)
    assert {d: doc.size for d, doc in docs.items()} == files  # kept in each record at indexing
    read: list[list[str]] = []
    texts = VectorStore.texts
    monkeypatch.setattr(VectorStore, "texts", lambda self, ids: read.append(list(ids)) or texts(self, ids))
    assert store.sizes(docs) == files and read == [[]]  # no text read
    older = sorted(docs)[0]
    docs[older] = replace(docs[older], size=None)  # a record written before sizes were kept
    assert store.sizes(docs) == files and read[-1] == [older]


def test_passages_are_whole_sentences_around_units_merged_without_reading_text_twice(tmp_path: Path, seeds_copy: Path) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    corpus = Corpus(VectorStore(config), tmp_path / "cat")
    doc = max(corpus.docs, key=lambda d: len(corpus.doc_units(d)))
    units = corpus.doc_units(doc)
    text = corpus.doc_text(doc)
    [p] = corpus.passages([units[5]], limit=3)
    assert (p.first, p.last, p.start, p.end) == (4, 6, units[4].start, units[6].end)
    assert corpus.text(p) == text[units[4].start : units[6].end]
    # a unit two sentences on touches the first passage: one passage, sentences 4-8
    [merged] = corpus.passages([units[5], units[7]], limit=3, max_chars=10**6)
    assert (merged.first, merged.last) == (4, 8)
    # unless the merged passage would be too long: then it is a passage of its own, and `limit` counts it
    short = units[6].end - units[4].start
    apart = corpus.passages([units[5], units[7]], limit=3, max_chars=short)
    assert [(q.first, q.last) for q in apart] == [(4, 6), (6, 8)]
    assert corpus.passages([units[5], units[7]], limit=1, max_chars=short) == [apart[0]]
    far = corpus.passages([units[5], units[12]], limit=3)
    assert [(q.first, q.last) for q in far] == [(4, 6), (11, 13)]
    assert corpus.touching(doc, units[5].start + 1, units[6].start + 1) == [units[5], units[6]]
