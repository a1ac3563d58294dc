"""Rules every knowledge-base entry must pass before it can be loaded.

The rules encode the content policy (plain language, SMS budget, traceable
sources, sign-off) so that a bad edit is caught by `python -m bot kb validate`
and by CI, not by a patient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple
from urllib.parse import urlsplit

import textstat

from bot.kb.schema import MEDICINE_PLACEHOLDER, REVIEW_ROLES, REVIEW_STATUSES, Entry, entry_from_dict
from bot.text.gsm7 import MAX_MESSAGE, gsm7_length

MAX_WEB_WORDS = 120
MAX_GRADE = 8.0
MAX_TITLE_CHARS = 30
# Variants get a medicine name spliced in; keep room for a long one.
MAX_VARIANT_SMS = MAX_MESSAGE - 26
SAMPLE_MEDICINE = "Eliquis"
BIRADS_VARIANT = re.compile(r"^category_([0-6]|4[abc])$")
SEED_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
FACT_ID = re.compile(r"^F\d{2}$")
REQUIRED = ("id", "intent", "title", "web", "sms", "follow_ups", "facts", "sources", "review")
REQUIRED_REVIEW = ("status", "reviewer", "role", "date")
MEDICATION_INTENT = "ask_biopsy_medication"
#: Clinic settings an answer may name; filled in when the reply is sent (bot/fixed_replies.py).
#: Length and grade are measured with a long sample number in their place.
PLACEHOLDER_SAMPLES = {
    "{nurse_line}": "1-800-555-0100",
    "{clinic_phone}": "1-800-555-0100",
    "{after_hours_phone}": "1-800-555-0100",
    "{today_phone}": "1-800-555-0100",
    "{nurse_line_hours}": "Mon-Fri 8:00-17:00",
    "{clinic_name}": "Riverside Breast Center",
}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
#: Pages that list or search articles rather than state anything a reviewer can check.
NOT_AN_ARTICLE = re.compile(r"/(tag|tags|category|categories|search|topics?)/|/(list|index|search)(\.\w+)?/?$"
                            r"|[?&](q|s|search)=", re.IGNORECASE)


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


def with_samples(text: str) -> str:
    """The text as a patient could see it, with the longest likely clinic settings filled in."""
    for key, value in PLACEHOLDER_SAMPLES.items():
        text = text.replace(key, value)
    return text


def reference_problem(url: str) -> Optional[str]:
    """Why a reference URL is not an https article page a reviewer can open, or None."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        return f"'{url}' is not an https URL"
    if parts.path.strip("/") == "":
        return f"'{url}' is a home page; cite the article page"
    if NOT_AN_ARTICLE.search(url):
        return f"'{url}' is a tag, topic or search page; cite the article page"
    return None


def _check_text(problems: List[KBProblem], where: Tuple[str, str], field: str, web: str, sms: str,
                sms_limit: int) -> None:
    file, eid = where
    for part, text in (("web", web), ("sms", sms)):
        for name in PLACEHOLDER.findall(text):
            if name not in PLACEHOLDER_SAMPLES and name != MEDICINE_PLACEHOLDER:
                problems.append(KBProblem(file, eid, field + part, f"unknown placeholder {name}"))
    web, sms = with_samples(web), with_samples(sms)
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
        grade = reading_grade(sms)
        if grade > MAX_GRADE:
            problems.append(KBProblem(file, eid, field + "sms",
                                      f"reading grade {grade:.1f}, the limit is {MAX_GRADE:g}"))


def validate_entries(
    raw_entries: Sequence[Tuple[str, Dict[str, Any]]],
    known_intents: Set[str],
    forbidden_phrases: Iterable[str] = (),
    medicine_classes: Optional[Set[str]] = None,
    known_facts: Optional[Set[str]] = None,
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
        if review.get("role") and review["role"] not in REVIEW_ROLES:
            problems.append(KBProblem(file, eid, "review.role",
                                      f"'{review['role']}' is not one of {', '.join(REVIEW_ROLES)}"))
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
            elif known_facts is not None and fact not in known_facts:
                problems.append(KBProblem(file, eid, "facts", f"'{fact}' is not in the fact sheet"))
        if entry.intent == MEDICATION_INTENT and medicine_classes:
            for cls in sorted(medicine_classes - set(entry.variants)):
                problems.append(KBProblem(file, eid, "variants",
                                          f"no variant for the medicine class '{cls}' (data/spacy/medications.yml)"))
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
                if not (ref.name and ref.title and ref.url):
                    problems.append(KBProblem(file, eid, "sources.references",
                                              "each reference needs name, title and URL"))
                elif reference_problem(ref.url):
                    problems.append(KBProblem(file, eid, "sources.references", str(reference_problem(ref.url))))
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


def unconfirmed_facts(fact_status: Dict[str, str], also: Iterable[str] = ()) -> Set[str]:
    """Facts the fact sheet has not confirmed: any part S (secondary), or K (not re-read) alone."""
    found = set(also)
    for fact, status in fact_status.items():
        parts = [p.strip()[:1] for p in status.split("/")]
        if "S" in parts or (parts and all(p == "K" for p in parts)):
            found.add(fact)
    return found


def clinician_flags(entry: Entry, unconfirmed: Set[str]) -> List[str]:
    """Why a clinician must look closely at this entry before signing it off."""
    flags = [f"uses unconfirmed fact {fact}" for fact in entry.facts if fact in unconfirmed
             and fact not in entry.checked_facts]
    return flags + list(entry.review_flags)


def strict_problems(entries: Sequence[Entry], unconfirmed: Set[str]) -> List[KBProblem]:
    """What stops go-live: every served entry needs a current clinician sign-off.

    An editor's approval is enough to serve during development; a clinic runs
    `kb validate --strict` before go-live, and it fails until a clinician has
    signed each served entry's current text and checked its unconfirmed facts.
    """
    problems: List[KBProblem] = []
    for entry in entries:
        if not entry.approved:
            continue
        where = (entry.source_file, entry.id)
        if entry.review_role != "clinician":
            problems.append(KBProblem(*where, "review.role",
                                      f"served without a clinician's sign-off (reviewed by {entry.reviewer or '?'}, "
                                      f"{entry.review_role or 'no role'})"))
        elif entry.signed_hash != entry.text_hash():
            problems.append(KBProblem(*where, "review.content_hash",
                                      f"the text changed after the sign-off; sign {entry.text_hash()}"))
        for fact in entry.facts:
            if fact in unconfirmed and fact not in entry.checked_facts:
                problems.append(KBProblem(*where, "review.checked_facts",
                                          f"uses unconfirmed fact {fact}; the clinician must check it"))
    return problems
