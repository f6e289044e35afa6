"""Finance reports (CSV downloads for the finance team).

Mounted under /reports by billing.views.reports; every endpoint requires the
``finance`` scope. Queries run on the reporting replica with a 30s timeout.
"""
import csv
import datetime as dt
import io
import logging

import psycopg2
import psycopg2.extras
from flask import current_app

log = logging.getLogger(__name__)

REVENUE_VIEW = "billing.v_revenue_daily"
AGING_BUCKETS = ((0, 30), (31, 60), (61, 90), (91, 9999))
GROUPINGS = {"plan": "c.plan", "country": "c.billing_address->>'country'", "currency": "i.currency"}


def _replica():
    conn = psycopg2.connect(current_app.config["REPORTING_DATABASE_URL"], connect_timeout=5)
    conn.set_session(readonly=True)
    return conn


def _csv(rows, header):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def revenue(start: dt.date, end: dt.date, group: str = "plan") -> str:
    expr = GROUPINGS[group]
    with _replica() as conn, conn.cursor() as cur:
        cur.execute("SET statement_timeout = '30s'")
        cur.execute(
            f"""
            SELECT {expr} AS grp, sum(i.total_cents) / 100.0 AS revenue
            FROM billing.invoices i JOIN billing.customers c ON c.id = i.customer_id
            WHERE i.status = 'paid' AND i.paid_at >= %s AND i.paid_at < %s
            GROUP BY 1 ORDER BY 2 DESC
            """,
            (start, end),
        )
        return _csv(cur.fetchall(), [group, "revenue"])


def daily_revenue(days: int = 30) -> str:
    with _replica() as conn, conn.cursor() as cur:
        cur.execute(f"SELECT day, revenue FROM {REVENUE_VIEW} WHERE day > current_date - %s ORDER BY day", (days,))
        return _csv(cur.fetchall(), ["day", "revenue"])


def aging_report(as_of: dt.date) -> str:
    cases = "\n".join(
        f"WHEN %(as_of)s - due_at BETWEEN {lo} AND {hi} THEN '{lo}-{hi}'" for lo, hi in AGING_BUCKETS
    )
    query = f"""
        SELECT CASE {cases} ELSE 'current' END AS bucket, count(*), sum(total_cents) / 100.0
        FROM billing.invoices WHERE status = 'open'
        GROUP BY 1 ORDER BY 1
    """
    with _replica() as conn, conn.cursor() as cur:
        cur.execute(query, {"as_of": as_of})
        return _csv(cur.fetchall(), ["bucket", "count", "amount"])


def top_customers(limit: int = 20, min_total: int = 0) -> str:
    with _replica() as conn, conn.cursor(cursor_factory=psycopg2.extras.DictCursor) as cur:
        cur.execute(
            """
            SELECT c.id, c.name, sum(i.total_cents) AS total
            FROM billing.customers c JOIN billing.invoices i ON i.customer_id = c.id
            WHERE i.status = 'paid'
            GROUP BY c.id, c.name
            HAVING sum(i.total_cents) >= %(min_total)s
            ORDER BY total DESC
            LIMIT %(limit)s
            """,
            {"limit": limit, "min_total": min_total},
        )
        rows = cur.fetchall()
    log.info("top customers report: %d rows, min_total=%s", len(rows), min_total)  # ok: PII
    log.debug("top customer: %s", dict(rows[0]) if rows else None)  # expect: PII
    return _csv(rows, ["id", "name", "total"])


def tax_report(country: str, year: int, quarter: int) -> str:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    where = "c.billing_address->>'country' = '" + country + "'"
    where += " AND i.issued_at >= '" + start.isoformat() + "'"
    with _replica() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT i.number, i.issued_at, c.vat_number, i.total_cents, i.tax_cents "
            "FROM billing.invoices i JOIN billing.customers c ON c.id = i.customer_id WHERE " + where
        )
        rows = cur.fetchall()
    log.info("tax report %s %sQ%s: %d invoices", country, year, quarter, len(rows))  # ok: PII
    return _csv(rows, ["number", "issued_at", "vat_number", "total_cents", "tax_cents"])


def dunning_list(min_days_overdue: int = 14) -> list[dict]:
    """Customers to chase; consumed by the dunning mailer, not exported."""
    with _replica() as conn, conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(
            "SELECT c.id, c.email, c.name, count(*) AS open_invoices "
            "FROM billing.customers c JOIN billing.invoices i ON i.customer_id = c.id "
            "WHERE i.status = 'open' AND i.due_at < current_date - %s GROUP BY c.id",
            (min_days_overdue,),
        )
        customers = cur.fetchall()
    for customer in customers:
        log.info("dunning candidate %s (%s open invoices)", customer["id"], customer["open_invoices"])  # ok: PII
        log.debug("dunning candidate %s", customer)  # expect: PII
        log.info("will email %s about overdue invoices", customer["email"])  # expect: PII
    return customers


def export_query(name: str, params: dict) -> str:
    """Saved finance queries (billing.saved_queries), parameterized with %(name)s."""
    with _replica() as conn, conn.cursor() as cur:
        cur.execute("SELECT sql_text, columns FROM billing.saved_queries WHERE name = %s", (name,))
        sql_text, columns = cur.fetchone()
        cur.execute(sql_text, params)
        return _csv(cur.fetchall(), columns)
