"""The safety net through a second pair of real servers that the tests may stop, hang and starve.

These servers have the clinic closed (an opening hour far from now), a short
reply timeout and a short SMS retry schedule. Each test drives them the way
a patient or an attacker would, and checks what the patient sees and what
reaches the nurse queue.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests

from bot import PROJECT_ROOT
from bot.config import get_settings
from bot.kb.loader import load_kb
from bot.safety.handoff import list_open_tickets
from bot.servers import Server, start_action_server, start_rasa
from tests.e2e.conftest import ACTION_SECRET, MODEL, SUPPORT, TWILIO_ENV, free_port, write_endpoints
from tests.e2e.test_sms import new_phone, outbound, post, twilio_params, wait_for

pytestmark = pytest.mark.e2e
ON_CALL = "1-555-010-0777"
CLINIC = "1-555-010-0100"
BLEEDING = "I'm bleeding through the bandage and it won't stop"


class Pair:
    """A Rasa server and an action server started for these tests only."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.db_path = work / "assistant.db"
        self.database_url = f"sqlite:///{self.db_path}"
        self.action_port, self.rasa_port = free_port(), free_port()
        self.base_url = f"http://127.0.0.1:{self.rasa_port}"
        self.sms_url = f"{self.base_url}/webhooks/twilio_sms/webhook"
        self.twilio_log = work / "twilio.jsonl"
        opens = (datetime.now(timezone.utc).hour + 6) % 24  # an hour-long opening far from now: closed
        self.env = {
            "DATABASE_URL": self.database_url, "LOG_LEVEL": "INFO", "ACTION_SERVER_SECRET": ACTION_SECRET,
            "CLINIC_TIMEZONE": "UTC", "CLINIC_OPEN_DAYS": "Mon-Sun", "CLINIC_OPEN_TIME": f"{opens:02d}:00",
            "CLINIC_CLOSE_TIME": f"{opens:02d}:30", "CLINIC_PHONE": CLINIC, "AFTER_HOURS_PHONE": ON_CALL,
            "REPLY_TIMEOUT_SECONDS": "3", "SMS_SEND_ATTEMPTS": "3", "SMS_RETRY_SECONDS": "0.5",
            **TWILIO_ENV, "TWILIO_WEBHOOK_URL": self.sms_url, "TWILIO_FAKE_LOG": str(self.twilio_log),
            "PYTHONPATH": str(SUPPORT),
        }
        self.endpoints = work / "endpoints.yml"
        write_endpoints(self.endpoints, self.action_port, work / "tracker.db")
        self.actions: Server = start_action_server(self.action_port, env=self.env, log_file=work / "actions.log")
        self.rasa: Server = start_rasa(self.rasa_port, model=MODEL, endpoints=self.endpoints, env=self.env,
                                       log_file=work / "rasa.log")

    def send(self, sender: str, message: str, timeout: float = 30) -> List[Dict]:
        reply = requests.post(f"{self.base_url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                              timeout=timeout)
        reply.raise_for_status()
        return reply.json()

    def tickets(self, conversation: str):
        return [t for t in list_open_tickets(self.database_url) if t.conversation_id == conversation]

    def restart_actions(self) -> None:
        if self.actions.process.poll() is None:
            return
        self.actions = start_action_server(self.action_port, env=self.env, log_file=self.work / "actions.log")
        self.actions.wait_ready()

    def logs(self) -> str:
        return "".join(p.read_text(errors="replace") for p in sorted(self.work.glob("*.log")))


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    work = tmp_path_factory.mktemp("net")
    load_kb(PROJECT_ROOT / "data" / "kb", f"sqlite:///{work / 'assistant.db'}")
    get_settings.cache_clear()
    servers = Pair(work)
    try:
        servers.actions.wait_ready()
        servers.rasa.wait_ready()
        yield servers
    finally:
        if servers.actions.process.poll() is None:
            os.kill(servers.actions.process.pid, signal.SIGCONT)
        servers.rasa.stop()
        servers.actions.stop()


def who() -> str:
    return f"net-{uuid.uuid4().hex[:12]}"


def sms_conversation(phone: str) -> str:
    from bot.privacy import pseudonym

    return pseudonym(phone, TWILIO_ENV["SMS_PSEUDONYM_KEY"])


# -- the action server is protected --------------------------------------------------

def test_an_unauthenticated_call_to_the_action_server_is_refused(pair: Pair) -> None:
    forged = {"next_action": "action_triage", "sender_id": "attacker", "version": "3.6.2", "domain": {},
              "tracker": {"sender_id": "attacker", "latest_message": {
                  "intent": {"name": "safety_emergency"}, "text": "x",
                  "triage": {"route": "emergency", "matched": [{"route": "emergency", "rule": "x",
                                                                "reason": "MADE-UP REASON"}]}},
                  "events": [], "slots": {}, "latest_input_channel": "rest"}}
    url = f"http://127.0.0.1:{pair.action_port}/webhook"
    for headers in ({}, {"X-Action-Secret": "wrong-secret-wrong-secret"}):
        refused = requests.post(url, json=forged, headers=headers, timeout=10)
        assert refused.status_code == 401
        assert "MADE-UP REASON" not in refused.text
    assert requests.get(f"http://127.0.0.1:{pair.action_port}/actions", timeout=10).status_code == 401
    assert pair.tickets("attacker") == []


def _outward_address() -> str:
    """This machine's address on its default route (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))
        return probe.getsockname()[0]


def test_the_action_server_listens_on_loopback_only(pair: Pair) -> None:
    address = _outward_address()
    assert not address.startswith("127."), "this machine has no non-loopback address to test with"
    with pytest.raises(OSError):
        socket.create_connection((address, pair.action_port), timeout=3).close()
    socket.create_connection(("127.0.0.1", pair.action_port), timeout=3).close()


# -- only the triage layer opens safety routes ----------------------------------------

def test_a_typed_safety_intent_opens_no_ticket(pair: Pair) -> None:
    sender = who()
    for _ in range(3):
        messages = pair.send(sender, "/safety_emergency")
        assert messages and not messages[0]["text"].startswith("Call 911")
    # Read as words it is not understood; after two misses a person is offered (routine), never an alarm.
    assert [t.urgency for t in pair.tickets(sender) if t.urgency != "routine"] == []


def first_line_and_tickets(pair: Pair, text: str) -> tuple[str, List[str]]:
    """What a new patient reads first for `text`, and the urgencies on the nurse queue for her."""
    sender = who()
    messages = pair.send(sender, text)
    return messages[0]["text"], [t.urgency for t in pair.tickets(sender)]


def test_a_red_flag_hidden_in_slash_syntax_is_still_triaged(pair: Pair) -> None:
    first, tickets = first_line_and_tickets(
        pair, '/ask_biopsy_aftercare{"procedure": "I am bleeding heavily and it will not stop"}')
    assert first.startswith("Call 911 now") and tickets == ["emergency"]


def test_an_offered_button_payload_is_still_accepted(pair: Pair) -> None:
    sender = who()
    offered = pair.send(sender, "hello")
    payload = next(b["payload"] for m in offered for b in m.get("buttons") or [])
    answer = pair.send(sender, payload)
    assert any("Source:" in m["text"] for m in answer)


# -- honest, clinic-hours-aware replies ------------------------------------------------

def test_after_hours_the_same_day_reply_leads_with_the_on_call_number(pair: Pair) -> None:
    first, tickets = first_line_and_tickets(pair, "the redness around my biopsy site is spreading and it feels hot")
    assert ON_CALL in first.split(". ")[0] and CLINIC not in first
    assert "A nurse will also follow up when the clinic opens" in first
    assert tickets == ["same_day"]


def test_spanish_bleeding_gets_911_in_spanish_and_a_ticket(pair: Pair) -> None:
    first, tickets = first_line_and_tickets(
        pair, "me hicieron la biopsia hoy y estoy sangrando mucho, ya empapé la gasa y no para")
    assert first.startswith("Llame al 911 ahora") and tickets == ["emergency"]


def test_spanish_crisis_gets_988_in_spanish(pair: Pair) -> None:
    first, tickets = first_line_and_tickets(pair, "ya no quiero seguir viviendo, tengo guardadas todas mis pastillas")
    assert first.startswith("Siento mucho que se sienta así")
    assert "988" in first and "español" in first and tickets == ["crisis"]


def test_an_unsafe_home_gets_911_the_hotline_and_a_careful_ticket(pair: Pair) -> None:
    sender = who()
    text = "my husband hides my car keys so i can't get to my biopsy and i'm scared of him"
    first = pair.send(sender, text)[0]["text"]
    assert "call 911" in first and "1-800-799-7233" in first and "988" in first
    assert "when it is safe for you" in first  # a call back may not be safe to take
    [ticket] = pair.tickets(sender)
    assert ticket.urgency == "crisis" and "check it is safe to talk" in ticket.detail


def test_severe_distress_after_hours_gets_a_line_that_answers_now_and_a_nurse_ticket(pair: Pair) -> None:
    # H69: days without food or sleep go to the care team (fact sheet 3d), not to a wound check.
    sender = who()
    first = pair.send(sender, "I haven't eaten or slept in four days waiting for the biopsy results")[0]["text"]
    assert first.startswith("I'm so sorry.") and "1-800-227-2345" in first.split(". ")[2]
    assert "988" in first and "911" in first and ON_CALL not in first
    [ticket] = pair.tickets(sender)
    assert ticket.urgency == "same_day" and "severe distress" in ticket.detail


def test_a_spanish_question_gets_a_spanish_reply_with_the_nurse_line(pair: Pair) -> None:
    messages = pair.send(who(), "¿qué son las calcificaciones en la mamografía?")
    texts = [m["text"] for m in messages]
    assert any(t.startswith("Gracias por escribir") and "1-555-010-0199" in t for t in texts), texts


def test_health_reports_every_part(pair: Pair) -> None:
    report = requests.get(f"{pair.base_url}/webhooks/rest/health", timeout=15)
    assert report.status_code == 200, report.text
    assert report.json()["checks"] == {"model": "ok", "action_server": "ok", "database": "ok",
                                        "tracker_store": "ok"}


# -- never silent -------------------------------------------------------------------

def _sms_bodies(pair: Pair, phone: str, body: str, count: int = 1) -> List[str]:
    before = len(outbound(pair, phone))
    assert post(pair, twilio_params(phone, body)).status_code == 200
    return [r["Body"] for r in wait_for(pair, phone, before + count, timeout=20)[before:]]


def assert_911_within_10_seconds_on_both_channels(pair: Pair) -> str:
    """The emergency reply on REST and on SMS, each within 10 s; returns the REST text."""
    started = time.monotonic()
    first, tickets = first_line_and_tickets(pair, BLEEDING)
    assert time.monotonic() - started < 10
    assert first.startswith("Call 911 now") and tickets == ["emergency"]
    started = time.monotonic()
    bodies = _sms_bodies(pair, new_phone(), BLEEDING)
    assert time.monotonic() - started < 10
    assert bodies[0].startswith("Call 911 now")
    return first


def test_with_the_action_server_hung_an_emergency_still_gets_911_fast(pair: Pair) -> None:
    os.kill(pair.actions.process.pid, signal.SIGSTOP)
    try:
        assert_911_within_10_seconds_on_both_channels(pair)

        calm = pair.send(who(), "what is dcis")
        assert "911" in calm[0]["text"] and "1-555-010-0199" in calm[0]["text"]
    finally:
        os.kill(pair.actions.process.pid, signal.SIGCONT)


def test_with_the_action_server_stopped_an_emergency_still_gets_911(pair: Pair) -> None:
    pair.actions.stop()
    try:
        first = assert_911_within_10_seconds_on_both_channels(pair)
        assert "I have also alerted" in first  # the Rasa server saved the ticket itself

        crisis = pair.send(who(), "I want to end my life tonight")
        assert "988" in crisis[0]["text"]
        report = requests.get(f"{pair.base_url}/webhooks/rest/health", timeout=15)
        assert report.status_code == 503 and report.json()["checks"]["action_server"] != "ok"
        assert BLEEDING not in pair.logs()
    finally:
        pair.restart_actions()


# -- SMS that is not lost -------------------------------------------------------------

def test_an_sms_whose_processing_failed_is_answered_on_twilios_retry(pair: Pair) -> None:
    phone = new_phone()
    params = twilio_params(phone, "what is dcis")
    lock = sqlite3.connect(pair.db_path, isolation_level=None, timeout=30)
    lock.execute("BEGIN EXCLUSIVE")  # the database is locked for longer than the server waits
    try:
        first = post(pair, params)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert first.status_code == 500
    assert outbound(pair, phone) == []
    retry = post(pair, params)  # Twilio retries the same MessageSid with the same signature
    assert retry.status_code == 200
    bodies = [r["Body"] for r in wait_for(pair, phone, 1)]
    assert bodies and "DCIS" in " ".join(bodies)
    again = post(pair, params)  # a further retry is a duplicate now
    assert again.status_code == 200
    time.sleep(2)
    assert len(outbound(pair, phone)) == len(bodies)


def test_a_failed_urgent_send_is_retried_then_queued_for_a_nurse(pair: Pair) -> None:
    phone = new_phone("50000")  # the fake Twilio API answers HTTP 500 for this number
    assert post(pair, twilio_params(phone, BLEEDING)).status_code == 200
    conversation = sms_conversation(phone)
    deadline = time.monotonic() + 30
    tickets = []
    while time.monotonic() < deadline:
        tickets = pair.tickets(conversation)
        if tickets and "sms_undelivered" in tickets[0].reason:
            break
        time.sleep(0.5)
    attempts = [r for r in outbound(pair, phone) if r["Body"].startswith("Call 911 now")]
    assert len(attempts) == 3  # SMS_SEND_ATTEMPTS
    assert tickets and "sms_undelivered" in tickets[0].reason and tickets[0].urgency == "emergency"
    assert "not delivered" in tickets[0].detail
    out = subprocess.run([sys.executable, "-m", "bot", "tickets", "--database-url", pair.database_url,
                          "--contact", str(tickets[0].id)], capture_output=True, text=True, cwd=PROJECT_ROOT,
                         env={**os.environ, **pair.env}, check=True).stdout
    assert out.strip() == phone


# -- settings are checked at start ----------------------------------------------------

@pytest.mark.parametrize("server", ["action server", "Rasa server"])
def test_a_bad_setting_stops_start_up_and_is_named(pair: Pair, server: str, tmp_path: Path) -> None:
    env = {**pair.env, "CLINIC_OPEN_TIME": "8am", "TWILIO_FAKE_LOG": ""}
    log = tmp_path / "start.log"
    port = free_port()
    if server == "action server":
        started = start_action_server(port, env=env, log_file=log)
    else:
        started = start_rasa(port, model=MODEL, endpoints=pair.endpoints, env=env, log_file=log)
    try:
        started.process.wait(timeout=120)
    finally:
        started.stop()
    assert started.process.returncode != 0
    assert "CLINIC_OPEN_TIME='8am'" in log.read_text(errors="replace")
