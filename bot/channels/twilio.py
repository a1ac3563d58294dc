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
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Set
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels import buttons
from bot.channels import sms as sms_renderer
from bot.channels.limits import SMS_MAX_BYTES, body_too_big
from bot.channels.sms import format_outgoing
from bot.channels.sms_outbox import Outbox
from bot.config import Settings, settings_or_exit
from bot.db import session_scope
from bot.db.models import HandoffTicket, SmsInbound, SmsOptOut
from bot.fixed_replies import fixed_reply
from bot.privacy import encrypt_contact, pseudonym
from bot.reply import URGENT_TAGS
from bot.safety.handoff import ROUTE_URGENCY
from bot.safety.net import agent_of, answer_turn

logger = logging.getLogger(__name__)

CHANNEL_NAME = "twilio_sms"
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"}
START_WORDS = {"start", "unstop"}
HELP_WORDS = {"help", "info"}
#: Twilio's limit for one inbound message (10 concatenated segments).
MAX_INBOUND = 1600
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


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

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        # Never texted (the default would send it as JSON text): it carries the reply's urgency.
        self.messages.append({"custom": json_message})


def urgency_of(messages: Sequence[Dict[str, Any]]) -> Optional[str]:
    """The most urgent level among a turn's bot messages, as their renderer marked it."""
    levels = {(m.get("custom") or {}).get("urgency") for m in messages if isinstance(m.get("custom"), dict)}
    return next((level for level in URGENT_TAGS if level in levels), None)


@dataclass(frozen=True)
class InboundState:
    handled: bool
    opted_out: bool
    menu: List[Dict[str, str]]


@dataclass
class SmsStore:
    """The channel's own records: opt-outs, seen MessageSids, last menus, ticket contacts."""

    database_url: Optional[str] = None

    def inbound_state(self, message_sid: str, conversation_id: str) -> InboundState:
        """Everything the channel reads before a turn, in one transaction on one worker-thread trip.

        Each hop to a thread and back queues behind every other patient's turn on a busy
        replica's event loop, and on PostgreSQL each transaction costs a pool check-out with
        a liveness ping and a commit: one of each per text, not three.
        """
        with session_scope(self.database_url) as session:
            return InboundState(session.get(SmsInbound, message_sid) is not None,
                                _opted_out(session, conversation_id), buttons.read(session, conversation_id))

    def after_turn(self, message_sid: str, conversation_id: str, phone: str, bodies: Sequence[str],
                   outbox: Outbox, urgency: Optional[str], options: List[Dict[str, str]], encrypted: str) -> None:
        """Everything stored after a turn, in one transaction (as `inbound_state`).

        The menu, the replies, the handled MessageSid and the ticket's call-back number are
        saved together or not at all: if the database fails here, nothing is marked handled
        and Twilio's retry is answered in full. The opt-out is read again: someone whose STOP
        was stored while this turn ran is not texted (the outbox checks once more before sending).
        """
        with session_scope(self.database_url) as session:
            if options:
                buttons.store(session, conversation_id, options)
            silent = _opted_out(session, conversation_id)
            self._store_replies(session, message_sid, conversation_id, phone, [] if silent else bodies, outbox,
                                urgency)
            for ticket in session.execute(
                select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id,
                                            HandoffTicket.status == "open",
                                            HandoffTicket.contact_encrypted.is_(None))
            ).scalars():
                ticket.contact_encrypted = encrypted  # the nurse's call-back number, encrypted

    def finish(self, message_sid: str, conversation_id: str, phone: str, bodies: Sequence[str], outbox: Outbox,
               urgency: Optional[str] = None, opt_out: Optional[bool] = None) -> None:
        """Store a keyword's replies (and the opt-out it sets) and mark the MessageSid handled, together."""
        with session_scope(self.database_url) as session:
            if opt_out is not None:
                session.merge(SmsOptOut(conversation_id=conversation_id, opted_out=opt_out, updated_at=_now()))
            self._store_replies(session, message_sid, conversation_id, phone, bodies, outbox, urgency)

    @staticmethod
    def _store_replies(session: Session, message_sid: str, conversation_id: str, phone: str,
                       bodies: Sequence[str], outbox: Outbox, urgency: Optional[str]) -> None:
        outbox.add(session, conversation_id, phone, bodies, urgency)
        session.add(SmsInbound(message_sid=message_sid, conversation_id=conversation_id, received_at=_now()))


def _opted_out(session: Session, conversation_id: str) -> bool:
    row = session.get(SmsOptOut, conversation_id)
    return bool(row and row.opted_out)


