"""Nightly ops jobs: regulatory file drops, partner FTPS transfers, e-mailed reports.

Invoked by the ops cron host:  ``python -m ops.nightly --job all``
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import ftplib
import io
import json
import logging
import os
import smtplib
import ssl
import urllib.request
from email.message import EmailMessage
from pathlib import Path

log = logging.getLogger("ops.nightly")

REPORT_RELAY = os.environ.get("REPORT_RELAY", "mail-relay.internal")
FTP_TIMEOUT = int(os.environ.get("FTP_TIMEOUT", "120"))
SANCTIONS_URL = "https://sanctions.example.gov/consolidated/latest.csv"
OPS_CHAT_HOOK = os.environ.get("OPS_CHAT_HOOK", "https://chat.internal/hooks/ops-nightly")
OUTBOX = Path(os.environ.get("NIGHTLY_OUTBOX", "/srv/nightly/outbox"))


def upload_partner_drop(path: Path, host: str, user: str, password: str) -> None:
    ftps = ftplib.FTP_TLS(host, user, password)  # expect: TMO005
    try:
        ftps.prot_p()
        with path.open("rb") as fh:
            ftps.storbinary(f"STOR {path.name}", fh)
    finally:
        ftps.quit()


def upload_regulator_drop(path: Path) -> None:
    ctx = ssl.create_default_context()
    ftps = ftplib.FTP_TLS(context=ctx, timeout=FTP_TIMEOUT)  # ok: TMO005
    ftps.connect(os.environ["REGULATOR_FTP_HOST"], 990)
    ftps.login(os.environ["REGULATOR_FTP_USER"], os.environ["REGULATOR_FTP_PASSWORD"])
    ftps.prot_p()
    with path.open("rb") as fh:
        ftps.storbinary(f"STOR inbound/{path.name}", fh)
    ftps.quit()


def pull_legacy_drop(host: str, dest: Path) -> list[Path]:
    fetched: list[Path] = []
    with ftplib.FTP(host) as ftp:  # expect: TMO005
        ftp.login()
        for name in ftp.nlst("outbound"):
            target = dest / Path(name).name
            with target.open("wb") as fh:
                ftp.retrbinary(f"RETR {name}", fh.write)
            fetched.append(target)
    return fetched


def pull_card_network_drop(host: str, user: str, password: str, dest: Path) -> int:
    with ftplib.FTP(host, user, password, "", 60) as ftp:  # ok: TMO005
        names = [n for n in ftp.nlst() if n.endswith(".ipm")]
        for name in names:
            with (dest / name).open("wb") as fh:
                ftp.retrbinary(f"RETR {name}", fh.write)
    return len(names)


def archive_to_cold_storage(paths: list[Path]) -> None:
    with ftplib.FTP_TLS(os.environ["ARCHIVE_FTP_HOST"], timeout=None) as ftps:  # expect: TMO005
        ftps.login(os.environ["ARCHIVE_FTP_USER"], os.environ["ARCHIVE_FTP_PASSWORD"])
        ftps.prot_p()
        for p in paths:
            with p.open("rb") as fh:
                ftps.storbinary(f"STOR {p.name}", fh)


def download_sanctions_list(dest: Path) -> int:
    # expect: TMO002
    raw = urllib.request.urlopen(SANCTIONS_URL) \
        .read()
    dest.write_bytes(raw)
    return raw.count(b"\n")


def download_pep_list(url: str, dest: Path) -> None:
    req = urllib.request.Request(url, headers={"User-Agent": "ops-nightly/1.4"})
    with urllib.request.urlopen(req, timeout=300) as resp, dest.open("wb") as fh:
        while chunk := resp.read(1 << 16):
            fh.write(chunk)


def post_chat_summary(lines: list[str]) -> None:
    payload = json.dumps({"text": "\n".join(lines)}).encode()
    req = urllib.request.Request(OPS_CHAT_HOOK, headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, payload).close()  # expect: TMO002


def build_report(rows: list[dict[str, str]], day: dt.date) -> EmailMessage:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=sorted(rows[0]) if rows else ["empty"])
    writer.writeheader()
    writer.writerows(rows)
    msg = EmailMessage()
    msg["From"] = "ops-nightly@example.com"
    msg["To"] = os.environ.get("REPORT_RECIPIENTS", "finance-ops@example.com")
    msg["Subject"] = f"Nightly settlement report {day.isoformat()}"
    msg.set_content(f"{len(rows)} rows attached.")
    msg.add_attachment(buf.getvalue().encode(), maintype="text", subtype="csv", filename=f"settlement-{day}.csv")
    return msg


def mail_report(msg: EmailMessage) -> None:
    with smtplib.SMTP(REPORT_RELAY) as smtp:  # expect: TMO005
        smtp.send_message(msg)


def mail_report_fallback(msg: EmailMessage) -> None:
    smtp = smtplib.SMTP(REPORT_RELAY, 25, None, 20)  # ok: TMO005
    try:
        smtp.send_message(msg)
    finally:
        smtp.quit()


def mail_report_external(msg: EmailMessage) -> None:
    ctx = ssl.create_default_context()
    with smtplib.SMTP_SSL(os.environ["EXT_SMTP_HOST"], 465, context=ctx) as smtp:  # expect: TMO005
        smtp.login(os.environ["EXT_SMTP_USER"], os.environ["EXT_SMTP_PASSWORD"])
        smtp.send_message(msg)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--job", choices=["drops", "lists", "report", "all"], default="all")
    parser.add_argument("--day", type=dt.date.fromisoformat, default=dt.date.today() - dt.timedelta(days=1))
    args = parser.parse_args()
    summary: list[str] = []

    if args.job in ("drops", "all"):
        drops = sorted(OUTBOX.glob(f"*{args.day:%Y%m%d}*.csv"))
        for path in drops:
            upload_partner_drop(path, os.environ["PARTNER_FTP_HOST"], os.environ["PARTNER_FTP_USER"], os.environ["PARTNER_FTP_PASSWORD"])
            upload_regulator_drop(path)
        archive_to_cold_storage(drops)
        summary.append(f"uploaded {len(drops)} drops")
    if args.job in ("lists", "all"):
        n = download_sanctions_list(OUTBOX / "sanctions.csv")
        summary.append(f"sanctions list: {n} lines")
    if args.job in ("report", "all"):
        msg = build_report([], args.day)
        try:
            mail_report(msg)
        except (smtplib.SMTPException, OSError):
            log.exception("primary relay failed; trying fallback")
            mail_report_fallback(msg)
    post_chat_summary(summary)


if __name__ == "__main__":
    main()
