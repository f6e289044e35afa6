"""Reconciliation between the OLTP source and the warehouse.

Runs after every load; a mismatch above the tolerance pages the data on-call.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from loguru import logger
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from etl.config import SourceTable, settings
from etl.extract import SOURCE_ENGINE
from etl.load import WAREHOUSE
from etl.models import LoadLog

WarehouseSession = sessionmaker(bind=WAREHOUSE)
TOLERANCE = 0.001
CHECKSUM_COLUMNS = {"orders": "total_cents", "refunds": "amount_cents", "order_lines": "quantity"}


@dataclass
class Result:
    table: str
    source_rows: int
    warehouse_rows: int

    @property
    def drift(self) -> float:
        return abs(self.source_rows - self.warehouse_rows) / max(self.source_rows, 1)


def count_rows(source: SourceTable, day: dt.date) -> Result:
    with SOURCE_ENGINE.connect() as src, WAREHOUSE.connect() as dw:
        src_rows = src.execute(
            text(f"SELECT count(*) FROM {source.schema}.{source.name} WHERE {source.watermark_column}::date = :d"),
            {"d": day},
        ).scalar()
        dw_rows = dw.execute(
            text(f"SELECT count(*) FROM dw.{source.name} WHERE loaded_day = :d"),
            {"d": day},
        ).scalar()
    return Result(source.name, src_rows, dw_rows)


def checksum(table: str, day: dt.date) -> tuple[int, int]:
    column = CHECKSUM_COLUMNS.get(table)
    if column is None:
        raise KeyError(table)
    query = "SELECT coalesce(sum({col}), 0) FROM {schema}.{table} WHERE created_at::date = %(d)s"
    src = pd.read_sql(query.format(col=column, schema="shop", table=table), SOURCE_ENGINE, params={"d": day})
    dw = pd.read_sql_query(
        query.format(col=column, schema="dw", table=table),
        WAREHOUSE,
        params={"d": day},
    )
    return int(src.iloc[0, 0]), int(dw.iloc[0, 0])


def last_loads(limit: int = 20) -> list[LoadLog]:
    with WarehouseSession() as session:
        stmt = select(LoadLog).order_by(LoadLog.loaded_at.desc()).limit(limit)
        return list(session.execute(stmt).scalars())


def failed_sources_since(since: dt.datetime) -> list[str]:
    with WarehouseSession() as session:
        rows = session.execute(
            select(LoadLog.source, func.count()).where(LoadLog.status == "failed", LoadLog.loaded_at >= since).group_by(LoadLog.source)
        )
        return [source for source, _ in rows]


def missing_ids(source: SourceTable, day: dt.date) -> list[int]:
    with WarehouseSession() as session:
        session.execute(text("SET LOCAL work_mem = '256MB'"))
        rows = session.execute(
            text(
                "SELECT s.id FROM shop." + source.name + " s "
                "LEFT JOIN dw." + source.name + " d ON d.id = s.id "
                "WHERE d.id IS NULL AND s.created_at::date = :day"
            ),
            {"day": day},
        )
        return [r.id for r in rows]


def reconcile_all(sources: list[SourceTable], day: dt.date | None = None) -> list[Result]:
    day = day or dt.date.today() - dt.timedelta(days=1)
    results = []
    for source in sources:
        result = count_rows(source, day)
        results.append(result)
        if result.drift > TOLERANCE:
            logger.error("{} drift {:.3%} on {} ({} vs {})", result.table, result.drift, day, result.source_rows, result.warehouse_rows)
    with WarehouseSession() as session:
        session.execute(
            text("INSERT INTO meta.reconciliation (day, tables_checked, tables_drifting) VALUES (:d, :n, :bad)"),
            {"d": day, "n": len(results), "bad": sum(r.drift > TOLERANCE for r in results)},
        )
        session.commit()
    return results


def spot_check_customer(customer_id: int) -> dict:
    """Compare one customer between source and warehouse (support escalations)."""
    src = pd.read_sql_query(
        text("SELECT id, email, country, updated_at FROM shop.customers WHERE id = :id"),
        SOURCE_ENGINE,
        params={"id": customer_id},
    )
    dw = pd.read_sql_query(f"SELECT id, email_hash, country, updated_at FROM dw.customers WHERE id = {customer_id}", WAREHOUSE)
    src_row = src.iloc[0].to_dict() if len(src) else {}
    logger.info("spot check customer {}: src={} dw_rows={}", customer_id, bool(src_row), len(dw))  # ok: PII
    logger.debug("spot check source row: {}", src_row)  # expect: PII
    return {"source": src_row, "warehouse": dw.to_dict("records")}
