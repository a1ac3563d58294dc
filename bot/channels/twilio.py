"""SMS through Twilio, as a Rasa input channel (replaces Rasa's built-in connector).

Why our own: every webhook's X-Twilio-Signature is checked against the public
URL; STOP/HELP/START never reach NLU; a retried MessageSid is processed once;
media-only texts get a kind reply; the conversation id is a keyed pseudonym
and the number itself is kept only encrypted on a handoff ticket; replies are
GSM-7, at most two segments each, and sent off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Dict, List, Optional
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.sms import format_outgoing
from bot.config import Settings, get_settings
from bot.db import session_scope
from bot.db.models import HandoffTicket, SmsInbound, SmsMenu, SmsOptOut
from bot.fixed_replies import fixed_reply
from bot.privacy import encrypt_contact, pseudonym

logger = logging.getLogger(__name__)

CHANNEL_NAME = "twilio_sms"
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"}
START_WORDS = {"start", "unstop"}
HELP_WORDS = {"help", "info"}
#: Twilio's limit for one inbound message (10 concatenated segments).
MAX_INBOUND = 1600
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
UNSUBSCRIBED = 21610


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def keyword(body: str) -> str:
    """The body as a bare keyword ("Stop." -> "stop"), or "" when it is a sentence."""
    word = re.sub(r"[^a-z]", "", body.strip().lower())
    return word if len(body.split()) == 1 else ""


class CollectingSmsOutput(OutputChannel):
    """Collects the bot's messages for one inbound text; the channel formats and sends them."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    def __init__(self) -> None:
        self.messages: List[Dict[str, Any]] = []

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.messages.append({"text": text})

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]],
                                     **kwargs: Any) -> None:
        self.messages.append({"text": text, "buttons": buttons})


@dataclass
class SmsStore:
    """The channel's own records: opt-outs, seen MessageSids, last menus, ticket contacts."""

    database_url: Optional[str] = None

    def first_time(self, message_sid: str, conversation_id: str) -> bool:
        try:
            with session_scope(self.database_url) as session:
                session.add(SmsInbound(message_sid=message_sid, conversation_id=conversation_id,
                                       received_at=_now()))
            return True
        except IntegrityError:
            return False

    def opted_out(self, conversation_id: str) -> bool:
        with session_scope(self.database_url) as session:
            row = session.get(SmsOptOut, conversation_id)
            return bool(row and row.opted_out)

    def set_opt_out(self, conversation_id: str, opted_out: bool) -> None:
        self._upsert(SmsOptOut, conversation_id, opted_out=opted_out)

    def menu(self, conversation_id: str) -> List[Dict[str, str]]:
        with session_scope(self.database_url) as session:
            row = session.get(SmsMenu, conversation_id)
            return list(row.options) if row else []

    def set_menu(self, conversation_id: str, options: List[Dict[str, str]]) -> None:
        self._upsert(SmsMenu, conversation_id, options=options)

    def _upsert(self, model, conversation_id: str, **values: Any) -> None:  # noqa: ANN001 - a model class
        with session_scope(self.database_url) as session:
            row = session.get(model, conversation_id)
            if row is None:
                session.add(model(conversation_id=conversation_id, updated_at=_now(), **values))
                return
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = _now()

    def attach_contact(self, conversation_id: str, encrypted: str) -> None:
        """Put the encrypted call-back number on the conversation's open ticket, if any."""
        with session_scope(self.database_url) as session:
            for ticket in session.execute(
                select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id,
                                            HandoffTicket.status == "open",
                                            HandoffTicket.contact_encrypted.is_(None))
            ).scalars():
                ticket.contact_encrypted = encrypted


