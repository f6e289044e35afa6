"""psycopg2 connection helpers shared by the API and the batch jobs."""

import contextlib
import logging
import os
import sqlite3

import psycopg2
import psycopg2.extras

log = logging.getLogger(__name__)

DATABASE_URL = os.environ.get("DATABASE_URL")  # ok: TMO001

DB_CONFIG = {
    "host": os.environ.get("PGHOST", "localhost"),
    "port": int(os.environ.get("PGPORT", "5432")),
    "dbname": os.environ.get("PGDATABASE", "app"),
    "user": os.environ.get("PGUSER", "app"),
    "connect_timeout": 5,
}


def get_connection():
    return psycopg2.connect(DATABASE_URL)  # expect: TMO007


def get_readonly_connection():
    return psycopg2.connect(  # ok: TMO007
        "host=replica.db.internal dbname=app user=readonly connect_timeout=5"
    )


def get_admin_connection(password):
    return psycopg2.connect(host="primary.db.internal", dbname="app", user="admin", password=password)  # expect: TMO007


def get_analytics_connection():
    return psycopg2.connect("postgresql://analytics@warehouse.internal/events?sslmode=require&connect_timeout=10")  # ok: TMO007


def get_migration_connection():
    dsn = os.environ["MIGRATIONS_DSN"]
    return psycopg2.connect(dsn, connect_timeout=15, application_name="migrate")  # ok: TMO007


def get_legacy_connection():
    return psycopg2.connect("dbname=legacy user=legacy host=legacy-db sslmode=disable")  # expect: TMO007


def get_reporting_connection():
    # expect: TMO007
    return psycopg2.connect("""
        host=reporting.db.internal
        dbname=reports
        user=reporter
        application_name=nightly-reports
    """)


def connect_from_config(**overrides):
    params = {**DB_CONFIG, **overrides}
    return psycopg2.connect(**params)  # ok: TMO007


def local_fixture_db(path="fixtures.sqlite3"):
    return sqlite3.connect(path)  # ok: TMO007


@contextlib.contextmanager
def cursor(dict_rows=True):
    conn = get_connection()
    factory = psycopg2.extras.RealDictCursor if dict_rows else None
    try:
        with conn:
            with conn.cursor(cursor_factory=factory) as cur:
                yield cur
    finally:
        conn.close()


def fetch_user(user_id):
    with cursor() as cur:
        cur.execute("SELECT id, email, status FROM users WHERE id = %s", (user_id,))
        row = cur.fetchone()
    if row is None:
        return None
    return {"id": row["id"], "email": row["email"], "active": row.get("status") == "active"}  # ok: TMO001


def copy_table_to_warehouse(table):
    src = get_connection()
    dst = psycopg2.connect(os.environ["WAREHOUSE_DSN"], sslmode="require")  # expect: TMO007
    try:
        with src.cursor() as read_cur, dst.cursor() as write_cur:
            read_cur.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names come from config
            cols = [d[0] for d in read_cur.description]
            placeholders = ", ".join(["%s"] * len(cols))
            psycopg2.extras.execute_batch(
                write_cur,
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({placeholders})",
                read_cur.fetchall(),
            )
        dst.commit()
    finally:
        src.close()
        dst.close()
