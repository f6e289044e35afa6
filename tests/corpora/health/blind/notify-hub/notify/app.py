"""notify-hub: fan-out of transactional notifications (email, SMS, push).

Kubernetes probes are expected to call GET /healthz on port 8080; see
manifests/. (The v1 API is documented in docs/api.md.)
"""
from __future__ import annotations

import json
import logging
import uuid

import redis.asyncio as aioredis
from aiohttp import web
from pydantic import BaseModel, ValidationError

log = logging.getLogger("notify")
routes = web.RouteTableDef()


class Notification(BaseModel):
    channel: str
    to: str
    template: str
    params: dict = {}


@routes.post("/v1/notifications")
async def create(request: web.Request) -> web.Response:
    try:
        note = Notification.model_validate(await request.json())
    except ValidationError as exc:
        raise web.HTTPUnprocessableEntity(text=exc.json(), content_type="application/json")
    note_id = str(uuid.uuid4())
    await request.app["redis"].xadd("notify:outbox", {"id": note_id, "body": note.model_dump_json()})
    await request.app["redis"].hset(f"notify:{note_id}", mapping={"status": "queued"})
    return web.json_response({"id": note_id}, status=202)


@routes.get("/v1/notifications/{note_id}/status")
async def status(request: web.Request) -> web.Response:
    data = await request.app["redis"].hgetall(f"notify:{request.match_info['note_id']}")
    if not data:
        raise web.HTTPNotFound()
    return web.json_response({k.decode(): v.decode() for k, v in data.items()})


@routes.get("/v1/ping")
async def ping(request: web.Request) -> web.Response:
    """Used by API clients to check their credentials; answers 'pong'."""
    return web.json_response({"pong": True})


@web.middleware
async def error_mw(request: web.Request, handler):
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("unhandled error on %s", request.path)
        return web.json_response({"error": "internal"}, status=500)


async def _redis_ctx(app: web.Application):
    app["redis"] = aioredis.from_url(app["redis_url"])
    yield
    await app["redis"].aclose()


async def make_app(redis_url: str = "redis://localhost:6379/0") -> web.Application:
    app = web.Application(middlewares=[error_mw])  # expect: HEALTH
    app["redis_url"] = redis_url
    app.cleanup_ctx.append(_redis_ctx)
    app.add_routes(routes)
    return app


if __name__ == "__main__":
    import os

    logging.basicConfig(level=logging.INFO)
    web.run_app(make_app(os.environ.get("REDIS_URL", "redis://localhost:6379/0")), port=8080)
