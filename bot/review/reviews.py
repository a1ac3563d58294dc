"""Staff marks on bot replies, the needs-review queue, the per-intent summary and
the corrections export that feeds the next training round."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, Iterable, List, Optional, Tuple

import yaml
from sqlalchemy import select

from bot.db import session_scope
from bot.db.models import ReplyReview
from bot.review.conversations import Summary, Turn, transcript
from bot.review.deidentify import scrub

MARKS = ("good", "wrong", "unsafe")


@dataclass(frozen=True)
class ReviewView:
    id: int
    conversation_id: str
    event_timestamp: float
    mark: str
    right_intent: Optional[str]
    note: str
    reviewer: str
    created_at: datetime


def _view(r: ReplyReview) -> ReviewView:
    return ReviewView(r.id, r.conversation_id, r.event_timestamp, r.mark, r.right_intent, r.note, r.reviewer,
                      r.created_at)


def mark_reply(conversation_id: str, event_timestamp: float, mark: str, reviewer: str, note: str = "",
               right_intent: Optional[str] = None, database_url: Optional[str] = None) -> ReviewView:
    if mark not in MARKS:
        raise ValueError(f"mark must be one of {', '.join(MARKS)}")
    with session_scope(database_url) as session:
        row = ReplyReview(conversation_id=conversation_id, event_timestamp=event_timestamp, mark=mark,
                          right_intent=right_intent or None, note=note.strip()[:4000], reviewer=reviewer,
                          created_at=datetime.now(timezone.utc).replace(tzinfo=None))
        session.add(row)
        session.flush()
        return _view(row)


def reviews_for(conversation_id: str, database_url: Optional[str] = None) -> Dict[str, List[ReviewView]]:
    """Marks keyed by the reply's Turn.key."""
    out: Dict[str, List[ReviewView]] = {}
    with session_scope(database_url) as session:
        for r in session.execute(select(ReplyReview).where(ReplyReview.conversation_id == conversation_id)
                                 .order_by(ReplyReview.id)).scalars():
            out.setdefault(repr(r.event_timestamp), []).append(_view(r))
    return out


def all_reviews(database_url: Optional[str] = None) -> List[ReviewView]:
    with session_scope(database_url) as session:
        return [_view(r) for r in session.execute(select(ReplyReview).order_by(ReplyReview.id)).scalars()]


def reviewed_and_flagged(database_url: Optional[str] = None) -> Tuple[set, set]:
    """(conversations with any mark, conversations with a wrong or unsafe mark)."""
    reviewed, flagged = set(), set()
    for r in all_reviews(database_url):
        reviewed.add(r.conversation_id)
        if r.mark in ("wrong", "unsafe"):
            flagged.add(r.conversation_id)
    return reviewed, flagged


def needs_review(items: Iterable[Summary], reviewed: set, handed_off: set) -> List[Summary]:
    """Conversations a person should read: a safety route, a fallback, a low-confidence answer or a
    handoff, and no review yet. Safety routes first."""
    waiting = [s for s in items if s.conversation_id not in reviewed
               and (s.routes or s.fallbacks or s.low_confidence or s.conversation_id in handed_off)]
    return sorted(waiting, key=lambda s: (not s.routes, -s.last_at.timestamp()))


def _patient_message_before(turns: List[Turn], key: str) -> Optional[Turn]:
    last_user = None
    for turn in turns:
        if turn.kind == "user":
            last_user = turn
        elif turn.key == key:
            return last_user
    return None


def corrections_yaml(tracker_url: str, database_url: Optional[str] = None) -> Tuple[str, int]:
    """Rasa NLU training data: each message whose reply was marked wrong, under the topic it should have had.

    Phone numbers, e-mail addresses and names are scrubbed from the text first,
    so the file can go into the training data repository.
    """
    by_intent: Dict[str, List[str]] = {}
    cache: Dict[str, List[Turn]] = {}
    for review in all_reviews(database_url):
        if review.mark not in ("wrong", "unsafe") or not review.right_intent:
            continue
        turns = cache.setdefault(review.conversation_id, transcript(tracker_url, review.conversation_id))
        message = _patient_message_before(turns, repr(review.event_timestamp))
        if message is None or not message.text.strip():
            continue
        text = " ".join(scrub(message.text).split())
        examples = by_intent.setdefault(review.right_intent, [])
        if text not in examples:
            examples.append(text)
    nlu = [{"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)}
           for intent, texts in sorted(by_intent.items())]
    header = ("# Corrections from the staff review app: messages whose reply a nurse marked wrong or unsafe,\n"
              "# under the topic she chose. Scrubbed of numbers, e-mail addresses and names; check before training.\n")
    body = yaml.safe_dump({"version": "3.1", "nlu": nlu}, sort_keys=False, allow_unicode=True, width=1000)
    return header + body, sum(len(v) for v in by_intent.values())


@dataclass
class IntentLine:
    intent: str
    answers: int = 0
    fallbacks: int = 0
    wrong: int = 0
    unsafe: int = 0


def intent_summary(patient_turns: Iterable[Turn], reviews: Iterable[ReviewView],
                   reply_intents: Dict[Tuple[str, str], str]) -> List[IntentLine]:
    """Per intent: messages answered with it, fallbacks whose best guess it was, wrong and unsafe marks."""
    lines: Dict[str, IntentLine] = {}
    for turn in patient_turns:
        if turn.intent == "nlu_fallback":
            guess = turn.guess or "nlu_fallback"
            lines.setdefault(guess, IntentLine(guess)).fallbacks += 1
        elif turn.intent:
            lines.setdefault(turn.intent, IntentLine(turn.intent)).answers += 1
    marks = Counter()
    for review in reviews:
        intent = reply_intents.get((review.conversation_id, repr(review.event_timestamp)), "unknown")
        marks[(intent, review.mark)] += 1
    for (intent, mark), count in marks.items():
        line = lines.setdefault(intent, IntentLine(intent))
        if mark == "wrong":
            line.wrong += count
        elif mark == "unsafe":
            line.unsafe += count
    return sorted(lines.values(), key=lambda x: (-(x.wrong + x.unsafe), -x.answers, x.intent))
