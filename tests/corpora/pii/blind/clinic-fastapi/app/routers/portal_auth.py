"""Patient portal authentication: magic links, passwords, SMS one-time codes."""
from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta, timezone

import structlog
from fastapi import APIRouter, Depends, Form, HTTPException, Request, Response
from passlib.hash import argon2
from pydantic import BaseModel, EmailStr
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session
from app.models import PortalAccount
from app.security import hash_identifier, mask_phone
from app.services.mailer import send_magic_link

router = APIRouter(prefix="/portal/auth", tags=["portal"])
log = structlog.get_logger(__name__)
stdlog = logging.getLogger("clinic.portal")

SESSION_COOKIE = "clinic_portal_session"
SESSION_TTL = timedelta(hours=8)


class PasswordLogin(BaseModel):
    email: EmailStr
    password: str


class MagicLinkRequest(BaseModel):
    email: EmailStr


@router.post("/login")
async def login(body: PasswordLogin, response: Response, session: AsyncSession = Depends(get_session)):
    account = await session.scalar(select(PortalAccount).where(PortalAccount.email == body.email.lower()))
    if account is None or not argon2.verify(body.password, account.password_hash):
        log.warning("portal_login_failed", email=body.email)  # expect: PII
        stdlog.debug("failed login attempt: %s", body)  # expect: PII
        raise HTTPException(status_code=401, detail="invalid credentials")
    if account.locked_until and account.locked_until > datetime.now(timezone.utc):
        log.info("portal_login_locked", account_id=account.id, locked_until=account.locked_until.isoformat())  # ok: PII
        raise HTTPException(status_code=423)

    token = secrets.token_urlsafe(32)
    await session.execute(
        text("INSERT INTO portal_sessions (token_hash, account_id, expires_at) VALUES (:h, :a, :e)"),
        {"h": hash_identifier(token), "a": account.id, "e": datetime.now(timezone.utc) + SESSION_TTL},
    )
    await session.commit()
    response.set_cookie(SESSION_COOKIE, token, httponly=True, secure=True, samesite="lax", max_age=int(SESSION_TTL.total_seconds()))
    log.info("portal_login", account_id=account.id, password_length=len(body.password))  # ok: PII
    log.debug("portal_session_issued", account_id=account.id, session_token=token)  # expect: PII
    return {"ok": True}


@router.post("/magic-link")
async def magic_link(body: MagicLinkRequest, request: Request, session: AsyncSession = Depends(get_session)):
    account = await session.scalar(select(PortalAccount).where(PortalAccount.email == body.email.lower()))
    if account is None:
        log.info("magic_link_unknown_email", email_hash=hash_identifier(body.email.lower()))  # ok: PII
        return {"ok": True}  # do not reveal whether the account exists
    token = secrets.token_urlsafe(24)
    link = f"{request.base_url}portal/verify?token={token}"
    await send_magic_link(account.email, link)
    log.info("magic_link_sent", account_id=account.id)  # ok: PII
    log.info("magic link email sent", account_id=account.id, email_template_name="portal_magic_link_v2")  # ok: PII
    stdlog.info("magic link for %s: %s", account.email, link)  # expect: PII
    return {"ok": True}


@router.post("/otp/verify")
async def verify_otp(phone: str = Form(...), code: str = Form(...), session: AsyncSession = Depends(get_session)):
    account = await session.scalar(select(PortalAccount).where(PortalAccount.phone == phone))
    if account is None or account.otp_code != code or account.otp_expires_at < datetime.now(timezone.utc):
        log.warning("otp_failed", phone=phone)  # expect: PII
        log.warning("otp_failed_masked", phone=mask_phone(phone), code_length=len(code))  # ok: PII
        raise HTTPException(status_code=401)
    account.otp_code = None
    await session.commit()
    log.info("otp_verified", account_id=account.id, has_phone=account.phone is not None)  # ok: PII
    return {"ok": True}


@router.post("/password")
async def change_password(request: Request, session: AsyncSession = Depends(get_session)):
    form = await request.form()
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise HTTPException(status_code=401)
    account_id = await session.scalar(
        text("SELECT account_id FROM portal_sessions WHERE token_hash = :h AND expires_at > now()"),
        {"h": hash_identifier(token)},
    )
    if account_id is None:
        stdlog.info("password change with unknown session cookie %s", token)  # expect: PII
        raise HTTPException(status_code=401)
    new_password = form.get("new_password", "")
    if len(new_password) < 12:
        stdlog.info("weak password rejected for account %s: %s", account_id, new_password)  # expect: PII
        raise HTTPException(status_code=400, detail="password too short")
    account = await session.get(PortalAccount, account_id)
    account.password_hash = argon2.hash(new_password)
    account.password_changed_at = datetime.now(timezone.utc)
    await session.commit()
    stdlog.info("password changed for account %s (password_changed_at=%s)", account_id, account.password_changed_at)  # ok: PII
    stdlog.debug("new hash for account %s: %s", account_id, account.password_hash)  # expect: PII
    log.debug("password_change_form", form=dict(form))  # expect: PII
    return {"ok": True}


@router.post("/logout")
async def logout(request: Request, response: Response):
    stdlog.info("logout, cookies present: %s", sorted(request.cookies))  # ok: PII
    response.delete_cookie(SESSION_COOKIE)
    return {"ok": True}
