from datetime import date
from typing import Literal

import structlog
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, EmailStr
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import record_audit, tenant_session
from app.models import Patient
from app.security import CurrentUser, current_user, hash_identifier, mask_phone

router = APIRouter(prefix="/patients", tags=["patients"])
log = structlog.get_logger(__name__)


class PatientIn(BaseModel):
    first_name: str
    last_name: str
    email: EmailStr | None = None
    phone: str
    date_of_birth: date
    national_id: str | None = None
    address: str | None = None
    preferred_contact: Literal["sms", "email", "none"] = "sms"


class PatientOut(BaseModel):
    id: int
    first_name: str
    last_name: str
    preferred_contact: str


@router.post("", response_model=PatientOut, status_code=201)
async def register_patient(
    body: PatientIn,
    session: AsyncSession = Depends(tenant_session),
    user: CurrentUser = Depends(current_user),
):
    log.info("register_patient_request", payload=body.model_dump())  # expect: PII
    existing = await session.scalar(
        select(Patient).where(Patient.phone == body.phone, Patient.date_of_birth == body.date_of_birth)
    )
    if existing is not None:
        log.info("patient_already_registered", patient_id=existing.id, phone=body.phone)  # expect: PII
        raise HTTPException(status_code=409, detail="patient exists")

    patient = Patient(**body.model_dump())
    session.add(patient)
    await session.flush()
    await record_audit(session, user.id, "create", "patient", patient.id)
    await session.commit()

    log.info(  # ok: PII
        "patient_registered",
        patient_id=patient.id,
        registered_by=user.id,
        has_email=body.email is not None,
        has_national_id=bool(body.national_id),
        contact=body.preferred_contact,
    )
    log.debug("patient_contact", patient_id=patient.id, phone=mask_phone(body.phone))  # ok: PII
    return patient


@router.get("/lookup")
async def lookup(
    national_id: str = Query(..., min_length=6),
    session: AsyncSession = Depends(tenant_session),
    user: CurrentUser = Depends(current_user),
):
    result = await session.execute(
        text("SELECT id, first_name, last_name FROM patients WHERE national_id = :nid"),
        {"nid": national_id},
    )
    row = result.first()
    if row is None:
        log.info("patient_lookup_miss", national_id=national_id, user_id=user.id)  # expect: PII
        raise HTTPException(status_code=404)
    log.info("patient_lookup_hit", patient_id=row.id, nid_hash=hash_identifier(national_id))  # ok: PII
    return dict(row._mapping)


@router.get("/by-birthday")
async def by_birthday(dob: date, session: AsyncSession = Depends(tenant_session)):
    result = await session.execute(
        text(f"SELECT id, first_name, last_name FROM patients WHERE date_of_birth = '{dob.isoformat()}'")
    )
    rows = result.all()
    log.info("birthday_search", date_of_birth=str(dob), matches=len(rows))  # expect: PII
    return [dict(r._mapping) for r in rows]


@router.get("")
async def list_patients(
    sort: str = "last_name",
    order: Literal["asc", "desc"] = "asc",
    limit: int = Query(50, le=200),
    session: AsyncSession = Depends(tenant_session),
):
    stmt = text(f"SELECT id, first_name, last_name, preferred_contact FROM patients ORDER BY {sort} {order} LIMIT :limit")
    result = await session.execute(stmt, {"limit": limit})
    return [dict(r._mapping) for r in result]


@router.patch("/{patient_id}/contact")
async def update_contact(patient_id: int, request: Request, session: AsyncSession = Depends(tenant_session)):
    changes = await request.json()
    log.info("contact_update", patient_id=patient_id, changes=changes)  # expect: PII
    allowed = {"email", "phone", "address", "preferred_contact"}
    unknown = set(changes) - allowed
    if unknown:
        log.warning("contact_update_rejected", patient_id=patient_id, unknown_fields=sorted(unknown))  # ok: PII
        raise HTTPException(status_code=400, detail=f"unknown fields: {sorted(unknown)}")
    patient = await session.get(Patient, patient_id)
    if patient is None:
        raise HTTPException(status_code=404)
    for field, value in changes.items():
        setattr(patient, field, value)
    await session.commit()
    log.info("contact_updated", patient_id=patient_id, fields=list(changes), email_changed="email" in changes)  # ok: PII
    if "address" in changes:
        log.info("patient_moved", patient_id=patient_id, new_address=patient.address)  # expect: PII
    return {"ok": True}


@router.delete("/{patient_id}")
async def erase_patient(patient_id: int, session: AsyncSession = Depends(tenant_session), user=Depends(current_user)):
    """GDPR erasure: keep the row for referential integrity, blank the PII."""
    await session.execute(
        text(
            "UPDATE patients SET first_name = 'erased', last_name = 'erased', email = NULL, phone = NULL, "
            "national_id = NULL, address = NULL, erased_at = now() WHERE id = :id"
        ),
        {"id": patient_id},
    )
    await record_audit(session, user.id, "erase", "patient", patient_id)
    await session.commit()
    log.warning("patient_erased", patient_id=patient_id, erased_by=user.id)  # ok: PII
    return {"erased": patient_id}
