"""Data hygiene: the held-out file must stay unseen, and every topic has enough examples."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from bot import PROJECT_ROOT
from bot.kb.loader import domain_intents


def _examples(folder: Path) -> dict[str, list[str]]:
    """Examples per intent, in either of Rasa's forms: a text block, or a list with metadata."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            if "intent" not in block:
                continue
            if isinstance(block["examples"], str):
                lines = [ln[2:].strip() for ln in block["examples"].splitlines() if ln.strip().startswith("- ")]
            else:
                lines = [str(item["text"]).strip() for item in block["examples"]]
            found.setdefault(block["intent"], []).extend(lines)
    return found


def _sourced(folder: Path) -> list[dict]:
    """Examples taken from real public posts: the list form, each with its source URL."""
    items: list[dict] = []
    for path in sorted(folder.rglob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            if "intent" in block and not isinstance(block["examples"], str):
                items.extend({"intent": block["intent"], **item} for item in block["examples"])
    return items


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


TRAIN = _examples(PROJECT_ROOT / "data" / "nlu")
HELD_OUT = _examples(PROJECT_ROOT / "tests" / "nlu" / "heldout")


def test_no_held_out_example_is_in_the_training_data() -> None:
    train = {_norm(t) for texts in TRAIN.values() for t in texts}
    leaked = [t for texts in HELD_OUT.values() for t in texts if _norm(t) in train]
    assert leaked == []


def test_no_real_patient_message_is_in_the_training_data() -> None:
    """The real-patient set measures generalisation; training on it would flatter the model."""
    from tests.tools.realset import load_real

    real = load_real()
    assert len(real) >= 100
    train = {_norm(t) for texts in TRAIN.values() for t in texts}
    leaked = [m.id for m in real if _norm(m.text) in train]
    assert leaked == []
    # Nor may a training example be a sentence lifted from a real-set message.
    real_text = " ".join(_norm(m.text) for m in real)
    lifted = [t for texts in TRAIN.values() for t in texts if len(_norm(t).split()) >= 8 and _norm(t) in real_text]
    assert lifted == []


def test_examples_from_real_posts_name_their_source_and_never_a_real_set_post() -> None:
    from tests.tools.realset import load_real

    real_pages = {m.source for m in load_real()}
    sourced = _sourced(PROJECT_ROOT / "data" / "nlu")
    # The stored public pages held about 210 patient posts; 166 became the real set (docs/nlu.md).
    assert len(sourced) >= 150
    for item in sourced:
        source = (item.get("metadata") or {}).get("source", "")
        assert source.startswith("http"), item["text"]
        assert source not in real_pages, (item["text"], source)


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


def test_the_second_labelling_covers_the_real_set_with_known_intents() -> None:
    """The agreement figure in docs/nlu.md is only true while both labellings cover the same messages."""
    from tests.tools.agreement import load_second
    from tests.tools.realset import load_real

    second = load_second()
    assert sorted(second) == sorted(m.id for m in load_real())
    unknown = {i for intents in second.values() for i in intents} - set(domain_intents())
    assert not unknown, unknown
