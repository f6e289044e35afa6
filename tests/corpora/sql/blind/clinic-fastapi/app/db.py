"""Async SQLAlchemy wiring. One Postgres schema per clinic (tenant)."""
from __future__ import annotations

import os
from collections.abc import AsyncIterator

import structlog
from fastapi import Depends, Header, HTTPException
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker, create_async_engine

log = structlog.get_logger(__name__)

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql+asyncpg://clinic@localhost/clinic")
DEFAULT_SCHEMA = "public"
AUDIT_TABLE = "audit.events"

engine = create_async_engine(DATABASE_URL, pool_size=10, pool_pre_ping=True)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


async def tenant_session(x_clinic_id: str = Header(...)) -> AsyncIterator[AsyncSession]:
    """Session bound to the clinic's schema (clinic_<id>)."""
    if not x_clinic_id.isdigit():
        raise HTTPException(status_code=400, detail="bad clinic id")
    async with SessionLocal() as session:
        await session.execute(text(f"SET search_path TO clinic_{x_clinic_id}, public"))  # expect: SQLI
        yield session


async def set_schema(conn: AsyncConnection, schema: str) -> None:
    await conn.exec_driver_sql(f'SET search_path TO "{schema}", public')  # expect: SQLI


async def reset_schema(conn: AsyncConnection) -> None:
    await conn.exec_driver_sql(f"SET search_path TO {DEFAULT_SCHEMA}")  # ok: SQLI


async def record_audit(session: AsyncSession, actor_id: int, action: str, entity: str, entity_id: int) -> None:
    await session.execute(
        text(  # ok: SQLI
            f"INSERT INTO {AUDIT_TABLE} (actor_id, action, entity, entity_id, at) "
            "VALUES (:actor, :action, :entity, :entity_id, now())"
        ),
        {"actor": actor_id, "action": action, "entity": entity, "entity_id": entity_id},
    )
    log.debug("audit_recorded", actor_id=actor_id, action=action, entity=entity, entity_id=entity_id)


async def healthcheck() -> bool:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return True


async def vacuum_table(table: str) -> None:
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("VACUUM ANALYZE " + table)  # expect: SQLI
        log.info("vacuumed", table=table)
