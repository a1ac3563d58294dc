"""Handoff tickets: the nurse's queue of conversations that need a person.

Used by the actions (to open or escalate a ticket), by `python -m bot tickets`
and later by the review dashboard; there is no other way to write a ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import List, Optional

from sqlalchemy import select

from bot.db import session_scope
from bot.db.models import HandoffTicket

#: Most urgent first. Crisis ranks with emergencies: both need a person now.
URGENCY_RANK = {"emergency": 0, "crisis": 1, "same_day": 2, "routine": 3}
ROUTE_URGENCY = {"emergency": "emergency", "crisis": "crisis", "same_day": "same_day"}


@dataclass(frozen=True)
class TicketView:
    id: int
    conversation_id: str
    channel: str
    reason: str
    urgency: str
    detail: str
    status: str
    created_at: datetime
    updated_at: datetime


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _view(row: HandoffTicket) -> TicketView:
    return TicketView(row.id, row.conversation_id, row.channel, row.reason, row.urgency, row.detail or "",
                      row.status, row.created_at, row.updated_at)


def open_ticket(conversation_id: str, channel: str, reason: str, urgency: str, detail: str = "",
                contact_encrypted: Optional[str] = None, database_url: Optional[str] = None) -> TicketView:
    """Open a ticket, or escalate the conversation's open one.

    `detail` names the rules that fired, never the patient's words.
    """
    if urgency not in URGENCY_RANK:
        raise ValueError(f"unknown urgency {urgency!r}")
    now = _now()
    with session_scope(database_url) as session:
        row = session.execute(
            select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id,
                                        HandoffTicket.status == "open")
        ).scalars().first()
        if row is None:
            row = HandoffTicket(conversation_id=conversation_id, channel=channel, reason=reason, urgency=urgency,
                                detail=detail, status="open", created_at=now, updated_at=now,
                                contact_encrypted=contact_encrypted)
            session.add(row)
        else:
            if URGENCY_RANK[urgency] < URGENCY_RANK[row.urgency]:
                row.urgency = urgency
            if reason not in row.reason.split(", "):
                row.reason = f"{row.reason}, {reason}"[:255]
            if detail and detail not in row.detail:
                row.detail = f"{row.detail}; {detail}" if row.detail else detail
            row.contact_encrypted = contact_encrypted or row.contact_encrypted
            row.updated_at = now
        session.flush()
        return _view(row)


def list_open_tickets(database_url: Optional[str] = None) -> List[TicketView]:
    """Open tickets, most urgent first, oldest first within an urgency."""
    with session_scope(database_url) as session:
        rows = session.execute(select(HandoffTicket).where(HandoffTicket.status == "open")).scalars().all()
        views = [_view(r) for r in rows]
    return sorted(views, key=lambda t: (URGENCY_RANK.get(t.urgency, 99), t.created_at, t.id))


def close_ticket(ticket_id: int, database_url: Optional[str] = None) -> bool:
    with session_scope(database_url) as session:
        row = session.get(HandoffTicket, ticket_id)
        if row is None or row.status != "open":
            return False
        row.status = "closed"
        row.updated_at = _now()
        return True
