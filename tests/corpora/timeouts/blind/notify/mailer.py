"""Transactional and bulk e-mail delivery over SMTP."""
from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Sequence

from django.conf import settings
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

SMTP_TIMEOUT = getattr(settings, "EMAIL_TIMEOUT", 30)


def build_message(to: Sequence[str], subject: str, text: str, html: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr(("Marketplace", settings.DEFAULT_FROM_EMAIL))
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="marketplace.example")
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


class Mailer:
    def __init__(self, host: str, port: int = 587, user: str | None = None, password: str | None = None,
                 timeout: float = SMTP_TIMEOUT) -> None:
        self.host, self.port, self.user, self.password, self.timeout = host, port, user, password, timeout

    def _connect(self) -> smtplib.SMTP:
        if self.port == 465:
            return smtplib.SMTP_SSL(self.host, self.port, context=ssl.create_default_context(), timeout=self.timeout)
        conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        conn.ehlo()
        if conn.has_extn("starttls"):
            conn.starttls(context=ssl.create_default_context())
            conn.ehlo()
        return conn

    def send(self, msg: EmailMessage) -> None:
        with self._connect() as conn:
            if self.user:
                conn.login(self.user, self.password or "")
            conn.send_message(msg)


def send_ops_alert(subject: str, body: str) -> None:
    msg = build_message(settings.OPS_EMAILS, f"[ops] {subject}", body)
    with smtplib.SMTP("localhost") as s:  # expect: TMO005
        s.send_message(msg)


def send_receipt(order) -> None:
    ctx = ssl.create_default_context()
    html = render_to_string("emails/receipt.html", {"order": order})
    msg = build_message([order.buyer.email], f"Your receipt for order #{order.pk}", f"Order #{order.pk}", html)
    with smtplib.SMTP_SSL(settings.EMAIL_HOST, 465, context=ctx) as s:  # expect: TMO005
        s.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        s.send_message(msg)


def send_newsletter(recipients: Sequence[str], subject: str, html: str, batch_size: int = 50) -> int:
    sent = 0
    server = smtplib.SMTP(settings.BULK_EMAIL_HOST, 587, None, 20)  # ok: TMO005
    try:
        server.starttls()
        server.login(settings.BULK_EMAIL_USER, settings.BULK_EMAIL_PASSWORD)
        for i in range(0, len(recipients), batch_size):
            batch = recipients[i : i + batch_size]
            msg = build_message([settings.DEFAULT_FROM_EMAIL], subject, "View this e-mail in HTML.", html)
            msg["Bcc"] = ", ".join(batch)
            server.send_message(msg)
            sent += len(batch)
    finally:
        server.quit()
    return sent


def send_via_relay(msg: EmailMessage) -> None:
    relay = smtplib.SMTP(  # expect: TMO005
        host=settings.RELAY_HOST,
        port=settings.RELAY_PORT,
        local_hostname="marketplace-web",
    )
    try:
        relay.send_message(msg)
    finally:
        relay.quit()


def smtp_factory(**opts) -> smtplib.SMTP:
    return smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, **opts)  # ok: TMO005
