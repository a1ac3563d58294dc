"""Conversation ids the server issues to the web widget, and their idle expiry.

The page never chooses the id: a guessed or copied id is refused, so nobody can
read, continue or restart another patient's conversation.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from typing import Optional, Tuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.db.models import WidgetSession

TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def create(idle_minutes: int, now: Optional[datetime] = None) -> Tuple[str, str]:
    """A new (token for the widget, conversation id for the tracker).

    Each new conversation also clears the ones idle for longer than the limit (one indexed
    delete), so the table holds only live conversations.
    """
    now = now or _now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    conversation_id = "web-" + secrets.token_hex(16)
    with session_scope() as session:
        session.execute(delete(WidgetSession).where(WidgetSession.last_seen_at < now - timedelta(minutes=idle_minutes)))
        session.add(WidgetSession(token_hash=_hash(token), conversation_id=conversation_id,
                                  created_at=now, last_seen_at=now))
    return token, conversation_id


def resume(token: str, idle_minutes: int, now: Optional[datetime] = None) -> Optional[str]:
    """The conversation id for a live token (and it stays alive), or None if unknown or expired."""
    with session_scope() as session:
        return resume_in(session, token, idle_minutes, now)


def resume_in(session: Session, token: str, idle_minutes: int, now: Optional[datetime] = None) -> Optional[str]:
    """`resume` inside the caller's transaction."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    now = now or _now()
    query = select(WidgetSession).where(WidgetSession.token_hash == _hash(token))
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        return None
    if row.last_seen_at < now - timedelta(minutes=idle_minutes):
        session.delete(row)
        return None
    row.last_seen_at = now
    return row.conversation_id
