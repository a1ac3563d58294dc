"""action_triage: the reply for a safety route, and the nurse ticket it opens."""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa_sdk import Tracker

from actions.base import ReplyAction
from bot.reply import Reply
from bot.safety import responses
from bot.safety.handoff import ROUTE_URGENCY, open_ticket

logger = logging.getLogger(__name__)


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
        route = record.get("route")
        if route is None:  # the intent came from a button or a stale model: be safe, offer the nurse
            intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
            route = intent.removeprefix("safety_") or "diagnosis"
        reasons = [m.get("reason", "") for m in record.get("matched") or [] if m.get("route") == route]
        if route in ROUTE_URGENCY:
            rules = ",".join(sorted({m.get("rule", "") for m in record.get("matched") or []}))
            try:
                ticket = open_ticket(tracker.sender_id, self.channel(tracker), reason=route,
                                     urgency=ROUTE_URGENCY[route], detail=f"rules: {rules}")
                logger.info("ticket %s (%s) for route %s", ticket.id, ticket.urgency, route)
            except Exception:  # the 911 / 988 / clinic reply must go out even if the database is down
                logger.exception("could not open a %s ticket", route)
        if route == "emergency":
            return responses.emergency(reasons, sms)
        if route == "same_day":
            return responses.same_day(reasons, sms)
        if route == "crisis":
            return responses.crisis(sms)
        birads = [e.get("value", "") for e in tracker.latest_message.get("entities") or []
                  if e.get("entity") == "birads"]
        return responses.diagnosis(birads, sms)
