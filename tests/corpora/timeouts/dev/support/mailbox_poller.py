"""Polls the support mailbox and turns new mail into tickets."""

import email
import email.policy
import imaplib
import logging
import os
import poplib
import time
from typing import Iterator, List

from support.tickets import create_ticket

log = logging.getLogger(__name__)

IMAP_HOST = os.environ.get("SUPPORT_IMAP_HOST", "imap.example.com")
POLL_INTERVAL = 60


class SupportInboxPoller:
    def __init__(self, user: str, password: str, host: str = IMAP_HOST):
        self.user = user
        self.password = password
        self.host = host

    def connect(self) -> imaplib.IMAP4_SSL:
        conn = imaplib.IMAP4_SSL(self.host)  # expect: TMO005
        conn.login(self.user, self.password)
        conn.select("INBOX")
        return conn

    def connect_with_deadline(self) -> imaplib.IMAP4_SSL:
        conn = imaplib.IMAP4_SSL(self.host, 993, timeout=30)  # ok: TMO005
        conn.login(self.user, self.password)
        conn.select("INBOX")
        return conn

    def unseen(self, conn) -> Iterator[email.message.EmailMessage]:
        status, data = conn.search(None, "UNSEEN")
        if status != "OK":
            return
        for num in data[0].split():
            _, parts = conn.fetch(num, "(RFC822)")
            yield email.message_from_bytes(parts[0][1], policy=email.policy.default)

    def run_forever(self) -> None:
        while True:
            conn = self.connect()
            try:
                for msg in self.unseen(conn):
                    create_ticket(
                        subject=msg.get("Subject", "(no subject)"),  # ok: TMO001
                        sender=msg.get("From"),  # ok: TMO001
                        body=msg.get_body(preferencelist=("plain", "html")).get_content(),
                    )
            finally:
                conn.logout()
            time.sleep(POLL_INTERVAL)


def drain_legacy_pop_box(host: str, user: str, password: str) -> List[bytes]:
    box = poplib.POP3(host)  # expect: TMO005
    box.user(user)
    box.pass_(password)
    count, _ = box.stat()
    messages = [b"\r\n".join(box.retr(i + 1)[1]) for i in range(count)]
    box.quit()
    return messages


def drain_pop_ssl(host: str, user: str, password: str) -> int:
    box = poplib.POP3_SSL(host, 995, timeout=20)  # ok: TMO005
    box.user(user)
    box.pass_(password)
    count, _ = box.stat()
    box.quit()
    return count


def drain_pop_plain_with_deadline(host: str) -> "poplib.POP3":
    return poplib.POP3(host, 110, 20)  # ok: TMO005


def local_relay_inbox() -> imaplib.IMAP4:
    return imaplib.IMAP4("localhost", 143)  # expect: TMO005


def archive_box(user: str, password: str) -> None:
    with imaplib.IMAP4_SSL(os.environ["ARCHIVE_IMAP_HOST"], port=993) as conn:  # expect: TMO005
        conn.login(user, password)
        conn.select("INBOX")
        typ, data = conn.search(None, "BEFORE", time.strftime("%d-%b-%Y", time.gmtime(time.time() - 90 * 86400)))
        for num in data[0].split():
            conn.copy(num, "Archive")
            conn.store(num, "+FLAGS", "\\Deleted")
        conn.expunge()


if __name__ == "__main__":
    SupportInboxPoller(os.environ["SUPPORT_USER"], os.environ["SUPPORT_PASSWORD"]).run_forever()
