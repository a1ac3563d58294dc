"""The one way the assistant reads the knowledge base at run time.

Only approved entries ever leave this module: a draft is invisible to every
caller, so no code path can serve unreviewed text by accident.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from sqlalchemy import select

from bot.db import session_scope
from bot.db.models import KBEntryRow
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


class KnowledgeBase:
    """Read-only access to approved entries in the configured database."""

    def __init__(self, database_url: Optional[str] = None):
        self._url = database_url

    def for_intent(self, intent: str) -> Optional[Entry]:
        with session_scope(self._url) as session:
            row = session.execute(
                select(KBEntryRow).where(KBEntryRow.intent == intent, KBEntryRow.review_status == "approved")
            ).scalar_one_or_none()
            return _to_entry(row) if row else None

    def by_ids(self, ids: List[str]) -> List[Entry]:
        """Approved entries for `ids`, in the order given (missing or draft ones skipped)."""
        if not ids:
            return []
        with session_scope(self._url) as session:
            rows = session.execute(
                select(KBEntryRow).where(KBEntryRow.id.in_(ids), KBEntryRow.review_status == "approved")
            ).scalars()
            found: Dict[str, Entry] = {row.id: _to_entry(row) for row in rows}
        return [found[i] for i in ids if i in found]

    def by_intents(self, intents: List[str]) -> List[Entry]:
        """Approved entries answering `intents`, in the order given."""
        if not intents:
            return []
        with session_scope(self._url) as session:
            rows = session.execute(
                select(KBEntryRow).where(KBEntryRow.intent.in_(intents), KBEntryRow.review_status == "approved")
            ).scalars()
            found = {row.intent: _to_entry(row) for row in rows}
        return [found[i] for i in intents if i in found]
