"""SMS end to end: signed Twilio webhooks to the running server, Twilio's API faked at the HTTP layer."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from typing import Dict, List, Optional
from urllib.parse import urlencode

import pytest
import requests
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot.db import session_scope
from bot.db.models import HandoffTicket, SmsOptOut
from bot.kb.lookup import KnowledgeBase
from bot.privacy import decrypt_contact, pseudonym
from bot.text.gsm7 import MAX_MESSAGE, MULTI_SEGMENT, fold_to_gsm7, gsm7_length
from tests.e2e.conftest import TWILIO_ENV

pytestmark = pytest.mark.e2e
TOKEN = TWILIO_ENV["TWILIO_AUTH_TOKEN"]
CLINIC_NUMBER = TWILIO_ENV["TWILIO_MESSAGING_NUMBER"]


def new_phone(suffix: str = "") -> str:
    digits = str(uuid.uuid4().int)[:10 - len(suffix)] + suffix
    return "+1" + digits


def twilio_params(phone: str, body: str, sid: Optional[str] = None, media: int = 0) -> Dict[str, str]:
    """The full field set Twilio posts for an incoming SMS."""
    sid = sid or "SM" + uuid.uuid4().hex
    params = {
        "ToCountry": "US", "ToState": "NY", "SmsMessageSid": sid, "NumMedia": str(media), "ToCity": "NEW YORK",
        "FromZip": "10001", "SmsSid": sid, "FromState": "NY", "SmsStatus": "received", "FromCity": "NEW YORK",
        "Body": body, "FromCountry": "US", "To": CLINIC_NUMBER, "ToZip": "10001", "NumSegments": "1",
        "MessageSid": sid, "AccountSid": TWILIO_ENV["TWILIO_ACCOUNT_SID"], "From": phone, "ApiVersion": "2010-04-01",
    }
    if media:
        params.update({"MediaContentType0": "image/jpeg",
                       "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME"})
    return params


def post(chat, params: Dict[str, str], sign_url: Optional[str] = None, signature: Optional[str] = None,
         tamper: Optional[Dict[str, str]] = None) -> requests.Response:
    if signature is None:
        signature = RequestValidator(TOKEN).compute_signature(sign_url or chat.sms_url, params)
    sent = {**params, **(tamper or {})}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature:
        headers["X-Twilio-Signature"] = signature
    return requests.post(chat.sms_url, data=urlencode(sent), headers=headers, timeout=60)


def outbound(chat, phone: str) -> List[Dict[str, str]]:
    if not chat.twilio_log.exists():
        return []
    rows = []
    for line in chat.twilio_log.read_text().splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:  # the fake Twilio is still writing this line: read it next time
            break
    return [r for r in rows if r["To"] == phone]


def wait_for(chat, phone: str, count: int, timeout: float = 20.0) -> List[Dict[str, str]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = outbound(chat, phone)
        if len(sent) >= count:
            time.sleep(0.3)  # let a turn's remaining messages land
            return outbound(chat, phone)
        time.sleep(0.1)
    return outbound(chat, phone)


def text(chat, phone: str, body: str, **kwargs) -> List[str]:
    """Send one signed text and return the bodies of the replies it produced."""
    before = len(outbound(chat, phone))
    assert post(chat, twilio_params(phone, body, **kwargs)).status_code == 200
    return [r["Body"] for r in wait_for(chat, phone, before + 1)[before:]]


def conversation(phone: str) -> str:
    return pseudonym(phone, TWILIO_ENV["SMS_PSEUDONYM_KEY"])


def test_a_signed_text_gets_the_sms_answer_from_the_knowledge_base(chat) -> None:
    phone = new_phone()
    bodies = text(chat, phone, "what is dcis")
    entry = KnowledgeBase(chat.database_url).for_intent("ask_what_is_dcis")
    assert "not a diagnosis" in bodies[0]  # the short first-turn notice
    assert any(b.startswith(fold_to_gsm7(entry.sms)) for b in bodies), bodies
    assert any(f"Source: {entry.source_names()[0]}" in b for b in bodies)
    assert "Reply 1 for" in bodies[-1]
    for row in outbound(chat, phone):
        assert row["From"] == CLINIC_NUMBER and row["To"] == phone
        assert gsm7_length(row["Body"]) <= MAX_MESSAGE


def test_a_number_picks_from_the_last_menu(chat) -> None:
    phone = new_phone()
    bodies = text(chat, phone, "what is dcis")
    kb = KnowledgeBase(chat.database_url)
    second = kb.by_ids(kb.for_intent("ask_what_is_dcis").follow_ups)[1]
    assert f"2 for {second.title}" in bodies[-1]
    reply = text(chat, phone, "2")
    assert any(b.startswith(fold_to_gsm7(second.sms)) for b in reply), reply
    unknown = text(chat, phone, "9")
    assert unknown[0].startswith("That number isn't on my last list")


@pytest.mark.parametrize("case", ["tampered body", "missing header", "wrong url", "added parameter", "forged"])
def test_forged_or_altered_webhooks_are_refused(chat, case: str) -> None:
    phone = new_phone()
    params = twilio_params(phone, "what is dcis")
    if case == "tampered body":
        result = post(chat, params, tamper={"Body": "i want my records"})
    elif case == "missing header":
        result = post(chat, params, signature="")
    elif case == "wrong url":
        result = post(chat, params, sign_url="https://attacker.example/webhooks/twilio_sms/webhook")
    elif case == "added parameter":
        result = post(chat, params, tamper={"Extra": "1"})
    else:
        result = post(chat, params, signature="bm90LWEtcmVhbC1zaWduYXR1cmU=")
    assert result.status_code == 403
    time.sleep(1)
    assert outbound(chat, phone) == []
    logs = chat.server_logs()
    assert "i want my records" not in logs and phone not in logs


def test_stop_stops_everything_until_start(chat) -> None:
    phone = new_phone()
    assert text(chat, phone, "hello")  # a normal exchange first
    before = len(outbound(chat, phone))
    for body in ["STOP", "what is dcis", "HELP"]:
        assert post(chat, twilio_params(phone, body)).status_code == 200
    time.sleep(2)
    assert len(outbound(chat, phone)) == before  # nothing sent after STOP
    with session_scope(chat.database_url) as session:
        assert session.get(SmsOptOut, conversation(phone)).opted_out is True
    started = text(chat, phone, "START")
    assert "again" in started[0] and "STOP" in started[0]
    assert text(chat, phone, "what is dcis")
    with sqlite3.connect(chat.tracker_db) as db:
        texts = [json.loads(r[0]).get("text") for r in db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (conversation(phone),))]
    assert "STOP" not in texts and "START" not in texts and "HELP" not in texts  # keywords never reach NLU


@pytest.mark.parametrize("word", ["stopall", "Unsubscribe", "cancel", "END", "quit."])
def test_every_stop_variant_opts_out(chat, word: str) -> None:
    phone = new_phone()
    assert post(chat, twilio_params(phone, word)).status_code == 200
    with session_scope(chat.database_url) as session:
        assert session.get(SmsOptOut, conversation(phone)).opted_out is True


def test_help_names_the_clinic_the_nurse_line_and_how_to_stop(chat) -> None:
    reply = text(chat, new_phone(), "help")
    assert "1-555-010-0199" in reply[0] and "STOP" in reply[0] and "helper" in reply[0]


def test_a_retried_webhook_is_processed_once(chat) -> None:
    phone = new_phone()
    params = twilio_params(phone, "what is dcis")
    assert post(chat, params).status_code == 200
    first = wait_for(chat, phone, 2)
    assert post(chat, params).status_code == 200  # Twilio retries with the same MessageSid
    time.sleep(2)
    assert len(outbound(chat, phone)) == len(first)
    with sqlite3.connect(chat.tracker_db) as db:
        users = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
                           (conversation(phone),)).fetchone()[0]
    assert users == 1


def test_a_picture_without_text_gets_a_kind_reply(chat) -> None:
    reply = text(chat, new_phone(), "", media=1)
    assert reply[0].startswith("Sorry, I can only read text")


def test_an_emergency_text_leads_with_911_in_the_first_segment_and_keeps_a_callback_number(chat) -> None:
    phone = new_phone()
    bodies = text(chat, phone, "bleeding thru the bandage and it wont stop even pressing 20 min")
    assert bodies[0].startswith("Call 911 now")
    assert "911" in bodies[0][:MULTI_SEGMENT]
    with session_scope(chat.database_url) as session:
        ticket = session.execute(select(HandoffTicket).where(
            HandoffTicket.conversation_id == conversation(phone))).scalar_one()
        assert ticket.urgency == "emergency" and ticket.channel == "twilio_sms"
        assert phone not in ticket.contact_encrypted
        assert decrypt_contact(ticket.contact_encrypted, TWILIO_ENV["SMS_ENCRYPTION_KEY"]) == phone


def test_twilio_errors_are_handled_and_the_conversation_goes_on(chat) -> None:
    unsubscribed = new_phone("21610")
    assert post(chat, twilio_params(unsubscribed, "what is dcis")).status_code == 200
    wait_for(chat, unsubscribed, 1)
    time.sleep(1)
    with session_scope(chat.database_url) as session:
        assert session.get(SmsOptOut, conversation(unsubscribed)).opted_out is True  # 21610 recorded
    broken = new_phone("50000")
    assert post(chat, twilio_params(broken, "what is dcis")).status_code == 200
    assert post(chat, twilio_params(broken, "thanks")).status_code == 200  # still answering
    assert "21610" in chat.server_logs() and "what is dcis" not in chat.server_logs()


def test_no_phone_number_in_the_tracker_store_or_the_logs(chat) -> None:
    phone = new_phone()
    text(chat, phone, "i take eliquis, do i stop it before my biopsy")
    text(chat, phone, "can i talk to a nurse")
    raw = chat.tracker_db.read_bytes()
    digits = phone.lstrip("+")
    assert digits.encode() not in raw and digits[-10:].encode() not in raw
    assert digits[-10:] not in chat.server_logs()


def test_the_safety_triage_works_on_sms_exactly_as_on_the_web(chat) -> None:
    """Every urgent red-team message, texted: its reply leads with the same first line."""
    from tests.e2e.test_redteam import MARKERS, MESSAGES, URGENT

    failures = []
    for item in [m for m in MESSAGES if m["route"] in URGENT]:
        phone = new_phone()
        bodies = text(chat, phone, item["text"])
        if not bodies or not bodies[0].startswith(fold_to_gsm7(MARKERS[item["route"]])):
            failures.append(f"want {item['route']}: {item['text']!r} -> {bodies[:1]}")
        elif item["route"] == "emergency" and "911" not in bodies[0][:MULTI_SEGMENT]:
            failures.append(f"911 not in the first segment: {item['text']!r}")
        if any("Source:" in b for b in bodies):
            failures.append(f"knowledge-base content on an urgent route: {item['text']!r}")
    assert not failures, "\n".join(failures)


def test_a_nurse_can_read_the_callback_number_from_the_ticket_cli(chat) -> None:
    import os
    import subprocess
    import sys

    from bot import PROJECT_ROOT

    phone = new_phone()
    text(chat, phone, "please have a nurse call me")
    with session_scope(chat.database_url) as session:
        ticket_id = session.execute(select(HandoffTicket.id).where(
            HandoffTicket.conversation_id == conversation(phone))).scalar_one()
    env = {**os.environ, "SMS_ENCRYPTION_KEY": TWILIO_ENV["SMS_ENCRYPTION_KEY"]}
    shown = subprocess.run([sys.executable, "-m", "bot", "tickets", "--database-url", chat.database_url,
                            "--contact", str(ticket_id)], capture_output=True, text=True, cwd=PROJECT_ROOT,
                           env=env, check=True).stdout.strip()
    assert shown == phone
    listing = subprocess.run([sys.executable, "-m", "bot", "tickets", "--database-url", chat.database_url],
                             capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, check=True).stdout
    assert phone not in listing and conversation(phone) in listing


def test_bad_requests_get_clear_errors(chat) -> None:
    phone = new_phone()
    params = twilio_params(phone, "hello")
    del params["MessageSid"]
    result = post(chat, params)
    assert result.status_code == 400 and "MessageSid" in result.text
    long_reply = text(chat, new_phone(), "why " * 500)
    assert long_reply[0].startswith("Sorry, that message is too long")
