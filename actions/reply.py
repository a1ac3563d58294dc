"""action_reply: short fixed replies for greetings, thanks, off-topic and nurse requests."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker

from actions.base import ReplyAction, language
from bot.config import get_settings
from bot.fixed_replies import fixed_reply
from bot.kb.lookup import KnowledgeBase
from bot.reply import Button, Reply

#: Topics offered as buttons after a greeting or an off-topic message.
STARTER_INTENTS = ["ask_what_are_calcifications", "ask_birads", "ask_what_is_stereotactic_biopsy"]
WITH_STARTERS = {"greet", "affirm", "out_of_scope"}


class ActionReply(ReplyAction):
    def name(self) -> str:
        return "action_reply"

    def build(self, tracker: Tracker, sms: bool) -> List[Reply]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or "out_of_scope"
        buttons: tuple = ()
        if intent in WITH_STARTERS:
            buttons = tuple(Button(e.title, f"/{e.intent}") for e in KnowledgeBase().by_intents(STARTER_INTENTS))
        if language(tracker) == "es":  # the knowledge base is reviewed in English only
            key = "spanish_general_interpreters" if get_settings().clinic_interpreters else "spanish_general"
            return [Reply(text=fixed_reply(key, sms))]
        return [Reply(text=fixed_reply(intent, sms), buttons=buttons)]
