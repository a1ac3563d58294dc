"""Rules every knowledge-base entry must pass before it can be loaded.

The rules encode the content policy (plain language, SMS budget, traceable
sources, sign-off) so that a bad edit is caught by `python -m bot kb validate`
and by CI, not by a patient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import textstat

from bot.kb.schema import MEDICINE_PLACEHOLDER, REVIEW_STATUSES, entry_from_dict
from bot.text.gsm7 import MAX_MESSAGE, gsm7_length

MAX_WEB_WORDS = 120
MAX_GRADE = 8.0
MAX_TITLE_CHARS = 30
# Variants get a medicine name spliced in; keep room for a long one.
MAX_VARIANT_SMS = MAX_MESSAGE - 26
SAMPLE_MEDICINE = "Eliquis"
BIRADS_VARIANT = re.compile(r"^category_[0-6]$")
SEED_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
FACT_ID = re.compile(r"^F\d{2}$")
REQUIRED = ("id", "intent", "title", "web", "sms", "follow_ups", "facts", "sources", "review")
REQUIRED_REVIEW = ("status", "reviewer", "date")


@dataclass(frozen=True)
class KBProblem:
    source_file: str
    entry_id: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source_file}: entry '{self.entry_id}', field '{self.field}': {self.message}"


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade, the measure our content policy is written against."""
    return float(textstat.flesch_kincaid_grade(text))


def _check_text(problems: List[KBProblem], where: Tuple[str, str], field: str, web: str, sms: str,
                sms_limit: int) -> None:
    file, eid = where
    if web:
        words = len(web.split())
        if words > MAX_WEB_WORDS:
            problems.append(KBProblem(file, eid, field + "web", f"{words} words, the limit is {MAX_WEB_WORDS}"))
        grade = reading_grade(web)
        if grade > MAX_GRADE:
            problems.append(KBProblem(file, eid, field + "web",
                                      f"reading grade {grade:.1f}, the limit is {MAX_GRADE:g}"))
    if sms:
        try:
            length = gsm7_length(sms)
        except ValueError as exc:
            problems.append(KBProblem(file, eid, field + "sms", str(exc)))
        else:
            if length > sms_limit:
                problems.append(KBProblem(file, eid, field + "sms",
                                          f"{length} GSM-7 characters, the limit is {sms_limit}"))


def validate_entries(
    raw_entries: Sequence[Tuple[str, Dict[str, Any]]],
    known_intents: Set[str],
    forbidden_phrases: Iterable[str] = (),
    medicine_classes: Optional[Set[str]] = None,
) -> List[KBProblem]:
    """Return every problem found; an empty list means the KB may be loaded.

    `raw_entries` are (file name, YAML mapping) pairs so each message can point
    the editor at the exact file, entry and field.
    """
    problems: List[KBProblem] = []
    ids: Dict[str, str] = {}
    intents: Dict[str, str] = {}
    forbidden = [p.lower() for p in forbidden_phrases]

    for file, raw in raw_entries:
        eid = str(raw.get("id") or "?")
        where = (file, eid)
        for key in REQUIRED:
            if key not in raw or raw[key] in (None, "", []) and key not in ("facts",):
                problems.append(KBProblem(file, eid, key, "missing"))
        review = raw.get("review") or {}
        for key in REQUIRED_REVIEW:
            if not review.get(key):
                problems.append(KBProblem(file, eid, f"review.{key}", "missing"))
        if review.get("status") and review["status"] not in REVIEW_STATUSES:
            problems.append(KBProblem(file, eid, "review.status",
                                      f"'{review['status']}' is not one of {', '.join(REVIEW_STATUSES)}"))
        entry = entry_from_dict(raw, file)
        if review.get("date") and entry.review_date is None:
            problems.append(KBProblem(file, eid, "review.date", "not a date (use YYYY-MM-DD)"))

        if raw.get("id"):
            if eid in ids:
                problems.append(KBProblem(file, eid, "id", f"duplicate id (also in {ids[eid]})"))
            ids.setdefault(eid, file)
        if entry.intent:
            if entry.intent not in known_intents:
                problems.append(KBProblem(file, eid, "intent", f"unknown intent '{entry.intent}'"))
            if entry.intent in intents:
                problems.append(KBProblem(file, eid, "intent",
                                          f"intent '{entry.intent}' already answered by '{intents[entry.intent]}'"))
            intents.setdefault(entry.intent, eid)
        if len(entry.title) > MAX_TITLE_CHARS:
            problems.append(KBProblem(file, eid, "title", f"longer than {MAX_TITLE_CHARS} characters"))

        _check_text(problems, where, "", entry.web, entry.sms, MAX_MESSAGE)
        for name, variant in entry.variants.items():
            field = f"variants.{name}."
            is_medicine = medicine_classes is not None and name in medicine_classes
            if not is_medicine and not BIRADS_VARIANT.match(name):
                problems.append(KBProblem(file, eid, f"variants.{name}",
                                          "not a medicine class or a BI-RADS category (category_0 to category_6)"))
            for part, text in (("web", variant.web), ("sms", variant.sms)):
                if is_medicine and MEDICINE_PLACEHOLDER not in text:
                    problems.append(KBProblem(file, eid, field + part,
                                              f"must name the medicine with {MEDICINE_PLACEHOLDER}"))
                if not text:
                    problems.append(KBProblem(file, eid, field + part, "missing"))
            _check_text(problems, where, field,
                        variant.web.replace(MEDICINE_PLACEHOLDER, SAMPLE_MEDICINE),
                        variant.sms.replace(MEDICINE_PLACEHOLDER, SAMPLE_MEDICINE), MAX_VARIANT_SMS)

        if raw.get("follow_ups") is not None and not 1 <= len(entry.follow_ups) <= 3:
            problems.append(KBProblem(file, eid, "follow_ups", "give 1 to 3 follow-up topics"))
        for fact in entry.facts:
            if not FACT_ID.match(fact):
                problems.append(KBProblem(file, eid, "facts", f"'{fact}' is not a fact id like F01"))
        if raw.get("sources") is not None:
            if not entry.seeds:
                problems.append(KBProblem(file, eid, "sources.seeds", "name at least one seed file"))
            for seed in entry.seeds:
                if not SEED_NAME.match(seed):
                    problems.append(KBProblem(file, eid, "sources.seeds", f"'{seed}' is not a seed file name"))
            if not entry.references:
                problems.append(KBProblem(file, eid, "sources.references",
                                          "name at least one authoritative source with its URL"))
            for ref in entry.references:
                if not (ref.name and ref.title and ref.url.startswith(("https://", "http://"))):
                    problems.append(KBProblem(file, eid, "sources.references",
                                              "each reference needs name, title and a web URL"))
        texts = [entry.web, entry.sms] + [t for v in entry.variants.values() for t in (v.web, v.sms)]
        for phrase in forbidden:
            if any(phrase in t.lower() for t in texts):
                problems.append(KBProblem(file, eid, "web/sms", f"uses forbidden wording '{phrase}'"))

    for file, raw in raw_entries:
        for target in raw.get("follow_ups") or []:
            if str(target) not in ids:
                problems.append(KBProblem(file, str(raw.get("id") or "?"), "follow_ups",
                                          f"follow-up '{target}' is not an entry"))
            elif str(target) == raw.get("id"):
                problems.append(KBProblem(file, str(raw.get("id")), "follow_ups", "an entry cannot follow itself"))
    return problems
