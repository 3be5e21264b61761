"""The corpus as answering reads it: the committed documents, their units (sentences) and chunks by
offsets from the saved catalogue, the keyword index over the units, and the documents' texts, read
from the store when a question needs them. A unit's text is always sliced from its document's text.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.catalogue import load_or_build
from index.store import StoredDoc, VectorStore


@dataclass(frozen=True)
class Unit:
    """An evidence unit: a sentence of a document, by offsets."""

    id: str
    doc_id: str
    ordinal: int
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    """Sentences `first`..`last` (ordinals) of a document: its characters `start`..`end`."""

    doc_id: str
    first: int
    last: int
    start: int
    end: int


class StaleCorpus(KeyError):
    """A document is no longer in the store as the corpus read it: read the index again."""


class Corpus:
    """The committed documents and units, with a keyword index over the units (the catalogue saved
    in `catalogue_dir`, or built when it is None).

    Units and chunks stay the catalogue's (memory-mapped) rows, sorted by document then ordinal; a
    `Unit` is made when asked for, and a document's text is read from the store when a question
    needs it (the last `TEXTS_KEPT` stay in memory): a corpus of 10,000 articles and 150,000
    sentences loads without reading them."""

    TEXTS_KEPT = 512

    def __init__(self, store: VectorStore, catalogue_dir: Path | None = None) -> None:
        self.store = store
        store.warm_up()  # the store's nearest-neighbour indexes load while the records and the catalogue do
        self.docs: dict[str, StoredDoc] = store.docs(texts=False)  # texts are read when a question needs them
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._texts_lock = threading.Lock()
        self._sizes: dict[str, int] | None = None
        cat = load_or_build(store, self.docs, catalogue_dir)
        self._doc_ids = cat.doc_ids
        self._position = {d: p for p, d in enumerate(cat.doc_ids)}
        self._units, self._chunks = cat.units, cat.chunks
        # each document's rows: units[first[p]:first[p + 1]] (rows sort by document position)
        everyone = np.arange(len(cat.doc_ids) + 1)
        self._first = np.searchsorted(cat.units[:, 0], everyone)
        self._first_chunk = np.searchsorted(cat.chunks[:, 0], everyone)
        self.keyword = cat.keyword

    @property
    def size(self) -> int:
        """Returns how many units the corpus holds."""
        return len(self._units)

    def unit(self, row: int) -> Unit:
        """Returns the unit of a catalogue row (the keyword index's positions are rows)."""
        p, o, s, e = (int(x) for x in self._units[row])
        doc_id = self._doc_ids[p]
        return Unit(f"{doc_id}:unit:{o}", doc_id, o, s, e)

    def _row(self, rows: np.ndarray, first: np.ndarray, doc_id: str, ordinal: int) -> int | None:
        """Returns the row of `rows` (units or chunks, with their per-document starts `first`) holding
        a document's span `ordinal`, or None."""
        p = self._position.get(doc_id)
        if p is None:
            return None
        a, b = int(first[p]), int(first[p + 1])
        row = a + int(np.searchsorted(rows[a:b, 1], ordinal))
        return row if row < b and int(rows[row, 1]) == ordinal else None

    def at(self, doc_id: str, ordinal: int) -> Unit | None:
        """Returns unit `ordinal` of a document, or None."""
        row = self._row(self._units, self._first, doc_id, ordinal)
        return None if row is None else self.unit(row)

    def by_id(self, unit_id: str) -> Unit | None:
        """Returns the unit stored under a vector-store id ("<doc id>:unit:<ordinal>"), or None (an
        orphan or a document this corpus does not hold)."""
        doc_id, sep, ordinal = unit_id.rpartition(":unit:")
        return self.at(doc_id, int(ordinal)) if sep and ordinal.isdigit() else None

    def doc_units(self, doc_id: str) -> list[Unit]:
        """Returns a document's units in order ([] for an unknown document)."""
        p = self._position.get(doc_id)
        return [] if p is None else [self.unit(r) for r in range(int(self._first[p]), int(self._first[p + 1]))]

    def chunk(self, chunk_id: str) -> tuple[str, int, int] | None:
        """Returns (document id, start, end) of the chunk stored under a vector-store id, or None."""
        doc_id, sep, ordinal = chunk_id.rpartition(":chunk:")
        row = self._row(self._chunks, self._first_chunk, doc_id, int(ordinal)) if sep and ordinal.isdigit() else None
        return None if row is None else (doc_id, int(self._chunks[row, 2]), int(self._chunks[row, 3]))

    def chunk_rows(self) -> list[tuple[str, int, int, int]]:
        """Returns every chunk as (document id, ordinal, start, end), in order."""
        return [(self._doc_ids[p], o, s, e) for p, o, s, e in self._chunks.tolist()]

    def read_texts(self, doc_ids: Collection[str]) -> None:
        """Reads the texts of these documents that are not in memory, in one call to the store."""
        with self._texts_lock:
            missing = [d for d in dict.fromkeys(doc_ids) if d not in self._texts]
        got = self.store.texts(missing) if missing else {}
        for d, text in list(got.items()):  # a text is used only as it was when the units were read
            if d not in self.docs or hashlib.sha256(text.encode("utf-8")).hexdigest() != self.docs[d].sha:
                del got[d]
        with self._texts_lock:
            for d in doc_ids:
                if d in got:
                    self._texts[d] = got[d]
                if d in self._texts:
                    self._texts.move_to_end(d)
            while len(self._texts) > self.TEXTS_KEPT:
                self._texts.popitem(last=False)

    def doc_text(self, doc_id: str) -> str:
        """Returns a document's text as it was when the corpus was read (StaleCorpus, a KeyError, when
        the document was removed or changed since, or was never there)."""
        with self._texts_lock:
            text = self._texts.get(doc_id)
        if text is None:
            self.read_texts([doc_id])
            with self._texts_lock:
                text = self._texts.get(doc_id)
        if text is None:
            raise StaleCorpus(f"document {doc_id!r} is not in the index as it was read (removed or changed since)")
        return text

    def sizes(self) -> dict[str, int]:
        """Returns each document's size in UTF-8 bytes (`VectorStore.sizes`, once per corpus)."""
        if self._sizes is None:
            self._sizes = self.store.sizes(self.docs)
        return self._sizes

    def text(self, span: Unit | Passage) -> str:
        """Returns the exact text of a unit or a passage, sliced from its document."""
        return self.doc_text(span.doc_id)[span.start : span.end]

    def neighbours(self, unit: Unit, before: int = 1, after: int = 1) -> list[Unit]:
        """Returns the units around `unit` in its document, in order, itself included."""
        return [u for o in range(unit.ordinal - before, unit.ordinal + after + 1) if (u := self.at(unit.doc_id, o))]

    def passages(self, units: Sequence[Unit], limit: int, around: int = 1, max_chars: int = 1500) -> list[Passage]:
        """Returns at most `limit` passages, each unit with `around` sentences on either side, in the order
        of the units: a unit's passage merges into an earlier one of its document that it overlaps or
        touches while the merged one stays within `max_chars` (1,500: about 300 tokens), so no text is read twice."""
        out: list[Passage] = []
        for unit in units:
            near = self.neighbours(unit, around, around)
            a, b = near[0], near[-1]
            for i, w in enumerate(out):
                if w.doc_id == a.doc_id and a.ordinal <= w.last + 1 and b.ordinal >= w.first - 1:
                    first, last = self.at(w.doc_id, min(a.ordinal, w.first)), self.at(w.doc_id, max(b.ordinal, w.last))
                    if first and last and last.end - first.start <= max_chars:
                        out[i] = Passage(w.doc_id, first.ordinal, last.ordinal, first.start, last.end)
                        break
            else:
                if len(out) < limit:
                    out.append(Passage(a.doc_id, a.ordinal, b.ordinal, a.start, b.end))
        return out

    def touching(self, doc_id: str, start: int, end: int) -> list[Unit]:
        """Returns the units of a document that characters start..end touch, in order (the nearest unit
        when none does)."""
        units = self.doc_units(doc_id)
        return [u for u in units if u.start < end and start < u.end] or [min(units, key=lambda u: abs(u.start - start))]
