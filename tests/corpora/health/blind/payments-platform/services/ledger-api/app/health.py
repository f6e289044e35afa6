from fastapi import APIRouter, Depends, Response, status
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session

router = APIRouter(prefix="/health", tags=["health"])


@router.get("")
async def health() -> dict:
    """Process is up. Served at exactly /health."""
    return {"status": "ok"}


@router.get("/deep")
async def deep(response: Response, session: AsyncSession = Depends(get_session)) -> dict:
    try:
        await session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return {"status": "degraded", "db": str(exc)}
    return {"status": "ok", "db": "ok"}
