"""Monthly statement PDFs: query the reporting DB, render HTML, ship it to the PDF service."""

import datetime
import io
import logging
import os
from decimal import Decimal
from typing import Dict, List

import jinja2
import psycopg2
import psycopg2.extras
import requests

log = logging.getLogger(__name__)

RENDER_URL = os.environ.get("RENDER_URL", "http://pdf-renderer:3000")
RENDER_TIMEOUT = None  # big statements can take a while to render
RENDER_TIMEOUT_PNG = 45
STORAGE_TIMEOUT = (3.05, 60)

env = jinja2.Environment(loader=jinja2.PackageLoader("reports", "templates"), autoescape=True)


def statement_rows(account_id: int, month: datetime.date) -> List[Dict]:
    conn = psycopg2.connect(dsn=os.environ["REPORTS_DSN"])  # expect: TMO007
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(
                "SELECT posted_at, description, amount FROM transactions "
                "WHERE account_id = %s AND date_trunc('month', posted_at) = %s ORDER BY posted_at",
                (account_id, month),
            )
            return cur.fetchall()
    finally:
        conn.close()


def account_header(account_id: int) -> Dict:
    with psycopg2.connect(os.environ["REPORTS_DSN"], connect_timeout=5) as conn:  # ok: TMO007
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute("SELECT id, holder, iban FROM accounts WHERE id = %s", (account_id,))
            return cur.fetchone()


def render_html(account_id: int, month: datetime.date) -> str:
    rows = statement_rows(account_id, month)
    total = sum((r["amount"] for r in rows), Decimal("0"))
    header = account_header(account_id)
    return env.get_template("statement.html").render(
        account=header, rows=rows, total=total, month=month.strftime("%B %Y"),
        holder=header.get("holder", ""),  # ok: TMO001
    )


def render_pdf(html: str) -> bytes:
    r = requests.post(f"{RENDER_URL}/pdf", data=html.encode("utf-8"),  # expect: TMO001
                      headers={"Content-Type": "text/html"}, timeout=RENDER_TIMEOUT)
    r.raise_for_status()
    return r.content


def render_png(html: str) -> bytes:
    r = requests.post(f"{RENDER_URL}/png", data=html.encode("utf-8"), timeout=RENDER_TIMEOUT_PNG)  # ok: TMO001
    r.raise_for_status()
    return r.content


def upload(pdf: bytes, presigned_url: str) -> None:
    s = requests.Session()
    s.headers["Content-Type"] = "application/pdf"
    resp = s.put(presigned_url, data=io.BytesIO(pdf))  # expect: TMO001
    resp.raise_for_status()


def presign(key: str) -> str:
    r = requests.post(f"{os.environ['STORAGE_API']}/presign", json={"key": key, "method": "PUT"}, timeout=STORAGE_TIMEOUT)  # ok: TMO001
    return r.json()["url"]


def notify_customer(account_id: int, url: str) -> None:
    requests.post(  # expect: TMO001
        f"{os.environ['NOTIFY_API']}/v1/notifications",
        json={"account_id": account_id, "template": "statement_ready", "params": {"url": url}},
        headers={"Authorization": f"Bearer {os.environ['NOTIFY_TOKEN']}"},
        timeout=(5, None),
    )


def accounts_for_month(month: datetime.date) -> List[int]:
    # expect: TMO007
    conn = psycopg2.connect("""host=reports-db.internal dbname=reports
                               user=statements application_name=statements""")
    with conn, conn.cursor() as cur:
        cur.execute("SELECT DISTINCT account_id FROM transactions WHERE date_trunc('month', posted_at) = %s", (month,))
        return [r[0] for r in cur.fetchall()]


def run(month: datetime.date) -> None:
    for account_id in accounts_for_month(month):
        pdf = render_pdf(render_html(account_id, month))
        key = f"statements/{month:%Y-%m}/{account_id}.pdf"
        upload(pdf, presign(key))
        notify_customer(account_id, key)
        log.info("statement %s done", key)


if __name__ == "__main__":
    import sys

    run(datetime.date.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else datetime.date.today().replace(day=1))
