"""The sentence catalogue: every committed unit and chunk by offsets, with the BM25 index over the
units, saved in the index folder and keyed by the store's content.

An answering process loads it (memory-mapped arrays) instead of rebuilding it from the store: at
10,000 articles the rebuild costs seconds and gigabytes. The key hashes every document's id,
content hash and splitting with the keyword index's version, so a corpus that changed (a document
added, changed or removed, here or by another process on a shared Chroma server) gets a new
catalogue, built by the indexing run that changed it (or else by the first process that needs it);
older ones are then deleted. A catalogue is written into a temporary folder renamed into place: a
reader never sees half of one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index import keyword
from index.keyword import KeywordIndex
from index.store import StoredDoc, VectorStore

log = logging.getLogger(__name__)
FOLDER = "catalogue"
ABANDONED_SECONDS = 3600  # a `.building-*` folder this old belongs to a save that was killed (a save takes seconds)


@dataclass(frozen=True)
class Catalogue:
    """Units and chunks as int64 rows (document position in `doc_ids`, ordinal, start, end), each
    sorted by document id then ordinal; `keyword` indexes the units in that order."""

    doc_ids: list[str]
    units: np.ndarray
    chunks: np.ndarray
    keyword: KeywordIndex


def key_of(docs: Mapping[str, StoredDoc]) -> str:
    """Returns the catalogue key of a set of committed documents."""
    h = hashlib.sha256(keyword.VERSION.encode())
    for doc_id in sorted(docs):
        d = docs[doc_id]
        h.update(f"\n{doc_id}\t{d.sha}\t{d.splitting}".encode())
    return h.hexdigest()[:32]


def _rows(store: VectorStore, kind: str, docs: Mapping[str, StoredDoc], position: dict[str, int]) -> np.ndarray:
    rows = []
    for row in store.span_rows(kind):
        m = row["metadatas"]
        d = docs.get(m["doc_id"])
        if d is None or d.sha != m["sha"]:
            continue  # an orphan of an interrupted run: never read
        rows.append((position[m["doc_id"]], int(m["ordinal"]), int(m["start"]), int(m["end"])))
    return np.array(sorted(rows), dtype=np.int64).reshape(-1, 4)


def build(store: VectorStore, docs: Mapping[str, StoredDoc]) -> Catalogue:
    """Reads the units and chunks of `docs` from the store and indexes the units' words."""
    doc_ids = sorted(docs)
    position = {d: i for i, d in enumerate(doc_ids)}
    units = _rows(store, "unit", docs, position)
    chunks = _rows(store, "chunk", docs, position)
    full = {d: t for d in doc_ids if (t := docs[d].text) is not None}
    full.update(store.texts([d for d in doc_ids if d not in full]))  # documents read without their texts
    texts = [full[doc_ids[p]][s:e] for p, _, s, e in units.tolist()]
    return Catalogue(doc_ids, units, chunks, KeywordIndex(texts))


def _save(cat: Catalogue, folder: Path, key: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=folder))
    try:
        np.save(tmp / "units.npy", cat.units)
        np.save(tmp / "chunks.npy", cat.chunks)
        (tmp / "docs.json").write_text(json.dumps(cat.doc_ids), encoding="utf-8")
        cat.keyword.save(tmp)
        os.replace(tmp, folder / key)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not (folder / key).is_dir():  # another process that built the same catalogue won the rename
            raise
    for old in folder.iterdir():  # older catalogues, and the half-written ones of a process killed while saving
        if old.name != key and (not old.name.startswith(".") or time.time() - old.stat().st_mtime > ABANDONED_SECONDS):
            shutil.rmtree(old, ignore_errors=True)


def _load(here: Path, doc_ids: list[str]) -> Catalogue:
    saved = json.loads((here / "docs.json").read_text(encoding="utf-8"))
    if saved != doc_ids:
        raise ValueError("its documents differ from the store's")
    units, chunks = (np.load(here / f"{name}.npy", mmap_mode="r") for name in ("units", "chunks"))
    return Catalogue(saved, units, chunks, KeywordIndex.load(here))


def prepare(store: VectorStore, folder: Path) -> None:
    """Builds and saves the catalogue of the store's documents unless it is saved already: indexing calls it,
    so that the first question after `qa index` loads it (at 10,000 articles building takes about 10 s)."""
    docs = store.docs(texts=False)
    key = key_of(docs)
    if not (folder / key).is_dir():
        _save(build(store, docs), folder, key)


def load_or_build(store: VectorStore, docs: Mapping[str, StoredDoc], folder: Path | None) -> Catalogue:
    """Returns the catalogue of `docs`: loaded from `folder` when saved there for exactly these
    documents, else built and saved (without a folder, built only)."""
    if folder is None:
        return build(store, docs)
    key = key_of(docs)
    if (folder / key).is_dir():
        try:
            return _load(folder / key, sorted(docs))
        except (OSError, ValueError, KeyError) as exc:
            log.warning("rebuilding the saved catalogue %s: %s", folder / key, exc)
            shutil.rmtree(folder / key, ignore_errors=True)
    cat = build(store, docs)
    try:
        _save(cat, folder, key)
    except OSError as exc:
        log.warning("could not save the catalogue in %s (%s); it is rebuilt at every start", folder, exc)
    return cat
