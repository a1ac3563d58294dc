"""Reading the knowledge base from `data/kb/` and loading it into the database.

The YAML files are what clinicians review (in git); the database is what the
action server serves from. Loading is idempotent and records a content hash so
a transcript can always be traced back to the exact approved text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

import yaml
from sqlalchemy import select

from bot import PROJECT_ROOT
from bot.db import session_scope
from bot.db.models import KBEntryRow
from bot.kb.schema import Entry, entry_from_dict
from bot.kb.validate import KBProblem, unconfirmed_facts, validate_entries

ENTRIES_SUBDIR = "entries"
POLICY_FILE = "policy.yml"
FACTS_FILE = "facts.yml"


class KBInvalid(Exception):
    """Raised when the KB files break a content rule; carries every problem."""

    def __init__(self, problems: List[KBProblem]):
        super().__init__(f"{len(problems)} knowledge-base problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class LoadReport:
    added: int
    updated: int
    unchanged: int
    removed: int

    def __str__(self) -> str:
        return (f"{self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.removed} removed")


def read_raw_entries(kb_dir: Path) -> List[Tuple[str, Dict[str, Any]]]:
    """All entries as (file name, mapping) pairs, in a stable order."""
    pairs: List[Tuple[str, Dict[str, Any]]] = []
    for path in sorted((kb_dir / ENTRIES_SUBDIR).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in data.get("entries") or []:
            pairs.append((path.name, raw if isinstance(raw, dict) else {}))
    return pairs


def read_forbidden_phrases(kb_dir: Path) -> List[str]:
    policy = kb_dir / POLICY_FILE
    if not policy.exists():
        return []
    data = yaml.safe_load(policy.read_text(encoding="utf-8")) or {}
    return [str(p) for p in data.get("forbidden_phrases") or []]


@dataclass(frozen=True)
class FactSheet:
    """The fact ids an entry may cite, and which of them still need a clinician's check."""

    status: Dict[str, str]
    unconfirmed: Set[str]


def read_fact_sheet(kb_dir: Path) -> Optional[FactSheet]:
    path = kb_dir / FACTS_FILE
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    status = {str(k): str(v) for k, v in (data.get("facts") or {}).items()}
    return FactSheet(status, unconfirmed_facts(status, [str(f) for f in data.get("also_unconfirmed") or []]))


def domain_intents(domain_path: Path = PROJECT_ROOT / "domain.yml") -> Set[str]:
    data = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
    return {next(iter(i)) if isinstance(i, dict) else str(i) for i in data.get("intents") or []}


def medicine_classes() -> Set[str]:
    from bot.nlp.medications import load_lexicon

    return set(load_lexicon().classes())


def check_kb(kb_dir: Path, known_intents: Optional[Set[str]] = None) -> List[Entry]:
    """Validate the KB files and return the parsed entries, or raise KBInvalid."""
    raw = read_raw_entries(kb_dir)
    if not raw:
        raise KBInvalid([KBProblem(str(kb_dir), "-", "entries", "no entries found")])
    sheet = read_fact_sheet(kb_dir)
    problems = validate_entries(
        raw,
        known_intents if known_intents is not None else domain_intents(),
        read_forbidden_phrases(kb_dir),
        medicine_classes(),
        set(sheet.status) if sheet else None,
    )
    if problems:
        raise KBInvalid(problems)
    return [entry_from_dict(r, f) for f, r in raw]


def load_kb(kb_dir: Path, database_url: Optional[str] = None) -> LoadReport:
    """Validate, then upsert every entry; entries deleted from the files are removed.

    Removing retired entries matters for safety: text a clinician withdrew
    must stop being served at the next load.
    """
    entries = check_kb(kb_dir)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    added = updated = unchanged = 0
    with session_scope(database_url) as session:
        existing = {row.id: row for row in session.execute(select(KBEntryRow)).scalars()}
        for entry in entries:
            digest = entry.content_hash()
            row = existing.pop(entry.id, None)
            if row is not None and row.content_hash == digest:
                unchanged += 1
                continue
            if row is None:
                row = KBEntryRow(id=entry.id)
                session.add(row)
                added += 1
            else:
                updated += 1
            _fill_row(row, entry, digest, now)
        for stale in existing.values():
            session.delete(stale)
    return LoadReport(added, updated, unchanged, len(existing))


def _fill_row(row: KBEntryRow, entry: Entry, digest: str, now: datetime) -> None:
    row.intent = entry.intent
    row.title = entry.title
    row.web_answer = entry.web
    row.sms_answer = entry.sms
    row.follow_ups = list(entry.follow_ups)
    row.facts = list(entry.facts)
    row.sources = {
        "seeds": list(entry.seeds),
        "references": [{"name": r.name, "title": r.title, "url": r.url} for r in entry.references],
    }
    row.variants = {k: {"web": v.web, "sms": v.sms} for k, v in entry.variants.items()}
    row.review_status = entry.review_status
    row.reviewer = entry.reviewer
    row.review_date = entry.review_date
    row.content_hash = digest
    row.loaded_at = now
