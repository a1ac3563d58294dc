"""A throwaway PostgreSQL server for the tests that must run against the real thing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bot.stack.postgres import as_postgres as _as_postgres
from bot.stack.postgres import server_binary as _bin


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a private cluster on a free loopback port; yield a SQLAlchemy URL; remove it after."""
    root = Path(tempfile.mkdtemp(prefix="pgtest-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(_as_postgres([_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
                   check=True, capture_output=True)
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                                 str(root / "log"), "start"]), check=True, capture_output=True)
    try:
        subprocess.run(_as_postgres([_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                     "assistant"]), check=True, capture_output=True)
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/assistant"
    finally:
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
