"""Judging retrieved evidence by code: relevance, abstention, the value each passage gives, conflicts.

Nothing here trusts a model. The thresholds are in `Calibration`, fitted on the dev split
of the eval questions only (`python -m evals.calibrate`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.keyword import terms
from qa.retrieve import Corpus, Hit, Unit
from qa.soft import SoftMatcher
from qa.values import (
    DATE_ASK,
    MONTHS,
    NUMBER_WORDS,
    ROLES,
    WEEKDAYS,
    Value,
    dates_agree,
    numbers_agree,
    question_kind,
    values_of,
)

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
SIDE_FIT_RATIO = 0.5  # a conflicting side's value must fit the question at least half as well as the best side's

# Words of the question form that say nothing about the content.
QUESTION_WORDS = frozenset(terms("happen happened according article articles say says said report reported"))

_ORG_WORDS = (
    "Nations|Forces|Command|Coalition|State|Army|Observatory|Police|Division|Council|News|TV|Agency|"
    "Ministry|Government|Force|Department|Office|Rights|Reuters|CNN|Pentagon|ISIS|Daesh|Islamic"
)
_ORG = re.compile(rf"\b({_ORG_WORDS})\b")
# organisations, places and things are not people
_NOT_PERSON = re.compile(
    rf"\b({_ORG_WORDS}|Mosque|City|Hospital|Unit|Caliphate|Iraq|Syria|Mosul|Raqqa|Church|River|Democratic|Independent)\b"
)


@dataclass(frozen=True)
class Calibration:
    """Thresholds fitted on dev questions."""

    min_relevance: float = 0.45  # below it, the best passage does not answer
    min_coverage: float = 0.5  # share of the question's weighted terms the passage must hold
    conflict_margin: float = 0.15  # a passage within this of the best can be a conflicting side
    dense_weight: float = 0.5  # relevance = w * dense + (1 - w) * coverage
    min_fit: float = 0.0  # share of question terms the typed value's own clause must hold
    max_missing: float = 1.0  # the heaviest absent question term may weigh at most this share
    side_fit: float = 1.01  # a passage whose value fits this well is a side of a conflict however the best scores
    rank_by: str = "relevance"  # which passage answers among the relevant ones: relevance, bm25 or fused
    name_fallback: float = 1.01  # a who-question's best passage with this coverage answers even with no name in it
    place_fallback: float = 1.01  # and a where-question's
    verb_fit: float = 0.0  # "how many X did V", "when did X V": a number or date whose sentence lacks V, or a word
    # this close to it, is said of something else
    probe_fit: float = 1.01  # a passage found by searching for a conflict side's passage, whose value is said in
    # this share of the same words (`same_statement`), gives that side's value too
    gate: tuple[float, ...] = ()  # logistic weights (intercept first) over `gate_features` of the answering passage
    gate_min: float = 0.0  # an answer whose passage scores below this is refused (questions with a conflict excepted)

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> Calibration:
        """Returns the stored calibration, or the defaults when there is none."""
        if path.exists():
            stored = json.loads(path.read_text())
            return cls(**stored | {"gate": tuple(stored.get("gate", ()))})
        return cls()


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
    reasoned: bool = False  # why-question: the sentence gives a reason ("because of its narrow streets")
    foreseen: bool = False  # its value is foreseen ("would be uprooted"), not said to have happened
    tense_fit: bool = True  # foreseen when the question asks what was expected, happened when it asks what happened
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


def _weights(corpus: Corpus, question: str) -> dict[str, float]:
    qs = [t for t in terms(question) if t not in QUESTION_WORDS]
    return {t: corpus.keyword.idf_of(t) for t in qs}


def _surface(question: str) -> dict[str, str]:
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


# One vocabulary of saying: the verbs that attribute words in a passage ("..., Scrocca said"), and the
# words by which a question asks about a saying ("who called it", "when did he say"; not "state": the
# Islamic State says nothing)
_SAID = "said|says|wrote|writes|told|tells|added|stated|noted|warned|explained|reported|reports|announced|announces|declared|tweeted"
_ASKS_SAID = (
    r"say|says|said|tell|told|wr[io]te|writes?|stated|statements?|note[ds]?|add(?:s|ed)?|warn\w*|explain\w*|report\w*|"
    r"announc\w*|declar\w*|tweet\w*|claim\w*|describ\w*|call(?:s|ed)?|speak|spoke|insist\w*|stress\w*|characteri[sz]\w*|put it"
)
_SPEECH = re.compile(rf"\s+(?:{_SAID})\b")


def _person_like(v: Value, text: str = "") -> bool:
    """Returns True for a name that can be a person's: two words or more, or a title, not an acronym;
    or one word that speaks in `text` ("...,” Dillon wrote")."""
    name = _after_role(v.text)
    if _NOT_PERSON.search(name):
        # an organisation that speaks answers who said or reported it: "ABC News reported that ..."
        return bool(_SPEECH.match(text, v.end)) and not _DEMONYM.match(name)
    words = [w for w in name.split() if not w.isupper()]
    if any(re.search(r"-(backed|led|based|held|run)$", w) or _DEMONYM.match(w) for w in words):
        return False  # "US-backed Iraqi" describes, it does not name
    if any(w.lower() in NUMBER_WORDS for w in words):
        return False
    return len(words) >= 2 or (len(words) == 1 and bool(_SPEECH.match(text, v.end)))


def _body_like(v: Value) -> bool:
    """Returns True for a name that is a body's, not a person's: a force, an office, an acronym
    ("Air Force", "Pentagon", "ISIS")."""
    return bool(_NOT_PERSON.search(_after_role(v.text))) or v.text.isupper()


_WHO = re.compile(r"^\s*who\s+(?P<rest>.*)", re.IGNORECASE | re.DOTALL)
_AGENT_BREAK = re.compile(r"[,;:.()\[\]“”\"—–]")
_GOVERNED = re.compile(r"\b(?:of|against|from|by|with|for|to|in|on|at|into|over|under|near|after|before)\s+(?:the\s+)?(?:[\w’'-]+-(?:led|backed)\s+)?$", re.IGNORECASE)
_AGENT_GAP = 6  # words that may stand between a doer's name and its verb: "the SDF has been slowly advancing"


def asked_acts(question: str) -> set[str]:
    """Returns the act a "who did X" question asks the doer of: its main verb's act ("Who launched the
    offensive?" -> launch). Empty when the question is no such who-question ("Who did the police
    support?" asks for whom something was done)."""
    return {_act(t) for t, _ in asked_verbs(question)}


