"""The staff audit log: who looked at or changed what, when, and from where.

Only `record` writes; nothing in the application updates or deletes a row.
The retention purge removes rows older than AUDIT_RETENTION_DAYS and records
its own run here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import List, Optional

from sqlalchemy import select

from bot.db import session_scope
from bot.db.models import AuditLog

logger = logging.getLogger(__name__)

#: Every action the log records (the audit page filters on these).
ACTIONS = ("login_ok", "login_failed", "login_locked", "logout", "transcript_viewed", "conversations_searched",
           "number_revealed", "ticket_claimed", "ticket_note", "ticket_closed", "reply_marked",
           "corrections_exported", "deidentified_export", "kb_approved", "kb_returned", "purge", "user_added",
           "user_unlocked", "totp_enabled")


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    target: str
    address: str
    detail: str


def record(actor: str, role: str, action: str, target: str = "", address: str = "", detail: str = "",
           database_url: Optional[str] = None) -> None:
    """Write one line; a failure to write is raised, so the audited action does not go ahead unrecorded."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with session_scope(database_url) as session:
        session.add(AuditLog(at=datetime.now(timezone.utc).replace(tzinfo=None), actor=actor[:64], role=role[:16],
                             action=action, target=target[:160], address=address[:64], detail=detail[:2000]))
    logger.info("audit: %s by %s", action, actor)


def entries(limit: int = 500, action: str = "", actor: str = "",
            database_url: Optional[str] = None) -> List[AuditView]:
    """The newest lines first."""
    query = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
    if action:
        query = query.where(AuditLog.action == action)
    if actor:
        query = query.where(AuditLog.actor == actor)
    with session_scope(database_url) as session:
        return [AuditView(r.id, r.at, r.actor, r.role, r.action, r.target, r.address, r.detail)
                for r in session.execute(query).scalars()]
