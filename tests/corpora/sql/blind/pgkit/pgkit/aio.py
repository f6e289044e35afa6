"""Async helpers (psycopg 3 + psycopg_pool) for asyncio services."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

log = logging.getLogger("pgkit.aio")

LOCK_NAMESPACE = 4242
APP_NAME = "pgkit"


def make_pool(dsn: str, *, min_size: int = 1, max_size: int = 10, app_name: str = APP_NAME) -> AsyncConnectionPool:
    async def configure(conn: psycopg.AsyncConnection) -> None:
        await conn.execute(f"SET application_name = '{app_name}'")  # expect: SQLI
        await conn.execute(f"SET idle_in_transaction_session_timeout = '60s'")  # ok: SQLI
        await conn.set_autocommit(True)

    return AsyncConnectionPool(dsn, min_size=min_size, max_size=max_size, configure=configure, open=False)


@asynccontextmanager
async def advisory_lock(conn: psycopg.AsyncConnection, key: int) -> AsyncIterator[None]:
    await conn.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_NAMESPACE, key))  # ok: SQLI
    try:
        yield
    finally:
        await conn.execute(f"SELECT pg_advisory_unlock({LOCK_NAMESPACE}, {key})")  # expect: SQLI


async def fetch_all(conn: psycopg.AsyncConnection, query: sql.Composable | str, params: Any = None) -> list[dict]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, params)  # ok: SQLI
        return await cur.fetchall()


async def set_role(conn: psycopg.AsyncConnection, role: str) -> None:
    await conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))  # ok: SQLI


async def listen(conn: psycopg.AsyncConnection, channel: str) -> None:
    await conn.execute("LISTEN " + channel)  # expect: SQLI


async def notify(conn: psycopg.AsyncConnection, channel: str, payload: str) -> None:
    await conn.execute("SELECT pg_notify(%s, %s)", (channel, payload))  # ok: SQLI
    log.debug("notified %s (%d bytes)", channel, len(payload))


async def copy_rows(conn: psycopg.AsyncConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    async with conn.cursor() as cur:
        async with cur.copy(stmt) as copy:
            for row in rows:
                await copy.write_row(row)


async def table_exists(conn: psycopg.AsyncConnection, schema: str, table: str) -> bool:
    async with conn.cursor() as cur:
        await cur.execute(  # expect: SQLI
            "SELECT to_regclass('{}.{}') IS NOT NULL".format(schema, table)
        )
        (exists,) = await cur.fetchone()
    return exists


async def explain(conn: psycopg.AsyncConnection, query: str, params: Any = None, analyze: bool = False) -> list[str]:
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN "
    async with conn.cursor() as cur:
        await cur.execute(prefix + query, params)  # expect: SQLI
        return [line for (line,) in await cur.fetchall()]


async def server_version(pool: AsyncConnectionPool) -> str:
    async with pool.connection() as conn:
        cur = await conn.execute("SHOW server_version")  # ok: SQLI
        (version,) = await cur.fetchone()
    log.info("connected to postgres %s", version)
    return version
