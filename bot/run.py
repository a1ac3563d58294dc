"""`make run`: the Rasa server, the action server and the staff app, until Ctrl-C (or SIGTERM) stops them."""

from __future__ import annotations

import sys
import time

from bot.servers import start_action_server, start_rasa, start_staff, stop_on_signals


def main() -> int:
    stop = stop_on_signals()
    from bot.config import get_settings

    actions = start_action_server(5055)
    rasa = start_rasa(5005)
    staff = start_staff(get_settings().staff_port)
    servers = [rasa, actions, staff]
    try:
        actions.wait_ready()
        rasa.wait_ready()
        staff.wait_ready()
        print("\nThe assistant is ready.\n"
              "  Chat widget on a sample clinic page: http://localhost:5005/widget/demo.html\n"
              "  REST (development): POST {\"sender\": \"me\", \"message\": \"hi\"} to "
              "http://localhost:5005/webhooks/rest/webhook\n"
              f"  Staff review app (nurses, clinicians, admins): http://localhost:{get_settings().staff_port}\n"
              "    add an account first: python -m bot users add NAME --role nurse|clinician|admin\n"
              "  Ctrl-C stops all three.\n", flush=True)
        while not stop.is_set():
            if rasa.process.poll() is not None:
                print("The Rasa server stopped; shutting down the other servers.", file=sys.stderr)
                return 1
            if staff.process.poll() is not None:
                # Patients are unaffected; the staff app is restarted like the action server.
                print("The staff app stopped; restarting it.", file=sys.stderr, flush=True)
                time.sleep(2)
                staff = start_staff(get_settings().staff_port)
                servers[2] = staff
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
        print("All servers stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
