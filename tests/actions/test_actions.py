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
from actions.handoff import ActionHandoff
from actions.reply import ActionReply
from actions.triage import ActionTriage
from bot.db import session_scope
from bot.db.models import AnswerAudit
from bot.kb.lookup import KnowledgeBase
from bot.safety.handoff import list_open_tickets

NURSE = "1-555-010-0199"


def make_tracker(intent: str, text: str = "", channel: str = "rest", entities: Optional[List[Dict]] = None,
                 ranking: Optional[List[Dict]] = None, bot_spoke: bool = False) -> Tracker:
    user = {"event": "user", "text": text, "input_channel": channel,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}
    events: List[Dict[str, Any]] = [{"event": "action", "name": "action_session_start"},
                                    {"event": "session_started"}]
    if bot_spoke:
        earlier = {**user, "parse_data": {"intent": {"name": "greet", "confidence": 0.9}}}
        events += [earlier, {"event": "bot", "text": "earlier answer"}]
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


def test_a_near_tie_names_both_topics_and_asks_which(loaded_kb: str) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.5},
               {"name": "ask_what_is_stereotactic_biopsy", "confidence": 0.41},
               {"name": "ask_suspicious_next_steps", "confidence": 0.36}, {"name": "ask_birads", "confidence": 0.1}]
    messages = run(ActionClarify(), make_tracker("nlu_fallback", ranking=ranking, bot_spoke=True))
    text = messages[0]["text"]
    assert text.startswith("Your question could be about two things:") and NURSE in text
    assert '"What a stereotactic biopsy is"' in text
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/ask_what_is_stereotactic_biopsy",
                                                             "/ask_suspicious_next_steps"]


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
    web = KnowledgeBase(loaded_kb).for_intent(intent).web
    assert any(m["text"].startswith(web) for m in messages), messages


@pytest.mark.parametrize("value, variant", [("bi-rads 4b", "category_4b"), ("birads 4C", "category_4c"),
                                            ("birads 5", "category_5"), ("birads 4", "category_4")])
def test_a_named_suspicious_category_leads_with_its_own_figures(loaded_kb: str, value: str, variant: str) -> None:
    """A woman told 4C or 5 reads her category's figures first, not the whole scale's (issue 9)."""
    entry = KnowledgeBase(loaded_kb).for_intent("ask_birads")
    messages = run(ActionAnswer(), make_tracker("ask_birads", entities=[{"entity": "birads", "value": value}],
                                                bot_spoke=True))
    assert messages[0]["text"].startswith(f"In general, for anyone: {entry.variants[variant].web}")
    assert messages[1]["text"].startswith(entry.web)


# --- safety routes and handoff ------------------------------------------------------


def triage_tracker(route: str, rules: list, channel: str = "rest", entities=None) -> Tracker:
    tracker = make_tracker(f"safety_{route}", channel=channel, entities=entities)
    tracker.latest_message["triage"] = {"route": route, "matched": [
        {"route": route, "rule": r, "reason": reason} for r, reason in rules]}
    return tracker


def test_emergency_leads_with_911_then_the_notice_and_opens_a_ticket(loaded_kb: str) -> None:
    messages = run(ActionTriage(), triage_tracker("emergency", [("chest_pain", "chest pain or pressure")]))
    assert messages[0]["text"].startswith("Call 911 now")
    assert "Chest pain or pressure" in messages[0]["text"]
    assert "not a diagnosis" in messages[-1]["text"]  # the notice comes after, never first
    [ticket] = list_open_tickets()
    assert (ticket.urgency, ticket.reason, ticket.detail) == ("emergency", "emergency", "rules: chest_pain")


def test_crisis_reply_is_empathy_988_and_911_with_no_knowledge_base_content(loaded_kb: str) -> None:
    messages = run(ActionTriage(), triage_tracker("crisis", [("want_to_die", "says she wants to die")]))
    first = messages[0]["text"]
    assert first.startswith("I'm really sorry") and "988" in first and "911" in first
    assert "988lifeline.org" in first and "HOME to 741741" in first  # text and chat, not only a call
    assert all("Source:" not in m["text"] for m in messages)
    # The only thing offered after it is the support-lines reply.
    assert [b["payload"] for m in messages for b in m.get("buttons") or []] == ["/ask_support_resources"]
    assert "wants to die" not in first  # rule reasons are for nurses, not read back to the patient
    assert list_open_tickets()[0].urgency == "crisis"


def test_the_911_reply_goes_out_even_if_the_ticket_cannot_be_saved(loaded_kb: str, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr("bot.safety.handoff.open_ticket", broken)
    messages = run(ActionTriage(), triage_tracker("emergency", [("breathing", "trouble breathing")]))
    assert messages[0]["text"].startswith("Call 911 now")
    # Honest: the ticket was not saved, so she is not told the nurse team knows.
    assert "alerted" not in messages[0]["text"] and "please make the call yourself" in messages[0]["text"]


def test_diagnosis_request_gets_general_category_meaning_and_the_nurse(loaded_kb: str) -> None:
    tracker = triage_tracker("diagnosis", [("will_i_die", "asks for a prediction")],
                             entities=[{"entity": "birads", "value": "birads 4b"}])
    messages = run(ActionTriage(), tracker)
    texts = [m["text"] for m in messages]
    assert "not a diagnosis" in texts[0]
    assert texts[1].startswith("I can't tell what your results mean for you")
    category_4b = KnowledgeBase(loaded_kb).for_intent("ask_birads").variants["category_4b"].web
    assert category_4b in texts[2] and "Source:" in texts[2]
    assert {"title": "Talk to a nurse", "payload": "/request_nurse"} in messages[-1]["buttons"]
    assert list_open_tickets() == []  # a diagnosis request is not urgent


def test_nurse_request_opens_a_routine_ticket(loaded_kb: str) -> None:
    messages = run(ActionHandoff(), make_tracker("request_nurse", bot_spoke=True))
    assert messages[0]["text"].startswith("I've asked a nurse to contact you")
    assert "911" in messages[0]["text"]  # in or out of hours, she knows what to do if it can't wait
    assert [(t.reason, t.urgency) for t in list_open_tickets()] == [("nurse_request", "routine")]


def test_a_second_weak_guess_in_a_row_hands_over_to_a_nurse(loaded_kb: str) -> None:
    tracker = make_tracker("nlu_fallback", bot_spoke=True)
    tracker.events[2]["parse_data"] = {"intent": {"name": "nlu_fallback", "confidence": 0.3}}
    messages = run(ActionClarify(), tracker)
    assert "haven't understood" in messages[0]["text"]
    assert [(t.reason, t.urgency) for t in list_open_tickets()] == [("repeated_fallback", "routine")]


def test_an_internal_error_gives_a_kind_reply_not_a_stack_trace(loaded_kb: str, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("actions.answer.answer_questions", broken)
    messages = run(ActionAnswer(), make_tracker("ask_what_is_dcis", bot_spoke=True))
    assert messages[0]["text"].startswith("Sorry, something went wrong")
    assert "911" in messages[0]["text"] and "Traceback" not in messages[0]["text"]
