"""Channel senders: SMTP email, SMS gateway and push (FCM)."""
from __future__ import annotations

import asyncio
import json
import logging
import os
from email.message import EmailMessage

import aiosmtplib
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

from notify.privacy import mask_email, mask_phone

logger = logging.getLogger("notify.senders")

SMTP_HOST = os.environ.get("SMTP_HOST", "smtp.internal")
SMTP_USER = os.environ.get("SMTP_USER", "notify")
SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
SMS_URL = os.environ.get("SMS_URL", "https://sms.example.net/api/send")
SMS_API_KEY = os.environ.get("SMS_API_KEY", "")
FCM_URL = "https://fcm.googleapis.com/fcm/send"
TEMPLATES_URL = os.environ.get("TEMPLATES_URL", "http://templates.internal")

_http = AsyncHTTPClient()


class EmailSender:
    def __init__(self, sender: str = "no-reply@example.com"):
        self.sender = sender
        self.log = logging.getLogger("notify.senders.email")

    async def render(self, template: str, locale: str) -> dict:
        resp = await _http.fetch(f"{TEMPLATES_URL}/v1/templates/{template}?locale={locale}", request_timeout=5)
        return json.loads(resp.body)

    async def send(self, email: str, template: str, locale: str, variables: dict) -> str:
        tpl = await self.render(template, locale)
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = email
        msg["Subject"] = tpl["subject"].format(**variables)
        msg.set_content(tpl["body"].format(**variables))
        self.log.debug("smtp login as %s with password %s", SMTP_USER, SMTP_PASSWORD)  # expect: PII
        try:
            await aiosmtplib.send(msg, hostname=SMTP_HOST, username=SMTP_USER, password=SMTP_PASSWORD, timeout=15)
        except aiosmtplib.SMTPRecipientsRefused:
            self.log.warning(f"recipient refused: {email} (template {template})")  # expect: PII
            raise
        self.log.info("email sent to %s template=%s", mask_email(email), template)  # ok: PII
        self.log.info("email_template_name=%s rendered for locale %s", template, locale)  # ok: PII
        return msg["Message-ID"] or ""


class SmsSender:
    async def send(self, phone: str, text: str) -> str:
        req = HTTPRequest(
            SMS_URL,
            method="POST",
            headers={"X-Api-Key": SMS_API_KEY, "Content-Type": "application/json"},
            body=json.dumps({"to": phone, "text": text}),
            request_timeout=10,
        )
        logger.info("sending sms to %s", mask_phone(phone))  # ok: PII
        resp = await _http.fetch(req, raise_error=False)
        if resp.code >= 400:
            logger.error("sms gateway %s for %s: %s", resp.code, phone, resp.body[:200])  # expect: PII
            logger.error("sms gateway rejected key %s", SMS_API_KEY)  # expect: PII
            raise RuntimeError(f"sms failed: {resp.code}")
        return json.loads(resp.body)["id"]


class PushSender:
    def __init__(self, server_key: str):
        self.server_key = server_key

    async def send(self, push_token: str, title: str, body: str) -> None:
        req = HTTPRequest(
            FCM_URL,
            method="POST",
            headers={"Authorization": f"key={self.server_key}", "Content-Type": "application/json"},
            body=json.dumps({"to": push_token, "notification": {"title": title, "body": body}}),
            request_timeout=10,
        )
        resp = await _http.fetch(req)
        result = json.loads(resp.body)
        if result.get("failure"):
            print(f"push failed for token {push_token}: {result}")  # expect: PII
        logger.info("push sent, success=%s failure=%s", result.get("success"), result.get("failure"))  # ok: PII


async def send_all(tasks: list) -> list:
    results = await asyncio.gather(*tasks, return_exceptions=True)
    failures = [r for r in results if isinstance(r, Exception)]
    if failures:
        logger.warning("%d of %d sends failed", len(failures), len(results))  # ok: PII
    return results
