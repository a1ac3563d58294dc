"""The real-patient evaluation set (tests/nlu/real/): reading it and naming its message types.

Each message was written by a patient in public and is quoted verbatim with its
source URL; labels are the intent, or two intents, a breast nurse would answer
it with, chosen before any prediction was seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

import yaml

from bot import PROJECT_ROOT

REAL_DIR = PROJECT_ROOT / "tests" / "nlu" / "real"
HELDOUT_DIR = PROJECT_ROOT / "tests" / "nlu" / "heldout"
NON_TOPIC = ("safety_", "greet", "goodbye", "thanks", "affirm", "deny", "out_of_scope", "request_nurse")

_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)|\n+")


def sentence_count(text: str) -> int:
    return len([s for s in _SENTENCE_END.split(text.strip()) if len(s.split()) >= 2])


@dataclass(frozen=True)
class RealMessage:
    id: str
    text: str
    intents: Tuple[str, ...]
    source: str
    sms: bool

    @property
    def long(self) -> bool:
        """A story rather than a question: three sentences or more."""
        return sentence_count(self.text) >= 3

    @property
    def two_questions(self) -> bool:
        return len(self.intents) == 2

    @property
    def dev(self) -> bool:
        """Odd-numbered messages: the half whose misses may be reviewed when improving the data."""
        return int("".join(ch for ch in self.id if ch.isdigit()) or 0) % 2 == 1

    @property
    def topical(self) -> bool:
        """Answerable from the knowledge base (at least one label is a topic intent)."""
        return any(not i.startswith(NON_TOPIC) for i in self.intents)


def load_real(folder: Path = REAL_DIR) -> List[RealMessage]:
    messages: List[RealMessage] = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in data.get("messages") or []:
            messages.append(RealMessage(id=str(raw["id"]), text=str(raw["text"]).strip(),
                                        intents=tuple(raw["intents"]), source=str(raw["source"]),
                                        sms=bool(raw.get("sms", False))))
    return messages


def load_heldout(folder: Path = HELDOUT_DIR) -> List[Tuple[str, str]]:
    """(text, intent) pairs of the held-out file, written like the training data."""
    pairs: List[Tuple[str, str]] = []
    for path in sorted(folder.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    pairs.append((line.strip()[2:].strip(), block["intent"]))
    return pairs
