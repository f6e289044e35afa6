"""Order repository on psycopg 3."""

import os
from contextlib import contextmanager
from decimal import Decimal
from typing import Iterator, List, Optional

import psycopg
from psycopg.rows import dict_row

CONNINFO = os.environ["ORDERS_DB"]


@contextmanager
def connection() -> Iterator[psycopg.Connection]:
    with psycopg.connect(CONNINFO, row_factory=dict_row) as conn:  # expect: TMO007
        yield conn


def fetch_order(order_id: int) -> Optional[dict]:
    with psycopg.connect(CONNINFO, connect_timeout=5, row_factory=dict_row) as conn:  # ok: TMO007
        with conn.cursor() as cur:
            cur.execute("SELECT id, status, total FROM orders WHERE id = %s", (order_id,))
            return cur.fetchone()


def orders_for_customer(customer_id: int, status: Optional[str] = None) -> List[dict]:
    with connection() as conn:
        rows = conn.execute(
            "SELECT id, status, total FROM orders WHERE customer_id = %s ORDER BY id DESC",
            (customer_id,),
        ).fetchall()
    return [r for r in rows if status is None or r.get("status") == status]  # ok: TMO001


def mark_shipped(order_id: int, tracking: str) -> None:
    conn = psycopg.connect(host="orders-db", dbname="orders", user="svc", autocommit=True)  # expect: TMO007
    try:
        conn.execute("UPDATE orders SET status = 'shipped', tracking = %s WHERE id = %s", (tracking, order_id))
    finally:
        conn.close()


def reconcile_totals() -> List[int]:
    with psycopg.connect("host=orders-db dbname=orders connect_timeout=3 application_name=reconciler") as conn:  # ok: TMO007
        rows = conn.execute(
            "SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id "
            "GROUP BY o.id HAVING o.total <> SUM(l.price * l.qty)"
        ).fetchall()
    return [r[0] for r in rows]


def revenue_report(day: str) -> Decimal:
    conn = psycopg.connect(conninfo=os.environ.get("REPORTING_DSN", ""))  # expect: TMO007
    with conn:
        (total,) = conn.execute("SELECT COALESCE(SUM(total), 0) FROM orders WHERE created_at::date = %s", (day,)).fetchone()
    return total


def archive_connection() -> psycopg.Connection:
    return psycopg.connect("postgresql://archiver@archive-db:5432/orders_archive?connect_timeout=20")  # ok: TMO007


def listen_for_new_orders() -> Iterator[str]:
    conn = psycopg.connect(CONNINFO, autocommit=True)  # expect: TMO007
    conn.execute("LISTEN new_order")
    for notify in conn.notifies():
        yield notify.payload
