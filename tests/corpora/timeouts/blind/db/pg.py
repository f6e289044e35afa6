"""psycopg2 connection helpers for the reporting, billing and ETL databases."""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import Any, Iterator

import psycopg2
import psycopg2.extras
from django.conf import settings

log = logging.getLogger(__name__)

DATABASE_URL = os.environ["DATABASE_URL"]
CONNECT_TIMEOUT = int(os.getenv("PG_CONNECT_TIMEOUT", "5"))


def reporting_connection():
    return psycopg2.connect("host=reports.db.internal dbname=reports user=reporting_ro connect_timeout=5")  # ok: TMO007


def replica_connection():
    return psycopg2.connect("postgresql://app_ro@replica.db.internal:5432/market?sslmode=require&connect_timeout=3")  # ok: TMO007


def local_connection():
    return psycopg2.connect("dbname=market user=app host=localhost")  # expect: TMO007


def analytics_connection():
    return psycopg2.connect(  # expect: TMO007
        host=settings.ANALYTICS_DB_HOST,
        port=5432,
        dbname="analytics",
        user="analytics",
        password=os.environ.get("ANALYTICS_PG_PASSWORD"),
        sslmode="require",
    )


def connect_templated(host: str, dbname: str):
    return psycopg2.connect(f"host={host} dbname={dbname} user=app connect_timeout=5")  # ok: TMO007


@contextmanager
def billing_cursor() -> Iterator[psycopg2.extras.RealDictCursor]:
    conn = psycopg2.connect(dsn=os.environ["BILLING_DSN"], cursor_factory=psycopg2.extras.RealDictCursor)  # expect: TMO007
    try:
        with conn:
            with conn.cursor() as cur:
                yield cur
    finally:
        conn.close()


@contextmanager
def etl_cursor() -> Iterator[Any]:
    # expect: TMO007
    conn = psycopg2.connect("""
        host=etl.db.internal
        dbname=warehouse
        user=etl
        application_name=marketplace-etl
    """)
    try:
        with conn, conn.cursor() as cur:
            yield cur
    finally:
        conn.close()


@contextmanager
def etl_cursor_bounded() -> Iterator[Any]:
    # ok: TMO007
    conn = psycopg2.connect("""
        host=etl.db.internal dbname=warehouse user=etl
        application_name=marketplace-etl connect_timeout=10
    """)
    try:
        with conn, conn.cursor() as cur:
            yield cur
    finally:
        conn.close()


def run_with_retry(sql: str, params: tuple = (), attempts: int = 3) -> list[tuple]:
    last_exc: Exception | None = None
    for _ in range(attempts):
        try:
            # expect: TMO007
            with psycopg2.connect(DATABASE_URL) as conn, \
                    conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        except psycopg2.OperationalError as exc:
            last_exc = exc
            log.warning("query failed, retrying: %s", exc)
    assert last_exc is not None
    raise last_exc
