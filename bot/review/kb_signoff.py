"""Clinicians' sign-off of knowledge-base entries, version by version (content hash).

An approval names the clinician, her role, the date and the exact text's hash;
a later edit changes the hash, so the approval no longer covers it. With
KB_REQUIRE_CLINICIAN=true the assistant serves only approved hashes
(`bot/kb/lookup.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, List, Optional

from sqlalchemy import select

from bot.db import session_scope
from bot.db.models import KBEntryRow, KBSignoff


@dataclass(frozen=True)
class Decision:
    entry_id: str
    content_hash: str
    decision: str
    note: str
    signer: str
    signer_role: str
    signed_at: datetime


@dataclass(frozen=True)
class EntryStatus:
    entry_id: str
    intent: str
    title: str
    content_hash: str
    review_status: str
    #: approved | returned | unsigned, for the current text's hash
    state: str
    latest: Optional[Decision]


def _decision(r: KBSignoff) -> Decision:
    return Decision(r.entry_id, r.content_hash, r.decision, r.note, r.signer, r.signer_role, r.signed_at)


def decisions(entry_id: str, database_url: Optional[str] = None) -> List[Decision]:
    with session_scope(database_url) as session:
        rows = session.execute(select(KBSignoff).where(KBSignoff.entry_id == entry_id)
                               .order_by(KBSignoff.id.desc())).scalars()
        return [_decision(r) for r in rows]


def entry_row(entry_id: str, database_url: Optional[str] = None) -> Optional[KBEntryRow]:
    with session_scope(database_url) as session:
        return session.get(KBEntryRow, entry_id)


def statuses(database_url: Optional[str] = None) -> List[EntryStatus]:
    with session_scope(database_url) as session:
        entries = session.execute(select(KBEntryRow).order_by(KBEntryRow.title)).scalars().all()
        latest: Dict[tuple, KBSignoff] = {}
        for r in session.execute(select(KBSignoff).order_by(KBSignoff.id)).scalars():
            latest[(r.entry_id, r.content_hash)] = r
        out = []
        for e in entries:
            last = latest.get((e.id, e.content_hash))
            out.append(EntryStatus(e.id, e.intent, e.title, e.content_hash, e.review_status,
                                   last.decision if last else "unsigned", _decision(last) if last else None))
        return out


def decide(entry_id: str, content_hash: str, decision: str, signer: str, signer_role: str, note: str = "",
           database_url: Optional[str] = None) -> bool:
    """Record a decision on the version the clinician saw; False if the entry changed meanwhile."""
    if decision not in ("approved", "returned"):
        raise ValueError("decision must be approved or returned")
    with session_scope(database_url) as session:
        entry = session.get(KBEntryRow, entry_id)
        if entry is None or entry.content_hash != content_hash:
            return False
        session.add(KBSignoff(entry_id=entry_id, content_hash=content_hash, decision=decision, note=note.strip()[:4000],
                              signer=signer, signer_role=signer_role,
                              signed_at=datetime.now(timezone.utc).replace(tzinfo=None)))
        return True
