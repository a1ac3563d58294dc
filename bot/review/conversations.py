"""Conversations as the staff see them, read from Rasa's tracker store.

Rasa writes every event to its SQL tracker store (`events` table); this module
only reads it (and the retention purge deletes from it). Each patient message
carries the parse data: intent, confidence and the triage record (route, the
rules that matched, the set-asides, the learned detector's scores). Each bot
reply carries `served` metadata (actions/base.py): the knowledge-base entry and
its content hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, select

from bot.db.session import tracker_engine

#: Below this, the best topic's confidence counts as "low" in the filters (the fallback fires at 0.5).
LOW_CONFIDENCE = 0.6
ROUTES = ("emergency", "same_day", "crisis", "diagnosis")

_meta = MetaData()
#: The columns of Rasa 3.6's SQLTrackerStore `events` table that we read.
events = Table(
    "events", _meta,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


@dataclass
class Turn:
    """One line of a transcript."""

    kind: str  # "user" or "bot"
    timestamp: float
    text: str
    channel: str = ""
    intent: str = ""
    confidence: Optional[float] = None
    route: Optional[str] = None
    matched: List[Dict[str, Any]] = field(default_factory=list)
    set_asides: List[Dict[str, Any]] = field(default_factory=list)
    detector: Optional[Dict[str, Any]] = None
    language: str = ""
    #: The best topic other than the fallback (what a fallback message was nearest to).
    guess: str = ""
    entry_id: Optional[str] = None
    content_hash: Optional[str] = None
    tags: List[str] = field(default_factory=list)

    @property
    def when(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, tz=timezone.utc)

    @property
    def key(self) -> str:
        """A stable id for the review form: the event's timestamp, as Rasa stored it."""
        return repr(self.timestamp)


@dataclass
class Summary:
    conversation_id: str
    channel: str
    first_at: datetime
    last_at: datetime
    messages: int = 0
    routes: Set[str] = field(default_factory=set)
    fallbacks: int = 0
    low_confidence: int = 0
    intents: List[str] = field(default_factory=list)


def _best_topic(parse: Dict[str, Any]) -> Tuple[str, Optional[float]]:
    for item in parse.get("intent_ranking") or []:
        if item.get("name") != "nlu_fallback":
            return item.get("name") or "", float(item.get("confidence") or 0.0)
    intent = parse.get("intent") or {}
    confidence = intent.get("confidence")
    return intent.get("name") or "", float(confidence) if confidence is not None else None


def to_turn(type_name: str, data: Dict[str, Any]) -> Turn:
    timestamp = float(data.get("timestamp") or 0.0)
    if type_name == "user":
        parse = data.get("parse_data") or {}
        triage = parse.get("triage") or {}
        guess, confidence = _best_topic(parse)
        return Turn(
            kind="user", timestamp=timestamp, text=data.get("text") or "", channel=data.get("input_channel") or "",
            intent=(parse.get("intent") or {}).get("name") or "", confidence=confidence, guess=guess,
            route=triage.get("route"), matched=list(triage.get("matched") or []),
            set_asides=list(triage.get("suppressed") or []), detector=triage.get("detector"),
            language=parse.get("language") or "")
    served = (data.get("metadata") or {}).get("served") or {}
    return Turn(kind="bot", timestamp=timestamp, text=data.get("text") or "", entry_id=served.get("entry_id"),
                content_hash=served.get("content_hash"), tags=list(served.get("tags") or []))


def _rows(url: str, where: Iterable[Any]) -> List[Any]:
    query = (select(events.c.sender_id, events.c.type_name, events.c.data)
             .where(events.c.type_name.in_(("user", "bot")), *where).order_by(events.c.id))
    with tracker_engine(url).connect() as conn:
        return list(conn.execute(query))


def transcript(url: str, conversation_id: str) -> List[Turn]:
    """Every patient message and bot reply of one conversation, oldest first."""
    return [to_turn(r.type_name, json.loads(r.data)) for r in _rows(url, [events.c.sender_id == conversation_id])]


def summaries(url: str, since: datetime, until: datetime, search: str = "") -> List[Summary]:
    """One line per conversation active between `since` and `until`, newest first.

    The text search is done here, on the decoded messages, so it matches what
    the patient typed (accents included) and is never passed to SQL as syntax.
    """
    rows = _rows(url, [events.c.timestamp >= since.replace(tzinfo=timezone.utc).timestamp(),
                       events.c.timestamp < until.replace(tzinfo=timezone.utc).timestamp()])
    found: Dict[str, Summary] = {}
    matched: Set[str] = set()
    needle = search.strip().casefold()
    for row in rows:
        turn = to_turn(row.type_name, json.loads(row.data))
        s = found.get(row.sender_id)
        if s is None:
            s = found[row.sender_id] = Summary(row.sender_id, turn.channel, turn.when, turn.when)
        s.last_at = turn.when
        if turn.kind != "user":
            continue
        s.channel = s.channel or turn.channel
        s.messages += 1
        if turn.route:
            s.routes.add(turn.route)
        if turn.intent == "nlu_fallback":
            s.fallbacks += 1
        if turn.confidence is not None and turn.confidence < LOW_CONFIDENCE:
            s.low_confidence += 1
        if turn.intent and turn.intent not in s.intents:
            s.intents.append(turn.intent)
        if needle and needle in turn.text.casefold():
            matched.add(row.sender_id)
    result = [s for s in found.values() if s.messages and (not needle or s.conversation_id in matched)]
    return sorted(result, key=lambda s: s.last_at, reverse=True)


def patient_turns(url: str, since: datetime) -> List[Turn]:
    """Every patient message since `since` (the per-intent summary counts them)."""
    rows = _rows(url, [events.c.timestamp >= since.replace(tzinfo=timezone.utc).timestamp(),
                       events.c.type_name == "user"])
    return [to_turn(r.type_name, json.loads(r.data)) for r in rows]


def delete_before(url: str, cutoff: datetime) -> int:
    """Remove every tracker event older than `cutoff` (the retention purge); returns how many."""
    with tracker_engine(url).begin() as conn:
        stamp = cutoff.replace(tzinfo=timezone.utc).timestamp()
        result = conn.execute(delete(events).where(events.c.timestamp < stamp))
        return int(result.rowcount or 0)
