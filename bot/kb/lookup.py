"""The one way the assistant reads the knowledge base at run time.

Only approved entries ever leave this module: a draft is invisible to every
caller, so no code path can serve unreviewed text by accident.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.db.models import KBEntryRow, KBSignoff
from bot.kb.schema import Entry, entry_from_dict


def _to_entry(row: KBEntryRow) -> Entry:
    return entry_from_dict(
        {
            "id": row.id,
            "intent": row.intent,
            "title": row.title,
            "web": row.web_answer,
            "sms": row.sms_answer,
            "follow_ups": row.follow_ups,
            "facts": row.facts,
            "sources": row.sources,
            "variants": row.variants,
            "review": {"status": row.review_status, "reviewer": row.reviewer, "date": row.review_date},
        }
    )


def _clinician_approved(session, row: KBEntryRow) -> bool:  # noqa: ANN001 - an ORM session
    """True when a clinician's latest decision on this exact text (content hash) is an approval."""
    latest = session.execute(
        select(KBSignoff.decision).where(KBSignoff.entry_id == row.id, KBSignoff.content_hash == row.content_hash,
                                         KBSignoff.signer_role == "clinician")
        .order_by(KBSignoff.id.desc()).limit(1)
    ).scalar()
    return latest == "approved"


class KnowledgeBase:
    """Read-only access to approved entries in the configured database."""

    def __init__(self, database_url: Optional[str] = None, require_clinician: Optional[bool] = None):
        self._url = database_url
        self._require_clinician = require_clinician
        self._session: Optional[Session] = None

    @contextmanager
    def reading(self) -> Iterator[KnowledgeBase]:
        """Every lookup inside shares one read transaction.

        An answer reads the knowledge base two to four times (the entry, its follow-ups, a
        BI-RADS lead, a medicines entry). On PostgreSQL each read in a session of its own costs
        a pool check-out, a liveness ping and a commit: under load, opening and closing sessions
        was about a third of the action server's CPU.
        """
        if self._session is not None:
            yield self
            return
        with session_scope(self._url) as session:
            self._session = session
            try:
                yield self
            finally:
                self._session = None

    def _clinician_required(self) -> bool:
        if self._require_clinician is not None:
            return self._require_clinician
        from bot.config import get_settings

        return get_settings().kb_require_clinician

    def for_intent(self, intent: str) -> Optional[Entry]:
        found = self.by_intents([intent])
        return found[0] if found else None

    def by_ids(self, ids: List[str]) -> List[Entry]:
        """Approved entries for `ids`, in the order given (missing or draft ones skipped)."""
        return self._approved(KBEntryRow.id, ids)

    def by_intents(self, intents: List[str]) -> List[Entry]:
        """Approved entries answering `intents`, in the order given."""
        return self._approved(KBEntryRow.intent, intents)

    def _approved(self, column, keys: List[str]) -> List[Entry]:  # noqa: ANN001 - a mapped column
        """The single query behind every lookup: approved rows only, in the order of `keys`."""
        if not keys:
            return []
        with self.reading():
            session = self._session
            assert session is not None
            rows = session.execute(
                select(KBEntryRow).where(column.in_(keys), KBEntryRow.review_status == "approved")
            ).scalars().all()
            if self._clinician_required():
                rows = [row for row in rows if _clinician_approved(session, row)]
            found: Dict[str, Entry] = {getattr(row, column.key): _to_entry(row) for row in rows}
        return [found[k] for k in keys if k in found]
