"""Starting the Rasa server and the action server as child processes.

Used by `make run` and by the end-to-end tests, so both exercise the same
start-up path a clinic would use.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from dotenv import load_dotenv

from bot import PROJECT_ROOT
from bot.channels.limits import REST_MAX_BYTES

BIN = Path(sys.executable).parent



def stop_process(process: Optional[subprocess.Popen], sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Send `sig`, then SIGKILL if the process has not exited within `timeout` seconds.

    Every server this project starts (Rasa, the action and staff servers, PostgreSQL,
    Redis, nginx) stops this way; only the polite signal and the patience differ.
    """
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()

@dataclass
class Server:
    name: str
    process: subprocess.Popen
    health_url: str

    def wait_ready(self, timeout: float = 240.0) -> None:
        """Poll the health URL; fail fast if the process dies (e.g. port in use)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.health_url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.5)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f}s")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if the server has not exited within 20 s."""
        stop_process(self.process)


def stop_on_signals() -> threading.Event:
    """An event that SIGINT and SIGTERM set, for `make run` and `make stack`.

    Installed explicitly: a shell that starts us in the background ignores SIGINT, and a
    process manager stops services with SIGTERM.
    """
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _env(extra: Optional[Dict[str, str]]) -> Dict[str, str]:
    # .env is read into this process first, so both children see the same settings
    # (Rasa itself does not read .env; endpoints.yml takes ACTION_SERVER_SECRET from here).
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    extra = dict(extra or {})
    paths = [str(PROJECT_ROOT), extra.pop("PYTHONPATH", ""), env.get("PYTHONPATH", "")]
    env.update(extra)
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return env


def _spawn(cmd: List[str], env: Optional[Dict[str, str]], log_file: Optional[Path]) -> subprocess.Popen:
    """Start a server; with `log_file` its output goes there (tests read it back)."""
    # umask 077: every file a server creates (the tracker store, SQLite journals, logs) is the owner's only.
    if log_file is None:
        return subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=_env(env), umask=0o077)
    with open(log_file, "ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=_env(env), stdout=out, stderr=subprocess.STDOUT,
                                umask=0o077)


def start_action_server(port: int = 5055, env: Optional[Dict[str, str]] = None,
                        log_file: Optional[Path] = None) -> Server:
    """Our action server (bot/action_server.py): settings checked, loopback, shared secret."""
    cmd: List[str] = [sys.executable, "-m", "bot.action_server", "--port", str(port)]
    return Server("action server", _spawn(cmd, env, log_file), f"http://127.0.0.1:{port}/health")


def _private_tracker_file(endpoints: Path) -> None:
    """An SQLite tracker store holds every patient message: make it (even one from before) owner-only."""
    import yaml

    from bot.db.migrate import create_private_file

    try:
        store = (yaml.safe_load(endpoints.read_text()) or {}).get("tracker_store") or {}
    except (OSError, yaml.YAMLError):
        return
    if str(store.get("dialect", "")).startswith("sqlite") and store.get("db"):
        path = Path(store["db"])
        create_private_file(path if path.is_absolute() else PROJECT_ROOT / path)


def start_rasa(port: int = 5005, model: Path = PROJECT_ROOT / "models" / "assistant.tar.gz",
               endpoints: Path = PROJECT_ROOT / "endpoints.yml",
               credentials: Path = PROJECT_ROOT / "credentials.yml",
               env: Optional[Dict[str, str]] = None, log_file: Optional[Path] = None,
               interface: Optional[str] = None) -> Server:
    """A Rasa server; with `interface` it listens there only (the stack's replicas: loopback, behind nginx)."""
    _private_tracker_file(endpoints)
    cmd = [str(BIN / "rasa"), "run", "--model", str(model), "--port", str(port), "--endpoints", str(endpoints),
           "--credentials", str(credentials)]
    if interface:
        cmd += ["--interface", interface]
    # Cross-site calls (the widget on the clinic's own site) only from WIDGET_ALLOWED_ORIGINS, through
    # Rasa's own CORS layer; with none listed, only same-origin pages may call. Never "*".
    origins = [o.strip() for o in _env(env).get("WIDGET_ALLOWED_ORIGINS", "").split(",") if o.strip()]
    if origins:
        cmd += ["--cors", *origins]
    # Sanic reads a whole body (100 MB by default) before any handler runs: cap it at the largest
    # channel limit (bot/channels/limits.py) so a huge body is refused before it is read.
    env = {"SANIC_REQUEST_MAX_SIZE": str(REST_MAX_BYTES), **(env or {})}
    return Server("Rasa server", _spawn(cmd, env, log_file), f"http://127.0.0.1:{port}/")


def start_staff(port: int = 8080, env: Optional[Dict[str, str]] = None, log_file: Optional[Path] = None) -> Server:
    """The staff review app (bot/review/), its own process, on loopback unless STAFF_HOST says otherwise."""
    cmd = [sys.executable, "-m", "bot", "review", "--port", str(port)]
    return Server("staff app", _spawn(cmd, env, log_file), f"http://127.0.0.1:{port}/login")
