"""The vector store: Chroma, embedded (`PersistentClient`) or a server (`HttpClient`).

Three collections, all with deterministic ids and cosine distance:
- `qa_docs`: one record per document (full text, title, sha, source). It is written
  last when a document is indexed, so it is the commit marker: units and chunks whose
  document record is missing or has another sha are orphans and are never read.
- `qa_units`: sentences (evidence units) with offsets.
- `qa_chunks`: retrieval chunks with offsets.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from index.chunking import SPLITTING, Span
from index.documents import LOADER, Document

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

KINDS = ("unit", "chunk")
_COLLECTIONS = {"doc": "qa_docs", "unit": "qa_units", "chunk": "qa_chunks"}


@dataclass(frozen=True)
class StoreConfig:
    """Where the vectors live: an embedded folder, or a Chroma server's URL."""

    path: Path
    chroma_url: str | None = None
    setting: str = "QA_CHROMA_URL"  # the setting the URL came from, named in errors

    def describe(self) -> str:
        """Returns a one-line description for status lines and errors."""
        return f"Chroma server {self.chroma_url}" if self.chroma_url else f"embedded Chroma at {self.path}"


@dataclass(frozen=True)
class StoredDoc:
    """A committed document record."""

    doc_id: str
    title: str
    sha: str
    source: str
    n_units: int
    text: str | None  # None when read without texts (`VectorStore.docs(texts=False)`; `texts()` reads them)
    splitting: str = ""  # chunking.SPLITTING when the document was indexed ("" before it was kept)
    embedder: str = ""  # the name of the embedder that made its vectors ("" before it was kept)
    pages: tuple[int, ...] = ()  # a PDF's page starts in `text`
    date: str = ""  # publication date (ISO) where known
    author: str = ""
    size: int | None = None  # the text's length in UTF-8 bytes (None for a document indexed before it was kept)
    loader: str = ""  # documents.LOADER when the document was read ("" before it was kept)


def _client(config: StoreConfig) -> Any:
    import chromadb

    settings = chromadb.Settings(anonymized_telemetry=False)
    if config.chroma_url:
        url = urlparse(config.chroma_url if "://" in config.chroma_url else f"http://{config.chroma_url}")
        try:
            host, port = url.hostname or "127.0.0.1", url.port or 8000
        except ValueError as exc:  # "Port out of range 0-65535"
            raise ValueError(f"{config.setting}: {config.chroma_url} is not a usable server address ({exc})") from None
        try:
            client = chromadb.HttpClient(host=host, port=port, ssl=url.scheme == "https", settings=settings)
            client.heartbeat()
        except Exception as exc:
            raise ConnectionError(
                f"{config.setting} points at {config.chroma_url} but no Chroma server answers there "
                f"({type(exc).__name__}); start one with: chroma run --path {config.path} "
                f"--host {host} --port {port}   (or unset {config.setting} to use the embedded store)"
            ) from exc
        return client
    try:
        config.path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"the index folder {config.path} cannot be made ({exc.strerror}); set QA_INDEX_DIR to a folder you can write") from None
    return chromadb.PersistentClient(path=str(config.path / "chroma"), settings=settings)


class _Served:
    """A Chroma server's collection whose calls turn a lost connection (the server stopped mid-session)
    into a ConnectionError that names the setting and the command to start the server again."""

    def __init__(self, collection: Any, config: StoreConfig) -> None:
        self._collection, self._config = collection, config

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._collection, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except Exception as exc:
                if not isinstance(exc, ConnectionError) and type(exc).__module__.split(".")[0] not in ("httpx", "httpcore"):
                    raise
                url = urlparse(self._config.chroma_url or "")
                raise ConnectionError(
                    f"the Chroma server at {self._config.chroma_url} ({self._config.setting}) stopped answering "
                    f"({type(exc).__name__}); start it again with: chroma run --path {self._config.path} "
                    f"--host {url.hostname or '127.0.0.1'} --port {url.port or 8000}; the next request tries again"
                ) from exc

        return call


