from __future__ import annotations

from datetime import date, datetime, timedelta

import structlog
from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import engine, tenant_session
from app.models import Appointment, Patient
from app.security import CurrentUser, current_user, require_role
from app.services import reminders

router = APIRouter(prefix="/appointments", tags=["appointments"])
log = structlog.get_logger(__name__)

SLOT_MINUTES = 20
VIEW_NAME = "v_practitioner_load"
STATUS_FILTERS = {"booked", "cancelled", "no_show", "done"}


class BookingIn(BaseModel):
    patient_id: int
    practitioner_id: int
    starts_at: datetime
    reason: str | None = None


@router.post("", status_code=201)
async def book(
    body: BookingIn,
    tasks: BackgroundTasks,
    session: AsyncSession = Depends(tenant_session),
    user: CurrentUser = Depends(current_user),
):
    clash = await session.scalar(
        select(Appointment.id).where(
            Appointment.practitioner_id == body.practitioner_id,
            Appointment.starts_at == body.starts_at,
            Appointment.status == "booked",
        )
    )
    if clash:
        raise HTTPException(status_code=409, detail="slot taken")
    appt = Appointment(**body.model_dump(), status="booked", booked_by=user.id)
    session.add(appt)
    await session.commit()

    patient = await session.get(Patient, body.patient_id)
    log.info("appointment_booked", appointment_id=appt.id, patient_id=body.patient_id, reason_given=bool(body.reason))  # ok: PII
    log.debug("appointment_booked_for", patient=patient)  # expect: PII
    if patient.preferred_contact == "sms":
        tasks.add_task(reminders.send_confirmation, patient.phone, appt.starts_at)
        log.info("sms_confirmation_queued", appointment_id=appt.id, to=patient.phone)  # expect: PII
    return {"id": appt.id}


@router.get("")
async def list_appointments(
    day: date,
    status: str | None = None,
    practitioner_id: int | None = None,
    session: AsyncSession = Depends(tenant_session),
):
    sql = "SELECT id, patient_id, practitioner_id, starts_at, status FROM appointments WHERE starts_at::date = :day"
    params: dict[str, object] = {"day": day}
    if status:
        if status not in STATUS_FILTERS:
            raise HTTPException(status_code=400, detail="bad status")
        sql += " AND status = :status"
        params["status"] = status
    if practitioner_id is not None:
        sql += " AND practitioner_id = :pid"
        params["pid"] = practitioner_id
    sql += " ORDER BY starts_at"
    result = await session.execute(text(sql), params)
    return [dict(r._mapping) for r in result]


@router.get("/free-slots")
async def free_slots(practitioner_id: int, day: date, session: AsyncSession = Depends(tenant_session)):
    result = await session.execute(
        text(
            f"""
            SELECT s AS starts_at
            FROM generate_series(:day::timestamp + interval '8 hours',
                                 :day::timestamp + interval '18 hours',
                                 interval '{SLOT_MINUTES} minutes') AS s
            WHERE NOT EXISTS (
                SELECT 1 FROM appointments a
                WHERE a.practitioner_id = :pid AND a.starts_at = s AND a.status = 'booked'
            )
            """
        ),
        {"day": day, "pid": practitioner_id},
    )
    return [r.starts_at for r in result]


@router.get("/load")
async def practitioner_load(
    weeks: int = 4,
    _: CurrentUser = Depends(require_role("manager")),
    session: AsyncSession = Depends(tenant_session),
):
    since = date.today() - timedelta(weeks=weeks)
    result = await session.execute(text(f"SELECT * FROM {VIEW_NAME} WHERE week >= :since"), {"since": since})
    return [dict(r._mapping) for r in result]


@router.get("/export")
async def export(
    columns: str = "id,patient_id,starts_at,status",
    _: CurrentUser = Depends(require_role("manager")),
):
    async with engine.connect() as conn:
        result = await conn.execute(text("SELECT " + columns + " FROM appointments ORDER BY starts_at"))
        return [dict(r._mapping) for r in result]


@router.get("/history/{practitioner_id}")
async def history(practitioner_id: int, months: int = 6, session: AsyncSession = Depends(tenant_session)):
    result = await session.execute(
        text(
            "SELECT date_trunc('month', starts_at) AS month, count(*) AS n FROM appointments "
            "WHERE practitioner_id = :pid AND starts_at > now() - interval '{} months' "
            "GROUP BY 1 ORDER BY 1".format(months)
        ),
        {"pid": practitioner_id},
    )
    return [{"month": r.month.date().isoformat(), "n": r.n} for r in result]


@router.post("/no-shows")
async def mark_no_shows(
    ids: list[int],
    session: AsyncSession = Depends(tenant_session),
    user: CurrentUser = Depends(require_role("reception")),
):
    stmt = (
        update(Appointment)
        .where(Appointment.id.in_(bindparam("ids", expanding=True)))
        .values(status="no_show")
    )
    await session.execute(stmt, {"ids": ids})
    await session.commit()
    log.info("no_shows_marked", count=len(ids), by=user.id)
    return {"updated": len(ids)}


@router.post("/{appointment_id}/cancel")
async def cancel(appointment_id: int, reason: str = "", session: AsyncSession = Depends(tenant_session)):
    await session.execute(
        text(
            "UPDATE appointments SET status = 'cancelled', cancel_reason = '%s' WHERE id = %d"
            % (reason.replace("'", "''"), appointment_id)
        )
    )
    await session.commit()
    log.info("appointment_cancelled", appointment_id=appointment_id, reason_length=len(reason))  # ok: PII
    return {"cancelled": appointment_id}
