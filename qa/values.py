"""The values (numbers, dates) a text states, normalised for comparing them.

Pure functions over strings: conflict detection is built on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SMALL = {w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True)
class Value:
    """A value stated in a text, with its offsets in that text."""

    kind: str  # "number" or "date"
    text: str
    start: int
    end: int
    key: str  # normalised, for comparing values across texts
    unit: str = ""  # what a number measures ("time", "money", "percent", ...; see UNITS); "" when it says none


# ---------------------------------------------------------------------------- numbers
_PERCENT = r"percent|per\s+cent|%"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# number words: a base ("seven", "twenty-one"), scaled ("two hundred thousand", "a couple of hundred") and
# summed after a scale ("one hundred and fifty thousand"); two bases in a row are two numbers ("two three-storey houses")
_ONES = "|".join(list(SMALL)[1:10])
_BASE = r"(?:{})(?:[\s-]+(?:{}))?|{}".format("|".join(["twenty", *TENS]), _ONES, "|".join(k for k in SMALL if k != "zero"))
_SCALE = "|".join(list(SCALES) + ["dozen"])
_WORDNUM = rf"(?:(?:a\s+)?couple\s+of\s+|a\s+few\s+)?(?:(?:(?:{_BASE})\s+)?(?:{_SCALE})(?:\s+(?:{_SCALE}))*(?:\s+(?:and\s+)?(?:{_BASE})(?:\s+(?:{_SCALE}))*)?|(?:{_BASE}))\b"
_NUMBER = re.compile(
    rf"(?<![\w.])(?:(?P<d>{_NUM})(?:\s*(?:-|–|to|and)\s*(?P<d2>{_NUM}))?(?:\s*(?P<scale>million|billion|thousand|{_PERCENT}))?"
    rf"|(?P<w>{_WORDNUM}))(?P<of>\s+(?:out\s+)?of\s+(?:{_NUM}|{_WORDNUM}))?(?![\w])",
    re.IGNORECASE,
)


def _word_number(text: str) -> float | None:
    """Returns the value that number words state ("two hundred thousand", "a dozen", "a couple of"), or None."""
    total, current, seen = 0.0, 0.0, False
    for w in re.findall(r"[a-z]+", text.lower()):
        if w in ("couple", "a"):
            current = max(current, 2.0 if w == "couple" else 1.0)
        elif w in SMALL or w in TENS:
            current += SMALL.get(w, TENS.get(w, 0))
        elif w == "dozen":
            current = max(current, 1.0) * 12
        elif w in SCALES:
            current = max(current, 1.0) * SCALES[w]
            if SCALES[w] >= 1000:
                total, current = total + current, 0.0
        else:
            continue  # "of", "few"
        seen = True
    return total + current if seen else None


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


_PERCENT_AFTER = re.compile(rf"\s*(?:{_PERCENT})", re.IGNORECASE)


# what a number measures, by the unit written after it (or a currency sign before it); numbers of two
# different units are not values of the same thing ("12 million euros" and "two years")
UNITS = {
    "time": r"(?:second|minute|hour|day|week|month|year|decade)s?|century|centuries",
    "money": r"dollars?|euros?|pounds\s+sterling|yen|yuan|rupees?|francs?|pesos?|r[ou]bles?|dinars?|rand",
    "area": r"(?:sq(?:uare)?\.?\s+)(?:km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet)|acres?|hectares?",
    "length": r"km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet|foot|ft|inch(?:es)?|cm|mm",
    "mass": r"tons?|tonnes?|kg|kilo(?:gram)?s?|grams?|lbs?",
    "volume": r"lit(?:re|er)s?|gallons?|barrels?",
}
_UNIT_AFTER = re.compile(r"[\s-]*(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in UNITS.items()) + r")\b", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:US\$|\$|€|£|¥)\s*$")
_AGO = re.compile(r"\s+ago\b", re.IGNORECASE)
# which way a length runs, by the word after its unit: "10 km deep" and "25 kilometres south of the city" are
# lengths of different things (a depth, a distance away); "15 km" says none and compares with either
_DIMENSIONS = {"deep": "depth", "depth": "depth", "below": "depth", "high": "height", "tall": "height", "height": "height",
               "above": "height", "long": "length", "length": "length", "wide": "width", "width": "width", "across": "width"}
_AWAY = r"away|from|off|(?:north|south)(?:[\s-]?(?:east|west))?(?:ward)?|(?:east|west)(?:ward)?"  # a distance from a place
_METRES = re.compile(r"[\s-]*m\b")
_DIMENSION = re.compile(rf"\s+(?:in\s+)?(?P<dim>{'|'.join(_DIMENSIONS)}|{_AWAY})\b", re.IGNORECASE)


def _length(text: str, pos: int) -> str | None:
    """Returns "length " and the way it runs when the words at `pos` say one ("deep", "south of"), else None."""
    d = _DIMENSION.match(text, pos)
    return f"length {_DIMENSIONS.get(d.group('dim').lower(), 'away')}" if d else None


def _unit(text: str, start: int, end: int, key: str) -> str:
    """Returns what the number at start..end of `text` measures (a key of UNITS, "percent", "time ago": "three
    years ago" is a point in time, not a duration, or "length " and which way it runs: depth, height, length,
    width, away), or ""."""
    if key.endswith("%"):
        return "percent"
    if _MONEY_BEFORE.search(text[max(0, start - 4) : start]):
        return "money"
    m = _UNIT_AFTER.match(text, end)
    if not m:  # "m" alone may be metres or millions ("8 m people"): metres when a way follows ("8 m wide")
        metres = _METRES.match(text, end)
        return (metres and _length(text, metres.end())) or ""
    unit = m.lastgroup or ""
    if unit == "length":
        return _length(text, m.end()) or unit
    return "time ago" if unit == "time" and _AGO.match(text, m.end()) else unit


def units_comparable(a: str, b: str) -> bool:
    """Returns True unless two numbers' units are both known and differ; a length that says which way it runs
    compares with one that does not ("length depth" and "length"), not with another way ("length away")."""
    return not a or not b or a == b or "length" in (a, b) and a.split()[0] == b.split()[0]


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
            if n is None or (m.group("w").strip().lower() == "one" and not (_UNIT_AFTER.match(text, e) or _PERCENT_AFTER.match(text, e))):
                continue  # "one of the": no count; "one sq km", "one year", "one percent" are measures
            key = _fmt(n) + ("%" if _PERCENT_AFTER.match(text, e) else "")  # "ten percent" is a share
        out.append(Value("number", text[s:e], s, e, key, _unit(text, s, e, key)))
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
    nothing about each other). A weekday is compared only with a weekday ("Monday" may be "June 18"),
    and a relative date ("~last week") only with itself: it is relative to its own article's date."""
    if "-" not in a or "-" not in b:
        return a == b or (a in WEEKDAYS and b in WEEKDAYS)
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
    try:
        lo_a, hi_a, lo_b, hi_b = (float(k.rstrip("%").split("-")[i]) for k in (a, b) for i in (0, -1))
    except ValueError:
        return False
    return lo_a <= lo_b <= hi_b <= hi_a or lo_b <= lo_a <= hi_a <= hi_b
