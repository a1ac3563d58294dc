"""Exports and the call-back number, against the running servers and staff app."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests.e2e.staff_helpers import sign_in_http
from tests.e2e.test_sms import conversation, new_phone, text

pytestmark = pytest.mark.e2e


def test_the_deidentified_export_holds_no_phone_number_and_no_pseudonym_from_the_database(staff) -> None:
    chat = staff.chat
    phone = new_phone()
    text(chat, phone, "my name is Dana Whitfield, call me back at 555-010-4477 about my biopsy results")
    text(chat, phone, "I'm bleeding through the bandage and it won't stop")
    with sqlite3.connect(chat.tracker_db) as db:
        pseudonyms = {r[0] for r in db.execute("SELECT DISTINCT sender_id FROM events")}
    assert conversation(phone) in pseudonyms
    admin = sign_in_http(staff, "adam")
    for fmt in ("json", "csv"):
        response = admin.post(f"{staff.base_url}/admin/export", data={"csrf_token": admin.csrf, "format": fmt},
                              timeout=60)
        assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        body = response.text
        assert "[PHONE]" in body and "bleeding through the bandage" in body  # the content is there
        digits = re.sub(r"\D", "", phone)
        assert digits[-10:] not in re.sub(r"\D", "", body)
        assert "010-4477" not in body and "Whitfield" not in body
        leaked = [p for p in pseudonyms if p in body]
        assert leaked == [], leaked[:3]
        assert not re.search(r"\d{2}:\d{2}:\d{2}", body)  # days only, no times
    log = admin.get(f"{staff.base_url}/audit", params={"action": "deidentified_export"}, timeout=30).text
    assert log.count("deidentified export") >= 2


def test_the_callback_number_is_shown_only_when_asked_and_the_request_is_audited(staff) -> None:
    chat = staff.chat
    phone = new_phone()
    text(chat, phone, "the biopsy site is bleeding through the bandage and it won't stop")
    with sqlite3.connect(chat.database_url[len("sqlite:///"):]) as db:
        ticket = db.execute("SELECT id FROM handoff_tickets WHERE conversation_id = ? ORDER BY id DESC",
                            (conversation(phone),)).fetchone()[0]
    nurse = sign_in_http(staff, "nina")
    page = nurse.get(f"{staff.base_url}/tickets/{ticket}", timeout=30).text
    assert phone not in page and "Show call-back number" in page
    shown = nurse.post(f"{staff.base_url}/tickets/{ticket}/contact", data={"csrf_token": nurse.csrf}, timeout=30)
    assert phone in shown.text
    admin = sign_in_http(staff, "adam")
    log = admin.get(f"{staff.base_url}/audit", params={"action": "number_revealed"}, timeout=30).text
    assert f"ticket {ticket}" in log and "nina" in log and phone not in log


def test_the_running_servers_keep_both_databases_readable_by_their_owner_only(staff) -> None:
    import os
    import stat

    chat = staff.chat
    chat.send("perm-check", "hello")
    for path in (chat.tracker_db, chat.database_url[len("sqlite:///"):]):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
