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
import logging
from collections import OrderedDict, defaultdict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import PROJECT_ROOT
from bot.channels import buttons, widget_render, widget_sessions
from bot.channels.limits import WIDGET_MAX_BYTES, body_too_big
from bot.channels.rate_limit import limiter
from bot.config import get_settings, settings_or_exit
from bot.db import session_scope
from bot.fixed_replies import fixed_reply
from bot.safety.detector import detector_or_exit
from bot.safety.net import agent_of, answer_turn, net_replies, unavailable

logger = logging.getLogger(__name__)
CHANNEL_NAME = "widget"
STATIC = PROJECT_ROOT / "bot" / "widget" / "static"
#: Files the widget is made of, and their types. Nothing else under /widget/ is served.
FILES = {"chat.js": "text/javascript; charset=utf-8", "chat.css": "text/css; charset=utf-8",
         "demo.html": "text/html; charset=utf-8", "demo.css": "text/css; charset=utf-8",
         "privacy.html": "text/html; charset=utf-8"}
#: The demo and privacy pages run under the strict policy a clinic's page may use: no inline code at all.
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
REMEMBERED_IDS = 20
REMEMBERED_CONVERSATIONS = 2000
MAX_MESSAGE_CHARS = 1000
#: Messages per minute from one conversation; per address it is WIDGET_ADDRESS_PER_MINUTE (messages,
#: and new conversations), since a clinic's shared network puts several patients behind one address.
PER_SESSION_PER_MINUTE = 12
#: The widget's own words, from data/replies.yml (widget_<key>), so a clinic edits them in one place.
WIDGET_TEXTS = ("emergency_line", "nurse_button", "restart_button", "unreachable", "typing", "wait")


def _address(request: Request) -> str:
    return request.remote_addr or request.ip or "unknown"


def _error(status: int, code: str, text: str) -> HTTPResponse:
    return response.json({"error": text, "code": code}, status=status)


def too_big(request: Request) -> bool:
    return body_too_big(request, WIDGET_MAX_BYTES)


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



def _resume(token: Any, idle_minutes: int) -> Tuple[Optional[str], List[Dict[str, str]]]:
    """The session's conversation and the buttons it was last offered, in one worker-thread trip.

    Each hop to a thread and back waits behind every other patient's turn on a busy
    replica's event loop, and each transaction costs a pool check-out and a commit, so the
    reads a message needs are made together, in one transaction.
    """
    with session_scope() as session:
        conversation = widget_sessions.resume_in(session, token, idle_minutes)
        return conversation, (buttons.read(session, conversation) if conversation else [])


class WidgetInput(InputChannel):
    def __init__(self) -> None:
        #: The last replies per conversation by message id: the widget's one retry never answers twice.
        self.answered: Dict[str, OrderedDict[str, Any]] = defaultdict(OrderedDict)
        settings = get_settings()
        per_address, shared = settings.widget_address_per_minute, settings.redis_url
        self.per_session = limiter("widget-conversation", PER_SESSION_PER_MINUTE, shared)
        self.per_address = limiter("widget-address", per_address, shared)
        self.new_sessions = limiter("widget-new-session", per_address, shared)

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

        @widget.route("/config.json", methods=["GET"])
        async def widget_config(_: Request) -> HTTPResponse:
            settings = get_settings()
            return response.json({"clinic_name": settings.clinic_name, "nurse_line": settings.nurse_line,
                                  "launcher_text": settings.widget_launcher_text, "color": settings.widget_color,
                                  "logo_url": settings.widget_logo_url, "max_chars": MAX_MESSAGE_CHARS,
                                  "texts": {key: fixed_reply(f"widget_{key}", False) for key in WIDGET_TEXTS}},
                                 headers={"Cache-Control": "no-cache"})

        @widget.route("/<name:str>", methods=["GET"])
        async def static_file(_: Request, name: str) -> HTTPResponse:
            if name not in FILES:
                return response.json({"error": "Not found."}, status=404)
            headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
            if name.endswith(".html"):
                headers["Content-Security-Policy"] = PAGE_CSP
            return response.raw((STATIC / name).read_bytes(), content_type=FILES[name], headers=headers)

        @widget.route("/session", methods=["POST"])
        async def new_session(request: Request) -> HTTPResponse:
            if too_big(request):
                return _error(413, "too_large", "That request is too large.")
            if not await self.new_sessions.allow(_address(request)):
                return _error(429, "rate_limited", fixed_reply("widget_slow_down", False))
            try:
                token, _ = await asyncio.to_thread(widget_sessions.create, get_settings().widget_idle_minutes)
            except Exception as exc:  # the database is down: say so kindly, with the numbers that work
                logger.error("could not start a widget conversation: %s", type(exc).__name__)
                return _error(503, "unavailable", unavailable(False).text)
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
            try:
                conversation, offered = await asyncio.to_thread(_resume, payload.get("session"),
                                                                get_settings().widget_idle_minutes)
            except Exception as exc:
                # The session store is unreachable, so the conversation is unknown: the message is
                # still triaged and answered by the safety net (911, 988 or the notice).
                logger.error("widget session store unreachable (%s): answered by the safety net",
                             type(exc).__name__)
                _, replies = await net_replies(agent_of(request), message, "web-unknown", CHANNEL_NAME, False)
                return response.json({"messages": merge_custom([widget_render.render(r) for r in replies]),
                                      "degraded": True})
            if conversation is None:
                return _error(401, "session_expired", fixed_reply("widget_session_ended", False))
            message_id = payload.get("id")[:64] if isinstance(payload.get("id"), str) else ""
            earlier = self.answered.get(conversation, {}).get(message_id) if message_id else None
            if earlier is not None:  # the widget's retry: the same answer, never a second turn
                return response.json({"messages": await asyncio.shield(earlier), "repeat": True})
            if not (await self.per_session.allow(conversation) and await self.per_address.allow(_address(request))):
                return _error(429, "rate_limited", fixed_reply("widget_slow_down", False))
            turn = asyncio.ensure_future(self.turn(request, on_new_message, conversation, message, offered,
                                                   message_id))
            if message_id:  # remembered before the turn runs, so a retry arriving meanwhile waits for it
                self.remember(conversation, message_id, turn)
            return response.json({"messages": await asyncio.shield(turn)})

        return widget

    async def turn(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                   conversation: str, message: str, offered: List[Dict[str, str]],
                   message_id: str = "") -> List[Dict[str, Any]]:
        text = buttons.as_patient_text(message, offered)
        collector = CollectingOutputChannel()
        turn = await answer_turn(agent_of(request), on_new_message,
                                 UserMessage(text, collector, conversation, input_channel=CHANNEL_NAME,
                                             message_id=message_id or None),
                                 collector.messages, sms=False, render=widget_render.render,
                                 retry_id=message_id or None)
        await asyncio.to_thread(buttons.remember, conversation, buttons.buttons_in(turn.messages))
        return merge_custom(turn.messages)

    def remember(self, conversation: str, message_id: str, turn: asyncio.Future[Any]) -> None:
        """Keep the last few answers per conversation, for a bounded number of conversations."""
        answered = self.answered.pop(conversation, OrderedDict())
        answered[message_id] = turn
        while len(answered) > REMEMBERED_IDS:
            answered.popitem(last=False)
        self.answered[conversation] = answered  # most recent last
        while len(self.answered) > REMEMBERED_CONVERSATIONS:
            self.answered.popitem(last=False)
