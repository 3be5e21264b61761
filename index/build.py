"""Building and refreshing the index: load, split, embed, store; one document at a time.

Re-indexing unchanged documents does no work; a changed document replaces its old units;
a document gone from an indexed folder disappears. Each document is committed atomically
(its record is written last), so an interrupted run is finished by the next one.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import catalogue
from index.chunking import SPLITTING, Span, retrieval_chunks, sentence_units
from index.documents import DEFAULT_MAX_BYTES, LOADER, Document, Skipped, load_documents
from index.embed import Embedder
from index.store import StoreConfig, VectorStore

log = logging.getLogger(__name__)

BATCH_DOCS = 64  # documents embedded and written together (their records last, in one write)
EMBED_SLICE = 256  # texts embedded between two progress updates (a single large file still shows progress)


@dataclass
class IndexReport:
    """What an indexing run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    units: int = 0

    def merged(self, other: IndexReport) -> IndexReport:
        """Returns both runs' changes together."""
        return IndexReport(
            self.added + other.added, self.updated + other.updated, self.unchanged + other.unchanged,
            self.removed + other.removed, self.skipped + other.skipped, self.units + other.units,
        )

    def summary(self) -> str:
        """Returns a one-line human summary."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed, {len(self.skipped)} skipped; {self.units} units written"
        )


SET_UP = "set-up"  # written in the index folder by the first indexing run: the index is the user's from then on


def was_set_up(folder: Path) -> bool:
    """Returns True when an indexing run has ever started in `folder` (its documents are the user's choice,
    even when there are none yet or none left)."""
    return (folder / SET_UP).exists()


@contextmanager
def index_lock(folder: Path, wait: bool = True) -> Iterator[None]:
    """Holds an exclusive lock on the index folder; with wait=False, raises if another process holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as fh:
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(fh, flags)
        except BlockingIOError as exc:
            raise RuntimeError(f"another process is indexing into {folder}; wait for it to finish") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


Split = tuple[Document, list[Span], list[Span]]  # a document, its units and its chunks


def split(doc: Document) -> Split:
    """Returns the document with its units and chunks."""
    return doc, sentence_units(doc), retrieval_chunks(doc)


def _texts(group: Sequence[Split]) -> list[str]:
    return [t for d, units, chunks in group for t in [*(u.text for u in units), *(c.text for c in chunks), d.title]]


def index_documents(
    store: VectorStore, embedder: Embedder, group: Sequence[Split], stored: Collection[str], progress: Callable[[int], object] | None = None
) -> int:
    """Replaces whatever the store holds for each document of `group` (`stored`: the ids it holds);
    returns units written.

    Each distinct text is embedded once, in slices of EMBED_SLICE (length-sorted batches inside
    each; `progress` gets the number of texts after each slice); the old versions go, then every
    chunk and unit is written, and the document records last, which commits them.
    """
    docs = [d for d, _, _ in group]
    texts = _texts(group)
    distinct = list(dict.fromkeys(texts))
    where = {t: i for i, t in enumerate(distinct)}
    parts = [np.zeros((0, embedder.dim), dtype=np.float32)]
    for i in range(0, len(distinct), EMBED_SLICE):
        parts.append(embedder.embed(distinct[i : i + EMBED_SLICE]))
        if progress is not None:
            progress(len(parts[-1]))
    vecs = np.concatenate(parts)[[where[t] for t in texts]]
    for doc in docs:
        if doc.doc_id in stored:
            store.delete_doc(doc.doc_id)
    pos, records = 0, []
    all_units: list[Span] = []
    all_chunks: list[Span] = []
    unit_vecs, chunk_vecs = [], []
    for doc, units, chunks in group:
        n_u, n_c = len(units), len(chunks)
        all_units += units
        all_chunks += chunks
        unit_vecs.append(vecs[pos : pos + n_u])
        chunk_vecs.append(vecs[pos + n_u : pos + n_u + n_c])
        records.append((doc, n_u, vecs[pos + n_u + n_c]))
        pos += n_u + n_c + 1
    shas = {d.doc_id: d.sha for d in docs}
    store.put_spans(all_chunks, np.concatenate(chunk_vecs), shas)
    store.put_spans(all_units, np.concatenate(unit_vecs), shas)
    store.commit_docs(records, embedder.name)
    return len(all_units)


