"""Uploads the daily product feed to partners that still insist on FTP."""

import ftplib
import io
import logging
import os
from ftplib import FTP, FTP_TLS
from typing import Optional

log = logging.getLogger(__name__)

PARTNER_TIMEOUT = 60


class PartnerFeedUploader:
    def __init__(self, host: str, user: str, password: str, secure: bool = True,
                 timeout: int = PARTNER_TIMEOUT):
        self.host = host
        self.user = user
        self.password = password
        self.secure = secure
        self.timeout = timeout

    def _connect(self) -> ftplib.FTP:
        if self.secure:
            ftp = FTP_TLS(self.host, timeout=self.timeout)  # ok: TMO005
            ftp.login(self.user, self.password)
            ftp.prot_p()
        else:
            # host, user, passwd, acct, timeout
            ftp = FTP(self.host, self.user, self.password, "", self.timeout)  # ok: TMO005
        return ftp

    def upload(self, name: str, payload: bytes) -> None:
        ftp = self._connect()
        try:
            ftp.storbinary(f"STOR {name}.tmp", io.BytesIO(payload))
            ftp.rename(f"{name}.tmp", name)
        finally:
            ftp.quit()


def upload_daily_feed(path: str) -> None:
    with ftplib.FTP(os.environ["FEED_FTP_HOST"]) as ftp:  # expect: TMO005
        ftp.login(os.environ["FEED_FTP_USER"], os.environ["FEED_FTP_PASSWORD"])
        with open(path, "rb") as fh:
            ftp.storbinary(f"STOR {os.path.basename(path)}", fh)


def upload_secure(path: str, host: str, user: str, password: str) -> None:
    ftps = ftplib.FTP_TLS(host, user, password)  # expect: TMO005
    ftps.prot_p()
    try:
        with open(path, "rb") as fh:
            ftps.storbinary(f"STOR {os.path.basename(path)}", fh)
    finally:
        ftps.quit()


def fetch_price_list(host: str, remote_name: str = "prices.csv") -> bytes:
    buf = io.BytesIO()
    ftp = FTP(host, timeout=None)  # expect: TMO005
    ftp.login()
    ftp.retrbinary(f"RETR {remote_name}", buf.write)
    ftp.quit()
    return buf.getvalue()


def list_partner_dir(host: str, user: str, password: str, directory: Optional[str] = None) -> list:
    with FTP(host, user=user, passwd=password, timeout=PARTNER_TIMEOUT) as ftp:  # ok: TMO005
        if directory:
            ftp.cwd(directory)
        return ftp.nlst()


PARTNERS = {
    "acme-retail": PartnerFeedUploader("ftp.acme-retail.example", "feeds", os.environ.get("ACME_FTP_PW", "")),
    "bobs-bikes": PartnerFeedUploader("ftp.bobsbikes.example", "upload", os.environ.get("BOBS_FTP_PW", ""), secure=False),
}


def upload_all(feed: bytes) -> None:
    for name, uploader in PARTNERS.items():
        try:
            uploader.upload("products.xml", feed)
        except ftplib.all_errors as exc:
            log.error("upload to %s failed: %s", name, exc)


if __name__ == "__main__":
    import sys

    upload_daily_feed(sys.argv[1])
