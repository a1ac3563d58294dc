"""Results later than promised: compare the wait she was promised with the time that has passed.

Fact sheet 3b: no result by the promised date is a reason to call the team the same day, not to
assume the news is good. A regular expression cannot compare two numbers, so "results in 5
business days, it's been 3" and "... it's been 9" looked alike to the rules, and a range such as
"3-5 business days" or a promise in hours was not read at all (docs/safety/reviews/round5-words.md,
A7 and B6). This module reads both durations and compares them in days.

It only ever adds a same-day route; it never sets one aside. A doubtful elapsed time ("almost a
week", "nearly two days") is not counted as late.
"""

from __future__ import annotations

import re
from datetime import date
from typing import List, Optional, Tuple

_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "a couple of": 2, "a couple": 2,
    "couple of": 2, "a few": 4, "few": 4, "several": 5,
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "once": 11, "doce": 12, "catorce": 14, "unos": 4, "unas": 4, "unos cuantos": 4,
}
_NUMBER = (r"\d+(?:\s*(?:-|–|to|or|a|o)\s*\d+)?|" + "|".join(sorted((re.escape(w) for w in _WORDS),
                                                                    key=len, reverse=True)))
_UNIT = (r"business days?|working days?|days?|weeks?|wks?|hours?|hrs?|months?"
         r"|d[ií]as? h[aá]biles|d[ií]as?|semanas?|horas?|mes(?:es)?")
_QUANTITY = rf"(?P<n>{_NUMBER})\s+(?P<unit>{_UNIT})(?P<half>\s+(?:and a half|y media))?\b"
_PROMISE = re.compile(
    rf"\b(?:within|in|take|takes|would take|will take|told me|said|promised|promise|expect|by|"
    rf"dentro de|en|tarda|tardan|tardaria)\s+"
    rf"(?:about\s+|around\s+|like\s+|maybe\s+|approx\w*\s+|unos\s+|unas\s+)?{_QUANTITY}", re.I)
_SINCE = (r"\b(?:it'?s been|it has been|its been|it'?s now been|it has now been|now it'?s been|it been|been waiting|"
          r"waited|waiting for|(?:ya )?van|(?:ya )?pasaron|han pasado|(?:ya )?llevo(?: esperando)?|espere)\s+"
          r"(?P<q>(?:over|more than|almost|nearly|about|like|already|now|mas de|casi|como)\s+)?")
# "7 business days, and it's been 10": the number alone takes the promise's unit.
_ELAPSED_BARE = re.compile(
    rf"{_SINCE}(?P<n>\d+)\b(?!\s*(?:[.,]\d|-|{_UNIT}|min\w*|sec\w*|years?|a[nñ]os?|and a half|y media))", re.I)
# "My results came back in 2 days" reports a wait that is over; it is not a promise.
_ALREADY_BACK = re.compile(r"\b(came back|come back|took|got (them|it|my results|the results)|were ready|salieron|"
                           r"llegaron|tardaron)\W+$", re.I)
# "...since my mammogram" counts a wait for something other than the results.
_NOT_SINCE_OTHER = (r"(?!\s+(?:since|after|from|desde)\s+(?:my|the|that|this|mi|la|el)\s+(?:mammogram|callback|"
                    r"call back|ultrasound|mri|diagnosis|first|screening|mamografia|ultrasonido))")
_ELAPSED = re.compile(rf"{_SINCE}{_QUANTITY}{_NOT_SINCE_OTHER}", re.I)
# "Eight business days have now passed": the wait told the other way round.
_ELAPSED_PASSED = re.compile(
    rf"(?<!\bwithin )(?<!\bin )(?<!\bif )(?<!\bonce )(?<!\bwhen )(?<!\bafter )(?<!\buntil )(?<!\bbefore )"
    rf"\b{_QUANTITY}\s+(?:have|has)\s+(?:now\s+|already\s+)?(?:passed|gone by)\b{_NOT_SINCE_OTHER}", re.I)
_DAY_NUMBER = re.compile(r"\b(?:today is|it'?s|its|now|hoy es(?: el)?)\s+"
                         r"(?P<business>(?:business|working)\s+)?day\s+(\d+)\b"
                         r"|\bhoy es el d[ií]a (\d+)(?P<habil>\s+h[aá]bil)?\b", re.I)
