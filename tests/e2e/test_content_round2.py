"""The clinical second round (issue 9), checked as a patient meets it: through the running server.

Each test sends a question a patient would type and checks what she would notice in the reply:
a figure that is about her category, a warning sign with a number to call, a wrong claim gone.
"""

from __future__ import annotations

import re
import uuid
from typing import Dict, List

import pytest
from sqlalchemy import create_engine, select

from bot.db.models import AnswerAudit
from tests.e2e.test_sms import new_phone
from tests.e2e.test_sms import text as sms_text

pytestmark = pytest.mark.e2e

NURSE_LINE = "1-555-010-0199"  # the e2e servers' NURSE_LINE_PHONE
PHONE = re.compile(r"\b1-\d{3}-\d{3}-\d{4}\b")


def sender() -> str:
    return f"c2-{uuid.uuid4().hex[:12]}"


def reply_text(messages: List[Dict]) -> str:
    return " ".join(m.get("text", "") for m in messages)


def ask(chat, question: str) -> str:
    return reply_text(chat.send(sender(), question))


def ask_sms(chat, question: str) -> str:
    return " ".join(sms_text(chat, new_phone(), question))


def served_entries(chat, who: str) -> List[str]:
    """The knowledge-base entries the assistant served this conversation (the answer audit)."""
    engine = create_engine(chat.database_url)
    try:
        with engine.connect() as db:
            return list(db.execute(select(AnswerAudit.entry_id).where(AnswerAudit.conversation_id == who)).scalars())
    finally:
        engine.dispose()


# --- Over-reassurance -----------------------------------------------------------------------------

@pytest.mark.parametrize("question, figures", [
    ("what does birads 4c mean", ("more than 50", "95 in 100")),
    ("what does a bi-rads 5 mean", ("95 or more",)),
    ("what does birads 4a mean", ("2 to 10",)),
])
def test_a_named_suspicious_category_gets_its_own_figures(chat, question: str, figures) -> None:
    text = ask(chat, question)
    for figure in figures:
        assert figure in text, text
    assert "most biopsies" not in text.lower(), "overall biopsy figures read as comfort for a 4C or 5"


def test_the_suspicious_findings_sms_gives_figures_by_category_not_comfort(chat) -> None:
    text = ask_sms(chat, "what happens next with a birads 4 or 5 result")
    assert "most biopsies" not in text.lower(), text
    assert "50-95 for 4C" in text and "95+ for 5" in text, text


def test_the_dcis_sms_says_it_is_not_zero_risk(chat) -> None:
    text = ask_sms(chat, "what is dcis")
    assert "not zero risk" in text, text


# --- Wrong or unsupported claims ------------------------------------------------------------------

def test_a_multivitamin_is_not_called_a_blood_thinner(chat) -> None:
    text = ask(chat, "i take a multivitamin every day, do i need to stop it before my biopsy")
    assert "thin the blood" not in text, text
    assert "Some multivitamins have vitamin E in them" in text, text


def test_herbal_pills_may_affect_bleeding_rather_than_do(chat) -> None:
    text = ask(chat, "i take ginkgo, should i stop it before the biopsy")
    assert "may affect bleeding" in text, text
    assert "can thin the blood" not in text, text


def test_excedrin_is_not_talked_about_as_a_heart_medicine(chat) -> None:
    text = ask(chat, "i take excedrin for headaches, is that ok before my biopsy")
    assert "Excedrin has aspirin in it" in text, text
    assert "stent" not in text and "heart" not in text, text


def test_dcis_treatment_names_hormone_blocking_pills_and_invasive_recurrence(chat) -> None:
    text = ask(chat, "how is dcis treated")
    assert "hormone-blocking pills such as tamoxifen" in text, text
    assert "invasive cancer" in text, text
    assert "hormone therapy" not in text, text


def test_the_numbing_is_explained_as_pain_relief_not_staying_awake(chat) -> None:
    text = ask(chat, "what is a stereotactic biopsy")
    assert "numbed first, so you stay awake" not in text, text
    assert "numbs the breast so the sampling does not hurt much" in text, text
    assert "no sleep medicine is needed" not in text, "some centers do give a sedative (F28)"


def test_a_papilloma_is_described_as_a_growth_in_a_duct(chat) -> None:
    text = ask(chat, "my biopsy showed a high risk lesion, atypia, what does that mean")
    assert "small growth inside a milk duct" in text, text


