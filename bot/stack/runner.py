"""`make stack`: PostgreSQL, Redis, N Rasa replicas with their action servers, nginx and the staff app.

The shape a clinic runs, on one machine, in the foreground until Ctrl-C:

    patient ──► nginx :8000 ──► Rasa replica 1 ──► action server 1
                  (body limit,   Rasa replica 2 ──► action server 2
                   retries)          │   │
                                     │   └──► Redis (lock store: one conversation's
                                     │        messages in order, whichever replica;
                                     │        shared rate limits and widget retries)
                                     └──────► PostgreSQL (tracker store, tickets, KB, audit)
    nurse ───► staff app :8080 ──────────────► PostgreSQL

Each replica has its own action server, so a dead action server affects only the
replica in front of it, and that replica's patients still get the safety net
(bot/safety/net.py). The supervisor loop restarts any child that stops.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

from bot import PROJECT_ROOT
from bot.servers import Server, start_action_server, start_rasa, start_staff, stop_on_signals
from bot.stack.nginx import Nginx
from bot.stack.postgres import PostgresCluster
from bot.stack.redis import RedisServer

logger = logging.getLogger(__name__)
MODEL = PROJECT_ROOT / "models" / "assistant.tar.gz"
#: First ports of the replicas and their action servers (replica i: RASA_BASE + i, ACTION_BASE + i).
RASA_BASE, ACTION_BASE = 5105, 5155
#: A replica killed mid-turn leaves its conversation's lock ticket in Redis; the next message of that
#: conversation waits for it to expire (meanwhile the safety net answers it). A turn that runs longer
#: than this would let the same conversation's next message run beside it, so it is well above the
#: slowest turn measured under load (p99 6.7 s, one replica at 50 conversations; docs/benchmarks.md).
LOCK_LIFETIME_SECONDS = 15


def _secrets(root: Path) -> Dict[str, str]:
    """Passwords for the stack's own PostgreSQL and Redis: made once, kept owner-only in var/stack."""
    path = root / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    root.mkdir(parents=True, exist_ok=True)
    values = {"postgres": secrets.token_urlsafe(24), "assistant": secrets.token_urlsafe(24),
              "redis": secrets.token_urlsafe(24)}
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(json.dumps(values))
    return values


def endpoints_yaml(action_port: int, postgres_port: int, redis_port: int) -> str:
    """One replica's endpoints.yml. Passwords stay in the environment (Rasa expands ${...})."""
    return f"""# Written by bot/stack/runner.py for `make stack`.
action_endpoint:
  url: "http://127.0.0.1:{action_port}/webhook"
  headers:
    X-Action-Secret: ${{ACTION_SERVER_SECRET}}
tracker_store:
  type: SQL
  dialect: postgresql
  url: 127.0.0.1
  port: {postgres_port}
  db: assistant
  username: assistant
  password: ${{STACK_POSTGRES_PASSWORD}}
lock_store:
  type: redis
  url: 127.0.0.1
  port: {redis_port}
  password: ${{STACK_REDIS_PASSWORD}}
  db: 0
  key_prefix: assistant
"""


