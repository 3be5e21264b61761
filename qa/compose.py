"""Writing answer text from evidence by code (the extractive path), with [n] markers."""

from __future__ import annotations

import re

from index.keyword import terms
from qa.candidates import Assessment, Candidate
from qa.values import NUMBER_WORDS
from qa.words import AUXILIARIES, DETERMINERS, PREPOSITIONS

MAX_WORDS = 24
FACT_MAX_WORDS = 40  # a fact answer has no value to centre on: keep more of its sentence
NOT_IN_SOURCES = "Not in the sources: the indexed articles do not answer this question."


def _clean(phrase: str, capital: bool = True) -> str:
    """Returns the phrase without edge punctuation or runs of spaces, its first letter a capital unless
    `capital` is False (a phrase cut from mid-sentence after "… " keeps its own case)."""
    phrase = phrase.strip(" ,;:—–-\"'“”‘’()")
    phrase = re.sub(r"\s+", " ", phrase)
    return phrase[:1].upper() + phrase[1:] if phrase and capital else phrase


def _balanced(text: str) -> str:
    """Returns the text with a quotation mark whose partner was cut off put back at that end, outside
    any "…": “There is still tough fighting to go,” Col. Scrocca said -- not: There is still tough
    fighting to go,” Col. Scrocca said."""
    depth, unopened = 0, 0
    for ch in text:
        if ch == "“":
            depth += 1
        elif ch == "”":
            unopened += depth == 0
            depth = max(depth - 1, 0)
    text = "“" * unopened + text + "”" * depth  # "… for some time,” Scrocca said. “The ISF …" opens and closes
    if text.count('"') % 2:  # a straight mark that follows a word closes: part remains in the city", he told
        last = text.rindex('"')
        text = '"' + text if last > 0 and not text[last - 1].isspace() else text + '"'
    return text


# a phrase around a value reads on over a verb's auxiliaries ("862,000 people have been" to "displaced"), ends
# before a preposition opens a modifier ("Eight months into an epic battle": "Eight months"), and never on these
_LEADS_ON = AUXILIARIES | DETERMINERS | PREPOSITIONS | {"and", "or", "but"}
_READ_ON = 3  # auxiliaries a phrase may run past `after` to reach the verb


def phrase_around(text: str, start: int, end: int, before: int = 3, after: int = 4, capital: bool = True) -> str:
    """Returns the value at text[start:end] with a few words each side, not crossing a clause break
    nor a preposition after it, and not ending on a word that leads on to another ("have been")."""
    left = text[:start]
    right = text[end:]
    keep_left: list[str] = []
    for w in reversed(left.split()):
        if re.search(r"[,;:.!?“”\"()]$", w) or len(keep_left) >= before:
            break
        keep_left.insert(0, w)
    keep_right: list[str] = []
    for w in right.split():
        if w.lower() in PREPOSITIONS:
            break
        if len(keep_right) >= after + _READ_ON or (len(keep_right) >= after and keep_right[-1].lower() not in AUXILIARIES):
            break
        stop = re.search(r"[;:!?“”\"()]|[,.](?!\d)", w)
        if stop:
            if stop.start() > 0:
                keep_right.append(w[: stop.start()])
            break
        keep_right.append(w)
    while keep_right and keep_right[-1].lower() in _LEADS_ON:
        keep_right.pop()
    sep = "" if right[:1] and not right[:1].isspace() else " "
    tail = sep + " ".join(keep_right) if keep_right else ""
    return _balanced(_clean(" ".join(keep_left) + (" " if keep_left else "") + text[start:end] + tail, capital))


