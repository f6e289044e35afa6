"""Competitor price scraper (aiohttp)."""
from __future__ import annotations

import asyncio
import logging
import random
import re
import urllib.request
from dataclasses import dataclass
from typing import AsyncIterator, Iterable
from urllib.parse import urljoin, urlparse

import aiohttp

log = logging.getLogger("scraper")

DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=45, sock_connect=10)  # ok: TMO010
SITEMAP_TIMEOUT = aiohttp.ClientTimeout(total=None)  # expect: TMO010
USER_AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
]
PRICE_RE = re.compile(r'"price"\s*:\s*"?(?P<price>\d+(?:\.\d{1,2})?)')


@dataclass
class PricePoint:
    url: str
    price: float | None
    status: int


def _parse_price(html: str) -> float | None:
    m = PRICE_RE.search(html)
    return float(m.group("price")) if m else None


class Crawler:
    def __init__(self, concurrency: int = 8, timeout: aiohttp.ClientTimeout = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._sem = asyncio.Semaphore(concurrency)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> "Crawler":
        self._session = aiohttp.ClientSession(timeout=self.timeout, headers={"User-Agent": random.choice(USER_AGENTS)})
        return self

    async def __aexit__(self, *exc_info) -> None:
        if self._session is not None:
            await self._session.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        assert self._session is not None, "use Crawler as an async context manager"
        return self._session

    async def fetch_price(self, url: str) -> PricePoint:
        async with self._sem:
            async with self.session.get(url) as resp:
                if resp.status != 200:
                    return PricePoint(url, None, resp.status)
                html = await resp.text()
        return PricePoint(url, _parse_price(html), 200)

    async def sitemap_urls(self, sitemap_url: str) -> list[str]:
        async with self.session.get(sitemap_url, timeout=SITEMAP_TIMEOUT) as resp:
            body = await resp.text()
        return re.findall(r"<loc>(.*?)</loc>", body)

    async def nested_sitemaps(self, index_url: str) -> list[str]:
        async with self.session.get(index_url, timeout=aiohttp.ClientTimeout(total=None)) as resp:  # expect: TMO010
            body = await resp.text()
        return re.findall(r"<loc>(.*?\.xml(?:\.gz)?)</loc>", body)

    async def fetch_feed(self, url: str) -> bytes:
        timeout = aiohttp.ClientTimeout(sock_connect=5, sock_read=60)  # expect: TMO010
        async with self.session.get(url, timeout=timeout) as resp:
            resp.raise_for_status()
            return await resp.read()

    async def fetch_many(self, urls: Iterable[str]) -> list[PricePoint]:
        return list(await asyncio.gather(*(self.fetch_price(u) for u in urls)))


async def robots_allows(url: str, agent: str = "*") -> bool:
    parsed = urlparse(url)
    robots = f"{parsed.scheme}://{parsed.netloc}/robots.txt"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout()) as s:  # expect: TMO010
        async with s.get(robots) as resp:
            if resp.status >= 400:
                return True
            text = await resp.text()
    rules = re.findall(r"(?im)^disallow:\s*(\S+)", text)
    return not any(parsed.path.startswith(rule) for rule in rules)


async def crawl_competitor(base_url: str, sitemap_path: str = "/sitemap.xml") -> list[PricePoint]:
    async with aiohttp.ClientSession() as s:  # ok: TMO010
        async with s.get(urljoin(base_url, sitemap_path)) as resp:
            body = await resp.text()
    urls = [u for u in re.findall(r"<loc>(.*?)</loc>", body) if "/product/" in u]
    allowed = [u for u in urls[:500] if await robots_allows(u)]
    async with Crawler(concurrency=4) as crawler:
        return await crawler.fetch_many(allowed)


def fetch_price_urllib(url: str) -> float | None:
    """Fallback for sites that block aiohttp's TLS fingerprint."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENTS[1]})
    with urllib.request.urlopen(req) as fh:  # expect: TMO002
        html = fh.read().decode("utf-8", "replace")
    return _parse_price(html)


async def poll_price_stream(url: str) -> AsyncIterator[str]:
    timeout = aiohttp.ClientTimeout(total=600, sock_read=90)  # ok: TMO010
    async with aiohttp.ClientSession(timeout=timeout) as s:
        async with s.get(url) as resp:
            async for line in resp.content:
                yield line.decode().strip()
