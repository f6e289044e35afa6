"""Load step: stage DataFrames into the warehouse and merge them.

Staging tables are named ``stg_<source>``; the merge is an upsert keyed on the
source primary key.
"""
from __future__ import annotations

import io

import pandas as pd
import psycopg2
import sqlalchemy as sa
from loguru import logger
from psycopg2 import sql

from etl.config import SourceTable, settings

WAREHOUSE = sa.create_engine(settings.warehouse_dsn)
STAGING_SCHEMA = "staging"
LOAD_LOG_TABLE = "meta.load_log"


def _raw_conn():
    return psycopg2.connect(settings.warehouse_dsn, connect_timeout=10)


def stage(df: pd.DataFrame, source: SourceTable) -> int:
    """COPY the frame into staging.stg_<name> (truncated first)."""
    target = sql.Identifier(STAGING_SCHEMA, f"stg_{source.name}")
    buf = io.StringIO()
    df.to_csv(buf, index=False, header=False)
    buf.seek(0)
    with _raw_conn() as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("TRUNCATE {}").format(target))  # ok: SQLI
        cur.copy_expert(
            sql.SQL("COPY {} ({}) FROM STDIN WITH CSV").format(
                target, sql.SQL(", ").join(map(sql.Identifier, df.columns))
            ),
            buf,
        )
    logger.info("staged {} rows into stg_{}", len(df), source.name)
    return len(df)


def merge(source: SourceTable) -> None:
    cols = [c for c in source.columns if c != source.primary_key]
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols)
    stmt = f"""
        INSERT INTO dw.{source.name} ({source.primary_key}, {", ".join(cols)})
        SELECT {source.primary_key}, {", ".join(cols)} FROM {STAGING_SCHEMA}.stg_{source.name}
        ON CONFLICT ({source.primary_key}) DO UPDATE SET {updates}
    """
    with WAREHOUSE.begin() as conn:
        conn.exec_driver_sql(stmt)  # expect: SQLI
    logger.info("merged {} into dw", source.name)


def merge_safe(source: SourceTable) -> None:
    """Same as merge() but composed with psycopg2.sql (used for tables with odd column names)."""
    cols = [c for c in source.columns if c != source.primary_key]
    query = sql.SQL(
        "INSERT INTO {dst} ({pk}, {cols}) SELECT {pk}, {cols} FROM {src} "
        "ON CONFLICT ({pk}) DO UPDATE SET {updates}"
    ).format(
        dst=sql.Identifier("dw", source.name),
        src=sql.Identifier(STAGING_SCHEMA, f"stg_{source.name}"),
        pk=sql.Identifier(source.primary_key),
        cols=sql.SQL(", ").join(map(sql.Identifier, cols)),
        updates=sql.SQL(", ").join(
            sql.SQL("{} = excluded.{}").format(sql.Identifier(c), sql.Identifier(c)) for c in cols
        ),
    )
    with _raw_conn() as conn, conn.cursor() as cur:
        cur.execute(query)  # ok: SQLI


def record_load(source: SourceTable, rows: int, status: str) -> None:
    with WAREHOUSE.begin() as conn:
        conn.exec_driver_sql(  # ok: SQLI
            f"INSERT INTO {LOAD_LOG_TABLE} (source, rows_loaded, status, loaded_at) VALUES (%s, %s, %s, now())",
            (source.name, rows, status),
        )


def delete_tombstones(source: SourceTable, deleted_ids: list[int]) -> None:
    if not deleted_ids:
        return
    with _raw_conn() as conn, conn.cursor() as cur:
        cur.executemany(  # expect: SQLI
            "DELETE FROM dw." + source.name + " WHERE " + source.primary_key + " = %s",
            [(i,) for i in deleted_ids],
        )
        logger.info("deleted {} tombstoned rows from dw.{}", cur.rowcount, source.name)


def insert_audit_rows(rows: list[tuple]) -> None:
    with _raw_conn() as conn, conn.cursor() as cur:
        cur.executemany(  # ok: SQLI
            "INSERT INTO meta.audit (source, action, row_id, at) VALUES (%s, %s, %s, %s)",
            rows,
        )


def refresh_materialized_views(views: list[str], concurrently: bool = True) -> None:
    mode = "CONCURRENTLY " if concurrently else ""
    with WAREHOUSE.begin() as conn:
        for view in views:
            logger.info("refreshing {}", view)
            conn.execute(sa.text(f"REFRESH MATERIALIZED VIEW {mode}{view}"))  # expect: SQLI


def swap_in_rebuilt(source: SourceTable) -> None:
    """Full rebuilds load into dw.<name>_new and are swapped in atomically."""
    with WAREHOUSE.begin() as conn:
        conn.exec_driver_sql(f"ALTER TABLE dw.{source.name} RENAME TO {source.name}_old")  # expect: SQLI
        conn.exec_driver_sql("ALTER TABLE dw.%s_new RENAME TO %s" % (source.name, source.name))  # expect: SQLI
        conn.exec_driver_sql(  # ok: SQLI
            "SELECT pg_notify('dw_swapped', %s)",
            (source.name,),
        )
    logger.info("swapped in rebuilt dw.{}", source.name)


def analyze_warehouse() -> None:
    with WAREHOUSE.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("ANALYZE dw.orders")  # ok: SQLI
        conn.exec_driver_sql(f"ANALYZE {STAGING_SCHEMA}.stg_orders")  # ok: SQLI
