"""Serve the staff app with waitress on STAFF_HOST:STAFF_PORT (loopback by default).

Behind a TLS proxy, set STAFF_HTTPS=yes (Secure cookies) and STAFF_PROXIES to
the number of proxies in front, so the audit log records the real address.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import List, Optional

from bot.config import settings_or_staff_exit


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot review")
    parser.add_argument("--host", help="default: STAFF_HOST (127.0.0.1)")
    parser.add_argument("--port", type=int, help="default: STAFF_PORT (8080)")
    args = parser.parse_args(argv)
    settings = settings_or_staff_exit()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from waitress import serve

    from bot.db import get_engine
    from bot.review.app import create_app

    get_engine(settings.database_url)  # migrate before the first request, and fail here if the database is unusable
    host, port = args.host or settings.staff_host, args.port or settings.staff_port
    print(f"Staff review app on http://{'localhost' if host == '127.0.0.1' else host}:{port}", flush=True)
    # Forwarded headers are believed only from STAFF_PROXIES proxies in front (the audit log records
    # the address they report); with none, waitress drops them so no one can claim another address.
    proxy = ({"trusted_proxy": "*", "trusted_proxy_count": settings.staff_proxies,
              "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}} if settings.staff_proxies else {})
    serve(create_app(settings), host=host, port=port, threads=8, ident="staff", clear_untrusted_proxy_headers=True,
          **proxy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
