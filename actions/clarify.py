"""action_clarify: never answer on a weak guess; offer the closest topics and the nurse."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker

from actions.base import ReplyAction
from bot.answers import closest_topics
from bot.fixed_replies import fixed_reply
from bot.reply import Button, Reply


class ActionClarify(ReplyAction):
    def name(self) -> str:
        return "action_clarify"

    def build(self, tracker: Tracker, sms: bool) -> List[Reply]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        topics = closest_topics(ranking)
        buttons = tuple(Button(e.title, f"/{e.intent}") for e in topics)
        return [Reply(text=fixed_reply("clarify", sms), buttons=buttons)]
