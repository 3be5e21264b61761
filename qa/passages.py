"""A passage read against a question: the share of the question's terms it holds, its neighbours,
headlines and bylines, quotations and their speakers, and places said in words.
"""

from __future__ import annotations

import re

from index.keyword import terms
from qa.names import ASKS_SAID, SPEECH, person_like
from qa.retrieve import Corpus, Unit
from qa.soft import SoftMatcher
from qa.values import values_of
from qa.words import DETERMINERS, QUANTIFIERS, alternation

# Words of the question form that say nothing about the content.
QUESTION_WORDS = frozenset(terms("happen happened according article articles say says said report reported"))


def question_weights(corpus: Corpus, question: str) -> dict[str, float]:
    qs = [t for t in terms(question) if t not in QUESTION_WORDS]
    return {t: corpus.keyword.idf_of(t) for t in qs}


def surface_words(question: str) -> dict[str, str]:
    """Returns each question term with the word it came from."""
    out: dict[str, str] = {}
    for m in re.finditer(r"[\w’'-]+", question):
        for t in terms(m.group(0))[:1]:
            out.setdefault(t, m.group(0).lower())
    return out


def coverage(
    corpus: Corpus, unit: Unit, weights: dict[str, float], soft: SoftMatcher | None = None, surface: dict[str, str] | None = None, soft_min: float = 0.6
) -> tuple[float, float]:
    """Returns the idf-weighted share of question terms found in the sentence (its neighbours count
    half, a near synonym in the sentence counts by its similarity), and the share of the heaviest
    term found in neither."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0, 0.0
    text = corpus.text(unit)
    own = set(terms(text))
    near: set[str] = set()
    # a sentence refers back to the one before ("After its collapse, ..."); a heading or dateline
    # introduces what follows ("Irbil, Iraq CNN —")
    context = corpus.neighbours(unit, before=0) if _heading(text) else corpus.neighbours(unit, after=0)
    for n in context:
        if n.id != unit.id:
            near.update(terms(corpus.text(n)))
    score = {t: 1.0 if t in own else (0.5 if t in near else 0.0) for t in weights}
    absent = [t for t, v in score.items() if v == 0.0]
    if soft is not None and surface and absent:
        sims = soft.best([surface.get(t, t) for t in absent], text)
        for t, sim in zip(absent, sims, strict=True):
            if sim >= soft_min:
                score[t] = sim
    got = sum(weights[t] * v for t, v in score.items())
    heaviest = max((weights[t] for t, v in score.items() if v == 0.0), default=0.0)
    return got / total, heaviest / total


# prepositions of place: "in", "near", "towards" ...
PLACE_PREPOSITIONS = "in|at|on|inside|within|near|into|to|towards?|across|along|around|outside|behind|throughout"
# a place said in words, not named: "in civilian areas", "to rural areas", "on a couch"
_LOCATIVE = re.compile(
    rf"(?<!due )(?<!according )\b(?:{PLACE_PREPOSITIONS}|under)\s+"
    rf"(?:(?:{alternation(DETERMINERS | QUANTIFIERS)})\s+)?(?P<word>[A-Za-z][\w’'-]*)",
    re.IGNORECASE,
)


# words after a preposition that start no place: "in order to", "in addition", "dug in and"
_NOT_PLACE_WORDS = frozenset({
    "and", "or", "but", "which", "that", "who", "whom", "whose", "what", "when", "where", "while", "as",
    "if", "than", "then", "so", "to", "of", "by", "for", "with", "from", "this", "these", "those", "it",
    "order", "addition", "part", "fact", "case", "face", "turn", "response", "front",
})


def locative(text: str, asked: set[str]) -> bool:
    """Returns True when `text` says where in words of its own: a preposition of place before a word
    the question does not use ("prepared defensive positions in the narrow streets"; not "had dug in
    and prepared", nor "in the Old City" when the question names the Old City)."""
    for m in _LOCATIVE.finditer(text):
        word = m.group("word")
        if word.lower() in _NOT_PLACE_WORDS or word[0].isdigit():
            continue
        if not set(terms(word)) & asked:
            return True
    return False


def near_text(corpus: Corpus, unit: Unit) -> str:
    """Returns a sentence with its neighbours, as one text."""
    return " ".join(corpus.text(n) for n in corpus.neighbours(unit))


_HEADING_WORDS = 12


def _heading(text: str) -> bool:
    """Returns True for a line that is not a sentence: a headline or a byline (short, no closing stop)."""
    t = text.rstrip()
    return bool(t) and len(t.split()) <= _HEADING_WORDS and t[-1] not in ".!?”\"’')"


def byline_unit(corpus: Corpus, unit: Unit) -> Unit | None:
    """Returns a headline unit spread over the heading line after it ("ISIS extremists losing more ground
    in Iraq's Mosul" + "Melinda Barton | 29 June, 2017, 09:06"), or None when either is a sentence."""
    after = corpus.by_pos.get((unit.doc_id, unit.ordinal + 1))
    if after is None or not _heading(corpus.text(unit)) or not _heading(corpus.text(after)):
        return None
    return Unit(f"{unit.id}+{after.id}", unit.doc_id, unit.ordinal, unit.start, after.end)


# who-questions about words spoken or written: "Who called the task a delicate balance?"
ASKS_SPEAKER = re.compile(rf"^\s*who\b.*?\b(?:{ASKS_SAID})\b", re.IGNORECASE | re.DOTALL)


_QUOTE_PARAGRAPH = 3  # sentences back to look for who speaks a quotation


def _in_quotation(doc: str, start: int, text: str) -> bool:
    """Returns True when the sentence is quoted: it opens a quotation, or the last quotation mark before
    it in its paragraph opens one."""
    before = doc[doc.rfind("\n", 0, start) + 1 : start]
    last = max(before.rfind("“"), before.rfind("”"))
    return text.lstrip()[:1] in "“\"" or (last >= 0 and before[last] == "“") or before.count('"') % 2 == 1


def speaker_span(corpus: Corpus, unit: Unit) -> Unit | None:
    """Returns, for a quoted sentence that names no speaker, the span from the sentence of its paragraph
    that does ("“...,” Scrocca said.") to it; None when it is not quoted, names its own speaker or no
    earlier sentence of its paragraph names one. A reporter's convention: a quotation that goes on
    without a new attribution is the last named speaker's."""
    doc = corpus.docs[unit.doc_id].text
    text = corpus.text(unit)
    if SPEECH.search(text) or not _in_quotation(doc, unit.start, text):
        return None
    later = unit
    for _ in range(_QUOTE_PARAGRAPH):
        prev = corpus.by_pos.get((unit.doc_id, later.ordinal - 1))
        if prev is None or "\n" in doc[prev.end : later.start]:
            return None
        said = corpus.text(prev)
        if any(SPEECH.match(said, v.end) and person_like(v, said) for v in values_of(said, "person")):
            return Unit(f"{prev.id}+{unit.id}", unit.doc_id, prev.ordinal, prev.start, unit.end)
        later = prev
    return None


# a sentence that opens by naming again the event the one before it told: "The operation, code-named
# "Fatah", aimed to recapture the Old City" after "On June 29, 2017, the Iraqi government launched a
# major offensive ..."
_BACK_REFERENCE = re.compile(
    r"^\s*(?:The|This|That)\s+(?:operation|offensive|attack|assault|battle|campaign|push|advance|siege|raid|strike|bombing|blast|explosion)\b"
)


def back_span(corpus: Corpus, unit: Unit) -> Unit | None:
    """Returns the span from the sentence before to `unit` when `unit` opens by naming again the event
    that sentence told, in the same paragraph; None otherwise. What the event was (the Old City's
    offensive) and when (June 29) are then said across the two sentences."""
    doc = corpus.docs[unit.doc_id].text
    if not _BACK_REFERENCE.match(corpus.text(unit)):
        return None
    prev = corpus.by_pos.get((unit.doc_id, unit.ordinal - 1))
    if prev is None or "\n" in doc[prev.end : unit.start]:
        return None
    return Unit(f"{prev.id}+{unit.id}", unit.doc_id, prev.ordinal, prev.start, unit.end)
