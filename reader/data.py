"""Training windows for the reader: (question, a window of a passage, answer tokens or none), from SQuAD.

Examples (question, paragraph, answer or none):
- SQuAD 1.x train: a seeded share of the questions with their own paragraph (answerable), and a share
  of them again against a constructed negative: the paragraph of the same article that shares the
  most content words with the question but holds none of its answers (what retrieval hands the
  reader when the article does not answer).
- SQuAD 2.0 development articles of the train split (split.json): their questions as written, about
  half unanswerable from their own paragraph (written to look answerable); the unanswerable ones
  are repeated (`impossible_repeat`), since refusal is the half that learns slowest.

Windows: each example is tokenized as `[CLS] question [SEP] paragraph [SEP]`, at most `max_length`
tokens, the paragraph cut into windows that overlap by `stride` tokens. A window holding the whole
answer is a positive (labelled with its start and end tokens); every window of an example without an
answer is a negative (labelled [CLS]); a window of an answerable paragraph that misses the answer is
kept as a negative with probability `miss_share`. The stream of windows is a fixed function of the
seed, and a run trains on its first `steps * batch_size` windows.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "squad"
SQUAD1 = DATA / "train-v1.1.json.gz"
SQUAD2 = DATA / "dev-v2.0-open.json.gz"
_WORD = re.compile(r"\w+")
_STOP = frozenset(
    ["a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or", "is", "was", "were", "are", "be", "been", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "did", "does", "do", "its", "it", "as", "that", "this", "these", "those", "than"]
)


@dataclass(frozen=True)
class Example:
    question: str
    context: str
    answer_start: int  # -1: no answer in this context
    answer_text: str


@dataclass(frozen=True)
class Window:
    input_ids: list[int]
    token_type_ids: list[int]
    start: int  # answer's first token; 0 ([CLS]) when the window holds no answer
    end: int


def load(path: Path) -> list[dict]:
    """The articles of one SQuAD JSON file."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)["data"]


def split(name: str) -> list[str]:
    """Titles of one part ("train", "calibration", "test") of the SQuAD 2.0 article split."""
    return json.loads((HERE / "split.json").read_text(encoding="utf-8"))[name]


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def hard_negative(question: str, answers: list[str], paragraphs: list[str], words: list[set[str]], own: int) -> str | None:
    """The other paragraph of the article sharing most question words and holding no answer."""
    q = _words(question)
    best, best_score = None, 0
    for i, text in enumerate(paragraphs):
        if i == own or any(a.lower() in text.lower() for a in answers):
            continue
        score = len(q & words[i])
        if score > best_score:
            best, best_score = text, score
    return best


def _examples(articles: list[dict], negative_share: float, impossible_repeat: int, rng: random.Random) -> list[Example]:
    out: list[Example] = []
    for article in articles:
        paragraphs = [p["context"] for p in article["paragraphs"]]
        words = [_words(t) for t in paragraphs]
        for i, p in enumerate(article["paragraphs"]):
            for qa in p["qas"]:
                if qa.get("is_impossible") or not qa["answers"]:
                    out.extend([Example(qa["question"], p["context"], -1, "")] * impossible_repeat)
                    continue
                a = qa["answers"][0]
                out.append(Example(qa["question"], p["context"], a["answer_start"], a["text"]))
                if rng.random() < negative_share:
                    neg = hard_negative(qa["question"], [x["text"] for x in qa["answers"]], paragraphs, words, i)
                    if neg is not None:
                        out.append(Example(qa["question"], neg, -1, ""))
    return out


def training_set(squad1_share: float, negative_share: float, impossible_repeat: int, seed: int, squad1_from: float = 0.0) -> list[Example]:
    """The shuffled training examples: a share of SQuAD 1.x, constructed negatives, SQuAD 2.0 train articles.

    The SQuAD 1.x examples are shuffled once by the seed and the run takes `squad1_share` of them starting at
    `squad1_from`: a second stage with `squad1_from=0.5` reads the half the first stage (0.0, 0.5) did not.
    """
    rng = random.Random(seed)
    s1 = _examples(load(SQUAD1), negative_share, 1, rng)
    rng.shuffle(s1)
    s1 = s1[int(len(s1) * squad1_from) : int(len(s1) * (squad1_from + squad1_share))]
    wanted = set(split("train"))
    s2 = _examples([a for a in load(SQUAD2) if a["title"] in wanted], negative_share, impossible_repeat, rng)
    examples = s1 + s2
    rng.shuffle(examples)
    return examples


def windows(
    tokenizer, examples: list[Example], max_length: int, max_question: int, stride: int, miss_share: float, seed: int, chunk: int = 512
) -> Iterator[Window]:
    """The labelled windows of the examples, in order (see the module's docstring)."""
    rng = random.Random(seed + 1)
    for c in range(0, len(examples), chunk):
        batch = examples[c : c + chunk]
        questions = [tokenizer.convert_tokens_to_string(tokenizer.tokenize(e.question)[:max_question]) for e in batch]
        enc = tokenizer(
            questions,
            [e.context for e in batch],
            truncation="only_second",
            max_length=max_length,
            stride=stride,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
            padding=False,
        )
        for f, ex_i in enumerate(enc["overflow_to_sample_mapping"]):
            ex = batch[ex_i]
            s_tok = e_tok = 0
            if ex.answer_start >= 0:
                seq, offsets = enc.sequence_ids(f), enc["offset_mapping"][f]
                a0, a1 = ex.answer_start, ex.answer_start + len(ex.answer_text)
                ctx = [i for i, s in enumerate(seq) if s == 1]
                if ctx and offsets[ctx[0]][0] <= a0 and offsets[ctx[-1]][1] >= a1:
                    s_tok = next(i for i in ctx if offsets[i][1] > a0)
                    e_tok = next(i for i in reversed(ctx) if offsets[i][0] < a1)
                elif rng.random() >= miss_share:
                    continue  # a window of an answerable paragraph that misses the answer: a sampled negative
            yield Window(enc["input_ids"][f], enc["token_type_ids"][f], s_tok, e_tok)
