import functools
import hashlib
import json
import logging
import os
import pickle
from typing import Any, Callable, Optional

import redis
from redis import StrictRedis
from redis.exceptions import ConnectionError as RedisConnectionError

log = logging.getLogger(__name__)

REDIS_URL = os.getenv("REDIS_URL", "redis://localhost:6379/0")

_primary = redis.from_url(REDIS_URL)  # expect: TMO006
_sessions = redis.from_url("redis://sessions:6379/1?socket_timeout=2&socket_connect_timeout=1")  # ok: TMO006
_locks = StrictRedis(host="locks", port=6379, db=0, socket_timeout=None)  # expect: TMO006

REDIS_OPTIONS = {"host": "queue", "port": 6379, "socket_timeout": 5, "socket_connect_timeout": 2}


class Cache:
    """Namespaced pickle cache. Falls back to a miss when redis is unreachable."""

    def __init__(self, namespace: str, ttl: int = 300, client: Optional[redis.Redis] = None):
        self.namespace = namespace
        self.ttl = ttl
        self.client = client or redis.Redis(  # expect: TMO006
            host=os.getenv("CACHE_HOST", "localhost"),
            port=int(os.getenv("CACHE_PORT", "6379")),
            decode_responses=False,
        )

    def _key(self, key: str) -> str:
        return f"{self.namespace}:{key}"

    def get(self, key: str, default: Any = None) -> Any:
        try:
            raw = self.client.get(self._key(key))  # ok: TMO001
        except RedisConnectionError:
            log.warning("cache unavailable, treating %s as a miss", key)
            return default
        return default if raw is None else pickle.loads(raw)

    def set(self, key: str, value: Any, ttl: Optional[int] = None) -> None:
        try:
            self.client.set(self._key(key), pickle.dumps(value), ex=ttl or self.ttl)
        except RedisConnectionError:
            log.warning("cache unavailable, dropping write for %s", key)

    def delete(self, key: str) -> None:
        self.client.delete(self._key(key))


def cached(namespace: str, ttl: int = 300) -> Callable:
    cache = Cache(namespace, ttl)

    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            digest = hashlib.sha1(repr((args, sorted(kwargs.items()))).encode()).hexdigest()
            hit = cache.get(digest)  # ok: TMO001
            if hit is not None:
                return hit
            value = fn(*args, **kwargs)
            cache.set(digest, value)
            return value

        return wrapper

    return decorator


def rate_limit_client() -> redis.Redis:
    return redis.StrictRedis(host="ratelimit", port=6379, socket_timeout=0.5, socket_connect_timeout=0.5)  # ok: TMO006


def pubsub_client() -> redis.Redis:
    # positional: host, port, db, password, socket_timeout
    return redis.Redis("pubsub", 6379, 0, None, 30)  # ok: TMO006


def queue_client() -> redis.Redis:
    return redis.Redis(**REDIS_OPTIONS)  # ok: TMO006


def leaderboard_client() -> redis.Redis:
    return redis.Redis.from_url(os.environ["LEADERBOARD_URL"], decode_responses=True)  # expect: TMO006


def get_json(key: str) -> Optional[dict]:
    raw = _primary.get(key)  # ok: TMO001
    return json.loads(raw) if raw else None


def put_json(key: str, value: dict, ttl: int = 600) -> None:
    _primary.set(key, json.dumps(value), ex=ttl)


def acquire_lock(name: str, ttl_ms: int = 10_000) -> Optional[Any]:
    lock = _locks.lock(f"lock:{name}", timeout=ttl_ms / 1000, blocking_timeout=5)
    return lock if lock.acquire() else None


def session_data(session_id: str) -> dict:
    raw = _sessions.hgetall(f"session:{session_id}")
    return {k.decode(): v.decode() for k, v in raw.items()}
