"""Metrics ingestion: scrape exporters, de-duplicate, remote-write to the TSDB."""
from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import os
from dataclasses import dataclass, field
from typing import AsyncIterator, Iterable

import aiohttp
import httpx
import redis.asyncio as aioredis

log = logging.getLogger("telemetry.ingest")

SCRAPE_TIMEOUT = aiohttp.ClientTimeout(total=10, sock_connect=2)  # ok: TMO010
FIREHOSE_TIMEOUT = aiohttp.ClientTimeout(sock_connect=5, sock_read=90)  # expect: TMO010
TSDB_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
DEDUPE_TTL_S = int(os.environ.get("DEDUPE_TTL_S", "120"))


@dataclass
class ScrapeTarget:
    job: str
    url: str
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Sample:
    target: ScrapeTarget
    body: bytes


class Scraper:
    def __init__(self, targets: Iterable[ScrapeTarget], dedupe_url: str, concurrency: int = 32) -> None:
        self.targets = list(targets)
        self._sem = asyncio.Semaphore(concurrency)
        self._session: aiohttp.ClientSession | None = None
        self._dedupe = aioredis.from_url(dedupe_url)  # expect: TMO006

    async def __aenter__(self) -> "Scraper":
        self._session = aiohttp.ClientSession(timeout=SCRAPE_TIMEOUT, raise_for_status=True)
        return self

    async def __aexit__(self, *exc) -> None:
        if self._session is not None:
            await self._session.close()
        await self._dedupe.aclose()

    async def _seen(self, body: bytes) -> bool:
        digest = hashlib.blake2b(body, digest_size=16).hexdigest()
        return not await self._dedupe.set(f"scrape:{digest}", 1, ex=DEDUPE_TTL_S, nx=True)

    async def scrape_one(self, target: ScrapeTarget) -> Sample | None:
        assert self._session is not None
        async with self._sem:
            try:
                async with self._session.get(target.url, headers={"Accept": "text/plain"}) as resp:  # ok: TMO001
                    body = await resp.read()
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                log.warning("scrape %s failed: %s", target.url, exc)
                return None
        if await self._seen(body):
            return None
        return Sample(target, body)

    async def scrape_all(self) -> list[Sample]:
        results = await asyncio.gather(*(self.scrape_one(t) for t in self.targets))
        return [r for r in results if r is not None]


async def follow_firehose(url: str, token: str) -> AsyncIterator[bytes]:
    """Long-lived push stream from the edge collectors."""
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None), headers=headers) as session:  # expect: TMO010
        async with session.get(url) as resp:
            async for chunk in resp.content.iter_chunked(1 << 16):
                yield chunk


async def follow_firehose_v2(url: str, token: str) -> AsyncIterator[bytes]:
    async with aiohttp.ClientSession(timeout=FIREHOSE_TIMEOUT) as session:
        async with session.get(url, headers={"Authorization": f"Bearer {token}"}) as resp:
            async for line in resp.content:
                yield line


class RemoteWriter:
    def __init__(self, endpoint: str, token: str) -> None:
        self._client = httpx.AsyncClient(
            base_url=endpoint,
            headers={"Authorization": f"Bearer {token}", "Content-Encoding": "gzip"},
            timeout=TSDB_TIMEOUT,
        )
        self._fallback = httpx.AsyncClient(base_url=endpoint)  # ok: TMO009

    async def write(self, samples: list[Sample]) -> None:
        payload = gzip.compress(b"\n".join(s.body for s in samples))
        try:
            resp = await self._client.post("/api/v1/write", content=payload)
            resp.raise_for_status()
        except httpx.HTTPError:
            resp = await self._fallback.post("/api/v1/write", content=payload)  # ok: TMO001
            resp.raise_for_status()

    async def aclose(self) -> None:
        await self._client.aclose()
        await self._fallback.aclose()


async def backfill(endpoint: str, chunks: Iterable[bytes]) -> int:
    """Historical import can take minutes per chunk on the TSDB side."""
    written = 0
    async with httpx.AsyncClient(base_url=endpoint, timeout=None) as client:  # expect: TMO009
        for chunk in chunks:
            r = await client.post("/api/v1/import", content=chunk)
            r.raise_for_status()
            written += len(chunk)
    return written


class SeriesCardinalityGuard:
    def __init__(self, host: str) -> None:
        self._r = aioredis.Redis(host=host, port=6379, socket_timeout=0.5, socket_connect_timeout=0.5)  # ok: TMO007

    async def over_limit(self, tenant: str, limit: int) -> bool:
        current = await self._r.get(f"cardinality:{tenant}")
        return current is not None and int(current) > limit


async def run_forever(targets: list[ScrapeTarget], dedupe_url: str, tsdb: str, token: str) -> None:
    writer = RemoteWriter(tsdb, token)
    guard = SeriesCardinalityGuard(os.environ.get("CARDINALITY_REDIS_HOST", "localhost"))
    try:
        async with Scraper(targets, dedupe_url) as scraper:
            while True:
                samples = await scraper.scrape_all()
                allowed = [s for s in samples if not await guard.over_limit(s.target.job, 1_000_000)]
                if allowed:
                    await writer.write(allowed)
                await asyncio.sleep(15)
    finally:
        await writer.aclose()
