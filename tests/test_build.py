"""Indexing: deterministic ids, no duplicates, changes replace, removals disappear, orphans are cleaned."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from index.build import build_index, index_lock, remove_document
from index.chunking import SPLITTING, sentence_units
from index.documents import LOADER, load_documents, read_document
from index.embed import HashingEmbedder
from index.store import StoreConfig, VectorStore

EMB = HashingEmbedder()


def _snapshot(store: VectorStore) -> dict:
    return {kind: sorted(r["id"] for r in store.span_rows(kind)) for kind in ("unit", "chunk")} | {
        "doc": sorted(store.docs())
    }


def test_reindexing_unchanged_seeds_does_no_work_and_makes_no_duplicates(tmp_path: Path, seeds_copy: Path) -> None:
    config = StoreConfig(tmp_path / "idx")
    first = build_index(config, EMB, [seeds_copy])
    assert len(first.added) == 5 and first.units > 50
    before = _snapshot(VectorStore(config))
    second = build_index(config, EMB, [seeds_copy])
    assert second.added == [] and second.updated == [] and len(second.unchanged) == 5 and second.units == 0
    store = VectorStore(config)
    assert _snapshot(store) == before
    units = store.span_rows("unit")
    assert len(units) == len({r["id"] for r in units}) == store.count("unit")
    expected = sum(len(sentence_units(d)) for d in load_documents([seeds_copy])[0])
    assert store.count("unit") == expected


def test_an_index_split_another_way_is_split_again(tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    assert {d.splitting for d in VectorStore(config).docs().values()} == {SPLITTING}
    monkeypatch.setattr("index.build.SPLITTING", "a newer way")
    again = build_index(config, EMB, [seeds_copy])
    assert len(again.updated) == 5 and again.units > 50 and again.unchanged == []


def test_documents_read_by_another_loader_are_read_again(tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    assert {d.loader for d in VectorStore(config).docs().values()} == {LOADER}
    for where in ("index.build.LOADER", "index.store.LOADER"):  # a newer version of how files are read
        monkeypatch.setattr(where, "loader-next")
    again = build_index(config, EMB, [seeds_copy])
    assert len(again.updated) == 5 and again.unchanged == []
    assert {d.loader for d in VectorStore(config).docs().values()} == {"loader-next"}
    assert len(build_index(config, EMB, [seeds_copy]).unchanged) == 5


def test_documents_embedded_by_another_embedder_are_embedded_again(tmp_path: Path, seeds_copy: Path) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    assert {d.embedder for d in VectorStore(config).docs().values()} == {"hashing"}
    other = HashingEmbedder()
    other.name = "another"
    again = build_index(config, other, [seeds_copy])
    assert len(again.updated) == 5 and again.unchanged == []
    assert {d.embedder for d in VectorStore(config).docs().values()} == {"another"}
    assert build_index(config, other, [seeds_copy]).updated == []


def test_an_index_whose_titles_were_read_another_way_is_rebuilt_for_them(
    tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    monkeypatch.setattr("index.documents.title_of", lambda text: "the same title for all")
    again = build_index(config, EMB, [seeds_copy])
    assert len(again.updated) == 5 and again.unchanged == []
    assert {d.title for d in VectorStore(config).docs().values()} == {"the same title for all"}


def test_an_index_whose_bylines_were_read_another_way_is_rebuilt_for_them(
    tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.documents import front_matter

    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    monkeypatch.setattr("index.documents.front_matter", lambda text: (front_matter(text)[0], "A. Writer"))  # the same dates
    again = build_index(config, EMB, [seeds_copy])
    assert len(again.updated) == 5 and again.unchanged == []
    assert {d.author for d in VectorStore(config).docs().values()} == {"A. Writer"}


def test_changed_document_replaces_its_units(tmp_path: Path, seeds_copy: Path) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    path = seeds_copy / "002_b2a41a671c8b55e0.txt"
    path.write_text("A short replacement.\n\nIt has two sentences only.\n")
    report = build_index(config, EMB, [seeds_copy])
    assert report.updated == ["002_b2a41a671c8b55e0"]
    store = VectorStore(config)
    rows = [r for r in store.span_rows("unit") if r["metadatas"]["doc_id"] == "002_b2a41a671c8b55e0"]
    assert len(rows) == 2
    doc = store.docs()["002_b2a41a671c8b55e0"]
    assert doc.text == path.read_text()
    for r in rows:
        m = r["metadatas"]
        assert m["sha"] == doc.sha
        assert doc.text[m["start"] : m["end"]] in ("A short replacement.", "It has two sentences only.")


def test_removed_document_disappears(tmp_path: Path, seeds_copy: Path) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    (seeds_copy / "001_2da0e51576e3339f.txt").unlink()
    report = build_index(config, EMB, [seeds_copy])
    assert report.removed == ["001_2da0e51576e3339f"]
    store = VectorStore(config)
    assert "001_2da0e51576e3339f" not in store.docs()
    assert not [r for r in store.span_rows("unit") if r["metadatas"]["doc_id"] == "001_2da0e51576e3339f"]


def test_orphans_of_an_interrupted_run_are_cleaned(tmp_path: Path, seeds_copy: Path) -> None:
    config = StoreConfig(tmp_path / "idx")
    store = VectorStore(config)
    doc = read_document(seeds_copy / "000_80fdb4fce696fed8.txt")
    units = sentence_units(doc)
    store.put_spans(units, EMB.embed([u.text for u in units]), {doc.doc_id: doc.sha})  # crash before the commit marker
    assert store.count("unit") == len(units) and not store.docs()
    build_index(config, EMB, [seeds_copy])
    store = VectorStore(config)
    assert store.count("unit") == len({r["id"] for r in store.span_rows("unit")})
    ids = [r["id"] for r in store.span_rows("unit") if r["metadatas"]["doc_id"] == doc.doc_id]
    assert len(ids) == len(units)


def test_remove_document_by_id(tmp_path: Path, seeds_copy: Path) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    remove_document(config, "004_31e91b36f84b13b4")
    assert "004_31e91b36f84b13b4" not in VectorStore(config).docs()
    with pytest.raises(KeyError, match="qa docs list"):
        remove_document(config, "004_31e91b36f84b13b4")


def test_bad_files_are_skipped_with_a_reason(tmp_path: Path, seeds_copy: Path) -> None:
    (seeds_copy / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    (seeds_copy / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (seeds_copy / "image.png").write_bytes(b"\x89PNG")
    (seeds_copy / "notes.md").write_text("# A markdown note\n\nIt mentions the Tigris River once.\n")
    config = StoreConfig(tmp_path / "idx")
    report = build_index(config, EMB, [seeds_copy])
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "binary" in reasons["blob.txt"]
    assert "unsupported" in reasons["image.png"]
    docs = VectorStore(config).docs()
    assert "notes" in docs and docs["notes"].title == "A markdown note" and len(docs) == 6


def test_a_second_indexer_waits_or_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with index_lock(folder):
            held.set()
            release.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(5)
    with pytest.raises(RuntimeError, match="another process is indexing"), index_lock(folder, wait=False):
        pass
    release.set()
    t.join()
    with index_lock(folder, wait=False):
        pass


def test_hashing_fake_tells_texts_apart() -> None:
    v = EMB.embed(["the mosque is 850 years old", "the mosque is 850 years old", "snipers remained the resistance"])
    assert np.allclose(v[0], v[1]) and float(v[0] @ v[2]) < 0.5


def test_warming_up_queries_each_collection_with_a_stored_vector(tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = StoreConfig(tmp_path / "idx")
    build_index(config, EMB, [seeds_copy])
    store = VectorStore(config)
    real, seen = store.query, []

    def query(kind: str, vec: np.ndarray, k: int) -> list[tuple[str, float]]:
        found = real(kind, vec, k)  # raises (and the warm-up swallows it) for a vector of the wrong size
        seen.append((kind, len(found), abs(found[0][1] - 1.0) < 1e-4))  # its nearest record is the one it came from
        return found

    monkeypatch.setattr(store, "query", query)
    store.warm_up().join(timeout=60)
    assert seen == [("unit", 1, True), ("chunk", 1, True)]
    empty = VectorStore(StoreConfig(tmp_path / "empty"))
    monkeypatch.setattr(empty, "query", query)
    empty.warm_up().join(timeout=60)
    assert len(seen) == 2  # nothing stored: nothing to load
