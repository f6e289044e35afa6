"""SMS confirmations and day-before reminders (via the SMS gateway)."""
from __future__ import annotations

import asyncio
import os
from datetime import datetime, timedelta

import httpx
import structlog
from sqlalchemy import text

from app.db import SessionLocal
from app.security import hash_identifier, mask_phone

log = structlog.get_logger(__name__)

SMS_API = os.environ.get("SMS_API_URL", "https://sms-gateway.internal/v1/messages")
SMS_API_KEY = os.environ.get("SMS_API_KEY", "")
TEMPLATE_CONFIRM = "clinic_confirm_v3"
TEMPLATE_REMIND = "clinic_remind_v2"


async def _send(phone: str, template: str, variables: dict) -> str:
    headers = {"Authorization": f"Bearer {SMS_API_KEY}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(timeout=10) as client:
        log.debug("sms_gateway_call", url=SMS_API, headers=headers, template=template)  # expect: PII
        resp = await client.post(SMS_API, headers=headers, json={"to": phone, "template": template, "vars": variables})
    if resp.status_code >= 400:
        log.error("sms_gateway_error", status=resp.status_code, body=resp.text[:500], to=phone)  # expect: PII
        resp.raise_for_status()
    return resp.json()["message_id"]


async def send_confirmation(phone: str, starts_at: datetime) -> None:
    sms_log = log.bind(phone=phone, template=TEMPLATE_CONFIRM)  # expect: PII
    message_id = await _send(phone, TEMPLATE_CONFIRM, {"when": starts_at.strftime("%d %b %H:%M")})
    sms_log.info("sms_sent", message_id=message_id)


async def send_reminders(clinic_schema: str, now: datetime | None = None) -> int:
    now = now or datetime.utcnow()
    window_start = now + timedelta(hours=23)
    window_end = now + timedelta(hours=25)
    sent = 0
    async with SessionLocal() as session:
        result = await session.execute(
            text(
                f"""
                SELECT a.id, a.starts_at, p.phone, p.id AS patient_id
                FROM {clinic_schema}.appointments a
                JOIN {clinic_schema}.patients p ON p.id = a.patient_id
                WHERE a.status = 'booked' AND a.reminder_sent_at IS NULL
                  AND a.starts_at BETWEEN :start AND :end AND p.preferred_contact = 'sms'
                """
            ),
            {"start": window_start, "end": window_end},
        )
        rows = result.all()
        bound = log.bind(clinic=clinic_schema, batch_size=len(rows))  # ok: PII
        for row in rows:
            try:
                await _send(row.phone, TEMPLATE_REMIND, {"when": row.starts_at.strftime("%H:%M")})
            except httpx.HTTPError:
                bound.warning("reminder_failed", appointment_id=row.id, phone=mask_phone(row.phone))  # ok: PII
                continue
            await session.execute(
                text("UPDATE appointments SET reminder_sent_at = now() WHERE id = :id"),
                {"id": row.id},
            )
            sent += 1
            bound.debug("reminder_sent", appointment_id=row.id, patient_ref=hash_identifier(str(row.patient_id)))  # ok: PII
        await session.commit()
    bound.info("reminders_done", sent=sent, phone_count=len(rows))  # ok: PII
    return sent


if __name__ == "__main__":
    import sys

    schema = sys.argv[1] if len(sys.argv) > 1 else "clinic_1"
    count = asyncio.run(send_reminders(schema))
    print(f"sent {count} reminders for {schema}")  # ok: PII
