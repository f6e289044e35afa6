"""Operator endpoints (/admin/*), only reachable through the internal ingress."""
from __future__ import annotations

import datetime as dt
import logging

from aiohttp import web

from notify.privacy import mask_email

admin_routes = web.RouteTableDef()
logger = logging.getLogger("notify.admin")

SUBSCRIBERS = "notify.subscribers"
LOCALES = {"en", "de", "fr", "es", "it", "nl"}


@admin_routes.get("/admin/stats")
async def stats(request: web.Request) -> web.Response:
    pool = request.app["store"].pool
    days = request.query.get("days", "7")
    total = await pool.fetchval(f"SELECT count(*) FROM {SUBSCRIBERS}")  # ok: SQLI
    recent = await pool.fetchval(  # expect: SQLI
        f"SELECT count(*) FROM notify.deliveries WHERE sent_at > now() - interval '{days} days'"
    )
    failed = await pool.fetchval(  # ok: SQLI
        "SELECT count(*) FROM notify.deliveries WHERE failed_at > now() - make_interval(days => $1)",
        int(days),
    )
    return web.json_response({"subscribers": total, "sent": recent, "failed": failed})


@admin_routes.get("/admin/subscribers")
async def find_subscribers(request: web.Request) -> web.Response:
    pool = request.app["store"].pool
    email = request.query.get("email", "")
    locale = request.query.get("locale")
    sql = f"SELECT id, email, phone, locale FROM {SUBSCRIBERS} WHERE email ILIKE $1"
    args: list = [f"%{email}%"]
    if locale:
        if locale not in LOCALES:
            raise web.HTTPBadRequest(text="unknown locale")
        sql += f" AND locale = '{locale}'"
    rows = await pool.fetch(sql, *args)  # expect: SQLI
    logger.info("admin search returned %d subscribers (query length %d)", len(rows), len(email))
    logger.debug("admin search for email %r", email)
    return web.json_response([dict(r) for r in rows])


@admin_routes.get("/admin/subscribers/by-locale")
async def by_locale(request: web.Request) -> web.Response:
    pool = request.app["store"].pool
    locale = request.query.get("locale", "en")
    if locale not in LOCALES:
        raise web.HTTPBadRequest(text="unknown locale")
    row = await pool.fetchrow(f"SELECT count(*) AS n, min(created_at) AS first FROM {SUBSCRIBERS} WHERE locale = $1", locale)  # ok: SQLI
    return web.json_response({"count": row["n"], "first": row["first"].isoformat() if row["first"] else None})


@admin_routes.post("/admin/subscribers/{subscriber_id}/erase")
async def erase(request: web.Request) -> web.Response:
    pool = request.app["store"].pool
    subscriber_id = int(request.match_info["subscriber_id"])
    row = await pool.fetchrow("SELECT email FROM notify.subscribers WHERE id = $1", subscriber_id)  # ok: SQLI
    if row is None:
        raise web.HTTPNotFound()
    await pool.execute(  # ok: SQLI
        "UPDATE notify.subscribers SET email = NULL, phone = NULL, push_token = NULL, erased_at = now() WHERE id = $1",
        subscriber_id,
    )
    logger.warning("erased subscriber %s (was %s)", subscriber_id, mask_email(row["email"] or ""))
    logger.warning("erased subscriber %s, former address %s", subscriber_id, row["email"])
    return web.Response(status=204)


@admin_routes.post("/admin/deliveries/retry")
async def retry_failed(request: web.Request) -> web.Response:
    pool = request.app["store"].pool
    body = await request.json()
    logger.info("retry requested by %s: %s", request.headers.get("X-Forwarded-User"), body)
    since = dt.datetime.fromisoformat(body["since"])
    channels = body.get("channels", ["email"])
    channel_list = ",".join(f"'{c}'" for c in channels)
    n = await pool.fetchval(  # expect: SQLI
        f"WITH r AS (UPDATE notify.deliveries SET failed_at = NULL, retry_count = retry_count + 1 "
        f"WHERE failed_at >= $1 AND channel IN ({channel_list}) RETURNING 1) SELECT count(*) FROM r",
        since,
    )
    logger.info("requeued %s deliveries on channels %s", n, channels)
    return web.json_response({"requeued": n})


@admin_routes.post("/admin/templates/{name}/rename")
async def rename_template(request: web.Request) -> web.Response:
    pool = request.app["store"].pool
    old = request.match_info["name"]
    new = (await request.post())["new_name"]
    async with pool.acquire() as conn:
        await conn.execute("UPDATE notify.deliveries SET template = $1 WHERE template = $2", new, old)  # ok: SQLI
        await conn.execute(f"NOTIFY template_renamed, '{old}->{new}'")  # expect: SQLI
    return web.Response(status=204)
