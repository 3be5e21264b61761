"""The act a question asks about, and whether a passage does it: "who launched", "when did X fall",
"how many surrendered"; verb forms and the verbs that name the same act.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from index.keyword import terms
from qa.names import DEMONYM
from qa.soft import SoftMatcher
from qa.values import DATE_ASK, Value
from qa.words import AUXILIARIES, DETERMINERS, PREPOSITIONS, SUBORDINATORS, alternation

_WHO = re.compile(r"^\s*who\s+(?P<rest>.*)", re.IGNORECASE | re.DOTALL)


_AGENT_BREAK = re.compile(r"[,;:.()\[\]“”\"—–]")


_GOVERNED = re.compile(rf"\b(?:{alternation(PREPOSITIONS)})\s+(?:the\s+)?(?:[\w’'-]+-(?:led|backed)\s+)?$", re.IGNORECASE)


_RELATIVE = re.compile(r",?\s+(?:which|who)\s+", re.IGNORECASE)
_AGENT_GAP = 6  # words that may stand between a doer's name and its verb: "the SDF has been slowly advancing"


def asked_acts(question: str) -> set[str]:
    """Returns the act a "who did X" question asks the doer of: its main verb's act ("Who launched the
    offensive?" -> launch). Empty when the question is no such who-question ("Who did the police
    support?" asks for whom something was done)."""
    return {act_of(t) for t, _ in asked_verbs(question)}


def asked_verbs(question: str) -> list[tuple[str, str]]:
    """Returns the main verb of a "who did X" question as a (term, lower-cased word) pair ("Who designed
    the minaret?" -> design, designed); empty when it is no such who-question."""
    m = _WHO.match(question)
    if not m:
        return []
    for word in re.findall(r"[A-Za-z’'-]+", m.group("rest")):
        w = word.lower()
        t = terms(w)
        if not t or t[0] in AUX:
            continue  # "has been", "did"
        return [(t[0], w)] if _verb_like(w) else []  # the first word that is no auxiliary is the verb, or there is none
    return []


def is_agent(v: Value, text: str, acts: set[str], first_word: bool = False) -> bool:
    """Returns True when the name does the act asked about in `text`: the act's verb follows it in the
    same clause ("The Iraqi Air Force and international coalition aircraft provided air support"). A
    force or an office is then an answer to "who", which `person_like` would refuse; a people alone
    ("Iraqi") is not. A sentence's capitalised first word is read as a name only with `first_word`
    ("Iraq captured east Mosul", when who did it is checked, not sought)."""
    one_word = len(v.text.split()) == 1
    if not acts or (one_word and DEMONYM.match(v.text)):
        return False
    if one_word and not first_word and not v.text.isupper() and not text[: v.start].strip(" “\"'"):
        return False  # a sentence's capitalised first word need be no name: "Fishing boats left the harbour"
    after = text[v.end :]
    if _UNDER.search(text, 0, v.start) and _HELD_BY.match(after):
        # "a neighborhood that had been under ISIS control for nearly three years": ISIS held it
        return bool(HOLDING & acts)
    if passive := _PASSIVE_BY.search(text, 0, v.start):
        # "Assisted by airstrikes from the US-led coalition, the SDF ...": the coalition assisted; in "led by
        # the Iraqi Army's 9th Armored Division" the division led, not the army that has it
        possessive = re.match(r"[’']s?\b", after) or v.text.endswith(("’s", "'s"))
        return not possessive and any(act_of(t) in acts for t in terms(passive.group(1))[:1])
    if intent := _INTENT.match(after):
        # "ISIS’ attempts to deter its enemies": ISIS attempted, and would deter
        return any(act_of(t) in acts for w in intent.groups() for t in terms(w)[:1])
    if relative := _RELATIVE.match(after):
        # "to retake Mosul from ISIS, which had seized the city": the name does what its relative clause says
        after = after[relative.end() :]
    elif _ALONG_WITH.search(text, 0, v.start) and after.startswith(","):
        after = after[1:]  # "..., along with Kurdish Peshmerga allies, have been converging": they converge too
    elif _GOVERNED.search(text, 0, v.start) and not _MADE_OF.search(text, 0, v.start):
        return False  # "the coalition against ISIS is providing air support": ISIS is not the one providing
    if aside := _ALONG.match(after):
        after = after[aside.end() :]  # "Iraqi forces, along with Kurdish Peshmerga allies, have been converging"
    clause = _AGENT_BREAK.split(after, maxsplit=1)[0]
    return any(act_of(t) in acts for w in clause.split()[:_AGENT_GAP] for t in terms(w)[:1])


