"""The shape of a knowledge-base entry, shared by the loader, validator and lookup."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Dict, List, Optional

REVIEW_STATUSES = ("draft", "approved")
#: Who signed the entry off. Only a clinician's sign-off satisfies `kb validate --strict`.
REVIEW_ROLES = ("editor", "clinician")
MEDICINE_PLACEHOLDER = "{medicine}"


@dataclass(frozen=True)
class Reference:
    name: str
    title: str
    url: str


@dataclass(frozen=True)
class Variant:
    """An alternative answer used when the patient names a medicine of one class."""

    web: str
    sms: str


@dataclass(frozen=True)
class Entry:
    id: str
    intent: str
    title: str
    web: str
    sms: str
    follow_ups: List[str]
    facts: List[str]
    seeds: List[str]
    references: List[Reference]
    review_status: str
    reviewer: str
    review_date: Optional[date]
    variants: Dict[str, Variant] = field(default_factory=dict)
    source_file: str = ""
    review_role: str = ""
    #: Unconfirmed facts the signing clinician checked against their primary source.
    checked_facts: List[str] = field(default_factory=list)
    #: The text hash the clinician signed; any later edit to the text voids the sign-off.
    signed_hash: str = ""
    #: Reasons an editor gives for a clinician to look closely (e.g. sources outside the fact sheet).
    review_flags: List[str] = field(default_factory=list)

    @property
    def approved(self) -> bool:
        return self.review_status == "approved"

    def content_hash(self) -> str:
        """A stable fingerprint of everything a reviewer signs off on."""
        payload = asdict(self)
        payload.pop("source_file")
        payload["review_date"] = str(self.review_date)
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def text_hash(self) -> str:
        """A fingerprint of what the patient is shown (texts, facts, sources), without the review itself.

        A clinician's sign-off records this hash, so editing an answer after it was
        signed voids the sign-off instead of silently inheriting it.
        """
        payload = {
            "id": self.id, "intent": self.intent, "title": self.title, "web": self.web, "sms": self.sms,
            "follow_ups": self.follow_ups, "facts": self.facts, "seeds": self.seeds,
            "references": [asdict(r) for r in self.references],
            "variants": {k: asdict(v) for k, v in sorted(self.variants.items())},
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    @property
    def clinician_signed(self) -> bool:
        return self.approved and self.review_role == "clinician" and self.signed_hash == self.text_hash()

    def source_names(self) -> List[str]:
        """Publisher names in order, without repeats, for the short "Source:" line."""
        names: List[str] = []
        for ref in self.references:
            if ref.name not in names:
                names.append(ref.name)
        return names


def _text(raw: Dict[str, Any], key: str) -> str:
    value = raw.get(key)
    return " ".join(str(value).split()) if value is not None else ""


def entry_from_dict(raw: Dict[str, Any], source_file: str = "") -> Entry:
    """Build an Entry from YAML data, tolerating gaps (the validator reports them)."""
    sources = raw.get("sources") or {}
    review = raw.get("review") or {}
    review_date = review.get("date")
    if isinstance(review_date, str):
        try:
            review_date = date.fromisoformat(review_date)
        except ValueError:
            review_date = None
    variants = {
        str(key): Variant(web=_text(v or {}, "web"), sms=_text(v or {}, "sms"))
        for key, v in (raw.get("variants") or {}).items()
    }
    return Entry(
        id=str(raw.get("id") or ""),
        intent=str(raw.get("intent") or ""),
        title=_text(raw, "title"),
        web=_text(raw, "web"),
        sms=_text(raw, "sms"),
        follow_ups=[str(x) for x in (raw.get("follow_ups") or [])],
        facts=[str(x) for x in (raw.get("facts") or [])],
        seeds=[str(x) for x in (sources.get("seeds") or [])],
        references=[
            Reference(name=_text(r, "name"), title=_text(r, "title"), url=_text(r, "url"))
            for r in (sources.get("references") or [])
            if isinstance(r, dict)
        ],
        review_status=str(review.get("status") or ""),
        reviewer=str(review.get("reviewer") or ""),
        review_date=review_date if isinstance(review_date, date) else None,
        variants=variants,
        source_file=source_file,
        review_role=str(review.get("role") or ""),
        checked_facts=[str(x) for x in (review.get("checked_facts") or [])],
        signed_hash=str(review.get("content_hash") or ""),
        review_flags=[str(x) for x in (review.get("flags") or [])],
    )
