"""Clinic scheduling API.

Patients book appointments with practitioners; reminders go out by SMS.
Logging is structlog -> JSON -> Loki.
"""
import logging
import time
import uuid

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app import db
from app.routers import appointments, patients

structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.processors.JSONRenderer(),
    ],
    wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
)

log = structlog.get_logger("clinic")
app = FastAPI(title="clinic-api", version="2.7.0")
app.include_router(patients.router)
app.include_router(appointments.router)


@app.middleware("http")
async def access_log(request: Request, call_next):
    request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
    structlog.contextvars.bind_contextvars(request_id=request_id)
    started = time.perf_counter()
    response = await call_next(request)
    log.info(  # ok: PII
        "request",
        method=request.method,
        path=request.url.path,
        status=response.status_code,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
        user_agent=request.headers.get("user-agent"),
    )
    structlog.contextvars.clear_contextvars()
    return response


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError):
    body = await request.body()
    log.warning("validation_failed", path=request.url.path, errors=exc.errors(), body=body.decode(errors="replace"))  # expect: PII
    return JSONResponse(status_code=422, content={"detail": exc.errors()})


@app.exception_handler(Exception)
async def unhandled(request: Request, exc: Exception):
    log.exception("unhandled_error", path=request.url.path, headers=dict(request.headers))  # expect: PII
    return JSONResponse(status_code=500, content={"detail": "internal error"})


@app.get("/healthz")
async def healthz():
    return {"ok": await db.healthcheck()}


@app.on_event("startup")
async def startup():
    log.info("startup", version=app.version, db_url_set=bool(db.DATABASE_URL))  # ok: PII
