"""The chat widget in a real headless Chromium (Debian's package), against the running servers.

Playwright for Python drives /usr/bin/chromium; axe-core (npm, node_modules/) is injected into
the demo page to check accessibility.
"""

from __future__ import annotations

import re

import pytest

from bot import PROJECT_ROOT
from tests.e2e.browser import axe_violations

pytestmark = pytest.mark.e2e

SCREENSHOT = PROJECT_ROOT / "docs" / "widget.png"


@pytest.fixture
def page(browser, chat):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{chat.base_url}/widget/demo.html")
    yield page
    context.close()


def open_panel(page) -> None:
    page.get_by_role("button", name="Questions? Chat with us").click()
    page.get_by_label("Your question").wait_for()
    page.locator(".bcw-notice").wait_for()  # the session is issued and the notice shown


def ask(page, question: str) -> None:
    before = page.locator(".bcw-bot").count()
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Send").click()
    page.locator(".bcw-bot").nth(before).wait_for()  # locator waits: the page's CSP forbids eval
    page.locator(".bcw-typing").wait_for(state="hidden")


def test_a_question_is_answered_with_source_links_and_a_follow_up_works(page) -> None:
    open_panel(page)
    ask(page, "what are microcalcifications")
    answer = page.locator(".bcw-bot").last
    assert "calcium" in answer.inner_text()
    link = answer.locator(".bcw-source a").first
    assert link.get_attribute("href").startswith("https://")
    follow_up = page.locator(".bcw-quick").first
    title = follow_up.inner_text()
    follow_up.click()
    page.locator(".bcw-user").nth(1).wait_for()
    page.locator(".bcw-typing").wait_for(state="hidden")
    assert page.locator(".bcw-user").last.inner_text().endswith(title)
    assert page.locator(".bcw-bot").last.locator(".bcw-source").count() == 1
    page.screenshot(path=str(SCREENSHOT))


def test_a_whole_conversation_from_the_keyboard(page) -> None:
    page.get_by_role("button", name="Questions? Chat with us").wait_for()  # the widget has loaded
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Questions? Chat with us"
    page.keyboard.press("Enter")
    page.locator(".bcw-notice").wait_for()
    assert page.evaluate("document.activeElement.id") == "bcw-input"  # focus moves into the panel
    page.keyboard.type("what is dcis")
    page.keyboard.press("Enter")
    page.locator(".bcw-bot").first.wait_for()
    page.locator(".bcw-typing").wait_for(state="hidden")
    assert "milk duct" in page.locator(".bcw-bot").last.inner_text()
    page.keyboard.press("Escape")
    assert page.locator("#bcw-panel").is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "Questions? Chat with us"  # focus returns


def test_an_emergency_shows_call_911_first_as_an_alert(page) -> None:
    open_panel(page)
    ask(page, "i'm bleeding through the bandage and it won't stop")
    alert = page.get_by_role("alert")
    assert alert.inner_text().startswith("Call 911 now")  # announced at once, through the alert region
    first = page.locator(".bcw-bot").first  # and it is the first reply she sees, marked out
    assert "bcw-urgent" in first.get_attribute("class")
    assert first.locator("p").first.inner_text().startswith("Call 911 now")


def test_a_reload_keeps_the_conversation_and_a_second_context_sees_nothing(page, browser, chat) -> None:
    open_panel(page)
    ask(page, "what is a marker clip")
    before = page.locator(".bcw-log").inner_text()
    page.reload()
    page.get_by_role("button", name="Questions? Chat with us").click()
    page.locator(".bcw-bot").first.wait_for()
    assert page.locator(".bcw-log").inner_text() == before
    ask(page, "does it set off airport alarms")  # the same conversation goes on after the reload
    assert page.locator(".bcw-notice").count() == 1

    other = browser.new_context()
    stranger = other.new_page()
    stranger.goto(f"{chat.base_url}/widget/demo.html")
    stranger.get_by_role("button", name="Questions? Chat with us").click()
    stranger.locator(".bcw-notice").wait_for()
    assert stranger.locator(".bcw-bot, .bcw-user").count() == 0
    stored = stranger.evaluate("Object.values(sessionStorage).join(' ')")
    assert "marker clip" not in stored
    other.close()


def test_a_message_typed_while_waiting_is_kept_not_lost(page) -> None:
    open_panel(page)
    page.route(re.compile(r".*/widget/message$"), lambda route: None)  # the reply hangs
    page.get_by_label("Your question").fill("what is dcis")
    page.get_by_role("button", name="Send").click()
    page.locator(".bcw-typing").wait_for()
    page.get_by_label("Your question").fill("I am bleeding and it will not stop")
    page.get_by_label("Your question").press("Enter")
    assert page.get_by_label("Your question").input_value() == "I am bleeding and it will not stop"
    assert "wait for the answer" in page.locator("[role=status]").inner_text()


def test_an_unreachable_server_shows_the_nurse_line_and_911(page) -> None:
    open_panel(page)
    page.route(re.compile(r".*/widget/message$"), lambda route: route.abort())
    page.get_by_label("Your question").fill("what is a stereotactic biopsy")
    page.get_by_role("button", name="Send").click()
    page.locator(".bcw-bot").first.wait_for()
    text = page.locator(".bcw-bot").last.inner_text()
    assert "1-555-010-0199" in text and "911" in text
    assert page.locator(".bcw-typing").is_hidden()  # no endless spinner


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_serious_violations_with_the_panel_open_or_closed(browser, chat, width: int) -> None:
    # axe is injected as a script tag, which the demo page's strict policy would refuse.
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{chat.base_url}/widget/demo.html")
    page.get_by_role("button", name="Questions? Chat with us").wait_for()
    assert axe_violations(page) == []
    open_panel(page)
    ask(page, "what does birads 3 mean")
    assert axe_violations(page) == []
    context.close()


def test_the_demo_page_runs_under_a_strict_content_security_policy(chat) -> None:
    import requests

    reply = requests.get(f"{chat.base_url}/widget/demo.html", timeout=30)
    policy = reply.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in reply.text and "style=" not in reply.text
    import http.client
    from urllib.parse import urlsplit

    host = urlsplit(chat.base_url)
    for path in ("/widget/..%2Fbot%2Fconfig.py", "/widget/chat.py", "/widget/%2e%2e/credentials.yml"):
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        connection.request("GET", path)  # sent as written: no client-side normalising
        answer = connection.getresponse()
        assert answer.status == 404 and b"bot.channels" not in answer.read()
        connection.close()


def inside_viewport(page, locator, width: int, height: int) -> bool:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width \
        and box["y"] + box["height"] <= height


# 320 x 568: a small phone; 640 x 360: a 1280 x 720 window at 200% zoom.
@pytest.mark.parametrize("width, height", [(320, 568), (640, 360)])
def test_the_widget_works_on_a_narrow_screen_and_at_200_percent_zoom(browser, chat, width: int,
                                                                     height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{chat.base_url}/widget/demo.html")
    open_panel(page)
    ask(page, "what is dcis")
    for control in (page.get_by_label("Your question"), page.get_by_role("button", name="Send"),
                    page.get_by_role("button", name="Talk to a nurse")):
        assert inside_viewport(page, control, width, height), control
    answer = page.locator(".bcw-bot").last.bounding_box()  # a long answer scrolls, but is never cut sideways
    assert answer["x"] >= 0 and answer["x"] + answer["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    context.close()
