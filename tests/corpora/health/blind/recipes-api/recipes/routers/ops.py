"""Operational endpoints, grouped under /ops so they share the same auth-free rules
in the reverse proxy."""
from fastapi import APIRouter
from fastapi_health import health
from sqlalchemy import text

from recipes.db import engine

router = APIRouter(prefix="/ops", tags=["ops"])


def database_online() -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1")).scalar() == 1


router.add_api_route("/health", health([database_online]))


@router.get("/version")
def version() -> dict:
    import importlib.metadata as md

    return {"fastapi": md.version("fastapi")}
