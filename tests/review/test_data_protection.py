"""Retention, de-identification, file permissions, migrations and the staff accounts, on real SQLite files."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert

from bot import PROJECT_ROOT
from bot.config import get_settings
from bot.db import session_scope
from bot.db.models import AuditLog, HandoffTicket, SmsInbound, SmsOptOut
from bot.review import auth, totp
from bot.review.conversations import events, to_turn
from bot.review.deidentify import export_rows, scrub, to_csv, to_json
from bot.servers import _env


def _stamp(days_ago: float) -> float:
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).timestamp()


def _naive(days_ago: float) -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=days_ago)


def user_event(sender: str, text: str, days_ago: float) -> dict:
    return {"sender_id": sender, "type_name": "user", "timestamp": _stamp(days_ago), "intent_name": "ask_causes",
            "action_name": None, "data": json.dumps({"event": "user", "timestamp": _stamp(days_ago), "text": text,
                                                     "input_channel": "twilio_sms",
                                                     "parse_data": {"intent": {"name": "ask_causes",
                                                                               "confidence": 0.9}}})}


@pytest.fixture
def tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A tracker store file with the columns of Rasa's SQL tracker store."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(url, future=True)
    events.metadata.create_all(engine)
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    get_settings.cache_clear()
    return url


def run_cli(*args: str, env: dict, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env=_env(env), cwd=PROJECT_ROOT)


def test_purge_removes_what_is_past_retention_keeps_the_rest_and_is_audited(database_url: str, tracker: str) -> None:
    engine = create_engine(tracker, future=True)
    with engine.begin() as conn:
        conn.execute(insert(events), [user_event("sms-old", "old message", 120), user_event("sms-new", "new one", 3)])
    with session_scope(database_url) as session:
        for days, status in ((120, "closed"), (120, "open"), (3, "closed")):
            session.add(HandoffTicket(conversation_id=f"c{days}{status}", channel="rest", reason="same_day",
                                      urgency="same_day", detail="", status=status, created_at=_naive(days),
                                      updated_at=_naive(days)))
        session.add(SmsInbound(message_sid="SM-old", conversation_id="sms-old", received_at=_naive(120)))
        session.add(SmsInbound(message_sid="SM-new", conversation_id="sms-new", received_at=_naive(3)))
        session.add(SmsOptOut(conversation_id="sms-old", opted_out=True, updated_at=_naive(120)))
        session.add(AuditLog(at=_naive(120), actor="nina", role="nurse", action="transcript_viewed", target="x",
                             address="", detail=""))
        session.add(AuditLog(at=_naive(3000), actor="nina", role="nurse", action="transcript_viewed", target="y",
                             address="", detail=""))
    done = run_cli("purge", env={"DATABASE_URL": database_url, "TRACKER_DATABASE_URL": tracker,
                                 "RETENTION_DAYS": "90", "AUDIT_RETENTION_DAYS": "2190"})
    assert done.returncode == 0, done.stderr
    with engine.connect() as conn:
        assert [r.sender_id for r in conn.execute(events.select())] == ["sms-new"]
    with sqlite3.connect(database_url[len("sqlite:///"):]) as db:
        tickets = {r[0] for r in db.execute("SELECT conversation_id FROM handoff_tickets")}
        assert tickets == {"c120open", "c3closed"}  # an open ticket is never purged
        assert [r[0] for r in db.execute("SELECT message_sid FROM sms_inbound")] == ["SM-new"]
        assert db.execute("SELECT count(*) FROM sms_opt_outs").fetchone()[0] == 1  # a STOP is kept
        audit = [r for r in db.execute("SELECT action, target, detail FROM audit_log ORDER BY id")]
    assert [a[1] for a in audit if a[0] == "transcript_viewed"] == ["x"]  # 120 days kept, 3000 days gone
    purge = [a for a in audit if a[0] == "purge"]
    assert len(purge) == 1 and "tracker_events=1" in purge[0][2] and "tickets=1" in purge[0][2]


def test_parallel_guesses_cannot_outrun_the_lock(database_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    auth.add_user("pia", "nurse", "parallel-password-1")
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda _: auth.authenticate("pia", "guess-guess-guess", "", 5, 15).outcome,
                                 range(40)))
    assert outcomes.count("bad_credentials") <= 5  # at most the allowed attempts were checked
    assert auth.authenticate("pia", "parallel-password-1", "", 5, 15).outcome == "locked"


def test_the_export_is_rekeyed_cut_to_the_day_and_scrubbed() -> None:
    turns = {"sms-5f2a9c0d1e": [to_turn("user", {"timestamp": _stamp(2), "input_channel": "twilio_sms",
                                                  "text": "I'm Dana Whitfield, call me on 555-010-4477 or "
                                                          "dana.w@example.com about my biopsy",
                                                  "parse_data": {"intent": {"name": "request_nurse",
                                                                            "confidence": 0.8}}})]}
    first, second = export_rows(turns), export_rows(turns)
    assert first[0]["conversation"] != second[0]["conversation"]  # a new key for each export
    assert "sms-5f2a9c0d1e" not in to_json(first) + to_csv(first)
    assert len(first[0]["day"]) == 10 and ":" not in first[0]["day"]
    text = first[0]["text"]
    assert "555" not in text and "@" not in text and "Dana" not in text and "Whitfield" not in text
    assert "about my biopsy" in text


@pytest.mark.parametrize("message,gone", [
    ("my number is (555) 010-4477", "010"), ("text +1 555 010 4477 please", "4477"), ("5550104477", "5550104477"),
    ("email me at jo.smith+x@mail.example.org", "jo.smith"), ("My name is Maria Lopez", "Lopez"),
    ("this is Ann from 3B", "Ann"), ("Dr. Okafor said it was BI-RADS 4", "Okafor"), ("Thanks, Priya", "Priya"),
    ("555/010/0123", "0123"), ("555\u2013010\u20130123", "0123"), ("+44 20 7946 0958", "7946"),
    ("I\u2019m Jane", "Jane"), ("This is \u00c9lodie Durand", "Durand"), ("I'm Jane Mary Smith", "Smith"),
])
def test_scrub_removes_numbers_addresses_and_introduced_names(message: str, gone: str) -> None:
    assert gone not in scrub(message)


def test_scrub_keeps_the_medical_words() -> None:
    text = "I'm scared, BI-RADS 4 and 6 mm calcifications, biopsy on Monday"
    assert scrub(text) == text


def test_database_files_and_env_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh' / 'assistant.db'}"
    from bot.db import get_engine

    get_engine(url)
    assert stat.S_IMODE(os.stat(tmp_path / "fresh" / "assistant.db").st_mode) == 0o600
    env = PROJECT_ROOT / ".env"
    if env.exists():
        assert stat.S_IMODE(env.stat().st_mode) == 0o600


def test_a_database_from_before_migrations_is_upgraded_in_place(tmp_path: Path) -> None:
    """A clinic's database made by the old create_all(): stamped at 0001, then upgraded, rows kept."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kb_entries (id VARCHAR(64) PRIMARY KEY, intent VARCHAR(64))")
        db.execute("CREATE TABLE handoff_tickets (id INTEGER PRIMARY KEY, conversation_id VARCHAR(128) NOT NULL, "
                   "channel VARCHAR(32) NOT NULL, reason VARCHAR(255) NOT NULL, urgency VARCHAR(16) NOT NULL, "
                   "detail TEXT NOT NULL, status VARCHAR(16) NOT NULL, created_at DATETIME NOT NULL, "
                   "updated_at DATETIME NOT NULL, contact_encrypted TEXT)")
        db.execute("INSERT INTO handoff_tickets VALUES (1, 'c', 'rest', 'same_day', 'same_day', '', 'open', "
                   "'2026-01-01 00:00:00', '2026-01-01 00:00:00', NULL)")
    done = run_cli("db", "upgrade", "--database-url", f"sqlite:///{path}", env={})
    assert done.returncode == 0, done.stderr
    assert "revision 0003" in done.stdout
    with sqlite3.connect(path) as db:
        columns = [r[1] for r in db.execute("PRAGMA table_info(handoff_tickets)")]
        assert "claimed_by" in columns and db.execute("SELECT count(*) FROM handoff_tickets").fetchone()[0] == 1
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0003"


