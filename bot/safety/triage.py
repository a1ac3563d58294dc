"""Deterministic red-flag, crisis and diagnosis-request detection.

The intent classifier can be wrong; this layer cannot be talked out of a
warning sign. It matches rules kept in `data/safety/triage.yml` against the
message's lemmas and records what matched and why, including every match it
set aside because of a negation ("no fever"), a hypothetical ("what if it
bleeds") or a resolution ("not bleeding anymore").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from bot import PROJECT_ROOT
from bot.safety.waiting import overdue

TRIAGE_FILE = PROJECT_ROOT / "data" / "safety" / "triage.yml"
#: Routes in priority order; the order in the data file must match.
ROUTES = ("crisis", "emergency", "same_day", "diagnosis")
#: Routes that must reach a person and never carry knowledge-base content.
URGENT_ROUTES = frozenset({"crisis", "emergency", "same_day"})
#: Same-day rules for severe distress (fact sheet 3d): their reply offers a person, not a wound
#: check, and they never stand in the way of a crisis the learned detector hears.
DISTRESS_RULES = frozenset({"severe_distress", "severe_distress_es", "severe_distress_lasting"})

#: The sign a moderate reading may set aside: plain chills, not confusion or shaking.
_CHILLS = re.compile(r"\b(chill|chills|chilly|escalofrios?)\b")
# Sentence and clause ends; a line break, a dash or an ellipsis ends a clause too, so a quoted
# instruction on one line cannot reach a report on the next.
_PUNCT_BREAK = re.compile(r"^([.!?;,:]+|\s*\n\s*|[\u2014\u2013\u2026]+|\.\.\.)$")
_CONDITIONAL_BREAK = re.compile(r" (?:and|so|because|which|y|porque) ")
#: "the difference between normal bruising and a [hematoma]": the "and" that would end a conditional
#: is part of the comparison.
_BETWEEN = re.compile(
    r"\b(diff|difference|differences) between (a |an |the )?(\w+ ){0,3}?(and|or|vs|versus)( a| an| the)?$")
# A temperature word, a degree sign, or a bare reading like "100.9" (which in
# this assistant's context is a temperature).
_TEMPERATURE_CONTEXT = re.compile(
    r"\b(fever|feaver|fevr|temp|temperature|thermometer|degrees?|deg|fiebre|temperatura|grados|termometro)\b|°"
    r"|\b(i[’']?m|i am|im) at (9\d|10[0-5])\b", re.I)
# "she's been running 38.4." ends a sentence; Spanish writes "38,5".
_BARE_READING = re.compile(r"\b(9\d|1[01]\d|3[6-9]|4[0-2])[.,]\d(?!\d|[.,]\d)")
#: Words that make a clause an instruction about when to call ("the sheet says call at 38",
#: "call if it is 100.4 or more", "la hoja dice que llame si pasa de 38").
#: Not "says", "over" or "calling": "the thermometer says 38", "now it's over 38, I'm calling" are readings.
_INSTRUCTION = re.compile(r"\b(sheet|hoja|instructions?|paper|papel|handout|discharge|call (at|if|when|for)|"
                          r"llam\w* si|si pasa de)\b", re.I)
#: Right after the threshold, a unit to convert it to: the number is a question, not a reading.
_CONVERSION = re.compile(
    r"\W*(in|to|into|en|a) (celsius|centigrad\w*|fahrenheit|grados (celsius|centigrados|fahrenheit))\b", re.I)
# A bare number after these words is not a temperature ("my BMI is 38.5.", "version 101.2.", "$101.50").
_NOT_A_TEMPERATURE = re.compile(
    r"(\b(version|ver|v|bmi|weigh\w*|weight|station|fm|exit|route|page|size|score|mph|miles|km|peso|pesa)\b"
    r"(\W+\w+)?\W*|\$\s*)$", re.I)
# Any number right after another vital sign is not a temperature, even beside a fever word ("tengo mucha
# fiebre, el oxímetro marca 96", "pressure 98/60"). Narrower than the list above on purpose: Spanish
# "ver" and "peso" stand before real readings ("me lo puse para ver: 38.5").
_OTHER_VITAL = re.compile(r"\b(oxygen|o2|spo2|sats|saturation|pulse|heart rate|pressure|ox[ií]metro|ox[ií]geno|"
                          r"saturaci[oó]n|pulso|presi[oó]n)\b(\W+\w+)?\W*$", re.I)
_READING = re.compile(
    r"(?<![\d.$])(\d{2,3}(?:[.,]\d{1,2})?)(?![.,]?\d)(?!\s*-?\s*(?:years?|yrs?|y/?o\b|hours?|hrs?\b|days?|weeks?|wks?\b|months?|minutes?|mins?\b|"
    r"seconds?|secs?\b|lbs?\b|pounds?|kg\b|kilos?|%|percent|mg\b|ml\b|cm\b|mm\b|a[nñ]os|horas|d[ií]as|semanas|meses|minutos))"
    r"\s*(?:°|º|deg(?:rees?)?)?\s*(f|c|fahrenheit|celsius)?\b", re.I)

# Temperatures written in words with a decimal ("a hundred and one point two", "one oh one point
# five", "thirty eight point five", "ciento uno punto cinco") become digits before they are read.
# Only with a decimal: a spelled whole number is as likely a count, a price, an age or a time
# ("a hundred bucks", "one oh seven", "thirty nine and a half"), and a reading below the threshold
# would set her fever words aside.
_DIGIT_WORDS = {"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "cero": 0, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4,
                "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9}
_TENS_WORDS = {"thirty": 30, "forty": 40, "ninety": 90, "treinta": 30, "cuarenta": 40, "noventa": 90}
_DIGIT = "|".join(_DIGIT_WORDS)
_SMALL = "one|two|three|four|five|uno|dos|tres|cuatro|cinco"
_SPELLED_TEMPERATURE = re.compile(
    rf"\b(?:(?:(?:a|one)\s+hundred(?:\s+and)?|ciento)(?:\s+(?P<hu>{_SMALL}))?|one\s+oh\s+(?P<oh>{_SMALL}|zero|oh)"
    rf"|(?P<tens>{'|'.join(_TENS_WORDS)})(?:-|\s+y\s+|\s+)(?P<unit>{_DIGIT}))"
    rf"\s+(?:point|punto|coma)\s+(?P<dec>{_DIGIT})\b", re.I)


def spelled_temperatures(text: str) -> str:
    """The text with temperatures written in words, with a decimal, replaced by digits."""
    def digits(m: re.Match) -> str:
        if m["tens"]:
            value = _TENS_WORDS[m["tens"].lower()] + _DIGIT_WORDS[m["unit"].lower()]
        else:
            small = m["hu"] or m["oh"]
            value = 100 + (_DIGIT_WORDS[small.lower()] if small else 0)
        reading = f"{value}.{_DIGIT_WORDS[m['dec'].lower()]}"
        return reading if 34 <= value <= 43 or 90 <= value <= 110 else m.group(0)
    return _SPELLED_TEMPERATURE.sub(digits, text)


def fold_accents(word: str) -> str:
    """"está" -> "esta": Spanish rules are written without accents, as many patients type."""
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Rule:
    route: str
    id: str
    reason: str
    pattern: re.Pattern
    negatable: bool = True
    negation_window: Optional[int] = None  # overrides the global window for this rule
    general_question: bool = False  # suppressed by a general-question cue ("how often is it cancer")
    resolvable: bool = True  # False: "she's ok now" does not set it aside (a faint today needs a check)
    #: A crisis rule for a sign that is not about wanting to die (compulsive self-injury). It gives way
    #: to an emergency rule in the same message ("picked at it until it bled, now it won't stop" needs
    #: 911 and first aid first), and, like a medical rule, to hypothetical, history and resolution cues
    #: ("years ago my OCD made me pick..."). Every other crisis rule outranks 911 and yields only to a negation.
    soft_crisis: bool = False
    #: An emergency rule for an attempt under way (an overdose taken, a cut that keeps bleeding): its
    #: 911 route outranks every crisis rule and the learned detector's crisis, and 988 follows it.
    outranks_crisis: bool = False
    #: With `outranks_crisis`: an accident, not an attempt (a child who swallowed her pills). 911
    #: still outranks any crisis reading, but the reply adds no crisis line and the ticket does not
    #: call it an overdose taken: 988 is not what a parent whose toddler ate her tramadol needs.
    accidental: bool = False


@dataclass(frozen=True)
class Match:
    route: str
    rule: str
    reason: str
    matched: str
    #: negation | hypothetical | resolved | history | below_threshold | general_question | someone_else
    #: | moderate_fever
    suppressed_by: Optional[str] = None


@dataclass
class TriageResult:
    route: Optional[str]
    matches: List[Match] = field(default_factory=list)

    @property
    def moderate_fever(self) -> bool:
        """The clinic today because a 911 fever match was set aside for her reading under the high
        mark with plain chills and no sign of being very unwell."""
        return self.route == "same_day" and any(m.suppressed_by == "moderate_fever" for m in self.matches)

    @property
    def fired(self) -> List[Match]:
        return [m for m in self.matches if m.suppressed_by is None]

    @property
    def suppressed(self) -> List[Match]:
        return [m for m in self.matches if m.suppressed_by is not None]

    def as_parse_data(self) -> Dict[str, Any]:
        """What is stored with the message, so a reviewer can see why it was routed."""
        return {
            "route": self.route,
            "matched": [asdict(m) for m in self.fired],
            "suppressed": [asdict(m) for m in self.suppressed],
        }


@dataclass(frozen=True)
class Temperature:
    fahrenheit: float
    celsius: float
    high_fahrenheit: float
    high_celsius: float

    def high(self, value: float) -> bool:
        """A reading that is a high fever, in either scale (a Celsius value is under 45)."""
        return value >= (self.high_celsius if value < 45 else self.high_fahrenheit)

    def readings(self, text: str) -> List[Tuple[float, bool]]:
        """(value, is_fever) for every temperature written in `text`."""
        text = spelled_temperatures(text)
        if not (_TEMPERATURE_CONTEXT.search(text) or any(
                not _NOT_A_TEMPERATURE.search(text[max(0, bare.start() - 30):bare.start()])
                for bare in _BARE_READING.finditer(text))):
            return []
        found = []
        for reading in _READING.finditer(text):
            raw, unit = reading.group(1), reading.group(2)
            after = text[reading.end():reading.end() + 2]
            if _OTHER_VITAL.search(text[max(0, reading.start() - 30):reading.start()]) or after.startswith("/"):
                continue  # "el oxímetro marca 96", "pressure 98/60": not a temperature
            value = float(raw.replace(",", "."))
            unit = (unit or "").lower()[:1]
            if unit == "c" or (not unit and 34 <= value <= 43):
                found.append((value, value >= self.celsius))
            elif unit == "f" or (not unit and 90 <= value <= 110):
                found.append((value, value >= self.fahrenheit))
        return found


class Triage:
    """Compiled triage rules; build once, call `assess` per message."""

    def __init__(self, data: Dict[str, Any]):
        self.normalize: Dict[str, str] = {str(k).lower(): str(v) for k, v in (data.get("normalize") or {}).items()}
        self.break_words = {w.lower() for w in data.get("clause_break_words") or []}
        cues = data.get("cues") or {}
        self.negation = re.compile(cues["negation"]["pattern"])
        self.negation_window = int(cues["negation"]["window"])
        self.hypothetical = re.compile(cues["hypothetical"]["pattern"])
        self.hypothetical_window = int(cues["hypothetical"]["window"])
        self.general = re.compile(cues["general"]["pattern"])
        self.general_window = int(cues["general"]["window"])
        self.resolved = re.compile(cues["resolved"]["pattern"])
        self.history = re.compile(cues["history"]["pattern"])
        self.present = re.compile(cues["present"]["pattern"])
        self.affirmed = re.compile(cues["affirmed"]["pattern"])
        other = cues["someone_else"]
        self.other_people = frozenset(str(other["people"]).split("|"))
        self.other_animals = frozenset(str(other["animals"]).split("|"))
        self.other_pronouns = frozenset(str(other["pronouns"]).split("|"))
        self.self_words = frozenset(str(other["self"]).split("|"))
        self.writer_is_patient = re.compile(other["patient"])
        self.their_procedure = re.compile(other["their_procedure"])
        self.handled = re.compile(other["handled"])
        self.reporting = frozenset(str(other["reporting"]).split("|"))
        self.mine_too = re.compile(other["mine_too"])
        self.her_plans = re.compile(other["her_plans"])
        routes = data.get("routes") or {}
        if tuple(routes) != ROUTES:
            raise ValueError(f"triage routes must be {ROUTES} in that order, got {tuple(routes)}")
        self.rules: List[Rule] = []
        self.temperature: Optional[Temperature] = None
        self.late_results: Optional[Rule] = None  # compares the promised wait with the time passed (waiting.py)
        self.fever_words: frozenset = frozenset()  # rules a below-threshold reading sets aside
        self.moderate_rules: frozenset = frozenset()  # 911 fever rules a moderate reading sets aside
        self.severe: Optional[re.Pattern] = None  # words that keep a moderate reading's fever at 911
        for route, spec in routes.items():
            for rule in spec.get("rules") or []:
                if rule.get("accidental") and not rule.get("outranks_crisis"):
                    raise ValueError(f"triage rule {rule['id']}: accidental only qualifies outranks_crisis")
                self.rules.append(Rule(route=route, id=rule["id"], reason=rule["reason"],
                                       pattern=re.compile(rule["pattern"]),
                                       negatable=bool(rule.get("negatable", True)),
                                       negation_window=rule.get("negation_window"),
                                       general_question=bool(rule.get("general_question", False)),
                                       resolvable=bool(rule.get("resolvable", True)),
                                       soft_crisis=bool(rule.get("soft_crisis", False)),
                                       outranks_crisis=bool(rule.get("outranks_crisis", False)),
                                       accidental=bool(rule.get("accidental", False))))
            if spec.get("late_results"):
                self.late_results = next((r for r in self.rules if r.id == spec["late_results"]), None)
                if self.late_results is None:
                    raise ValueError(f"triage late_results names no rule: {spec['late_results']!r}")
            if spec.get("fever_words"):
                self.fever_words = frozenset(str(r) for r in spec["fever_words"])
                unknown = self.fever_words - {r.id for r in self.rules}
                if unknown:
                    raise ValueError(f"triage fever_words names no rule: {sorted(unknown)}")
            if spec.get("temperature"):
                temperature = spec["temperature"]
                self.temperature = Temperature(float(temperature["fahrenheit"]), float(temperature["celsius"]),
                                               float(temperature["high_fahrenheit"]),
                                               float(temperature["high_celsius"]))
                self.moderate_rules = frozenset(str(r) for r in temperature.get("moderate_rules") or [])
                self.severe = re.compile(temperature["severe"]) if temperature.get("severe") else None
        unknown = self.moderate_rules - {r.id for r in self.rules}
        if unknown:
            raise ValueError(f"triage moderate_rules names no rule: {sorted(unknown)}")

    @classmethod
    def from_file(cls, path: Path = TRIAGE_FILE) -> Triage:
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    # -- normalisation ---------------------------------------------------------------

    def _normalise(self, tokens: Sequence[Tuple[str, str]]) -> Tuple[List[str], List[str], List[int]]:
        """Two aligned word lists (lemmas, surface words) and each word's clause.

        Rules are matched against both lists, because a lookup lemmatizer
        sometimes picks the wrong lemma ("worse" -> "wrong", "dying" -> "dye").
        """
        lemmas: List[str] = []
        surfaces: List[str] = []
        clauses: List[int] = []
        clause = 0
        for surface, lemma in tokens:
            key = fold_accents(surface.lower())
            lemma = fold_accents(lemma) if lemma else lemma
            if _PUNCT_BREAK.match(key) or key in self.break_words:
                clause += 1
                lemmas.append("|")  # a visible boundary that no rule word matches
                surfaces.append("|")
                clauses.append(clause)
                continue
            mapped = self.normalize.get(key) or self.normalize.get((lemma or key).lower())
            lemma_words = (mapped or (lemma or key)).lower().split()
            surface_words = (mapped or key).lower().split()
            if len(surface_words) != len(lemma_words):
                surface_words = lemma_words
            lemmas.extend(lemma_words)
            surfaces.extend(surface_words)
            clauses.extend([clause] * len(lemma_words))
        return lemmas, surfaces, clauses

    # -- assessment ------------------------------------------------------------------

    def assess(self, tokens: Sequence[Tuple[str, str]], text: str = "") -> TriageResult:
        """Triage one message given its (surface, lemma) tokens and raw text."""
        lemmas, surfaces, clauses = self._normalise(tokens)
        views = (lemmas, surfaces)
        readings = self.temperature.readings(text or " ".join(surfaces)) if self.temperature else []
        whole = " ".join(lemmas) + " | " + " ".join(surfaces)
        seen = set()
        matches: List[Match] = []
        fever_clauses: List[Tuple[int, Optional[str]]] = []  # where each fever word stands, and why it was set aside
        shaking_at: Dict[int, Tuple[int, int]] = {}  # index in `matches` of each 911 fever match -> its clauses
        for rule in self.rules:
            for words in views:
                for first, last, matched in self._find(rule.pattern, words, clauses):
                    key = (rule.id, first, last)
                    if key in seen:
                        continue
                    seen.add(key)
                    why = self._suppression(rule, views, clauses, first, last) \
                        or self._someone_else(rule, surfaces, clauses, first, last, whole)
                    if why is None and rule.id in self.fever_words and readings and not any(f for _, f in readings) \
                            and not self._says_now(views, clauses, first):
                        why = "below_threshold"  # "99.5 this morning, but now I'm burning up" is not below it
                    matches.append(Match(rule.route, rule.id, rule.reason, matched, why))
                    if rule.id in self.moderate_rules and why is None:
                        shaking_at[len(matches) - 1] = (clauses[first], clauses[last])
                    if rule.id in self.fever_words:
                        fever_clauses.append((clauses[first], why))
        if self.temperature and any(is_fever for _, is_fever in readings):
            value = max(v for v, is_fever in readings if is_fever)
            # "call if you get a fever over 100.4" quotes a number; it is not a reading. Only a fever
            # word in the reading's own clause can say so ("most women get a fever, mine is 102").
            where = self._clause_of_number(surfaces, clauses, value)
            reasons = [why for clause, why in fever_clauses if where is None or clause == where]
            why = None
            if reasons and all(r not in (None, "below_threshold") for r in reasons):
                why = reasons[0]
            if why == "hypothetical" and value not in (self.temperature.fahrenheit, self.temperature.celsius):
                why = None  # "what counts as a fever? mine is 100.8": only the sheet's own number is a quote
            if why is None and self._quotes_the_threshold(readings, value, surfaces, clauses):
                why = "quoted_threshold"
            if why is None and self._readings_in_the_past(readings, views, clauses):
                why = "history"  # "last month I had 100.5 for a day ... it went away"
            matches.append(Match("same_day", "measured_fever", f"temperature of {value:g}", str(value), why))
            if why is None and where is not None and self._moderate_fever(readings, whole):
                # Only a 911 fever match beside her own reading, for plain chills: never one for
                # confusion, and never when the number is an age, a quote or another day's.
                for index, span in shaking_at.items():
                    if span[0] <= where <= span[1] and _CHILLS.search(matches[index].matched):
                        matches[index] = replace(matches[index], suppressed_by="moderate_fever")
        late = overdue(text) if self.late_results and text else None
        if late and not any(m.rule == self.late_results.id and m.suppressed_by is None for m in matches):
            matches.append(Match(self.late_results.route, self.late_results.id, self.late_results.reason, late))
        # Keep, per rule, an unsuppressed match if there is one, else the first suppressed one.
        fired_rules = {m.rule for m in matches if m.suppressed_by is None}
        kept: List[Match] = []
        for m in matches:
            if m.suppressed_by is None or (m.rule not in fired_rules and m.rule not in {k.rule for k in kept}):
                kept.append(m)
        route = next((r for r in ROUTES if any(m.route == r and m.suppressed_by is None for m in kept)), None)
        if route == "crisis" and (self._crisis_yields(kept) or self.outranks(kept)):
            route = "emergency"
        return TriageResult(route=route, matches=kept)

    def _moderate_fever(self, readings: List[Tuple[float, bool]], whole: str) -> bool:
        """A fever she measured, every reading under the high mark, and no word of being very unwell.

        Part 3a sends a *high* fever with shaking chills, confusion or feeling very unwell to 911;
        "101 and chills" or "38.4, a bit achy" is Part 3b's fever, the clinic today. Blind writers
        labelled it so in every round.
        """
        fevers = [value for value, is_fever in readings if is_fever]
        if not (self.temperature and self.severe and fevers):
            return False
        return not any(self.temperature.high(v) for v in fevers) and not self.severe.search(whole)

    @property
    def attempt_rules(self) -> frozenset:
        """Ids of the rules for an attempt under way (`outranks_crisis`, not `accidental`)."""
        return frozenset(r.id for r in self.rules if r.outranks_crisis and not r.accidental)

    @property
    def accidental_rules(self) -> frozenset:
        """Ids of the rules for an accident to a child (`accidental`): the child is the patient."""
        return frozenset(r.id for r in self.rules if r.accidental)

    def outranks(self, matches: Sequence[Match]) -> bool:
        """Whether 911 must lead even over a crisis reading: a body already poisoned or cut cannot wait
        for the crisis line, whether it was an attempt or an accident."""
        ids = {r.id for r in self.rules if r.outranks_crisis}
        return any(m.rule in ids for m in matches if m.suppressed_by is None)

    def _crisis_yields(self, matches: Sequence[Match]) -> bool:
        """True when an emergency rule fired and every crisis rule that fired gives way to it."""
        fired = [m for m in matches if m.suppressed_by is None]
        yielding = {r.id for r in self.rules if r.soft_crisis}
        return any(m.route == "emergency" for m in fired) and all(
            m.rule in yielding for m in fired if m.route == "crisis")

    def _someone_else(self, rule: Rule, words: List[str], clauses: List[int], first: int, last: int,
                      whole: str) -> Optional[str]:
        """ "someone_else" when a body sign belongs to another person or an animal (cue `someone_else`).

        Why a clause-level subject and a message-level check together: the sign's clause says whose
        it is ("my grandson has a 103 fever"), but only the rest of the message says whether the
        writer is the patient ("...right after my biopsy") or a relative reporting for her ("my mom
        had her biopsy, she is bleeding"), and a relative's report must always reach a person.
        """
        if rule.route not in ("emergency", "same_day") or not rule.negatable or rule.outranks_crisis:
            return None
        clause = clauses[first]
        sizes = Counter(clauses)
        named = any(w in self.other_people or w in self.other_animals for w in words[:first])
        last_person, animal = None, False
        # The nearest person before the sign, in its clause or in short asides just before it ("my
        # mother, not me, fainted"); "my" before another person's noun is part of that noun.
        for i in range(first - 1, -1, -1):
            if clauses[i] < clause - 2:
                break
            if clauses[i] != clause and sizes[clauses[i]] > 4:
                break  # an earlier clause counts only as a short aside ("my mother, not me, fainted")
            word = words[i]
            following = words[i + 1] if i + 1 < len(words) else ""
            if word in self.other_people or word in self.other_animals:
                if word == "mama" and i > 0 and words[i - 1] in ("de", "la"):
                    continue  # "biopsia de mama", "la mama": the breast
                last_person, animal = "other", word in self.other_animals
            elif word in self.other_pronouns and named:
                # A pronoun stands for the last person or animal named ("my dog cut his paw").
                last_person = "other"
                animal = next((w in self.other_animals for w in reversed(words[:i])
                               if w in self.other_people or w in self.other_animals), False)
            elif word in self.reporting:
                return None  # "my husband says it looks red": he is telling her sign
            elif word in self.self_words and not self._names_another(word, following) \
                    and not (i > 0 and words[i - 1] in ("not", "no")):
                last_person = "self"
            if last_person:
                break
        if last_person != "other":
            return None
        # Her own plans after the sign ("...and my biopsy is tomorrow at 8") do not make it hers.
        # "with me" says who came along, not whose sign it is ("my sister came with me and she fainted").
        ahead = [w for i, w in enumerate(words[:first]) if clauses[i] == clause
                 and not (w == "me" and i > 0 and words[i - 1] == "with")]
        behind = " ".join(w for i, w in enumerate(words[last + 1:], start=last + 1) if clauses[i] == clause)
        if self._speaks_of_her(ahead + self._not_told(self.her_plans.sub(" ", behind).split())):
            return None  # "fever 101.6 and my incision is red": her own clause speaks of her
        after = " ".join(w for i, w in enumerate(words[last + 1:], start=last + 1) if clauses[i] <= clause + 1)
        if self.mine_too.search(after):
            return None  # "my husband has a fever and so do I"
        if not animal:
            if not self.writer_is_patient.search(whole) or self.their_procedure.search(whole):
                return None
            nearby = {c: self._clause_text(words, clauses, c) for c in range(clause, clause + 3)}
            told = " | ".join(t for t in nearby.values() if not self._speaks_of_her(t.split()))
            if rule.route == "emergency" and not self.handled.search(told):
                return None  # another person's 911 sign happening now still gets 911
        return "someone_else"

    def _not_told(self, words: List[str]) -> List[str]:
        """Drop "me" beside a reporting verb: "the vet told me to watch her" ("el veterinario me dijo")
        says who was told, not whose sign it is."""
        return [w for i, w in enumerate(words) if not (w == "me" and (
            (i > 0 and words[i - 1] in self.reporting) or (i + 1 < len(words) and words[i + 1] in self.reporting)))]

    def _names_another(self, word: str, following: str) -> bool:
        return word in ("my", "mi", "mis") and (following in self.other_people or following in self.other_animals)

    def _speaks_of_her(self, words: List[str]) -> bool:
        return any(w in self.self_words and not self._names_another(w, words[i + 1] if i + 1 < len(words) else "")
                   and not (i > 0 and words[i - 1] in ("not", "no")) for i, w in enumerate(words))

    @staticmethod
    def _clause_text(words: List[str], clauses: List[int], clause: int) -> str:
        return " ".join(w for i, w in enumerate(words) if clauses[i] == clause)

    def _says_now(self, views: Tuple[List[str], List[str]], clauses: List[int], at: int) -> bool:
        return any(self.present.search(self._clause_text(words, clauses, clauses[at])) for words in views)

    def _quotes_the_threshold(self, readings: List[Tuple[float, bool]], value: float, surfaces: List[str],
                              clauses: List[int]) -> bool:
        """ "37.4 this morning ... the sheet says call at 38": the 38 is the instruction, not her reading.

        Only the sheet's own number, written once, in a clause that reads as an instruction, beside
        a reading of hers below it. "I'm at 38 now" has no instruction; "it said call at 38, I'm
        at 38" writes it twice; both still go to the clinic.
        """
        if self.temperature is None or value not in (self.temperature.fahrenheit, self.temperature.celsius):
            return False
        if sum(1 for v, _ in readings if v == value) != 1 or not any(not f for _, f in readings):
            return False
        where = self._clause_of_number(surfaces, clauses, value)
        if where is None:
            return False
        # The instruction must come before the number, and the clause must not say it is hers now
        # ("now I'm at 38 and the sheet says to call at that", "this afternoon it's 100.4").
        clause = self._clause_text(surfaces, clauses, where).replace(",", ".")
        number = re.search(rf"(?<![\d.]){re.escape(f'{value:g}')}(?![\d])", clause)
        if not number:
            return False
        before, after = clause[: number.start()], clause[number.end():]
        if _CONVERSION.match(after):
            return True  # "what's 100.4 in celsius? thermometer says 37.2": a sum, not a reading
        # "Now" after the number counts unless it belongs to her own lower reading ("la hoja dice
        # llamar si +100.4, tengo 99.6").
        hers_after = self.present.search(_BARE_READING.sub(" ", after)) if after else None
        return bool(_INSTRUCTION.search(before) and not self.present.search(before) and not hers_after)

    def _readings_in_the_past(self, readings: List[Tuple[float, bool]], views: Tuple[List[str], List[str]],
                              clauses: List[int]) -> bool:
        """Every fever reading stands in a clause that dates it to another time and does not say
        "now", and the message then says it passed ("last month I had 100.5 for a day ... it went
        away"). Why all three: a date in the clause often dates the biopsy, not the reading ("I had
        my biopsy last week and my temp is 100.9"), and "last time I had 101 they sent me in, today
        it's 100.9" is a fever today."""
        lemmas, surfaces = views
        found = [self._clause_of_number(surfaces, clauses, v) for v, is_fever in readings if is_fever]
        if not found or any(c is None for c in found):
            return False

        def past(c: int) -> bool:
            rest = [w for i, w in enumerate(lemmas) if c <= clauses[i] <= c + 3]
            return self.resolved.search(" ".join(rest)) is not None and any(
                self.history.search(self._clause_text(words, clauses, c))
                and not self.present.search(self._clause_text(words, clauses, c)) for words in views)

        return all(past(c) for c in found)

    @staticmethod
    def _clause_of_number(surfaces: List[str], clauses: List[int], value: float) -> Optional[int]:
        for i, word in enumerate(surfaces):
            number = re.match(r"^[+~>≥]?(\d+(?:[.,]\d+)?)", word)  # "+100.4", "~38", ">38"
            if number and abs(float(number.group(1).replace(",", ".")) - value) < 1e-9:
                return clauses[i]
        return None

    @staticmethod
    def _find(pattern: re.Pattern, words: List[str], clauses: List[int]) -> List[Tuple[int, int, str]]:
        """Matches over the whole message and inside each clause, as word spans.

        Whole-message matching catches signs written across a comma ("fever
        102, shaking chills"); per-clause matching stops one long match from
        hiding a shorter one in a later clause.
        """
        spans: List[Tuple[int, int, str]] = []
        segments = [(0, len(words))]
        start = 0  # clause numbers never decrease, so each clause is one run (one pass, not one per clause)
        for i in range(1, len(clauses) + 1):
            if i == len(clauses) or clauses[i] != clauses[i - 1]:
                segments.append((start, i))
                start = i
        for begin, end in segments:
            part = words[begin:end]
            joined = " ".join(part)
            starts, pos = [], 0
            for word in part:
                starts.append(pos)
                pos += len(word) + 1
            for found in pattern.finditer(joined):
                first = begin + max(i for i, st in enumerate(starts) if st <= found.start())
                last = begin + max(i for i, st in enumerate(starts) if st <= max(found.end() - 1, found.start()))
                spans.append((first, last, found.group(0)))
        return spans

    def _suppression(self, rule: Rule, views: Tuple[List[str], List[str]], clauses: List[int],
                     first: int, last: int) -> Optional[str]:
        clause, end_clause = clauses[first], clauses[last]
        if rule.general_question:
            for words in views:
                before = [w for i, w in enumerate(words[:first]) if clauses[i] == clause and w != "|"]
                if self.general.search(" ".join(before[-self.general_window:])):
                    return "general_question"
        if not rule.negatable:
            return None
        # "...which is what's happening now": she says the sign is hers, in either word view.
        affirmed = any(self.affirmed.search(" ".join(words[last + 1:])) for words in views)
        for words in views:
            # The boundary token opens its clause; leaving it out lets a cue anchored at the window's
            # start ("^what$") see the clause's first word after a full stop too.
            before = [w for i, w in enumerate(words[:first]) if clauses[i] == clause and w != "|"]
            window = rule.negation_window or self.negation_window
            scope = " ".join(before[-window:]).split(" and ")[-1]
            if self.negation.search(scope):
                return "negation"
            if rule.route == "crisis" and not rule.soft_crisis:
                # Fact sheet 3d: any mention of suicidal thoughts, self-harm or a plan goes to a
                # person. Only a negation right before it ("not suicidal") sets it aside; a worry
                # word, a film or an old date never does ("is it normal to feel suicidal?").
                continue
            # A match that runs across a clause break takes its cues from the clause where the
            # sign is stated, never from one that only set the scene ("most women get a fever,
            # but mine is 102 with chills"). A conditional reaches back to the last "and", "so",
            # "because" or "which" ("the nurse said call if it keeps bleeding and it keeps bleeding").
            near = before if end_clause == clause else []
            window_text = " ".join(near[-self.hypothetical_window:])
            conditional = _CONDITIONAL_BREAK.split(window_text)[-1]
            if (self.hypothetical.search(conditional) or _BETWEEN.search(window_text)) and not affirmed:
                return "hypothetical"
            clause_text = self._clause_text(words, clauses, end_clause)
            if self.history.search(clause_text) and not self.present.search(clause_text):
                return "history"
            # Resolution counts only in the sign's clause and the two after it, not in a
            # later remark about someone else ("...he's fine with driving me in").
            rest = [w for i, w in enumerate(words[last + 1:], start=last + 1) if clauses[i] <= end_clause + 2]
            if rule.resolvable and self.resolved.search(" ".join(rest)):
                return "resolved"
        return None


@lru_cache(maxsize=1)
def default_triage() -> Triage:
    return Triage.from_file()
