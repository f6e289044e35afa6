"""Redis-backed caching, feature flags and rate limiting."""
from __future__ import annotations

import json
import pickle
import time
from typing import Any

import redis
import redis.asyncio as aioredis
from django.conf import settings

_default = redis.Redis(
    host=settings.REDIS_HOST,
    port=settings.REDIS_PORT,
    db=0,
    socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
    socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
)
_sessions = redis.from_url(settings.SESSION_REDIS_URL)  # expect: TMO006
_locks = redis.Redis.from_url(settings.LOCK_REDIS_URL, socket_timeout=None)  # expect: TMO006
_flags = redis.StrictRedis(host=settings.FLAGS_REDIS_HOST, port=6379, socket_connect_timeout=2)  # expect: TMO006
_counters = redis.Redis(**settings.COUNTER_REDIS_OPTIONS)  # ok: TMO006


class Cache:
    def __init__(self, client: redis.Redis | None = None, prefix: str = "mkt", default_ttl: int = 300) -> None:
        self.client = client or redis.Redis(host="localhost", port=6379, socket_timeout=0.5)
        self.prefix = prefix
        self.default_ttl = default_ttl

    def _key(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def get(self, key: str, default: Any = None) -> Any:
        raw = self.client.get(self._key(key))  # ok: TMO001
        return default if raw is None else pickle.loads(raw)

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        self.client.set(self._key(key), pickle.dumps(value), ex=ttl or self.default_ttl)

    def delete(self, *keys: str) -> int:
        return self.client.delete(*(self._key(k) for k in keys))


cache = Cache(_default)


def session_data(session_key: str) -> dict[str, Any]:
    raw = _sessions.get(f"session:{session_key}")
    return json.loads(raw) if raw else {}


def acquire_lock(name: str, owner: str, ttl_ms: int = 10_000) -> bool:
    return bool(_locks.set(f"lock:{name}", owner, nx=True, px=ttl_ms))


def feature_enabled(flag: str, default: bool = False) -> bool:
    val = _flags.get(f"flag:{flag}")
    if val is None:
        return default
    return val in (b"1", b"true", b"on")


class RateLimiter:
    """Sliding-window rate limiter backed by sorted sets."""

    def __init__(self, url: str, limit: int, window_s: int) -> None:
        self.r = redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)  # ok: TMO007
        self.limit = limit
        self.window_s = window_s

    def allow(self, ident: str) -> bool:
        now = time.time()
        key = f"rl:{ident}"
        pipe = self.r.pipeline()
        pipe.zremrangebyscore(key, 0, now - self.window_s)
        pipe.zadd(key, {f"{now}": now})
        pipe.zcard(key)
        pipe.expire(key, self.window_s)
        _, _, count, _ = pipe.execute()
        return count <= self.limit


class AsyncRateLimiter:
    """Fixed-window limiter for the async gateway."""

    def __init__(self, url: str, limit: int, window_s: int) -> None:
        self.r = aioredis.from_url(url, decode_responses=True)  # expect: TMO006
        self.limit = limit
        self.window_s = window_s

    async def allow(self, ident: str) -> bool:
        key = f"arl:{ident}:{int(time.time()) // self.window_s}"
        count = await self.r.incr(key)
        if count == 1:
            await self.r.expire(key, self.window_s)
        return count <= self.limit


async def async_clients() -> tuple[aioredis.Redis, aioredis.Redis, aioredis.Redis]:
    pubsub_client = aioredis.Redis(host=settings.REDIS_HOST, port=settings.REDIS_PORT, socket_timeout=2)
    stream_client = aioredis.Redis.from_url(settings.STREAM_REDIS_URL)  # expect: TMO006
    presence = redis.asyncio.StrictRedis(host=settings.PRESENCE_REDIS_HOST, socket_timeout=None)  # expect: TMO006
    for client in (pubsub_client, stream_client, presence):
        await client.ping()
    return pubsub_client, stream_client, presence
