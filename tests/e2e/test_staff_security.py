"""The staff app's access rules, checked over HTTP against the running process."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import uuid

import pytest
import requests

from bot import PROJECT_ROOT
from bot.config import get_settings
from bot.review.app import AREAS, create_app
from bot.safety.handoff import open_ticket
from bot.servers import _env
from tests.e2e.staff_helpers import csrf_in, sign_in_http

pytestmark = pytest.mark.e2e
SAMPLE = {"ticket_id": "1", "conversation_id": "someone", "entry_id": "what_are_calcifications"}


def routes():
    """Every route the app has, with its methods, from Flask's own URL map."""
    app = create_app(get_settings())
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "login"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE[m.group(1)], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path, rule.endpoint


def is_login_page(response: requests.Response) -> bool:
    return response.url.split("?")[0].endswith("/login") and "<h1>Sign in</h1>" in response.text \
        and 'for="username">Username' in response.text and 'for="password">Password' in response.text


@pytest.mark.parametrize("method,path,endpoint", list(routes()))
def test_anonymous_requests_get_the_login_page_on_every_route(staff, method: str, path: str, endpoint: str) -> None:
    response = requests.request(method, staff.base_url + path, data={"note": "x"}, timeout=30)
    assert response.status_code == 200 and is_login_page(response), (method, path, response.status_code)


def test_an_unknown_address_also_gets_the_login_page_when_signed_out(staff) -> None:
    assert is_login_page(requests.get(staff.base_url + "/no/such/page", timeout=30))


