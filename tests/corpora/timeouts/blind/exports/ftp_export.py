"""Nightly product-feed exports to partner FTP servers."""
from __future__ import annotations

import csv
import ftplib
import io
import logging
import os
import ssl
from dataclasses import dataclass
from typing import Iterable

from django.conf import settings

log = logging.getLogger(__name__)

FTP_TIMEOUT = settings.EXPORT_FTP_TIMEOUT


@dataclass
class Partner:
    name: str
    host: str
    user: str
    password: str
    remote_dir: str = "/incoming"
    tls: bool = True


def render_feed(rows: Iterable[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["sku", "title", "price", "currency", "stock", "url"])
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buf.getvalue().encode("utf-8")


def upload_plain(partner: Partner, filename: str, payload: bytes) -> None:
    with ftplib.FTP(partner.host, partner.user, partner.password) as ftp:  # expect: TMO005
        ftp.cwd(partner.remote_dir)
        ftp.storbinary(f"STOR {filename}", io.BytesIO(payload))


def upload_tls(partner: Partner, filename: str, payload: bytes) -> None:
    ctx = ssl.create_default_context()
    with ftplib.FTP_TLS(partner.host, partner.user, partner.password, context=ctx, timeout=FTP_TIMEOUT) as ftps:  # ok: TMO005
        ftps.prot_p()
        ftps.cwd(partner.remote_dir)
        ftps.storbinary(f"STOR {filename}", io.BytesIO(payload))


def upload_tls_legacy(partner: Partner, filename: str, payload: bytes) -> None:
    ftps = ftplib.FTP_TLS(host=partner.host, user=partner.user, passwd=partner.password, context=ssl.create_default_context())  # expect: TMO005
    try:
        ftps.prot_p()
        ftps.cwd(partner.remote_dir)
        ftps.storbinary(f"STOR {filename}", io.BytesIO(payload))
    finally:
        ftps.quit()


def upload_positional(partner: Partner, filename: str, payload: bytes) -> None:
    ftp = ftplib.FTP(partner.host, partner.user, partner.password, "", 45)  # ok: TMO005
    try:
        ftp.storbinary(f"STOR {partner.remote_dir}/{filename}", io.BytesIO(payload))
    finally:
        ftp.close()


def fetch_ack_files(partner: Partner, local_dir: str) -> list[str]:
    fetched: list[str] = []
    ftp = ftplib.FTP(partner.host)  # expect: TMO005
    ftp.login(partner.user, partner.password)
    try:
        for name in ftp.nlst(partner.remote_dir.replace("incoming", "outgoing")):
            if not name.endswith(".ack"):
                continue
            path = os.path.join(local_dir, os.path.basename(name))
            with open(path, "wb") as fh:
                ftp.retrbinary(f"RETR {name}", fh.write)
            fetched.append(path)
    finally:
        ftp.quit()
    return fetched


def mirror_to_plain_partners(partners: Iterable[Partner], filename: str, payload: bytes) -> list[str]:
    conns = {p.name: ftplib.FTP(p.host, p.user, p.password) for p in partners if not p.tls}  # expect: TMO005
    done = []
    for name, ftp in conns.items():
        try:
            ftp.storbinary(f"STOR {filename}", io.BytesIO(payload))
            done.append(name)
        finally:
            ftp.quit()
    return done
