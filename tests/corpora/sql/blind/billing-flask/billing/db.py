"""Database access helpers for the billing service.

Plain psycopg2 with a ThreadedConnectionPool; the ORM experiment was rolled
back in 2021 (see docs/adr/0007-no-orm.md).
"""
from __future__ import annotations

import logging
from contextlib import contextmanager

import psycopg2.extras
from flask import g
from psycopg2 import sql
from psycopg2.pool import ThreadedConnectionPool

log = logging.getLogger(__name__)

_pool: ThreadedConnectionPool | None = None

SCHEMA = "billing"
INVOICES_TABLE = "billing.invoices"


def init_pool(app) -> None:
    global _pool
    size = app.config.get("DB_POOL_SIZE", 10)
    _pool = ThreadedConnectionPool(minconn=1, maxconn=size, dsn=app.config["DATABASE_URL"])
    log.info("database pool ready (max=%s)", size)
    app.teardown_appcontext(_release)


def get_conn():
    if "db_conn" not in g:
        g.db_conn = _pool.getconn()
    return g.db_conn


def _release(exc) -> None:
    conn = g.pop("db_conn", None)
    if conn is None:
        return
    if exc is not None:
        conn.rollback()
    _pool.putconn(conn)


@contextmanager
def cursor(dict_rows: bool = True):
    conn = get_conn()
    factory = psycopg2.extras.RealDictCursor if dict_rows else None
    cur = conn.cursor(cursor_factory=factory)
    try:
        yield cur
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    finally:
        cur.close()


def fetch_one(query, params=None):
    """Run a parameterized query and return the first row, or None.

    ``query`` must be a constant or a psycopg2.sql object; pass values via ``params``.
    """
    with cursor() as cur:
        cur.execute(query, params)  # ok: SQLI
        return cur.fetchone()


def fetch_all(query, params=None):
    with cursor() as cur:
        cur.execute(query, params)  # ok: SQLI
        return cur.fetchall()


def set_statement_timeout(ms: int) -> None:
    """Per-transaction timeout for the slow reporting endpoints."""
    with cursor(dict_rows=False) as cur:
        cur.execute(f"SET LOCAL statement_timeout = {ms}")  # expect: SQLI


def set_search_path(schema: str) -> None:
    with cursor(dict_rows=False) as cur:
        cur.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(schema)))  # ok: SQLI


def table_row_count(table_name: str) -> int:
    query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(SCHEMA, table_name))
    with cursor(dict_rows=False) as cur:
        cur.execute(query)  # ok: SQLI
        return cur.fetchone()[0]


def ping() -> None:
    with cursor(dict_rows=False) as cur:
        cur.execute(f"SELECT 1 FROM {INVOICES_TABLE} LIMIT 1")  # ok: SQLI
        cur.fetchone()
