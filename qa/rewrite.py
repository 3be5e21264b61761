"""Rewriting a question into the articles' words before retrieval: initials for long names the articles
abbreviate, one word for a phrase, a country for its capital.
"""

from __future__ import annotations

import re

from index.keyword import terms
from qa.names import NAME_WORD
from qa.retrieve import Corpus

_NAME_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:of\s+|for\s+|the\s+|and\s+)*[A-Z][\w’'-]*)+")


_OPENER = re.compile(r"(?:(?:Which|What|Who|Whom|Whose|When|Where|Why|How|Did|Does|Do|Is|Are|Was|Were|Has|Have|Had|In|On|At|By|For|From|According)\s+)+")


def abbreviate(corpus: Corpus, question: str) -> str:
    """Returns the question with each name of three or more capitalised words that the articles
    know only by its initials written as those initials ("Operation Inherent Resolve" -> "OIR").
    Shorter names are left alone: two initials too often spell some other word."""

    def short(m: re.Match[str]) -> str:
        # "Which Operation Inherent Resolve spokesman": the question word that opens the question is no part of the name
        opener = _OPENER.match(m.group(0))
        head, name = (m.group(0)[: opener.end()], m.group(0)[opener.end() :]) if opener else ("", m.group(0))
        words = [w for w in name.split() if re.fullmatch(NAME_WORD, w)]
        initials = "".join(w[0] for w in words)
        known = all(t in corpus.keyword.vocab for t in terms(name))
        abbreviation = terms(initials)
        return head + initials if len(words) >= 3 and not known and abbreviation and abbreviation[0] in corpus.keyword.vocab else m.group(0)

    return _NAME_RUN.sub(short, question)


# what news reports say in one word, asked in several: "forced from their homes" is "displaced"
# (a phrase, as a pattern of whole words, and the word the articles use)
_PHRASES = (
    (r"(?:forced|driven|chased|pushed|uprooted)\s+(?:out\s+)?(?:from|of)\s+(?:their|his|her|its)\s+homes?|made\s+homeless", "displaced"),
    # "whom did they hold responsible for the blast": "an explosion that Iraq and the US blamed on ISIS"
    (r"(?:hold|holds|held|holding)\s+responsible", "blame"),
    # "what did ISIS try to pin the destruction on": "attempted to blame coalition airstrikes for its destruction"
    (r"pin(?:s|ned|ning)?(?=(?:\s+[\w’'-]+){1,6}\s+on\b)", "blame"),
    # "where did ISIS fall back to": "forced to retreat to rural areas"
    (r"(?:fall|falls|fell|falling|pull|pulls|pulled|pulling)\s+back", "retreat"),
    # "how many tunnels did the strikes knock out": "have destroyed ... 225 tunnels"
    (r"(?:knock|knocks|knocked|knocking|take|takes|took|taken|taking)\s+out", "destroy"),
    # "who laid out the plan": "the campaign outlined by Secretary of Defense James Mattis"
    (r"(?:lay|lays|laid|laying)\s+out", "outline"),
    # "which side will the forces go after": "Iraqi forces will target the left bank"
    (r"(?:go|goes|went|gone|going)\s+after", "target"),
    # "how many bombing runs": "1,300 strikes"
    (r"bombing\s+(?:runs|raids|missions)", "strikes"),
    # "what share did it hold at its height": "it held 40 percent of Iraq at its peak"
    # (only after "at": "the height of the minaret" is a measure)
    (r"at\s+(?:its|their|the|(?:the\s+)?[\w-]+[’']s?)\s+(?:height|zenith|high\s+point|apex)", "at its peak"),
    # "how many were left dead": "980 militants have been killed"
    (r"(?:left|leaving|leaves)\s+dead", "killed"),
    # "when did the operation get under way": "launched a major offensive"
    (r"(?:get|gets|got|gotten|getting)\s+under\s*way", "start"),
    # "how many boats were put out of action": "have destroyed ... 279 boats"
    (r"(?:put|puts|putting)\s+out\s+of\s+action", "destroyed"),
    # "how many militants are left in Mosul": "a couple of hundred ISIS fighters remain in Mosul" (only where
    # somewhere follows: "were left homeless" is no remaining)
    (r"(?:is|are|was|were|be|been|being)\s+(?:still\s+)?left(?=\s+(?:in|inside|within|behind|at|on)\b|\s*\?)", "remain"),
    # "which church did the militants torch": "the Church of the Immaculate Conception was burned"
    (r"torch(?:es|ed|ing)?|set(?:s|ting)?\s+fire\s+to", "burned"),
    # "what would its fall bring to an end": "its fall would essentially end the Iraqi half of the caliphate"
    (r"(?:bring|brings|brought|bringing|put|puts|putting)\s+(?:(?:[\w’'-]+\s+){1,4}?)?to\s+an\s+end", "end"),
    # "the campaign to wipe out ISIS": "the ... campaign to eradicate ISIS"
    (r"(?:wipe|wipes|wiped|wiping|stamp|stamps|stamped|stamping)\s+out", "eradicate"),
)
_PARAPHRASES = tuple((re.compile(rf"\b(?:{phrase})\b", re.IGNORECASE), word) for phrase, word in _PHRASES)


# a capital said for its government ("Iraq and Washington blamed ISIS"), where the articles name the country:
# (the capital's pattern and term, the country and its term)
_CAPITALS = tuple(
    (re.compile(rf"\b{city}\b"), terms(city)[0], country, terms(country)[-1])
    for city, country in {
        "Washington": "the US", "Baghdad": "Iraq", "Damascus": "Syria", "Moscow": "Russia", "Tehran": "Iran",
        "Ankara": "Turkey", "London": "Britain", "Paris": "France", "Beijing": "China", "Riyadh": "Saudi Arabia",
    }.items()
)


def plain_words(corpus: Corpus, question: str) -> str:
    """Returns the question with a phrase the articles say in one word written as that word, and a
    capital that stands for its government written as its country, when the articles use the one
    and not the other."""
    vocab = corpus.keyword.vocab
    for pattern, word in _PARAPHRASES:
        if terms(word)[-1] in vocab:
            question = pattern.sub(word, question)
    for capital, city_term, country, country_term in _CAPITALS:
        if city_term not in vocab and country_term in vocab:
            question = capital.sub(country, question)
    return question
