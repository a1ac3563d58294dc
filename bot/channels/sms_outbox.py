"""Sending SMS replies from the outbox, with retries and backoff.

The webhook only stores replies (bot/channels/twilio.py); this sender, one
asyncio task in the Rasa server, delivers them in order per conversation.
A failed send is retried after SMS_RETRY_SECONDS, doubling each time, up to
SMS_SEND_ATTEMPTS attempts. A reply to a warning sign that still cannot be
delivered is raised on the nurse queue with the encrypted call-back number,
because the patient never saw "Call 911".
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional, Sequence, Set, Tuple, Union

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.config import Settings
from bot.db import session_scope
from bot.db.models import SmsOptOut, SmsOutbox
from bot.privacy import decrypt_contact, encrypt_contact
from bot.safety.handoff import try_open_ticket

logger = logging.getLogger(__name__)
UNSUBSCRIBED = 21610
SWEEP_SECONDS = 1.0
#: A reply being sent is leased to one sender for this long. Several Rasa replicas sweep the same
#: table (issue 12): the lease makes each send happen once, and a sender that died mid-send
#: gives its reply back when the lease runs out (sent again rather than never).
LEASE_SECONDS = 60
HELD, DROPPED = "held", "dropped"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Outbox:
    def __init__(self, settings: Settings, database_url: Optional[str] = None,
                 client_factory: Optional[Callable[[], Client]] = None) -> None:
        self.settings = settings
        self.database_url = database_url
        self._client_factory = client_factory or (lambda: Client(settings.twilio_account_sid,
                                                                 settings.twilio_auth_token))
        self._client: Optional[Client] = None
        self._wake: Optional[asyncio.Event] = None
        self._task: Optional[asyncio.Task] = None

    # -- storing ---------------------------------------------------------------------

    def add(self, session: Session, conversation_id: str, phone: str, bodies: Sequence[str],
            urgency: Optional[str] = None) -> None:
        """Queue this turn's replies inside the caller's transaction."""
        now = _now()
        token = encrypt_contact(phone, self.settings.sms_encryption_key)
        for body in bodies:
            session.add(SmsOutbox(conversation_id=conversation_id, to_encrypted=token, body=body, urgency=urgency,
                                  status="pending", attempts=0, next_attempt_at=now, created_at=now,
                                  updated_at=now))

    # -- sending ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the sender on the running event loop (once)."""
        if self._task is None:
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), SWEEP_SECONDS)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
            try:
                await asyncio.to_thread(self.sweep)
            except Exception:  # the database may be briefly unavailable: try again next sweep
                logger.exception("the SMS outbox sweep failed")

    def client(self) -> Client:
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def sweep(self, now: Optional[datetime] = None) -> int:
        """Send every due reply, oldest first; a conversation waits behind its own failed reply.

        No transaction is held while Twilio is called: the action server writes
        tickets to the same database and must never wait on a slow send.
        """
        now = now or _now()
        with session_scope(self.database_url) as session:
            rows = session.execute(select(SmsOutbox.id, SmsOutbox.conversation_id, SmsOutbox.next_attempt_at,
                                          SmsOutbox.urgency)
                                   .where(SmsOutbox.status.in_(("pending", "sending")))
                                   .order_by(SmsOutbox.id)).all()
        sent = 0
        waiting: Set[str] = set()
        for row_id, conversation_id, due, urgency in rows:
            if conversation_id in waiting and not urgency:  # a 911 text never waits behind an older one
                continue
            if due > now:
                waiting.add(conversation_id)
                continue
            if self._deliver(row_id):
                sent += 1
            else:
                waiting.add(conversation_id)
        return sent

    def _claim(self, row_id: int) -> Union[str, Tuple[str, str, str]]:
        """Take the reply for this sender only, or leave it to another; one transaction.

        The conditional UPDATE is the lease: a replica whose UPDATE changed no row leaves the
        reply alone. Returns (conversation, encrypted number, body) to send, HELD when another
        replica holds it, or DROPPED when the patient has opted out.
        """
        now = _now()
        with session_scope(self.database_url) as session:
            claimed = session.execute(
                update(SmsOutbox)
                .where(SmsOutbox.id == row_id, SmsOutbox.next_attempt_at <= now,
                       or_(SmsOutbox.status == "pending",
                           and_(SmsOutbox.status == "sending", SmsOutbox.updated_at <= now - timedelta(
                               seconds=LEASE_SECONDS))))
                .values(status="sending", updated_at=now)
                .execution_options(synchronize_session=False))
            if claimed.rowcount != 1:
                return HELD
            row = session.get(SmsOutbox, row_id)
            opt_out = session.get(SmsOptOut, row.conversation_id)
            if opt_out is not None and opt_out.opted_out:
                row.status, row.updated_at = "dropped", now
                return DROPPED
            return row.conversation_id, row.to_encrypted, row.body

    def _deliver(self, row_id: int) -> bool:
        """Send one reply; False when its conversation's later replies must wait behind it."""
        claimed = self._claim(row_id)
        if claimed == HELD:
            return False  # another replica is sending it: its conversation's later replies wait
        if claimed == DROPPED:
            return True
        conversation_id, token, body = claimed
        error, permanent, unsubscribed = None, False, False
        try:
            phone = decrypt_contact(token, self.settings.sms_encryption_key)
            self.client().messages.create(to=phone, from_=self.settings.twilio_messaging_number, body=body)
        except TwilioRestException as exc:
            logger.warning("Twilio error %s (HTTP %s) sending to conversation %s", exc.code, exc.status,
                           conversation_id)
            unsubscribed = exc.code == UNSUBSCRIBED
            error = f"twilio {exc.code or exc.status}"
            permanent = exc.status is not None and 400 <= int(exc.status) < 500 and int(exc.status) != 429
        except Exception as exc:  # network trouble: never log the body or the number
            logger.warning("could not reach Twilio for conversation %s: %s", conversation_id, type(exc).__name__)
            error = type(exc).__name__
        escalate = None
        now = _now()
        with session_scope(self.database_url) as session:
            row = session.get(SmsOutbox, row_id)
            row.attempts += 1
            row.updated_at = now
            if error is None:
                row.status, row.last_error = "sent", None
            elif unsubscribed:
                row.status, row.last_error = "dropped", error[:64]
                session.merge(SmsOptOut(conversation_id=conversation_id, opted_out=True, updated_at=now))
            elif not permanent and row.attempts < self.settings.sms_send_attempts:
                row.status, row.last_error = "pending", error[:64]
                row.next_attempt_at = now + timedelta(seconds=self.settings.sms_retry_seconds
                                                      * (2 ** (row.attempts - 1)))
            else:
                row.status, row.last_error = "failed", error[:64]
                logger.error("gave up sending an SMS reply to conversation %s after %d attempt(s)",
                             conversation_id, row.attempts)
                if row.urgency:
                    escalate = (row.urgency, row.attempts, row.last_error)
        if escalate:
            # She never got the 911 / 988 / clinic words: a nurse must call her.
            urgency, attempts, last_error = escalate
            ticket = try_open_ticket(conversation_id, "twilio_sms", reason="sms_undelivered", urgency=urgency,
                                     detail=f"urgent SMS reply not delivered after {attempts} attempts ({last_error})",
                                     contact_encrypted=token)
            if ticket is None:
                logger.error("could not queue the undelivered urgent SMS for a nurse (conversation %s)",
                             conversation_id)
        return error is None or unsubscribed
