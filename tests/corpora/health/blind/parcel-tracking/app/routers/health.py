"""Liveness/readiness for Kubernetes.

/healthz only proves the event loop answers; /readyz checks Postgres and
Kafka through fastapi-health so a broken dependency takes the pod out of the
Service without restarting it.
"""
from fastapi import APIRouter, Request
from fastapi_health import health

router = APIRouter(tags=["ops"])


async def postgres_ok(request: Request) -> bool:
    async with request.app.state.pool.acquire() as conn:
        return await conn.fetchval("SELECT 1") == 1


def kafka_configured() -> dict:
    from app.settings import settings

    return {"kafka": settings.kafka_bootstrap}


@router.api_route("/healthz", methods=["GET", "HEAD"], include_in_schema=False)
async def healthz() -> dict:
    return {"status": "ok"}


router.add_api_route("/readyz", health([postgres_ok, kafka_configured]), include_in_schema=False)
