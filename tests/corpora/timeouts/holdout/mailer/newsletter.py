"""Newsletter sending + bounce processing."""

import email
import imaplib
import logging
import poplib
import smtplib
import ssl
import time
from email.message import EmailMessage
from smtplib import SMTP, SMTP_SSL as SMTPS
from typing import Iterable, List

log = logging.getLogger("newsletter")

SEND_RATE_PER_SEC = 10


class Mailer:
    def __init__(self, host, port=465, user=None, password=None, timeout=30.0):
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.timeout = timeout

    def _connect(self):
        if self.port == 465:
            conn = SMTPS(self.host, self.port, timeout=self.timeout)  # ok: TMO005
        else:
            conn = SMTP(self.host, self.port, timeout=self.timeout)  # ok: TMO005
            conn.starttls(context=ssl.create_default_context())
        if self.user:
            conn.login(self.user, self.password)
        return conn

    def send_campaign(self, messages: Iterable[EmailMessage]) -> int:
        sent = 0
        conn = self._connect()
        try:
            for msg in messages:
                conn.send_message(msg)
                sent += 1
                time.sleep(1.0 / SEND_RATE_PER_SEC)
        finally:
            conn.quit()
        return sent


def send_test_email(to):
    msg = EmailMessage()
    msg["Subject"] = "Newsletter preview"
    msg["From"] = "news@example.org"
    msg["To"] = to
    msg.set_content("This is a preview.")
    with SMTPS("smtp.mailprovider.example", 465) as s:  # expect: TMO005
        s.login("news@example.org", "app-password")
        s.send_message(msg)


def send_via_local_postfix(msg):
    with SMTP("localhost") as s:  # expect: TMO005
        s.send_message(msg)


def send_via_relay_tls(msg, relay_host):
    ctx = ssl.create_default_context()
    server = smtplib.SMTP_SSL(host=relay_host, port=465, context=ctx)  # expect: TMO005
    try:
        server.send_message(msg)
    finally:
        server.quit()


def bounces(host, user, pw) -> List[str]:
    box = poplib.POP3_SSL(host)  # expect: TMO005
    box.user(user)
    box.pass_(pw)
    addrs = []
    for i in range(len(box.list()[1])):
        raw = b"\n".join(box.retr(i + 1)[1])
        msg = email.message_from_bytes(raw)
        failed = msg.get("X-Failed-Recipients")  # ok: TMO001
        if failed:
            addrs.append(failed.strip())
        box.dele(i + 1)
    box.quit()
    return addrs


def bounces_bounded(host, user, pw) -> int:
    box = poplib.POP3_SSL(host, 995, timeout=15)  # ok: TMO005
    box.user(user)
    box.pass_(pw)
    n = box.stat()[0]
    box.quit()
    return n


def complaints(host, user, pw) -> List[str]:
    with imaplib.IMAP4_SSL(host, timeout=None) as M:  # expect: TMO005
        M.login(user, pw)
        M.select("Complaints")
        _, data = M.search(None, "ALL")
        out = []
        for num in data[0].split():
            _, parts = M.fetch(num, "(BODY[HEADER.FIELDS (FROM)])")
            out.append(parts[0][1].decode().split(":", 1)[1].strip())
        return out


def unsubscribes(host, user, pw) -> int:
    with imaplib.IMAP4_SSL(host, 993, timeout=20) as M:  # ok: TMO005
        M.login(user, pw)
        M.select("Unsubscribe")
        _, data = M.search(None, "UNSEEN")
        return len(data[0].split())


def smoke_test_relay(relay_host):
    s = smtplib.SMTP(relay_host, 25, "newsletter-01.example.org")  # expect: TMO005
    code, _ = s.ehlo()
    s.quit()
    return code == 250


def preview_via_mailhog(msg):
    s = smtplib.SMTP("mailhog", 1025, "newsletter-dev", 5)  # ok: TMO005
    s.send_message(msg)
    s.quit()
