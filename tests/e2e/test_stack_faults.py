"""Fault tests under load on the production shape (issue 12), at a small scale.

One stack for the module (bot/stack/runner.py): PostgreSQL, Redis, two Rasa replicas with
their action servers, nginx in front. Each test drives mixed traffic through nginx
(bench/load.py: widget, REST and signed SMS webhooks), breaks one part in the middle,
and then checks what the patients received and what the tracker store kept:

- every request got an HTTP answer (nothing failed at nginx);
- every message answered normally is in its conversation's history exactly once,
  and no message is stored twice;
- a warning sign sent during the fault still gets its safety reply.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests
from sqlalchemy import create_engine, text

from bench.load import NOTICE, QUESTIONS, Record, run_load, signer_for, start_stack
from bot.privacy import pseudonym
from bot.stack.runner import Stack

pytestmark = pytest.mark.e2e

BLEEDING = "I'm bleeding through the bandage from my biopsy and it won't stop"
CONCURRENCY, TURNS = 8, 90


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    for tool in ("redis-server", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            pytest.fail(f"{tool} is not installed: `make setup` installs it (Debian's packages)")
    running = start_stack(tmp_path_factory.mktemp("stack"), replicas=2)
    try:
        yield running
    finally:
        running.stop()


def load_with_fault(stack: Stack, fault, after: float = 1.5) -> List[Record]:  # noqa: ANN001
    """TURNS messages from CONCURRENCY patients; `fault()` runs `after` seconds in."""
    records: List[Record] = []

    def drive() -> None:
        found, _ = asyncio.run(run_load(stack.url, CONCURRENCY, TURNS, sms=signer_for(stack), texts=QUESTIONS))
        records.extend(found)

    worker = threading.Thread(target=drive)
    worker.start()
    time.sleep(after)
    fault()
    worker.join(timeout=240)
    assert not worker.is_alive(), "the load did not finish"
    assert len(records) == TURNS
    assert [r for r in records if r.outcome == "empty"] == [], "a patient got an empty reply"
    return records


def stored_texts(stack: Stack) -> Dict[str, List[str]]:
    """Each conversation's user messages, in the order the tracker store holds them."""
    engine = create_engine(stack.postgres.url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT sender_id, data FROM events WHERE type_name = 'user' "
                                           "ORDER BY id")).all()
            sessions = dict(connection.execute(text("SELECT token_hash, conversation_id FROM widget_sessions")).all())
    finally:
        engine.dispose()
    texts: Dict[str, List[str]] = defaultdict(list)
    for sender, data in rows:
        texts[sender].append(json.loads(data)["text"])
    texts["_sessions"] = sessions  # type: ignore[assignment]
    return texts


def conversation_of(record: Record, stack: Stack, sessions: Dict[str, str]) -> str:
    if record.channel == "widget":
        return sessions.get(hashlib.sha256(record.conversation.encode()).hexdigest(), "")
    if record.channel == "sms":
        return pseudonym(record.phone, stack.env["SMS_PSEUDONYM_KEY"])
    return record.conversation


def storage_problems(records: List[Record], stack: Stack) -> List[str]:
    """Messages answered normally but not stored once, or stored more than once."""
    texts = stored_texts(stack)
    sessions = texts.pop("_sessions")
    problems = []
    for record in records:
        if record.outcome == "error":
            continue
        conversation = conversation_of(record, stack, sessions)
        count = texts.get(conversation, []).count(record.text)
        # SMS replies go out through the outbox, so an SMS "answer" may be the safety net's notice.
        must_be_stored = record.outcome == "answer" and record.channel != "sms"
        if count > 1 or (must_be_stored and count != 1):
            problems.append(f"{record.channel} message {record.text!r} stored {count} times ({record.outcome})")
    return problems


def rest(stack: Stack, sender: str, message: str, base_url: str = "", message_id: str = "") -> str:
    """A REST turn through nginx, or straight to one replica with `base_url`."""
    body = {"sender": sender, "message": message, **({"message_id": message_id} if message_id else {})}
    reply = requests.post(f"{base_url or stack.url}/webhooks/rest/webhook", json=body, timeout=30)
    assert reply.status_code == 200, reply.text
    return "\n".join(m.get("text") or "" for m in reply.json())