def asked_verbs(question: str) -> list[tuple[str, str]]:
    """Returns the main verb of a "who did X" question as a (term, lower-cased word) pair ("Who designed
    the minaret?" -> design, designed); empty when it is no such who-question."""
    m = _WHO.match(question)
    if not m:
        return []
    for word in re.findall(r"[A-Za-z’'-]+", m.group("rest")):
        w = word.lower()
        t = terms(w)
        if not t or t[0] in _AUX:
            continue  # "has been", "did"
        return [(t[0], w)] if _verb_like(w) else []  # the first word that is no auxiliary is the verb, or there is none
    return []


def _agent(v: Value, text: str, acts: set[str]) -> bool:
    """Returns True when the name does the act asked about in `text`: the act's verb follows it in the
    same clause ("The Iraqi Air Force and international coalition aircraft provided air support"). A
    force or an office is then an answer to "who", which `_person_like` would refuse; a people alone
    ("Iraqi") is not."""
    one_word = len(v.text.split()) == 1
    if not acts or (one_word and _DEMONYM.match(v.text)):
        return False
    if one_word and not v.text.isupper() and not text[: v.start].strip(" “\"'"):
        return False  # a sentence's capitalised first word need be no name: "Fishing boats left the harbour"
    if _GOVERNED.search(text, 0, v.start):
        return False  # "the coalition against ISIS is providing air support": ISIS is not the one providing
    clause = _AGENT_BREAK.split(text[v.end :], maxsplit=1)[0]
    return any(_act(t) in acts for w in clause.split()[:_AGENT_GAP] for t in terms(w)[:1])


def _acts_of(text: str) -> set[str]:
    """Returns the acts of the words of `text` that read as verbs."""
    return {_act(t) for w in re.findall(r"[a-z]+", text) if _verb_like(w) for t in terms(w)[:1]}


def _after_role(name: str) -> str:
    """Returns the part of a name after its last role word: "Iraq Prime Minister Haider al-Abadi" names
    "Haider al-Abadi" (the country is not part of the person), or the whole name when no role word is in it."""
    roles = list(_ROLES.finditer(name))
    tail = name[roles[-1].end() :].strip() if roles else ""
    return tail if tail[:1].isupper() else name


# a place said in words, not named: "in civilian areas", "to rural areas", "on a couch"
_LOCATIVE = re.compile(
    r"(?<!due )(?<!according )\b(?:in|at|on|inside|within|near|into|to|towards?|across|along|around|outside|behind|under|throughout)\s+"
    r"(?:(?:the|a|an|its|their|his|her|some|several)\s+)?(?P<word>[A-Za-z][\w’'-]*)",
    re.IGNORECASE,
)
# words after a preposition that start no place: "in order to", "in addition", "dug in and"
_NOT_PLACE_WORDS = frozenset({
    "and", "or", "but", "which", "that", "who", "whom", "whose", "what", "when", "where", "while", "as",
    "if", "than", "then", "so", "to", "of", "by", "for", "with", "from", "this", "these", "those", "it",
    "order", "addition", "part", "fact", "case", "face", "turn", "response", "front",
})


def _locative(text: str, asked: set[str]) -> bool:
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


def _place_like(v: Value) -> bool:
    """Returns True for a name that can be a place's: not an organisation's."""
    return not _ORG.search(v.text)


_AUX = frozenset(terms("have has had were was are is did do does will would could can been be"))
_HOW_MANY = re.compile(r"\bhow (?:many|much)\s+(.*)", re.IGNORECASE)
_HOW_MUCH_OF = re.compile(r"\bhow much\s+of\b", re.IGNORECASE)
_HOW_MUCH = re.compile(r"\bhow much\b(?!\s+of\b)", re.IGNORECASE)
# "how much water / ground": a mass is measured in a unit, not counted by its own noun
_MEASURED = re.compile(
    r"[\s(]*(?:sq(?:uare)?\.?\s+|cubic\s+)?(?:km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|lit(?:er|re)s?|gallons?|barrels?|"
    r"tons?|tonnes?|kg|kilograms?|pounds|acres?|hectares?)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[;:—–]|\.\s")
_WINDOWS = {"number": (30, 60), "date": (60, 40), "name": (50, 50)}  # chars at which a term counts half
_WHICH = re.compile(r"\b(?:which|what)\s+((?:[\w’'-]+\s+){0,2}[\w’'-]+)", re.IGNORECASE)
_SHARE = re.compile(r"\b(share|percentage|proportion|percent|fraction)\b", re.IGNORECASE)
# "how much did it cost" is answered by a sum of money, never by a count ("862,000 people")
_ASKS_MONEY = re.compile(r"(?<!human )\b(costs?|costing|price[sd]?|spen[dt]|spending|budget|paid|pay|worth|fund(?:s|ed|ing)?|expensive)\b", re.IGNORECASE)
_MONEY = re.compile(r"[$€£]|\b(?:dollars?|euros?|pounds?|dinars?|usd|eur|gbp)\b", re.IGNORECASE)
# a people, not a person or a place: "Iraqi", "Syrians"
_DEMONYM = re.compile(r"^(\w+(ish|ian|ese)|Iraqi|Israeli|Saudi|Kuwaiti|Yemeni|Pakistani|Omani|Qatari|Emirati|Bangladeshi|Somali)s?\b")


# Nouns that count the same kind of person: "How many residents" is answered by "862,000 people".
_COUNTED_GROUPS = tuple(
    frozenset(terms(words))
    for words in (
        "people persons residents civilians inhabitants citizens locals",
        "fighters militants jihadists jihadis extremists insurgents combatants",
        "soldiers troops servicemen",
        "children kids pupils students schoolchildren",
        "strikes airstrikes raids sorties",
    )
)
_PEOPLE = terms("people")[0]
_DEMONYM_PLURAL = re.compile(r"^[A-Z][a-z]+(?:is|ans|ese|ites)$")  # "191,000 Moslawis", "Iraqis", "Syrians"


def counted_terms(question: str) -> set[str]:
    """Returns the terms of what a "how many" question counts ("How many Iraqi soldiers died" -> iraqi, soldier),
    with the nouns that count the same kind of person ("residents" -> people, civilians, ...)."""
    m = _HOW_MANY.search(question)
    if not m or _HOW_MUCH_OF.match(question, m.start()):
        return set()  # "how much of Mosul" asks for a part of it, in any measure
    out: set[str] = set()
    words = re.findall(r"[\w’'-]+", m.group(1))
    # "how many of eastern Mosul's 400 schools": a part of a counted whole is counted by the whole's noun
    words = [w for w in words[1:7] if not w[0].isdigit()] if words[:1] == ["of"] else words[:4]
    for word in words:
        t = terms(word)
        if word.lower() in ("have", "has", "had", "were", "was", "are", "is", "did", "do", "does", "will", "would"):
            break
        if t and t[0] in _AUX:
            break
        out.update(t)
    for group in _COUNTED_GROUPS:
        if out & group:
            out |= group
    return out


