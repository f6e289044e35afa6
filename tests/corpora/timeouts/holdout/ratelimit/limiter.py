"""Token-bucket rate limiting backed by redis (sync for Django, async for the gateway)."""

import os
import time
from typing import Optional

import redis
import redis.asyncio
from redis.asyncio import Redis as AsyncRedis

BUCKET_LUA = """
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens') or ARGV[1])
local ts = tonumber(redis.call('HGET', KEYS[1], 'ts') or ARGV[3])
local refill = math.floor((ARGV[3] - ts) * ARGV[2])
tokens = math.min(tonumber(ARGV[1]), tokens + refill)
if tokens < 1 then return 0 end
redis.call('HSET', KEYS[1], 'tokens', tokens - 1, 'ts', ARGV[3])
redis.call('EXPIRE', KEYS[1], 3600)
return 1
"""


class TokenBucket:
    def __init__(self, client: redis.Redis, capacity: int = 60, refill_per_sec: float = 1.0):
        self.client = client
        self.capacity = capacity
        self.refill = refill_per_sec
        self._script = client.register_script(BUCKET_LUA)

    def allow(self, key: str) -> bool:
        return bool(self._script(keys=[f"rl:{key}"], args=[self.capacity, self.refill, int(time.time())]))

    def remaining(self, key: str) -> int:
        raw = self.client.hget(f"rl:{key}", "tokens")
        return int(raw) if raw is not None else self.capacity

    def banned(self, key: str) -> bool:
        return self.client.get(f"ban:{key}") is not None  # ok: TMO001


def sync_client() -> redis.Redis:
    return redis.Redis(host=os.environ.get("RL_HOST", "localhost"), port=6379, db=5)  # expect: TMO006


def sync_client_from_env() -> redis.Redis:
    return redis.from_url(os.environ["RL_URL"], socket_timeout=0.1)  # ok: TMO006


def unix_socket_client() -> redis.Redis:
    return redis.Redis(unix_socket_path="/var/run/redis/redis.sock", db=5)  # expect: TMO006


def async_client() -> AsyncRedis:
    return redis.asyncio.from_url(os.environ["RL_URL"])  # expect: TMO006


def async_client_bounded() -> AsyncRedis:
    return AsyncRedis(host="ratelimit", socket_timeout=0.1, socket_connect_timeout=0.5)  # ok: TMO006


def blocking_queue() -> AsyncRedis:
    return AsyncRedis.from_url("redis://queue:6379/0?socket_timeout=5")  # ok: TMO006


def metrics_client() -> AsyncRedis:
    return redis.asyncio.StrictRedis(host="metrics", socket_connect_timeout=1)  # expect: TMO006


def replica_client() -> AsyncRedis:
    return AsyncRedis(host="ratelimit-replica", port=6379)  # expect: TMO006


class AsyncLimiter:
    def __init__(self, client: Optional[AsyncRedis] = None, limit: int = 100, window: int = 60):
        self.client = client or AsyncRedis.from_url(  # expect: TMO006
            os.environ.get("RL_URL", "redis://localhost:6379/5"),
            decode_responses=True,
        )
        self.limit = limit
        self.window = window

    async def hit(self, key: str) -> bool:
        bucket = f"rlw:{key}:{int(time.time()) // self.window}"
        async with self.client.pipeline(transaction=True) as pipe:
            count, _ = await pipe.incr(bucket).expire(bucket, self.window).execute()
        return count <= self.limit

    async def current(self, key: str) -> int:
        bucket = f"rlw:{key}:{int(time.time()) // self.window}"
        return int(await self.client.get(bucket) or 0)  # ok: TMO001


class RateLimitMiddleware:
    """Django middleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.bucket = TokenBucket(redis.Redis(host="ratelimit", socket_timeout=0.2))  # ok: TMO006

    def __call__(self, request):
        ip = request.META.get("REMOTE_ADDR", "")  # ok: TMO001
        if not self.bucket.allow(ip):
            from django.http import HttpResponse

            return HttpResponse("Too Many Requests", status=429)
        return self.get_response(request)
