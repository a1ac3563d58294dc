"""The custom actions, run directly against a real temporary SQLite knowledge base."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.answer import ActionAnswer
from actions.clarify import ActionClarify
from actions.reply import ActionReply
from bot.db import session_scope
from bot.db.models import AnswerAudit
from bot.kb.lookup import KnowledgeBase

NURSE = "1-555-010-0199"


def make_tracker(intent: str, text: str = "", channel: str = "rest", entities: Optional[List[Dict]] = None,
                 ranking: Optional[List[Dict]] = None, bot_spoke: bool = False) -> Tracker:
    user = {"event": "user", "text": text, "input_channel": channel,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}
    events: List[Dict[str, Any]] = [{"event": "action", "name": "action_session_start"},
                                    {"event": "session_started"}]
    if bot_spoke:
        events += [user, {"event": "bot", "text": "earlier answer"}]
    events.append(user)
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or [],
              "intent_ranking": ranking or []}
    return Tracker("patient-1", {}, latest, events, False, None, {}, "action_listen")


def run(action, tracker: Tracker) -> List[Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages


@pytest.fixture(autouse=True)
def _nurse_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NURSE_LINE_PHONE", NURSE)


def test_first_turn_carries_the_notice_then_the_answer(loaded_kb: str) -> None:
    messages = run(ActionAnswer(), make_tracker("ask_what_is_dcis", "what is dcis"))
    notice, answer = messages[0]["text"], messages[1]["text"]
    assert "not a diagnosis" in notice and "911" in notice and NURSE in notice
    entry = KnowledgeBase(loaded_kb).for_intent("ask_what_is_dcis")
    assert answer.startswith(entry.web)
    assert answer.endswith("Source: " + ", ".join(entry.source_names()))
    assert [b["payload"] for b in messages[1]["buttons"]] == [
        f"/{e.intent}" for e in KnowledgeBase(loaded_kb).by_ids(entry.follow_ups)]


def test_later_turns_have_no_notice(loaded_kb: str) -> None:
    messages = run(ActionAnswer(), make_tracker("ask_what_is_dcis", bot_spoke=True))
    assert len(messages) == 1
    assert "not a diagnosis" not in messages[0]["text"]


def test_sms_channel_gets_the_sms_answer(loaded_kb: str) -> None:
    messages = run(ActionAnswer(), make_tracker("ask_birads", channel="twilio_sms", bot_spoke=True))
    entry = KnowledgeBase(loaded_kb).for_intent("ask_birads")
    assert messages[0]["text"].startswith(entry.sms)
    assert entry.web not in messages[0]["text"]


def test_a_named_blood_thinner_gets_the_blood_thinner_guidance(loaded_kb: str) -> None:
    entities = [{"entity": "medication", "value": "eliquis"}, {"entity": "procedure", "value": "biopsy"}]
    messages = run(ActionAnswer(), make_tracker("ask_biopsy_medication", entities=entities, bot_spoke=True))
    variant = KnowledgeBase(loaded_kb).for_intent("ask_biopsy_medication").variants["blood_thinner"]
    assert len(messages) == 1
    assert messages[0]["text"].startswith(variant.web.replace("{medicine}", "Eliquis"))
    assert "Eliquis" in messages[0]["text"]


def test_a_supplement_named_while_preparing_adds_its_guidance(loaded_kb: str) -> None:
    entities = [{"entity": "medication", "value": "fish oil"}]
    messages = run(ActionAnswer(), make_tracker("ask_biopsy_preparation", entities=entities, bot_spoke=True))
    kb = KnowledgeBase(loaded_kb)
    assert messages[0]["text"].startswith(kb.for_intent("ask_biopsy_preparation").web + "\nSource: ")
    supplement = kb.for_intent("ask_biopsy_medication").variants["supplement"].web
    assert messages[1]["text"].startswith(supplement.replace("{medicine}", "fish oil"))


def test_without_a_medicine_the_general_medication_answer_is_given(loaded_kb: str) -> None:
    messages = run(ActionAnswer(), make_tracker("ask_biopsy_medication", bot_spoke=True))
    assert messages[0]["text"].startswith(KnowledgeBase(loaded_kb).for_intent("ask_biopsy_medication").web)


def test_served_answers_are_audited_with_their_hash(loaded_kb: str) -> None:
    run(ActionAnswer(), make_tracker("ask_what_is_dcis", bot_spoke=True))
    with session_scope(loaded_kb) as session:
        rows = session.execute(select(AnswerAudit)).scalars().all()
    entry = KnowledgeBase(loaded_kb).for_intent("ask_what_is_dcis")
    assert [(r.entry_id, r.content_hash, r.channel) for r in rows] == [("what_is_dcis", entry.content_hash(), "rest")]


def test_a_weak_guess_offers_the_closest_topics_and_the_nurse(loaded_kb: str) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "ask_birads", "confidence": 0.31},
               {"name": "greet", "confidence": 0.2}, {"name": "ask_probably_benign_followup", "confidence": 0.2},
               {"name": "ask_cancer_risk", "confidence": 0.1}, {"name": "ask_causes", "confidence": 0.05}]
    messages = run(ActionClarify(), make_tracker("nlu_fallback", ranking=ranking, bot_spoke=True))
    assert NURSE in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "/ask_birads", "/ask_probably_benign_followup", "/ask_cancer_risk"]


def test_no_approved_entry_means_no_answer_text(database_url: str) -> None:
    messages = run(ActionAnswer(), make_tracker("ask_what_is_dcis", bot_spoke=True))  # empty database
    assert "reviewed answer" in messages[0]["text"] and NURSE in messages[0]["text"]


def test_off_topic_questions_get_a_kind_redirect(loaded_kb: str) -> None:
    messages = run(ActionReply(), make_tracker("out_of_scope", bot_spoke=True))
    assert "only help" in messages[0]["text"]
    assert len(messages[0]["buttons"]) == 3


@pytest.mark.parametrize("values, intent", [
    (["birads 3"], "ask_probably_benign_followup"),
    (["BI-RADS 0"], "ask_callback_extra_views"),
    (["bi-rads 4b"], "ask_birads"),
    (["birads 3", "birads 4a"], "ask_birads"),
    ([], "ask_birads"),
])
def test_a_single_birads_category_gets_its_own_entry(loaded_kb: str, values: list, intent: str) -> None:
    entities = [{"entity": "birads", "value": v} for v in values]
    messages = run(ActionAnswer(), make_tracker("ask_birads", entities=entities, bot_spoke=True))
    assert messages[0]["text"].startswith(KnowledgeBase(loaded_kb).for_intent(intent).web)