def _counted_term(word: str, term: str) -> str:
    """Returns the term a word after a number counts: a plural demonym ("Moslawis") counts people."""
    return _PEOPLE if _DEMONYM_PLURAL.match(word) else term


def _implicit_unit(word: str) -> bool:
    """Returns True when the word after a number is not the noun it counts ("17,500 already having fled")."""
    w = word.lower()
    return w.endswith(("ed", "ing", "ly")) or w in {"already", "more", "still", "have", "had", "were", "are", "remain", "in"}


def pick_value(text: str, kind: str, question: str, weights: dict[str, float] | None = None) -> tuple[Value | None, float]:
    """Returns the value of the asked kind in `text` that best fits the question, and its fit (0-1).

    The fit is the weighted share of the question's terms found in the value's own clause,
    near it; for "how many X" the value must count X (or leave its noun implicit in a
    sentence that names X).
    """
    vals = values_of(text, kind)
    asked = set(terms(question))
    weights = weights or {t: 1.0 for t in asked}
    total = sum(weights.values()) or 1.0
    if kind in ("person", "place"):
        named = set(terms(" ".join(question_names(question))))  # names the question itself uses
        vals = [v for v in vals if not set(terms(v.text)) <= asked]
        if kind == "person":
            # "who, according to Scrocca, ..." is not Scrocca; "Iraq's prime minister" may be "Iraq Prime Minister Haider al-Abadi"
            vals = [v for v in vals if not set(terms(_after_role(v.text))) & named]
            acts = asked_acts(question)
            vals = [v for v in vals if (not _DEMONYM.match(v.text) and _person_like(v, text)) or _agent(v, text, acts)]
        else:
            vals = [v for v in vals if not _DEMONYM.match(v.text) and _place_like(v)]
    if kind == "date":
        vals = [v for v in vals if _date_fits(v.key, question)]
        if not _BY_WHEN.search(question):
            # "hoped to take Mosul by the end of 2016": a deadline, not when anything happened
            vals = [v for v in vals if not _BY_DATE.search(text, 0, v.start)]
        if not _ASKS_SAYING.search(question):
            # "... marks the end of the Daesh state," Abadi said in a statement on June 29: when it was said
            vals = [v for v in vals if not _SAID_ON.search(text, max(0, v.start - _SAID_WINDOW), v.start)]
    if kind == "number" and _SHARE.search(question):
        vals = [v for v in vals if v.key.endswith("%")]
    if kind == "number" and _ASKS_MONEY.search(question):
        vals = [v for v in vals if _MONEY.search(text[max(0, v.start - 4) : v.end + 12])]
    words = [(m.start(), m.end(), m.group(0), t) for m in re.finditer(r"[^\s\-–—]+", text) for t in terms(m.group(0))[:1]]
    measured = []
    if kind == "number" and _HOW_MUCH.search(question) and not _ASKS_MONEY.search(question):
        measured = [v for v in vals if v.key.endswith("%") or _MEASURED.match(text, v.end)]
    if measured:
        vals = measured
    elif kind == "number" and vals:
        counted = counted_terms(question)
        sentence_terms = {t for *_, t in words}
        if counted:
            kept = []
            for v in vals:
                after = [(w, _counted_term(w, t)) for s, _, w, t in words if s >= v.end][:2]
                if any(t in counted for _, t in after) or (
                    (not after or _implicit_unit(after[0][0])) and counted & sentence_terms
                ):
                    kept.append(v)
            vals = kept
    if not vals:
        return None, 0.0
    hits = [s for s, _, _, t in words if t in asked]
    m = _WHICH.search(question)
    head = set(terms(m.group(1))) if m else set()
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    before, after_chars = _WINDOWS["name" if kind in ("person", "place") else kind]
    roles = role_terms(question) if kind == "person" else set()

    # "how many pupils": "350,000 children" says the counted noun in another word of its group
    alias = {m: t for t in weights for g in _COUNTED_GROUPS if t in g for m in g if m not in weights} if kind == "number" else {}

    def fit(v: Value) -> float:
        # each question term counts by its weight, fading with distance from the value; clause breaks stop it
        lo = max([b for b in breaks if b < v.start], default=-1)
        hi = min([b for b in breaks if b >= v.end], default=len(text))
        got: dict[str, float] = {}
        for s, e, _, t in words:
            t = alias.get(t, t)
            if t not in weights or s <= lo or e > hi + 1:
                continue
            if v.start <= s < v.end:
                if t in roles:
                    got[t] = 1.0  # the role asked for, in the name's title: "Prime Minister Haider al Abadi"
                continue
            d = (v.start - e) / before if e <= v.start else (s - v.end) / after_chars
            got[t] = max(got.get(t, 0.0), 1.0 / (1.0 + max(d, 0.0)))
        return sum(weights[t] * g for t, g in got.items()) / total

    def score(v: Value) -> tuple[float, float]:
        bonus = 0.0
        if kind == "number":
            after = [t for s, _, _, t in words if s >= v.end][:1]
            bonus = 0.5 if any(t in asked for t in after) else 0.0  # the noun it counts: "29,000 munitions"
        if kind == "person" and len(v.text.split()) > 1:
            bonus = 0.1
        if kind in ("person", "place") and head:
            next_word = [t for s, _, _, t in words if s >= v.end][:1]
            if head & (set(terms(v.text)) | set(next_word)):  # "al Jamhouri Hospital complex" for "which hospital complex"
                bonus += 0.5
        dist = min((abs(h - v.start) for h in hits), default=len(text))
        return (fit(v) + bonus, -dist)

    best = max(vals, key=score)
    return best, fit(best)


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_BY_DATE = re.compile(r"\b(?:by|until|till)\s+(?:the\s+(?:end|middle|start|beginning)\s+of\s+)?$", re.IGNORECASE)
_BY_WHEN = re.compile(r"\b(?:by when|by what|until when|deadline)\b", re.IGNORECASE)
# a date that follows the verb of saying in its clause dates the saying, not what was said
_SAID_ON = re.compile(rf"\b(?:{_SAID})\b(?:[^\S\n]+(?!and\b|but\b|that\b)[\w’'.-]+){{0,7}}?[^\S\n]+$")
_SAID_WINDOW = 80
_ASKS_SAYING = re.compile(rf"\b(?:{_ASKS_SAID})\b", re.IGNORECASE)
_ASKS_MONTH = re.compile(r"\b(?:which|what) month\b", re.IGNORECASE)
_ASKS_YEAR = re.compile(r"\b(?:which|what) year\b", re.IGNORECASE)
_ASKS_CLOCK = re.compile(r"\bwhat time\b(?! of (?:the )?year)|\btime of day\b", re.IGNORECASE)