def remove_orphans(store: VectorStore) -> int:
    """Deletes units and chunks whose document record is missing or stale; returns how many docs were cleaned."""
    docs = store.docs()
    stale: set[str] = set()
    for kind in ("unit", "chunk"):
        for row in store.span_rows(kind):
            m = row["metadatas"]
            d = docs.get(m["doc_id"])
            if d is None or d.sha != m["sha"]:
                stale.add(m["doc_id"])
    for doc_id in stale:
        store.delete_doc(doc_id)  # a stale record goes too, so the document is indexed again
    return len(stale)


def build_index(
    config: StoreConfig,
    embedder: Embedder,
    paths: Sequence[Path],
    progress: bool = False,
    prune: bool = True,
    hashed_ids: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    wait: bool = True,
) -> IndexReport:
    """Indexes every document under `paths` into the store; returns what changed.

    With `prune`, documents previously indexed from one of the folders in `paths` that are
    no longer there are removed. A document whose content is already indexed under another
    id is reported and skipped; one whose file changed replaces the version indexed from
    the same file. With `wait=False`, a second indexer is refused instead of waiting.
    """
    report = IndexReport()
    docs, report.skipped = load_documents(paths, max_bytes=max_bytes, hashed_ids=hashed_ids)
    with index_lock(config.path, wait=wait):
        (config.path / SET_UP).touch()
        store = VectorStore(config)
        remove_orphans(store)
        stored = store.docs()
        by_sha = {d.sha: d.doc_id for d in stored.values()}
        by_source = {_resolved(d.source): d.doc_id for d in stored.values() if d.source}
        todo = []
        for doc in docs:
            twin = by_sha.get(doc.sha)
            if twin is not None and twin != doc.doc_id:
                report.skipped.append(Skipped(doc.source, f"same content as indexed document {twin}"))
                continue
            replaced = by_source.get(_resolved(doc.source))
            if replaced is not None and replaced != doc.doc_id:
                store.delete_doc(replaced)  # the file changed and with it its content-hash id
                report.removed.append(replaced)
            old = stored.get(doc.doc_id)
            if old is not None and (old.sha, old.splitting, old.loader, old.title, old.embedder, old.date, old.author) == (
                doc.sha, SPLITTING, LOADER, doc.title, embedder.name, doc.date, doc.author):
                report.unchanged.append(doc.doc_id)
            else:
                todo.append(doc)
                (report.updated if old is not None else report.added).append(doc.doc_id)
        from tqdm import tqdm

        splits = [split(doc) for doc in todo]
        groups = [splits[i : i + BATCH_DOCS] for i in range(0, len(splits), BATCH_DOCS)]
        total = sum(len(dict.fromkeys(_texts(g))) for g in groups)  # what embedding counts: distinct texts per group
        with tqdm(total=total, desc="embedding", unit="text", disable=not (progress and todo)) as bar:
            for group in groups:
                report.units += index_documents(store, embedder, group, stored, bar.update)
        if prune:
            folders = [str(p.resolve()) + os.sep for p in paths if p.is_dir()]
            present = {d.doc_id for d in docs}
            for old in stored.values():
                src = _resolved(old.source)
                if old.doc_id not in present and old.doc_id not in report.removed and any(src.startswith(f) for f in folders):
                    store.delete_doc(old.doc_id)
                    report.removed.append(old.doc_id)
        catalogue.prepare(store, config.path / catalogue.FOLDER)
    log.info("index: %s", report.summary())
    return report


def _resolved(source: str) -> str:
    return str(Path(source).resolve()) if source else ""


def remove_document(config: StoreConfig, doc_id: str) -> None:
    """Removes one document by id; raises KeyError when it is not indexed."""
    with index_lock(config.path):
        store = VectorStore(config)
        if doc_id not in store.doc_versions():  # ids and hashes only, no texts
            raise KeyError(f"no indexed document with id {doc_id!r} (see: qa docs list)")
        store.delete_doc(doc_id)
        catalogue.prepare(store, config.path / catalogue.FOLDER)
