"""A deterministic synthetic news corpus for scale tests (seeded; nothing downloaded).

Articles are built from the seed articles' sentences, recombined, with numbers, names and
dates perturbed, plus one planted fact per article whose answer is known, so quality can be
checked at any size.

    python benchmarks/synth.py OUT_DIR --articles 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = ["Amira", "Karim", "Layla", "Omar", "Nadia", "Yusuf", "Hana", "Tariq", "Salma", "Ziad", "Rana", "Bilal",
         "Dalia", "Hassan", "Mona", "Sami", "Farah", "Adel", "Noor", "Jamal"]
LAST = ["Haddad", "Khalil", "Nasser", "Saleh", "Mansour", "Rahim", "Aziz", "Darwish", "Qasim", "Hamdan",
        "Sabri", "Fakhoury", "Toma", "Yousef", "Bakr", "Jabbar", "Hilal", "Obeidi", "Shami", "Zaki"]
PLACES = ["Tal Afar", "Hamam al-Alil", "Bartella", "Bashiqa", "Qayyarah", "Sinjar", "Makhmour", "Hawija",
          "Shirqat", "Baiji", "Zummar", "Rabia", "Tilkaif", "Alqosh", "Badush", "Muhallabiya"]
THINGS = ["bridge", "water plant", "school", "hospital", "market", "power station", "clinic", "bakery"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass(frozen=True)
class Planted:
    """A fact planted in one article, with its question and answer."""

    doc_id: str
    question: str
    answer: str


def _seed_sentences() -> list[str]:
    from index.chunking import sentence_units
    from index.documents import load_documents

    docs, _ = load_documents([ROOT / "seeds"])
    return [u.text for d in docs for u in sentence_units(d) if len(u.text.split()) >= 6]


def _perturb(sentence: str, rng: random.Random) -> str:
    def num(m: re.Match[str]) -> str:
        raw = m.group(0).replace(",", "")
        try:
            n = int(raw)
        except ValueError:
            return m.group(0)
        if 1900 <= n <= 2100:
            return str(rng.randint(2012, 2019))
        v = max(1, int(n * rng.uniform(0.5, 1.5)))
        return f"{v:,}" if "," in m.group(0) else str(v)

    out = re.sub(r"\d{1,3}(?:,\d{3})+|\d+", num, sentence)
    out = re.sub(r"\b(" + "|".join(MONTHS) + r")\b", lambda _: rng.choice(MONTHS), out)
    return out


def generate(n_articles: int, seed: int = 7) -> tuple[list[tuple[str, str]], list[Planted]]:
    """Returns (doc_id, text) pairs and the planted facts, the same for the same arguments."""
    rng = random.Random(seed)
    pool = _seed_sentences()
    docs: list[tuple[str, str]] = []
    facts: list[Planted] = []
    for i in range(n_articles):
        doc_id = f"synth_{i:05d}"
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        place = rng.choice(PLACES)
        thing = rng.choice(THINGS)
        code = f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(10, 99)}"  # makes every planted fact unique
        years = rng.randint(12, 480)
        title = f"{place}: {thing} {code} reopens as fighting ebbs"
        body = [_perturb(s, rng) for s in rng.sample(pool, 14)]
        fact = f"The {thing} {code} in {place} is {years} years old, local official {person} said."
        body.insert(rng.randint(2, len(body)), fact)
        paragraphs = [" ".join(body[j : j + 3]) for j in range(0, len(body), 3)]
        docs.append((doc_id, title + "\n\n" + "\n\n".join(paragraphs) + "\n"))
        facts.append(Planted(doc_id, f"How old is the {thing} {code} in {place}?", str(years)))
    return docs, facts


def write(out: Path, n_articles: int, seed: int = 7) -> list[Planted]:
    """Writes the articles as .txt files under `out/articles` and `out/facts.jsonl`; returns the planted facts."""
    (out / "articles").mkdir(parents=True, exist_ok=True)
    docs, facts = generate(n_articles, seed)
    for doc_id, text in docs:
        (out / "articles" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    with open(out / "facts.jsonl", "w") as fh:
        for f in facts:
            fh.write(json.dumps(f.__dict__) + "\n")
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    facts = write(args.out, args.articles, args.seed)
    print(f"wrote {args.articles} articles and {len(facts)} planted facts to {args.out}")


if __name__ == "__main__":
    main()
