"""Picking the value of the asked kind (a number, a date, a name) that a passage gives for the question,
and how well its own clause fits the question.
"""

from __future__ import annotations

import re

from index.keyword import terms
from qa.names import (
    ASKS_SAID,
    DEMONYM,
    SAID,
    SPEECH,
    after_role,
    asked_about,
    body_phrases,
    person_like,
    place_like,
    question_names,
    role_terms,
)
from qa.passages import PLACE_PREPOSITIONS
from qa.values import PLACE_KINDS, Value, values_of
from qa.verbs import AUX, HOW_MANY, asked_acts, is_agent
from qa.words import DETERMINERS, QUANTIFIERS, alternation

_HOW_MUCH_OF = re.compile(r"\bhow much\s+of\b", re.IGNORECASE)


_HOW_MUCH = re.compile(r"\bhow much\b(?!\s+of\b)", re.IGNORECASE)


HOW_LONG = re.compile(r"\bhow long\b", re.IGNORECASE)


# a running time as a clock shows it: "02:27 - Source: CNN" under a video's caption; not the time of day
# a byline gives after its date ("29 June, 2017, 09:06")
_CLOCK = re.compile(r"(?<![\d:])(?<!\d{4}, )(?<!\d{4} )\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")


# a span said in its unit alone: "could last weeks, possibly months", "took years"
_SPAN_UNIT = r"(?:(?:several|many|some|a\s+few)\s+)?(?:hours|days|weeks|months|years|decades)"
_UNCOUNTED_SPAN = re.compile(
    rf"\b(?:last(?:s|ed|ing)?|take[sn]?|took|taking|for|within)\s+(?P<span>{_SPAN_UNIT}(?:,?\s+(?:possibly|perhaps|maybe|or|if\s+not)\s+(?:even\s+)?{_SPAN_UNIT})?)\b",
    re.IGNORECASE,
)


def clock_values(text: str) -> list[Value]:
    """Returns the running times in `text`, keyed without a leading zero ("02:27" -> "2:27", "00:45" -> "0:45")."""
    return [Value("number", m.group(0), m.start(), m.end(), re.sub(r"^0(?=\d)", "", m.group(0))) for m in _CLOCK.finditer(text)]


# "how much water / ground": a mass is measured in a unit, not counted by its own noun
_MEASURED = re.compile(
    r"[\s(]*(?:sq(?:uare)?\.?\s+|cubic\s+)?(?:km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|lit(?:er|re)s?|gallons?|barrels?|"
    r"tons?|tonnes?|kg|kilograms?|pounds|acres?|hectares?)\b",
    re.IGNORECASE,
)


_CLAUSE_BREAK = re.compile(r"[;:—–]|\.\s")


_WINDOWS = {"number": (30, 60), "date": (60, 40), "name": (50, 50)}  # chars at which a term counts half


_ASKS_WHERE = re.compile(r"^\s*where\b", re.IGNORECASE)
# a name says where when a preposition of place governs it: "in western Mosul", "near the city of Raqqa"
# (the words between may only be articles, parts of a name or words of direction: "to take Mosul" says no place)
_PLACED = re.compile(
    rf"\b(?i:{PLACE_PREPOSITIONS}|from)\s+"
    rf"(?:(?:(?i:{alternation(DETERMINERS | QUANTIFIERS)})|"
    r"(?i:city|town|village|province|district|region|of|old|central)|(?i:north|south|east|west)(?:ern)?|"
    r"[A-Z][\w’'-]*)\s+){0,4}$"
)
_PLACED_CHARS = 60
_IN_WHICH = re.compile(r"^\s*(?:in|at|near|inside|within)\s+(?:which|what)\b", re.IGNORECASE)
_KIND_CHARS = 30  # "some surrounding towns, including Qaraqosh": the kind said just before the name


def _dateline(text: str, v: Value) -> bool:
    """Returns True for the place a report was filed from: the first name of its dateline ("Irbil, Iraq CNN —")."""
    return not text[: v.start].strip() and text[v.end : v.end + 1] == ","


_WHICH = re.compile(r"\b(?:which|what)\s+((?:[\w’'-]+\s+){0,2}[\w’'-]+)", re.IGNORECASE)


# the kinds of place a name can say it is: "the Tigris River", "the Old City"
_PLACE_KINDS = frozenset(terms(" ".join([*PLACE_KINDS, "province", "street"])))
_WHICH_PLACE = re.compile(r"\b(?:which|what)((?:\s+[\w’'-]+){1,3})", re.IGNORECASE)


_OF_NAME = re.compile(r"\bof\s+(?:the\s+)?([A-Z][\w’'-]*)")  # the whole a share is of: "of Iraq", "of Iraq's land"


_SHARE = re.compile(r"\b(share|percentage|proportion|percent|fraction)\b", re.IGNORECASE)


_PART_OF = re.compile(r"\s(?:out\s+)?of\s", re.IGNORECASE)


