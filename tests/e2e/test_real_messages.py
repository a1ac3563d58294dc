"""Messages written the way patients write, sent to the running assistant (issue 7).

These are written by the project, in the style of the real-patient set, never copied
from it (tests/nlu/real/ is measured by `make eval-real`, not tested message by message).
"""

from __future__ import annotations

import uuid

import pytest

from bot.kb.lookup import KnowledgeBase

pytestmark = pytest.mark.e2e

STORY = (
    "So I am 52 and had my yearly mammogram on the 3rd. Two days later they called and said I needed to come "
    "back for more pictures because of some calcifications. I went back on Tuesday, they did magnified views, "
    "and the radiologist said the spots are in a small cluster. My mom had breast cancer so I have been a "
    "wreck all weekend. The biopsy is booked for next Thursday. How long does it usually take to get the "
    "results back after this kind of biopsy?")
TWO_QUESTIONS = "how long do biopsy results usually take, and will my insurance cover the biopsy?"
STORY_WITH_DIAGNOSIS_WORDS = (
    "I had my mammogram last month and they called me back for more pictures. The letter says there are "
    "calcifications and I keep asking myself, is it cancer or not? Nobody has explained anything. "
    "What is a stereotactic biopsy and how is it done?")


def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def texts(messages: list[dict]) -> list[str]:
    return [m.get("text", "") for m in messages]


def test_a_long_story_gets_the_answer_to_its_question(chat) -> None:
    kb = KnowledgeBase(chat.database_url)
    replies = texts(chat.send(sender(), STORY))
    assert any(t.startswith(kb.for_intent("ask_results_timing").web) for t in replies), replies


def test_two_questions_in_one_message_get_both_answers_each_with_its_source(chat) -> None:
    kb = KnowledgeBase(chat.database_url)
    messages = chat.send(sender(), TWO_QUESTIONS)
    replies = texts(messages)
    timing, cost = kb.for_intent("ask_results_timing"), kb.for_intent("ask_insurance_cost")
    first = next(i for i, t in enumerate(replies) if t.startswith(timing.web))
    second = next(i for i, t in enumerate(replies) if t.startswith(cost.web))
    assert first < second, "answered in the order asked"
    assert "\nSource: " in replies[first] and "\nSource: " in replies[second]
    assert messages[-1].get("buttons"), "one set of follow-up buttons, on the last reply"
    assert not any(m.get("buttons") for m in messages[:-1])


def test_is_it_cancer_inside_a_general_question_keeps_the_answer_and_says_no_diagnosis(chat) -> None:
    kb = KnowledgeBase(chat.database_url)
    replies = texts(chat.send(sender(), STORY_WITH_DIAGNOSIS_WORDS))
    answers = [t for t in replies if "\nSource: " in t]
    aside = next(i for i, t in enumerate(replies) if t.startswith("I can't tell what your own results mean"))
    assert aside < replies.index(answers[0]), "the no-diagnosis line comes before the answer"
    # Only the general question is answered: nothing about her chances or her own result.
    about_the_biopsy = {kb.for_intent(i).web for i in ("ask_what_is_stereotactic_biopsy", "ask_biopsy_procedure")}
    served = [a.split("\nSource: ")[0] for a in answers]
    assert served and set(served) <= about_the_biopsy, served


def test_a_bare_diagnosis_request_still_gets_no_answer_content(chat) -> None:
    kb = KnowledgeBase(chat.database_url)
    replies = texts(chat.send(sender(), "my report says calcifications, is it cancer or not?"))
    assert any(t.startswith("I can't tell what your results mean for you") for t in replies), replies
    entries = {kb.for_intent(i).web for i in ("ask_cancer_risk", "ask_what_are_calcifications", "ask_results_meaning")}
    assert not any(t.split("\nSource: ")[0] in entries for t in replies), replies
    assert not any(t.startswith("I can't tell what your own results mean") for t in replies)


def test_a_medicine_named_in_two_questions_gets_its_guidance_once(chat) -> None:
    kb = KnowledgeBase(chat.database_url)
    replies = texts(chat.send(sender(), "how do i get ready for my biopsy, and should i stop my aspirin before it?"))
    guidance = kb.for_intent("ask_biopsy_medication").variants["aspirin"].web.replace("{medicine}", "aspirin")
    assert sum(t.startswith(guidance) for t in replies) == 1, replies
    assert len(replies) == len(set(replies)), "no reply is sent twice"
