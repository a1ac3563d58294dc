"""nginx in front of the Rasa replicas: body limits, client address, retries on a dead replica.

Open-source nginx checks upstreams passively: a replica that refuses or drops a
connection is marked down for FAIL_TIMEOUT seconds and the request goes to the
next one (`proxy_next_upstream`). The stack's supervisor (bot/stack/runner.py),
or systemd in a clinic, restarts the dead replica. `deploy/nginx/assistant.conf`
is the same proxy block inside a TLS site; a test keeps the two in step.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import List, Optional

from bot.channels.limits import REST_MAX_BYTES
from bot.servers import stop_process
from bot.stack.postgres import traversable

FAIL_TIMEOUT_SECONDS = 5


def proxy_directives() -> List[str]:
    """The directives every public location needs, in the order deploy/nginx/assistant.conf has them."""
    return [
        "proxy_pass http://assistant;",
        "proxy_http_version 1.1;",
        'proxy_set_header Connection "";',
        "proxy_set_header Host $host;",
        # Replaced, never appended: a client cannot choose the address its rate limit is counted under.
        "proxy_set_header X-Forwarded-For $remote_addr;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        # A replica killed mid-turn has saved nothing (Rasa saves a turn's events at its end),
        # so the same POST is safe to hand to the next replica.
        "proxy_next_upstream error timeout non_idempotent;",
        "proxy_next_upstream_tries 2;",
        "proxy_connect_timeout 2s;",
        # Every turn answers within REPLY_TIMEOUT_SECONDS plus the safety net's parse (under 15 s).
        "proxy_read_timeout 60s;",
    ]


def body_limit() -> str:
    """The largest channel body (bot/channels/limits.py): refused by nginx before a replica reads it."""
    return f"client_max_body_size {REST_MAX_BYTES // 1024}k;"


def upstream_block(ports: List[int]) -> str:
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout={FAIL_TIMEOUT_SECONDS}s;"
                        for port in ports)
    # least_conn: a replica works on one message at a time (NLU runs on its event loop) and turns
    # differ in cost (a long story, an SMS with its outbox), so the next message goes to the
    # replica with fewer in flight, not blindly to the next in turn; measured in docs/benchmarks.md.
    # Idle upstream connections are dropped before Sanic's own 5 s keep-alive closes them, so a
    # stale connection is never mistaken for a dead replica.
    return (f"upstream assistant {{\n    least_conn;\n{servers}\n    keepalive 32;\n"
            f"    keepalive_timeout 4s;\n}}\n")


def stack_config(root: Path, listen_port: int, replica_ports: List[int]) -> str:
    """A whole nginx.conf for `make stack`: plain HTTP on loopback; TLS is the clinic's site file."""
    location = "\n".join(f"            {line}" for line in proxy_directives())
    temp = "\n".join(f"    {name}_temp_path {root / 'tmp' / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""# Written by bot/stack/nginx.py for `make stack`; edit that file, not this one.
daemon off;
worker_processes 1;
pid {root / 'nginx.pid'};
error_log {root / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    server_tokens off;
{temp}
    {body_limit()}
    client_body_buffer_size {REST_MAX_BYTES // 1024}k;
    {upstream_block(replica_ports)}
    server {{
        listen 127.0.0.1:{listen_port};
        location = /nginx-health {{ return 200 "ok\\n"; }}
        location / {{
{location}
        }}
    }}
}}
"""


class Nginx:
    def __init__(self, root: Path, listen_port: int, replica_ports: List[int]) -> None:
        self.root, self.listen_port, self.replica_ports = root.resolve(), listen_port, replica_ports
        self.config = self.root / "nginx.conf"
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listen_port}"

    def start(self, timeout: float = 20.0) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        traversable(self.root / "tmp")  # nginx's workers run as nobody when started by root
        self.config.write_text(stack_config(self.root, self.listen_port, self.replica_ports))
        checked = subprocess.run([binary, "-t", "-q", "-p", str(self.root), "-c", str(self.config)],
                                 capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration: {checked.stderr.strip()}")
        with open(self.root / "nginx.log", "ab") as log:
            self.process = subprocess.Popen([binary, "-p", str(self.root), "-c", str(self.config)],
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with code {self.process.returncode}; see {self.root}/error.log")
            try:
                with urllib.request.urlopen(f"{self.url}/nginx-health", timeout=1) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"nginx not ready after {timeout:.0f}s")
            time.sleep(0.2)

    def stop(self) -> None:
        stop_process(self.process, signal.SIGQUIT, timeout=15)  # graceful: finish the requests in flight
