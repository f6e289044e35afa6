"""Outbound webhook dispatcher (async worker consuming from the events queue)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from typing import Any, Iterable

import aiohttp
import httpx

log = logging.getLogger(__name__)


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Dispatcher:
    def __init__(self, max_attempts: int = 5) -> None:
        self._session: aiohttp.ClientSession | None = None
        self.max_attempts = max_attempts

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10, connect=3))  # ok: TMO010

    async def stop(self) -> None:
        if self._session:
            await self._session.close()

    async def deliver(self, url: str, payload: dict[str, Any], secret: str) -> bool:
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "X-Signature": sign(secret, body)}
        for attempt in range(1, self.max_attempts + 1):
            try:
                async with self._session.post(url, data=body, headers=headers) as r:  # ok: TMO010
                    if r.status < 500:
                        return 200 <= r.status < 300
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                log.info("attempt %d to %s failed: %s", attempt, url, exc)
            await asyncio.sleep(2 ** attempt)
        return False

    async def deliver_large(self, url: str, payload: dict[str, Any]) -> int:
        async with self._session.post(url, json=payload, timeout=None) as r:  # expect: TMO010
            return r.status

    async def deliver_slow_partner(self, url: str, payload: dict[str, Any]) -> int:
        async with self._session.post(  # ok: TMO010
            url,
            json=payload,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=5),  # expect: TMO010
        ) as r:
            return r.status

    async def verify_endpoint(self, url: str) -> bool:
        async with self._session.options(url, timeout=aiohttp.ClientTimeout(total=3)) as r:  # ok: TMO010
            return r.status < 400


async def deliver_via_httpx(url: str, payload: dict[str, Any]) -> int:
    async with httpx.AsyncClient(timeout=httpx.Timeout(None)) as client:  # expect: TMO009
        r = await client.post(url, json=payload)
        return r.status_code


async def deliver_httpx_bounded(url: str, payload: dict[str, Any]) -> int:
    async with httpx.AsyncClient(timeout=10) as client:  # ok: TMO009
        r = await client.post(url, json=payload, timeout=None)  # expect: TMO009
        return r.status_code


RETRY_CLIENT = httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(retries=3))  # ok: TMO009


async def replay(urls: Iterable[str], payload: dict[str, Any]) -> list[int]:
    results = await asyncio.gather(*(RETRY_CLIENT.post(u, json=payload) for u in urls))  # ok: TMO009
    return [r.status_code for r in results]


def sync_ping(url: str) -> int:
    with httpx.Client() as c:  # ok: TMO009
        return c.head(url, timeout=None).status_code  # expect: TMO009


async def fanout(urls: Iterable[str], payload: dict[str, Any]) -> None:
    timeout = aiohttp.ClientTimeout(total=0, sock_connect=2)  # expect: TMO010
    async with aiohttp.ClientSession(timeout=timeout) as s:
        await asyncio.gather(*(s.post(u, json=payload) for u in urls))


async def fetch_endpoint_config(url: str) -> dict[str, Any]:
    async with aiohttp.ClientSession() as s:  # ok: TMO010
        async with s.get(url, timeout=aiohttp.ClientTimeout(total=5, sock_read=None)) as r:  # ok: TMO010
            return await r.json()


async def worker(queue: asyncio.Queue) -> None:
    d = Dispatcher()
    await d.start()
    try:
        while True:
            job = await queue.get()  # ok: TMO001
            ok = await d.deliver(job["url"], job["payload"], job["secret"])
            if not ok:
                log.warning("giving up on %s", job.get("id"))  # ok: TMO001
            queue.task_done()
    finally:
        await d.stop()


def stream_events(url: str) -> Iterable[bytes]:
    with httpx.stream("GET", url, timeout=httpx.Timeout(15.0, read=None)) as r:  # expect: TMO009
        yield from r.iter_bytes()