class VectorStore:
    """Deterministic-id access to the three collections."""

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self._client = _client(config)
        self._cols = {
            kind: self._client.get_or_create_collection(
                name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
            for kind, name in _COLLECTIONS.items()
        }
        if config.chroma_url:
            self._cols = {kind: _Served(col, config) for kind, col in self._cols.items()}
        try:
            self._batch = int(self._client.get_max_batch_size())
        except Exception:
            self._batch = 1000

    # writing -----------------------------------------------------------------
    def _upsert(self, kind: str, ids: list[str], vecs: np.ndarray, texts: list[str], metas: list[dict[str, Any]]) -> None:
        col = self._cols[kind]
        for i in range(0, len(ids), self._batch):
            j = i + self._batch
            col.upsert(ids=ids[i:j], embeddings=vecs[i:j], documents=texts[i:j], metadatas=metas[i:j])

    def put_spans(self, spans: Sequence[Span], vecs: np.ndarray, shas: dict[str, str]) -> None:
        """Stores units or chunks (one kind per call) with their vectors; `shas`: their documents' content hashes."""
        if not spans:
            return
        kind = spans[0].kind
        metas = [
            {"doc_id": s.doc_id, "ordinal": s.ordinal, "start": s.start, "end": s.end, "sha": shas[s.doc_id]}
            for s in spans
        ]
        self._upsert(kind, [s.id for s in spans], vecs, [s.text for s in spans], metas)

    def commit_docs(self, records: Sequence[tuple[Document, int, np.ndarray]], embedder: str) -> None:
        """Writes the records (document, units written, title vector), which makes their units visible."""
        if not records:
            return
        metas = [{"title": d.title, "sha": d.sha, "source": d.source, "n_units": n, "splitting": SPLITTING, "embedder": embedder,
                  "pages": json.dumps(d.pages), "date": d.date, "author": d.author, "size": len(d.text.encode("utf-8")),
                  "loader": LOADER} for d, n, _ in records]
        vecs = np.stack([v for _, _, v in records])
        self._upsert("doc", [d.doc_id for d, _, _ in records], vecs, [d.text for d, _, _ in records], metas)

    def delete_doc(self, doc_id: str) -> None:
        """Removes a document's record first, then its units and chunks."""
        self._cols["doc"].delete(ids=[doc_id])
        for kind in KINDS:
            self._cols[kind].delete(where={"doc_id": doc_id})

    # reading -----------------------------------------------------------------
    def _get_all(self, kind: str, include: list[str]) -> Iterator[dict[str, Any]]:
        col = self._cols[kind]
        offset, page = 0, 5000
        while True:
            got = col.get(include=include, limit=page, offset=offset)
            n = len(got["ids"])
            for i in range(n):
                row: dict[str, Any] = {"id": got["ids"][i]}
                for key in include:
                    row[key] = got[key][i]
                yield row
            if n < page:
                return
            offset += n

    def docs(self, texts: bool = True) -> dict[str, StoredDoc]:
        """Returns every committed document by id; without `texts`, their text is None (at 10,000
        articles the texts are most of what this reads)."""
        out = {}
        for row in self._get_all("doc", ["metadatas", "documents"] if texts else ["metadatas"]):
            m = row["metadatas"]
            out[row["id"]] = StoredDoc(
                row["id"], m["title"], m["sha"], m.get("source", ""), int(m["n_units"]), row.get("documents"), m.get("splitting", ""),
                m.get("embedder", ""), tuple(json.loads(m.get("pages") or "[]")), m.get("date", ""), m.get("author", ""), m.get("size"),
                m.get("loader", ""),
            )
        return out

    def texts(self, doc_ids: list[str]) -> dict[str, str]:
        """Returns the texts of the given documents by id (missing ids are left out)."""
        out: dict[str, str] = {}
        for i in range(0, len(doc_ids), 1000):
            got = self._cols["doc"].get(ids=doc_ids[i : i + 1000], include=["documents"])
            out.update(zip(got["ids"], got["documents"], strict=True))
        return out

    def sizes(self, docs: dict[str, StoredDoc]) -> dict[str, int]:
        """Returns each document's size in UTF-8 bytes: from its record, or from its text for a document indexed
        before sizes were kept."""
        out = {d: doc.size for d, doc in docs.items() if doc.size is not None}
        return out | {d: len(t.encode("utf-8")) for d, t in self.texts(sorted(set(docs) - set(out))).items()}

    def doc_versions(self) -> dict[str, str]:
        """Returns the content hash of every committed document by id (no texts: cheap to poll)."""
        return {row["id"]: row["metadatas"]["sha"] for row in self._get_all("doc", ["metadatas"])}

    def span_rows(self, kind: str, with_vectors: bool = False) -> list[dict[str, Any]]:
        """Returns every stored span of `kind` as {id, metadatas[, embeddings]} rows (orphans included)."""
        include = ["metadatas", "embeddings"] if with_vectors else ["metadatas"]
        return list(self._get_all(kind, include))

    def vectors(self, kind: str, ids: list[str]) -> dict[str, np.ndarray]:
        """Returns the stored vectors of the given ids (missing ids are left out)."""
        got = self._cols[kind].get(ids=ids, include=["embeddings"])
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"], strict=True)}

    def count(self, kind: str) -> int:
        """Returns how many records the collection of `kind` ("doc", "unit", "chunk") holds."""
        return int(self._cols[kind].count())

    def warm_up(self, kinds: Sequence[str] = ("unit", "chunk")) -> threading.Thread:
        """Starts loading the collections' nearest-neighbour indexes in the background (a first query loads
        them: about a second at 10,000 articles), so that they load while the caller reads the rest of the
        corpus; a failure is left for the first real query to report."""

        def load() -> None:
            for kind in kinds:
                with contextlib.suppress(Exception):
                    one = self._cols[kind].get(limit=1, include=["embeddings"])["embeddings"]
                    if len(one):
                        self.query(kind, np.asarray(one[0], dtype=np.float32), 1)

        thread = threading.Thread(target=load, name="store-warm-up", daemon=True)
        thread.start()
        return thread

    def query(self, kind: str, vec: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Returns up to `k` (id, cosine similarity) pairs nearest to `vec`, best first."""
        n = self.count(kind)
        if n == 0:
            return []
        got = self._cols[kind].query(query_embeddings=vec.reshape(1, -1), n_results=min(k, n), include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0], strict=True)]