def sentence_window(text: str, question: str, max_words: int = MAX_WORDS) -> str:
    """Returns the part of `text` (at most `max_words` words) that best covers the question's terms."""
    words = text.split()
    if len(words) <= max_words:
        return _balanced(_clean(text.rstrip(".")))
    asked = set(terms(question))
    hit = [bool(set(terms(w)) & asked) for w in words]
    best, best_start = -1e9, 0
    for s in range(0, len(words) - max_words + 1):
        window = hit[s : s + max_words]
        # hold the question's words, and the words right after the last of them (where answers sit)
        last = max((s + i for i, h in enumerate(window) if h), default=-1)
        needed_end = min(len(words), last + 8) if last >= 0 else 0
        # a word after the last match may be the answer; a matched word never is: the former weighs more
        score = sum(window) - 1.5 * max(0, needed_end - (s + max_words)) - 0.001 * s
        if score > best:
            best, best_start = score, s
    piece = " ".join(words[best_start : best_start + max_words])
    cut, more = best_start > 0, best_start + max_words < len(words)
    if not more:
        piece = piece.rstrip(".")  # the answer's own full stop follows its markers: "... two years ago [1]."
    return _balanced(("… " if cut else "") + _clean(piece, capital=not cut) + (" …" if more else ""))


def cite(numbers: list[int]) -> str:
    """Returns the markers for 1-based quote numbers, e.g. "[1][2]"."""
    return "".join(f"[{n}]" for n in numbers)


# words that qualify the value after them: "more than 700,000", "an estimated 862,000", "on June 18"
_QUALIFIERS = ("more than", "more-than", "about", "some", "an estimated", "estimated", "nearly", "almost", "over", "around", "at least", "only", "on", "in", "since")
_QUALIFIER = re.compile(rf"(?:{'|'.join(_QUALIFIERS)})\s*$", re.IGNORECASE)
# words that open a phrase in lower case mid-sentence: a qualifier's first word, an article or a preposition
_OPENERS = DETERMINERS | PREPOSITIONS | frozenset(q.split()[0].split("-")[0] for q in _QUALIFIERS)


def value_phrase(c: Candidate) -> str:
    """Returns the candidate's value with the words that qualify it ("more than 700,000 people")."""
    assert c.value is not None
    q = _QUALIFIER.search(c.text[: c.value.start])
    start = q.start() if q else c.value.start
    phrase = phrase_around(c.text, start, c.value.end, before=0, after=4, capital=False)
    # the phrase reads mid-sentence ("... versus more than 700,000 people"): a word capitalised only because it
    # opened its sentence loses the capital, a name keeps it ("June 18", "Iraq")
    first = phrase.split(" ", 1)[0].lower()
    return phrase[:1].lower() + phrase[1:] if first in _OPENERS or first.split("-")[0] in NUMBER_WORDS else phrase


def value_window(c: Candidate, before: int = 8, max_words: int = MAX_WORDS) -> str:
    """Returns up to `max_words` words of the candidate's sentence around its value, marked where cut."""
    assert c.value is not None
    left = c.text[: c.value.start].split()
    right = c.text[c.value.end :].split()
    glued_left = bool(c.text[: c.value.start]) and not c.text[c.value.start - 1].isspace()
    glued_right = bool(c.text[c.value.end :]) and not c.text[c.value.end].isspace()
    n_left = min(len(left), max(before, max_words - 1 - len(right)))
    n_right = min(len(right), max_words - 1 - n_left)
    lw, rw = left[len(left) - n_left :], right[:n_right]
    value = c.value.text
    if glued_left and lw:
        value = lw.pop() + value
    if glued_right and rw:
        value = value + rw.pop(0)
    piece = " ".join([*lw, value, *rw])
    head = "… " if n_left < len(left) else ""
    tail = " …" if n_right < len(right) else ""
    return _balanced(head + _clean(piece.rstrip("."), capital=not head) + tail)


def extractive_text(a: Assessment, question: str) -> tuple[str, list[Candidate]]:
    """Returns the answer text and the candidates it cites, in marker order."""
    if a.sides:
        quoted: list[Candidate] = []
        parts = []
        for side in a.sides:
            nums = []
            for c in side:
                quoted.append(c)
                nums.append(len(quoted))
            assert side[0].value is not None
            docs = len({c.unit.doc_id for c in side})
            parts.append(f"{value_phrase(side[0])} {cite(nums)}" + (f" ({docs} sources)" if docs > 1 else ""))
        return "The sources disagree: " + " versus ".join(parts) + ".", quoted
    support = a.support
    best = support[0]
    text = value_window(best) if best.value is not None else sentence_window(best.text, question, FACT_MAX_WORDS)
    return f"{text} {cite(list(range(1, len(support) + 1)))}.", support
