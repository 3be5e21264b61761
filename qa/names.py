"""What a name in a passage is: a person, a body (a force, an office), a place or a people; who says
something; and what a question is about (its subject, and names no article knows).
"""

from __future__ import annotations

import re

from index.keyword import terms
from qa.retrieve import Corpus
from qa.values import MONTHS, NUMBER_WORDS, ROLES, STOPWORDS, WEEKDAYS, Value
from qa.words import SUBORDINATORS

_ORG_WORDS = (
    "Nations|Forces|Command|Coalition|State|Army|Observatory|Police|Division|Council|News|TV|Agency|"
    "Ministry|Government|Force|Department|Office|Rights|Reuters|CNN|Pentagon|ISIS|Daesh|Islamic"
)


_ORG = re.compile(rf"\b({_ORG_WORDS})\b")


# organisations, places and things are not people
_NOT_PERSON = re.compile(
    rf"\b({_ORG_WORDS}|Mosque|City|Hospital|Unit|Caliphate|Iraq|Syria|Mosul|Raqqa|Church|River|Democratic|Independent)\b"
)


# One vocabulary of saying: the verbs that attribute words in a passage ("..., Scrocca said"), and the
# words by which a question asks about a saying ("who called it", "when did he say"; not "state": the
# Islamic State says nothing)
SAID = "said|says|wrote|writes|told|tells|added|stated|noted|warned|explained|reported|reports|announced|announces|declared|tweeted"


ASKS_SAID = (
    r"say|says|said|tell|told|wr[io]te|writes?|stated|statements?|note[ds]?|add(?:s|ed)?|warn\w*|explain\w*|report\w*|"
    r"announc\w*|declar\w*|tweet\w*|claim\w*|describ\w*|call(?:s|ed)?|speak|spoke|insist\w*|stress\w*|characteri[sz]\w*|put it"
)


SPEECH = re.compile(rf"\s+(?:{SAID})\b")


def person_like(v: Value, text: str = "") -> bool:
    """Returns True for a name that can be a person's: two words or more, or a title, not an acronym;
    or one word that speaks in `text` ("...,” Dillon wrote")."""
    name = after_role(v.text)
    if _NOT_PERSON.search(name):
        # an organisation that speaks answers who said or reported it: "ABC News reported that ..."
        return bool(SPEECH.match(text, v.end)) and not DEMONYM.match(name)
    words = [w for w in name.split() if not w.isupper()]
    if any(re.search(r"-(backed|led|based|held|run)$", w) or DEMONYM.match(w) for w in words):
        return False  # "US-backed Iraqi" describes, it does not name
    if any(w.lower() in NUMBER_WORDS for w in words):
        return False
    return len(words) >= 2 or (len(words) == 1 and bool(SPEECH.match(text, v.end)))


def body_like(v: Value) -> bool:
    """Returns True for a name that is a body's, not a person's: a force, an office, an acronym
    ("Air Force", "Pentagon", "ISIS")."""
    return bool(_NOT_PERSON.search(after_role(v.text))) or v.text.isupper()


# a body named in lower case with what qualifies it: "Iraqi forces", "Shiite militias", "the US-led coalition"
_BODY_NOUNS = "forces|troops|militias|militia|coalition|military|army|police|government|allies|soldiers"
_BODY_PHRASE = re.compile(rf"(?<![\w’'.-])(?:(?!(?:The|A|An|Its|Their|This|That|These|Those)\s)(?:[A-Z][\w’'.-]*|[\w.]+-(?:led|backed))\s+){{1,3}}(?:{_BODY_NOUNS})\b")


# nouns that name the same kind of body: a question about "Iraqi troops" asks about "Iraqi forces"
_SAME_BODY = frozenset(terms("forces troops soldiers army military"))


_OPENERS = SUBORDINATORS | {"meanwhile", "however"}  # a sentence's first word that is no qualifier: "While Iraqi forces ..."


def body_phrases(text: str) -> list[Value]:
    """Returns the bodies `text` names in lower case with a qualifier ("Iraqi forces", "US-led coalition"),
    which `names` does not read as names."""
    out = []
    for m in _BODY_PHRASE.finditer(text):
        words = list(re.finditer(r"\S+", m.group(0)))
        # "While Iraqi forces": a sentence's opening word qualifies nothing
        first = next(w for w in words if w.group(0).lower() not in STOPWORDS and w.group(0).lower() not in _OPENERS)
        if first is not words[-1]:
            start = m.start() + first.start()
            out.append(Value("name", text[start : m.end()], start, m.end(), text[start : m.end()].lower()))
    return out


