"""Print the per-intent report of `rasa test nlu` and enforce the accuracy floor."""

from __future__ import annotations

import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--min-accuracy", type=float, default=0.90)
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as fh:
        report = json.load(fh)
    accuracy = float(report["accuracy"])
    print(f"{'intent':38} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>4}")
    for name, row in sorted(report.items()):
        if not isinstance(row, dict) or "support" not in row or name.endswith("avg"):
            continue
        print(f"{name:38} {row['precision']:9.2f} {row['recall']:7.2f} {row['f1-score']:6.2f} {row['support']:4d}")
    print(f"\nheld-out intent accuracy: {accuracy:.3f} (floor {args.min_accuracy:.2f})")
    if accuracy < args.min_accuracy:
        print("FAILED: held-out intent accuracy is below the floor", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
