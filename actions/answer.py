"""action_answer: the one knowledge-base answer action, keyed by intent."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker

from actions.base import ReplyAction
from bot.answers import answer, specific_intent
from bot.reply import Reply


class ActionAnswer(ReplyAction):
    def name(self) -> str:
        return "action_answer"

    def build(self, tracker: Tracker, sms: bool) -> List[Reply]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        entities = tracker.latest_message.get("entities") or []
        medications = [e.get("value", "") for e in entities if e.get("entity") == "medication"]
        birads = [e.get("value", "") for e in entities if e.get("entity") == "birads"]
        return answer(specific_intent(intent, birads), medications, sms)
