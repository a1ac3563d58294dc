"""The action server, started our way: settings checked, loopback by default, a shared secret.

`rasa run actions` listens on every interface and runs any action for anyone
who can reach it; a hand-made POST to its /webhook could open an emergency
ticket. Here the same rasa_sdk app refuses every call to /webhook and
/actions that lacks the X-Action-Secret header Rasa sends (endpoints.yml),
binds to ACTION_SERVER_HOST (127.0.0.1 unless a deployment says otherwise),
and does not start at all on a bad setting.
"""

from __future__ import annotations

import argparse
import hmac
import logging
from typing import List, Optional

from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import settings_or_exit

SECRET_HEADER = "X-Action-Secret"
PROTECTED = ("/webhook", "/actions")
logger = logging.getLogger(__name__)


def build_app(secret: str):  # noqa: ANN201 - a Sanic app
    app = create_app("actions", cors_origins=None)

    @app.on_request
    async def require_secret(request: Request) -> Optional[HTTPResponse]:
        if not request.path.startswith(PROTECTED):
            return None
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            logger.warning("refused a call to %s without the action server secret", request.path)
            return response.json({"error": "This endpoint needs the action server secret."}, status=401)
        return None

    return app


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Run the assistant's action server.")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = settings_or_exit("The action server")
    app = build_app(settings.action_server_secret)
    logger.info("action server on http://%s:%s (calls need %s)", settings.action_server_host, args.port,
                SECRET_HEADER)
    app.run(settings.action_server_host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
