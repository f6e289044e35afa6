"""psycopg 3 helpers used by the async order pipeline."""
from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import contextmanager
from typing import Any, Iterator

import psycopg
from django.conf import settings
from psycopg.rows import dict_row

log = logging.getLogger(__name__)

ORDERS_DSN = os.environ.get("ORDERS_DSN", "postgresql://orders@orders-db.internal/orders")
DB_CONNECT_TIMEOUT = settings.DB_CONNECT_TIMEOUT


@contextmanager
def orders_conn() -> Iterator[psycopg.Connection]:
    with psycopg.connect(ORDERS_DSN, row_factory=dict_row) as conn:  # expect: TMO007
        yield conn


async def pending_orders(limit: int = 100) -> list[dict[str, Any]]:
    async with await psycopg.AsyncConnection.connect(  # ok: TMO007
        ORDERS_DSN, connect_timeout=DB_CONNECT_TIMEOUT, row_factory=dict_row
    ) as aconn:
        async with aconn.cursor() as cur:
            await cur.execute(
                "SELECT * FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT %s",
                (limit,),
            )
            return await cur.fetchall()


async def mark_shipped(order_ids: list[int]) -> None:
    async with await psycopg.AsyncConnection.connect(settings.ORDERS_WRITER_DSN) as aconn:  # expect: TMO007
        async with aconn.transaction():
            await aconn.execute("UPDATE orders SET status = 'shipped' WHERE id = ANY(%s)", (order_ids,))


def search_conn() -> psycopg.Connection:
    return psycopg.connect("postgresql://search@search-db.internal:5432/search?connect_timeout=4&application_name=indexer")  # ok: TMO007


def admin_conn() -> psycopg.Connection:
    return psycopg.connect(host=settings.DB_HOST, dbname="market", user="admin", password=settings.DB_ADMIN_PASSWORD)  # expect: TMO007


def conn_from_config(cfg: dict[str, Any]) -> psycopg.Connection:
    return psycopg.connect(**cfg)  # ok: TMO007


connect_listings = lambda: psycopg.connect(os.environ["LISTINGS_DSN"])  # expect: TMO007


def local_cache_conn() -> sqlite3.Connection:
    return sqlite3.connect(os.path.join(settings.CACHE_DIR, "listings.db"))  # ok: TMO007


async def copy_orders_to_warehouse(day: str) -> int:
    src = await psycopg.AsyncConnection.connect(ORDERS_DSN, connect_timeout=10)
    dst = await psycopg.AsyncConnection.connect(settings.WAREHOUSE_DSN)  # expect: TMO007
    copied = 0
    try:
        async with src.cursor() as scur, dst.cursor() as dcur:
            async with scur.copy("COPY (SELECT * FROM orders WHERE created_at::date = %s) TO STDOUT", (day,)) as out:
                async with dcur.copy("COPY staging_orders FROM STDIN") as inp:
                    async for chunk in out:
                        await inp.write(chunk)
                        copied += len(chunk)
        await dst.commit()
        log.info("copied %d bytes of orders for %s", copied, day)
        return copied
    finally:
        await src.close()
        await dst.close()
