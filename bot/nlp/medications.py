"""The medication lexicon: one file feeds both the entity ruler and the answer.

Keeping the spellings and the guidance class in `data/spacy/medications.yml`
means a nurse can add a brand name in one place and both the recogniser and
the class-specific answer pick it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import yaml

from bot import PROJECT_ROOT

LEXICON_PATH = PROJECT_ROOT / "data" / "spacy" / "medications.yml"


@dataclass(frozen=True)
class Medicine:
    name: str  # shown back to the patient
    guidance_class: str


class MedicationLexicon:
    def __init__(self, classes: Dict[str, Dict[str, List[str]]]):
        self._by_spelling: Dict[str, Medicine] = {}
        self._patterns: Dict[str, Medicine] = {}
        self._classes = list(classes)
        for cls, names in classes.items():
            for name, spellings in names.items():
                medicine = Medicine(name=name, guidance_class=cls)
                for spelling in [name, *(spellings or [])]:
                    self._by_spelling[_key(spelling)] = medicine
                    self._patterns[spelling.lower()] = medicine
                    self._patterns[_key(spelling)] = medicine

    def classes(self) -> List[str]:
        return list(self._classes)

    def spellings(self) -> Iterator[Tuple[str, Medicine]]:
        """Every lower-cased spelling to match in text (with and without hyphens)."""
        yield from self._patterns.items()

    def lookup(self, text: str) -> Optional[Medicine]:
        return self._by_spelling.get(_key(text))


def _key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_PATH) -> MedicationLexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return MedicationLexicon(data.get("classes") or {})
