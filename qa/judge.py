"""Judging retrieved passages against a question: each becomes a `Candidate` with its relevance and
the value it gives.
"""

from __future__ import annotations

import re
from dataclasses import replace

from index.keyword import terms
from qa.candidates import Candidate
from qa.names import asked_about, body_like, body_phrases, names_subject, role_terms, subject_name, title_terms
from qa.passages import (
    ASKS_SPEAKER,
    back_span,
    byline_unit,
    coverage,
    locative,
    near_text,
    question_weights,
    speaker_span,
    surface_words,
)
from qa.pick import FORESEEN, HOW_LONG, SAME_PLACE, YEAR, foreseen, pick_value, value_clause
from qa.retrieve import Corpus, Hit
from qa.soft import SoftMatcher
from qa.values import ASKS_WHICH_PLACE, question_kind, values_of
from qa.verbs import (
    OFFICE,
    act_of,
    acts_of,
    asked_acts,
    asked_doer,
    asked_verbs,
    counted_verbs,
    dated_verbs,
    does_verb,
    done_acts,
    is_agent,
    verb_terms,
)

_PRONOUN_BEFORE = re.compile(r"\b(?:he|she)\s+([\w’'-]+)", re.IGNORECASE)


_PRONOUN_AFTER = re.compile(r"([\w’'-]+),?\s+(?:he|she)\b", re.IGNORECASE)


def _pronoun_agent(text: str, weights: dict[str, float]) -> bool:
    """Returns True when "he" or "she" stands next to a word of the question ("he told Reuters",
    "said she"): the sentence says someone did what was asked without naming them."""
    words = [m.group(1) for pat in (_PRONOUN_BEFORE, _PRONOUN_AFTER) for m in pat.finditer(text)]
    return any(t in weights for w in words for t in terms(w)[:1])


# the roles a byline names without saying them: "Melinda Barton | 29 June, 2017" is the article's author
_BYLINE_ROLES = frozenset(terms("author writer reporter journalist correspondent"))


_ABOUT_BEFORE = 2  # sentences before a passage that may name what it is about


_ASKS_WHICH_PLACE = re.compile(rf"\b{ASKS_WHICH_PLACE}\b", re.IGNORECASE)


_ASKS_WHY = re.compile(r"^\s*why\b", re.IGNORECASE)


# what gives a reason: "because of its narrow streets", "due to its dense population"
_BECAUSE = re.compile(r"\b(?:because|due to|owing to|thanks to|as a result of|in order to|so as to|so that|on account of)\b", re.IGNORECASE)


# "how did the prime minister characterise it", "what did the spokesman say had become of it": the words
# someone used are asked for (not who used them: "which agency said ...")
_ASKS_WORDS = re.compile(r"^\s*(?:how|what)\b.*\b(?:describ\w*|characteri[sz]\w*|call(?:s|ed)?|say|says|said|put it|term\w*)\b", re.IGNORECASE)
# a quotation, each kind of mark closed by its own (a ’ inside “...” is an apostrophe: “ISIS’ so-called caliphate ...”)
_QUOTATION = re.compile(r"“([^”]*)”|\"([^\"]*)\"|‘([^’]*)’")


# a part of a named place by its direction: "west Mosul", "eastern Mosul"
_PART_OF_PLACE = re.compile(r"\b(north|south|east|west)(?:ern)?\s+([A-Z][\w’'-]*)", re.IGNORECASE)


def other_part(question: str, text: str) -> bool:
    """Returns True when `text` names only other parts of a place whose part the question names: "west Mosul"
    asked, "eastern Mosul" said."""
    asked = {(d.lower(), p) for d, p in _PART_OF_PLACE.findall(question) if p[0].isupper()}
    said = {(d.lower(), p) for d, p in _PART_OF_PLACE.findall(text) if p[0].isupper()}
    places = {p for _, p in asked}
    said = {(d, p) for d, p in said if p in places}
    return bool(said) and not said & asked


def other_doer(text: str, doer: set[str], acts: set[str]) -> bool:
    """Returns True when `text` names who did the act asked about, and it is not the question's doer."""
    agents = [v for v in [*values_of(text, "person"), *body_phrases(text)] if is_agent(v, text, acts, first_word=True)]
    doer = doer | {t for g in SAME_PLACE if doer & g for t in g}  # "Iraqi forces" asked, "Iraq captured" said
    return bool(agents) and not any(set(terms(a.text)) & doer for a in agents)


def asks_for_words(question: str) -> bool:
    """Returns True when a question asks for the words someone used: "How did the prime minister characterise it?"."""
    return bool(_ASKS_WORDS.search(question))


