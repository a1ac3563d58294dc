"""`python -m bot purge`: delete what is past RETENTION_DAYS, keep the audit log longer.

Removed after RETENTION_DAYS: tracker events (the patients' words), closed
tickets and their notes, SMS records (MessageSids, sent or abandoned outbox
rows), widget sessions, offered buttons, the answer audit and review marks.
Kept: open tickets (a nurse still has to act on them) and SMS opt-outs (a STOP
must be honoured for as long as the number could write again). The audit log
is kept for AUDIT_RETENTION_DAYS. Every run is recorded in the audit log.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Dict, Optional

from sqlalchemy import delete, select

from bot.config import Settings
from bot.db import session_scope
from bot.db.models import (
    AnswerAudit,
    AuditLog,
    HandoffTicket,
    OfferedButtons,
    ReplyReview,
    SmsInbound,
    SmsOutbox,
    StaffSession,
    TicketNote,
    WidgetSession,
)
from bot.review import audit
from bot.review.conversations import delete_before


def purge(settings: Settings, now: Optional[datetime] = None, actor: str = "purge") -> Dict[str, int]:
    """Delete everything older than the retention periods; return the counts per kind."""
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    cutoff = now - timedelta(days=settings.retention_days)
    audit_cutoff = now - timedelta(days=settings.audit_retention_days)
    counts: Dict[str, int] = {}
    try:
        counts["tracker_events"] = delete_before(settings.tracker_database_url, cutoff)
        _delete_own(settings, now, cutoff, audit_cutoff, counts)
    finally:  # recorded even when a step failed, with what was deleted before it
        summary = ", ".join(f"{k}={v}" for k, v in counts.items()) or "nothing deleted"
        audit.record(actor, "system", "purge", target=f"before {cutoff:%Y-%m-%d}",
                     detail=f"retention {settings.retention_days} days, audit {settings.audit_retention_days} days; "
                            f"{summary}", database_url=settings.database_url)
    return counts


def _delete_own(settings: Settings, now: datetime, cutoff: datetime, audit_cutoff: datetime,
                counts: Dict[str, int]) -> None:
    """Everything past retention in the assistant's own database, in one transaction."""
    old_tickets = select(HandoffTicket.id).where(HandoffTicket.status == "closed", HandoffTicket.updated_at < cutoff)
    statements = {
        "ticket_notes": delete(TicketNote).where(TicketNote.ticket_id.in_(old_tickets)),
        "tickets": delete(HandoffTicket).where(HandoffTicket.status == "closed", HandoffTicket.updated_at < cutoff),
        "sms_inbound": delete(SmsInbound).where(SmsInbound.received_at < cutoff),
        "sms_outbox": delete(SmsOutbox).where(SmsOutbox.status.notin_(("pending", "sending")),
                                              SmsOutbox.created_at < cutoff),
        "widget_sessions": delete(WidgetSession).where(WidgetSession.last_seen_at < cutoff),
        "offered_buttons": delete(OfferedButtons).where(OfferedButtons.updated_at < cutoff),
        "answer_audit": delete(AnswerAudit).where(AnswerAudit.created_at < cutoff),
        "reply_reviews": delete(ReplyReview).where(ReplyReview.created_at < cutoff),
        "staff_sessions": delete(StaffSession).where(StaffSession.last_seen_at < now - timedelta(days=1)),
        "audit_log": delete(AuditLog).where(AuditLog.at < audit_cutoff),
    }
    with session_scope(settings.database_url) as session:
        for kind, statement in statements.items():
            # Bulk deletes of rows this session never loaded: nothing to synchronise.
            result = session.execute(statement.execution_options(synchronize_session=False))
            counts[kind] = int(result.rowcount or 0)
