"""The SMS budget: every knowledge-base SMS answer and every fixed reply fits, in GSM-7."""

from __future__ import annotations

import pytest

from bot import PROJECT_ROOT
from bot.channels.sms import format_outgoing, menu_text, render, split_message
from bot.config import get_settings
from bot.fixed_replies import fixed_reply, reply_keys
from bot.kb.loader import check_kb
from bot.reply import Button, Reply
from bot.safety import responses
from bot.text.gsm7 import MAX_MESSAGE, MULTI_SEGMENT, fold_to_gsm7, gsm7_length, is_gsm7

ENTRIES = check_kb(PROJECT_ROOT / "data" / "kb")
LONGEST_REASON = max(("bleeding that will not stop or soaks the dressing", "a lump at the site that keeps growing, "
                      "or spreading bruising", "redness, warmth or swelling that spreads or increases"), key=len)


@pytest.fixture(autouse=True)
def _long_clinic_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """Budget against long but realistic clinic settings, not the short defaults."""
    monkeypatch.setenv("CLINIC_NAME", "St. Example Regional Breast Imaging Center")
    monkeypatch.setenv("NURSE_LINE_PHONE", "1-800-555-0199 ext. 4412")
    monkeypatch.setenv("NURSE_LINE_HOURS", "Monday to Friday, 8 am to 5 pm")
    monkeypatch.setenv("CLINIC_PHONE", "1-800-555-0100")
    monkeypatch.setenv("AFTER_HOURS_PHONE", "1-800-555-0111")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def assert_fits(bodies: list[str]) -> None:
    assert bodies
    for body in bodies:
        assert is_gsm7(body), body
        assert gsm7_length(body) <= MAX_MESSAGE, body


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_every_kb_sms_answer_is_one_message_within_two_segments(entry) -> None:
    assert gsm7_length(entry.sms) <= MAX_MESSAGE
    reply = Reply(text=entry.sms, sources=tuple(entry.source_names()),
                  buttons=tuple(Button(f"Follow-up topic {i}", f"/x{i}") for i in range(3)))
    bodies, options = format_outgoing([render(reply)])
    assert_fits(bodies)
    assert bodies[0].startswith(fold_to_gsm7(entry.sms))
    assert len(options) == 3


LONGEST_TITLE = max((e.title for e in ENTRIES), key=len)


def longest_alert(lang: str) -> str:
    keys = [k for k in reply_keys() if k.startswith("alert_")]
    return max((fixed_reply(k, True, lang=lang, next_open="Wednesday at 10:30 AM") for k in keys), key=len)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("key", reply_keys())
def test_every_fixed_reply_fits(key: str, lang: str) -> None:
    text = fixed_reply(key, True, lang=lang, reason=LONGEST_REASON, alert=longest_alert(lang),
                       first_aid=fixed_reply("first_aid_bleeding", True, lang=lang),
                       next_open="Wednesday at 10:30 AM", first=LONGEST_TITLE, second=LONGEST_TITLE,
                       max_chars="1000")
    assert "{" not in text, f"unfilled placeholder in {key}"
    assert_fits(format_outgoing([{"text": text}])[0])


@pytest.mark.parametrize("alerted", [True, False])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_safety_replies_fit_and_the_911_line_leads_the_first_segment(alerted: bool, lang: str) -> None:
    emergency = format_outgoing([{"text": responses.emergency([LONGEST_REASON], True, alerted, lang)[0].text}])[0]
    assert_fits(emergency)
    assert emergency[0].startswith("Call 911 now" if lang == "en" else "Llame al 911 ahora")
    assert "911" in emergency[0][:MULTI_SEGMENT]
    for replies in (responses.same_day([LONGEST_REASON], True, alerted, lang=lang),
                    responses.same_day([LONGEST_REASON], True, alerted, lang=lang, distress=True),
                    responses.crisis(True, alerted, lang), responses.crisis(True, alerted, lang, unsafe_home=True),
                    responses.handoff(True, alerted=alerted)):
        assert_fits(format_outgoing([{"text": r.text} for r in replies])[0])