class TwilioSMSInput(InputChannel):
    """POST /webhooks/twilio_sms/webhook, configured from .env (see .env.example)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> TwilioSMSInput:
        return cls(settings_or_exit("The Rasa server"))

    def __init__(self, settings: Settings, store: Optional[SmsStore] = None,
                 outbox: Optional[Outbox] = None) -> None:
        self.settings = settings
        self.store = store or SmsStore()
        self.configured = all([settings.twilio_account_sid, settings.twilio_auth_token,
                               settings.twilio_messaging_number, settings.twilio_webhook_url,
                               settings.sms_pseudonym_key, settings.sms_encryption_key])
        self.validator = RequestValidator(settings.twilio_auth_token) if self.configured else None
        self.outbox = outbox or Outbox(settings, self.store.database_url)
        self._in_flight: Set[str] = set()

    def client(self) -> Client:
        return self.outbox.client()

    # -- receiving -------------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sms = Blueprint("custom_webhook_twilio_sms", __name__)

        @sms.listener("after_server_start")
        async def start_sender(app: Any, loop: Any) -> None:
            # Replies stored before a restart are sent without waiting for the next text.
            if self.configured:
                self.outbox.start()

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
        self.outbox.start()
        if body_too_big(request, SMS_MAX_BYTES):  # before the form is read: Twilio never sends this much
            return response.text("Request body too large.", status=413)
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
        if sid in self._in_flight:
            # Twilio retried while the first delivery is still being answered: ask it to come back.
            return response.text("Still processing this message; please retry.", status=503)
        self._in_flight.add(sid)
        try:
            state = await asyncio.to_thread(self.store.inbound_state, sid, conversation)
            if state.handled:
                logger.info("duplicate MessageSid for conversation %s: already answered", conversation)
                return self._twiml()
            # Shielded: if Twilio hangs up and Sanic cancels this handler, the turn still
            # finishes and its replies are still stored and sent.
            await asyncio.shield(self._answer(request, on_new_message, params, phone, sid, conversation, state))
        except Exception:
            # Nothing was marked handled: Twilio's retry of this MessageSid is answered in full.
            logger.exception("could not handle an SMS for conversation %s; Twilio may retry", conversation)
            return response.text("Temporary problem; please retry.", status=500)
        finally:
            self._in_flight.discard(sid)
        self.outbox.wake()
        return self._twiml()

    async def _answer(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                      params: Dict[str, str], phone: str, sid: str, conversation: str,
                      state: InboundState) -> None:
        """Work out this text's replies and store them for sending with the MessageSid.

        Database calls run in worker threads: a locked SQLite file must not stall the event
        loop, and with it the safety net's own timer for every other patient.
        """
        async def keyword_reply(key: Optional[str], opt_out: Optional[bool] = None) -> None:
            bodies = format_outgoing([{"text": fixed_reply(key, True)}])[0] if key else []
            await asyncio.to_thread(self.store.finish, sid, conversation, phone, bodies, self.outbox,
                                    opt_out=opt_out)

        body = (params.get("Body") or "").strip()
        word = keyword(body)
        opted_out = state.opted_out
        if word in STOP_WORDS:
            logger.info("conversation %s opted out", conversation)
            return await keyword_reply(None, opt_out=True)
        if word in START_WORDS or (word == "yes" and opted_out):
            return await keyword_reply("sms_start", opt_out=False)
        if word in HELP_WORDS:
            return await keyword_reply(None if opted_out else "sms_help")
        if not body:
            key = "sms_media_only" if int(params.get("NumMedia") or 0) > 0 else "sms_empty"
            return await keyword_reply(None if opted_out else key)
        if len(body) > MAX_INBOUND:
            return await keyword_reply(None if opted_out else "sms_too_long")

        text = self._menu_choice(state.menu, body)
        if text is None:
            return await keyword_reply(None if opted_out else "sms_menu_unknown")

        collector = CollectingSmsOutput()
        agent = agent_of(request)
        turn = await answer_turn(agent, on_new_message,
                                 UserMessage(text, collector, conversation, input_channel=CHANNEL_NAME,
                                             metadata=self.get_metadata(request), message_id=sid),
                                 collector.messages, sms=True, render=sms_renderer.render, retry_id=sid)
        bodies, options = format_outgoing(turn.messages)
        # The urgency travels with the replies (bot/reply.py): no second read of the tracker store.
        urgency = ROUTE_URGENCY.get(turn.route or "") if turn.by_net else urgency_of(turn.messages)
        # Someone who opted out is never texted; a ticket still reaches the nurse.
        await asyncio.to_thread(self.store.after_turn, sid, conversation, phone, bodies, self.outbox,
                                urgency, options, encrypt_contact(phone, self.settings.sms_encryption_key))

    @staticmethod
    def _menu_choice(options: List[Dict[str, str]], body: str) -> Optional[str]:
        """A bare number picks from the last menu; returns None for a number with no such option.

        Typed slash syntax is read as plain words unless it is one of the menu's own payloads.
        """
        if not re.fullmatch(r"\d{1,2}", body):
            return buttons.as_patient_text(body, options)
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
