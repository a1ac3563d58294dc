"""GET /webhooks/rest/health: does every part a patient's reply needs answer?

Rasa's own "/" answers 200 even when the action server is down, so a load
balancer or a nurse on duty could not tell that replies now come from the
safety net. This report checks the action server, the assistant database and
the conversation (tracker) store, each with a short timeout.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Optional

import aiohttp
from sqlalchemy import text

from bot.db.session import get_engine

TIMEOUT_SECONDS = 3.0


async def _action_server(agent: Any) -> str:
    endpoint = getattr(agent, "action_endpoint", None)
    if endpoint is None or not endpoint.url:
        return "not configured"
    url = endpoint.url.rsplit("/webhook", 1)[0] + "/health"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)) as session:
            async with session.get(url) as reply:
                return "ok" if reply.status == 200 else f"HTTP {reply.status}"
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        return f"unreachable ({type(exc).__name__})"


def _database() -> str:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # reported, not raised: this is what the endpoint is for
        return f"error ({type(exc).__name__})"


async def _tracker_store(agent: Any) -> str:
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return "not loaded"
    try:
        await asyncio.wait_for(store.exists("health-check"), TIMEOUT_SECONDS)
        return "ok"
    except Exception as exc:
        return f"error ({type(exc).__name__})"


async def _with_timeout(check: Any) -> str:
    try:
        return await asyncio.wait_for(check, TIMEOUT_SECONDS + 1)
    except asyncio.TimeoutError:
        return "timeout"


async def health_report(agent: Optional[Any]) -> Dict[str, Any]:
    checks = {
        "model": "ok" if agent is not None and agent.is_ready() else "not loaded",
        "action_server": await _action_server(agent),
        "database": await _with_timeout(asyncio.to_thread(_database)),
        "tracker_store": await _tracker_store(agent),
    }
    return {"status": "ok" if all(v == "ok" for v in checks.values()) else "degraded", "checks": checks}