def _date_fits(key: str, question: str) -> bool:
    """Returns False for a date that cannot answer the question: its year is not the one the question
    names ("which month of 2016" is not "June 2017"), or it lacks the part asked for ("which month": "2016";
    "at what time of day": any day, month or year, as clock times are not read)."""
    if _ASKS_CLOCK.search(question):
        return False
    parts = key.split("-") if "-" in key and not key.startswith("~") else [None, None, None]
    year, month = parts[0], parts[1]
    years = set(_YEAR.findall(question))
    if years and year not in (None, "?") and year not in years:
        return False
    if _ASKS_MONTH.search(question) and month in (None, "?"):
        return False
    return not (_ASKS_YEAR.search(question) and year in (None, "?"))


def _unit_word(c: Candidate) -> str | None:
    """Returns the first term after the candidate's value: what a number counts ("people")."""
    if c.value is None:
        return None
    after = terms(c.text[c.value.end : c.value.end + 40])
    return after[0] if after else None


def _same_unit(kind: str, a: Candidate, b: Candidate) -> bool:
    """Returns True when two passages' values measure the same thing (numbers: the same counted noun)."""
    return kind != "number" or _unit_word(a) == _unit_word(b)


def _agree(kind: str, a: Value, b: Value) -> bool:
    if kind == "number":
        return numbers_agree(a.key, b.key)
    if kind == "date":
        # a relative date ("last week") counts from its article's unknown date: it can name any day
        return a.key.startswith("~") or b.key.startswith("~") or dates_agree(a.key, b.key)
    return a.key == b.key or a.key in b.key or b.key in a.key


_PRONOUN_BEFORE = re.compile(r"\b(?:he|she)\s+([\w’'-]+)", re.IGNORECASE)
_PRONOUN_AFTER = re.compile(r"([\w’'-]+),?\s+(?:he|she)\b", re.IGNORECASE)


def _pronoun_agent(text: str, weights: dict[str, float]) -> bool:
    """Returns True when "he" or "she" stands next to a word of the question ("he told Reuters",
    "said she"): the sentence says someone did what was asked without naming them."""
    words = [m.group(1) for pat in (_PRONOUN_BEFORE, _PRONOUN_AFTER) for m in pat.finditer(text)]
    return any(t in weights for w in words for t in terms(w)[:1])


_ROLES = re.compile(rf"\b({ROLES})\b", re.IGNORECASE)


def role_terms(question: str) -> set[str]:
    """Returns the terms of the roles a who-question names ("Which US general ..." -> general)."""
    return {t for m in _ROLES.finditer(question) for t in terms(m.group(1))}


_TIME_UNIT = re.compile(r"(?:seconds|minutes|hours|days|weeks|months|years|decades|centuries)\b", re.IGNORECASE)
_SUBORDINATE = frozenset(re.findall(r"\w+", "when since before after while until according as because"))
_VERBS = frozenset(
    re.findall(
        r"\w+",
        "took fled flew fought built led won lost left made held began fell gave drove ran sent shot hit struck kept brought dug "
        "take flee fly fight build lead win lose leave make hold begin give drive run send shoot strike keep bring dig die "
        "remain remains stay stays live lives work works return returns serve serves",
    )
)


_DATED_VERBS = frozenset(
    re.findall(
        r"\w+",
        "begin start end fall take capture open close launch enter seize retake reach arrive become build destroy "
        "surrender withdraw retreat flee die collapse return liberate declare",
    )
)
_ASKS_DATE = re.compile(DATE_ASK + r"\s+(?P<rest>.*)", re.IGNORECASE)


def dated_verbs(question: str) -> list[tuple[str, str]]:
    """Returns the event a "when did X begin" question asks the date of, as (term, word) pairs."""
    m = _ASKS_DATE.search(question)
    return _clause_verbs(m.group("rest"), lambda word: word.lower() in _DATED_VERBS) if m else []


def counted_verbs(question: str) -> list[tuple[str, str]]:
    """Returns what a "how many" question says its counted things did, as (term, word) pairs: "surrendered"
    in "How many ISIS fighters surrendered to Iraqi forces?". Looks no further than the main clause; empty
    when the question names no such verb ("How many civilians are still in the battlefield?")."""
    m = _HOW_MANY.search(question)
    if not m or _TIME_UNIT.match(m.group(1)):
        return []  # a span of time is told by "into", "ago", "after", not by the verb: "eight months into the battle"
    return _clause_verbs(m.group(1), lambda word: not word[0].isupper() and _past_or_listed(word.lower()))


def _past_or_listed(word: str) -> bool:
    """Returns True for a lower-case past form ("surrendered") or a listed verb."""
    return (word.endswith("ed") and len(word) > 4) or word in _VERBS


def _clause_verbs(text: str, is_verb: Callable[[str], bool]) -> list[tuple[str, str]]:
    """Returns the (term, lower-cased word) of each verb in `text` up to its first subordinate clause."""
    out = []
    for word in re.findall(r"[A-Za-z’'-]+", text):
        w = word.lower()
        if w in _SUBORDINATE:
            break
        if is_verb(word) and (t := terms(w)):
            out.append((t[0], w))
    return out


# irregular verb forms, so that "when did the siege begin" finds "the army began the siege"
_IRREGULAR = {
    terms(form)[0]: terms(base)[0]
    for base, *forms in (
        line.split()
        for line in (
            "begin began begun", "fall fell fallen", "take took taken", "build built", "become became", "leave left",
            "flee fled", "fly flew flown", "fight fought", "lead led", "win won", "lose lost", "hold held", "give gave given",
            "drive drove driven", "run ran", "send sent", "shoot shot", "strike struck stricken", "keep kept", "bring brought",
            "dig dug", "make made", "rise rose risen", "break broke broken", "seek sought", "tell told",
        )
    )
    for form in (base, *forms)
}


def _base(term: str) -> str:
    return _IRREGULAR.get(term, term)


# verbs that name the same act: "when did Iraq take east Mosul" is answered by "Iraq captured east
# Mosul", "when did the Old City fall" by "forces captured the Old City"; only the sentence's own
# words count, as a neighbour's "recaptured" may be another act
_TAKE = frozenset(terms("take took taken capture captured seize seized recapture recaptured retake retook retaken liberate liberated fall fell fallen"))


def _act(term: str) -> str:
    """Returns the act a verb term names: "take" for any of `_TAKE`, else its base form."""
    return "take" if term in _TAKE else _base(term)


# verbs of holding an office: a title answers them ("the Nineveh operation commander"), no verb need
_OFFICE = frozenset(_act(t) for t in terms("run lead head command direct chair oversee manage govern represent"))


