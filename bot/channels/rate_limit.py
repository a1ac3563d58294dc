"""Per-minute limits on what one conversation or one address may send.

One Rasa process keeps its counts in memory. Behind nginx with several replicas
(issue 12) each replica would count only its own share, so with REDIS_URL set
the counts live in Redis and every replica sees the same ones. Redis trouble
never stops a patient: the limit then lets the message through and logs it.
Keys are hashed, so Redis never holds an address or a conversation id.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import defaultdict, deque
from typing import Any, Deque, Dict, Optional

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60


class RateLimiter:
    """Sliding one-minute windows, per key, in this process."""

    def __init__(self, name: str, per_minute: int):
        self.name = name
        self.per_minute = per_minute
        self.hits: Dict[str, Deque[float]] = defaultdict(deque)

    async def allow(self, key: str, now: Optional[float] = None) -> bool:
        now = time.monotonic() if now is None else now
        window = self.hits[key]
        while window and window[0] <= now - WINDOW_SECONDS:
            window.popleft()
        if len(window) >= self.per_minute:
            return False
        window.append(now)
        if len(self.hits) > 10000:  # forget keys that have been quiet for a minute
            for quiet in [k for k, w in self.hits.items() if not w or w[-1] <= now - WINDOW_SECONDS]:
                del self.hits[quiet]
        return True


class RedisRateLimiter:
    """The same limit shared by every replica: this minute's count plus the share of the last one
    still inside the window (the usual two-bucket estimate of a sliding window)."""

    def __init__(self, name: str, per_minute: int, client: Any):
        self.name = name
        self.per_minute = per_minute
        self.client = client

    def _key(self, key: str, bucket: int) -> str:
        digest = hashlib.sha256(f"{self.name}:{key}".encode()).hexdigest()[:24]
        return f"assistant:rate:{digest}:{bucket}"

    async def allow(self, key: str, now: Optional[float] = None) -> bool:
        now = time.time() if now is None else now
        bucket = int(now // WINDOW_SECONDS)
        elapsed = (now % WINDOW_SECONDS) / WINDOW_SECONDS
        try:
            async with self.client.pipeline(transaction=False) as pipe:
                pipe.incr(self._key(key, bucket))
                pipe.expire(self._key(key, bucket), 2 * WINDOW_SECONDS)
                pipe.get(self._key(key, bucket - 1))
                current, _, previous = await pipe.execute()
        except Exception as exc:  # fail open: a rate limit must never silence a patient
            logger.warning("shared rate limit %s unavailable (%s); allowing the message", self.name,
                           type(exc).__name__)
            return True
        return int(previous or 0) * (1 - elapsed) + int(current) <= self.per_minute


_clients: Dict[str, Any] = {}


def redis_client(url: str) -> Any:
    """One asyncio Redis client per URL per process, with short timeouts (a turn must not wait on it)."""
    if url not in _clients:
        import redis.asyncio as redis_asyncio

        _clients[url] = redis_asyncio.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return _clients[url]


def limiter(name: str, per_minute: int, redis_url: str = "") -> Any:
    """The limiter for this deployment: shared through Redis when REDIS_URL is set."""
    if redis_url:
        return RedisRateLimiter(name, per_minute, redis_client(redis_url))
    return RateLimiter(name, per_minute)
