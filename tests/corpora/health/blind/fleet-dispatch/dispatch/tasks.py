from celery import Celery

from . import settings

celery = Celery("dispatch", broker=settings.BROKER_URL)


@celery.task(acks_late=True)
def assign_vehicle(job_id: int) -> None:
    """Pick the nearest free vehicle for a delivery job."""
    from sqlalchemy import text

    from .db import engine

    with engine.begin() as conn:
        conn.execute(
            text("UPDATE jobs SET vehicle_vin = (SELECT vin FROM vehicles WHERE free ORDER BY last_seen DESC "
                 "LIMIT 1) WHERE id = :id"),
            {"id": job_id},
        )
