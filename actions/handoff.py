"""action_handoff: "talk to a nurse" in any wording opens a ticket and says what happens next."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker

from actions.base import ReplyAction
from bot.reply import Reply
from bot.safety import responses
from bot.safety.handoff import try_open_ticket


class ActionHandoff(ReplyAction):
    def name(self) -> str:
        return "action_handoff"

    def build(self, tracker: Tracker, sms: bool) -> List[Reply]:
        ticket = try_open_ticket(tracker.sender_id, self.channel(tracker), reason="nurse_request", urgency="routine")
        return responses.handoff(sms, alerted=ticket is not None)