class TwilioSMSInput(InputChannel):
    """POST /webhooks/twilio_sms/webhook, configured from .env (see .env.example)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> TwilioSMSInput:
        return cls(get_settings())

    def __init__(self, settings: Settings, store: Optional[SmsStore] = None) -> None:
        self.settings = settings
        self.store = store or SmsStore()
        self.configured = all([settings.twilio_account_sid, settings.twilio_auth_token,
                               settings.twilio_messaging_number, settings.twilio_webhook_url,
                               settings.sms_pseudonym_key, settings.sms_encryption_key])
        self.validator = RequestValidator(settings.twilio_auth_token) if self.configured else None
        self._client: Optional[Client] = None
        self._pending: set = set()

    # -- sending ---------------------------------------------------------------------

    def client(self) -> Client:
        if self._client is None:
            self._client = Client(self.settings.twilio_account_sid, self.settings.twilio_auth_token)
        return self._client

    def _send_blocking(self, to: str, conversation_id: str, bodies: List[str]) -> None:
        """Runs in a worker thread: the Twilio SDK is synchronous."""
        for body in bodies:
            try:
                self.client().messages.create(to=to, from_=self.settings.twilio_messaging_number, body=body)
            except TwilioRestException as exc:
                logger.warning("Twilio error %s (HTTP %s) sending to conversation %s",
                               exc.code, exc.status, conversation_id)
                if exc.code == UNSUBSCRIBED:
                    self.store.set_opt_out(conversation_id, True)
                    return
            except Exception:  # network trouble: log without the body and go on
                logger.exception("could not reach Twilio for conversation %s", conversation_id)

    def send_later(self, to: str, conversation_id: str, bodies: List[str]) -> None:
        """Send off the event loop, so the webhook answers Twilio at once."""
        if not bodies:
            return
        task = asyncio.get_running_loop().create_task(
            asyncio.to_thread(self._send_blocking, to, conversation_id, bodies))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    # -- receiving -------------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sms = Blueprint("custom_webhook_twilio_sms", __name__)

        @sms.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.configured})

        @sms.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        return sms

    async def handle(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
                     ) -> HTTPResponse:
        if not self.configured:
            return response.text("SMS is not configured on this server.", status=503)
        # Parsed from the raw body, keeping blank values: a picture-only text has
        # Body="" and Twilio signs that field too (Sanic's request.form drops it).
        raw = (request.body or b"").decode("utf-8", errors="replace")
        params = {key: values[0] for key, values in parse_qs(raw, keep_blank_values=True).items()}
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not self.validator.validate(self.settings.twilio_webhook_url, params, signature):
            logger.warning("rejected an SMS webhook: missing or invalid X-Twilio-Signature")
            return response.text("Forbidden", status=403)
        phone, sid = params.get("From", ""), params.get("MessageSid", "")
        if not phone or not sid:
            return response.text("A Twilio message webhook needs From and MessageSid.", status=400)
        conversation = pseudonym(phone, self.settings.sms_pseudonym_key)
        if not self.store.first_time(sid, conversation):
            logger.info("duplicate MessageSid for conversation %s: already processed", conversation)
            return self._twiml()

        body = (params.get("Body") or "").strip()
        word = keyword(body)
        opted_out = self.store.opted_out(conversation)
        if word in STOP_WORDS:
            self.store.set_opt_out(conversation, True)
            logger.info("conversation %s opted out", conversation)
            return self._twiml()
        if word in START_WORDS or (word == "yes" and opted_out):
            self.store.set_opt_out(conversation, False)
            self.send_later(phone, conversation, format_outgoing([{"text": fixed_reply("sms_start", True)}])[0])
            return self._twiml()
        if word in HELP_WORDS:
            if not opted_out:
                self.send_later(phone, conversation, format_outgoing([{"text": fixed_reply("sms_help", True)}])[0])
            return self._twiml()
        if not body:
            if not opted_out:
                key = "sms_media_only" if int(params.get("NumMedia") or 0) > 0 else "sms_empty"
                self.send_later(phone, conversation, format_outgoing([{"text": fixed_reply(key, True)}])[0])
            return self._twiml()
        if len(body) > MAX_INBOUND:
            if not opted_out:
                self.send_later(phone, conversation, format_outgoing([{"text": fixed_reply("sms_too_long", True)}])[0])
            return self._twiml()

        text = self._menu_choice(conversation, body)
        if text is None:
            if not opted_out:
                self.send_later(phone, conversation,
                                format_outgoing([{"text": fixed_reply("sms_menu_unknown", True)}])[0])
            return self._twiml()

        collector = CollectingSmsOutput()
        await on_new_message(UserMessage(text, collector, conversation, input_channel=CHANNEL_NAME,
                                         metadata=self.get_metadata(request)))
        bodies, options = format_outgoing(collector.messages)
        if options:
            self.store.set_menu(conversation, options)
        # Someone who opted out is never texted; a ticket still reaches the nurse.
        if not self.store.opted_out(conversation):
            self.send_later(phone, conversation, bodies)
        self.store.attach_contact(conversation, encrypt_contact(phone, self.settings.sms_encryption_key))
        return self._twiml()

    def _menu_choice(self, conversation: str, body: str) -> Optional[str]:
        """A bare number picks from the last menu; returns None for a number with no such option."""
        if not re.fullmatch(r"\d{1,2}", body):
            return body
        options = self.store.menu(conversation)
        if not options:
            return body
        index = int(body) - 1
        if 0 <= index < len(options):
            return options[index]["payload"]
        return None

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        return None  # nothing from the webhook (least of all the number) goes into the tracker

    @staticmethod
    def _twiml() -> HTTPResponse:
        return response.text(EMPTY_TWIML, content_type="text/xml")
