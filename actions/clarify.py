"""action_clarify: never answer on a weak guess; offer the closest topics and the nurse."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker

from actions.base import ReplyAction
from bot.answers import closest_topics
from bot.fixed_replies import fixed_reply
from bot.intents import FALLBACK_INTENT
from bot.kb.schema import Entry
from bot.reply import Button, Reply
from bot.safety import responses
from bot.safety.handoff import try_open_ticket


def previous_turn_was_fallback(tracker: Tracker) -> bool:
    """True when the user message before this one was also a weak guess."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    if len(users) < 2:
        return False
    previous = (users[-2].get("parse_data") or {}).get("intent") or {}
    return previous.get("name") == "nlu_fallback"


#: Top two confidences closer than this are a close call: the FallbackClassifier's
#: ambiguity_threshold in config.yml (the action server does not read the NLU config).
CLOSE_CALL_MARGIN = 0.1
#: Below this the second reading is noise, not a rival worth naming.
MIN_RIVAL = 0.15


def close_call(ranking: List[Dict[str, Any]], topics: List[Entry]) -> bool:
    """True when the classifier's two best readings are the first two topics offered, about equally likely."""
    scored = [r for r in ranking if r.get("name") != FALLBACK_INTENT]
    if len(scored) < 2 or len(topics) < 2:
        return False
    if [scored[0].get("name"), scored[1].get("name")] != [topics[0].intent, topics[1].intent]:
        return False
    first, second = (float(r.get("confidence") or 0.0) for r in scored[:2])
    return second > MIN_RIVAL and first - second < CLOSE_CALL_MARGIN


class ActionClarify(ReplyAction):
    def name(self) -> str:
        return "action_clarify"

    def build(self, tracker: Tracker, sms: bool) -> List[Reply]:
        if previous_turn_was_fallback(tracker):
            # Two misses in a row: stop guessing and bring in a person.
            ticket = try_open_ticket(tracker.sender_id, self.channel(tracker), reason="repeated_fallback",
                                     urgency="routine")
            return responses.handoff(sms, lead=fixed_reply("repeated_fallback", sms), alerted=ticket is not None)
        lead: List[Reply] = []
        if (tracker.latest_message.get("triage") or {}).get("diagnosis_aside"):
            # She also asked about her own result: that answer must not be lost to the fallback.
            lead = [Reply(text=fixed_reply("triage_diagnosis", sms), tags=["diagnosis"])]
        ranking = tracker.latest_message.get("intent_ranking") or []
        topics = closest_topics(ranking)
        buttons = tuple(Button(e.title, f"/{e.intent}") for e in topics)
        if close_call(ranking, topics):
            # Two near-equal readings: name both rather than guess one.
            text = fixed_reply("clarify_two", sms, first=topics[0].title, second=topics[1].title)
            return lead + [Reply(text=text, buttons=buttons[:2])]
        return lead + [Reply(text=fixed_reply("clarify", sms), buttons=buttons)]
