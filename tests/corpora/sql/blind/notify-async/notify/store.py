"""Persistence for the notification service (asyncpg).

Tables live in the ``notify`` schema: subscribers, deliveries, preferences.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import asyncpg

logger = logging.getLogger("notify.store")

DELIVERIES = "notify.deliveries"
CHANNELS = ("email", "sms", "push", "webhook")


class Store:
    def __init__(self, pool: asyncpg.Pool):
        self.pool = pool

    @classmethod
    async def connect(cls, dsn: str) -> "Store":
        pool = await asyncpg.create_pool(dsn, min_size=2, max_size=20, command_timeout=10)
        return cls(pool)

    async def subscriber(self, subscriber_id: int) -> asyncpg.Record | None:
        return await self.pool.fetchrow(  # ok: SQLI
            "SELECT id, email, phone, locale, push_token FROM notify.subscribers WHERE id = $1",
            subscriber_id,
        )

    async def subscriber_by_email(self, email: str) -> asyncpg.Record | None:
        return await self.pool.fetchrow(f"SELECT * FROM notify.subscribers WHERE email = '{email}'")  # expect: SQLI

    async def subscribers_for_topic(self, topic: str, channel: str) -> list[asyncpg.Record]:
        if channel not in CHANNELS:
            raise ValueError(channel)
        async with self.pool.acquire() as conn:
            return await conn.fetch(  # expect: SQLI
                f"""
                SELECT s.id, s.{channel} AS address, s.locale
                FROM notify.subscribers s
                JOIN notify.preferences p ON p.subscriber_id = s.id
                WHERE p.topic = $1 AND p.{channel}_enabled
                """,
                topic,
            )

    async def record_delivery(self, subscriber_id: int, channel: str, template: str, provider_id: str) -> int:
        return await self.pool.fetchval(  # ok: SQLI
            f"INSERT INTO {DELIVERIES} (subscriber_id, channel, template, provider_id, sent_at) "
            "VALUES ($1, $2, $3, $4, now()) RETURNING id",
            subscriber_id,
            channel,
            template,
            provider_id,
        )

    async def mark_failed(self, delivery_ids: list[int], error: str) -> None:
        await self.pool.execute(  # ok: SQLI
            f"UPDATE {DELIVERIES} SET failed_at = now(), error = $2 WHERE id = ANY($1::bigint[])",
            delivery_ids,
            error[:500],
        )

    async def delivery_stats(self, since: dt.datetime, group_by: str = "channel") -> list[asyncpg.Record]:
        return await self.pool.fetch(  # expect: SQLI
            "SELECT " + group_by + ", count(*) AS sent, count(failed_at) AS failed "
            "FROM notify.deliveries WHERE sent_at >= $1 GROUP BY 1",
            since,
        )

    async def unsubscribe(self, subscriber_id: int, topics: list[str]) -> None:
        async with self.pool.acquire() as conn:
            async with conn.transaction():
                for topic in topics:
                    await conn.execute(  # ok: SQLI
                        "DELETE FROM notify.preferences WHERE subscriber_id = $1 AND topic = $2",
                        subscriber_id,
                        topic,
                    )
        logger.info("subscriber %s unsubscribed from %d topics", subscriber_id, len(topics))

    async def purge_deliveries(self, older_than_days: int) -> str:
        return await self.pool.execute(  # expect: SQLI
            f"DELETE FROM {DELIVERIES} WHERE sent_at < now() - interval '{older_than_days} days'"
        )

    async def set_preferences(self, subscriber_id: int, prefs: dict[str, Any]) -> None:
        cols = ", ".join(prefs)
        values = ", ".join(f"${i + 2}" for i in range(len(prefs)))
        async with self.pool.acquire() as conn:
            await conn.execute(  # expect: SQLI
                f"INSERT INTO notify.preferences (subscriber_id, {cols}) VALUES ($1, {values}) "
                f"ON CONFLICT (subscriber_id) DO UPDATE SET ({cols}) = ({values})",
                subscriber_id,
                *prefs.values(),
            )

    async def count_pending(self) -> int:
        return await self.pool.fetchval("SELECT count(*) FROM notify.outbox WHERE sent_at IS NULL")  # ok: SQLI