def test_every_route_is_limited_to_roles() -> None:
    app = create_app(get_settings())
    open_routes = {"home", "logout", "login", "static"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in open_routes:
            continue
        assert getattr(app.view_functions[rule.endpoint], "area", None) in AREAS, rule.rule


@pytest.mark.parametrize("path", ["/audit", "/admin/users", "/admin/export"])
def test_a_nurse_and_a_clinician_get_403_on_admin_pages(staff, path: str) -> None:
    for name in ("nina", "cleo"):
        session = sign_in_http(staff, name)
        assert session.get(staff.base_url + path, timeout=30).status_code == 403
        posted = session.post(staff.base_url + path, data={"csrf_token": session.csrf, "format": "json"}, timeout=30)
        assert posted.status_code in (403, 405)


def test_an_admin_does_not_read_transcripts_and_a_nurse_cannot_sign_off_content(staff) -> None:
    admin = sign_in_http(staff, "adam")
    for path in ("/queue", "/conversations", "/review", "/kb"):
        assert admin.get(staff.base_url + path, timeout=30).status_code == 403, path
    nurse = sign_in_http(staff, "nina")
    assert nurse.get(staff.base_url + "/kb", timeout=30).status_code == 403
    response = nurse.post(f"{staff.base_url}/kb/what_are_calcifications/decide",
                          data={"csrf_token": nurse.csrf, "decision": "approved", "content_hash": "x"}, timeout=30)
    assert response.status_code == 403


def ticket_for_test(staff) -> int:
    return open_ticket(f"sec-{uuid.uuid4().hex[:8]}", "rest", "same_day", "same_day",
                       database_url=staff.chat.database_url).id


@pytest.mark.parametrize("token", [None, "", "wrong-token-0123456789"])
def test_a_missing_or_wrong_csrf_token_gets_403_and_saves_nothing(staff, token) -> None:
    ticket = ticket_for_test(staff)
    session = sign_in_http(staff, "nina")
    data = {"note": f"note-{token}"}
    if token is not None:
        data["csrf_token"] = token
    assert session.post(f"{staff.base_url}/tickets/{ticket}/note", data=data, timeout=30).status_code == 403
    assert session.post(f"{staff.base_url}/tickets/{ticket}/close", data={**data, "outcome": "other"},
                        timeout=30).status_code == 403
    page = session.get(f"{staff.base_url}/tickets/{ticket}", timeout=30).text
    assert f"note-{token}" not in page and "No notes yet." in page and "Close the ticket" in page


def test_the_login_form_itself_needs_its_csrf_token(staff) -> None:
    response = requests.post(staff.base_url + "/login", data={"username": "nina",
                                                              "password": staff.users["nina"][1]}, timeout=30)
    assert response.status_code == 403 and "staff_session" not in response.headers.get("Set-Cookie", "")


def try_login(staff, name: str, password: str) -> requests.Response:
    session = requests.Session()
    form = session.get(staff.base_url + "/login", timeout=30)
    return session.post(staff.base_url + "/login", data={"csrf_token": csrf_in(form.text), "username": name,
                                                          "password": password}, timeout=30)


def test_an_account_locks_after_repeated_failures_until_an_admin_unlocks_it(staff) -> None:
    for _ in range(3):  # STAFF_LOCKOUT_ATTEMPTS=3 in this suite
        failed = try_login(staff, "lena", "not-her-password")
        assert failed.status_code == 401
    locked = try_login(staff, "lena", staff.users["lena"][1])  # the right password no longer works
    assert locked.status_code == 401 and "locked" in locked.text and "Sign out" not in locked.text
    done = subprocess.run([sys.executable, "-m", "bot", "users", "unlock", "lena"], capture_output=True, text=True,
                          env=_env(staff.env), cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    assert "Sign out" in try_login(staff, "lena", staff.users["lena"][1]).text
    admin = sign_in_http(staff, "adam")
    log = admin.get(staff.base_url + "/audit", params={"actor": "lena"}, timeout=30).text
    assert "login locked" in log and "login failed" in log and "login ok" in log


def test_the_session_cookie_is_httponly_samesite_strict_and_the_pages_are_not_cached(staff) -> None:
    session = requests.Session()
    form = session.get(staff.base_url + "/login", timeout=30)
    response = session.post(staff.base_url + "/login", allow_redirects=False, timeout=30, data={
        "csrf_token": csrf_in(form.text), "username": "nina", "password": staff.users["nina"][1]})
    cookie = [c for c in response.raw.headers.getlist("Set-Cookie") if c.startswith("staff_session=")][0]
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= flags
    assert not any(f.startswith(("expires", "max-age")) for f in flags)  # gone when the browser closes
    page = session.get(staff.base_url + "/queue", timeout=30)
    assert page.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_behind_https_the_cookie_is_also_secure(monkeypatch) -> None:
    from dataclasses import replace

    from bot.review.app import create_app as make

    app = make(replace(get_settings(), staff_https=True))
    page = app.test_client().get("/login")
    assert "Secure" in page.headers["Set-Cookie"]


HOSTILE = "<script>alert('x')</script>'; DROP TABLE handoff_tickets; --"


def test_script_and_sql_in_a_note_or_a_search_render_as_text_and_change_nothing(staff) -> None:
    staff.chat.send(f"sec-{uuid.uuid4().hex[:8]}", "what is a stereotactic biopsy")
    ticket = ticket_for_test(staff)
    nurse = sign_in_http(staff, "nina")
    saved = nurse.post(f"{staff.base_url}/tickets/{ticket}/note", data={"csrf_token": nurse.csrf, "note": HOSTILE},
                       timeout=30)
    assert saved.status_code == 200
    assert "<script>alert" not in saved.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#39;; DROP TABLE handoff_tickets; --" in saved.text
    with sqlite3.connect(staff.chat.database_url[len("sqlite:///"):]) as db:
        assert db.execute("SELECT count(*) FROM handoff_tickets WHERE id = ?", (ticket,)).fetchone()[0] == 1
        assert db.execute("SELECT text FROM ticket_notes WHERE ticket_id = ?", (ticket,)).fetchone()[0] == HOSTILE
    before = nurse.get(f"{staff.base_url}/conversations", timeout=30).text
    count = re.search(r"<caption>(\d+) conversation", before)
    for query in (HOSTILE, "' OR '1'='1"):
        found = nurse.get(f"{staff.base_url}/conversations", params={"q": query}, timeout=30)
        assert found.status_code == 200 and "<script>alert" not in found.text
        assert "No conversations match." in found.text, query  # matched as text, not as SQL
    for wildcard in ("%", "_"):  # as SQL LIKE patterns these would match every conversation
        found = nurse.get(f"{staff.base_url}/conversations", params={"q": wildcard}, timeout=30).text
        shown = re.search(r"<caption>(\d+) conversation", found)
        assert shown is None or int(shown.group(1)) < int(count.group(1)), wildcard
    after = nurse.get(f"{staff.base_url}/conversations", timeout=30).text
    assert re.search(r"<caption>(\d+) conversation", after).group(1) == count.group(1)


def test_a_password_typed_into_the_username_field_never_reaches_the_audit_log(staff) -> None:
    typed = "Spring-Rain-2026!"
    assert try_login(staff, typed, "whatever").status_code == 401
    log = sign_in_http(staff, "adam").get(staff.base_url + "/audit", params={"action": "login_failed"},
                                          timeout=30).text
    assert "(unknown user)" in log and typed not in log
