"""A BM25 keyword index over evidence units (Okapi BM25, sparse matrices), saved as plain arrays."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

VERSION = "terms-1"  # change when `terms` or the weighting changes: saved indexes are then rebuilt

STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your", "about", "after", "also", "any", "can", "could", "many", "much", "more", "most", "other", "over", "said", "some", "such", "up", "very", "just"]
)

_WORD = re.compile(r"\d[\d,.]*\d|\d|[^\W\d_]+", re.UNICODE)

# A title's abbreviation is the title: "Col. Joseph Scrocca" answers "which colonel".
_TITLES = {
    "Col": "colonel", "Lt": "lieutenant", "Gen": "general", "Brig": "brigadier", "Maj": "major", "Capt": "captain",
    "Sgt": "sergeant", "Cpl": "corporal", "Adm": "admiral", "Cmdr": "commander", "Gov": "governor", "Sen": "senator",
}
_TITLE = re.compile(r"\b(" + "|".join(_TITLES) + r")\.", re.IGNORECASE)
# British spellings read as American ones, so "litres" finds "liters": (British stem, American stem)
_SPELLINGS = tuple(
    re.findall(
        r"(\w+):(\w+)",
        "neighbour:neighbor labour:labor honour:honor colour:color favour:favor armour:armor rumour:rumor "
        "harbour:harbor behaviour:behavior vapour:vapor endeavour:endeavor litre:liter metre:meter centre:center "
        "theatre:theater fibre:fiber calibre:caliber defence:defense offence:offense licence:license "
        "programme:program organis:organiz recognis:recogniz mobilis:mobiliz realis:realiz criticis:criticiz "
        "characteris:characteriz stabilis:stabiliz normalis:normaliz apologis:apologiz analys:analyz paralys:paralyz "
        "travell:travel cancell:cancel fuell:fuel modell:model",
    )
)


def american(word: str) -> str:
    """Returns a lower-case word in American spelling when it is a listed British one ("litres" -> "liters")."""
    for british, us in _SPELLINGS:
        if word.startswith(british):
            rest = word[len(british) :]
            if british.endswith("re") and rest[:1] == "d":
                rest = "ed"  # "centred" -> "centered"
            return us + rest
    return word


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """Returns the term of a lower-case word: its American spelling, stemmed (cached: once per distinct word)."""
    return str(_stemmer().stemWord(american(word)))


def terms(text: str) -> list[str]:
    """Returns the stemmed, lower-cased content terms of `text` (digits kept, separators dropped), with
    titles' abbreviations written out ("Col." -> colonel) and British spellings read as American."""
    out = []
    text = _TITLE.sub(lambda m: _TITLES[m.group(1).capitalize()], text)
    for w in _WORD.findall(text.lower()):
        if w[0].isdigit():
            out.append(w.replace(",", "").rstrip("."))
        elif w not in STOPWORDS and len(w) > 1:
            out.append(_stem(w))
    return out


class KeywordIndex:
    """BM25 over a fixed list of texts; `search` returns (position, score) pairs, best first."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        """Builds the index over `texts` (most of the cost is cutting and stemming their words)."""
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for i, text in enumerate(texts):
            counts: dict[int, int] = {}
            toks = terms(text)
            lengths[i] = len(toks)
            for t in toks:
                j = vocab.setdefault(t, len(vocab))
                counts[j] = counts.get(j, 0) + 1
            for j, c in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append(c)
        n = len(texts)
        tf = sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(n, max(1, len(vocab))))
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=max(1, len(vocab))).astype(np.float32)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if n else 1.0
        norm = k1 * (1 - b + b * lengths / max(avg, 1e-6))
        tf = tf.tocoo()
        weight = tf.data * (k1 + 1) / (tf.data + norm[tf.row]) * self.idf[tf.col]
        self._matrix = sparse.csc_matrix((weight, (tf.row, tf.col)), shape=tf.shape)
        self.vocab = vocab
        self.size = n

    def save(self, folder: Path) -> None:
        """Writes the index as .npy arrays and a JSON vocabulary into `folder`."""
        m = self._matrix
        for name, array in (("data", m.data), ("indices", m.indices), ("indptr", m.indptr), ("idf", self.idf)):
            np.save(folder / f"bm25-{name}.npy", array)
        terms_in_order = sorted(self.vocab, key=self.vocab.__getitem__)
        (folder / "bm25.json").write_text(json.dumps({"size": self.size, "shape": list(m.shape), "terms": terms_in_order}), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        """Reads an index written by `save`; its arrays are memory-mapped, not copied."""
        meta = json.loads((folder / "bm25.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"bm25-{name}.npy", mmap_mode="r") for name in ("data", "indices", "indptr", "idf")}
        self = cls.__new__(cls)
        self._matrix = sparse.csc_matrix((arrays["data"], arrays["indices"], arrays["indptr"]), shape=tuple(meta["shape"]), copy=False)
        self.idf = arrays["idf"]
        self.vocab = {t: j for j, t in enumerate(meta["terms"])}
        self.size = int(meta["size"])
        return self

    def idf_of(self, term: str) -> float:
        """Returns the term's inverse document frequency (an unseen term gets the largest)."""
        j = self.vocab.get(term)
        if j is None:
            return float(math.log(1.0 + (self.size + 0.5) / 0.5))
        return float(self.idf[j])

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """Returns up to `k` (text position, BM25 score) with a positive score, best first."""
        cols = sorted({self.vocab[t] for t in terms(query) if t in self.vocab})
        if not cols or self.size == 0:
            return []
        scores = np.asarray(self._matrix[:, cols].sum(axis=1)).ravel()
        k = min(k, int((scores > 0).sum()))
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]
