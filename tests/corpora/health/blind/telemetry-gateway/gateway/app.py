"""Node-local telemetry gateway.

Receives OTLP-ish JSON batches from workloads on the same node, validates
them and forwards to Kafka. In ``--mode=aggregate`` it instead consumes from
Kafka and rolls up per-minute counters.
"""
from __future__ import annotations

import argparse
import asyncio
import logging

import orjson
from aiohttp import web
from aiokafka import AIOKafkaProducer

from .admin import build_admin
from .codes import STATUS_CODES

log = logging.getLogger("gateway")
routes = web.RouteTableDef()

PRODUCER = web.AppKey("producer", AIOKafkaProducer)
READY = web.AppKey("ready", asyncio.Event)


@routes.post("/v1/ingest")
async def ingest(request: web.Request) -> web.Response:
    batch = await request.json(loads=orjson.loads)
    if not isinstance(batch, list) or len(batch) > 5000:
        raise web.HTTPBadRequest(text="expected a list of at most 5000 points")
    await request.app[PRODUCER].send_and_wait("telemetry.raw", orjson.dumps(batch))
    return web.json_response({"accepted": len(batch)}, status=202)


@routes.get("/v1/status-codes")
async def status_codes(request: web.Request) -> web.Response:
    """Lookup table of ingest rejection codes, used by the SDKs."""
    return web.json_response(STATUS_CODES)


async def livez(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def readyz(request: web.Request) -> web.Response:
    if not request.app[READY].is_set():
        raise web.HTTPServiceUnavailable(text="kafka producer not started")
    return web.Response(text="ready")


async def _producer_ctx(app: web.Application):
    producer = AIOKafkaProducer(bootstrap_servers=app["kafka_bootstrap"], linger_ms=20)
    await producer.start()
    app[PRODUCER] = producer
    app[READY].set()
    yield
    app[READY].clear()
    await producer.stop()


async def create_app(kafka_bootstrap: str = "kafka:9092") -> web.Application:
    app = web.Application(client_max_size=8 * 1024 * 1024)  # ok: HEALTH
    app["kafka_bootstrap"] = kafka_bootstrap
    app[READY] = asyncio.Event()
    app.cleanup_ctx.append(_producer_ctx)

    app.add_routes(routes)
    app.router.add_get("/livez", livez)
    app.router.add_get("/readyz", readyz)

    # Operator endpoints (config dump) behind the /admin/ sub-app.
    app.add_subapp("/admin/", build_admin())
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=4318)
    parser.add_argument("--kafka", default="kafka:9092")
    parser.add_argument("--mode", choices=["ingest", "aggregate"], default="ingest")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    web.run_app(create_app(args.kafka), port=args.port, access_log=None)


if __name__ == "__main__":
    main()
