"""Entry point: HTTP API + outbox dispatcher in one asyncio process.

    python -m notify.main
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket

import structlog
from aiohttp import web
from databases import Database

from notify.dedupe import DedupeCache
from notify.handlers import auth_middleware, routes
from notify.outbox import Outbox, dispatcher
from notify.senders import EmailSender, PushSender, SmsSender, send_all
from notify.store import Store

logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
log = structlog.get_logger("notify")

DSN = os.environ["NOTIFY_DSN"]


async def build_handler(store: Store, dedupe: DedupeCache):
    email_sender = EmailSender()
    sms_sender = SmsSender()
    push_sender = PushSender(os.environ["FCM_SERVER_KEY"])

    async def handle(topic: str, payload: dict) -> None:
        key = f"{topic}:{payload['event_id']}"
        if await dedupe.seen(key):
            log.info("duplicate_skipped", topic=topic, event_id=payload["event_id"])  # ok: PII
            return
        subscribers = await store.subscribers_for_topic(topic, payload.get("channel", "email"))
        event_log = log.bind(topic=topic, event_id=payload["event_id"], recipients=len(subscribers))  # ok: PII
        tasks = []
        for sub in subscribers:
            channel = payload.get("channel", "email")
            if channel == "email":
                tasks.append(email_sender.send(sub["address"], payload["template"], sub["locale"], payload.get("vars", {})))
            elif channel == "sms":
                tasks.append(sms_sender.send(sub["address"], payload["text"]))
            elif channel == "push":
                tasks.append(push_sender.send(sub["address"], payload["title"], payload["text"]))
            event_log.debug("queued_send", subscriber_id=sub["id"], channel=channel)  # ok: PII
        await send_all(tasks)
        await dedupe.remember(key)
        event_log.info("event_handled")

    return handle


async def main() -> None:
    store = await Store.connect(DSN)
    database = Database(DSN.replace("postgresql://", "postgresql+asyncpg://"))
    await database.connect()
    dedupe = DedupeCache(namespace=socket.gethostname())
    await dedupe.open()

    app = web.Application(middlewares=[auth_middleware])
    app["store"] = store
    app["service_tokens"] = {
        token: service for service, token in (item.split("=", 1) for item in os.environ.get("SERVICE_TOKENS", "").split(",") if item)
    }
    log.info("service_tokens_loaded", services=sorted(app["service_tokens"].values()))  # ok: PII
    log.debug("service_tokens_loaded", tokens=app["service_tokens"])  # expect: PII
    app.add_routes(routes)

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "0.0.0.0", int(os.environ.get("PORT", "8080")))
    await site.start()

    outbox = Outbox(database, topic_filter=os.environ.get("TOPIC_FILTER"))
    handler = await build_handler(store, dedupe)
    dispatch_task = asyncio.create_task(dispatcher(outbox, socket.gethostname(), handler))

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"notify listening on :{os.environ.get('PORT', '8080')}, pending={await store.count_pending()}")  # ok: PII
    await stop.wait()

    dispatch_task.cancel()
    await runner.cleanup()
    await database.disconnect()
    await store.pool.close()


if __name__ == "__main__":
    asyncio.run(main())
