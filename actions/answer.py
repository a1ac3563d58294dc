"""action_answer: the one knowledge-base answer action, keyed by intent."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker

from actions.base import ReplyAction
from bot.answers import answer
from bot.reply import Reply


class ActionAnswer(ReplyAction):
    def name(self) -> str:
        return "action_answer"

    def build(self, tracker: Tracker, sms: bool) -> List[Reply]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        medications = [e.get("value", "") for e in tracker.latest_message.get("entities") or []
                       if e.get("entity") == "medication"]
        return answer(intent, medications, sms)
