"""Several Rasa replicas sweep one SMS outbox (issue 12): each reply must go out once."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path
from typing import List

from bot.channels.sms_outbox import Outbox
from bot.config import get_settings
from bot.db import session_scope
from tests.e2e.conftest import TWILIO_ENV


class SlowTwilio:
    """Twilio's client as far as the outbox uses it; each send takes a while, as over the network."""

    def __init__(self, sent: List[str], lock: threading.Lock):
        self.sent, self.lock = sent, lock
        self.messages = self

    def create(self, to: str, from_: str, body: str) -> None:
        time.sleep(0.02)
        with self.lock:
            self.sent.append(body)


def test_two_senders_on_one_outbox_send_each_reply_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    settings = dataclasses.replace(get_settings(), sms_encryption_key=TWILIO_ENV["SMS_ENCRYPTION_KEY"],
                                   twilio_messaging_number=TWILIO_ENV["TWILIO_MESSAGING_NUMBER"])
    sent: List[str] = []
    lock = threading.Lock()
    replicas = [Outbox(settings, url, client_factory=lambda: SlowTwilio(sent, lock)) for _ in range(2)]
    bodies = [f"reply {i} to conversation {i % 5}" for i in range(40)]
    with session_scope(url) as session:
        for i, body in enumerate(bodies):
            replicas[0].add(session, f"sms-{i % 5}", f"+1555010{i % 5:04d}", [body])

    def sweep_until_empty(outbox: Outbox) -> None:
        for _ in range(50):
            outbox.sweep()
            with lock:
                if len(sent) >= len(bodies):
                    return

    workers = [threading.Thread(target=sweep_until_empty, args=(outbox,)) for outbox in replicas]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(sent) == sorted(bodies)  # every reply sent, none twice
    # and in order within each conversation
    for conversation in range(5):
        mine = [b for b in sent if b.endswith(f"conversation {conversation}")]
        assert mine == [b for b in bodies if b.endswith(f"conversation {conversation}")]
