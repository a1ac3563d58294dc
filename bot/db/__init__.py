"""Database access: one engine and one session factory per database URL."""

from bot.db.session import get_engine, session_scope

__all__ = ["get_engine", "session_scope"]
