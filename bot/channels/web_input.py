"""The web chat's REST input channel, with clear errors for bad requests.

Same URL and JSON as Rasa's REST channel (POST /webhooks/rest/webhook with
{"sender": ..., "message": ...}), but a malformed, empty or over-long request
gets a kind JSON error the widget can show (and the patient keeps her text),
instead of an HTML 500 page or a silent empty answer.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import buttons
from bot.channels import web as web_renderer
from bot.channels.health import health_report
from bot.channels.limits import REST_MAX_BYTES, body_too_big
from bot.config import get_settings, settings_or_exit
from bot.safety.detector import detector_or_exit
from bot.safety.net import agent_of, answer_turn

CHANNEL_NAME = "rest"
MAX_MESSAGE_CHARS = 5000
MAX_SENDER_CHARS = 128


def check_request(body: bytes) -> Tuple[Optional[Dict[str, str]], Optional[Tuple[int, str]]]:
    """The sender, message and optional message_id (a retry with the same id is answered once),
    or (status, kind error text)."""
    nurse = get_settings().nurse_line
    try:
        payload = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        payload = None
    if not isinstance(payload, dict):
        return None, (400, "Sorry, I could not read that request. Please send JSON with 'sender' and 'message'.")
    sender, message = payload.get("sender"), payload.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return None, (400, f"The request needs a 'sender' id of 1 to {MAX_SENDER_CHARS} characters.")
    if not isinstance(message, str) or not message.strip():
        return None, (400, "Your message was empty. Please type your question.")
    if len(message) > MAX_MESSAGE_CHARS:
        return None, (413, f"Sorry, that message is too long for me (over {MAX_MESSAGE_CHARS:,} characters). "
                           f"Please send a shorter question, or call the nurse line at {nurse}.")
    message_id = payload.get("message_id")
    if message_id is not None and (not isinstance(message_id, str) or not 1 <= len(message_id) <= 64):
        return None, (400, "'message_id', when given, must be a string of 1 to 64 characters.")
    return {"sender": sender.strip(), "message": message, "message_id": message_id or ""}, None


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> WebChatInput:
        # Rasa builds its channels before it serves anything: a bad setting stops it here, by name.
        settings_or_exit("The Rasa server")
        detector_or_exit()
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        web = Blueprint("custom_webhook_web_chat", __name__)

        @web.route("/", methods=["GET"])
        async def alive(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @web.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            report = await health_report(agent_of(request))
            return response.json(report, status=200 if report["status"] == "ok" else 503)

        @web.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if body_too_big(request, REST_MAX_BYTES):
                nurse = get_settings().nurse_line
                return response.json({"error": "Sorry, that message is too long for me. Please send a shorter "
                                               f"question, or call the nurse line at {nurse}."}, status=413)
            fields, error = check_request(request.body or b"")
            if error:
                status, text = error
                return response.json({"error": text}, status=status)
            sender = fields["sender"]
            text = buttons.as_patient_text(fields["message"], await asyncio.to_thread(buttons.offered, sender))
            collector = CollectingOutputChannel()
            turn = await answer_turn(agent_of(request), on_new_message,
                                         UserMessage(text, collector, sender, input_channel=CHANNEL_NAME,
                                                     message_id=fields["message_id"] or None),
                                         collector.messages, sms=False, render=web_renderer.render,
                                         retry_id=fields["message_id"] or None)
            await asyncio.to_thread(buttons.remember, sender, buttons.buttons_in(turn.messages))
            return response.json([{"recipient_id": sender, **m} for m in turn.messages])

        return web
