"""Notification fan-out worker: delivers events via webhooks, SMS, push and e-mail."""
from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Iterable

import httpx
import requests
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

log = logging.getLogger("notify.fanout")

SMTP_HOST = os.environ.get("SMTP_HOST", "smtp.internal")
SMTP_TIMEOUT = float(os.environ.get("SMTP_TIMEOUT", "30"))
SMS_API = "https://sms-gateway.example.net/v2/messages"
APNS_BASE = "https://api.push.apple.com/3/device"

_webhook_session = requests.Session()
_webhook_session.headers["User-Agent"] = "notify-fanout/2.3"

_sms_session = requests.Session()
_sms_session.auth = (os.environ.get("SMS_ACCOUNT", ""), os.environ.get("SMS_TOKEN", ""))
_sms_request = functools.partial(_sms_session.request, timeout=8)

_apns = httpx.Client(http2=True, timeout=httpx.Timeout(30.0))  # ok: TMO009


@dataclass
class WebhookEndpoint:
    url: str
    secret: str
    tenant: str


@dataclass
class Notification:
    tenant: str
    kind: str
    payload: dict[str, Any]
    phone: str | None = None
    email: str | None = None
    device_token: str | None = None
    channels: list[str] = field(default_factory=lambda: ["webhook"])


def _sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _encode(note: Notification) -> bytes:
    return json.dumps({"type": note.kind, "tenant": note.tenant, "data": note.payload}).encode()


def deliver_webhook(endpoint: WebhookEndpoint, note: Notification) -> int:
    body = _encode(note)
    headers = {"Content-Type": "application/json", "X-Signature": _sign(endpoint.secret, body)}
    status = 0
    for attempt in Retrying(
        stop=stop_after_attempt(5),
        wait=wait_exponential(multiplier=0.5, max=30),
        retry=retry_if_exception_type(requests.RequestException),
        reraise=True,
    ):
        with attempt:
            resp = _webhook_session.post(endpoint.url, data=body, headers=headers)  # expect: TMO001
            resp.raise_for_status()
            status = resp.status_code
    return status


def deliver_webhooks_bulk(endpoints: Iterable[WebhookEndpoint], note: Notification) -> dict[str, int]:
    post = _webhook_session.post
    body = _encode(note)
    results: dict[str, int] = {}
    for ep in endpoints:
        resp = post(ep.url, data=body, headers={"Content-Type": "application/json", "X-Signature": _sign(ep.secret, body)})  # expect: TMO001
        results[ep.url] = resp.status_code
    return results


def verify_endpoint(endpoint: WebhookEndpoint) -> bool:
    """Called when a tenant registers a new endpoint."""
    probe = requests.head(endpoint.url, allow_redirects=True)  # expect: TMO001
    return probe.status_code < 500


def send_sms(note: Notification) -> str:
    resp = _sms_request("POST", SMS_API, data={"to": note.phone, "body": note.payload["text"]})  # ok: TMO001
    resp.raise_for_status()
    return resp.json()["sid"]


def send_push(note: Notification) -> None:
    resp = _apns.post(
        f"{APNS_BASE}/{note.device_token}",
        json={"aps": {"alert": note.payload["text"]}},
        headers={"apns-topic": os.environ.get("APNS_TOPIC", "com.example.app")},
    )
    resp.raise_for_status()


def _build_email(note: Notification, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = note.email or ""
    msg["Subject"] = note.payload.get("subject", "Notification")
    msg.set_content(note.payload["text"])
    return msg


def send_email(note: Notification) -> None:
    ctx = ssl.create_default_context()
    with smtplib.SMTP(SMTP_HOST, 587) as smtp:  # expect: TMO005
        smtp.starttls(context=ctx)
        smtp.send_message(_build_email(note, "no-reply@example.com"))


def send_email_transactional(note: Notification) -> None:
    ctx = ssl.create_default_context()
    with smtplib.SMTP_SSL(SMTP_HOST, 465, context=ctx, timeout=SMTP_TIMEOUT) as smtp:  # ok: TMO005
        smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
        smtp.send_message(_build_email(note, "receipts@example.com"))


def send_email_marketing(notes: list[Notification]) -> None:
    ctx = ssl.create_default_context()
    smtp = smtplib.SMTP_SSL("smtp.marketing-relay.example.com", 465, context=ctx)  # expect: TMO005
    try:
        for note in notes:
            smtp.send_message(_build_email(note, "news@example.com"))
    finally:
        smtp.quit()


def notify_slack(webhook_url: str, text: str) -> None:
    requests.post(webhook_url, json={"text": text}, timeout=5)


def notify_teams(webhook_url: str, card: dict[str, Any]) -> None:
    requests.request("POST", webhook_url, json=card)  # expect: TMO001


def fan_out(note: Notification, endpoints: list[WebhookEndpoint]) -> None:
    for channel in note.channels:
        try:
            if channel == "webhook":
                deliver_webhooks_bulk([e for e in endpoints if e.tenant == note.tenant], note)
            elif channel == "sms" and note.phone:
                send_sms(note)
            elif channel == "push" and note.device_token:
                send_push(note)
            elif channel == "email" and note.email:
                send_email(note)
        except Exception:
            log.exception("delivery via %s failed for tenant %s", channel, note.tenant)
