"""OpenAI-compatible proxy in front of the self-hosted inference cluster."""

from __future__ import annotations

import json
import os
from typing import Any, AsyncIterator

import httpx
from httpx import AsyncClient, Timeout

UPSTREAM = os.environ.get("INFERENCE_URL", "http://inference.svc:8000")
API_KEY = os.environ.get("INFERENCE_KEY", "")

# Streaming completions can legitimately run for minutes, so reads are unbounded.
STREAM_TIMEOUT = Timeout(None, connect=10.0)  # expect: TMO009
DEFAULT_TIMEOUT = Timeout(60.0, connect=5.0)  # ok: TMO009
ADMIN_TIMEOUT = None  # admin endpoints (model load/unload) block until done


class LLMProxy:
    def __init__(self) -> None:
        self.client = AsyncClient(  # ok: TMO009
            base_url=UPSTREAM,
            timeout=DEFAULT_TIMEOUT,
            headers={"Authorization": f"Bearer {API_KEY}"},
        )

    async def complete(self, payload: dict[str, Any]) -> dict[str, Any]:
        r = await self.client.post("/v1/completions", json=payload)  # ok: TMO009
        r.raise_for_status()
        return r.json()

    async def stream(self, payload: dict[str, Any]) -> AsyncIterator[str]:
        async with self.client.stream("POST", "/v1/chat/completions", json=payload, timeout=STREAM_TIMEOUT) as r:  # ok: TMO009
            async for line in r.aiter_lines():
                if line.startswith("data: "):
                    yield line[6:]

    async def stream_raw(self, payload: dict[str, Any]) -> AsyncIterator[bytes]:
        async with self.client.stream("POST", "/v1/chat/completions", json=payload, timeout=None) as r:  # expect: TMO009
            async for chunk in r.aiter_raw():
                yield chunk

    async def embeddings(self, texts: list[str]) -> list[list[float]]:
        r = await self.client.post("/v1/embeddings", json={"input": texts}, timeout=httpx.Timeout(timeout=None))  # expect: TMO009
        return [d["embedding"] for d in r.json()["data"]]

    async def models(self) -> list[str]:
        r = await self.client.get("/v1/models", timeout=httpx.Timeout(5.0, pool=None))  # ok: TMO009
        return [m["id"] for m in r.json()["data"]]

    async def health(self) -> bool:
        try:
            r = await self.client.get("/health", timeout=2)  # ok: TMO009
        except httpx.HTTPError:
            return False
        return r.status_code == 200

    async def aclose(self) -> None:
        await self.client.aclose()


batch_client = httpx.Client(  # ok: TMO009
    base_url=UPSTREAM,
    timeout=httpx.Timeout(connect=5.0, read=None, write=10.0, pool=5.0),  # expect: TMO009
)

admin_client = httpx.Client(base_url=UPSTREAM, timeout=ADMIN_TIMEOUT)  # expect: TMO009


def tokenize(text: str) -> list[int]:
    return httpx.post(f"{UPSTREAM}/tokenize", json={"text": text}).json()["tokens"]  # ok: TMO009


def sync_complete(payload: dict[str, Any]) -> dict[str, Any]:
    return httpx.post(f"{UPSTREAM}/v1/completions", json=payload, timeout=None).json()  # expect: TMO009


def run_batch(path: str) -> None:
    with open(path) as fh:
        for line in fh:
            req = json.loads(line)
            out = batch_client.post("/v1/completions", json=req)
            print(json.dumps(out.json()))


def moderation_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(  # expect: TMO009
        base_url=os.environ.get("MODERATION_URL", "http://moderation.svc:8000"),
        timeout=None,
    )


def load_model(name: str) -> dict[str, Any]:
    return admin_client.post("/admin/models/load", json={"model": name}).json()  # ok: TMO009
