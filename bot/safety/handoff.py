"""Handoff tickets: the nurse's queue of conversations that need a person.

Used by the actions (to open or escalate a ticket), by `python -m bot tickets`
and later by the review dashboard; there is no other way to write a ticket.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional

from sqlalchemy import func, select, update

from bot.db import session_scope
from bot.db.models import HandoffTicket, TicketNote

#: Most urgent first. Crisis ranks with emergencies: both need a person now.
URGENCY_RANK = {"emergency": 0, "crisis": 1, "same_day": 2, "routine": 3}
ROUTE_URGENCY = {"emergency": "emergency", "crisis": "crisis", "same_day": "same_day"}
#: A flood limit must never cost a real emergency or crisis its ticket.
NEVER_LIMITED = frozenset({"emergency", "crisis"})
#: Pauses between attempts when the database refuses a ticket (locked, restarting).
RETRY_DELAYS = (0.25, 0.75)
logger = logging.getLogger(__name__)


class TicketRateLimited(RuntimeError):
    """This conversation opened too many new tickets within the hour."""


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
    claimed_by: Optional[str] = None
    claimed_at: Optional[datetime] = None
    closed_by: Optional[str] = None
    closed_at: Optional[datetime] = None
    outcome: Optional[str] = None
    has_contact: bool = False


#: How a nurse can close a ticket (the staff app offers these).
OUTCOMES = ("called_back", "advised_911", "no_answer", "seen_in_clinic", "not_needed", "other")


@dataclass(frozen=True)
class NoteView:
    author: str
    text: str
    created_at: datetime


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _view(row: HandoffTicket) -> TicketView:
    return TicketView(row.id, row.conversation_id, row.channel, row.reason, row.urgency, row.detail or "",
                      row.status, row.created_at, row.updated_at, row.claimed_by, row.claimed_at, row.closed_by,
                      row.closed_at, row.outcome, bool(row.contact_encrypted))


def open_ticket(conversation_id: str, channel: str, reason: str, urgency: str, detail: str = "",
                contact_encrypted: Optional[str] = None, database_url: Optional[str] = None,
                max_new_per_hour: Optional[int] = None) -> TicketView:
    """Open a ticket, or escalate the conversation's open one.

    `detail` names the rules that fired, never the patient's words. With
    `max_new_per_hour`, a conversation that already opened that many tickets
    in the last hour gets TicketRateLimited instead of another one, so a
    flood from one conversation cannot bury other patients' tickets.
    """
    if urgency not in URGENCY_RANK:
        raise ValueError(f"unknown urgency {urgency!r}")
    now = _now()
    with session_scope(database_url) as session:
        row = session.execute(
            select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id,
                                        HandoffTicket.status == "open")
        ).scalars().first()
        if row is None and max_new_per_hour is not None and urgency not in NEVER_LIMITED:
            recent = session.execute(
                select(func.count()).select_from(HandoffTicket).where(
                    HandoffTicket.conversation_id == conversation_id,
                    HandoffTicket.created_at >= now - timedelta(hours=1))
            ).scalar_one()
            if recent >= max_new_per_hour:
                raise TicketRateLimited(conversation_id)
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


def try_open_ticket(conversation_id: str, channel: str, reason: str, urgency: str, detail: str = "",
                    contact_encrypted: Optional[str] = None) -> Optional[TicketView]:
    """Open a ticket with retries; None when it could not be saved.

    The caller tells the patient the nurse team was alerted only when this
    returns a ticket, and otherwise asks her to call herself.
    """
    from bot.config import get_settings

    limit = get_settings().tickets_per_hour
    for attempt, delay in enumerate((*RETRY_DELAYS, None), start=1):
        try:
            return open_ticket(conversation_id, channel, reason, urgency, detail, contact_encrypted,
                               max_new_per_hour=limit)
        except TicketRateLimited:
            logger.warning("ticket rate limit reached for conversation %s (%s)", conversation_id, urgency)
            return None
        except Exception:
            if delay is None:
                logger.exception("could not save a %s ticket for conversation %s after %d attempts",
                                 urgency, conversation_id, attempt)
                return None
            logger.warning("saving a %s ticket failed (attempt %d); retrying", urgency, attempt)
            time.sleep(delay)
    return None


def list_open_tickets(database_url: Optional[str] = None) -> List[TicketView]:
    """Open tickets, most urgent first, oldest first within an urgency."""
    with session_scope(database_url) as session:
        rows = session.execute(select(HandoffTicket).where(HandoffTicket.status == "open")).scalars().all()
        views = [_view(r) for r in rows]
    return sorted(views, key=lambda t: (URGENCY_RANK.get(t.urgency, 99), t.created_at, t.id))


def get_ticket(ticket_id: int, database_url: Optional[str] = None) -> Optional[TicketView]:
    with session_scope(database_url) as session:
        row = session.get(HandoffTicket, ticket_id)
        return _view(row) if row is not None else None


def tickets_for(conversation_id: str, database_url: Optional[str] = None) -> List[TicketView]:
    with session_scope(database_url) as session:
        rows = session.execute(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id)
                               .order_by(HandoffTicket.id)).scalars().all()
        return [_view(r) for r in rows]


def conversations_with_tickets(database_url: Optional[str] = None) -> set:
    with session_scope(database_url) as session:
        return set(session.execute(select(HandoffTicket.conversation_id).distinct()).scalars())


def contact_token(ticket_id: int, database_url: Optional[str] = None) -> Optional[str]:
    """The ticket's encrypted call-back number (SMS only); callers decrypt it only to show a nurse."""
    with session_scope(database_url) as session:
        row = session.get(HandoffTicket, ticket_id)
        return row.contact_encrypted if row is not None else None


def claim_ticket(ticket_id: int, nurse: str, database_url: Optional[str] = None) -> bool:
    """Take an open ticket. It stays open, so a later warning sign still escalates it."""
    now = _now()
    with session_scope(database_url) as session:
        # One conditional UPDATE: two nurses claiming at once cannot both win.
        result = session.execute(
            update(HandoffTicket).where(HandoffTicket.id == ticket_id, HandoffTicket.status == "open",
                                        HandoffTicket.claimed_by.is_(None))
            .values(claimed_by=nurse, claimed_at=now, updated_at=now).execution_options(synchronize_session=False))
        return result.rowcount == 1


def add_note(ticket_id: int, author: str, text: str, database_url: Optional[str] = None) -> bool:
    text = text.strip()
    if not text:
        return False
    with session_scope(database_url) as session:
        if session.get(HandoffTicket, ticket_id) is None:
            return False
        session.add(TicketNote(ticket_id=ticket_id, author=author, text=text[:4000], created_at=_now()))
        return True


def notes_for(ticket_id: int, database_url: Optional[str] = None) -> List[NoteView]:
    with session_scope(database_url) as session:
        rows = session.execute(select(TicketNote).where(TicketNote.ticket_id == ticket_id)
                               .order_by(TicketNote.id)).scalars().all()
        return [NoteView(r.author, r.text, r.created_at) for r in rows]


def close_ticket(ticket_id: int, database_url: Optional[str] = None, by: str = "cli",
                 outcome: str = "other") -> bool:
    """Close an open ticket with its outcome; a closed or unknown ticket is left alone."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    with session_scope(database_url) as session:
        row = session.get(HandoffTicket, ticket_id)
        if row is None or row.status != "open":
            return False
        now = _now()
        row.status, row.closed_by, row.closed_at, row.outcome, row.updated_at = "closed", by, now, outcome, now
        return True
