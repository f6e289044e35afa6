"""Free-text patient search used by the reception desk.

Reception can filter on any combination of name / phone / birth year; we build
the WHERE clause from whatever they filled in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

log = structlog.get_logger(__name__)

PHONE_DIGITS = re.compile(r"\D+")
RESULT_COLUMNS = "id, first_name, last_name, date_of_birth, phone"
ORDERABLE = ("last_name", "first_name", "date_of_birth", "created_at")


@dataclass
class SearchQuery:
    name: str | None = None
    phone: str | None = None
    birth_year: int | None = None
    order_by: str = "last_name"
    page: int = 1
    per_page: int = 25


async def search_patients(session: AsyncSession, q: SearchQuery, staff_id: int) -> list[dict]:
    clauses: list[str] = []
    params: dict[str, object] = {}
    if q.name:
        clauses.append("(first_name ILIKE :name OR last_name ILIKE :name)")
        params["name"] = f"%{q.name}%"
    if q.phone:
        clauses.append("regexp_replace(phone, '\\D', '', 'g') LIKE :phone")
        params["phone"] = PHONE_DIGITS.sub("", q.phone) + "%"
    if q.birth_year:
        clauses.append("extract(year FROM date_of_birth) = :year")
        params["year"] = q.birth_year
    where = " AND ".join(clauses) or "true"

    if q.order_by not in ORDERABLE:
        raise ValueError(f"cannot order by {q.order_by}")
    offset = (q.page - 1) * q.per_page

    result = await session.execute(
        text(
            f"SELECT {RESULT_COLUMNS} FROM patients WHERE {where} "
            f"ORDER BY {q.order_by} LIMIT {q.per_page} OFFSET {offset}"
        ),
        params,
    )
    rows = [dict(r._mapping) for r in result]
    log.info("patient_search", staff_id=staff_id, filters=sorted(params), hits=len(rows))  # ok: PII
    log.debug("patient_search_params", staff_id=staff_id, **params)  # expect: PII
    return rows


async def count_by_birth_year(session: AsyncSession) -> dict[int, int]:
    result = await session.execute(
        text(
            "SELECT extract(year FROM date_of_birth)::int AS y, count(*) AS n "
            "FROM patients GROUP BY 1 ORDER BY 1"
        )
    )
    return {row.y: row.n for row in result}


async def duplicates(session: AsyncSession, threshold: float = 0.8) -> list[dict]:
    """Possible duplicate records (trigram similarity on full name + same DOB)."""
    query = f"""
        SELECT a.id AS a_id, b.id AS b_id,
               similarity(a.first_name || ' ' || a.last_name, b.first_name || ' ' || b.last_name) AS score
        FROM patients a JOIN patients b
          ON a.date_of_birth = b.date_of_birth AND a.id < b.id
        WHERE similarity(a.first_name || ' ' || a.last_name, b.first_name || ' ' || b.last_name) > {threshold}
    """
    result = await session.execute(text(query))
    pairs = [dict(r._mapping) for r in result]
    log.info("duplicate_scan", pairs=len(pairs), threshold=threshold)
    return pairs


async def merge_patients(session: AsyncSession, keep_id: int, drop_id: int, tables: tuple[str, ...]) -> None:
    for table in tables:
        await session.execute(
            text(f"UPDATE {table} SET patient_id = :keep WHERE patient_id = :drop"),
            {"keep": keep_id, "drop": drop_id},
        )
    await session.execute(text("DELETE FROM patients WHERE id = :drop"), {"drop": drop_id})
    log.warning("patients_merged", kept=keep_id, dropped=drop_id, tables=list(tables))