# the doer of a passive: "backed by the US-led coalition", "Assisted by airstrikes from the coalition", "led by Iraqi forces"
_PASSIVE_BY = re.compile(r"\b([A-Za-z][a-z]{2,}ed|led|held|fought|won|taken|given|driven|brought|sent|kept|built|caught|shot|beaten)\s+by\s+(?:[\w’'-]+\s+){0,3}?(?:(?:from|of)\s+)?(?:the\s+)?(?:[\w.]+-(?:led|backed)\s+)?$")


# the holder of a place under its control: "under ISIS control", "under the group's rule"
_UNDER = re.compile(r"\bunder\s+(?:the\s+)?$", re.IGNORECASE)
_HELD_BY = re.compile(r"^(?:[’']s?)?\s+(?:control|rule|occupation)\b", re.IGNORECASE)


# a possessive's attempt: "ISIS’ attempts to deter", "the coalition's efforts to retake"
_INTENT = re.compile(r"^(?:[’']s?)?\s+(attempts?|efforts?|bids?|plans?|drive|push|campaign|decision|refusal|threats?)\s+to\s+([a-z]+)")


# a body made of the named one: "an army of Shiite militias is preparing": the militias prepare
_MADE_OF = re.compile(r"\b(?:army|band|group|alliance|force|coalition|mix|thousands|hundreds|dozens)\s+of\s+$", re.IGNORECASE)


# a doer's companions between it and its verb
_COMPANIONS = "along with|together with|alongside|joined by"
_ALONG = re.compile(rf"^,\s+(?:{_COMPANIONS}|backed by|supported by|aided by)\b[^,;:.]*,")
_ALONG_WITH = re.compile(rf"\b(?:{_COMPANIONS})\s+(?:the\s+)?$")


# what is attempted or readied is an act of the sentence too: "attempts to deter", "getting ready to seize"
_INTENT_VERB = re.compile(
    r"\b(?:attempts?|attempted|efforts?|bids?|tr(?:y|ied|ies|ying)|sought|seeks?|managed|failed|ready|prepar(?:es?|ed|ing)|plan(?:s|ned|ning))\s+to\s+([a-z]+)"
)


def _verb_words(text: str) -> list[tuple[str, str]]:
    """Returns each word of `text` that reads as a verb, with the word before it."""
    # a sentence's first word is read in lower case: "Assisted by airstrikes from the coalition, ..."
    text = re.sub(r"^\W*[A-Z]", lambda m: m.group(0).lower(), text)
    tokens = re.findall(r"\b[A-Za-z]+", text)
    pairs = [(w, tokens[i - 1] if i else "") for i, w in enumerate(tokens)]
    # a noun made from a verb after its article does no act: "the clearing of the quay"
    return [(w, before) for w, before in pairs if w.islower() and _verb_like(w) and not _verbal_noun(w, before)]


def acts_of(text: str) -> set[str]:
    """Returns the acts of the words of `text` that read as verbs, and of what it says is attempted ("attempts to deter")."""
    words = [w for w, _ in _verb_words(text)] + _INTENT_VERB.findall(text)
    return {act_of(t) for w in words for t in terms(w)[:1]}


def done_acts(text: str) -> set[str]:
    """Returns the acts `text` says were done: not those only aimed at ("launched a major offensive to retake
    the city" says it started, not that it took the city)."""
    return {act_of(t) for w, before in _verb_words(text) if before.lower() != "to" for t in terms(w)[:1]}


AUX = frozenset(terms(" ".join(sorted(AUXILIARIES))))


HOW_MANY = re.compile(r"\bhow (?:many|much)\s+(.*)", re.IGNORECASE)


