"""The single way to reach the database (SQLite by default, PostgreSQL via DATABASE_URL).

Engines are cached per URL because both servers are long-running and a new
engine per request would throw away the connection pool.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator, Optional

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import get_settings
from bot.db.migrate import create_private_file, sqlite_path, upgrade


def get_engine(url: Optional[str] = None) -> Engine:
    """Return the cached engine for `url` (default: DATABASE_URL)."""
    return _engine(url or get_settings().database_url)


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    """Create an engine and bring the schema up to date on first use.

    Every process that opens the database runs the Alembic upgrade (under a
    lock, `bot/db/migrate.py`), so a fresh clone, a test's temporary file and a
    clinic's upgraded install all reach the same schema with no separate step.
    An SQLite file is created readable by its owner only.
    """
    path = sqlite_path(url)
    if path is not None:
        create_private_file(path)
    if url.startswith("sqlite:///"):
        # Two processes (Rasa and the action server) share the file; wait for locks.
        engine = create_engine(url, future=True, connect_args={"timeout": 15}, hide_parameters=True)
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)
    upgrade(engine)
    return engine


@lru_cache(maxsize=8)
def _factory(url: str) -> sessionmaker:
    return sessionmaker(bind=_engine(url), future=True, expire_on_commit=False)


@contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    """A transaction that commits on success and rolls back on any error."""
    session = _factory(url or get_settings().database_url)()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


@lru_cache(maxsize=4)
def tracker_engine(url: str) -> Engine:
    """An engine on Rasa's tracker store, which Rasa owns: never migrated or created from here."""
    if url.startswith("sqlite:///"):
        return create_engine(url, future=True, connect_args={"timeout": 15}, hide_parameters=True)
    return create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)
