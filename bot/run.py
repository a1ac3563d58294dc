"""`make run`: both servers in the foreground until Ctrl-C (or SIGTERM) stops them together."""

from __future__ import annotations

import signal
import sys
import time
from types import FrameType
from typing import Optional

from bot.servers import start_action_server, start_rasa

_stop_requested = False


def _request_stop(signum: int, frame: Optional[FrameType]) -> None:
    global _stop_requested
    _stop_requested = True


def main() -> int:
    # Installed explicitly: a shell that starts us in the background ignores
    # SIGINT, and a process manager stops services with SIGTERM.
    signal.signal(signal.SIGINT, _request_stop)
    signal.signal(signal.SIGTERM, _request_stop)
    actions = start_action_server(5055)
    rasa = start_rasa(5005)
    servers = [rasa, actions]
    try:
        actions.wait_ready()
        rasa.wait_ready()
        print("\nThe assistant is ready.\n"
              "  Chat widget on a sample clinic page: http://localhost:5005/widget/demo.html\n"
              "  REST (development): POST {\"sender\": \"me\", \"message\": \"hi\"} to "
              "http://localhost:5005/webhooks/rest/webhook\n"
              "  Ctrl-C stops both servers.\n", flush=True)
        while not _stop_requested:
            if rasa.process.poll() is not None:
                print("The Rasa server stopped; shutting down the action server.", file=sys.stderr)
                return 1
            if actions.process.poll() is not None:
                # Patients are still answered meanwhile (bot/safety/net.py); bring it back.
                print("The action server stopped; restarting it.", file=sys.stderr, flush=True)
                time.sleep(2)
                actions = start_action_server(5055)
                servers[1] = actions
            time.sleep(0.5)
        return 0
    finally:
        for server in servers:
            server.stop()
        print("Both servers stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