_TIME_UNIT = re.compile(r"(?:seconds|minutes|hours|days|weeks|months|years|decades|centuries)\b", re.IGNORECASE)


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


_DID_SUBJECT_VERB = re.compile(r"^(?:[\w’'-]+\s+){1,4}?(?:did|do|does|will|would|could|can|should|might)\s+(?P<rest>.+)", re.IGNORECASE | re.DOTALL)
_PARTICLES = frozenset(["out", "up", "off", "down", "back", "away"])
_LIGHT_VERBS = frozenset(["go", "come", "make", "put", "do"])


def counted_verbs(question: str) -> list[tuple[str, str]]:
    """Returns what a "how many" question says its counted things did, as (term, word) pairs: "surrendered"
    in "How many ISIS fighters surrendered to Iraqi forces?". Looks no further than the main clause; empty
    when the question names no such verb ("How many civilians are still in the battlefield?")."""
    m = HOW_MANY.search(question)
    if not m or _TIME_UNIT.match(m.group(1)):
        return []  # a span of time is told by "into", "ago", "after", not by the verb: "eight months into the battle"
    verbs = _clause_verbs(m.group(1), lambda word: not word[0].isupper() and _past_or_listed(word.lower()))
    done = _DID_SUBJECT_VERB.match(m.group(1))
    if done and (words := re.findall(r"[A-Za-z’'-]+", done.group("rest").split(",")[0].split("?")[0])):
        # "how many tunnels did coalition aircraft find in the Old City": the base form after the doer, before
        # what the act is done in, to or with
        head = list(itertools.takewhile(lambda w: w.lower() not in PREPOSITIONS and w.lower() not in SUBORDINATORS, words))
        after = words[len(head)].lower() if len(head) < len(words) else ""
        # a phrasal verb ("knock out", "carry out") or one that governs another ("expect to be driven out") says
        # its act in other words than the article's: no check
        phrasal = after in ("to", *_PARTICLES) or (bool(head) and head[-1].lower() in _PARTICLES)
        # a light verb says its act with the words after it: "how many strikes did the munitions go into"
        light = bool(head) and head[-1].lower() in _LIGHT_VERBS
        if not phrasal and not light and len(head) >= 2 and head[-1].islower() and (t := terms(head[-1])) and all(t[0] != v for v, _ in verbs):
            verbs.append((t[0], head[-1]))
    return verbs


def _past_or_listed(word: str) -> bool:
    """Returns True for a lower-case past form ("surrendered") or a listed verb."""
    return (word.endswith("ed") and len(word) > 4) or word in _VERBS


def _clause_verbs(text: str, is_verb: Callable[[str], bool]) -> list[tuple[str, str]]:
    """Returns the (term, lower-cased word) of each verb in `text` up to its first subordinate clause; not a
    phrasal verb's ("take out" is said "destroyed" in articles, not "took"): its act is left unchecked; nor
    a participle after an article ("how many of the displaced have returned", "the destroyed church"),
    which names people or things, not what they did."""
    out = []
    words = re.findall(r"[A-Za-z’'-]+", text)
    for i, word in enumerate(words):
        before, after = words[i - 1] if i else "", words[i + 1] if i + 1 < len(words) else ""
        w = word.lower()
        if w in SUBORDINATORS:
            break
        if is_verb(word) and after.lower() not in _PARTICLES and before.lower() not in DETERMINERS and (t := terms(w)):
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
            "retake retook retaken", "burn burnt",
        )
    )
    for form in (base, *forms)
}


def _base(term: str) -> str:
    return _IRREGULAR.get(term, term)


# verbs that name the same act: "when did Iraq take east Mosul" is answered by "Iraq captured east
# Mosul", "when did the Old City fall" by "forces captured the Old City"; only the sentence's own
# words count, as a neighbour's "recaptured" may be another act
_SAME_ACT = {
    terms(word)[0]: line.split()[0]
    for line in (
        "take capture seize recapture retake liberate fall",
        "hold control occupy",
        "start begin launch initiate",
        "lead head command spearhead",
        "blame accuse",
        "displace uproot",
        "destroy demolish wreck raze flatten",
        "encircle surround besiege",
        "recruit enlist",
        "announce declare proclaim",
        "flee escape",
        "defend guard protect",
        "burn torch",
        "help assist aid",
    )
    for word in line.split()
}