# "how much did it cost" is answered by a sum of money, never by a count ("862,000 people")
_ASKS_MONEY = re.compile(r"(?<!human )\b(costs?|costing|price[sd]?|spen[dt]|spending|budget|paid|pay|worth|fund(?:s|ed|ing)?|expensive)\b", re.IGNORECASE)


_MONEY = re.compile(r"[$€£]|\b(?:dollars?|euros?|pounds?|dinars?|usd|eur|gbp)\b", re.IGNORECASE)


# Nouns that count the same kind of person: "How many residents" is answered by "862,000 people".
_COUNTED_GROUPS = tuple(
    frozenset(terms(words))
    for words in (
        "people persons residents civilians inhabitants citizens locals",
        "fighters militants jihadists jihadis extremists insurgents combatants",
        "soldiers troops servicemen",
        "children kids pupils students schoolchildren",
        "strikes airstrikes raids sorties bombings",
        "munitions ordnance shells missiles rockets rounds",  # not "bombs": car bombs are no munitions
    )
)


# a place said by its noun or its adjective: "east" and "eastern", "Iraq" and "Iraqi"
SAME_PLACE = tuple(
    frozenset(terms(words))
    for words in (
        "east eastern", "west western", "north northern", "south southern", "Iraq Iraqi", "Syria Syrian", "Kurd Kurdish",
        "Iran Iranian", "Turkey Turkish", "America American",
    )
)


_PEOPLE = terms("people")[0]


_DEMONYM_PLURAL = re.compile(r"^[A-Z][a-z]+(?:is|ans|ese|ites)$")  # "191,000 Moslawis", "Iraqis", "Syrians"


