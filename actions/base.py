"""Shared plumbing for our actions: channel choice, first-turn notice, rendering, audit.

Every action that speaks goes through `ReplyAction`, so the notice, the
renderer choice and the error reply behave the same everywhere.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from datetime import datetime, timezone
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.channels import sms as sms_renderer
from bot.channels import web as web_renderer
from bot.channels import widget_render
from bot.db import session_scope
from bot.db.models import AnswerAudit
from bot.fixed_replies import fixed_reply
from bot.intents import is_sms
from bot.reply import Reply

logger = logging.getLogger(__name__)


def is_first_bot_turn(tracker: Tracker) -> bool:
    """True when the bot has not spoken yet in this session."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return False
        if event.get("event") == "session_started":
            return True
    return True


def language(tracker: Tracker) -> str:
    """The language NLU recognised for the latest message ("en" or "es")."""
    return tracker.latest_message.get("language") or "en"


def served_metadata(reply: Reply) -> Dict[str, Any]:
    """What the staff app shows beside a bot reply: the KB entry and version, or the kind of fixed reply."""
    return {"entry_id": reply.entry_id, "content_hash": reply.content_hash, "tags": list(reply.tags)}


class ReplyAction(Action, ABC):
    """Base for actions that answer the patient with a list of Replies.

    Abstract, so the SDK's action discovery skips it and registers only the
    concrete actions.
    """

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def build(self, tracker: Tracker, sms: bool) -> List[Reply]:
        """The replies for this turn, before the notice and rendering."""

    def events(self, tracker: Tracker, replies: List[Reply]) -> List[Dict[str, Any]]:
        return []

    def wants_notice(self, tracker: Tracker) -> bool:
        """Whether the first-turn notice may lead this reply (never before a 911 line)."""
        return True

    @staticmethod
    def channel(tracker: Tracker) -> str:
        return tracker.get_latest_input_channel() or "unknown"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        channel = self.channel(tracker)
        sms = is_sms(channel)
        try:
            replies = self.build(tracker, sms)
        except Exception:  # a patient must never see a stack trace
            logger.exception("action %s failed", self.name())
            replies = [Reply(text=fixed_reply("error", sms), tags=["error"])]
        if is_first_bot_turn(tracker) and channel != "widget":  # the widget shows it when the panel opens
            notice = Reply(text=fixed_reply("notice", sms, lang=language(tracker)), tags=["notice"])
            if self.wants_notice(tracker):
                replies.insert(0, notice)
            else:
                replies.append(notice)
        renderer = sms_renderer if sms else widget_render if channel == "widget" else web_renderer
        for reply in replies:
            # `served` lands in the bot event's metadata (never in what the channel shows), so a
            # transcript can name the entry and the exact version (content hash) behind each reply.
            dispatcher.utter_message(**renderer.render(reply), served=served_metadata(reply))
        self._audit(tracker, channel, replies)
        return self.events(tracker, replies)

    def _audit(self, tracker: Tracker, channel: str, replies: List[Reply]) -> None:
        served = [r for r in replies if r.entry_id]
        if not served:
            return
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        try:
            with session_scope() as session:
                for reply in served:
                    session.add(AnswerAudit(conversation_id=tracker.sender_id, channel=channel, intent=intent,
                                            entry_id=reply.entry_id, content_hash=reply.content_hash or "",
                                            created_at=now))
        except Exception:  # the answer was already given; losing an audit row must not break the chat
            logger.exception("could not write the answer audit")
        logger.info("served %s for intent %s on %s", ",".join(r.entry_id or "" for r in served), intent, channel)
