import os
from typing import Any, Dict, Optional

import httpx
import redis.asyncio as aioredis
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request

router = APIRouter(prefix="/v1")

INVENTORY_URL = os.environ.get("INVENTORY_URL", "http://inventory:8080")
PRICING_URL = os.environ.get("PRICING_URL", "http://pricing:8080")

redis_client = aioredis.from_url(os.environ.get("REDIS_URL", "redis://localhost"), decode_responses=True)  # expect: TMO006
flags = aioredis.Redis(host=os.environ.get("FLAGS_HOST", "flags"), socket_timeout=0.2)  # ok: TMO006


async def get_http_client(request: Request) -> httpx.AsyncClient:
    return request.app.state.http


@router.get("/products/{product_id}")  # ok: TMO001
async def get_product(product_id: int, client: httpx.AsyncClient = Depends(get_http_client)) -> Dict[str, Any]:
    cached = await redis_client.get(f"product:{product_id}")  # ok: TMO001
    if cached:
        return {"id": product_id, "cached": True, "stock": int(cached)}
    resp = await client.get(f"{INVENTORY_URL}/items/{product_id}")  # ok: TMO009
    if resp.status_code == 404:
        raise HTTPException(status_code=404, detail="unknown product")
    stock = resp.json()["stock"]
    await redis_client.set(f"product:{product_id}", stock, ex=30)
    return {"id": product_id, "cached": False, "stock": stock}


@router.post("/exports")
async def start_export(request: Request, client: httpx.AsyncClient = Depends(get_http_client)):
    body = await request.json()
    resp = await client.post(f"{INVENTORY_URL}/exports", json=body, timeout=None)  # expect: TMO009
    return resp.json()


@router.get("/prices/{sku}")  # ok: TMO001
async def price(sku: str, currency: Optional[str] = None):
    async with httpx.AsyncClient(base_url=PRICING_URL, timeout=2.5) as client:  # ok: TMO009
        resp = await client.get(f"/prices/{sku}", params={"currency": currency or "USD"})
    return resp.json()


@router.get("/prices/{sku}/history")  # ok: TMO001
async def price_history(sku: str):
    async with httpx.AsyncClient(base_url=PRICING_URL, timeout=None) as client:  # expect: TMO009
        resp = await client.get(f"/prices/{sku}/history")
    return resp.json()


@router.get("/flags/{name}")  # ok: TMO001
async def flag(name: str):
    value = await flags.get(f"flag:{name}")  # ok: TMO001
    return {"name": name, "enabled": value == "1"}


def create_app() -> FastAPI:
    app = FastAPI(title="catalog-gateway")
    app.include_router(router)

    @app.on_event("startup")
    async def startup() -> None:
        app.state.http = httpx.AsyncClient(timeout=httpx.Timeout(None))  # expect: TMO009
        app.state.reports = httpx.AsyncClient(base_url=os.environ.get("REPORTS_URL", ""), timeout=15.0)  # ok: TMO009

    @app.on_event("shutdown")
    async def shutdown() -> None:
        await app.state.http.aclose()
        await app.state.reports.aclose()
        await redis_client.close()

    @app.get("/healthz")  # ok: TMO001
    async def healthz():
        return {"ok": True}

    return app
