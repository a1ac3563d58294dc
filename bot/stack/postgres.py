"""A PostgreSQL cluster the project owns: for `make stack`, the load benchmark and the tests.

Debian's server binaries, run in the foreground as child processes so the caller can stop,
kill or restart them (the fault tests restart PostgreSQL under load). PostgreSQL refuses to
run as root, so on this kind of machine it runs as the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import List, Optional

import psycopg2

from bot.servers import stop_process


def server_binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (Debian: apt-get install postgresql)")
    return found[-1]


def as_postgres(cmd: List[str]) -> List[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _owned_by_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


def traversable(path: Path) -> None:
    """Let the service users (postgres, nginx's workers) pass through our folders, never list them."""
    for folder in [path, *path.parents]:
        if folder == Path("/") or not folder.exists():
            continue
        mode = folder.stat().st_mode
        if not mode & 0o001:
            folder.chmod(mode | 0o001)


class PostgresCluster:
    """One cluster under `root`; `url` is the SQLAlchemy URL of the assistant's database."""

    def __init__(self, root: Path, port: int, password: str, assistant_password: str,
                 database: str = "assistant", durable: bool = True) -> None:
        """`password` is the superuser's (set-up only); the assistant connects with `assistant_password`."""
        self.root, self.port, self.password, self.database = root.resolve(), port, password, database
        self.assistant_password = assistant_password
        self.data, self.sockets, self.log = self.root / "data", self.root / "sock", self.root / "postgres.log"
        self.durable = durable
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://assistant:{self.assistant_password}@127.0.0.1:{self.port}/{self.database}"

    def init(self) -> None:
        """Create the cluster once (scram passwords, loopback only); later starts reuse it."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        traversable(self.root.parent)
        self.sockets.mkdir(exist_ok=True)
        for path in (self.root, self.sockets):
            _owned_by_postgres(path)
        if (self.data / "PG_VERSION").exists():
            return
        pwfile = self.root / "initdb.pw"
        with os.fdopen(os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            out.write(self.password + "\n")
        _owned_by_postgres(pwfile)
        try:
            subprocess.run(as_postgres([server_binary("initdb"), "-D", str(self.data), "-U", "postgres",
                                        "-A", "scram-sha-256", f"--pwfile={pwfile}"]),
                           check=True, capture_output=True)
        finally:
            pwfile.unlink(missing_ok=True)

    def start(self, timeout: float = 60.0) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        cmd = [server_binary("postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.sockets),
               "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"]
        if not self.durable:  # tests and benchmarks only: nothing here must survive a power cut
            cmd += ["-c", "fsync=off", "-c", "synchronous_commit=off"]
        # The server itself is the child (not a runuser wrapper), so stop() and kill reach it.
        user = {"user": "postgres", "group": "postgres", "extra_groups": []} if os.geteuid() == 0 else {}
        # The server log can quote a failed statement, a patient's words included: owner-only.
        with os.fdopen(os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab") as log:
            self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=self.root, **user)
        self._wait_ready(timeout)
        self._ensure_database()

    def _connect(self, database: str = "postgres") -> psycopg2.extensions.connection:
        return psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", password=self.password,
                                dbname=database, connect_timeout=2)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"PostgreSQL exited with code {self.process.returncode}; see {self.log}")
            try:
                self._connect().close()
                return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"PostgreSQL not ready after {timeout:.0f}s; see {self.log}") from None
                time.sleep(0.3)

    def _ensure_database(self) -> None:
        """The `assistant` role and database (the assistant never connects as the superuser)."""
        connection = self._connect()
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = 'assistant'")
                if cursor.fetchone() is None:
                    cursor.execute("CREATE ROLE assistant LOGIN PASSWORD %s", (self.assistant_password,))
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.database,))
                if cursor.fetchone() is None:
                    cursor.execute(f'CREATE DATABASE "{self.database}" OWNER assistant')
        finally:
            connection.close()

    def stop(self, kill: bool = False) -> None:
        """Fast shutdown (SIGINT: running transactions roll back), or SIGKILL with `kill`."""
        stop_process(self.process, signal.SIGKILL if kill else signal.SIGINT, timeout=30)

    def restart(self) -> None:
        self.stop()
        self.start()
