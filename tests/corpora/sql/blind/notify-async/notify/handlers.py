"""HTTP API of the notification service (aiohttp)."""
from __future__ import annotations

import logging

import structlog
from aiohttp import web

from notify.privacy import mask_email, mask_phone
from notify.store import Store

routes = web.RouteTableDef()
log = structlog.get_logger("notify.http")
access = logging.getLogger("notify.access")


@routes.post("/v1/subscribers")
async def create_subscriber(request: web.Request) -> web.Response:
    store: Store = request.app["store"]
    body = await request.json()
    log.debug("create_subscriber_body", body=body)
    email = body.get("email")
    phone = body.get("phone")
    if not email and not phone:
        log.info("create_subscriber_rejected", reason="no contact", fields=sorted(body))
        raise web.HTTPBadRequest(text="email or phone required")
    existing = await store.subscriber_by_email(email) if email else None
    if existing:
        log.info("subscriber_exists", subscriber_id=existing["id"], email=email)
        if body.get("strict"):
            raise web.HTTPConflict(text=f"subscriber with email {email} already exists")
        return web.json_response({"id": existing["id"]}, status=200)
    subscriber_id = await store.pool.fetchval(  # ok: SQLI
        "INSERT INTO notify.subscribers (email, phone, locale) VALUES ($1, $2, $3) RETURNING id",
        email,
        phone,
        body.get("locale", "en"),
    )
    log.info(
        "subscriber_created",
        subscriber_id=subscriber_id,
        email=mask_email(email) if email else None,
        phone=mask_phone(phone) if phone else None,
    )
    return web.json_response({"id": subscriber_id}, status=201)


@routes.post("/v1/push-tokens")
async def register_push_token(request: web.Request) -> web.Response:
    data = await request.post()
    subscriber_id = int(data["subscriber_id"])
    push_token = data["token"]
    await request.app["store"].pool.execute(  # ok: SQLI
        "UPDATE notify.subscribers SET push_token = $1 WHERE id = $2", push_token, subscriber_id
    )
    bound = log.bind(subscriber_id=subscriber_id, platform=data.get("platform"))
    bound.info("push_token_registered", token_length=len(push_token))
    bound.debug("push_token_value", token=push_token)
    return web.Response(status=204)


@routes.get("/v1/subscribers/{subscriber_id}")
async def get_subscriber(request: web.Request) -> web.Response:
    subscriber_id = int(request.match_info["subscriber_id"])
    row = await request.app["store"].subscriber(subscriber_id)
    if row is None:
        raise web.HTTPNotFound()
    subscriber = dict(row)
    access.info("subscriber %s read by %s", subscriber_id, request.headers.get("X-Service-Name"))
    access.debug("subscriber record %s", subscriber)
    return web.json_response(subscriber)


@routes.post("/v1/webhooks/{provider}")
async def provider_webhook(request: web.Request) -> web.Response:
    provider = request.match_info["provider"]
    raw = await request.text()
    access.info("webhook from %s, %d bytes, headers %s", provider, len(raw), list(request.headers))
    access.debug("webhook headers: %s", request.headers)
    if provider == "sms":
        event = await request.json()
        if event.get("status") == "undelivered":
            log.warning("sms_undelivered", phone=event.get("to"), error=event.get("error_code"))
            log.warning("sms_undelivered_count", error=event.get("error_code"), has_recipient=bool(event.get("to")))
    else:
        log.info("webhook_ignored", provider=provider, body=raw)
    return web.Response(status=204)


@web.middleware
async def auth_middleware(request: web.Request, handler):
    if request.path.startswith("/v1/"):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in request.app["service_tokens"]:
            access.warning("rejected request to %s with Authorization=%s", request.path, request.headers.get("Authorization"))
            raise web.HTTPUnauthorized()
        access.debug("service %s authenticated", request.app["service_tokens"][token])
    return await handler(request)
