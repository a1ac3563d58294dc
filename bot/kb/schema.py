"""The shape of a knowledge-base entry, shared by the loader, validator and lookup."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Dict, List, Optional

REVIEW_STATUSES = ("draft", "approved")
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
    )