class Stack:
    """Start, supervise and stop every part; the fault tests reach in to kill or restart one."""

    def __init__(self, root: Path, replicas: int, http_port: int, postgres_port: int, redis_port: int,
                 staff_port: Optional[int], env: Optional[Dict[str, str]] = None, durable: bool = True,
                 rasa_ports: Optional[List[int]] = None, action_ports: Optional[List[int]] = None,
                 model: Path = MODEL) -> None:
        self.root = root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o711)
        self.logs = root / "logs"
        self.logs.mkdir(exist_ok=True)
        self.logs.chmod(0o700)
        passwords = _secrets(root)
        self.postgres = PostgresCluster(root / "postgres", postgres_port, passwords["postgres"],
                                        passwords["assistant"], durable=durable)
        self.redis = RedisServer(root / "redis", redis_port, passwords["redis"])
        self.rasa_ports = rasa_ports or [RASA_BASE + i for i in range(replicas)]
        self.action_ports = action_ports or [ACTION_BASE + i for i in range(replicas)]
        self.nginx = Nginx(root / "nginx", http_port, self.rasa_ports)
        self.staff_port = staff_port
        self.model = model
        self.extra_env = dict(env or {})
        self.replicas: List[Optional[Server]] = [None] * replicas
        self.actions: List[Optional[Server]] = [None] * replicas
        self.staff: Optional[Server] = None

    @property
    def url(self) -> str:
        return self.nginx.url

    @property
    def env(self) -> Dict[str, str]:
        """What every child sees: the stack's databases over whatever .env says."""
        return {"DATABASE_URL": self.postgres.url, "TRACKER_DATABASE_URL": self.postgres.url,
                "REDIS_URL": self.redis.url(1), "STACK_POSTGRES_PASSWORD": self.postgres.assistant_password,
                "STACK_REDIS_PASSWORD": self.redis.password,
                # Behind nginx: the client's address is the one X-Forwarded-For entry nginx sets.
                "SANIC_PROXIES_COUNT": "1", "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
                **self.extra_env}

    def start(self) -> None:
        self.postgres.init()
        self.postgres.start()
        self._prepare_database()
        self.redis.start()
        for i in range(len(self.replicas)):
            self.start_action_server(i)
        # The first replica creates the tracker store's tables; the others start once it is up.
        self.start_replica(0, wait=True)
        for i in range(1, len(self.replicas)):
            self.start_replica(i, wait=False)
        for server in [*self.actions, *self.replicas]:
            server.wait_ready()
        self.nginx.start()
        if self.staff_port:
            self.staff = start_staff(self.staff_port, env=self.env, log_file=self.logs / "staff.log")
            self.staff.wait_ready(timeout=60)

    def _prepare_database(self) -> None:
        """Migrations, then the approved knowledge base, into PostgreSQL (both idempotent)."""
        import os

        from bot.config import get_settings
        from bot.db.session import get_engine
        from bot.kb.loader import load_kb

        get_engine(self.postgres.url)  # runs the migrations under PostgreSQL's advisory lock
        kb_dir = Path(self.extra_env.get("KB_DIR") or os.environ.get("KB_DIR") or get_settings().kb_dir)
        load_kb(kb_dir, self.postgres.url)

    def start_action_server(self, i: int) -> Server:
        self.actions[i] = start_action_server(self.action_ports[i], env=self.env,
                                              log_file=self.logs / f"actions-{i + 1}.log")
        return self.actions[i]

    def start_replica(self, i: int, wait: bool = True) -> Server:
        endpoints = self.root / f"endpoints-{i + 1}.yml"
        endpoints.write_text(endpoints_yaml(self.action_ports[i], self.postgres.port, self.redis.port))
        self.replicas[i] = start_rasa(self.rasa_ports[i], model=self.model, endpoints=endpoints, env=self.env,
                                      log_file=self.logs / f"rasa-{i + 1}.log", interface="127.0.0.1")
        if wait:
            self.replicas[i].wait_ready()
        return self.replicas[i]

    def supervise_once(self) -> List[str]:
        """Restart whatever stopped; returns what was restarted (for the console and the tests)."""
        restarted = []
        for i, server in enumerate(self.actions):
            if server is not None and server.process.poll() is not None:
                self.start_action_server(i)
                restarted.append(f"action server {i + 1}")
        for i, server in enumerate(self.replicas):
            if server is not None and server.process.poll() is not None:
                self.start_replica(i, wait=False)
                restarted.append(f"Rasa replica {i + 1}")
        if self.staff is not None and self.staff.process.poll() is not None:
            self.staff = start_staff(self.staff_port, env=self.env, log_file=self.logs / "staff.log")
            restarted.append("staff app")
        for name, part in (("Redis", self.redis), ("PostgreSQL", self.postgres)):
            if part.process is not None and part.process.poll() is not None:
                part.start()
                restarted.append(name)
        if self.nginx.process is not None and self.nginx.process.poll() is not None:
            self.nginx.start()
            restarted.append("nginx")
        return restarted

    def stop(self) -> None:
        self.nginx.stop()
        for server in [self.staff, *self.replicas, *self.actions]:
            if server is not None:
                server.stop()
        self.redis.stop()
        self.postgres.stop()


def main() -> int:
    stop = stop_on_signals()
    from bot.config import settings_or_exit

    settings = settings_or_exit("The stack")
    stack = Stack(PROJECT_ROOT / "var" / "stack", settings.stack_replicas, settings.stack_http_port,
                  settings.stack_postgres_port, settings.stack_redis_port, settings.staff_port)
    try:
        stack.start()
        print(f"\nThe stack is ready: {settings.stack_replicas} Rasa replica(s) behind nginx, PostgreSQL, Redis.\n"
              f"  Chat widget on a sample clinic page: {stack.url}/widget/demo.html\n"
              f"  REST: {stack.url}/webhooks/rest/webhook   SMS: {stack.url}/webhooks/twilio_sms/webhook\n"
              f"  Health of each part: {stack.url}/webhooks/rest/health\n"
              f"  Staff review app: http://localhost:{settings.staff_port}\n"
              "    add an account first: DATABASE_URL as in docs/operations.md, then\n"
              "    python -m bot users add NAME --role nurse\n"
              f"  Logs: {stack.logs}\n  Ctrl-C stops everything.\n", flush=True)
        while not stop.is_set():
            for part in stack.supervise_once():
                print(f"{part} stopped; restarted it.", file=sys.stderr, flush=True)
            time.sleep(0.5)
        return 0
    except (RuntimeError, TimeoutError) as exc:
        print(f"The stack could not start: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("All parts of the stack stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
