"""Per-node dedupe cache (aiosqlite) so a retried outbox row is not sent twice.

The file lives on the pod's emptyDir; losing it only means a possible duplicate.
"""
from __future__ import annotations

import time

import aiosqlite
import structlog

log = structlog.get_logger("notify.dedupe")

TABLE = "sent_keys"
TTL_SECONDS = 6 * 3600


class DedupeCache:
    def __init__(self, path: str = "/var/lib/notify/dedupe.sqlite", namespace: str = "default"):
        self.path = path
        self.namespace = namespace
        self.db: aiosqlite.Connection | None = None

    async def open(self) -> None:
        self.db = await aiosqlite.connect(self.path)
        await self.db.executescript(  # ok: SQLI
            f"""
            CREATE TABLE IF NOT EXISTS {TABLE} (
                namespace TEXT NOT NULL,
                key TEXT NOT NULL,
                sent_at REAL NOT NULL,
                PRIMARY KEY (namespace, key)
            );
            PRAGMA journal_mode = WAL;
            """
        )

    async def seen(self, key: str) -> bool:
        async with self.db.execute(  # ok: SQLI
            f"SELECT 1 FROM {TABLE} WHERE namespace = ? AND key = ? AND sent_at > ?",
            (self.namespace, key, time.time() - TTL_SECONDS),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def remember(self, key: str) -> None:
        await self.db.execute(f"INSERT OR REPLACE INTO {TABLE} VALUES ('{self.namespace}', '{key}', {time.time()})")  # expect: SQLI
        await self.db.commit()

    async def remember_many(self, keys: list[str]) -> None:
        now = time.time()
        await self.db.executemany(  # ok: SQLI
            f"INSERT OR REPLACE INTO {TABLE} (namespace, key, sent_at) VALUES (?, ?, ?)",
            [(self.namespace, k, now) for k in keys],
        )
        await self.db.commit()

    async def forget_prefix(self, prefix: str) -> int:
        cursor = await self.db.execute(  # expect: SQLI
            "DELETE FROM " + TABLE + " WHERE namespace = ? AND key LIKE '" + prefix + "%'",
            (self.namespace,),
        )
        await self.db.commit()
        return cursor.rowcount

    async def expire(self) -> None:
        cutoff = time.time() - TTL_SECONDS
        async with self.db.execute(f"DELETE FROM {TABLE} WHERE sent_at < {cutoff}") as cursor:  # expect: SQLI
            log.debug("dedupe_expired", removed=cursor.rowcount, namespace=self.namespace)
        await self.db.commit()

    async def reset_namespace(self) -> None:
        await self.db.executescript(f"DELETE FROM {TABLE} WHERE namespace = '{self.namespace}'; VACUUM;")  # expect: SQLI
        await self.db.commit()
