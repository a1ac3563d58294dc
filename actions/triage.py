"""action_triage: the reply for a safety route, and the nurse ticket it opens."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker

from actions.base import ReplyAction, language
from bot.reply import Reply
from bot.safety.escalation import route_of, safety_turn


def triage_record(tracker: Tracker) -> Dict[str, Any]:
    return tracker.latest_message.get("triage") or {}


class ActionTriage(ReplyAction):
    def name(self) -> str:
        return "action_triage"

    def wants_notice(self, tracker: Tracker) -> bool:
        # The 911 line, the clinic line or empathy must come first, before any notice.
        return triage_record(tracker).get("route") == "diagnosis"

    def build(self, tracker: Tracker, sms: bool) -> List[Reply]:
        record = triage_record(tracker)
        route = route_of(record)
        trusted = route is not None
        if route is None:
            # Only the triage layer opens safety routes: an intent that arrived any
            # other way gets the safe words for that route, and no ticket.
            intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
            route = route_of({"route": intent.removeprefix("safety_")}) or "diagnosis"
        birads = [e.get("value", "") for e in tracker.latest_message.get("entities") or []
                  if e.get("entity") == "birads"]
        return safety_turn(route, record, tracker.sender_id, self.channel(tracker), sms, birads=birads,
                           lang=language(tracker), trusted=trusted)
