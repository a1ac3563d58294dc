"""SQLAlchemy models for everything the assistant stores itself.

Rasa's tracker store keeps conversations; these tables keep what the clinic
owns: the vetted knowledge base (with a content hash so a reviewer can tell
exactly which text was approved and served).
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class KBEntryRow(Base):
    """One vetted answer. Only rows with review_status 'approved' are served."""

    __tablename__ = "kb_entries"

    id = Column(String(64), primary_key=True)
    intent = Column(String(64), unique=True, index=True, nullable=False)
    title = Column(String(64), nullable=False)
    web_answer = Column(Text, nullable=False)
    sms_answer = Column(Text, nullable=False)
    follow_ups = Column(JSON, nullable=False)
    facts = Column(JSON, nullable=False)
    sources = Column(JSON, nullable=False)
    variants = Column(JSON, nullable=False)
    review_status = Column(String(16), nullable=False)
    reviewer = Column(String(128), nullable=False)
    review_date = Column(Date, nullable=False)
    content_hash = Column(String(64), nullable=False)
    loaded_at = Column(DateTime, nullable=False)


class AnswerAudit(Base):
    """Which approved text was served, when and where.

    Lets a nurse or reviewer trace any transcript line back to the exact entry
    version (content hash) without storing the patient's message.
    """

    __tablename__ = "answer_audit"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), index=True, nullable=False)
    channel = Column(String(32), nullable=False)
    intent = Column(String(64), nullable=False)
    entry_id = Column(String(64), nullable=False)
    content_hash = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)


class HandoffTicket(Base):
    """A conversation a nurse must follow up on. Never holds message text.

    One open ticket per conversation: a later, more urgent event escalates it
    instead of adding a second row, so the nurse queue stays one line per patient.
    """

    __tablename__ = "handoff_tickets"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), index=True, nullable=False)
    channel = Column(String(32), nullable=False)
    reason = Column(String(255), nullable=False)
    urgency = Column(String(16), nullable=False)
    detail = Column(Text, nullable=False, default="")
    status = Column(String(16), nullable=False, default="open", index=True)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)
    #: Encrypted call-back number (SMS channel); never logged or exported in clear.
    contact_encrypted = Column(Text, nullable=True)
    #: The nurse working on it (staff username); the ticket stays "open" so a later
    #: warning sign in the same conversation still escalates it.
    claimed_by = Column(String(64), nullable=True)
    claimed_at = Column(DateTime, nullable=True)
    closed_by = Column(String(64), nullable=True)
    closed_at = Column(DateTime, nullable=True)
    outcome = Column(String(32), nullable=True)


class SmsOptOut(Base):
    """STOP / START state per SMS conversation, keyed by the pseudonym, never the number."""

    __tablename__ = "sms_opt_outs"

    conversation_id = Column(String(128), primary_key=True)
    opted_out = Column(Boolean, nullable=False)
    updated_at = Column(DateTime, nullable=False)


class SmsInbound(Base):
    """Each Twilio MessageSid once: a retried webhook is recognised and not processed again."""

    __tablename__ = "sms_inbound"

    message_sid = Column(String(64), primary_key=True)
    conversation_id = Column(String(128), nullable=False)
    received_at = Column(DateTime, nullable=False)


class OfferedButtons(Base):
    """The buttons (SMS: the numbered menu) last offered to a conversation.

    SMS uses it so "2" picks the second option; both channels use it so a
    payload in slash syntax is accepted only when it was just offered.
    """

    __tablename__ = "offered_buttons"

    conversation_id = Column(String(128), primary_key=True)
    options = Column(JSON, nullable=False)  # [{"title": ..., "payload": ...}, ...]
    updated_at = Column(DateTime, nullable=False)


class SmsOutbox(Base):
    """Every SMS reply, stored before it is sent and kept until it is sent or given up.

    A MessageSid counts as handled only once its replies are here, so a crash
    between processing and sending loses nothing; the sender retries with
    backoff, and an urgent reply that still fails is raised on the nurse queue.
    """

    __tablename__ = "sms_outbox"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), index=True, nullable=False)
    #: The recipient, Fernet-encrypted like the ticket's call-back number.
    to_encrypted = Column(Text, nullable=False)
    body = Column(Text, nullable=False)
    #: "emergency", "crisis" or "same_day" when the reply sends her to a person now (bot/reply.py), else None.
    urgency = Column(String(16), nullable=True)
    #: pending | sent | failed | dropped (opted out)
    status = Column(String(16), nullable=False, default="pending", index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False)
    last_error = Column(String(64), nullable=True)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)


class WidgetSession(Base):
    """A web-widget conversation the server issued.

    The widget holds a random bearer token; only its SHA-256 is stored, and the
    tracker uses a separate conversation id, so neither the database nor the
    transcripts hold anything that would let someone continue her conversation.
    """

    __tablename__ = "widget_sessions"

    token_hash = Column(String(64), primary_key=True)
    conversation_id = Column(String(64), unique=True, nullable=False)
    created_at = Column(DateTime, nullable=False)
    last_seen_at = Column(DateTime, nullable=False, index=True)


class TicketNote(Base):
    """A nurse's note on a ticket (her words, never copied from the patient's)."""

    __tablename__ = "ticket_notes"

    id = Column(Integer, primary_key=True, autoincrement=True)
    ticket_id = Column(Integer, ForeignKey("handoff_tickets.id", ondelete="CASCADE"), index=True, nullable=False)
    author = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)


class StaffUser(Base):
    """A clinic staff account for the review app. Only the argon2id hash of the password is kept."""

    __tablename__ = "staff_users"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(64), unique=True, nullable=False)
    role = Column(String(16), nullable=False)  # nurse | clinician | admin
    password_hash = Column(String(255), nullable=False)
    #: Base32 TOTP secret when the second factor is on for this user, else None.
    totp_secret = Column(String(64), nullable=True)
    #: The TOTP time step last accepted: a code is good once, never replayed within its window.
    totp_last_step = Column(Integer, nullable=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False)


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored,
    so a copy of the database cannot be used to sign in, and logging out or locking
    the account ends the session on the server."""

    __tablename__ = "staff_sessions"

    token_hash = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), index=True, nullable=False)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)
    last_seen_at = Column(DateTime, nullable=False)


