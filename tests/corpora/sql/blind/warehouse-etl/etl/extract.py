"""Extract step: pull changed rows from the OLTP replicas into DataFrames.

Each source table is described in pipelines.yaml (name, watermark column,
primary key). Watermarks are persisted in etl_state.watermarks.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

import pandas as pd
import sqlalchemy as sa
from loguru import logger
from sqlalchemy import text

from etl.config import SourceTable, settings

SOURCE_ENGINE = sa.create_engine(settings.source_dsn, pool_pre_ping=True)
STATE_ENGINE = sa.create_engine(settings.state_dsn)

WATERMARK_TABLE = "etl_state.watermarks"
CHUNK_ROWS = 50_000


def get_watermark(table_name: str) -> dt.datetime:
    with STATE_ENGINE.connect() as conn:
        value = conn.execute(
            text(f"SELECT last_value FROM {WATERMARK_TABLE} WHERE table_name = :t"),  # ok: SQLI
            {"t": table_name},
        ).scalar()
    return value or dt.datetime(1970, 1, 1)


def set_watermark(table_name: str, value: dt.datetime) -> None:
    with STATE_ENGINE.begin() as conn:
        conn.execute(
            text(
                f"INSERT INTO {WATERMARK_TABLE} (table_name, last_value) VALUES (:t, :v) "
                "ON CONFLICT (table_name) DO UPDATE SET last_value = excluded.last_value"
            ),
            {"t": table_name, "v": value},
        )
    logger.info("watermark for {} moved to {}", table_name, value)


def extract_incremental(source: SourceTable) -> Iterator[pd.DataFrame]:
    since = get_watermark(source.name)
    query = (
        f"SELECT * FROM {source.schema}.{source.name} "
        f"WHERE {source.watermark_column} > %(since)s "
        f"ORDER BY {source.watermark_column}"
    )
    logger.debug("extracting {} since {}", source.name, since)
    yield from pd.read_sql(query, SOURCE_ENGINE, params={"since": since}, chunksize=CHUNK_ROWS)  # expect: SQLI


def extract_full(source: SourceTable) -> pd.DataFrame:
    return pd.read_sql_table(source.name, SOURCE_ENGINE, schema=source.schema)


def extract_orders(start: dt.date, end: dt.date) -> pd.DataFrame:
    return pd.read_sql_query(
        text(  # ok: SQLI
            "SELECT o.id, o.customer_id, o.total_cents, o.currency, o.created_at "
            "FROM shop.orders o WHERE o.created_at >= :start AND o.created_at < :end"
        ),
        SOURCE_ENGINE,
        params={"start": start, "end": end},
    )


def extract_customers(country_codes: list[str]) -> pd.DataFrame:
    countries = ", ".join(f"'{c}'" for c in country_codes)
    return pd.read_sql_query(  # expect: SQLI
        f"SELECT id, email, country, created_at FROM shop.customers WHERE country IN ({countries})",
        SOURCE_ENGINE,
    )


def extract_events(event_type: str, day: dt.date) -> pd.DataFrame:
    sql = "SELECT * FROM analytics.events WHERE event_type = '%s' AND event_date = '%s'" % (event_type, day)
    logger.debug("events query: {}", sql)
    return pd.read_sql(sql, SOURCE_ENGINE)  # expect: SQLI


def extract_sample(source: SourceTable, pct: float = 1.0) -> pd.DataFrame:
    with SOURCE_ENGINE.connect() as conn:
        return pd.read_sql(
            text(f"SELECT * FROM {source.schema}.{source.name} TABLESAMPLE SYSTEM (:pct)"),  # expect: SQLI
            conn,
            params={"pct": pct},
        )


def row_counts(sources: list[SourceTable]) -> dict[str, int]:
    counts = {}
    with SOURCE_ENGINE.connect() as conn:
        for src in sources:
            counts[src.name] = conn.execute(text("SELECT count(*) FROM " + src.qualified_name)).scalar()  # expect: SQLI
    return counts


def refund_totals(currency: str = "EUR") -> pd.DataFrame:
    return pd.read_sql(  # ok: SQLI
        "SELECT date_trunc('day', created_at) AS day, sum(amount_cents) AS refunded "
        "FROM shop.refunds WHERE currency = %(cur)s GROUP BY 1",
        SOURCE_ENGINE,
        params={"cur": currency},
    )
