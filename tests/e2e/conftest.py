"""Starts the real Rasa server and action server once for all end-to-end tests."""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests

from bot import PROJECT_ROOT
from bot.config import get_settings
from bot.kb.loader import load_kb
from bot.servers import start_action_server, start_rasa, start_staff
from tests.e2e.browser import launch

MODEL = PROJECT_ROOT / "models" / "assistant.tar.gz"
SUPPORT = PROJECT_ROOT / "tests" / "support"
#: Test-only Twilio settings (not secrets: they exist only in this file and the fake API).
TWILIO_ENV = {
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "test-auth-token-0123456789abcdef",
    "TWILIO_MESSAGING_NUMBER": "+15550100999",
    "SMS_PSEUDONYM_KEY": "test-pseudonym-key",
    "SMS_ENCRYPTION_KEY": "2wXhc7D9x1Ojx5T0Jp6lq3gS7oQJvKz8n2mY4bV6cH8=",
}


#: Test-only shared secret between the two servers this suite starts.
ACTION_SECRET = "test-action-secret-0123456789"


def write_endpoints(path: Path, action_port: int, tracker_db: Path) -> None:
    """endpoints.yml for a test server pair: the real file's shape, with free ports and temp files."""
    path.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        "  headers:\n    X-Action-Secret: ${ACTION_SERVER_SECRET}\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Chat:
    """A patient on the REST channel (what the web widget sends)."""

    def __init__(self, base_url: str, database_url: str, log_dir: Path):
        self.base_url = base_url
        self.sms_url = f"{base_url}/webhooks/twilio_sms/webhook"
        self.twilio_log = log_dir / "twilio.jsonl"
        self.database_url = database_url
        self.log_dir = log_dir
        self.tracker_db = log_dir / "tracker.db"

    def send(self, sender: str, message: str) -> List[Dict]:
        response = requests.post(f"{self.base_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}, timeout=60)
        response.raise_for_status()
        return response.json()

    def last_parse(self, sender: str) -> Dict:
        """The parse data Rasa stored for the sender's latest message (tracker store)."""
        with sqlite3.connect(self.tracker_db) as db:
            row = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' "
                             "ORDER BY id DESC LIMIT 1", (sender,)).fetchone()
        assert row, f"no user event stored for {sender}"
        return json.loads(row[0])["parse_data"]

    def server_logs(self) -> str:
        return "".join(p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log")))


def pytest_configure(config: pytest.Config) -> None:
    config._redteam_report = []  # lines printed at the end of the run


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    lines = getattr(config, "_redteam_report", [])
    if lines:
        terminalreporter.section("red-team recall per route (through the running server)")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chat]:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make setup` first")
    work = tmp_path_factory.mktemp("e2e")
    database_url = f"sqlite:///{work / 'assistant.db'}"
    load_kb(PROJECT_ROOT / "data" / "kb", database_url)
    get_settings.cache_clear()

    action_port, rasa_port = free_port(), free_port()
    endpoints = work / "endpoints.yml"
    write_endpoints(endpoints, action_port, work / "tracker.db")
    env = {"DATABASE_URL": database_url, "NURSE_LINE_PHONE": "1-555-010-0199", "LOG_LEVEL": "INFO",
           "ACTION_SERVER_SECRET": ACTION_SECRET, "WIDGET_ALLOWED_ORIGINS": "https://www.example-clinic.org",
           "WIDGET_ADDRESS_PER_MINUTE": "1000",  # every test client shares 127.0.0.1
           **TWILIO_ENV, "TWILIO_WEBHOOK_URL": f"http://127.0.0.1:{rasa_port}/webhooks/twilio_sms/webhook",
           "TWILIO_FAKE_LOG": str(work / "twilio.jsonl"), "PYTHONPATH": str(SUPPORT)}
    actions = start_action_server(action_port, env=env, log_file=work / "actions.log")
    rasa = start_rasa(rasa_port, model=MODEL, endpoints=endpoints, env=env, log_file=work / "rasa.log")
    try:
        actions.wait_ready()
        rasa.wait_ready()
        yield Chat(f"http://127.0.0.1:{rasa_port}", database_url, work)
    finally:
        rasa.stop()
        actions.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """A headless Chromium (Debian's package) per browser-test module.

    Module scope, not session: Playwright's sync API keeps an event loop running in this thread
    while it is open, and later tests that call asyncio.run() must not find one.
    """
    yield from launch()


#: Staff accounts the suite creates through the real CLI (test-only passwords).
STAFF_USERS = {"nina": ("nurse", "nurse-pass-0123456"), "cleo": ("clinician", "clinician-pass-0123"),
               "adam": ("admin", "admin-pass-01234567"), "lena": ("nurse", "lockout-pass-012345")}


class Staff:
    """The staff review app, running as its own process against the same databases as `chat`."""

    def __init__(self, base_url: str, chat: Chat, env: Dict[str, str]):
        self.base_url = base_url
        self.chat = chat
        self.env = env
        self.users = STAFF_USERS


@pytest.fixture(scope="session")
def staff(chat: Chat) -> Iterator[Staff]:
    import subprocess
    import sys

    from bot.servers import _env

    env = {"DATABASE_URL": chat.database_url, "TRACKER_DATABASE_URL": f"sqlite:///{chat.tracker_db}",
           "NURSE_RESPONSE_MINUTES": "30", "STAFF_LOCKOUT_ATTEMPTS": "3", "LOG_LEVEL": "INFO", **TWILIO_ENV}
    for name, (role, password) in STAFF_USERS.items():
        done = subprocess.run([sys.executable, "-m", "bot", "users", "add", name, "--role", role],
                              input=password + "\n",
                              text=True, capture_output=True, env=_env(env), cwd=PROJECT_ROOT)
        assert done.returncode == 0, done.stderr
    port = free_port()
    server = start_staff(port, env=env, log_file=chat.log_dir / "staff.log")
    try:
        server.wait_ready(timeout=60)
        yield Staff(f"http://127.0.0.1:{port}", chat, env)
    finally:
        server.stop()
