"""The nurse's whole path in the staff app, in a real headless Chromium, against the running servers.

A patient's emergency goes in through the REST channel; a nurse signs in, finds
its ticket at the top of the queue, reads the transcript with the route and the
rule that matched, claims and closes the ticket with a note, and marks an answer
wrong; an admin then finds every one of those actions in the audit log.
"""

from __future__ import annotations

import uuid

import pytest

from bot import PROJECT_ROOT
from bot.kb.lookup import KnowledgeBase
from bot.safety.handoff import close_ticket, list_open_tickets, open_ticket
from tests.e2e.browser import axe_violations
from tests.e2e.staff_helpers import sign_in_browser

pytestmark = pytest.mark.e2e
SCREENSHOT = PROJECT_ROOT / "docs" / "staff-queue.png"
EMERGENCY = "I'm bleeding through the bandage from my biopsy and it won't stop"


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context
    context.close()


def test_from_an_emergency_message_to_a_closed_ticket_and_the_audit_log(staff, context) -> None:
    chat = staff.chat
    # Earlier tests left tickets; this nurse starts her shift with one older same-day ticket waiting.
    for ticket in list_open_tickets(chat.database_url):
        close_ticket(ticket.id, chat.database_url, by="setup", outcome="other")
    open_ticket(f"older-{uuid.uuid4().hex[:8]}", "rest", "same_day", "same_day", "fever_after_biopsy",
                database_url=chat.database_url)
    patient = f"patient-{uuid.uuid4().hex[:10]}"
    reply = chat.send(patient, "what are calcifications")
    assert "calcium" in reply[-1]["text"].lower()
    reply = chat.send(patient, EMERGENCY)
    assert "911" in reply[0]["text"]

    page = context.new_page()
    page.goto(staff.base_url + "/queue")
    page.get_by_role("heading", name="Sign in").wait_for()  # not signed in: the login page
    sign_in_browser(page, staff, "nina")
    page.get_by_role("heading", name="Handoff queue").wait_for()
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "Emergency (911)" in rows.nth(0).inner_text()  # most urgent first, though it came in later
    assert "Same day" in rows.nth(1).inner_text()
    assert "0 min of 30" in rows.nth(0).inner_text()  # waited, against the response target
    assert "bleeding_uncontrolled" in rows.nth(0).inner_text()  # the rule that fired
    page.screenshot(path=str(SCREENSHOT))

    rows.nth(0).get_by_role("link").click()
    page.get_by_role("heading", level=1, name="Emergency (911)").wait_for()
    assert "bleeding_uncontrolled" in page.locator(".facts").inner_text()
    page.get_by_role("link", name="Read the conversation").click()
    patient_turn = page.locator(".turn.patient").filter(has_text="bleeding through the bandage")
    assert patient_turn.locator(".badge-emergency").inner_text() == "emergency"
    assert "bleeding_uncontrolled" in patient_turn.locator(".nlu").inner_text()
    # The KB answer names its entry and the exact version it served.
    answer = page.locator(".turn.bot").filter(has_text="calcium").first
    entry = KnowledgeBase(chat.database_url).for_intent("ask_what_are_calcifications")
    served = answer.locator(".served").inner_text()
    assert entry.id in served and entry.content_hash()[:12] in served

    # Mark that answer wrong, with the topic it should have been.
    answer.locator("summary").click()
    answer.get_by_label("Wrong", exact=True).check()
    answer.get_by_label("Right topic (for a wrong answer)").select_option("ask_macro_vs_micro")
    answer.get_by_label("Note").fill("She asked about the two kinds")
    answer.get_by_role("button", name="Save review").click()
    marked = page.locator(".turn.bot").filter(has_text="calcium").first.locator(".mark")
    assert "Marked wrong by nina" in marked.inner_text() and "ask_macro_vs_micro" in marked.inner_text()

    # Back to the ticket: claim it, then close it with a note.
    page.get_by_role("link", name="open ticket").first.click()
    page.get_by_role("button", name="Claim this ticket").click()
    assert "nina" in page.locator(".facts").inner_text()
    page.get_by_label("Outcome").select_option("called_back")
    page.get_by_label("Closing note").fill("Called her; pressure stopped the bleeding, seen in ED.")
    page.get_by_role("button", name="Close ticket").click()
    page.get_by_role("heading", name="Handoff queue").wait_for()
    assert page.locator("tbody tr").count() == 1  # only the same-day ticket is left
    page.get_by_role("button", name="Sign out").click()

    admin = context.new_page()
    sign_in_browser(admin, staff, "adam")
    admin.get_by_role("heading", name="Audit log").wait_for()
    log = admin.locator("tbody").inner_text()
    for action in ("login ok", "transcript viewed", "reply marked", "ticket claimed", "ticket closed", "logout"):
        assert f"nina\tnurse\t{action}" in log, action
    assert f"conversation {patient}" in log
    assert "outcome called_back" in log


def test_axe_finds_no_serious_violations_on_login_queue_and_transcript(staff, context) -> None:
    chat = staff.chat
    patient = f"patient-{uuid.uuid4().hex[:10]}"
    chat.send(patient, "I had a fever of 101 since the biopsy yesterday")
    page = context.new_page()
    page.goto(staff.base_url + "/login")
    assert axe_violations(page) == []
    sign_in_browser(page, staff, "nina")
    page.get_by_role("heading", name="Handoff queue").wait_for()
    assert axe_violations(page) == []
    page.goto(f"{staff.base_url}/conversations/{patient}")
    page.locator(".turn.patient").first.wait_for()
    page.locator(".turn.bot summary").first.click()  # with a review form open too
    assert axe_violations(page) == []