def asked_about(v: Value, asked: set[str]) -> bool:
    """Returns True when the question (`asked`: its terms) names the body itself: "Iraqi forces" when it asks
    about "Iraqi troops"."""
    if asked & _SAME_BODY:
        asked = asked | _SAME_BODY
    return set(terms(v.text)) <= asked


def after_role(name: str) -> str:
    """Returns the part of a name after its last role word: "Iraq Prime Minister Haider al-Abadi" names
    "Haider al-Abadi" (the country is not part of the person), or the whole name when no role word is in it."""
    roles = list(_ROLES.finditer(name))
    tail = name[roles[-1].end() :].strip() if roles else ""
    return tail if tail[:1].isupper() else name


def place_like(v: Value) -> bool:
    """Returns True for a name that can be a place's: not an organisation's."""
    return not _ORG.search(v.text)


# a people, not a person or a place: "Iraqi", "Syrians"
DEMONYM = re.compile(r"^(\w+(ish|ian|ese)|Iraqi|Israeli|Saudi|Kuwaiti|Yemeni|Pakistani|Omani|Qatari|Emirati|Bangladeshi|Somali)s?\b")


_ROLES = re.compile(rf"\b({ROLES})\b", re.IGNORECASE)


def role_terms(question: str) -> set[str]:
    """Returns the terms of the roles a who-question names ("Which US general ..." -> general)."""
    return {t for m in _ROLES.finditer(question) for t in terms(m.group(1))}


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


NAME_WORD = r"(?:(?:al|el)-)?[A-Z][\w’'.-]*\w"  # "Nuri", "al-Nuri"


_SUBJECT_RUN = re.compile(rf"(?<=\s){NAME_WORD}\.?(?:\s+(?:of\s+|the\s+|for\s+)*{NAME_WORD}\.?)*")  # "Col. Ryan Dillon"


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
    owner, _, owned = subject.rpartition("'s ") if "'s " in subject else subject.rpartition("’s ")
    if owner and not set(terms(owned)) <= have:
        return False  # "Mosul's Old City": "the city of Mosul" is not it
    if 2 * sum(t in have for t in words) >= len(words):
        return True
    names = [w for w in subject.split() if re.fullmatch(NAME_WORD, w)]
    if len(names) >= 2 and (initials := terms("".join(w[0] for w in names))) and initials[0] in have:
        return True
    return subject.isupper() and 2 <= len(subject) <= 5 and bool(_initials_pattern(subject).search(text))


def _initials_pattern(acronym: str) -> re.Pattern[str]:
    """Returns a pattern for words with the acronym's initials: "UN" finds "United Nations"."""
    return re.compile(r"\b" + r"\w*\s+(?:of\s+|the\s+|for\s+|and\s+)*".join(acronym) + r"\w*")


def question_names(question: str) -> list[str]:
    """Returns the capitalised words of the question past its first ("Scrocca", "UN", "Col.")."""
    return re.findall(r"(?<=\s)[A-Z][\w’'.-]*\w", question)


_TITLE_BEFORE_WORDS = 6  # words before a name that may be its title ("Nineveh operation commander, ...")
# an apposition after a name: ", the United Nations humanitarian coordinator in Iraq,"
_APPOSITION = re.compile(r",\s+([^,.;:“”\"()]{1,80})")


def title_terms(v: Value, text: str) -> list[str]:
    """Returns the terms of a name with the title it is given around it: the words of its own clause just
    before it ("Nineveh operation commander, Staff Lieutenant General Abdulamir Yarallah") and an
    apposition after it ("Lise Grande, the United Nations humanitarian coordinator in Iraq")."""
    before = " ".join(text[: v.start].split()[-_TITLE_BEFORE_WORDS:])
    before = re.split(r"[.;:“”\"()]", before)[-1]
    after = m.group(1) if (m := _APPOSITION.match(text, v.end)) else ""
    return terms(f"{before} {v.text} {after}")