def test_the_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """Autogenerate finds nothing to add: a model change without its migration fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.db import get_engine
    from bot.db.models import Base

    engine = get_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_users_add_reads_the_password_from_stdin_and_hashes_it_with_argon2id(database_url: str) -> None:
    done = run_cli("users", "add", "rosa", "--role", "nurse", env={"DATABASE_URL": database_url},
                   stdin="a-long-password-1\n")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(database_url[len("sqlite:///"):]) as db:
        stored = db.execute("SELECT password_hash FROM staff_users WHERE username='rosa'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "a-long-password-1" not in stored
    short = run_cli("users", "add", "tom", "--role", "nurse", env={"DATABASE_URL": database_url}, stdin="short\n")
    assert short.returncode == 1 and "at least 12" in short.stderr
    bad_role = run_cli("users", "add", "tom", "--role", "doctor", env={"DATABASE_URL": database_url}, stdin="x\n")
    assert bad_role.returncode != 0


def test_an_idle_session_expires_and_a_lock_ends_it(database_url: str) -> None:
    member = auth.add_user("ida", "nurse", "idle-password-123")
    token, _ = auth.start_session(member)
    assert auth.resume_session(token, idle_minutes=15) is not None
    with sqlite3.connect(database_url[len("sqlite:///"):]) as db:
        db.execute("UPDATE staff_sessions SET last_seen_at = ?", (str(_naive(1 / 24)),))  # an hour ago
    assert auth.resume_session(token, idle_minutes=15) is None
    token, _ = auth.start_session(member)
    for _ in range(3):
        auth.authenticate("ida", "wrong-password!", "", lockout_attempts=3, lockout_minutes=15)
    assert auth.resume_session(token, idle_minutes=15) is None  # the lock also signs her out


def test_totp_matches_the_rfc_6238_vectors_and_is_required_once_turned_on(database_url: str) -> None:
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, 59 // 30) == "287082" and totp.code_at(secret, 1111111109 // 30) == "081804"
    auth.add_user("tia", "clinician", "totp-password-123")
    secret = auth.enable_totp("tia")
    args = dict(lockout_attempts=5, lockout_minutes=15)
    # Without the code, or with a wrong one, the right password alone does not sign her in.
    assert auth.authenticate("tia", "totp-password-123", "", **args).outcome == "bad_credentials"
    assert auth.authenticate("tia", "totp-password-123", "000000" if totp.now_code(secret) != "000000"
                             else "111111", **args).outcome == "bad_credentials"
    assert auth.authenticate("tia", "totp-password-123", "１２３４５６", **args).outcome == "bad_credentials"
    code = totp.now_code(secret)
    assert auth.authenticate("tia", "totp-password-123", code, **args).outcome == "ok"
    # The same code again (someone who saw it typed) is refused: each code works once.
    assert auth.authenticate("tia", "totp-password-123", code, **args).outcome == "bad_credentials"


def test_kb_require_clinician_serves_only_approved_hashes(loaded_kb: str, kb_copy: Path) -> None:
    from bot.kb.loader import load_kb
    from bot.kb.lookup import KnowledgeBase
    from bot.review.kb_signoff import decide, statuses

    strict = KnowledgeBase(loaded_kb, require_clinician=True)
    assert strict.for_intent("ask_causes") is None
    assert KnowledgeBase(loaded_kb, require_clinician=False).for_intent("ask_causes") is not None
    entry = next(s for s in statuses(loaded_kb) if s.intent == "ask_causes")
    assert not decide(entry.entry_id, "0" * 64, "approved", "cleo", "clinician", database_url=loaded_kb)
    assert decide(entry.entry_id, entry.content_hash, "approved", "cleo", "clinician", database_url=loaded_kb)
    assert strict.for_intent("ask_causes") is not None
    # An edit after approval changes the hash: it is not served until a clinician approves it again.
    path = kb_copy / "entries" / "calcifications.yml"
    text = path.read_text()
    assert "Calcium in your food or in pills does not cause" in text
    path.write_text(text.replace("Calcium in your food or in pills does not cause",
                                 "Calcium in food or in pills does not cause", 1))
    load_kb(kb_copy, loaded_kb)
    assert strict.for_intent("ask_causes") is None
