"""The load client's own bookkeeping: the fault tests count stored messages, so the client
must never send one question twice into one conversation, even when the notice interrupts it."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import List, Tuple

from aiohttp import web

from bench.load import NOTICE, MessagePool, run_load


def test_a_notice_at_a_new_conversation_never_sends_the_new_questions_into_the_old_one() -> None:
    sent: List[Tuple[str, str]] = []
    sessions = {"count": 0}

    async def new_session(request: web.Request) -> web.Response:
        sessions["count"] += 1
        if sessions["count"] % 2 == 0:  # every other start fails, as when the database restarts
            return web.json_response({"error": NOTICE}, status=503)
        return web.json_response({"session": f"s{sessions['count']}"})

    async def message(request: web.Request) -> web.Response:
        body = await request.json()
        sent.append((body["session"], body["message"]))
        return web.json_response({"messages": [{"text": "an answer"}]})

    async def drive() -> list:
        app = web.Application()
        app.router.add_post("/widget/session", new_session)
        app.router.add_post("/widget/message", message)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port = runner.addresses[0][1]
        try:
            records, _ = await run_load(f"http://127.0.0.1:{port}", 1, 60, channels=("widget",),
                                        texts=[f"question {n}" for n in range(7)])
        finally:
            await runner.cleanup()
        return records

    records = asyncio.run(drive())
    assert len(records) == 60
    assert any(r.outcome == "notice" for r in records)
    repeated = [pair for pair, count in Counter(sent).items() if count > 1]
    assert repeated == [], repeated
    assert all(count <= 5 for count in Counter(session for session, _ in sent).values())


def test_the_pool_gives_one_conversation_different_questions() -> None:
    pool = MessagePool([f"q{n}" for n in range(6)], seed=1)
    for _ in range(50):
        chosen = pool.take(5)
        assert len(set(chosen)) == 5
