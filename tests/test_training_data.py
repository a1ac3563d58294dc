"""Data hygiene: the held-out file must stay unseen, and every topic has enough examples."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from bot import PROJECT_ROOT
from bot.kb.loader import domain_intents


def _examples(folder: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            lines = [ln[2:].strip() for ln in block["examples"].splitlines() if ln.strip().startswith("- ")]
            found.setdefault(block["intent"], []).extend(lines)
    return found


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


TRAIN = _examples(PROJECT_ROOT / "data" / "nlu")
HELD_OUT = _examples(PROJECT_ROOT / "tests" / "nlu" / "heldout")


def test_no_held_out_example_is_in_the_training_data() -> None:
    train = {_norm(t) for texts in TRAIN.values() for t in texts}
    leaked = [t for texts in HELD_OUT.values() for t in texts if _norm(t) in train]
    assert leaked == []


def test_every_intent_has_enough_training_and_held_out_examples() -> None:
    intents = domain_intents()
    assert set(TRAIN) == intents
    assert set(HELD_OUT) == intents
    assert min(len(TRAIN[i]) for i in intents) >= 20
    assert min(len(HELD_OUT[i]) for i in intents) >= 5


def test_examples_are_not_one_template() -> None:
    """Most examples of an intent should not share their first three words."""
    for intent, texts in TRAIN.items():
        starts = Counter(" ".join(_norm(t).split()[:3]) for t in texts)
        assert starts.most_common(1)[0][1] <= len(texts) // 4, intent