class AuditLog(Base):
    """Who did what, when and from where, in the staff app and the purge.

    Append-only: the application has no code path that updates or deletes a row;
    only the retention purge removes rows older than AUDIT_RETENTION_DAYS.
    """

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, index=True)
    actor = Column(String(64), nullable=False)
    role = Column(String(16), nullable=False, default="")
    action = Column(String(48), nullable=False, index=True)
    target = Column(String(160), nullable=False, default="")
    address = Column(String(64), nullable=False, default="")
    detail = Column(Text, nullable=False, default="")


class ReplyReview(Base):
    """A staff mark on one bot reply: good, wrong or unsafe, with the topic it should have had.

    The reply is identified by its conversation and the tracker event's timestamp,
    which Rasa stores with every event and never changes.
    """

    __tablename__ = "reply_reviews"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), index=True, nullable=False)
    event_timestamp = Column(Float, nullable=False)
    mark = Column(String(16), nullable=False)  # good | wrong | unsafe
    right_intent = Column(String(64), nullable=True)
    note = Column(Text, nullable=False, default="")
    reviewer = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)


class KBSignoff(Base):
    """A clinician's decision on one version (content hash) of a knowledge-base entry."""

    __tablename__ = "kb_signoffs"

    id = Column(Integer, primary_key=True, autoincrement=True)
    entry_id = Column(String(64), index=True, nullable=False)
    content_hash = Column(String(64), nullable=False)
    decision = Column(String(16), nullable=False)  # approved | returned
    note = Column(Text, nullable=False, default="")
    signer = Column(String(64), nullable=False)
    signer_role = Column(String(16), nullable=False)
    signed_at = Column(DateTime, nullable=False)