_TOPIC = re.compile(r"\b(results?|pathology|path|report|call|hear|heard|news|answer|resultados?|patolog[ií]a|"
                    r"llam\w*|reporte|respuesta)\b", re.I)
_DOUBTFUL = re.compile(r"^(almost|nearly|casi)\b", re.I)
# "In 2018 I waited 3 weeks ... This time they said 3 days": a wait whose own clause is dated years
# back, before it, is another wait, not this one (round 20). Last year is not enough (a biopsy on
# December 28 read in January), nor "last time" or "months ago", which can date this very wait.
_PAST_WAIT = re.compile(r"\b(back then|years? ago|the time before|my (?:first|other|previous) biopsy|"
                        r"hace \w+ a[nñ]os?)\b", re.I)


def _in_a_past_clause(text: str, position: int) -> bool:
    """A past marker before the wait, in its own clause: "In 2018 I waited 3 weeks", not "it's been
    14 days, like my first biopsy" nor "my previous biopsy took 3 days but it's been 2 weeks"."""
    lower = text.lower()
    start = max([text.rfind(mark, 0, position) + 1 for mark in ".!?\n,;"]
                + [lower.rfind(word, 0, position) + len(word) for word in (" but ", " and ", " pero ", " y ")
                   if lower.rfind(word, 0, position) >= 0])
    before = text[start:position]
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", before)]
    return bool(_PAST_WAIT.search(before)) or any(y < date.today().year - 1 for y in years)


def _days(number: str, unit: str, half: str = "", upper: bool = True) -> float:
    number = number.lower().strip()
    values = [float(v) for v in re.findall(r"\d+", number)]
    value = (max(values) if upper else min(values)) if values else float(_WORDS.get(number, 1))
    if half:
        value += 0.5
    unit = unit.lower()
    if "business" in unit or "working" in unit or "habil" in unit or "hábil" in unit:
        return value * 7 / 5
    if unit.startswith(("hour", "hr", "hora")):
        return value / 24
    if unit.startswith(("week", "wk", "semana")):
        return value * 7
    if unit.startswith(("month", "mes")):
        return value * 30
    return value


def overdue(text: str) -> Optional[str]:
    """The words that show results are late, or None.

    The longest promise in the message is compared with the longest elapsed time: erring towards
    "not late" when a message names several waits keeps a routine question from alarming, and a
    wait beyond every promise she names is still caught. A bare elapsed number ("it's been 10")
    takes the unit of the promise written nearest before it.
    """
    if not _TOPIC.search(text):
        return None
    found = [m for m in _PROMISE.finditer(text) if not _ALREADY_BACK.search(text[max(0, m.start() - 30):m.start()])]
    if not found:
        return None
    promises: List[Tuple[float, str]] = [(_days(m["n"], m["unit"], m["half"] or ""), m.group(0)) for m in found]
    elapsed: List[Tuple[float, str, int]] = []
    for m in _ELAPSED.finditer(text):
        qualifier = m["q"] or ""
        if _DOUBTFUL.match(qualifier):
            continue
        days = _days(m["n"], m["unit"], m["half"] or "", upper=False)
        days += 1 if qualifier.strip() in ("over", "more than", "mas de") else 0
        elapsed.append((days, m.group(0), m.start()))
    for m in _ELAPSED_PASSED.finditer(text):
        elapsed.append((_days(m["n"], m["unit"], m["half"] or "", upper=False), m.group(0), m.start()))
    for m in _ELAPSED_BARE.finditer(text):
        if not _DOUBTFUL.match(m["q"] or ""):
            nearest = max((p for p in found if p.start() < m.start()), key=lambda p: p.start(), default=found[0])
            elapsed.append((_days(m["n"], nearest["unit"]), m.group(0), m.start()))
    promised = max(promises)
    for m in _DAY_NUMBER.finditer(text):
        # "today is business day 9" counts business days, as "5 business days" does.
        unit = "business days" if (m["business"] or m["habil"]) else "days"
        elapsed.append((_days(m.group(2) or m.group(3), unit), m.group(0), m.start()))
    late = [e for e in elapsed if e[0] >= promised[0] + 1 and e[1] != promised[1]
            and not _in_a_past_clause(text, e[2])]
    if not late:
        return None
    return f"{promised[1]} … {max(late)[1]}"
