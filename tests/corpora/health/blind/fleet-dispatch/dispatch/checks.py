from flask_healthz import HealthError
from sqlalchemy import text

from .db import engine


def liveness():
    pass


def readiness():
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise HealthError(f"database unavailable: {exc}") from exc
