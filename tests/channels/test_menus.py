"""The menu a conversation was last offered, stored by turns that may run at the same time."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import List

from bot.channels import buttons
from bot.db import session_scope


def test_two_turns_storing_a_first_menu_at_once_both_succeed(tmp_path: Path) -> None:
    """Two quick texts from one patient, answered at once (two replicas, or one busy one).

    Each turn's menu is saved in the same transaction as its replies and its MessageSid
    (bot/channels/twilio.py), so a failed menu write would lose that text's answer: with
    a read-then-insert, both turns found no menu and the second insert failed.
    """
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    with session_scope(url) as session:
        assert buttons.read(session, "sms-quick") == []  # the schema exists; no menu yet
    both_read = threading.Barrier(2, timeout=30)
    errors: List[BaseException] = []

    def turn(title: str) -> None:
        try:
            with session_scope(url) as session:
                assert buttons.read(session, "sms-quick") == []  # each turn sees no menu yet
                both_read.wait()
                buttons.store(session, "sms-quick", [{"title": title, "payload": f"/{title}"}])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=turn, args=(title,)) for title in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with session_scope(url) as session:
        assert buttons.read(session, "sms-quick") in ([{"title": "first", "payload": "/first"}],
                                                      [{"title": "second", "payload": "/second"}])


def test_a_later_menu_replaces_the_last_and_an_empty_one_clears_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    buttons.remember("web-1", [{"title": "DCIS", "payload": "/ask_dcis"}], url)
    buttons.remember("web-1", [{"title": "BI-RADS", "payload": "/ask_birads"}], url)
    assert buttons.offered("web-1", url) == [{"title": "BI-RADS", "payload": "/ask_birads"}]
    buttons.remember("web-1", [], url)
    assert buttons.offered("web-1", url) == []
