"""Questions sent to the running assistant over the REST channel get the right entries."""

from __future__ import annotations

import uuid

import pytest

from bot.channels.web import source_line
from bot.kb.lookup import KnowledgeBase
from bot.reply import Reply

pytestmark = pytest.mark.e2e


def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def expected_text(kb: KnowledgeBase, intent: str) -> tuple[str, str]:
    entry = kb.for_intent(intent)
    return entry.web, source_line(Reply(text="", sources=tuple(entry.source_names())))


@pytest.mark.parametrize("question, intent", [
    ("what are microcalcifications", "ask_what_are_calcifications"),
    ("will the biopsy make the cancer spread", "ask_biopsy_spread_myth"),
    ("what does birads 3 mean", "ask_probably_benign_followup"),
    ("what is dcis", "ask_what_is_dcis"),
])
def test_questions_get_their_entry_and_source_line(chat, question: str, intent: str) -> None:
    kb = KnowledgeBase(chat.database_url)
    messages = chat.send(sender(), question)
    answer, source = expected_text(kb, intent)
    texts = [m.get("text", "") for m in messages]
    assert "not a diagnosis" in texts[0]  # first-turn notice
    assert any(t == f"{answer}\n{source}" for t in texts), texts
    assert messages[-1]["buttons"], "follow-up topics are offered as buttons"


def test_preparing_with_fish_oil_gets_preparation_and_supplement_guidance(chat) -> None:
    kb = KnowledgeBase(chat.database_url)
    messages = chat.send(sender(), "how do i get ready for my stereotactic biopsy i take fish oil")
    texts = [m.get("text", "") for m in messages]
    prep, _ = expected_text(kb, "ask_biopsy_preparation")
    supplement = kb.for_intent("ask_biopsy_medication").variants["supplement"].web.replace("{medicine}", "fish oil")
    assert any(t.startswith(prep + "\nSource: ") for t in texts), texts
    assert any(t.startswith(supplement + "\nSource: ") for t in texts), texts


def test_a_named_blood_thinner_changes_the_answer(chat) -> None:
    kb = KnowledgeBase(chat.database_url)
    messages = chat.send(sender(), "i take eliquis, do i stop it before my biopsy")
    variant = kb.for_intent("ask_biopsy_medication").variants["blood_thinner"].web.replace("{medicine}", "Eliquis")
    assert any(m.get("text", "").startswith(variant) for m in messages), messages


def test_notice_only_on_the_first_turn_and_buttons_work(chat) -> None:
    kb = KnowledgeBase(chat.database_url)
    who = sender()
    first = chat.send(who, "hi")
    assert "not a diagnosis" in first[0]["text"]
    payload = first[-1]["buttons"][0]["payload"]
    second = chat.send(who, payload)
    intent = payload.lstrip("/")
    answer, source = expected_text(kb, intent)
    assert [m["text"] for m in second][0] == f"{answer}\n{source}"
    assert all("not a diagnosis" not in m.get("text", "") for m in second)


def test_gibberish_gets_topics_and_the_nurse_line_not_an_answer(chat) -> None:
    messages = chat.send(sender(), "purple monkey dishwasher")
    texts = " ".join(m.get("text", "") for m in messages)
    assert "Source:" not in texts  # no knowledge-base answer on a guess
    assert "1-555-010-0199" in texts or "1-555-010-0100" in texts  # a human to call instead


def test_logs_hold_no_message_text(chat) -> None:
    secret = "my neighbour zanzibar quokka asked"
    chat.send(sender(), secret)
    assert "zanzibar quokka" not in chat.server_logs()


@pytest.mark.parametrize("body, status, words", [
    (b"", 400, "could not read"),
    (b"not json", 400, "could not read"),
    (b'{"sender": "x"}', 400, "empty"),
    (b'{"sender": "x", "message": "   "}', 400, "empty"),
    (b'{"message": "hi"}', 400, "sender"),
])
def test_bad_requests_get_a_clear_kind_json_error(chat, body: bytes, status: int, words: str) -> None:
    import requests

    result = requests.post(f"{chat.base_url}/webhooks/rest/webhook", data=body,
                           headers={"Content-Type": "application/json"}, timeout=30)
    assert result.status_code == status
    assert words in result.json()["error"] and "Traceback" not in result.text


def test_an_over_long_message_is_refused_kindly_and_not_half_read(chat) -> None:
    import requests

    who = sender()
    result = requests.post(f"{chat.base_url}/webhooks/rest/webhook",
                           json={"sender": who, "message": "why " * 2000}, timeout=30)
    assert result.status_code == 413
    assert "too long" in result.json()["error"] and "1-555-010-0199" in result.json()["error"]
