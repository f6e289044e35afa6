"""Nightly warehouse housekeeping: monthly partitions, archiving, retention.

Scheduled from etl/tasks.py (celery beat, 02:15 UTC).
"""
from __future__ import annotations

import datetime as dt
import os

import psycopg2
from dateutil.relativedelta import relativedelta
from loguru import logger
from psycopg2 import sql

from etl.config import settings

ARCHIVE_SCHEMA = os.environ.get("ARCHIVE_SCHEMA", "archive")
PARTITIONED_TABLES = ("dw.events", "dw.page_views", "dw.order_lines")
RETENTION_MONTHS = 25
EVENTS = "dw.events"


def _connect():
    conn = psycopg2.connect(settings.warehouse_dsn, connect_timeout=10)
    conn.autocommit = True
    return conn


def partition_name(table: str, month: dt.date) -> str:
    return f"{table}_{month:%Y_%m}"


def create_next_partitions(today: dt.date | None = None) -> list[str]:
    today = today or dt.date.today()
    start = (today.replace(day=1) + relativedelta(months=1))
    end = start + relativedelta(months=1)
    created = []
    with _connect() as conn, conn.cursor() as cur:
        for table in PARTITIONED_TABLES:
            part = partition_name(table, start)
            cur.execute(  # expect: SQLI
                f"CREATE TABLE IF NOT EXISTS {part} PARTITION OF {table} "
                f"FOR VALUES FROM ('{start}') TO ('{end}')"
            )
            created.append(part)
    logger.info("ensured partitions {}", created)
    return created


def create_next_partitions_composed(today: dt.date | None = None) -> None:
    """Replacement for create_next_partitions (rolling out table by table, see DATA-881)."""
    today = today or dt.date.today()
    start = today.replace(day=1) + relativedelta(months=1)
    end = start + relativedelta(months=1)
    with _connect() as conn, conn.cursor() as cur:
        for table in PARTITIONED_TABLES:
            schema, name = table.split(".")
            cur.execute(  # ok: SQLI
                sql.SQL("CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM (%s) TO (%s)").format(
                    sql.Identifier(schema, f"{name}_{start:%Y_%m}"),
                    sql.Identifier(schema, name),
                ),
                (start, end),
            )


def archive_old_partitions(today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    cutoff = today.replace(day=1) - relativedelta(months=RETENTION_MONTHS)
    with _connect() as conn, conn.cursor() as cur:
        cur.execute(  # ok: SQLI
            "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass",
            (EVENTS,),
        )
        for (child,) in cur.fetchall():
            month = dt.datetime.strptime(child.rsplit("_", 2)[-2] + child.rsplit("_", 1)[-1], "%Y%m").date()
            if month >= cutoff:
                continue
            logger.info("archiving partition {}", child)
            cur.execute(f"ALTER TABLE {EVENTS} DETACH PARTITION {child}")  # expect: SQLI
            cur.execute(f"ALTER TABLE {child} SET SCHEMA {ARCHIVE_SCHEMA}")  # expect: SQLI


def purge_archive(before: dt.date) -> int:
    with _connect() as conn, conn.cursor() as cur:
        cur.execute(f"DELETE FROM {ARCHIVE_SCHEMA}.deleted_customers WHERE deleted_at < %s", (before,))  # expect: SQLI
        return cur.rowcount


def vacuum_all() -> None:
    with _connect() as conn, conn.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) " + EVENTS)  # ok: SQLI
        cur.execute("VACUUM (ANALYZE) dw.page_views")  # ok: SQLI


def explain_plan(query_name: str, day: dt.date) -> None:
    """Log the statement of a known-slow query so it can be pasted into EXPLAIN (notebook helper)."""
    statement = f"SELECT * FROM {EVENTS} WHERE event_date = '{day}'"  # ok: SQLI
    logger.info("plan requested for {}: {}", query_name, statement)
    print(statement)
