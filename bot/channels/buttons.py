"""Buttons just offered, and typed slash syntax treated as the patient's own words.

Rasa reads a message that starts with "/" as an intent and skips the NLU
pipeline, safety triage included: anyone could type `/safety_emergency`, or
hide "I am bleeding heavily" inside `/ask_biopsy_aftercare{...}`. A payload is
therefore passed on only when it matches a button this conversation was just
offered; anything else loses its leading slash and is read like any message.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.db.models import OfferedButtons

logger = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def read(session: Session, conversation_id: str) -> List[Dict[str, str]]:
    """The options last offered ([{"title", "payload"}]), inside the caller's transaction."""
    row = session.get(OfferedButtons, conversation_id)
    return list(row.options) if row else []


def store(session: Session, conversation_id: str, options: Sequence[Dict[str, Any]]) -> None:
    """Store this turn's buttons inside the caller's transaction (an empty list clears the last ones).

    One upsert, not a read then an insert: two quick texts from the same patient, answered at
    once (on two replicas, or one busy one), would otherwise both insert her first menu, and the
    loser's whole turn (its replies and its MessageSid) would be rolled back with it.
    """
    kept = [{"title": str(o.get("title", "")), "payload": str(o.get("payload", ""))} for o in options]
    insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[session.get_bind().dialect.name]
    statement = insert(OfferedButtons).values(conversation_id=conversation_id, options=kept, updated_at=_now())
    session.execute(statement.on_conflict_do_update(
        index_elements=[OfferedButtons.conversation_id],
        set_={"options": statement.excluded.options, "updated_at": statement.excluded.updated_at}))


def offered(conversation_id: str, database_url: Optional[str] = None) -> List[Dict[str, str]]:
    """`read` in a transaction of its own; none if they cannot be read."""
    try:
        with session_scope(database_url) as session:
            return read(session, conversation_id)
    except Exception:  # unreadable means nothing was offered: slash text is then read as text
        logger.exception("could not read the offered buttons of conversation %s", conversation_id)
        return []


def remember(conversation_id: str, options: Sequence[Dict[str, Any]], database_url: Optional[str] = None) -> None:
    """`store` in a transaction of its own; a failure is logged, never raised (the reply is already out)."""
    try:
        with session_scope(database_url) as session:
            store(session, conversation_id, options)
    except Exception:
        logger.exception("could not store the offered buttons of conversation %s", conversation_id)


def buttons_in(messages: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """All buttons in one turn's bot messages."""
    return [b for m in messages for b in (m.get("buttons") or [])]


def as_patient_text(text: str, options: Sequence[Dict[str, str]]) -> str:
    """The text Rasa should see: an offered payload as is, any other slash text as plain words."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return text
    if stripped in {o.get("payload") for o in options}:
        return stripped
    plain = stripped.lstrip("/").strip()
    logger.info("slash syntax that was not an offered button was read as text")
    return plain or text
