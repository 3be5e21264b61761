"""The values evidence is judged into: a retrieved passage judged against a question (`Candidate`), and
what all of them say about it (`Assessment`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.retrieve import Unit
from qa.values import Value


@dataclass(frozen=True)
class Candidate:
    """A retrieved sentence judged against the question."""

    unit: Unit
    text: str
    dense: float
    coverage: float
    relevance: float
    value: Value | None  # the value of the asked kind this sentence gives, if any
    fit: float = 0.0  # how well the value's own clause matches the question
    missing: float = 0.0  # weight share of the heaviest question term absent from the sentence and its neighbours
    bm25: float = 0.0  # keyword score
    fused: float = 0.0  # hybrid retrieval score
    unnamed: bool = False  # who-question: the sentence does not name who (only "he" or "she", not the role asked, or not the act)
    on_subject: bool = True  # the sentence, its neighbours or its article's title name what the question is about
    located: bool = False  # where-question: the sentence says where, in words of its own ("in the narrow streets")
    reasoned: bool = False  # it gives the kind of fact asked: a reason to a why-question ("because of its narrow streets"),
    # someone's own words to "how did X describe it" (“Their fictitious state has fallen.”)
    foreseen: bool = False  # its value is foreseen ("would be uprooted"), not said to have happened
    tense_fit: bool = True  # foreseen when the question asks what was expected, happened when it asks what happened
    acts_asked: bool = True  # who-question: its value does the act asked ("ISIS, which had seized the city"), not
    # only some act of its sentence ("Iraqi Security Forces ... initiated their assault" to "who held the Old City")
    clause_act: bool = True  # how-many question: its value's own clause says the act asked ("have been displaced")
    rank: int = 0  # its place in the retrieval ranking


@dataclass
class Assessment:
    """What the evidence says about a question."""

    kind: str
    candidates: list[Candidate]
    abstain: bool
    reason: str = ""
    sides: list[list[Candidate]] = field(default_factory=list)  # >1 side: a conflict
    support: list[Candidate] = field(default_factory=list)  # the passages that answer
