"""Invoice queries. Keep SQL here, not in the views."""
import datetime as dt
import logging

from billing.db import cursor, fetch_one

logger = logging.getLogger(__name__)

INVOICE_COLUMNS = "id, customer_id, number, status, currency, total_cents, issued_at, due_at"
SORTABLE = {"issued_at", "due_at", "total_cents", "number"}


def get_invoice(invoice_id):
    return fetch_one(
        f"SELECT {INVOICE_COLUMNS} FROM billing.invoices WHERE id = %s",
        (invoice_id,),
    )


def list_invoices(customer_id, status=None, sort="issued_at", direction="desc", limit=50):
    if sort not in SORTABLE:
        raise ValueError(f"cannot sort by {sort!r}")
    direction = "DESC" if direction.lower() == "desc" else "ASC"

    query = f"SELECT {INVOICE_COLUMNS} FROM billing.invoices WHERE customer_id = %s"
    params = [customer_id]
    if status:
        query += " AND status = %s"
        params.append(status)
    query += f" ORDER BY {sort} {direction} LIMIT %s"
    params.append(limit)

    with cursor() as cur:
        cur.execute(query, params)  # expect: SQLI
        return cur.fetchall()


def overdue_invoices(as_of=None, include_disputed=False):
    as_of = as_of or dt.date.today()
    query = f"SELECT {INVOICE_COLUMNS} FROM billing.invoices WHERE due_at < %s AND status = 'open'"
    if not include_disputed:
        query += " AND disputed = false"
    query += " ORDER BY due_at"
    with cursor() as cur:
        cur.execute(query, (as_of,))  # ok: SQLI
        return cur.fetchall()


def mark_paid(invoice_id, paid_at, reference):
    with cursor(dict_rows=False) as cur:
        cur.execute(  # ok: SQLI
            "UPDATE billing.invoices SET status = 'paid', paid_at = %s, payment_ref = %s "
            "WHERE id = %s AND status = 'open'",
            (paid_at, reference, invoice_id),
        )
        return cur.rowcount == 1


def add_line_items(invoice_id, items):
    rows = [
        (invoice_id, item["sku"], item["description"], item["quantity"], item["unit_cents"])
        for item in items
    ]
    with cursor(dict_rows=False) as cur:
        cur.executemany(  # ok: SQLI
            "INSERT INTO billing.line_items (invoice_id, sku, description, quantity, unit_cents) "
            "VALUES (%s, %s, %s, %s, %s)",
            rows,
        )
    logger.info("added %d line items to invoice %s", len(rows), invoice_id)


def void_invoices(invoice_ids, reason):
    ids = ",".join(str(i) for i in invoice_ids)
    with cursor(dict_rows=False) as cur:
        cur.execute(  # expect: SQLI
            f"UPDATE billing.invoices SET status = 'void', void_reason = %s WHERE id IN ({ids})",
            (reason,),
        )
        return cur.rowcount


def search_by_number(prefix):
    with cursor() as cur:
        cur.execute("SELECT id, number, status FROM billing.invoices WHERE number LIKE '%s%%'" % prefix)  # expect: SQLI
        return cur.fetchall()


def find_by_payment_ref(reference):
    with cursor() as cur:
        cur.execute("SELECT id, number, status FROM billing.invoices WHERE payment_ref LIKE %s", (reference + "%",))  # ok: SQLI
        return cur.fetchall()


def bulk_set_status(updates, table="billing.invoices"):
    """updates: iterable of (status, invoice_id)."""
    with cursor(dict_rows=False) as cur:
        cur.executemany(f"UPDATE {table} SET status = %s WHERE id = %s", updates)  # expect: SQLI


def monthly_totals(year, currency):
    query = """
        SELECT date_trunc('month', issued_at) AS month, sum(total_cents) AS total
        FROM billing.invoices
        WHERE extract(year FROM issued_at) = {year} AND currency = '{currency}'
        GROUP BY 1
        ORDER BY 1
    """.format(year=year, currency=currency)
    with cursor() as cur:
        cur.execute(query)  # expect: SQLI
        return cur.fetchall()


def purge_drafts(older_than_days, dry_run=True):
    stmt = (
        "DELETE FROM billing.invoices WHERE status = 'draft' "
        f"AND created_at < now() - interval '{older_than_days} days'"
    )
    if dry_run:
        logger.info("dry run, would execute: %s", stmt)
        return 0
    with cursor(dict_rows=False) as cur:
        cur.execute(stmt)  # expect: SQLI
        return cur.rowcount


def totals_by_customer(customer_ids):
    with cursor() as cur:
        cur.execute(  # ok: SQLI
            "SELECT customer_id, sum(total_cents) AS total FROM billing.invoices "
            "WHERE customer_id = ANY(%s) GROUP BY customer_id",
            (list(customer_ids),),
        )
        return {row["customer_id"]: row["total"] for row in cur.fetchall()}


def latest_for(customer_id, n=5):
    with cursor() as cur:
        cur.execute(  # expect: SQLI
            "SELECT " + INVOICE_COLUMNS + " FROM billing.invoices WHERE customer_id = " + str(customer_id)
            + " ORDER BY issued_at DESC LIMIT " + str(n)
        )
        return cur.fetchall()


def next_invoice_number(prefix="INV"):
    with cursor(dict_rows=False) as cur:
        cur.execute("SELECT nextval('billing.invoice_number_seq')")
        seq = cur.fetchone()[0]
    return f"{prefix}-{dt.date.today():%Y}-{seq:06d}"