def quotes_words(text: str) -> bool:
    """Returns True when `text` quotes someone's words: three words or more, not a term in scare quotes ("the “caliphate”")."""
    return any(len("".join(m.groups(default="")).split()) >= 3 for m in _QUOTATION.finditer(text))


def judge(
    corpus: Corpus, question: str, hits: list[Hit], dense_weight: float, soft: SoftMatcher | None = None, verb_fit: float = 0.0
) -> tuple[str, list[Candidate]]:
    """Returns the question's kind and the hits judged against it, most relevant first."""
    kind = question_kind(question)
    weights = question_weights(corpus, question)
    surface = surface_words(question)
    roles = role_terms(question) if kind == "person" else set()
    acts = asked_acts(question) if kind == "person" else set()
    verbs = counted_verbs(question) if kind == "number" else dated_verbs(question) if kind == "date" else []
    if kind == "person" and not ASKS_SPEAKER.search(question):
        # "who designed the minaret": a name in a passage where nothing is designed did not. "Who runs the
        # UN effort" asks for an office's holder, whom a title names ("Lise Grande, the UN coordinator")
        verbs = [v for v in asked_verbs(question) if act_of(v[0]) not in OFFICE]
        office = acts & OFFICE
        # what the office is of: "Who runs the UN's humanitarian effort in Iraq?" -> UN, humanitarian, effort, Iraq
        office_of = {t for t in weights if act_of(t) not in OFFICE}
    else:
        office, office_of = set(), set()
    # the acts a who-question names, in its subordinate clause and after "ready to" too: "Who fought alongside
    # Iraqi troops as they converged on the city?" is answered by who converged with them
    verb_acts = {act_of(t) for t, _ in verbs}
    wanted = verb_acts | acts_of(question[1:]) if kind == "person" else set()
    subject = subject_name(corpus, question)
    asked = set(terms(question))
    why = bool(_ASKS_WHY.match(question))
    asks_words = kind == "fact" and asks_for_words(question)
    years = set(YEAR.findall(question))
    doer = asked_doer(question, verbs) if kind == "date" else set()  # "when did ISIS capture Mosul": ISIS
    how_long = kind == "number" and bool(HOW_LONG.search(question))
    asks_ahead = bool(FORESEEN.search(question))  # "how many were expected to flee"
    which_place = kind == "place" and bool(_ASKS_WHICH_PLACE.search(question))
    cands = []
    for rank, h in enumerate(hits):
        text = corpus.text(h.unit)
        cov, missing = coverage(corpus, h.unit, weights, soft, surface)
        dense = max(h.dense, 0.0)
        rel = dense_weight * dense + (1 - dense_weight) * cov
        value, fit = pick_value(text, kind, question, weights) if kind != "fact" else (None, 0.0)
        bylined = False
        other_act = False
        if value is None and (kind in ("person", "date") or how_long) and (byline := byline_unit(corpus, h.unit)) is not None:
            # "who wrote" / "when was it published" / "how long is the video": the headline reads with its byline
            # (a caption with the running time under it)
            value, fit = pick_value(corpus.text(byline), kind, question, weights)
            if value is not None:
                h, text, bylined = replace(h, unit=byline), corpus.text(byline), True
        if value is None and kind in ("date", "number") and (span := back_span(corpus, h.unit)) is not None and (
            verb_acts & done_acts(corpus.text(span)[: h.unit.start - span.start])
        ):
            # "The operation ... aimed to recapture the Old City": when, and how many, the sentence before says of
            # the event -- when it did what was asked, and only then: "launched a major offensive to retake" says when it started.
            # The value is the event's, so it fits as well as the sentence naming the event again covers the question
            value, fit = pick_value(corpus.text(span), kind, question, weights)
            if value is not None:
                h, text, fit = replace(h, unit=span), corpus.text(span), max(fit, cov)
        if value is None and kind == "person" and ASKS_SPEAKER.search(question) and (said := speaker_span(corpus, h.unit)):
            # "who called it a delicate balance": "... Scrocca said. “... It is a delicate balance.”" The
            # quote is its speaker's words, so it fits as well as the quoted sentence covers the question
            value, _ = pick_value(corpus.text(said), kind, question, weights)
            if value is not None:
                h, text, fit = replace(h, unit=said), corpus.text(said), cov
        named = value is not None and not body_like(value)  # a person's name, held to the act below
        if named and office and value is not None and not office & acts_of(text) and not set(title_terms(value, text)) & office_of:
            # "Who led the SDF's offensive on Raqqa?": "... outlined by Secretary of Defense James Mattis" holds an
            # office, but not that one; "Lise Grande, the United Nations humanitarian coordinator in Iraq" runs the UN's effort
            value, fit = None, 0.0
        around = near_text(corpus, h.unit) if roles or verbs else ""
        near = verb_terms(around) if verbs else set()
        # what a sentence is about is named in it, the two sentences before ("... the Old City." "It was led
        # by ..." "The Air Force provided ...") or its title
        about = " ".join([corpus.docs[h.unit.doc_id].title, *(corpus.text(u) for u in corpus.neighbours(h.unit, before=_ABOUT_BEFORE, after=0)), text])
        on_subject = names_subject(subject, about)
        # "which architect": no architect here. The role's own word counts, not its stem: "Central
        # Command" names no commander
        unnamed = bool(roles) and not roles & (role_terms(around) | (_BYLINE_ROLES if bylined else set()))
        if unnamed:
            value, fit = None, 0.0
        if value is not None and verbs and not does_verb(text, near, verbs, soft, verb_fit):
            value, fit = None, 0.0  # "how many fighters surrendered", "when did Raqqa fall": said of something else
        # may the number be the other side of a conflict: its own clause says the act too ("Since the Iraqis liberated
        # eastern Mosul, 191,000 Moslawis have come back ...; plants are providing water to almost 1 million people"
        # is no count of the displaced)
        clause_act = True
        if value is not None and kind == "number" and verbs:
            lo, hi = value_clause(text, value)
            clause_act = does_verb(text[lo:hi], set(), verbs, soft, verb_fit)
        if kind == "person" and not named and (verbs or (wanted and value is None)) and not unnamed:
            # "who tried to pin it on coalition airstrikes": "ISIS attempted to blame coalition airstrikes".
            # Where no person is named, a force or an office that is the subject of the passage's own verb
            # answers who: articles seldom say it in the question's verb. A person must still do the act
            named_bodies = [v for v in values_of(text, kind) if body_like(v) and not asked_about(v, asked)]
            bodies = sorted([*named_bodies, *(v for v in body_phrases(text) if not asked_about(v, asked))], key=lambda v: v.start)
            # the one doing what was asked before one doing something else: "The Iraqi government had been making
            # progress in its campaign to retake Mosul from ISIS, which had seized the city" (who captured Mosul)
            value = next((v for v in bodies if is_agent(v, text, wanted)), None)
            if verbs:
                # any act only where the question's own verb is read: "Who paid for the munitions?" names none
                # ("paid" reads as no verb), and "Iraqi Security Forces ... initiated their assault" did not pay;
                # and only by a body with a name of its own: "The Iraqi government had been working to evacuate
                # civilians" says nothing of who negotiated their evacuation
                its_acts = acts_of(text)
                if value is None:
                    value = next((v for v in named_bodies if is_agent(v, text, its_acts)), None)
                    other_act = value is not None
            fit = cov if value is not None else 0.0
        if value is not None and doer and other_doer(text, doer, verb_acts):
            value, fit = None, 0.0  # "when did ISIS capture Mosul": "Iraq captured east Mosul" is someone else's act
        if value is not None and other_part(question, text):
            value, fit = None, 0.0  # "how many schools in west Mosul": "320 out of 400 schools" in eastern Mosul are others
        if value is not None and kind in ("person", "place") and years and (dated := set(YEAR.findall(text))) and not dated & years:
            value, fit = None, 0.0  # "who captured Mosul in June 2014": "in June 2017, they had recaptured" is another event
        if kind == "person" and value is None:
            # "he told Reuters": someone did it, unnamed; "who led the Shiite militias": a passage about the
            # militias that says no one led them
            unnamed = unnamed or _pronoun_agent(text, weights) or bool(acts and not {act_of(t) for t in terms(text)} & acts)
        if kind == "place" and value is None and which_place:
            unnamed = True  # "which neighborhood fell first": "recaptured their first neighborhood" does not say which
        located = kind == "place" and locative(text, asked)
        reasoned = (why and bool(_BECAUSE.search(text))) or (asks_words and quotes_words(text))
        ahead = value is not None and foreseen(text, value)
        cands.append(
            Candidate(
                h.unit, text, dense, cov, rel, value, fit, missing, h.bm25, h.fused, unnamed, on_subject, located, reasoned, ahead, ahead == asks_ahead,
                not other_act, clause_act, rank,
            )
        )
    cands.sort(key=lambda c: -c.relevance)
    return kind, cands