def act_of(term: str) -> str:
    """Returns the act a verb term names: the first verb of the `_SAME_ACT` line of its base form ("take" for
    "captured" and "retook"), else its base form. A regular form's stem is its base's."""
    base = _base(term)
    return _SAME_ACT.get(base, base)


# verbs of holding an office: a title answers them ("the Nineveh operation commander"), no verb need
OFFICE = frozenset(act_of(t) for t in terms("run lead head command direct chair oversee manage govern represent"))


# verbs of holding a place: what the one under whose control it is does ("under ISIS control")
HOLDING = frozenset(act_of(t) for t in terms("hold control rule occupy"))


def verb_terms(text: str) -> set[str]:
    """Returns the terms of the words of `text` that may be verbs: all but nouns made from verbs ("781
    buildings" builds nothing, "the beginning of the process" begins nothing)."""
    words = re.findall(r"[\w’'-]+", text)
    return {t for i, w in enumerate(words) if not _verbal_noun(w, words[i - 1] if i else "") for t in terms(w)[:1]}


def _verbal_noun(word: str, before: str = "") -> bool:
    """Returns True for a noun made from a verb: a plural ("buildings"), or an -ing form after an article
    or a possessive (`before`: the word before it; "the beginning")."""
    w = word.lower()
    return w.endswith("ings") or (w.endswith("ing") and before.lower() in DETERMINERS)


def does_verb(text: str, near: set[str], verbs: list[tuple[str, str]], soft: SoftMatcher | None, verb_fit: float) -> bool:
    """Returns True when the sentence or its neighbours (`near`: their terms) hold one of the verbs, the
    sentence itself a verb for the same act ("captured" for "take"), or the sentence a word at least
    `verb_fit` similar to one."""
    if {_base(t) for t, _ in verbs} & {_base(t) for t in near}:
        return True
    if {act_of(t) for t, _ in verbs} & {act_of(t) for t in verb_terms(text)}:
        return True
    if soft is None:
        return False
    # a verb is compared with the sentence's verbs only: "destroyed" is nearer "back" than "reopened"
    said = " ".join(w for w in re.findall(r"[a-z]+", text.lower()) if _verb_like(w))
    return max(soft.best([w for _, w in verbs], said)) >= verb_fit


def _verb_like(word: str) -> bool:
    """Returns True for a lower-case word that reads as a verb: a past or -ing form, or a listed verb; not a
    plural noun made from a verb ("buildings")."""
    if _verbal_noun(word):
        return False
    if _past_or_listed(word) or (len(word) > 4 and word.endswith("ing")):
        return True
    t = terms(word)
    return bool(t) and t[0] in _IRREGULAR


# the nouns of what undergoes an act, not of who does it: "the Old City offensive", "the Old City"
_EVENT_WORDS = frozenset(terms("offensive operation battle assault campaign siege city town district neighborhood neighbourhood"))


_NAMED_DOER = re.compile(r"(?:the\s+)?(?:[A-Z][\w’'.-]*\s+)+(?:[a-z][\w’'-]*\s+)?")  # "ISIS", "the Dorn rebels"


def asked_doer(question: str, verbs: list[tuple[str, str]]) -> set[str]:
    """Returns the terms of who a "when did X do it" question says did it ("ISIS" in "When did ISIS capture
    Mosul?", "Iraqi forces"): the words between the auxiliary and the asked verb, when they are a name or a
    named force, not an event or a place ("When did the Old City offensive start?", "When did the Old City
    fall?" name what underwent it)."""
    for _, word in verbs:
        m = re.search(rf"\b(?:did|does|do|had|has|have)\s+(?P<doer>(?:[\w’'.-]+\s+){{1,4}}?){re.escape(word)}\b", question)
        doer = m.group("doer") if m else ""
        if _NAMED_DOER.fullmatch(doer) and not _EVENT_WORDS & set(terms(doer)):
            return set(terms(doer))
    return set()
