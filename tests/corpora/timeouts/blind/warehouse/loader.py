"""Data-warehouse loader: pulls daily exports and COPYs them into Postgres."""
from __future__ import annotations

import asyncio
import csv
import io
import logging
import os
import sqlite3
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Iterator

import psycopg
import psycopg2
import psycopg2.extras
import requests
from psycopg import sql

log = logging.getLogger("warehouse.loader")

WAREHOUSE_URL = os.environ["WAREHOUSE_URL"]
REPORTING_DSN = os.environ.get("REPORTING_DSN", "")
CONNECT_TIMEOUT = int(os.environ.get("PG_CONNECT_TIMEOUT", "10"))
CHECKPOINT_DB = os.environ.get("LOADER_CHECKPOINT_DB", "/var/lib/loader/checkpoints.sqlite3")


@dataclass
class ExportSpec:
    name: str
    table: str
    columns: list[str]
    url: str


# --------------------------------------------------------------------------- psycopg 3

@asynccontextmanager
async def warehouse_conn() -> AsyncIterator[psycopg.AsyncConnection]:
    conn = await psycopg.AsyncConnection.connect(WAREHOUSE_URL, autocommit=True)  # expect: TMO007
    try:
        yield conn
    finally:
        await conn.close()


async def copy_rows(spec: ExportSpec, rows: list[list[Any]]) -> int:
    async with await psycopg.AsyncConnection.connect(WAREHOUSE_URL, connect_timeout=CONNECT_TIMEOUT) as conn:  # ok: TMO007
        async with conn.cursor() as cur:
            stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(spec.table),
                sql.SQL(", ").join(map(sql.Identifier, spec.columns)),
            )
            async with cur.copy(stmt) as copy:
                for row in rows:
                    await copy.write_row(row)
    return len(rows)


async def refresh_materialized_views(views: list[str]) -> None:
    async with warehouse_conn() as conn:
        for view in views:
            await conn.execute(sql.SQL("REFRESH MATERIALIZED VIEW CONCURRENTLY {}").format(sql.Identifier(view)))


async def vacuum_analyze(base_dsn: str, tables: list[str]) -> None:
    conn = await psycopg.AsyncConnection.connect(f"{base_dsn} connect_timeout={CONNECT_TIMEOUT}", autocommit=True)  # ok: TMO007
    try:
        for table in tables:
            await conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    finally:
        await conn.close()


async def row_counts(tables: list[str], conn_kwargs: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    async with await psycopg.AsyncConnection.connect(WAREHOUSE_URL, **conn_kwargs) as conn:
        for table in tables:
            cur = await conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = (await cur.fetchone())[0]
    return counts


def reporting_conn() -> psycopg.Connection:
    return psycopg.connect(REPORTING_DSN, autocommit=True)  # expect: TMO007


def audit_conn() -> psycopg.Connection:
    return psycopg.connect("postgresql://loader@audit-db.internal:5432/audit?connect_timeout=5&application_name=wh-loader")  # ok: TMO007


# --------------------------------------------------------------------------- psycopg2

@contextmanager
def staging_conn() -> Iterator[Any]:
    conn = psycopg2.connect(  # ok: TMO007
        "host=staging-db.internal port=5432 dbname=staging "
        "user=loader connect_timeout=10"
    )
    try:
        yield conn
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    finally:
        conn.close()


def legacy_mart_conn():
    # expect: TMO007
    return psycopg2.connect("""
        host=legacy-mart.internal
        port=5432
        dbname=mart
        user=loader
        sslmode=require
    """)


def replica_conn(host: str, password: str):
    return psycopg2.connect(  # expect: TMO007
        host=host,
        port=5432,
        dbname="analytics",
        user="loader",
        password=password,
        sslmode="require",
    )


def conn_from_params(params: dict[str, Any]):
    return psycopg2.connect(**params)  # ok: TMO007


# --------------------------------------------------------------------------- checkpoints

def last_checkpoint(name: str) -> str | None:
    with sqlite3.connect(CHECKPOINT_DB) as db:  # ok: TMO007
        row = db.execute("SELECT cursor FROM checkpoints WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def save_checkpoint(name: str, cursor: str) -> None:
    with sqlite3.connect(CHECKPOINT_DB) as db:
        db.execute("INSERT OR REPLACE INTO checkpoints (name, cursor) VALUES (?, ?)", (name, cursor))


# --------------------------------------------------------------------------- export download

def iter_export_pages(s: requests.Session, url: str | None) -> Iterator[list[dict[str, Any]]]:
    while url:
        resp = s.get(url)  # expect: TMO001
        resp.raise_for_status()
        body = resp.json()
        yield body["rows"]
        url = body.get("next")


def download_csv_export(spec: ExportSpec) -> list[list[str]]:
    with requests.get(spec.url, stream=True) as r:  # expect: TMO001
        r.raise_for_status()
        reader = csv.reader(io.StringIO(r.text))
        header = next(reader)
        if header != spec.columns:
            raise ValueError(f"{spec.name}: unexpected header {header}")
        return list(reader)


def run(specs: list[ExportSpec]) -> None:
    http = requests.session()
    http.headers["Authorization"] = f"Bearer {os.environ['EXPORT_TOKEN']}"
    manifest = http.get(os.environ["EXPORT_MANIFEST_URL"]).json()  # expect: TMO001
    ready = {item["name"] for item in manifest["exports"] if item["status"] == "ready"}
    for spec in specs:
        if spec.name not in ready:
            log.info("export %s not ready yet", spec.name)
            continue
        rows = [[row[c] for c in spec.columns] for page in iter_export_pages(http, spec.url) for row in page]
        loaded = asyncio.run(copy_rows(spec, rows))
        save_checkpoint(spec.name, str(loaded))
    with staging_conn() as conn, conn.cursor(cursor_factory=psycopg2.extras.DictCursor) as cur:
        cur.execute("CALL staging.promote_daily()")
