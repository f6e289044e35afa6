"""Kafka consumer that folds carrier webhooks into parcel_status rows.

Runs as its own Deployment (parcel-events-consumer) with the same image.
"""
import asyncio
import json
import logging

import asyncpg
from aiokafka import AIOKafkaConsumer

from app.settings import settings

log = logging.getLogger("parcel.consumer")


async def run() -> None:
    pool = await asyncpg.create_pool(settings.database_dsn)
    consumer = AIOKafkaConsumer(
        settings.events_topic,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id="parcel-status-writer",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        async for msg in consumer:
            event = json.loads(msg.value)
            await pool.execute(
                "INSERT INTO parcel_status (parcel_id, status, updated_at, location) "
                "VALUES ($1, $2, $3, $4)",
                event["parcel_id"], event["status"], event["ts"], event.get("location"),
            )
            await consumer.commit()
    finally:
        await consumer.stop()
        await pool.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(run())
