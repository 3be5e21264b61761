"""The values (numbers, dates, names) a text states, normalised for comparing them.

Pure functions over strings: conflict detection and answer verification are built on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.keyword import STOPWORDS

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
    )
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SMALL = {
    w: i
    for i, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
    )
}
TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True)
class Value:
    """A value stated in a text, with its offsets in that text."""

    kind: str  # "number", "date" or "name"
    text: str
    start: int
    end: int
    key: str  # normalised, for comparing values across texts


# ---------------------------------------------------------------------------- numbers
_PERCENT = r"percent|per\s+cent|%"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = r"(?:(?:a\s+)?couple\s+of\s+|a\s+few\s+)?(?:(?:(?:{})(?:[\s-]+(?:{}))?|{})\s+)?(?:{})\b".format(
    "|".join(TENS),
    "|".join(k for k in SMALL if k != "zero"),
    "|".join(k for k in SMALL if k != "zero"),
    "|".join(list(SMALL)[1:] + list(TENS) + list(SCALES) + ["dozen"]),
)
_NUMBER = re.compile(
    rf"(?<![\w.])(?:(?P<d>{_NUM})(?:\s*(?:-|–|to|and)\s*(?P<d2>{_NUM}))?(?:\s*(?P<scale>million|billion|thousand|{_PERCENT}))?"
    rf"|(?P<w>{_WORDNUM}))(?P<of>\s+(?:out\s+)?of\s+(?:{_NUM}|{_WORDNUM}))?(?![\w])",
    re.IGNORECASE,
)


def _word_number(text: str) -> float | None:
    words = re.findall(r"[a-z]+", text.lower())
    total, current, seen = 0.0, 0.0, False
    for w in words:
        if w in ("of", "few"):
            continue
        if w == "couple" or w == "a":
            current = max(current, 2.0 if w == "couple" else 1.0)
            seen = True
        elif w in SMALL or w in TENS:
            current += SMALL.get(w, TENS.get(w, 0))
            seen = True
        elif w == "dozen":
            current = max(current, 1.0) * 12
            seen = True
        elif w in SCALES:
            current = max(current, 1.0) * SCALES[w]
            if SCALES[w] >= 1000:
                total, current = total + current, 0.0
            seen = True
    return total + current if seen else None


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


_MEASURE_AFTER = re.compile(
    r"\s+(?:sq(?:uare)?\.?\s+)?(?:km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|acres?|hectares?|percent|per\s+cent)\b",
    re.IGNORECASE,
)


_PERCENT_AFTER = re.compile(rf"\s*(?:{_PERCENT})", re.IGNORECASE)


# a count said only by its order of size: "thousands of visitors", "hundreds of thousands of people";
# keyed as the range it spans, so that it agrees with any count inside it ("4,000" is "thousands")
_VAGUE = re.compile(r"(?<![\w-])(?P<v>(?:tens|hundreds)\s+of\s+thousands|dozens|hundreds|thousands|millions)(?=\s+of\b)", re.IGNORECASE)
_VAGUE_RANGE = {
    "dozens": "24-99", "hundreds": "200-999", "thousands": "2000-999999", "tens of thousands": "20000-99999",
    "hundreds of thousands": "200000-999999", "millions": "2000000-999999999",
}


def numbers(text: str) -> list[Value]:
    """Returns the numbers stated in `text` (digits, ranges, number words, orders of size), dates excluded."""
    date_spans = [(v.start, v.end) for v in dates(text)]
    out = [Value("number", m.group(0), m.start(), m.end(), _VAGUE_RANGE[" ".join(m.group("v").lower().split())]) for m in _VAGUE.finditer(text)]
    for m in _NUMBER.finditer(text):
        s, e = m.start(), m.end()
        if any(ds <= s < de or ds < e <= de for ds, de in date_spans):
            continue
        if m.group("d"):
            a = float(m.group("d").replace(",", ""))
            scale = " ".join((m.group("scale") or "").lower().split())
            mult = SCALES.get(scale, 1)
            key = _fmt(a * mult)
            if m.group("d2"):
                key += "-" + _fmt(float(m.group("d2").replace(",", "")) * mult)
            if scale in ("percent", "per cent", "%"):
                key += "%"
        else:
            n = _word_number(m.group("w"))
            if n is None or (m.group("w").strip().lower() in ("a", "one") and not _MEASURE_AFTER.match(text, e)):
                continue  # "one of the", "a few": no count; "one sq km" is a measure
            key = _fmt(n) + ("%" if _PERCENT_AFTER.match(text, e) else "")  # "ten percent" is a share
        out.append(Value("number", text[s:e], s, e, key))
    return sorted(out, key=lambda v: v.start)


# ---------------------------------------------------------------------------- dates
_MONTH = r"(?:{})".format("|".join(m.capitalize() for m in MONTHS))
# the part of a month or year a date names: "late January", "the end of 2016" (the key is the month or year)
_PART_OF_PERIOD = r"(?:early|mid|late)[\s-]+|(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+"
_DATE = re.compile(
    rf"\b(?:(?P<md>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>(?:19|20)\d{{2}}))?"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH}),?(?:\s+(?P<y2>(?:19|20)\d{{2}}))?"
    rf"|(?:{_PART_OF_PERIOD})?(?P<m3>{_MONTH})(?:,?\s+(?P<y3>(?:19|20)\d{{2}}))?"
    rf"|(?P<wd>{'|'.join(w.capitalize() for w in WEEKDAYS)})"
    rf"|(?P<rel>[Ll]ast\s+(?:week|month|year|night|weekend)|[Ee]arlier\s+this\s+(?:week|month|year)|[Yy]esterday|[Aa]\s+(?:week|month|year)\s+ago"
    rf"|[Tt]he\s+(?:beginning|start|end|middle)\s+of\s+(?:the|this|last)\s+(?:year|month|week))"
    rf"|(?:{_PART_OF_PERIOD})?(?P<y4>(?:19|20)\d{{2}}))\b"
)


def dates(text: str) -> list[Value]:
    """Returns the dates stated in `text`, keyed "year-month-day" with unknown parts as "?"."""
    out = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        if g["wd"]:
            key = g["wd"].lower()
        elif g["rel"]:
            key = "~" + " ".join(g["rel"].lower().split())  # relative to the article's own date
        else:
            month = g["md"] or g["m2"] or g["m3"]
            if m.group(0) == "May" and not re.search(r"\b(in|since|until|by|of|from|early|mid|late)[\s-]+$", text[: m.start()], re.IGNORECASE):
                continue  # the verb "may", not the month "in May"
            day = g["d1"] or g["d2"]
            year = g["y1"] or g["y2"] or g["y3"] or g["y4"]
            key = f"{year or '?'}-{MONTHS[month.lower()] if month else '?'}-{int(day) if day else '?'}"
        out.append(Value("date", m.group(0), m.start(), m.end(), key))
    return out


def dates_comparable(a: str, b: str) -> bool:
    """Returns True when two date keys both state some part (a year alone and a day of a month say
    nothing about each other). A weekday or a relative date is compared only with itself."""
    if "-" not in a or "-" not in b:
        return True
    return any("?" not in (x, y) for x, y in zip(a.split("-"), b.split("-"), strict=True))


def dates_agree(a: str, b: str) -> bool:
    """Returns True when two date keys name the same day as far as they say: they share a known part
    and no known part differs.

    A weekday or a relative date ("~last week") agrees only with itself.
    """
    if "-" not in a or "-" not in b:
        return a == b
    return dates_comparable(a, b) and all(x == y or "?" in (x, y) for x, y in zip(a.split("-"), b.split("-"), strict=True))


def numbers_agree(a: str, b: str) -> bool:
    """Returns True when two number keys are equal, or one is a range that holds the other."""
    if a == b:
        return True

    def bounds(k: str) -> tuple[float, float] | None:
        try:
            parts = [float(p) for p in k.rstrip("%").split("-")]
        except ValueError:
            return None
        return (parts[0], parts[-1])

    ba, bb = bounds(a), bounds(b)
    if ba is None or bb is None:
        return False
    return (ba[0] <= bb[0] <= bb[1] <= ba[1]) or (bb[0] <= ba[0] <= ba[1] <= bb[1])


# ---------------------------------------------------------------------------- names
_CONNECT = {"al", "el", "bin", "ibn", "de", "of", "the", "and", "for"}
_NOT_NAMES = {m.capitalize() for m in MONTHS} | {w.capitalize() for w in WEEKDAYS} | {
    "The", "A", "An", "In", "On", "At", "As", "But", "And", "For", "It", "Its", "This", "That", "These",
    "Those", "He", "She", "They", "We", "I", "If", "While", "When", "Since", "After", "Before", "Only",
    "Some", "Meanwhile", "However", "Should", "What", "Speaking", "Last", "First",
}
_COMMON_STARTS = {"about", "nearly", "almost", "around", "roughly", "approximately", "over", "under", "between",
                  "since", "yes", "according", "more", "less", "fewer", "only", "just", "also", "all", "none", "both"}
_TITLES = {"Col", "Gen", "Brig", "Lt", "Dr", "Mr", "Mrs", "Ms", "Maj", "Capt", "Sgt", "St", "Prof", "Gov", "Sen"}


def _name_part(word: str) -> bool:
    return word[0].isupper() or (word[:3].lower() in ("al-", "el-") and len(word) > 3 and word[3].isupper())
_TOKEN = re.compile(r"[A-Za-z][\w’'.-]*[\w]|[A-Za-z]")


def names(text: str) -> list[Value]:
    """Returns runs of capitalised words (proper names) in `text`, keyed lower-case."""
    toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    out: list[Value] = []
    i = 0
    while i < len(toks):
        s, e, w = toks[i]
        if w.lower() in ("al", "el") and i + 1 < len(toks) and toks[i + 1][2][0].isupper():
            pass  # "al Jamhouri"
        elif not _name_part(w) or w in _NOT_NAMES:
            i += 1
            continue
        j = i
        end = e
        while j + 1 < len(toks):
            ns, ne, nw = toks[j + 1]
            gap = text[end:ns]
            title_dot = gap.startswith(".") and toks[j][2] in _TITLES
            if (ns - end > 1 and not title_dot) or re.search(r"[,;:()“”\"]", gap):
                break
            if _name_part(nw) or (nw.lower() in _CONNECT and j + 2 < len(toks) and toks[j + 2][2][0].isupper()):
                j += 1
                end = ne
            else:
                break
        phrase = text[s:end]
        at_start = not text[:s].strip() or text[:s].rstrip()[-1] in ".!?:;\"“”'"
        if j == i and at_start and (w.lower() in STOPWORDS or w.lower() in _COMMON_STARTS):
            i = j + 1
            continue  # "About 2 million": a capitalised first word, not a name
        if phrase.split()[-1].lower() not in _CONNECT:
            out.append(Value("name", phrase, s, end, phrase.lower()))
        i = j + 1
    return out


def name_words(text: str) -> set[str]:
    """Returns the lower-cased words of every proper name in `text`."""
    words: set[str] = set()
    for v in names(text):
        for w in re.findall(r"[A-Za-z]+", v.text):
            if w.lower() not in _CONNECT and len(w) > 1:
                words.add(w.lower())
    return words
