"""No silent fallback to an in-memory conversation history.

Rasa wraps the tracker store in a `FailSafeTrackerStore`: when the database
cannot be read it answers from an empty history, and when it cannot be written
it keeps the turn in this process's memory, where it is lost on restart and
invisible to the other replicas and to the nurses. For a patient that means a
reply that has forgotten what she said, and a transcript with holes.

Here a tracker-store error is raised instead. The turn then fails, and the
channel's safety net (bot/safety/net.py) answers: the triage route's reply if
the message carries a warning sign, otherwise a kind notice with the nurse line
and 911. Nothing is answered from an empty history, and nothing the patient was
answered normally is missing from the database.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.tracker_store import FailSafeTrackerStore

logger = logging.getLogger(__name__)


def _raise(error: Exception) -> None:
    logger.error("the conversation store failed (%s): this turn is answered by the safety net",
                 type(error).__name__)
    raise error


def refuse_memory_fallback(agent: Any) -> None:
    """Make the agent's tracker store raise on errors instead of falling back (idempotent)."""
    store = getattr(agent, "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore) and store._on_tracker_store_error is not _raise:
        store._on_tracker_store_error = _raise