def wait_healthy(stack: Stack, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.supervise_once()
        ports_ok = []
        for port in stack.rasa_ports:
            try:
                ports_ok.append(requests.get(f"http://127.0.0.1:{port}/webhooks/rest/health", timeout=5)
                                .status_code == 200)
            except requests.RequestException:
                ports_ok.append(False)
        if all(ports_ok):
            return
        time.sleep(1)
    raise AssertionError("the stack did not come back to health")


def outcomes(records: List[Record]) -> Dict[str, int]:
    counted: Dict[str, int] = defaultdict(int)
    for record in records:
        counted[record.outcome] += 1
    return dict(counted)


def test_killing_a_replica_under_load_fails_no_request_and_loses_nothing(stack: Stack) -> None:
    killed = stack.replicas[0]
    records = load_with_fault(stack, lambda: killed.process.kill())
    assert killed.process.poll() is not None, "the replica was not killed"
    assert outcomes(records).get("error", 0) == 0, [r for r in records if r.outcome == "error"][:3]
    # nginx handed the killed replica's requests to the other one: patients got real answers.
    assert outcomes(records).get("answer", 0) >= TURNS - CONCURRENCY, outcomes(records)
    assert storage_problems(records, stack) == []
    wait_healthy(stack)  # the supervisor restarts it


def test_a_postgres_restart_under_load_gives_every_patient_an_answer_or_the_notice(stack: Stack) -> None:
    records = load_with_fault(stack, stack.postgres.restart)
    assert outcomes(records).get("error", 0) == 0, [r for r in records if r.outcome == "error"][:3]
    assert storage_problems(records, stack) == []
    wait_healthy(stack)
    assert NOTICE not in rest(stack, "after-postgres", "what is dcis")


def test_with_postgres_down_no_turn_is_answered_from_an_empty_memory(stack: Stack) -> None:
    first = rest(stack, "memory-check", "what are microcalcifications")
    assert NOTICE not in first
    stack.postgres.stop()
    try:
        during = rest(stack, "memory-check", "how long do biopsy results take")
        urgent = rest(stack, "memory-check-2", BLEEDING)
    finally:
        stack.postgres.start()
    # Not a greeting from a fresh, empty history: the kind notice, with the nurse line and 911.
    assert NOTICE in during and "911" in during
    assert urgent.splitlines()[0].startswith("Call 911"), urgent
    wait_healthy(stack)
    after = rest(stack, "memory-check", "what is dcis")
    assert NOTICE not in after
    assert stored_texts(stack)["memory-check"] == ["what are microcalcifications", "what is dcis"]


def test_with_redis_stopped_patients_get_answers_or_the_notice_and_red_flags_get_911(stack: Stack) -> None:
    urgent: List[str] = []

    def fault() -> None:
        stack.redis.stop()
        urgent.append(rest(stack, "redis-down-urgent", BLEEDING))

    try:
        records = load_with_fault(stack, fault)
    finally:
        stack.redis.start()
    assert outcomes(records).get("error", 0) == 0, [r for r in records if r.outcome == "error"][:3]
    assert urgent and urgent[0].splitlines()[0].startswith("Call 911"), urgent
    assert storage_problems(records, stack) == []
    wait_healthy(stack)
    assert NOTICE not in rest(stack, "after-redis", "what is dcis")


def test_killing_an_action_server_under_load_still_answers_and_red_flags_get_911(stack: Stack) -> None:
    urgent: List[str] = []

    def fault() -> None:
        stack.actions[1].process.kill()
        # Straight to the replica whose action server is dead, so the safety net must answer.
        replica = f"http://127.0.0.1:{stack.rasa_ports[1]}"
        for attempt in range(2):
            urgent.append(rest(stack, f"actions-down-urgent-{attempt}", BLEEDING, base_url=replica))

    records = load_with_fault(stack, fault)
    assert outcomes(records).get("error", 0) == 0, [r for r in records if r.outcome == "error"][:3]
    assert all(reply.splitlines()[0].startswith("Call 911") for reply in urgent), urgent
    assert storage_problems(records, stack) == []
    wait_healthy(stack)
    assert stack.actions[1].process.poll() is None, "the action server was not restarted"
    assert NOTICE not in rest(stack, "after-actions", "what is dcis")


def test_a_message_retried_on_the_other_replica_is_answered_from_its_stored_turn(stack: Stack) -> None:
    """What nginx does when a replica dies after saving a turn but before answering: the same
    request, with the same message id, reaches the other replica."""
    first_replica, other_replica = (f"http://127.0.0.1:{port}" for port in stack.rasa_ports)
    first = rest(stack, "retried", "what is dcis", base_url=first_replica, message_id="retry-1")
    again = rest(stack, "retried", "what is dcis", base_url=other_replica, message_id="retry-1")
    assert NOTICE not in first and again == first
    assert stored_texts(stack)["retried"] == ["what is dcis"]  # one turn, not two
    rest(stack, "retried", "what is dcis", base_url=other_replica, message_id="retry-2")  # a new id is a new turn
    assert stored_texts(stack)["retried"] == ["what is dcis", "what is dcis"]
