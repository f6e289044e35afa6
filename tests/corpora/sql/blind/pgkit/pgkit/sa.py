"""SQLAlchemy (sync, 2.0 style) helpers for services that use the ORM."""
from __future__ import annotations

import logging
from typing import Any, Sequence

from sqlalchemy import Select, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

log = logging.getLogger("pgkit.sa")

STATS_VIEW = "pg_stat_user_tables"
SORT_DIRECTIONS = {"asc": "ASC", "desc": "DESC"}


def paginate(session: Session, stmt: Select, page: int, per_page: int = 50) -> tuple[Sequence[Any], int]:
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars().all()  # ok: SQLI
    return rows, total


def find_users(session: Session, model, email_domain: str):
    return session.execute(select(model).where(model.email.endswith("@" + email_domain))).scalars().all()  # ok: SQLI


def raw_rows(session: Session, table: str, where: dict[str, Any]) -> list[dict]:
    clause = " AND ".join(f"{col} = :{col}" for col in where) or "true"
    result = session.execute(text(f"SELECT * FROM {table} WHERE {clause}"), where)  # expect: SQLI
    return [dict(r._mapping) for r in result]


def sorted_rows(session: Session, table: str, column: str, direction: str = "asc") -> list[dict]:
    direction_sql = SORT_DIRECTIONS[direction]
    sql = "SELECT * FROM " + table
    sql += " ORDER BY " + column + " " + direction_sql
    result = session.execute(text(sql))  # expect: SQLI
    return [dict(r._mapping) for r in result]


def bump_counter(conn: Connection, name: str, by: int = 1) -> None:
    conn.execute(
        text("UPDATE counters SET value = value + :by WHERE name = :name"),  # ok: SQLI
        {"by": by, "name": name},
    )


def dead_tuples(conn: Connection, min_dead: int = 10_000) -> list[tuple[str, int]]:
    result = conn.execute(
        text(f"SELECT relname, n_dead_tup FROM {STATS_VIEW} WHERE n_dead_tup > :n ORDER BY 2 DESC"),  # ok: SQLI
        {"n": min_dead},
    )
    return [tuple(r) for r in result]


def set_local(conn: Connection, setting: str, value: str) -> None:
    conn.exec_driver_sql(f"SET LOCAL {setting} = %s", (value,))  # expect: SQLI


def lock_timeout(conn: Connection, ms: int = 3000) -> None:
    conn.exec_driver_sql("SET LOCAL lock_timeout = %s", (f"{ms}ms",))  # ok: SQLI


def legacy_execute(session: Session, tenant: str, statement: str) -> None:
    """Kept for the reporting service until REP-77 lands."""
    session.execute(text("SET search_path TO " + tenant))  # expect: SQLI
    session.execute(text(statement))  # ok: SQLI
    log.info("legacy statement executed for tenant %s", tenant)


def json_field_equals(session: Session, model, field: str, value: Any):
    stmt = select(model).where(model.attributes[field].astext == str(value))
    return session.execute(stmt).scalars().all()  # ok: SQLI
