"""Remove from a new blind round the messages that repeat an earlier round or a training text.

Run it on a new round before measuring it (docs/operations.md): `.venv/bin/python -m
tests.tools.dedupe_round tests/safety/blind_roundN.yml`. A message repeats when, with words
compared without punctuation, it is a copy of 10 or more words, or half or more of its 8-word runs
appear elsewhere. `tests/safety/test_detector.py` counts repeats with the same functions, so a
cleaned round passes the guard that keeps acceptance rounds out of training.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Iterable, List, Set

import yaml

from bot import PROJECT_ROOT


def normalised(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def runs(text: str, size: int = 8) -> Set[str]:
    words = normalised(text).split()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def repeats(candidates: Iterable[str], others: Iterable[str]) -> List[str]:
    """The candidates that copy one of `others`, whole (10+ words) or in half their 8-word runs."""
    others = list(others)
    whole = {normalised(t) for t in others}
    seen = set().union(*(runs(t) for t in others)) if others else set()
    found = []
    for text in candidates:
        own = runs(text)
        if (len(text.split()) >= 10 and normalised(text) in whole) or (own and len(own & seen) >= len(own) / 2):
            found.append(text)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("round", type=Path)
    args = parser.parse_args()
    from bot.safety.detector import load_examples

    source = args.round.read_text(encoding="utf-8")
    messages = yaml.safe_load(source)["messages"]
    others = [str(m["text"]) for path in sorted((PROJECT_ROOT / "tests" / "safety").glob("blind_*.yml"))
              if path.resolve() != args.round.resolve() for m in yaml.safe_load(path.read_text())["messages"]]
    others += [text for text, _ in load_examples()]
    repeated = set(repeats([str(m["text"]) for m in messages], others))
    drop = [m["id"] for m in messages if str(m["text"]) in repeated]
    kept, skipping = [], False
    for line in source.split("\n"):  # line by line, so the file keeps its comments and layout
        start = re.match(r"  - id: (\S+)$", line)
        if start:
            skipping = start.group(1) in drop
        elif not line.startswith(("    ", "  - ")):
            skipping = False
        if not skipping:
            kept.append(line)
    text = "\n".join(kept)
    if drop:
        note = (f"# {len(drop)} messages that repeat an earlier round or a training text were removed "
                f"before it was measured: {', '.join(drop)}.\n")
        text = text.replace("messages:\n", note + "messages:\n", 1)
    args.round.write_text(text, encoding="utf-8")
    print(f"Removed {len(drop)} of {len(messages)} messages: {', '.join(drop) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
