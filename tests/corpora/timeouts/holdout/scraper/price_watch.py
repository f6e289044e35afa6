"""Competitor price watcher. Run from cron every 30 minutes."""

import asyncio
import json
import logging
import re
import sys
from typing import Dict, List, Optional

import aiohttp
from aiohttp import ClientTimeout as CT

log = logging.getLogger("price_watch")

DEFAULT = CT(total=20)  # ok: TMO010
SLOW_SITES = CT(total=None, sock_connect=10)  # expect: TMO010
PRICE_RE = re.compile(r'"price"\s*:\s*"?(\d+(?:\.\d+)?)')
LOGIN_URL = "https://partner-portal.example.com/login"


async def fetch_one(sess: aiohttp.ClientSession, url: str) -> Optional[float]:
    async with sess.get(url, allow_redirects=True) as r:  # ok: TMO010
        if r.status != 200:
            return None
        m = PRICE_RE.search(await r.text())
        return float(m.group(1)) if m else None


async def fetch_slow(sess: aiohttp.ClientSession, url: str) -> Optional[float]:
    async with sess.get(url, timeout=SLOW_SITES) as r:  # ok: TMO010
        m = PRICE_RE.search(await r.text())
        return float(m.group(1)) if m else None


async def download_feed(sess: aiohttp.ClientSession, url: str, path: str) -> None:
    async with sess.get(url, timeout=None) as r:  # expect: TMO010
        with open(path, "wb") as fh:
            async for chunk in r.content.iter_chunked(65536):
                fh.write(chunk)


async def login(sess: aiohttp.ClientSession, creds: Dict[str, str]) -> bool:
    async with sess.post(LOGIN_URL, data=creds, timeout=CT(total=10)) as r:  # ok: TMO010
        return r.status == 200


async def poll_job(sess, job_url):
    # sess comes from plugins; we do not know which client library it is
    async with sess.get(job_url, timeout=None) as r:  # ok: TMO010
        return await r.json()


async def sitemap_urls(root: str) -> List[str]:
    timeout = aiohttp.ClientTimeout(sock_connect=5)  # expect: TMO010
    async with aiohttp.ClientSession(timeout=timeout) as s:
        async with s.get(root.rstrip("/") + "/sitemap.xml") as r:
            return re.findall(r"<loc>(.*?)</loc>", await r.text())


async def archive_page(url: str, dest: str) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, connect=10)) as s:  # expect: TMO010
        async with s.get(url) as r:
            with open(dest, "w") as fh:
                fh.write(await r.text())


async def probe(url: str) -> int:
    async with aiohttp.ClientSession() as s:  # ok: TMO010
        async with s.head(url, timeout=CT(total=5)) as r:  # ok: TMO010
            return r.status


async def notify(webhook: str, changes: Dict[str, float]) -> None:
    async with aiohttp.ClientSession(timeout=None) as s:  # ok: TMO010
        await s.post(webhook, json={"text": json.dumps(changes, indent=1)})


async def run(targets: Dict[str, str], state_path: str, webhook: Optional[str]) -> None:
    try:
        with open(state_path) as fh:
            last = json.load(fh)
    except FileNotFoundError:
        last = {}
    connector = aiohttp.TCPConnector(limit=8, ttl_dns_cache=300)
    async with aiohttp.ClientSession(connector=connector, timeout=DEFAULT,
                                     headers={"User-Agent": "Mozilla/5.0 (price-watch)"}) as sess:
        prices = await asyncio.gather(*(fetch_one(sess, u) for u in targets.values()), return_exceptions=True)
    changes = {}
    for (name, _), price in zip(targets.items(), prices):
        if isinstance(price, float) and last.get(name) != price:  # ok: TMO001
            changes[name] = price
    if changes and webhook:
        await notify(webhook, changes)
    last.update(changes)
    with open(state_path, "w") as fh:
        json.dump(last, fh)


async def deep_crawl(seed: str, max_pages: int = 500) -> List[str]:
    seen, queue = set(), [seed]
    crawl_timeout = CT(total=0, sock_connect=3)  # expect: TMO010
    async with aiohttp.ClientSession(timeout=crawl_timeout) as s:
        while queue and len(seen) < max_pages:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            async with s.get(url) as r:
                html = await r.text()
            queue.extend(u for u in re.findall(r'href="(https?://[^"]+)"', html) if u.startswith(seed))
    return sorted(seen)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    with open(sys.argv[1]) as fh:
        cfg = json.load(fh)
    asyncio.run(run(cfg["targets"], cfg["state"], cfg.get("webhook")))  # ok: TMO001
