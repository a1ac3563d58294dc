"""The web widget's channel: server-issued conversations, small bodies, allowed origins only.

Rasa's REST channel trusts whatever `sender` it is given, so anyone who knows or guesses
a patient's id could continue or restart her conversation. Here the server issues a
random token (`POST /widget/session`), messages carry it (`POST /widget/message`), and an
unknown or expired token is refused kindly. Bodies are capped before JSON is parsed,
cross-site calls are answered only for the origins listed in WIDGET_ALLOWED_ORIGINS (Rasa's
CORS layer, `--cors` from bot/servers.py), and
sending is rate-limited per conversation and per address.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict, deque
from typing import Any, Awaitable, Callable, Deque, Dict, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import buttons, widget_render, widget_sessions
from bot.config import get_settings, settings_or_exit
from bot.fixed_replies import fixed_reply
from bot.safety.detector import detector_or_exit
from bot.safety.net import agent_of, answer_turn

CHANNEL_NAME = "widget"
MAX_BODY_BYTES = 4096
MAX_MESSAGE_CHARS = 1000
#: Messages per minute: one conversation, and one address (a clinic's shared network has several patients).
PER_SESSION_PER_MINUTE = 12
PER_ADDRESS_PER_MINUTE = 60
SESSIONS_PER_ADDRESS_PER_MINUTE = 20


class RateLimiter:
    """Sliding one-minute windows, per key, in this process (shared limits are issue 12's Redis)."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self.hits: Dict[str, Deque[float]] = defaultdict(deque)

    def allow(self, key: str, now: Optional[float] = None) -> bool:
        now = time.monotonic() if now is None else now
        window = self.hits[key]
        while window and window[0] <= now - 60:
            window.popleft()
        if len(window) >= self.per_minute:
            return False
        window.append(now)
        return True


def _address(request: Request) -> str:
    return request.remote_addr or request.ip or "unknown"


def _error(status: int, code: str, text: str) -> HTTPResponse:
    return response.json({"error": text, "code": code}, status=status)


def too_big(request: Request) -> bool:
    """Judge the size from the header first, then the bytes, before any parsing."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return True
    return len(request.body or b"") > MAX_BODY_BYTES


def merge_custom(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """One message per reply: Rasa sends a reply's custom part as a message of its own."""
    merged: List[Dict[str, Any]] = []
    for message in messages:
        message = {k: v for k, v in message.items() if k != "recipient_id"}
        custom = message.pop("custom", None) or message.pop("json_message", None)
        if not message.get("text") and custom and merged:
            merged[-1]["custom"] = {**merged[-1].get("custom", {}), **custom}
            continue
        if custom:
            message["custom"] = custom
        merged.append(message)
    return merged


class WidgetInput(InputChannel):
    def __init__(self) -> None:
        self.per_session = RateLimiter(PER_SESSION_PER_MINUTE)
        self.per_address = RateLimiter(PER_ADDRESS_PER_MINUTE)
        self.new_sessions = RateLimiter(SESSIONS_PER_ADDRESS_PER_MINUTE)

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    def url_prefix(self) -> str:
        return "/widget"  # absolute: the embed tag reads https://ASSISTANT-HOST/widget/chat.js

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> WidgetInput:
        settings_or_exit("The Rasa server")
        detector_or_exit()
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        widget = Blueprint("custom_webhook_widget", __name__)

        @widget.route("/session", methods=["POST"])
        async def new_session(request: Request) -> HTTPResponse:
            if too_big(request):
                return _error(413, "too_large", "That request is too large.")
            if not self.new_sessions.allow(_address(request)):
                return _error(429, "rate_limited", fixed_reply("widget_slow_down", False))
            token, _ = await asyncio.to_thread(widget_sessions.create)
            return response.json({"session": token, "idle_minutes": get_settings().widget_idle_minutes,
                                  "max_chars": MAX_MESSAGE_CHARS, "notice": fixed_reply("notice", False)})

        @widget.route("/message", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if too_big(request):
                return _error(413, "too_large", fixed_reply("widget_too_long", False, max_chars=str(MAX_MESSAGE_CHARS)))
            try:
                payload = json.loads((request.body or b"").decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                payload = None
            if not isinstance(payload, dict):
                return _error(400, "bad_request", fixed_reply("widget_bad_request", False))
            message = payload.get("message")
            if not isinstance(message, str) or not message.strip():
                return _error(400, "empty", fixed_reply("sms_empty", False))
            if len(message) > MAX_MESSAGE_CHARS:
                return _error(413, "too_long", fixed_reply("widget_too_long", False, max_chars=str(MAX_MESSAGE_CHARS)))
            conversation = await asyncio.to_thread(widget_sessions.resume, payload.get("session"),
                                                   get_settings().widget_idle_minutes)
            if conversation is None:
                return _error(401, "session_expired", fixed_reply("widget_session_ended", False))
            if not (self.per_session.allow(conversation) and self.per_address.allow(_address(request))):
                return _error(429, "rate_limited", fixed_reply("widget_slow_down", False))
            text = buttons.as_patient_text(message, await asyncio.to_thread(buttons.offered, conversation))
            collector = CollectingOutputChannel()
            turn = await answer_turn(agent_of(request), on_new_message,
                                     UserMessage(text, collector, conversation, input_channel=CHANNEL_NAME),
                                     collector.messages, sms=False, render=widget_render.render)
            await asyncio.to_thread(buttons.remember, conversation, buttons.buttons_in(turn.messages))
            return response.json({"messages": merge_custom(turn.messages)})

        return widget
