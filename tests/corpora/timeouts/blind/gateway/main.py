"""Public API gateway. Fans requests out to internal services via httpx."""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, AsyncIterator

import httpx
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import StreamingResponse

log = logging.getLogger("gateway")

CATALOG_URL = os.environ.get("CATALOG_URL", "http://catalog.internal:8080")
ORDERS_URL = os.environ.get("ORDERS_URL", "http://orders.internal:8080")
LEGACY_URL = os.environ.get("LEGACY_URL", "http://legacy.internal")
EXPORTS_URL = os.environ.get("EXPORTS_URL", "http://exports.internal")

UPSTREAM_TIMEOUT = httpx.Timeout(10.0, connect=3.0)

app = FastAPI(title="marketplace-gateway")


@app.on_event("startup")
async def startup() -> None:
    app.state.catalog = httpx.AsyncClient(base_url=CATALOG_URL, timeout=UPSTREAM_TIMEOUT)
    app.state.orders = httpx.AsyncClient(base_url=ORDERS_URL)  # ok: TMO009
    # Export files can be several GB; the exports service streams them slowly.
    app.state.exports = httpx.AsyncClient(base_url=EXPORTS_URL, timeout=None)  # expect: TMO009


@app.on_event("shutdown")
async def shutdown() -> None:
    await asyncio.gather(app.state.catalog.aclose(), app.state.orders.aclose(), app.state.exports.aclose())


def catalog_client(request: Request) -> httpx.AsyncClient:
    return request.app.state.catalog


def exports_client(request: Request) -> httpx.AsyncClient:
    return request.app.state.exports


@app.get("/v1/items/{item_id}")
async def get_item(item_id: int, client: httpx.AsyncClient = Depends(catalog_client)) -> Any:
    resp = await client.get(f"/items/{item_id}")
    if resp.status_code == 404:
        raise HTTPException(404, "item not found")
    resp.raise_for_status()
    return resp.json()


@app.get("/v1/items")
async def search_items(q: str, page: int = 1, client: httpx.AsyncClient = Depends(catalog_client)) -> Any:
    resp = await client.get("/search", params={"q": q, "page": page}, timeout=httpx.Timeout(None))  # expect: TMO009
    resp.raise_for_status()
    return resp.json()


@app.get("/v1/orders/{order_id}")
async def get_order(order_id: int, request: Request) -> Any:
    client: httpx.AsyncClient = request.app.state.orders
    resp = await client.get(f"/orders/{order_id}", headers={"Authorization": request.headers.get("Authorization", "")})
    resp.raise_for_status()
    return resp.json()


@app.get("/v1/exports/{export_id}")
async def download_export(export_id: str, client: httpx.AsyncClient = Depends(exports_client)) -> StreamingResponse:
    upstream_req = client.build_request("GET", f"/exports/{export_id}/file")
    upstream = await client.send(upstream_req, stream=True)
    if upstream.status_code != 200:
        await upstream.aclose()
        raise HTTPException(upstream.status_code, "export not available")

    async def body() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream.aiter_bytes():
                yield chunk
        finally:
            await upstream.aclose()

    return StreamingResponse(body(), media_type=upstream.headers.get("content-type", "application/octet-stream"))


@app.get("/healthz")
def healthz() -> dict[str, str]:
    resp = httpx.get(f"{CATALOG_URL}/healthz")  # ok: TMO009
    return {"catalog": "ok" if resp.status_code == 200 else "degraded"}


@app.get("/v1/legacy/sku/{sku}")
def legacy_sku(sku: str) -> Any:
    resp = httpx.post(f"{LEGACY_URL}/lookup", json={"sku": sku}, timeout=None)  # expect: TMO009
    return resp.json()


@app.post("/v1/reports/{name}")
def run_report(name: str) -> Any:
    with httpx.Client(base_url=LEGACY_URL, timeout=httpx.Timeout(None)) as c:  # expect: TMO009
        resp = c.post(f"/reports/{name}/run")
        return resp.json()


@app.get("/v1/legacy/promo/{code}")
def legacy_promo(code: str) -> Any:
    resp = httpx.request("GET", f"{LEGACY_URL}/promo/{code}", timeout=None)  # expect: TMO009
    if resp.status_code == 404:
        raise HTTPException(404, "unknown promo code")
    return resp.json()


@app.get("/v1/recommendations/{user_id}")
async def recommendations(user_id: int) -> Any:
    async with httpx.AsyncClient(timeout=None) as c:  # expect: TMO009
        resp = await c.get(f"http://recs.internal/users/{user_id}")
    return resp.json()


@app.get("/v1/shipping/quote")
async def shipping_quote(zip_from: str, zip_to: str, grams: int) -> Any:
    async with httpx.AsyncClient() as c:  # ok: TMO009
        resp = await c.post("http://shipping.internal/quote", json={"from": zip_from, "to": zip_to, "grams": grams})
    return resp.json()