def _does(text: str, near: set[str], verbs: list[tuple[str, str]], soft: SoftMatcher | None, verb_fit: float) -> bool:
    """Returns True when the sentence or its neighbours (`near`: their terms) hold one of the verbs, the
    sentence itself a verb for the same act ("captured" for "take"), or the sentence a word at least
    `verb_fit` similar to one."""
    if {_base(t) for t, _ in verbs} & {_base(t) for t in near}:
        return True
    if {_act(t) for t, _ in verbs} & {_act(t) for t in terms(text)}:
        return True
    if soft is None:
        return False
    # a verb is compared with the sentence's verbs only: "destroyed" is nearer "back" than "reopened"
    said = " ".join(w for w in re.findall(r"[a-z]+", text.lower()) if _verb_like(w))
    return max(soft.best([w for _, w in verbs], said)) >= verb_fit


def _verb_like(word: str) -> bool:
    """Returns True for a lower-case word that reads as a verb: a past or -ing form, or a listed verb."""
    if _past_or_listed(word) or (len(word) > 4 and word.endswith("ing")):
        return True
    t = terms(word)
    return bool(t) and t[0] in _IRREGULAR


def _near_text(corpus: Corpus, unit: Unit) -> str:
    """Returns a sentence with its neighbours, as one text."""
    return " ".join(corpus.text(n) for n in corpus.neighbours(unit))


_HEADING_WORDS = 12


def _heading(text: str) -> bool:
    """Returns True for a line that is not a sentence: a headline or a byline (short, no closing stop)."""
    t = text.rstrip()
    return bool(t) and len(t.split()) <= _HEADING_WORDS and t[-1] not in ".!?”\"’')"


def _byline(corpus: Corpus, unit: Unit) -> Unit | None:
    """Returns a headline unit spread over the heading line after it ("ISIS extremists losing more ground
    in Iraq's Mosul" + "Melinda Barton | 29 June, 2017, 09:06"), or None when either is a sentence."""
    after = corpus.by_pos.get((unit.doc_id, unit.ordinal + 1))
    if after is None or not _heading(corpus.text(unit)) or not _heading(corpus.text(after)):
        return None
    return Unit(f"{unit.id}+{after.id}", unit.doc_id, unit.ordinal, unit.start, after.end)


# who-questions about words spoken or written: "Who called the task a delicate balance?"
_ASKS_SPEAKER = re.compile(rf"^\s*who\b.*?\b(?:{_ASKS_SAID})\b", re.IGNORECASE | re.DOTALL)
_QUOTE_PARAGRAPH = 3  # sentences back to look for who speaks a quotation


def _in_quotation(doc: str, start: int, text: str) -> bool:
    """Returns True when the sentence is quoted: it opens a quotation, or the last quotation mark before
    it in its paragraph opens one."""
    before = doc[doc.rfind("\n", 0, start) + 1 : start]
    last = max(before.rfind("“"), before.rfind("”"))
    return text.lstrip()[:1] in "“\"" or (last >= 0 and before[last] == "“") or before.count('"') % 2 == 1


def _speaker_span(corpus: Corpus, unit: Unit) -> Unit | None:
    """Returns, for a quoted sentence that names no speaker, the span from the sentence of its paragraph
    that does ("“...,” Scrocca said.") to it; None when it is not quoted, names its own speaker or no
    earlier sentence of its paragraph names one. A reporter's convention: a quotation that goes on
    without a new attribution is the last named speaker's."""
    doc = corpus.docs[unit.doc_id].text
    text = corpus.text(unit)
    if _SPEECH.search(text) or not _in_quotation(doc, unit.start, text):
        return None
    later = unit
    for _ in range(_QUOTE_PARAGRAPH):
        prev = corpus.by_pos.get((unit.doc_id, later.ordinal - 1))
        if prev is None or "\n" in doc[prev.end : later.start]:
            return None
        said = corpus.text(prev)
        if any(_SPEECH.match(said, v.end) and _person_like(v, said) for v in values_of(said, "person")):
            return Unit(f"{prev.id}+{unit.id}", unit.doc_id, prev.ordinal, prev.start, unit.end)
        later = prev
    return None


_ABOUT_BEFORE = 2  # sentences before a passage that may name what it is about
_ASKS_WHY = re.compile(r"^\s*why\b", re.IGNORECASE)
# what gives a reason: "because of its narrow streets", "due to its dense population"
_BECAUSE = re.compile(r"\b(?:because|due to|owing to|thanks to|as a result of|in order to|so as to|so that|on account of)\b", re.IGNORECASE)


def judge(
    corpus: Corpus, question: str, hits: list[Hit], dense_weight: float, soft: SoftMatcher | None = None, verb_fit: float = 0.0
) -> tuple[str, list[Candidate]]:
    """Returns the question's kind and the hits judged against it, most relevant first."""
    kind = question_kind(question)
    weights = _weights(corpus, question)
    surface = _surface(question)
    roles = role_terms(question) if kind == "person" else set()
    acts = asked_acts(question) if kind == "person" else set()
    verbs = counted_verbs(question) if kind == "number" else dated_verbs(question) if kind == "date" else []
    if kind == "person" and not _ASKS_SPEAKER.search(question):
        # "who designed the minaret": a name in a passage where nothing is designed did not. "Who runs the
        # UN effort" asks for an office's holder, whom a title names ("Lise Grande, the UN coordinator")
        verbs = [v for v in asked_verbs(question) if _act(v[0]) not in _OFFICE]
    subject = subject_name(corpus, question)
    asked = set(terms(question))
    why = bool(_ASKS_WHY.match(question))
    asks_ahead = bool(_FORESEEN.search(question))  # "how many were expected to flee"
    cands = []
    for rank, h in enumerate(hits):
        text = corpus.text(h.unit)
        cov, missing = coverage(corpus, h.unit, weights, soft, surface)
        dense = max(h.dense, 0.0)
        rel = dense_weight * dense + (1 - dense_weight) * cov
        value, fit = pick_value(text, kind, question, weights) if kind != "fact" else (None, 0.0)
        if value is None and kind in ("person", "date") and (byline := _byline(corpus, h.unit)) is not None:
            # "who wrote" / "when was it published": the headline reads with its byline
            value, fit = pick_value(corpus.text(byline), kind, question, weights)
            if value is not None:
                h, text = replace(h, unit=byline), corpus.text(byline)
        if value is None and kind == "person" and _ASKS_SPEAKER.search(question) and (said := _speaker_span(corpus, h.unit)):
            # "who called it a delicate balance": "... Scrocca said. “... It is a delicate balance.”" The
            # quote is its speaker's words, so it fits as well as the quoted sentence covers the question
            value, _ = pick_value(corpus.text(said), kind, question, weights)
            if value is not None:
                h, text, fit = replace(h, unit=said), corpus.text(said), cov
        named = value is not None and not _body_like(value)  # a person's name, held to the act below
        around = _near_text(corpus, h.unit) if roles or verbs else ""
        near = set(terms(around)) if verbs else set()
        # what a sentence is about is named in it, the two sentences before ("... the Old City." "It was led
        # by ..." "The Air Force provided ...") or its title
        about = " ".join([corpus.docs[h.unit.doc_id].title, *(corpus.text(u) for u in corpus.neighbours(h.unit, before=_ABOUT_BEFORE, after=0))])
        on_subject = names_subject(subject, about)
        # "which architect": no architect here. The role's own word counts, not its stem: "Central
        # Command" names no commander
        unnamed = bool(roles) and not roles & role_terms(around)
        if unnamed:
            value, fit = None, 0.0
        if value is not None and verbs and not _does(text, near, verbs, soft, verb_fit):
            value, fit = None, 0.0  # "how many fighters surrendered", "when did Raqqa fall": said of something else
        if kind == "person" and not named and verbs and not unnamed:
            # "who tried to pin it on coalition airstrikes": "ISIS attempted to blame coalition airstrikes".
            # Where no person is named, a force or an office that is the subject of the passage's own verb
            # answers who: articles seldom say it in the question's verb. A person must still do the act
            bodies = [v for v in values_of(text, kind) if _body_like(v) and not set(terms(v.text)) <= asked]  # not one asked about
            its_acts = _acts_of(text)
            value = next((v for v in bodies if _agent(v, text, its_acts)), None)
            fit = cov if value is not None else 0.0
        if kind == "person" and value is None:
            # "he told Reuters": someone did it, unnamed; "who led the Shiite militias": a passage about the
            # militias that says no one led them
            unnamed = unnamed or _pronoun_agent(text, weights) or bool(acts and not {_act(t) for t in terms(text)} & acts)
        located = kind == "place" and _locative(text, asked)
        reasoned = why and bool(_BECAUSE.search(text))
        ahead = value is not None and foreseen(text, value)
        cands.append(
            Candidate(
                h.unit, text, dense, cov, rel, value, fit, missing, h.bm25, h.fused, unnamed, on_subject, located, reasoned, ahead, ahead == asks_ahead, rank
            )
        )
    cands.sort(key=lambda c: -c.relevance)
    return kind, cands


