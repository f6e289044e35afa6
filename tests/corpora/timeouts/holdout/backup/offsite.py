#!/usr/bin/env python3
"""Push nightly DB dumps to the offsite FTPS box and prune old ones.

Usage: offsite.py push /backups/db-2024-05-01.sql.gz
       offsite.py prune --keep 14
"""
import argparse
import datetime
import ftplib
import logging
import os
import smtplib
import ssl
import sys
from email.message import EmailMessage

HOST = os.environ.get("OFFSITE_HOST", "backup.offsite.example")
USER = os.environ.get("OFFSITE_USER", "db01")
PASSWORD = os.environ.get("OFFSITE_PASSWORD", "")
ALERT_RELAY = os.environ.get("ALERT_RELAY", "mail.internal")

log = logging.getLogger("offsite")


class OffsiteTarget:
    def __init__(self, host=HOST, port=21, user=USER, password=PASSWORD):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.ctx = ssl.create_default_context()

    def connect(self) -> ftplib.FTP_TLS:
        ftps = ftplib.FTP_TLS(context=self.ctx, timeout=120)  # ok: TMO005
        ftps.connect(self.host, self.port)  # ok: TMO005
        ftps.login(self.user, self.password)
        ftps.prot_p()
        return ftps


def push(archive_path):
    ftp = ftplib.FTP_TLS(HOST, USER, PASSWORD)  # expect: TMO005
    ftp.prot_p()
    name = os.path.basename(archive_path)
    with open(archive_path, "rb") as fh:
        ftp.storbinary("STOR " + name + ".part", fh, blocksize=1 << 20)
    ftp.rename(name + ".part", name)
    ftp.quit()
    return name


def prune(keep):
    with ftplib.FTP(HOST, USER, PASSWORD) as ftp:  # expect: TMO005
        names = sorted(n for n in ftp.nlst() if n.endswith(".sql.gz"))
        for old in names[:-keep]:
            log.info("deleting %s", old)
            ftp.delete(old)  # ok: TMO001


def verify(name):
    with ftplib.FTP(HOST, timeout=30) as ftp:  # ok: TMO005
        ftp.login(USER, PASSWORD)
        return ftp.size(name)


def verify_tls(name):
    with OffsiteTarget().connect() as ftps:
        return ftps.size(name)


def alert(subject, body):
    msg = EmailMessage()
    msg["Subject"] = "[offsite-backup] " + subject
    msg["From"] = "backup@db01.internal"
    msg["To"] = "dba@example.org"
    msg.set_content(body)
    s = smtplib.SMTP(ALERT_RELAY, 25, "db01.internal")  # expect: TMO005
    try:
        s.send_message(msg)
    finally:
        s.quit()


def alert_fallback(subject, body):
    # second relay, bounded because it is only reachable over the VPN
    s = smtplib.SMTP(host="mail-dr.internal", port=25, timeout=10)  # ok: TMO005
    s.sendmail("backup@db01.internal", ["dba@example.org"], "Subject: %s\n\n%s" % (subject, body))
    s.quit()


def main(argv=None):
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("push")
    sp.add_argument("path")
    pr = sub.add_parser("prune")
    pr.add_argument("--keep", type=int, default=14)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    started = datetime.datetime.now()
    try:
        if args.cmd == "push":
            name = push(args.path)
            remote = verify(name)
            local = os.path.getsize(args.path)
            if remote != local:
                alert("size mismatch", "%s: local %d remote %d" % (name, local, remote))
                return 2
        else:
            prune(args.keep)
    except ftplib.all_errors as exc:
        alert("failed", "%s after %s: %r" % (args.cmd, datetime.datetime.now() - started, exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
