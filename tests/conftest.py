"""Shared fixtures: a real temporary SQLite database with the real knowledge base."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from bot import PROJECT_ROOT
from bot.config import get_settings
from bot.kb.loader import load_kb

KB_DIR = PROJECT_ROOT / "data" / "kb"


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the whole library at a fresh SQLite file for one test."""
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def loaded_kb(database_url: str) -> str:
    load_kb(KB_DIR, database_url)
    return database_url


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the real KB files, for tests that break them on purpose."""
    target = tmp_path / "kb"
    shutil.copytree(KB_DIR, target)
    return target
