"""Customer persistence (billing.customers)."""
import json
import logging

from billing.db import cursor, fetch_one

log = logging.getLogger(__name__)

SEARCHABLE = ("email", "name", "vat_number")


def get_customer(customer_id):
    return fetch_one(
        "SELECT id, email, name, plan, billing_address, vat_number, created_at "
        "FROM billing.customers WHERE id = %s AND deleted_at IS NULL",
        (customer_id,),
    )


def email_exists(email):
    with cursor(dict_rows=False) as cur:
        cur.execute("SELECT 1 FROM billing.customers WHERE lower(email) = lower(%s)", [email])
        return cur.fetchone() is not None


def create_customer(email, name, billing_address, vat_number):
    with cursor() as cur:
        cur.execute(
            """
            INSERT INTO billing.customers (email, name, billing_address, vat_number)
            VALUES (%(email)s, %(name)s, %(addr)s, %(vat)s)
            RETURNING id, email, name, plan, created_at
            """,
            {"email": email, "name": name, "addr": json.dumps(billing_address), "vat": vat_number},
        )
        row = cur.fetchone()
    log.info("inserted customer id=%s", row["id"])  # ok: PII
    log.debug("inserted customer row %s", row)  # expect: PII
    return row


def update_address(customer_id, address):
    with cursor(dict_rows=False) as cur:
        cur.execute(
            "UPDATE billing.customers SET billing_address = %s WHERE id = %s",
            (json.dumps(address), customer_id),
        )
    log.info("customer %s: billing address now %s", customer_id, address)  # expect: PII


def search(field, term, limit=25):
    """Admin console search. ``field`` comes from a <select>, checked below."""
    if field not in SEARCHABLE:
        raise ValueError("unsupported search field")
    with cursor() as cur:
        cur.execute(
            f"SELECT id, email, name FROM billing.customers WHERE {field} ILIKE %s LIMIT %s",
            (f"%{term}%", limit),
        )
        rows = cur.fetchall()
    log.info("admin search on %s returned %d rows", field, len(rows))  # ok: PII
    return rows


def customers_by_ids(ids):
    placeholders = ", ".join(["%s"] * len(ids))
    with cursor() as cur:
        cur.execute(f"SELECT id, email, name, plan FROM billing.customers WHERE id IN ({placeholders})", list(ids))
        return cur.fetchall()


def delete_customer(customer_id, hard=False):
    if hard:
        stmt = "DELETE FROM billing.customers WHERE id = %s"
    else:
        stmt = (
            "UPDATE billing.customers "
            "SET deleted_at = now(), email = 'deleted-' || id || '@invalid.example' "
            "WHERE id = %s"
        )
    with cursor(dict_rows=False) as cur:
        cur.execute(stmt, (customer_id,))
    log.warning("customer %s deleted (hard=%s)", customer_id, hard)  # ok: PII


def export_rows(plan=None):
    if plan is None:
        query = "SELECT id, email, plan FROM billing.customers ORDER BY id"
    else:
        query = f"SELECT id, email, plan FROM billing.customers WHERE plan = '{plan}' ORDER BY id"
    with cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def update_fields(customer_id, changes):
    """Partial update from the admin console."""
    assignments = ", ".join(f"{column} = %s" for column in changes)
    with cursor(dict_rows=False) as cur:
        cur.execute(
            "UPDATE billing.customers SET " + assignments + " WHERE id = %s",
            [*changes.values(), customer_id],
        )
    log.info("customer {} updated fields {}".format(customer_id, ", ".join(sorted(changes))))  # ok: PII


def set_plan(customer_id, plan):
    with cursor(dict_rows=False) as cur:
        cur.execute("UPDATE billing.customers SET plan = %s WHERE id = %s", (plan, customer_id))
