"""Closed classes of English words the rules share: determiners, prepositions, and the words that open
a subordinate clause. Each rule reads them as a set or as a regex alternation (`alternation`).
"""

from __future__ import annotations

DETERMINERS = frozenset(["the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those"])


QUANTIFIERS = frozenset(["some", "several", "many", "all", "both"])


PREPOSITIONS = frozenset(
    ["in", "on", "at", "to", "from", "by", "with", "against", "during", "for", "into", "over", "under", "as", "after", "before", "since", "of", "near", "across", "per", "according", "inside", "outside", "throughout", "between", "among", "along", "around"]
)


# auxiliary verbs: "have been" before the act, "will" before what is foreseen
AUXILIARIES = frozenset(["have", "has", "had", "were", "was", "are", "is", "did", "do", "does", "will", "would", "could", "can", "been", "be"])


# words that open a subordinate clause: what follows them is not the main clause's act
SUBORDINATORS = frozenset(["when", "since", "before", "after", "while", "until", "according", "as", "because", "although", "though", "despite", "once"])


def alternation(words: frozenset[str]) -> str:
    """Returns the words as a regex alternation, longest first ("these|those|the|...")."""
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))
