"""How often two blind labellers agree on the real set: the ceiling the 90% goal sits under.

The real set's labels say which entry a nurse would answer with. A second helper labelled the
same messages blind (tests/nlu/agreement/second_labeller.yml); where the two disagree, no
classifier can be "right" by both, so their agreement bounds what the goal can mean.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot import PROJECT_ROOT
from tests.tools.realset import RealMessage, load_real

SECOND = PROJECT_ROOT / "tests" / "nlu" / "agreement" / "second_labeller.yml"


def load_second(path: Path = SECOND) -> Dict[str, Tuple[str, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(row["id"]): tuple(row["intents"]) for row in data["labels"]}


def agreement(real: List[RealMessage], second: Dict[str, Tuple[str, ...]]) -> Dict[str, float]:
    """Over topical messages: the second labeller's first choice is one of the first labels, and so on."""
    topical = [m for m in real if m.topical]
    n = len(topical)
    return {
        "messages": float(n),
        "first choice among first labels": sum(second[m.id][0] in m.intents for m in topical) / n,
        "same first label": sum(second[m.id][0] == m.intents[0] for m in topical) / n,
        "any label shared": sum(bool(set(second[m.id]) & set(m.intents)) for m in topical) / n,
    }


def main() -> int:
    figures = agreement(load_real(), load_second())
    for name, value in figures.items():
        print(f"{name:32} {value:.3f}" if name != "messages" else f"{name:32} {int(value)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