def counted_terms(question: str) -> set[str]:
    """Returns the terms of what a "how many" question counts ("How many Iraqi soldiers died" -> iraqi, soldier),
    with the nouns that count the same kind of person ("residents" -> people, civilians, ...)."""
    m = HOW_MANY.search(question)
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
        if t and t[0] in AUX:
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
    if kind == "number" and HOW_LONG.search(question) and (clocks := clock_values(text)):
        # "how long is the video": its running time, not the numbers either side of the colon
        vals = [v for v in vals if not any(c.start <= v.start < c.end for c in clocks)] + clocks
    if kind == "number" and HOW_LONG.search(question):
        # "how long might the battle take": "could last weeks, possibly months" is a span without a number
        vals += [
            Value("number", m.group("span"), m.start("span"), m.end("span"), m.group("span").lower())
            for m in _UNCOUNTED_SPAN.finditer(text)
            if not any(v.start < m.end() and m.start() < v.end for v in vals)
        ]
    asked = set(terms(question))
    weights = weights or {t: 1.0 for t in asked}
    total = sum(weights.values()) or 1.0
    if kind in ("person", "place"):
        named = set(terms(" ".join(question_names(question))))  # names the question itself uses
        vals = [v for v in vals if not set(terms(v.text)) <= asked]
        if kind == "person":
            # "who, according to Scrocca, ..." is not Scrocca; "Iraq's prime minister" may be "Iraq Prime Minister Haider al-Abadi"
            vals = [v for v in vals if not set(terms(after_role(v.text))) & named]
            acts = asked_acts(question)
            vals = [v for v in vals if (not DEMONYM.match(v.text) and person_like(v, text)) or is_agent(v, text, acts)]
            # a body named in lower case that speaks: "The Iraqi military reported that ..."
            vals += [b for b in body_phrases(text) if SPEECH.match(text, b.end) and not asked_about(b, asked)]
        else:
            vals = [v for v in vals if not DEMONYM.match(v.text) and place_like(v)]
            asked_kind = _PLACE_KINDS & set(terms(" ".join(_WHICH_PLACE.findall(question))))  # "which town" -> town
            if asked_kind:
                # "which country's special forces": the "Old City" is a place of another kind
                vals = [v for v in vals if not (kinds := _PLACE_KINDS & set(terms(v.text.split()[-1]))) or kinds & asked_kind]
            if not _ASKS_SAYING.search(question):
                # "... Dillon wrote on Twitter": where it was said, not where anything asked happened
                vals = [v for v in vals if not _SAID_ON.search(text, max(0, v.start - _SAID_WINDOW), v.start)]
            if asked_kind and _IN_WHICH.match(question):
                # "in which town did Christians hold a mass": a name where it happened ("in Qaraqosh"), or said to be
                # of that kind ("towns, including Qaraqosh"); not "since Mosul was first captured"
                vals = [
                    v for v in vals
                    if _PLACED.search(text, max(0, v.start - _PLACED_CHARS), v.start)
                    or asked_kind & set(terms(text[max(0, v.start - _KIND_CHARS) : v.start] + " " + v.text.split()[-1]))
                ]
            if _ASKS_WHERE.match(question):
                # "where have militants reinforced positions": "hoped to take Mosul" names a place, but not where
                vals = [v for v in vals if _PLACED.search(text, max(0, v.start - _PLACED_CHARS), v.start) or _dateline(text, v)]
    if kind == "date":
        vals = [v for v in vals if _date_fits(v.key, question)]
        # "hoped to take Mosul by the end of 2016": a deadline, not when anything happened; and "by when"
        # asks for a deadline, not when something happened ("launched ... on Monday")
        if _BY_WHEN.search(question):
            vals = [v for v in vals if _UNTIL_DATE.search(text, 0, v.start)]
        else:
            vals = [v for v in vals if not _BY_DATE.search(text, 0, v.start)]
        if not _ASKS_SAYING.search(question):
            # "... marks the end of the Daesh state," Abadi said in a statement on June 29: when it was said
            vals = [v for v in vals if not _SAID_ON.search(text, max(0, v.start - _SAID_WINDOW), v.start)]
    if kind == "number" and _SHARE.search(question):
        # a share is a percentage or a part of a whole: "four of nine water treatment plants", "320 out of 400"
        vals = [v for v in vals if v.key.endswith("%") or _PART_OF.search(v.text)]
        if (whole := _OF_NAME.search(question)) and not set(terms(whole.group(1))) & set(terms(text)):
            vals = []  # "what percentage of Syria": "40 percent of Iraq ..., only 10 percent" are shares of another whole
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
                # "191,000 Moslawis" counts people, and Moslawis when the question asks for them by that name
                after = [(w, _counted_term(w, t), t) for s, _, w, t in words if s >= v.end][:2]
                if any(t in counted or own in counted for _, t, own in after) or (
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
    # "when did Iraqi troops take the eastern half": "Iraq captured east Mosul" says the place in its noun
    alias |= {m: t for t in weights for g in SAME_PLACE if t in g for m in g if m not in weights}

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
                if t in roles or (kind in ("person", "place") and t in head):
                    # the role asked for, in the name's title: "Prime Minister Haider al Abadi"; the kind of
                    # place asked for, in its name: "which river" -> "the Tigris River"
                    got[t] = 1.0
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


YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


_PART_BEFORE = r"\s+(?:the\s+(?:end|middle|start|beginning)\s+of\s+)?$"  # "by the end of ...", "until ..."


_BY_DATE = re.compile(rf"\b(?:by|until|till){_PART_BEFORE}", re.IGNORECASE)


# "by when", "until when": the end of a span also answers ("from 2013 through the beginning of 2015")
_UNTIL_DATE = re.compile(rf"\b(?:by|until|till|through|up\s+to){_PART_BEFORE}", re.IGNORECASE)


_BY_WHEN = re.compile(r"\b(?:by when|by what|by which|until when|deadline)\b", re.IGNORECASE)


# a date that follows the verb of saying in its clause dates the saying, not what was said
_SAID_ON = re.compile(rf"\b(?:{SAID})\b(?:[^\S\n]+(?!and\b|but\b|that\b)[\w’'.-]+){{0,7}}?[^\S\n]+$")


_SAID_WINDOW = 80


# "when did the Pentagon give its figure": a figure given is a figure said
_ASKS_SAYING = re.compile(
    rf"\b(?:{ASKS_SAID})\b|\b(?:give|gave|given|release[ds]?|publish(?:ed)?|issue[ds]?)\s+(?:its|their|his|her|the)\s+"
    r"(?:figures?|count|tally|estimates?|toll|numbers?)\b",
    re.IGNORECASE,
)


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
    years = set(YEAR.findall(question))
    if years and year not in (None, "?") and year not in years:
        return False
    if _ASKS_MONTH.search(question) and month in (None, "?"):
        return False
    return not (_ASKS_YEAR.search(question) and year in (None, "?"))


_CONTEXT_CHARS = 120  # what a value is said of lies within this many characters of it, in its clause


def value_clause(text: str, value: Value, breaker: re.Pattern[str] = _CLAUSE_BREAK) -> tuple[int, int]:
    """Returns the bounds of the value's clause, at most `_CONTEXT_CHARS` each side of it."""
    breaks = [m.start() for m in breaker.finditer(text)]
    lo = max([b + 1 for b in breaks if b < value.start] + [value.start - _CONTEXT_CHARS, 0])
    hi = min([b for b in breaks if b >= value.end] + [value.end + _CONTEXT_CHARS])
    return lo, hi


# a value said to be foreseen ("would be uprooted", "expected to flee") is not a count of what happened
FORESEEN = re.compile(
    r"\b(?:would|will|could|might|predict(?:s|ed)?|forecasts?|projected|expect(?:s|ed)?|likely to|set to)\b", re.IGNORECASE
)


# the clause a forecast governs ends at a comma: "launched what it expects to be the final assault
# on the city of Mosul, ..., on Monday" says when it was launched, not when it is expected
_PHRASE_BREAK = re.compile(r"[;:—–]|\.\s|,\s")


def foreseen(text: str, value: Value) -> bool:
    """Returns True when the value is foreseen in its clause ("one million people would be uprooted"),
    not reported as having happened ("862,000 people have been displaced")."""
    lo, hi = value_clause(text, value, _PHRASE_BREAK)
    return bool(FORESEEN.search(text[lo:hi]))
