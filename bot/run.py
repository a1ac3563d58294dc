"""`make run`: both servers in the foreground until Ctrl-C stops them together."""

from __future__ import annotations

import signal
import sys
import time

from bot.servers import start_action_server, start_rasa


def main() -> int:
    actions = start_action_server(5055)
    rasa = start_rasa(5005)
    servers = [rasa, actions]
    try:
        actions.wait_ready()
        rasa.wait_ready()
        print("\nThe assistant is ready: POST {\"sender\": \"me\", \"message\": \"hi\"} to "
              "http://localhost:5005/webhooks/rest/webhook  (Ctrl-C stops both servers)\n", flush=True)
        while all(s.process.poll() is None for s in servers):
            time.sleep(1)
        print("A server stopped; shutting down the other.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for server in servers:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