GATE_FEATURES = ("relevance", "coverage", "missing", "fit", "dense", "bm25 / 10", "margin over the next passage", "gives a value")
# how each feature may move the score (+1 up, -1 down, 0 either way): what the fit is held to
GATE_SIGNS = (1, 1, -1, 1, 1, 1, 1, 0)


def gate_features(best: Candidate, cands: list[Candidate]) -> list[float]:
    """Returns what the answer gate weighs about the passage chosen to answer (`GATE_FEATURES`)."""
    margin = best.relevance - max((c.relevance for c in cands if c is not best), default=0.0)
    return [best.relevance, best.coverage, best.missing, best.fit, best.dense, best.bm25 / 10, margin, float(best.value is not None)]


def answer_score(weights: Sequence[float], features: Sequence[float]) -> float:
    """Returns the logistic score, in 0-1, that a passage with these features answers its question."""
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _gated(a: Assessment, cal: Calibration) -> Assessment:
    """Returns `a`, or an abstention when its one-sided answer scores under `gate_min`.

    The lexical checks pass many an on-topic passage that answers a neighbouring question; what
    such a passage looks like (weak keyword match, no lead over the next passage, ...) is learnt
    from dev questions by `evals.calibrate`. A conflict is never gated: two articles giving
    values is not what an unanswerable question looks like.
    """
    if not cal.gate or a.abstain or a.sides or not a.support:
        return a
    score = answer_score(cal.gate, gate_features(a.support[0], a.candidates))
    if score >= cal.gate_min:
        return a
    return Assessment(a.kind, a.candidates, True, f"the best passage looks unlike an answer (answer score {score:.2f} < {cal.gate_min:.2f})")


def decide(kind: str, cands: list[Candidate], cal: Calibration) -> Assessment:
    """Returns whether to abstain, the supporting passages, and the sides when documents disagree."""
    return _gated(_decide(kind, cands, cal), cal)


_SIDED = ("number", "date")  # the kinds whose values the articles can disagree on


def _close_first(ok: list[Candidate], margin: float, wanted: Callable[[Candidate], bool]) -> Candidate | None:
    """Returns the first passage of `ok` that is `wanted` and about as relevant as the first (within
    `margin`), or None."""
    return next((c for c in ok if wanted(c) and c.relevance >= ok[0].relevance - margin), None)


def _prefer(ok: list[Candidate], margin: float, wanted: Callable[[Candidate], bool]) -> list[Candidate]:
    """Returns `ok` with its first `wanted` passage that is about as relevant as the first (`_close_first`)
    put first; `ok` itself when the first is wanted or none is close."""
    if not ok or wanted(ok[0]) or (chosen := _close_first(ok, margin, wanted)) is None:
        return ok
    return [chosen, *(c for c in ok if c is not chosen)]