def test_medication_variants_fit_with_a_long_medicine_name() -> None:
    entry = next(e for e in ENTRIES if e.id == "biopsy_medication")
    for variant in entry.variants.values():
        text = variant.sms.replace("{medicine}", "rivaroxaban (Xarelto)")
        assert_fits(format_outgoing([render(Reply(text=text, sources=tuple(entry.source_names())))])[0])


def test_typography_and_emoji_are_folded_so_no_ucs2_fallback() -> None:
    [body] = split_message("It\u2019s \u201cfine\u201d \u2014 really\u2026 \U0001F600 ok")
    assert body == "It's \"fine\" - really... ok"
    assert is_gsm7(body)


def test_long_text_is_split_at_sentences_within_the_budget() -> None:
    text = " ".join(f"Sentence number {i} is here to make the text long." for i in range(30))
    parts = split_message(text)
    assert len(parts) > 1 and all(gsm7_length(p) <= MAX_MESSAGE for p in parts)
    assert " ".join(parts) == text


def test_buttons_become_one_numbered_menu() -> None:
    assert menu_text(["What DCIS is", "Treatment"]) == "Reply 1 for What DCIS is or 2 for Treatment."
    bodies, options = format_outgoing([{"text": "Answer.", "buttons": [{"title": "A", "payload": "/a"},
                                                                        {"title": "B", "payload": "/b"},
                                                                        {"title": "C", "payload": "/c"}]}])
    assert bodies == ["Answer.\nReply 1 for A, 2 for B or 3 for C."]
    assert [o["payload"] for o in options] == ["/a", "/b", "/c"]


# The formula is English. "birads_general" is a lead-in ("In general:") that is never sent alone, and
# the widget's button labels are two or three words, where a reading-grade formula means nothing.
LABELS = ("birads_general", "widget_nurse_button", "widget_restart_button", "widget_emergency_line")
GRADED_KEYS = [k for k in reply_keys() if not k.startswith("spanish_") and k not in LABELS]


@pytest.mark.parametrize("sms", [False, True], ids=["web", "sms"])
@pytest.mark.parametrize("key", GRADED_KEYS)
def test_every_fixed_reply_reads_at_grade_8_or_lower(key: str, sms: bool) -> None:
    from bot.kb.validate import MAX_GRADE, reading_grade

    text = fixed_reply(key, sms, reason="Bleeding that will not stop", alert="", first_aid="",
                       next_open="Monday at 8:00 AM", first="What DCIS is", second="Treatment choices for DCIS",
                       max_chars="1000")
    assert reading_grade(text) <= MAX_GRADE, text


@pytest.mark.parametrize("replies, level", [
    (lambda: responses.emergency([LONGEST_REASON], True, True), "emergency"),
    (lambda: responses.crisis(True, True), "crisis"),
    (lambda: responses.same_day([LONGEST_REASON], True, True), "same_day"),
    (lambda: [Reply(text="DCIS means ...", sources=("NCI",))], None),
])
def test_an_urgent_text_carries_its_urgency_but_only_its_words_are_texted(replies, level) -> None:
    """The outbox raises an undelivered 911, 988 or clinic-today text on the nurse queue: the level
    travels beside the words (Rasa's custom part), and the patient never receives it as text."""
    import asyncio

    from bot.channels.twilio import CollectingSmsOutput, urgency_of

    collector = CollectingSmsOutput()
    for reply in replies():
        message = render(reply)
        rasa_message = {"text": message["text"], "buttons": message.get("buttons")}
        if "json_message" in message:
            rasa_message["custom"] = message["json_message"]  # as Rasa stores an action's json_message
        asyncio.run(collector.send_response("conversation", rasa_message))
    bodies, _ = format_outgoing(collector.messages)
    assert urgency_of(collector.messages) == level
    assert bodies and not any("urgency" in body or "{" in body for body in bodies)
