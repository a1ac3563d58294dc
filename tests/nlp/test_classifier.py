"""How the classifier finds the questions inside a message."""

from __future__ import annotations

import pytest

from bot.nlp.classifier import question_segments


@pytest.mark.parametrize("text, expected", [
    ("how long do the results take, and will my insurance cover it",
     ["how long do the results take", "will my insurance cover it"]),
    ("I had my mammogram on the 3rd. They called me back. What happens at a biopsy?",
     ["What happens at a biopsy?"]),
    ("is it cancer? and what is a stereotactic biopsy?", ["is it cancer?", "what is a stereotactic biopsy?"]),
    ("wat r calcs r they bad", ["wat r calcs r they bad"]),
    ("I am so scared. My mom had it.", []),
])
def test_question_segments(text: str, expected: list[str]) -> None:
    assert question_segments(text) == expected