def _decide(kind: str, cands: list[Candidate], cal: Calibration) -> Assessment:
    if not cands:
        return Assessment(kind, cands, True, "nothing is indexed")
    ok = [
        c
        for c in cands
        if c.relevance >= cal.min_relevance and c.coverage >= cal.min_coverage and c.missing <= cal.max_missing
    ]
    if not ok:
        return Assessment(kind, cands, True, "no passage is relevant enough")
    if cal.rank_by != "relevance":
        ok = sorted(ok, key=lambda c: -getattr(c, cal.rank_by))
    if kind == "fact":
        # a why-question asks for a reason: of passages about as relevant, the one that gives one
        # ("because of its narrow streets") answers before one that gives none
        ok = _prefer(ok, cal.conflict_margin, lambda c: c.reasoned)
    if kind != "fact":
        typed = [c for c in ok if c.value is not None and c.fit >= cal.min_fit]
        # where: a place need not be a name ("on a couch", "in civilian areas"), so a where-question's
        # passage may answer with less of the question's words than a who-question's
        fallback = cal.place_fallback if kind == "place" else cal.name_fallback
        named_close = any(c.relevance >= ok[0].relevance - cal.conflict_margin for c in typed)
        lead = ok[0]
        if kind == "place" and not lead.located:
            # "where had the fighters dug in": of two passages about as relevant, the one that says where
            # ("dug in ... in the narrow streets"), not the one that only repeats the question ("had dug in and prepared")
            lead = _close_first(ok, cal.conflict_margin, lambda c: c.value is None and c.located) or lead
        if kind in ("person", "place") and lead.value is None and lead.coverage >= fallback and not lead.unnamed and not named_close:
            # "who led the operation": the passage holding every word of the question answers it
            # even when what it names is a group, not a person's name -- unless a passage about as
            # relevant names one ("which Syrian city": "... encircle ISIS fighters in ... Raqqa")
            return Assessment("fact", cands, False, support=[lead])
        if not typed:
            return Assessment(kind, cands, True, f"no relevant passage states the {kind} asked for")
        # "how many were expected to be displaced": of values about as relevant, the one foreseen
        # ("would be uprooted") answers before one counted ("have been displaced"), and the other way round
        typed = _prefer(typed, cal.conflict_margin, lambda c: c.tense_fit)
        if kind == "date" and typed[0].value is not None and typed[0].value.key.startswith("~"):
            # "last week" yields to a calendar date that is about as relevant
            near = [c for c in typed if c.relevance >= typed[0].relevance - cal.conflict_margin]
            typed = sorted(near, key=lambda c: c.value is not None and c.value.key.startswith("~")) + [c for c in typed if c not in near]
        ok = typed
    best = ok[0]
    if kind in ("person", "place") and not best.on_subject:
        # "who led the Kurdish Peshmerga": a commander named where no Peshmerga are is someone else's
        return Assessment(kind, cands, True, f"the passage that names a {kind} is not about what the question names")
    support = [
        c
        for c in ok
        if c.relevance >= best.relevance - cal.conflict_margin
        or (c.fit >= cal.side_fit and _same_unit(kind, best, c))  # a strong passage of its own
    ]
    if kind not in _SIDED:
        return Assessment(kind, cands, False, support=[best])

    # One side per distinct value of the same measure; each document's best passage for a
    # value speaks for it (a document that gives two values is on both sides).
    sides: list[list[Candidate]] = []
    for c in support:
        if c.value is None or not _same_unit(kind, best, c):
            continue
        if c is not best and not c.on_subject:
            continue  # "when did the SDF capture Raqqa": "Iraq captured east Mosul in late January" is no rival
        if c is not best and c.foreseen != best.foreseen:
            continue  # "862,000 have been displaced" and "one million would be uprooted": a forecast is no rival of a count
        for side in sides:
            if side[0].value is not None and _agree(kind, side[0].value, c.value):
                if all(x.unit.doc_id != c.unit.doc_id for x in side):
                    side.append(c)
                break
        else:
            sides.append([c])
    # a side whose value fits the question far worse than the best-fitting side answers something else
    top_fit = max(max(c.fit for c in side) for side in sides)
    sides = [side for side in sides if side is sides[0] or max(c.fit for c in side) >= SIDE_FIT_RATIO * top_fit]
    return Assessment(kind, cands, False, sides=sides if len(sides) > 1 else [], support=sides[0])


_CONTEXT_CHARS = 120  # what a value is said of lies within this many characters of it, in its clause


def _clause(text: str, value: Value, breaker: re.Pattern[str] = _CLAUSE_BREAK) -> tuple[int, int]:
    """Returns the bounds of the value's clause, at most `_CONTEXT_CHARS` each side of it."""
    breaks = [m.start() for m in breaker.finditer(text)]
    lo = max([b + 1 for b in breaks if b < value.start] + [value.start - _CONTEXT_CHARS, 0])
    hi = min([b for b in breaks if b >= value.end] + [value.end + _CONTEXT_CHARS])
    return lo, hi


def _context(corpus: Corpus, text: str, value: Value) -> dict[str, float]:
    """Returns the weighted terms around a value within its clause: what the value is said of."""
    lo, hi = _clause(text, value)
    own = set(terms(value.text))
    return {t: corpus.keyword.idf_of(t) for t in terms(text[lo : value.start] + " " + text[value.end : hi]) if t not in own}


# a value said to be foreseen ("would be uprooted", "expected to flee") is not a count of what happened
_FORESEEN = re.compile(
    r"\b(?:would|will|could|might|predict(?:s|ed)?|forecasts?|projected|expect(?:s|ed)?|likely to|set to)\b", re.IGNORECASE
)
# the clause a forecast governs ends at a comma: "launched what it expects to be the final assault
# on the city of Mosul, ..., on Monday" says when it was launched, not when it is expected
_PHRASE_BREAK = re.compile(r"[;:—–]|\.\s|,\s")


def foreseen(text: str, value: Value) -> bool:
    """Returns True when the value is foreseen in its clause ("one million people would be uprooted"),
    not reported as having happened ("862,000 people have been displaced")."""
    lo, hi = _clause(text, value, _PHRASE_BREAK)
    return bool(_FORESEEN.search(text[lo:hi]))


def same_statement(corpus: Corpus, a: Candidate, b: Candidate) -> float:
    """Returns how far two passages' values are said of the same thing: the idf-weighted share of
    the smaller value context that the other holds (1.0: the same words around both values)."""
    if a.value is None or b.value is None:
        return 0.0
    ca, cb = _context(corpus, a.text, a.value), _context(corpus, b.text, b.value)
    small = min(sum(ca.values()), sum(cb.values()))
    if small <= 0:
        return 0.0
    return sum(w for t, w in ca.items() if t in cb) / small


def corroborate(corpus: Corpus, question: str, a: Assessment, probes: list[list[Hit]], cal: Calibration) -> Assessment:
    """Returns the conflict with every article that states a side's value on that side.

    `probes[i]` are the passages found by searching for side i's own passage: another article
    words the same fact its own way ("Eight months after ... initiated their assault" for
    "eight months into an epic battle"), which the question's words can miss. A probed passage
    joins side i when it gives the side's value, measures the same thing (same counted
    noun), and the words around it are those around the side's value (`same_statement` at least
    `probe_fit`). Probes never start a side: on dev, a search by the answer's own passage found
    as many unrelated values as contradicting ones.
    """
    if len(a.sides) < 2:
        return a
    sides = [list(side) for side in a.sides]
    weights = _weights(corpus, question)
    for side, probe in zip(sides, probes, strict=True):
        head = side[0]
        assert head.value is not None
        for h in probe:
            if any(x.unit.doc_id == h.unit.doc_id for x in side):
                continue
            text = corpus.text(h.unit)
            value, fit = pick_value(text, a.kind, question, weights)
            if value is None or value.key != head.value.key:
                continue  # the same value, not one that merely agrees ("June 2017" holds "June 18")
            c = Candidate(h.unit, text, max(h.dense, 0.0), 0.0, 0.0, value, fit, 0.0, h.bm25, h.fused)
            if _same_unit(a.kind, head, c) and same_statement(corpus, head, c) >= cal.probe_fit:
                side.append(c)
    return Assessment(a.kind, a.candidates, False, a.reason, sides=sides, support=sides[0])


