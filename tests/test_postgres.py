"""The same storage code on a real PostgreSQL server (DATABASE_URL), not only SQLite."""

from __future__ import annotations

from typing import Iterator

import pytest

from bot.config import get_settings
from bot.kb.loader import load_kb
from bot.kb.lookup import KnowledgeBase
from bot.safety.handoff import list_open_tickets, open_ticket
from tests.conftest import KB_DIR
from tests.postgres import postgres_server


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def test_knowledge_base_loads_idempotently_and_serves_on_postgresql(pg_url: str) -> None:
    first = load_kb(KB_DIR, pg_url)
    second = load_kb(KB_DIR, pg_url)
    assert (first.added, second.unchanged, second.added) == (47, 47, 0)
    kb = KnowledgeBase(pg_url)
    entry = kb.for_intent("ask_what_is_dcis")
    assert entry is not None and entry.references
    assert [e.id for e in kb.by_ids(entry.follow_ups)] == entry.follow_ups
    assert kb.for_intent("ask_biopsy_medication").variants["blood_thinner"].web


def test_tickets_on_postgresql_most_urgent_first(pg_url: str) -> None:
    open_ticket("pg-routine", "rest", "nurse_request", "routine", database_url=pg_url)
    open_ticket("pg-emergency", "twilio_sms", "emergency", "emergency", database_url=pg_url)
    open_ticket("pg-routine", "rest", "crisis", "crisis", database_url=pg_url)  # escalates the open one
    tickets = list_open_tickets(pg_url)
    assert [(t.conversation_id, t.urgency) for t in tickets] == [("pg-emergency", "emergency"),
                                                                  ("pg-routine", "crisis")]


def test_actions_answer_from_postgresql(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.actions.test_actions import ActionAnswer, make_tracker, run

    monkeypatch.setenv("DATABASE_URL", pg_url)
    get_settings.cache_clear()
    load_kb(KB_DIR, pg_url)
    messages = run(ActionAnswer(), make_tracker("ask_what_is_dcis", bot_spoke=True))
    assert messages[0]["text"].startswith(KnowledgeBase(pg_url).for_intent("ask_what_is_dcis").web)
    get_settings.cache_clear()
