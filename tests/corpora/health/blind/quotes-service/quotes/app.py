"""Insurance quote service (Starlette).

Everything JSON lives under /api so the nginx in front can route /static to
the CDN bucket. GET /api/health is what the uptime monitor hits.
"""
import contextlib
import json
import os

import redis.asyncio as redis
from databases import Database
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

database = Database(os.environ.get("DATABASE_URL", "postgresql://quotes:quotes@localhost/quotes"))
cache = redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))


async def list_quotes(request: Request) -> JSONResponse:
    rows = await database.fetch_all("SELECT id, product, premium_cents FROM quotes ORDER BY id DESC LIMIT 50")
    return JSONResponse([dict(r) for r in rows])


async def get_quote(request: Request) -> JSONResponse:
    quote_id = request.path_params["quote_id"]
    cached = await cache.get(f"quote:{quote_id}")
    if cached:
        return JSONResponse(json.loads(cached))
    row = await database.fetch_one("SELECT id, product, premium_cents FROM quotes WHERE id = :id", {"id": quote_id})
    if row is None:
        raise HTTPException(status_code=404)
    body = dict(row)
    await cache.set(f"quote:{quote_id}", json.dumps(body), ex=300)
    return JSONResponse(body)


async def health(request: Request) -> JSONResponse:
    await database.fetch_val("SELECT 1")
    await cache.ping()
    return JSONResponse({"status": "ok"})


@contextlib.asynccontextmanager
async def lifespan(app):
    await database.connect()
    yield
    await database.disconnect()
    await cache.aclose()


api = [
    Route("/quotes", list_quotes),
    Route("/quotes/{quote_id:int}", get_quote),
    Route("/health", health),
]

routes = [
    Mount("/api", routes=api),
    Mount("/static", app=StaticFiles(directory="static", check_dir=False), name="static"),
]

app = Starlette(debug=False, routes=routes, lifespan=lifespan)  # expect: HEALTH