def assess(
    corpus: Corpus, question: str, hits: list[Hit], cal: Calibration, soft: SoftMatcher | None = None, pool: int | None = None
) -> Assessment:
    """Returns the judged candidates, whether to abstain, and the sides when sources disagree.

    Only the first `pool` hits (all when None) may answer; the hits after them may only be the other
    side of a conflict with that answer ("700,000 have been displaced", ranked 20th, against "862,000").
    """
    if pool is not None and question_kind(question) not in _SIDED:
        hits = hits[:pool]  # only a number or a date has sides: the rest are never read
    kind, cands = judge(corpus, question, hits, cal.dense_weight, soft, cal.verb_fit)
    first = [c for c in cands if pool is None or c.rank < pool]
    unknown = unknown_names(corpus, question, {c.unit.doc_id for c in first})
    if unknown:
        return Assessment(kind, first, True, f"the indexed articles never mention {unknown[0]!r}")
    a = decide(kind, first, cal)
    if len(first) == len(cands) or a.abstain or kind not in _SIDED:
        return a
    wide = _decide(kind, cands, cal)
    if wide.sides and wide.sides[0][0] is a.support[0] and len(wide.sides) > len(a.sides):
        return Assessment(kind, first, False, a.reason, sides=wide.sides, support=wide.sides[0])
    return a


def _known(corpus: Corpus, word: str, doc_ids: set[str] | None) -> bool:
    """Returns True when the corpus has the word, an abbreviation of it ("Brig." for "Brigadier"),
    or, for an acronym, words with its initials ("UN": "United Nations") in one of `doc_ids`
    (the retrieved documents: scanning every article's text would not scale). A possessive is the
    name itself: "UN's" is "UN"."""
    word = re.sub(r"[’']s$", "", word)
    vocab = corpus.keyword.vocab
    # "Col" is read with its dot, as a title ("colonel"): the question's name words are cut before it
    if any(all(t in vocab for t in terms(w)) for w in (word, word + ".")):
        return True
    w = word.lower()
    if len(w) >= 5 and any(w.startswith(v) for v in vocab if len(v) >= 3 and not v[0].isdigit()):
        return True
    if word.isupper() and 2 <= len(word) <= 5:
        docs = corpus.docs if doc_ids is None else {d: corpus.docs[d] for d in doc_ids if d in corpus.docs}
        return any(_initials_pattern(word).search(d.text) for d in docs.values())
    return False


def unknown_names(corpus: Corpus, question: str, doc_ids: set[str] | None = None) -> list[str]:
    """Returns the capitalised words of the question (past its first) that no indexed article has:
    a question about "Germany" cannot be answered by articles that never name it."""
    asked_in = {m.group(1) for m in _IN_LANGUAGE.finditer(question)}
    return [w for w in question_names(question) if terms(w) and w not in asked_in and not _known(corpus, w, doc_ids)]


# "what does the name mean in English": the language an answer is asked in, not a subject of the articles
_IN_LANGUAGE = re.compile(r"\bin\s+(English|Arabic|Kurdish|Turkish|Persian|Farsi|French|German|Spanish|Russian|Hebrew)\b")


_NAME_WORD = r"(?:(?:al|el)-)?[A-Z][\w’'.-]*\w"  # "Nuri", "al-Nuri"
_SUBJECT_RUN = re.compile(rf"(?<=\s){_NAME_WORD}\.?(?:\s+(?:of\s+|the\s+|for\s+)*{_NAME_WORD}\.?)*")  # "Col. Ryan Dillon"
_DATE_WORDS = frozenset(terms(" ".join([*MONTHS, *WEEKDAYS])))
_TITLE_AFTER = re.compile(rf"(?:\s+[a-z]+){{0,2}}?\s+(?:{ROLES})\b", re.IGNORECASE)


def subject_name(corpus: Corpus, question: str) -> str:
    """Returns the most specific name the question asks about: its run of capitalised words (past the
    first word; months and weekdays aside) whose rarest term is rarest in the corpus. "" when the
    question names nothing."""
    best = (0.0, "")
    for m in _SUBJECT_RUN.finditer(question):
        if _TITLE_AFTER.match(question, m.end()):
            continue  # "which US defence secretary": an office's country is implied by the office
        run = re.sub(r"[’']s$", "", m.group(0))
        ts = [t for t in terms(run) if t not in _DATE_WORDS]
        if ts and (weight := max(corpus.keyword.idf_of(t) for t in ts)) > best[0]:
            best = (weight, run)
    return best[1]


def names_subject(subject: str, text: str) -> bool:
    """Returns True when `text` names the subject: at least half its terms, its initials ("Syrian
    Democratic Forces": "SDF"), or, for an acronym, words with its initials ("UN": "United Nations").
    True when there is no subject."""
    words = [t for t in terms(subject) if t not in _DATE_WORDS]
    if not words:
        return True
    have = set(terms(text))
    if 2 * sum(t in have for t in words) >= len(words):
        return True
    names = [w for w in subject.split() if re.fullmatch(_NAME_WORD, w)]
    if len(names) >= 2 and (initials := terms("".join(w[0] for w in names))) and initials[0] in have:
        return True
    return subject.isupper() and 2 <= len(subject) <= 5 and bool(_initials_pattern(subject).search(text))


def _initials_pattern(acronym: str) -> re.Pattern[str]:
    """Returns a pattern for words with the acronym's initials: "UN" finds "United Nations"."""
    return re.compile(r"\b" + r"\w*\s+(?:of\s+|the\s+|for\s+|and\s+)*".join(acronym) + r"\w*")


_NAME_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:of\s+|for\s+|the\s+|and\s+)*[A-Z][\w’'-]*)+")


def abbreviate(corpus: Corpus, question: str) -> str:
    """Returns the question with each name of three or more capitalised words that the articles
    know only by its initials written as those initials ("Operation Inherent Resolve" -> "OIR").
    Shorter names are left alone: two initials too often spell some other word."""

    def short(m: re.Match[str]) -> str:
        words = [w for w in m.group(0).split() if re.fullmatch(_NAME_WORD, w)]
        initials = "".join(w[0] for w in words)
        known = all(t in corpus.keyword.vocab for t in terms(m.group(0)))
        abbreviation = terms(initials)
        return initials if len(words) >= 3 and not known and abbreviation and abbreviation[0] in corpus.keyword.vocab else m.group(0)

    return _NAME_RUN.sub(short, question)


# what news reports say in one word, asked in several: "forced from their homes" is "displaced"
_PARAPHRASES = (
    (
        re.compile(
            r"\b(?:(?:forced|driven|chased|pushed|uprooted)\s+(?:out\s+)?(?:from|of)\s+(?:their|his|her|its)\s+homes?|made\s+homeless)\b",
            re.IGNORECASE,
        ),
        "displaced",
    ),
)


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


def question_names(question: str) -> list[str]:
    """Returns the capitalised words of the question past its first ("Scrocca", "UN", "Col.")."""
    return re.findall(r"(?<=\s)[A-Z][\w’'.-]*\w", question)
