"""Transactional outbox, read by the dispatcher loop.

Other services INSERT into notify.outbox in their own transaction; we poll it
with the ``databases`` package (shared connection with the web app).
"""
from __future__ import annotations

import asyncio
import json

import structlog
from databases import Database

log = structlog.get_logger("notify.outbox")

OUTBOX = "notify.outbox"
BATCH = 100


class Outbox:
    def __init__(self, database: Database, *, topic_filter: str | None = None):
        self.db = database
        self.topic_filter = topic_filter

    async def claim_batch(self, worker: str) -> list[dict]:
        rows = await self.db.fetch_all(  # ok: SQLI
            query=f"""
                UPDATE {OUTBOX} SET claimed_by = :worker, claimed_at = now()
                WHERE id IN (
                    SELECT id FROM {OUTBOX}
                    WHERE sent_at IS NULL AND claimed_at IS NULL
                    ORDER BY id LIMIT {BATCH}
                    FOR UPDATE SKIP LOCKED
                )
                RETURNING id, topic, payload
            """,
            values={"worker": worker},
        )
        return [dict(r._mapping) for r in rows]

    async def claim_filtered(self, worker: str) -> list[dict]:
        query = f"SELECT id, topic, payload FROM {OUTBOX} WHERE sent_at IS NULL"
        if self.topic_filter:
            query += f" AND topic LIKE '{self.topic_filter}%'"
        rows = await self.db.fetch_all(query=query)  # expect: SQLI
        return [dict(r._mapping) for r in rows]

    async def mark_sent(self, ids: list[int]) -> None:
        await self.db.execute(  # ok: SQLI
            query=f"UPDATE {OUTBOX} SET sent_at = now() WHERE id = ANY(:ids)",
            values={"ids": ids},
        )

    async def release_stale(self, minutes: int = 10) -> None:
        await self.db.execute(  # expect: SQLI
            query=f"UPDATE {OUTBOX} SET claimed_by = NULL, claimed_at = NULL "
            f"WHERE sent_at IS NULL AND claimed_at < now() - interval '{minutes} minutes'"
        )

    async def dead_letter(self, row: dict, error: str) -> None:
        await self.db.execute(  # expect: SQLI
            "INSERT INTO notify.dead_letters (outbox_id, topic, error) VALUES (%d, '%s', '%s')"
            % (row["id"], row["topic"], error.replace("'", "''"))
        )
        log.warning("dead_lettered", outbox_id=row["id"], topic=row["topic"], error=error)

    async def requeue(self, outbox_ids: list[int]) -> None:
        for outbox_id in outbox_ids:
            await self.db.execute(query="UPDATE notify.outbox SET claimed_at = NULL WHERE id = :id", values={"id": outbox_id})  # ok: SQLI

    async def purge_topic(self, topic: str) -> None:
        await self.db.execute(query="DELETE FROM notify.outbox WHERE sent_at IS NOT NULL AND topic = '" + topic + "'")  # expect: SQLI

    async def pending_topics(self) -> dict[str, int]:
        rows = await self.db.fetch_all(
            "SELECT topic, count(*) AS n FROM notify.outbox WHERE sent_at IS NULL GROUP BY topic"
        )
        return {r["topic"]: r["n"] for r in rows}


async def dispatcher(outbox: Outbox, worker: str, handle) -> None:
    while True:
        batch = await outbox.claim_batch(worker)
        if not batch:
            await asyncio.sleep(1.0)
            continue
        done = []
        for row in batch:
            payload = json.loads(row["payload"]) if isinstance(row["payload"], str) else row["payload"]
            try:
                await handle(row["topic"], payload)
                done.append(row["id"])
            except Exception as exc:  # noqa: BLE001 - a bad message must not stop the loop
                log.exception("dispatch_failed", outbox_id=row["id"], topic=row["topic"], recipient=payload.get("email"))
                await outbox.dead_letter(row, repr(exc))
        await outbox.mark_sent(done)
        log.info("dispatched", count=len(done), failed=len(batch) - len(done))
