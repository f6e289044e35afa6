"""Feature-flag evaluation backed by Redis with a short-lived in-process cache."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import redis
from redis import Redis, StrictRedis

log = logging.getLogger("flags")


@dataclass
class RedisSettings:
    host: str = os.environ.get("FLAGS_REDIS_HOST", "localhost")
    port: int = 6379
    db: int = 2
    socket_timeout: float = 0.2
    extra: dict[str, Any] = field(default_factory=dict)


settings = RedisSettings()

# Shared by the admin CLI and the background refresher.
_admin_client = redis.Redis(host=settings.host, port=settings.port, db=settings.db)  # expect: TMO006


@dataclass
class Flag:
    key: str
    enabled: bool
    rollout: float = 1.0
    allow: set[str] = field(default_factory=set)

    def evaluate(self, subject: str) -> bool:
        if not self.enabled:
            return False
        if subject in self.allow:
            return True
        bucket = int(hashlib.sha1(f"{self.key}:{subject}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        return bucket < self.rollout


class FlagStore:
    def __init__(self, client: Redis | None = None, ttl_s: float = 5.0) -> None:
        self._redis = client or Redis(  # ok: TMO006
            host=settings.host,
            port=settings.port,
            db=settings.db,
            socket_timeout=settings.socket_timeout,
            socket_connect_timeout=settings.socket_timeout,
        )
        self._local: dict[str, tuple[float, Flag]] = {}
        self._ttl_s = ttl_s
        self._lock = threading.Lock()

    def get(self, key: str) -> Flag | None:
        with self._lock:
            hit = self._local.get(key)
            if hit and time.monotonic() - hit[0] < self._ttl_s:
                return hit[1]
        try:
            raw = self._redis.get(f"flag:{key}")  # ok: TMO006
        except redis.RedisError:
            log.warning("flag store unavailable; serving stale value for %s", key)
            return hit[1] if hit else None
        if raw is None:
            return None
        data = json.loads(raw)
        flag = Flag(key, data["enabled"], data.get("rollout", 1.0), set(data.get("allow", [])))
        with self._lock:
            self._local[key] = (time.monotonic(), flag)
        return flag

    def is_enabled(self, key: str, subject: str, default: bool = False) -> bool:
        flag = self.get(key)
        return default if flag is None else flag.evaluate(subject)


def admin_client_from_url(url: str) -> Redis:
    return redis.from_url(url, decode_responses=True)  # expect: TMO006


def replica_client(url: str) -> Redis:
    return Redis.from_url(url, socket_timeout=0.25, decode_responses=True)  # ok: TMO006


def legacy_client() -> StrictRedis:
    return StrictRedis(host=os.environ["LEGACY_FLAGS_HOST"], port=6380, socket_connect_timeout=1.0)  # expect: TMO006


def client_from_settings(cfg: RedisSettings) -> Redis:
    return redis.Redis(host=cfg.host, port=cfg.port, db=cfg.db, **cfg.extra)  # ok: TMO006


def audit_log_client() -> Redis:
    return redis.StrictRedis(host="flags-audit.internal", port=6379, db=0, decode_responses=True)  # expect: TMO006


def set_flag(key: str, enabled: bool, rollout: float = 1.0, allow: list[str] | None = None) -> None:
    payload = json.dumps({"enabled": enabled, "rollout": rollout, "allow": allow or []})
    _admin_client.set(f"flag:{key}", payload)
    audit_log_client().xadd("flag-audit", {"key": key, "payload": payload, "ts": str(time.time())})


def bulk_export(path: str) -> int:
    client = redis.Redis.from_url(os.environ["FLAGS_REDIS_URL"], socket_timeout=None)  # expect: TMO006
    flags = {}
    for raw_key in client.scan_iter("flag:*", count=500):
        flags[raw_key.decode()] = json.loads(client.get(raw_key))
    with open(path, "w") as fh:
        json.dump(flags, fh, indent=2, sort_keys=True)
    return len(flags)
