import asyncio
import logging
from typing import AsyncIterator, Iterable, List, Optional

import aiohttp
from aiohttp import ClientSession, ClientTimeout

log = logging.getLogger(__name__)

PAGE_TIMEOUT = ClientTimeout(total=30, sock_connect=5)  # ok: TMO010
NO_TIMEOUT = aiohttp.ClientTimeout(total=None)  # expect: TMO010


class Fetcher:
    def __init__(self, concurrency: int = 20, user_agent: str = "acmebot/0.9"):
        self._sem = asyncio.Semaphore(concurrency)
        self._headers = {"User-Agent": user_agent}
        self._session: Optional[ClientSession] = None

    async def __aenter__(self) -> "Fetcher":
        self._session = ClientSession(headers=self._headers, timeout=PAGE_TIMEOUT)  # ok: TMO010
        return self

    async def __aexit__(self, *exc) -> None:
        await self._session.close()

    async def fetch(self, url: str) -> Optional[str]:
        async with self._sem:
            try:
                async with self._session.get(url) as resp:  # ok: TMO010
                    if resp.status != 200:
                        return None
                    if "html" not in resp.headers.get("Content-Type", ""):  # ok: TMO001
                        return None
                    return await resp.text()
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                log.info("fetch %s failed: %s", url, exc)
                return None

    async def fetch_sitemap(self, url: str) -> str:
        # sitemaps can be huge; let them take as long as they need
        async with self._session.get(url, timeout=None) as resp:  # expect: TMO010
            return await resp.text()

    async def fetch_archive(self, url: str, dest: str) -> None:
        # NO_TIMEOUT is reported at its definition
        async with self._session.get(url, timeout=NO_TIMEOUT) as resp:  # ok: TMO010
            with open(dest, "wb") as fh:
                async for chunk in resp.content.iter_chunked(1 << 16):
                    fh.write(chunk)

    async def head(self, url: str):
        async with self._session.head(url, timeout=ClientTimeout(connect=5)) as resp:  # expect: TMO010
            return resp.headers

    async def post_form(self, url: str, form: dict) -> int:
        async with self._session.post(url, data=form, timeout=ClientTimeout(total=15)) as resp:  # ok: TMO010
            return resp.status


async def crawl(urls: Iterable[str]) -> List[Optional[str]]:
    async with Fetcher() as f:
        return await asyncio.gather(*(f.fetch(u) for u in urls))


async def fetch_robots(host: str) -> str:
    async with aiohttp.ClientSession(timeout=None) as session:  # ok: TMO010
        async with session.get(f"https://{host}/robots.txt") as resp:  # ok: TMO010
            return await resp.text()


async def stream_feed(url: str) -> AsyncIterator[bytes]:
    timeout = aiohttp.ClientTimeout()  # expect: TMO010
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.get(url) as resp:
            async for line in resp.content:
                yield line


async def post_results(url: str, results: list) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0)) as session:  # expect: TMO010
        async with session.post(url, json=results) as resp:
            resp.raise_for_status()


async def submit_to_index(index_url: str, urls: List[str]) -> None:
    connector = aiohttp.TCPConnector(limit_per_host=4)
    async with aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(  # expect: TMO010
            sock_connect=10,
        ),
    ) as session:
        for u in urls:
            await session.post(index_url, json={"url": u})


if __name__ == "__main__":
    import sys

    pages = asyncio.run(crawl(sys.argv[1:]))
    print(sum(1 for p in pages if p))
