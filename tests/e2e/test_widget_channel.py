"""The widget's channel on the running servers: ids the server issues, small bodies, allowed origins."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import datetime, timedelta

import pytest
import requests

pytestmark = pytest.mark.e2e

ALLOWED = "https://www.example-clinic.org"  # WIDGET_ALLOWED_ORIGINS in the e2e servers' settings


def new_session(chat) -> str:
    reply = requests.post(f"{chat.base_url}/widget/session", timeout=30)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert len(body["session"]) >= 40 and body["max_chars"] == 1000 and "not a diagnosis" in body["notice"]
    return body["session"]


def send(chat, session: str, message: str, **headers) -> requests.Response:
    return requests.post(f"{chat.base_url}/widget/message", json={"session": session, "message": message},
                         headers=headers, timeout=60)


def texts(reply: requests.Response) -> str:
    return " ".join(m.get("text", "") for m in reply.json()["messages"])


def test_a_server_issued_session_gets_answers_with_sources_and_buttons(chat) -> None:
    session = new_session(chat)
    reply = send(chat, session, "what are microcalcifications")
    assert reply.status_code == 200
    messages = reply.json()["messages"]
    # The notice came with the session (the widget shows it when the panel opens), not again here.
    assert not any("not a diagnosis" in m["text"] for m in messages)
    assert any("Source:" in m["text"] for m in messages) and messages[-1]["buttons"]
    links = [s for m in messages for s in (m.get("custom") or {}).get("sources", [])]
    assert links and all(s["url"].startswith("https://") for s in links)
    follow_up = send(chat, session, messages[-1]["buttons"][0]["payload"])  # a follow-up button works
    assert follow_up.status_code == 200 and "Source:" in texts(follow_up)


def test_an_unknown_or_made_up_session_is_refused_kindly(chat) -> None:
    for token in ("web-" + "0" * 32, "x" * 43, ""):
        reply = send(chat, token, "I'm bleeding through the bandage and it won't stop")
        assert reply.status_code == 401
        body = reply.json()
        assert body["code"] == "session_expired" and "start a new conversation" in body["error"]
        assert "911" in body["error"] and "1-555-010-0199" in body["error"]  # never left without a number


def test_one_session_can_neither_read_nor_continue_another(chat) -> None:
    first, second = new_session(chat), new_session(chat)
    assert first != second
    send(chat, first, "what is dcis")
    send(chat, second, "hi")
    with sqlite3.connect(chat.tracker_db) as db:
        senders = {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}
    widget_senders = {s for s in senders if s.startswith("web-")}
    assert first not in senders and second not in senders  # the bearer token never reaches the tracker
    assert len(widget_senders) >= 2
    # Knowing a conversation's id from a transcript does not let anyone write into it.
    for conversation in widget_senders:
        assert send(chat, conversation, "what is dcis").status_code == 401


def test_bodies_over_4_kb_are_refused_before_parsing_and_long_messages_get_a_notice(chat) -> None:
    session = new_session(chat)
    huge = requests.post(f"{chat.base_url}/widget/message", data=b"{" + b"a" * 10000,
                         headers={"Content-Type": "application/json"}, timeout=30)
    assert huge.status_code == 413 and huge.json()["code"] == "too_large"
    long = send(chat, session, "why " * 300)
    assert long.status_code == 413 and "under 1000 characters" in long.json()["error"]
    assert send(chat, session, "   ").status_code == 400
    garbled = requests.post(f"{chat.base_url}/widget/message", data=b"not json", timeout=30)
    assert garbled.status_code == 400 and "could not read" in garbled.json()["error"]


def test_only_the_clinics_own_origin_may_call_cross_site(chat) -> None:
    allowed = requests.options(f"{chat.base_url}/widget/message", headers={"Origin": ALLOWED}, timeout=30)
    assert allowed.headers.get("Access-Control-Allow-Origin") == ALLOWED
    other = requests.options(f"{chat.base_url}/widget/message", headers={"Origin": "https://evil.example"},
                             timeout=30)
    assert "Access-Control-Allow-Origin" not in other.headers
    reply = send(chat, new_session(chat), "hi", Origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in reply.headers


def test_sending_faster_than_a_person_types_is_slowed_down(chat) -> None:
    session = new_session(chat)
    statuses = [send(chat, session, "thanks").status_code for _ in range(14)]
    assert statuses[:12] == [200] * 12 and statuses[-1] == 429
    limited = send(chat, session, "thanks").json()
    assert limited["code"] == "rate_limited" and "911" in limited["error"]


def test_an_idle_session_expires(chat, monkeypatch) -> None:
    from bot.channels import widget_sessions

    monkeypatch.setenv("DATABASE_URL", chat.database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    try:
        stale, _ = widget_sessions.create(30, now=datetime(2026, 1, 1, 7, 0))
        token, conversation = widget_sessions.create(30, now=datetime(2026, 1, 1, 9, 0))
        with sqlite3.connect(chat.database_url[len("sqlite:///"):]) as db:  # the stale one was cleared
            assert db.execute("SELECT count(*) FROM widget_sessions WHERE created_at < '2026-01-01 08:00'"
                              ).fetchone()[0] == 0
        assert widget_sessions.resume(token, 30, now=datetime(2026, 1, 1, 9, 20)) == conversation
        assert widget_sessions.resume(token, 30, now=datetime(2026, 1, 1, 9, 49)) == conversation  # kept alive
        assert widget_sessions.resume(token, 30, now=datetime(2026, 1, 1, 9, 49) + timedelta(minutes=31)) is None
        assert widget_sessions.resume(token, 30, now=datetime(2026, 1, 1, 9, 50)) is None  # gone for good
    finally:
        get_settings.cache_clear()
    assert json.dumps(send(chat, token, "hi").json()).count("session_expired") == 1


def test_a_retried_message_is_answered_once(chat) -> None:
    session = new_session(chat)
    body = {"session": session, "message": "is the marker clip made of metal, asked once", "id": "retry-1"}
    first = requests.post(f"{chat.base_url}/widget/message", json=body, timeout=60).json()
    again = requests.post(f"{chat.base_url}/widget/message", json=body, timeout=60).json()
    assert again["repeat"] is True and again["messages"] == first["messages"]
    with sqlite3.connect(chat.tracker_db) as db:
        texts = [json.loads(row[0])["text"] for row in db.execute(
            "SELECT data FROM events WHERE type_name = 'user' AND sender_id LIKE 'web-%'")]
    assert texts.count("is the marker clip made of metal, asked once") == 1


def test_one_address_is_limited_too() -> None:
    from bot.channels.rate_limit import RateLimiter

    limiter = RateLimiter("test", per_minute=3)

    async def allowed(key: str, now: float) -> bool:
        return await limiter.allow(key, now=now)

    assert [asyncio.run(allowed("10.0.0.1", t)) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert asyncio.run(allowed("10.0.0.2", 3))  # another address is not affected
    assert asyncio.run(allowed("10.0.0.1", 61))  # the window slides


def test_every_public_endpoint_refuses_a_huge_body_before_reading_it(chat) -> None:
    huge = b"x" * (64 * 1024)  # over Sanic's cap (SANIC_REQUEST_MAX_SIZE, 16 KB): refused unread
    rest = requests.post(f"{chat.base_url}/webhooks/rest/webhook", data=huge,
                         headers={"Content-Type": "application/json"}, timeout=30)
    assert rest.status_code == 413
    large = requests.post(f"{chat.base_url}/webhooks/rest/webhook", data=b"x" * (17 * 1024 - 600),
                          headers={"Content-Type": "application/json"}, timeout=30)
    assert large.status_code == 413
    sms = requests.post(chat.sms_url, data=huge, headers={"Content-Type": "application/x-www-form-urlencoded"},
                        timeout=30)
    assert sms.status_code == 413
    session = requests.post(f"{chat.base_url}/widget/session", data=huge, timeout=30)
    assert session.status_code == 413


def test_texts_colour_and_clinic_name_come_from_the_settings(chat) -> None:
    config = requests.get(f"{chat.base_url}/widget/config.json", timeout=30).json()
    assert config["nurse_line"] == "1-555-010-0199" and config["color"] == "#1f4e79"
    assert config["clinic_name"] and config["launcher_text"] == "Questions? Chat with us"


def test_two_copies_of_one_message_sent_at_once_make_one_turn(chat) -> None:
    from concurrent.futures import ThreadPoolExecutor

    session = new_session(chat)
    body = {"session": session, "message": "can i shower after the biopsy, sent twice at once", "id": "twin-1"}
    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda _: requests.post(f"{chat.base_url}/widget/message", json=body,
                                                        timeout=60).json(), range(2)))
    assert replies[0]["messages"] == replies[1]["messages"]
    with sqlite3.connect(chat.tracker_db) as db:
        texts = [json.loads(row[0])["text"] for row in db.execute(
            "SELECT data FROM events WHERE type_name = 'user' AND sender_id LIKE 'web-%'")]
    assert texts.count(body["message"]) == 1