def test_the_screening_schedule_is_for_average_risk(chat) -> None:
    text = ask(chat, "how often should women get a mammogram")
    assert "average risk" in text, text


# --- Safety advice where patients need it ---------------------------------------------------------

def test_aftercare_gives_pressure_time_fever_threshold_911_and_a_number(chat) -> None:
    text = ask(chat, "how do i take care of the biopsy site afterwards")
    assert "10 to 15 minutes" in text and "100.4 F (38 C)" in text and "Call 911" in text, text
    assert PHONE.search(text), "a number to call today"


def test_the_pain_answer_says_when_to_call(chat) -> None:
    text = ask(chat, "does a stereotactic biopsy hurt")
    assert "gets worse after the first 1 to 2 days" in text and PHONE.search(text), text


def test_preparation_asks_about_pregnancy_implants_allergies_and_bleeding(chat) -> None:
    text = ask(chat, "how do i get ready for my breast biopsy")
    for word in ("pregnant", "breastfeeding", "implants", "bleeding problem", "allergic"):
        assert word in text, (word, text)


def test_the_emergency_reply_says_keep_pressing_and_do_not_drive(chat) -> None:
    text = ask(chat, "i'm bleeding through the bandage and it won't stop")
    assert text.startswith("Call 911 now"), text
    assert "Do not drive yourself" in text and "Keep pressing firmly" in text, text
    assert "If you recently had a breast biopsy, tell them" in text, text


def test_the_emergency_reply_for_chest_pain_does_not_talk_about_pressing(chat) -> None:
    text = ask(chat, "i have crushing chest pain right now")
    assert text.startswith("Call 911 now") and "Keep pressing" not in text, text


def test_the_crisis_reply_offers_text_and_chat_then_the_support_lines(chat) -> None:
    who = sender()
    messages = chat.send(who, "i don't want to live anymore")
    text = reply_text(messages)
    assert "988lifeline.org" in text and "HOME to 741741" in text, text
    payloads = [b["payload"] for m in messages for b in m.get("buttons") or []]
    assert "/ask_support_resources" in payloads, messages
    resources = reply_text(chat.send(who, "/ask_support_resources"))
    assert "1-800-799-7233" in resources and "1-800-422-6237" in resources, resources


def test_the_fear_answer_gives_the_nurse_line_number(chat) -> None:
    text = ask(chat, "i am so scared about what the biopsy will show")
    assert NURSE_LINE in text, text
    assert "clinic's nurse line" not in text, text


# --- New entries ----------------------------------------------------------------------------------

@pytest.mark.parametrize("question, entry_id", [
    ("what signs after my biopsy mean i should call someone", "when_to_call"),
    ("my biopsy came back benign, what follow up do i need now", "benign_followup"),
    ("they said birads 3 and come back in 6 months, can i ask for a biopsy now instead of waiting",
     "biopsy_instead_of_wait"),
    ("my breast has been sore and achy for a few weeks, is breast pain a sign of cancer", "breast_pain"),
    ("i'm breastfeeding and i have implants, can i still have the stereotactic biopsy", "before_biopsy_conditions"),
    ("my biopsy results showed up in mychart before anyone called me, what should i do", "portal_results"),
    ("what is an mri guided breast biopsy", "other_guided_biopsy"),
    ("they just told me the biopsy shows invasive ductal carcinoma, what happens now", "invasive_next_steps"),
    ("my mom and sister had breast cancer, when should i start mammograms", "screening_family_history"),
    ("is there a hotline number i can text for support", "support_resources"),
])
def test_each_new_entry_answers_its_question(chat, question: str, entry_id: str) -> None:
    from bot.kb.lookup import KnowledgeBase

    who = sender()
    messages = chat.send(who, question)
    assert entry_id in served_entries(chat, who), (question, [m.get("text") for m in messages])
    entry = KnowledgeBase(chat.database_url).by_ids([entry_id])[0]
    first_sentence = entry.web.split(". ")[0]
    assert first_sentence in reply_text(messages), "the patient sees the entry's own words"


def test_when_to_call_fills_the_number_that_answers_now(chat) -> None:
    text = ask(chat, "what signs after my biopsy mean i should call someone")
    assert "{today_phone}" not in text and PHONE.search(text), text
    assert "100.4" in text and "911" in text, text
