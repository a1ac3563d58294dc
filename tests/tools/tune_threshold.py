"""Choose the confidence floor from held-out predictions (`rasa test nlu --successes --errors`).

Below the floor the assistant answers nothing and offers topics plus the nurse
line instead. A higher floor means fewer wrong answers but more "did you mean"
replies; this prints the trade-off so the choice in config.yml is explicit.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml


def configured_threshold(config: Path) -> float:
    pipeline = yaml.safe_load(config.read_text())["pipeline"]
    return float(next(c for c in pipeline if c["name"] == "FallbackClassifier")["threshold"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path, help="folder written by rasa test nlu")
    parser.add_argument("--config", type=Path, default=Path("config.yml"))
    args = parser.parse_args()
    rows = []
    for name, correct in (("intent_successes.json", True), ("intent_errors.json", False)):
        path = args.results / name
        if path.exists():
            rows += [(float(r["intent_prediction"]["confidence"]), correct) for r in json.loads(path.read_text())]
    total = len(rows)
    current = configured_threshold(args.config)
    print(f"{'floor':>6} {'answered':>9} {'right when answered':>20} {'wrong answers':>14}")
    for floor in [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]:
        served = [ok for conf, ok in rows if conf >= floor]
        right = sum(served)
        mark = "  <- config.yml" if abs(floor - current) < 1e-9 else ""
        print(f"{floor:6.2f} {len(served) / total:9.1%} {right / max(len(served), 1):20.1%} "
              f"{len(served) - right:14d}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
