"""The hazard log names a test for every control, and every named test exists."""

from __future__ import annotations

import re

from bot import PROJECT_ROOT

LOG = PROJECT_ROOT / "docs" / "safety" / "hazard-log.md"
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def _rows() -> list[list[str]]:
    rows = []
    for line in LOG.read_text().splitlines():
        if line.startswith("| H"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_every_hazard_has_controls_and_tests() -> None:
    rows = _rows()
    assert len(rows) >= 10
    for row in rows:
        hazard_id, controls, tests = row[0], row[5], row[6]
        assert controls, hazard_id
        assert TEST_REF.search(tests), f"{hazard_id} names no test"


def test_every_named_test_exists() -> None:
    missing = []
    for path, name in TEST_REF.findall(LOG.read_text()):
        source = (PROJECT_ROOT / path).read_text() if (PROJECT_ROOT / path).exists() else ""
        if not re.search(rf"^def {name}\(", source, re.M):
            missing.append(f"{path}::{name}")
    assert missing == []
