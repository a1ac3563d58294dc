"""Bring a database to the newest schema with Alembic, safely from several processes.

The Rasa server, the action server, the staff app and the CLI may all open a
fresh database at once, so the upgrade runs under a lock: a file lock beside
an SQLite file, an advisory lock on PostgreSQL. A database made before
migrations existed (by the old `create_all`) is recognised and stamped at the
first revision, then upgraded like any other.
"""

from __future__ import annotations

import fcntl
import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"
# Alembic narrates every plugin and step at INFO; the servers log at INFO. Keep its warnings only.
logging.getLogger("alembic").setLevel(logging.WARNING)
#: Any PostgreSQL advisory-lock key works if every process uses the same one.
_PG_LOCK_KEY = 7_031_962_404
#: A table the first revision created: its presence without alembic_version means a pre-migration database.
_LEGACY_MARKER = "kb_entries"


def alembic_config() -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> Optional[str]:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def sqlite_path(url: str) -> Optional[Path]:
    """The file behind an sqlite:/// URL (None for memory or other databases)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database)
    return None


def create_private_file(path: Path) -> None:
    """Create an SQLite file readable by its owner only, before SQLite creates it world-readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    path = sqlite_path(str(engine.url))
    if path is not None:
        with open(f"{path}.migrate.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with engine.connect() as conn:
                    yield conn
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()
        try:
            yield conn
        finally:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()


def upgrade(engine: Engine) -> None:
    """Upgrade to head; a no-op (one version query) when the schema is already current."""
    head = head_revision()
    if current_revision(engine) == head:
        return
    config = alembic_config()
    with _locked(engine) as conn:
        config.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if _LEGACY_MARKER in tables and "alembic_version" not in tables:
            command.stamp(config, "0001")
        command.upgrade(config, "head")
        conn.commit()
