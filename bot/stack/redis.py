"""A Redis server for Rasa's lock store and the shared rate limits, on loopback, with a password.

Nothing in it needs to survive a restart (locks expire, rate windows are a minute long), so
it never writes to disk.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Optional

from bot.servers import stop_process


class RedisServer:
    def __init__(self, root: Path, port: int, password: str) -> None:
        self.root, self.port, self.password = root.resolve(), port, password
        self.log = self.root / "redis.log"
        self.process: Optional[subprocess.Popen] = None

    def url(self, db: int = 0) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/{db}"

    def start(self, timeout: float = 20.0) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        binary = shutil.which("redis-server")
        if not binary:
            raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server)")
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The password goes in on stdin as a config file, so `ps` never shows it.
        config = (f"port {self.port}\nbind 127.0.0.1\nprotected-mode yes\nsave \"\"\nappendonly no\n"
                  f"dir {self.root}\nrequirepass {self.password}\nmaxclients 1000\n")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([binary, "-"], stdin=subprocess.PIPE, stdout=log,
                                            stderr=subprocess.STDOUT)
        self.process.stdin.write(config.encode())
        self.process.stdin.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"Redis exited with code {self.process.returncode}; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Redis not ready after {timeout:.0f}s") from None
                time.sleep(0.2)

    def stop(self) -> None:
        stop_process(self.process, signal.SIGTERM, timeout=10)
