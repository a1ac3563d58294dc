"""Safety routes and handoff tickets through the running server (REST channel)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from bot import PROJECT_ROOT
from bot.channels.web import source_line
from bot.kb.lookup import KnowledgeBase
from bot.reply import Reply

pytestmark = pytest.mark.e2e


def sender() -> str:
    return f"safety-{uuid.uuid4().hex[:12]}"


def test_a_normal_question_gets_its_answer_and_no_alarm(chat) -> None:
    who = sender()
    messages = chat.send(who, "how long do biopsy results take")
    entry = KnowledgeBase(chat.database_url).for_intent("ask_results_timing")
    assert f"{entry.web}\n{source_line(Reply(text='', sources=tuple(entry.source_names())))}" in [
        m["text"] for m in messages]
    assert all("911 now" not in m["text"] for m in messages)
    assert chat.last_parse(who)["triage"]["route"] is None


def test_emergency_is_recorded_with_its_reason_and_ticketed(chat) -> None:
    who = sender()
    messages = chat.send(who, "its been 20 min of pressing and the bandage is soaked, it wont stop bleeding")
    assert messages[0]["text"].startswith("Call 911 now")
    triage = chat.last_parse(who)["triage"]
    assert triage["route"] == "emergency" and triage["overridden"] is True
    assert "bleeding_uncontrolled" in {m["rule"] for m in triage["matched"]}
    assert chat.last_parse(who)["intent"]["name"] == "safety_emergency"

    out = subprocess.run([sys.executable, "-m", "bot", "tickets", "--database-url", chat.database_url],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, check=True).stdout
    line = next(row for row in out.splitlines() if row.endswith(who))
    assert "emergency" in line and "rest" in line


def test_negated_symptoms_are_recorded_as_suppressed_not_ignored(chat) -> None:
    who = sender()
    messages = chat.send(who, "no fever and it's not bleeding anymore, when do results come")
    urgent_openings = ("Call 911", "Please call the clinic today", "The clinic is closed now")
    assert all(not m["text"].startswith(urgent_openings) for m in messages)
    triage = chat.last_parse(who)["triage"]
    assert triage["route"] is None
    assert {"fever"} <= {m["rule"] for m in triage["suppressed"]}


def test_talk_to_a_nurse_opens_a_ticket_and_says_what_happens_next(chat) -> None:
    who = sender()
    messages = chat.send(who, "can i please talk to a real person, a nurse")
    assert any(m["text"].startswith("I've asked a nurse to contact you") for m in messages)
    out = subprocess.run([sys.executable, "-m", "bot", "tickets", "--database-url", chat.database_url],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, check=True).stdout
    assert any(row.endswith(who) and "nurse_request" in row for row in out.splitlines())


def test_two_weak_guesses_in_a_row_bring_in_a_person(chat) -> None:
    who = sender()
    chat.send(who, "blorpt snargle")
    if chat.last_parse(who)["intent"]["name"] != "nlu_fallback":
        pytest.fail("gibberish was classified confidently; pick other gibberish for this test")
    # "zorp flibber wobble" scores 0.17 for emergency with the session-20 detector (a known false alarm on
    # nonsense, see the closing note); this test is about two weak guesses, not the detector.
    second = chat.send(who, "qwzx plonk")
    if chat.last_parse(who)["intent"]["name"] != "nlu_fallback":
        pytest.fail("gibberish was classified confidently; pick other gibberish for this test")
    assert second[0]["text"].startswith("I'm sorry I haven't understood")
