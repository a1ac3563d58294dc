"""action_answer: the one knowledge-base answer action, keyed by intent."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker

from actions.base import ReplyAction
from bot.answers import answer_questions, specific_intent
from bot.fixed_replies import fixed_reply
from bot.kb.lookup import KnowledgeBase
from bot.reply import Reply


class ActionAnswer(ReplyAction):
    def name(self) -> str:
        return "action_answer"

    def build(self, tracker: Tracker, sms: bool) -> List[Reply]:
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name") or ""
        entities = message.get("entities") or []
        medications = [e.get("value", "") for e in entities if e.get("entity") == "medication"]
        birads = [e.get("value", "") for e in entities if e.get("entity") == "birads"]
        # A second question in the same message ("...and will insurance cover it?") is answered too.
        intents = [specific_intent(intent, birads)]
        intents += [s.get("name") or "" for s in message.get("secondary_intents") or [] if s.get("name")]
        with KnowledgeBase().reading() as kb:
            replies = answer_questions(intents, medications, sms, kb=kb, birads_values=birads)
        if (message.get("triage") or {}).get("diagnosis_aside"):
            # She also asked about her own result: answer the general question, never the personal one.
            replies.insert(0, Reply(text=fixed_reply("diagnosis_aside", sms), tags=["diagnosis_aside"]))
        return replies
