"""`rasa data validate`, failing on any warning, not only on errors.

Rasa prints some problems (unused intents, story conflicts, Python warnings)
as warnings and still exits 0; our bar is no warnings at all.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

WARNING = re.compile(r"\b(WARNING|UserWarning|FutureWarning)\b")


def main() -> int:
    rasa = str(Path(sys.executable).parent / "rasa")
    command = [rasa, "data", "validate", "--data", "data/nlu", "data/rules", "data/stories", "--fail-on-warnings"]
    proc = subprocess.run(command, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    warnings = [line for line in output.splitlines() if WARNING.search(line)]
    print(output)
    if proc.returncode != 0 or warnings:
        print(f"rasa data validate: exit {proc.returncode}, {len(warnings)} warning line(s)", file=sys.stderr)
        for line in warnings:
            print("  " + line, file=sys.stderr)
        return 1
    print("rasa data validate: no errors, no warnings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
