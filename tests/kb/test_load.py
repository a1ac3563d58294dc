"""Loading is idempotent, records content hashes, and only approved text is served."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select

from bot.db import session_scope
from bot.db.models import KBEntryRow
from bot.kb.loader import load_kb
from bot.kb.lookup import KnowledgeBase


def _hashes(url: str) -> dict:
    with session_scope(url) as session:
        return {r.id: r.content_hash for r in session.execute(select(KBEntryRow)).scalars()}


def test_load_twice_changes_nothing_the_second_time(kb_copy: Path, database_url: str) -> None:
    first = load_kb(kb_copy, database_url)
    hashes = _hashes(database_url)
    second = load_kb(kb_copy, database_url)
    assert (first.added, first.unchanged) == (47, 0)
    assert (second.added, second.updated, second.unchanged, second.removed) == (0, 0, 47, 0)
    assert _hashes(database_url) == hashes
    assert all(len(h) == 64 for h in hashes.values())


def _edit(kb_copy: Path, entry_id: str, **changes) -> None:
    path = kb_copy / "entries" / "calcifications.yml"
    data = yaml.safe_load(path.read_text())
    for entry in data["entries"]:
        if entry["id"] == entry_id:
            for key, value in changes.items():
                if key == "status":
                    entry["review"]["status"] = value
                else:
                    entry[key] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_an_edit_updates_one_entry_and_its_hash(kb_copy: Path, database_url: str) -> None:
    load_kb(kb_copy, database_url)
    before = _hashes(database_url)
    _edit(kb_copy, "how_common", web="Calcium spots are common. Most are not cancer.")
    report = load_kb(kb_copy, database_url)
    after = _hashes(database_url)
    assert (report.updated, report.unchanged) == (1, 46)
    assert before["how_common"] != after["how_common"]
    assert KnowledgeBase(database_url).for_intent("ask_how_common").web.startswith("Calcium spots are common")


def test_draft_entries_are_never_served(kb_copy: Path, database_url: str) -> None:
    _edit(kb_copy, "how_common", status="draft")
    load_kb(kb_copy, database_url)
    kb = KnowledgeBase(database_url)
    assert kb.for_intent("ask_how_common") is None
    assert kb.for_intent("ask_causes") is not None
    assert "how_common" not in [e.id for e in kb.by_ids(["how_common", "causes"])]


def test_an_entry_removed_from_the_files_stops_being_served(kb_copy: Path, database_url: str) -> None:
    load_kb(kb_copy, database_url)
    path = kb_copy / "entries" / "calcifications.yml"
    data = yaml.safe_load(path.read_text())
    data["entries"] = [e for e in data["entries"] if e["id"] != "how_common"]
    for e in data["entries"]:
        e["follow_ups"] = [f for f in e["follow_ups"] if f != "how_common"] or ["causes"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    # other files may point at how_common too
    for other in (kb_copy / "entries").glob("*.yml"):
        d = yaml.safe_load(other.read_text())
        for e in d["entries"]:
            e["follow_ups"] = [f for f in e["follow_ups"] if f != "how_common"] or ["causes"]
        other.write_text(yaml.safe_dump(d, sort_keys=False))
    report = load_kb(kb_copy, database_url)
    assert report.removed == 1
    assert KnowledgeBase(database_url).for_intent("ask_how_common") is None
