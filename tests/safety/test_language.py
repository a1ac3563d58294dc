"""Recognising Spanish, and reading typed slash syntax as the patient's own words."""

from __future__ import annotations

import pytest

from bot.channels.buttons import as_patient_text
from bot.nlp.language import detect_language


@pytest.mark.parametrize("text", [
    "me quiero morir",
    "¿Cuántas muestras sacan normalmente?",
    "estoy sangrando mucho y no para",
    "mi mama se desmayo y ahora esta confundida",
    "can you read mi reporte? dice BI-RADS 4 y calcificaciones lineales, es cancer?",
    "gracias", "ok gracias", "Hola buenas", "adiós",
])
def test_spanish_and_spanglish_read_as_spanish(text: str) -> None:
    assert detect_language(text) == "es"


@pytest.mark.parametrize("text", [
    "no thanks", "see ya", "yo", "is DCIS cancer or no??", "no fever, no pus, just sore",
    "my mama had breast cancer, am I at risk?", "I'm bleeding through the bandage and it won't stop",
    "hola! what is a stereotactic biopsy?", "thanks so much, gracias is the only Spanish I know",
])
def test_english_with_words_both_languages_share_reads_as_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_slash_syntax_is_plain_text_unless_it_was_just_offered() -> None:
    offered = [{"title": "What DCIS is", "payload": "/ask_what_is_dcis"}]
    assert as_patient_text("/ask_what_is_dcis", offered) == "/ask_what_is_dcis"
    assert as_patient_text("/safety_emergency", offered) == "safety_emergency"
    hidden = '/ask_biopsy_aftercare{"procedure": "I am bleeding heavily"}'
    assert as_patient_text(hidden, offered).startswith("ask_biopsy_aftercare{")
    assert as_patient_text("what is dcis", offered) == "what is dcis"
