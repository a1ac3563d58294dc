"""Handoff tickets, the nurse queue, and what the patient is told about hours."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot import PROJECT_ROOT
from bot.config import get_settings
from bot.safety import responses
from bot.safety.handoff import list_open_tickets, open_ticket
from bot.safety.hours import ClinicHours, parse_days

NY = ZoneInfo("America/New_York")
TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=NY)
TUESDAY_9PM = datetime(2026, 11, 24, 21, 0, tzinfo=NY)
SATURDAY_NOON = datetime(2026, 11, 28, 12, 0, tzinfo=NY)


@pytest.fixture(autouse=True)
def _clinic(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {"CLINIC_TIMEZONE": "America/New_York", "CLINIC_OPEN_DAYS": "Mon-Fri",
                       "CLINIC_OPEN_TIME": "08:00", "CLINIC_CLOSE_TIME": "17:00",
                       "NURSE_LINE_PHONE": "1-555-010-0199", "AFTER_HOURS_PHONE": "1-555-010-0111",
                       "CLINIC_PHONE": "1-555-010-0100", "NURSE_RESPONSE_MINUTES": "45"}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_open_days_are_parsed() -> None:
    assert parse_days("Mon-Fri") == {0, 1, 2, 3, 4}
    assert parse_days("Mon,Wed,Sat") == {0, 2, 5}
    assert parse_days("Fri-Mon") == {4, 5, 6, 0}


def test_opening_hours() -> None:
    hours = ClinicHours.from_settings()
    assert hours.is_open(TUESDAY_10AM)
    assert not hours.is_open(TUESDAY_9PM)
    assert hours.describe_next_opening(TUESDAY_9PM) == "tomorrow at 8:00 AM"
    assert hours.describe_next_opening(SATURDAY_NOON) == "Monday at 8:00 AM"


def test_in_hours_the_patient_hears_when_a_nurse_will_reach_her() -> None:
    text = responses.handoff(sms=False, now=TUESDAY_10AM)[0].text
    assert "within about 45 minutes" in text and "1-555-010-0199" in text


def test_out_of_hours_she_hears_when_and_what_to_do_if_it_cannot_wait() -> None:
    text = responses.handoff(sms=False, now=SATURDAY_NOON)[0].text
    assert "closed right now" in text and "Monday at 8:00 AM" in text
    assert "1-555-010-0111" in text and "911" in text


def test_same_day_route_gives_the_clinic_number_first_and_the_on_call_number_when_closed() -> None:
    open_text = responses.same_day(["fever"], sms=False, alerted=True, now=TUESDAY_10AM)[0].text
    closed_text = responses.same_day(["fever"], sms=False, alerted=True, now=TUESDAY_9PM)[0].text
    assert open_text.startswith("Please call the clinic today at 1-555-010-0100.")
    assert "Fever should be checked" in open_text and "asked a nurse to follow up" in open_text
    # Closed: the first line is the number that answers now, not the closed clinic's.
    first_line = closed_text.split(". ")[0]
    assert "1-555-010-0111" in first_line and "1-555-010-0100" not in closed_text
    assert "tomorrow at 8:00 AM" in closed_text


def test_no_reply_claims_the_nurse_team_was_alerted_when_the_ticket_was_not_saved() -> None:
    replies = [responses.emergency(["chest pain"], sms=False, alerted=False)[0].text,
               responses.same_day(["fever"], sms=False, alerted=False, now=TUESDAY_10AM)[0].text,
               responses.same_day(["fever"], sms=True, alerted=False, now=TUESDAY_9PM)[0].text,
               responses.crisis(sms=False, alerted=False)[0].text,
               responses.handoff(sms=False, alerted=False, now=TUESDAY_10AM)[0].text]
    for text in replies:
        assert "alerted" not in text and "asked a nurse" not in text and "will also" not in text, text
        assert "call" in text.lower()


def test_sms_emergency_reply_leads_with_911_in_the_first_segment() -> None:
    text = responses.emergency(["bleeding that will not stop or soaks the dressing"], sms=True, alerted=True)[0].text
    assert text.startswith("Call 911 now")
    assert len(text) <= 306


def test_one_open_ticket_per_conversation_escalated_by_urgency(database_url: str) -> None:
    open_ticket("c1", "rest", "nurse_request", "routine")
    ticket = open_ticket("c1", "rest", "emergency", "emergency", detail="rules: chest_pain")
    assert ticket.urgency == "emergency" and ticket.reason == "nurse_request, emergency"
    assert len(list_open_tickets()) == 1


def test_tickets_cli_lists_most_urgent_first(database_url: str) -> None:
    open_ticket("routine-1", "rest", "nurse_request", "routine")
    open_ticket("sameday-1", "rest", "same_day", "same_day")
    open_ticket("crisis-1", "rest", "crisis", "crisis")
    open_ticket("emerg-1", "rest", "emergency", "emergency")
    out = subprocess.run([sys.executable, "-m", "bot", "tickets", "--database-url", database_url],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, check=True).stdout
    order = [line.split()[-1] for line in out.splitlines()[1:-1]]
    assert order == ["emerg-1", "crisis-1", "sameday-1", "routine-1"]
    assert "4 open ticket(s)" in out


def test_a_flood_from_one_conversation_is_capped_per_hour(database_url: str) -> None:
    from bot.safety.handoff import TicketRateLimited, close_ticket

    for _ in range(3):
        ticket = open_ticket("flood", "rest", "same_day", "same_day", max_new_per_hour=3)
        assert close_ticket(ticket.id)
    with pytest.raises(TicketRateLimited):
        open_ticket("flood", "rest", "nurse_request", "routine", max_new_per_hour=3)
    # Another patient's ticket is untouched by the flood.
    assert open_ticket("someone-else", "rest", "same_day", "same_day", max_new_per_hour=3).urgency == "same_day"
    # The limit never costs a real emergency or crisis its ticket.
    assert open_ticket("flood", "rest", "emergency", "emergency", max_new_per_hour=3).urgency == "emergency"


def test_a_ticket_that_cannot_be_saved_is_retried_and_reported_as_not_saved(database_url: str, monkeypatch) -> None:
    from bot.safety import handoff

    calls = []
    real = handoff.open_ticket

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(handoff, "open_ticket", flaky)
    monkeypatch.setattr(handoff, "RETRY_DELAYS", (0.01, 0.01))
    assert handoff.try_open_ticket("c-retry", "rest", "emergency", "emergency") is not None
    assert len(calls) == 3
    calls.clear()

    def down(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(handoff, "open_ticket", down)
    assert handoff.try_open_ticket("c-down", "rest", "emergency", "emergency") is None
    assert list_open_tickets() == [t for t in list_open_tickets() if t.conversation_id == "c-retry"]


def test_the_ticket_list_escapes_control_characters(database_url: str) -> None:
    open_ticket("evil\x1b[2J\rname", "rest", "nurse_request", "routine")
    out = subprocess.run([sys.executable, "-m", "bot", "tickets", "--database-url", database_url],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, check=True).stdout
    assert "\x1b" not in out and "\r" not in out
    assert "evil\\x1b[2J\\rname" in out


def test_severe_distress_is_offered_a_person_first_and_the_line_that_answers_now() -> None:
    # H69: fact sheet 3d sends days without food or sleep, or lasting hopelessness, to the care team.
    open_text = responses.same_day(["x"], sms=False, alerted=True, now=TUESDAY_10AM, distress=True)[0].text
    closed_text = responses.same_day(["x"], sms=False, alerted=True, now=TUESDAY_9PM, distress=True)[0].text
    assert "call the clinic today at 1-555-010-0100" in open_text.split(". ")[2]
    assert "nurse navigator" in open_text and "asked a nurse to follow up" in open_text
    # Closed: a helpline that answers at any hour comes before anything else with a number.
    assert "1-800-227-2345" in closed_text.split(". ")[2] and "1-555-010-0100" not in closed_text
    assert "tomorrow at 8:00 AM" in closed_text
    for text in (open_text, closed_text):
        assert "988" in text and "911" in text
        assert "should be checked" not in text  # not the wound-check wording
    spanish = responses.same_day(["x"], sms=False, alerted=True, now=TUESDAY_9PM, lang="es", distress=True)[0].text
    assert "988" in spanish and "español" in spanish


def test_a_distress_ticket_asks_the_nurse_about_coping_and_a_wound_sign_keeps_its_reply(database_url: str) -> None:
    from bot.safety.escalation import safety_turn

    distress = {"route": "same_day", "matched": [{"route": "same_day", "rule": "severe_distress"}]}
    [reply] = safety_turn("same_day", distress, "sad-1", "rest", sms=False)
    assert "1-800-227-2345" in reply.text and "should be checked" not in reply.text
    [ticket] = [t for t in list_open_tickets() if t.conversation_id == "sad-1"]
    assert ticket.urgency == "same_day" and "severe distress" in ticket.detail
    both = {"route": "same_day", "matched": [{"route": "same_day", "rule": "severe_distress"},
                                             {"route": "same_day", "rule": "fever"}]}
    [reply] = safety_turn("same_day", both, "sad-2", "rest", sms=False)
    assert "Fever should be checked" in reply.text


def test_a_bleed_beside_compulsive_self_injury_gets_911_and_a_ticket_that_asks_about_safety(database_url) -> None:
    from bot.safety.escalation import safety_turn

    record = {"route": "emergency", "matched": [{"route": "emergency", "rule": "bleeding_uncontrolled"},
                                                {"route": "crisis", "rule": "compulsive_self_injury"}]}
    [reply] = safety_turn("emergency", record, "pick-1", "rest", sms=False)
    assert reply.text.startswith("Call 911 now")
    [ticket] = [t for t in list_open_tickets() if t.conversation_id == "pick-1"]
    assert ticket.urgency == "emergency" and "compulsive_self_injury" in ticket.detail
    assert "ask about safety" in ticket.detail


def test_an_overdose_taken_gets_911_first_then_988_and_a_ticket_that_asks_about_safety(database_url: str) -> None:
    # H73 (C115): an attempt under way is an emergency before it is a crisis (fact sheet 3d).
    from bot.safety.escalation import safety_turn

    record = {"route": "emergency", "matched": [{"route": "emergency", "rule": "overdose_taken"},
                                                {"route": "crisis", "rule": "method_or_plan"}]}
    [reply] = safety_turn("emergency", record, "od-1", "rest", sms=False)
    assert reply.text.startswith("Call 911 now")
    assert reply.text.index("911") < reply.text.index("988")
    [ticket] = [t for t in list_open_tickets() if t.conversation_id == "od-1"]
    assert ticket.urgency == "emergency" and "overdose" in ticket.detail
    [sms] = safety_turn("emergency", record, "od-2", "twilio", sms=True, lang="es")
    assert sms.text.startswith("Llame al 911") and "988" in sms.text


def test_a_child_who_swallowed_pills_gets_911_without_the_crisis_line(database_url: str) -> None:
    # H84 (C134): an accident, not an attempt: 911 and first aid, no 988, no "overdose taken".
    from bot.safety.escalation import safety_turn

    record = {"route": "emergency", "matched": [{"route": "emergency", "rule": "child_swallowed_pills"}]}
    [reply] = safety_turn("emergency", record, "child-1", "rest", sms=False)
    assert reply.text.startswith("Call 911 now, or take your child") and "988" not in reply.text
    # The child is the patient: nothing about the parent's own biopsy.
    assert "biopsy" not in reply.text
    [sms] = safety_turn("emergency", record, "child-1b", "twilio", sms=True, lang="es")
    assert sms.text.startswith("Llame al 911") and "biopsia" not in sms.text and "988" not in sms.text
    [ticket] = [t for t in list_open_tickets() if t.conversation_id == "child-1"]
    assert ticket.urgency == "emergency" and "overdose" not in ticket.detail


def test_her_own_crisis_words_beside_a_childs_swallowed_pills_keep_the_crisis_line(database_url: str) -> None:
    # H84 (C134), found in review: "my toddler ate my pills and I want to die" must not lose 988.
    from bot.safety.escalation import safety_turn

    record = {"route": "emergency", "matched": [{"route": "emergency", "rule": "child_swallowed_pills"},
                                                {"route": "crisis", "rule": "want_to_die"}]}
    [reply] = safety_turn("emergency", record, "child-2", "rest", sms=False)
    assert reply.text.startswith("Call 911 now, or take your child")
    assert reply.text.index("911") < reply.text.index("988")


def test_her_own_911_sign_beside_a_childs_swallowed_pills_keeps_her_own_reply(database_url: str) -> None:
    # The child variant is only for an accident to the child alone: her own bleeding keeps first aid.
    from bot.safety.escalation import safety_turn

    record = {"route": "emergency", "matched": [{"route": "emergency", "rule": "child_swallowed_pills"},
                                                {"route": "emergency", "rule": "bleeding_uncontrolled"}]}
    [reply] = safety_turn("emergency", record, "child-3", "rest", sms=False)
    assert reply.text.startswith("Call 911 now, or have someone take you")
    assert "Keep pressing firmly" in reply.text and "breast biopsy" in reply.text
