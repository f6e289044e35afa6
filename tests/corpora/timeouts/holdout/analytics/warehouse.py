"""Connections used by the analytics jobs (dbt post-hooks, metabase sync, matview refresh)."""
import os
from contextlib import closing

import duckdb
import psycopg
import psycopg2 as pg
import psycopg2.extras
from psycopg import sql

WAREHOUSE_DSN = os.getenv("WAREHOUSE_DSN")


def wh():
    return pg.connect(WAREHOUSE_DSN)  # expect: TMO007


def wh_ro():
    return pg.connect(WAREHOUSE_DSN, connect_timeout=10, options="-c default_transaction_read_only=on")  # ok: TMO007


def staging():
    return psycopg.connect("host=staging-db port=5432 dbname=staging user=etl")  # expect: TMO007


def staging_fast():
    return psycopg.connect("host=staging-db port=5432 dbname=staging user=etl connect_timeout=4")  # ok: TMO007


def metabase_db():
    return pg.connect(dbname="metabase", user="metabase", host=os.environ["MB_DB_HOST"], port=5432)  # expect: TMO007


def dbt_profile_conn(profile):
    return psycopg.connect(**profile)  # ok: TMO007


def events_db():
    return psycopg.connect("postgres://events:secret@events-db/events")  # expect: TMO007


def events_db_verified():
    return psycopg.connect("postgres://events@events-db/events?sslmode=verify-full&connect_timeout=8")  # ok: TMO007


def local_scratch(path="/tmp/scratch.duckdb"):
    return duckdb.connect(path)  # ok: TMO007


def run_query(query, params=None):
    with closing(wh()) as conn, conn.cursor(cursor_factory=psycopg2.extras.DictCursor) as cur:
        cur.execute(query, params)
        return [dict(r) for r in cur]


def refresh_matviews(names):
    conn = pg.connect(os.environ["WAREHOUSE_ADMIN_DSN"], application_name="matview-refresh")  # expect: TMO007
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for name in names:
                cur.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY %s" % pg.extensions.quote_ident(name, cur))
    finally:
        conn.close()


def copy_to_staging(table, rows):
    with psycopg.connect(  # expect: TMO007
        host=os.environ.get("STAGING_HOST", "staging-db"),
        dbname="staging",
        user="etl",
        password=os.environ.get("STAGING_PASSWORD"),
    ) as conn:
        with conn.cursor() as cur:
            with cur.copy(sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(table))) as copy:
                for row in rows:
                    copy.write_row(row)


def table_sizes():
    rows = run_query(
        "SELECT relname, pg_total_relation_size(relid) AS bytes FROM pg_catalog.pg_statio_user_tables"
    )
    return {r["relname"]: r.get("bytes", 0) for r in rows}  # ok: TMO001


def vacuum_analyze(table, dsn=None):
    conn = pg.connect(dsn or WAREHOUSE_DSN, connect_timeout=30)  # ok: TMO007
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE %s" % pg.extensions.quote_ident(table, cur))
    conn.close()


# expect: TMO007
LEGACY = pg.connect("""
    host=legacy-dw.internal port=5439 dbname=dw user=reporting
""") if os.getenv("ENABLE_LEGACY_DW") else None
