"""Web session store and login rate limiting on redis.asyncio."""
from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import redis.asyncio
from redis import asyncio as aioredis
from redis.asyncio import Redis as AsyncRedis

SESSION_TTL_S = 60 * 60 * 12
REDIS_TIMEOUT_S = float(os.environ.get("SESSION_REDIS_TIMEOUT", "0.5"))


@dataclass
class WebSession:
    sid: str
    user_id: str
    created_at: float
    data: dict[str, Any] = field(default_factory=dict)


class SessionStore:
    def __init__(self, url: str) -> None:
        self._redis = redis.asyncio.from_url(url, decode_responses=True)  # expect: TMO006

    async def create(self, user_id: str, data: dict[str, Any] | None = None) -> WebSession:
        sess = WebSession(secrets.token_urlsafe(32), user_id, time.time(), data or {})
        await self._redis.set(f"sess:{sess.sid}", json.dumps(asdict(sess)), ex=SESSION_TTL_S)
        return sess

    async def load(self, sid: str) -> WebSession | None:
        raw = await self._redis.get(f"sess:{sid}")  # ok: TMO006
        if raw is None:
            return None
        await self._redis.expire(f"sess:{sid}", SESSION_TTL_S)
        return WebSession(**json.loads(raw))

    async def destroy(self, sid: str) -> None:
        await self._redis.delete(f"sess:{sid}")


class LoginRateLimiter:
    def __init__(self, host: str, port: int = 6379) -> None:
        self._r = AsyncRedis(host=host, port=port, socket_timeout=None)  # expect: TMO006

    async def hit(self, key: str, limit: int = 10, window_s: int = 60) -> bool:
        bucket = f"rl:{key}:{int(time.time() // window_s)}"
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.incr(bucket)
            pipe.expire(bucket, window_s)
            count, _ = await pipe.execute()
        return count <= limit


class RememberMeTokens:
    def __init__(self, url: str) -> None:
        self._r = aioredis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_S)  # ok: TMO006

    async def issue(self, user_id: str) -> str:
        token = secrets.token_urlsafe(48)
        await self._r.set(f"remember:{token}", user_id, ex=60 * 60 * 24 * 30)
        return token

    async def consume(self, token: str) -> str | None:
        user_id = await self._r.getdel(f"remember:{token}")
        return user_id.decode() if user_id else None


class CsrfTokenCache:
    def __init__(self, host: str) -> None:
        self._r = redis.asyncio.StrictRedis(host=host, port=6379, db=4)  # expect: TMO006

    async def valid(self, sid: str, token: str) -> bool:
        expected = await self._r.get(f"csrf:{sid}")
        return expected is not None and secrets.compare_digest(expected.decode(), token)


async def make_pubsub_client(url: str) -> AsyncRedis:
    # Logout broadcasts are consumed by a long-lived listener.
    client = AsyncRedis.from_url(url)  # expect: TMO006
    await client.ping()
    return client


async def session_client_from_env() -> AsyncRedis:
    return aioredis.Redis(
        host=os.environ["SESSION_REDIS_HOST"],
        port=int(os.environ.get("SESSION_REDIS_PORT", "6379")),
        socket_timeout=REDIS_TIMEOUT_S,
        socket_connect_timeout=REDIS_TIMEOUT_S,
    )
