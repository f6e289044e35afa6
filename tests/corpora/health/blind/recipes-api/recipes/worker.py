"""arq worker: thumbnails and search reindexing."""
import asyncio
import os

from arq import create_pool
from arq.connections import RedisSettings

REDIS = RedisSettings.from_dsn(os.environ.get("REDIS_URL", "redis://localhost:6379"))


async def make_thumbnail(ctx, image_key: str) -> str:
    return f"thumbs/{image_key}"


async def reindex(ctx) -> int:
    return 0


def enqueue_reindex() -> None:
    async def _go():
        pool = await create_pool(REDIS)
        await pool.enqueue_job("reindex")

    asyncio.run(_go())


class WorkerSettings:
    functions = [make_thumbnail, reindex]
    redis_settings = REDIS
