#!/usr/bin/env python3
"""Export customers for a marketing segment to CSV.

Usage:
    export_customers.py --segment churn-risk --country DE --since 2024-01-01 > out.csv
    export_customers.py --where "plan = 'pro'" --limit 100

Runs against the read replica (CRM_REPLICA_DSN). Operators only.
"""
import argparse
import csv
import logging
import os
import sys

import psycopg2
import psycopg2.extras

log = logging.getLogger("export_customers")

SEGMENT_SQL = {
    "churn-risk": "last_order_at < now() - interval '90 days'",
    "vip": "lifetime_value_cents > 500000",
    "new": "created_at > now() - interval '30 days'",
}
BASE_QUERY = "SELECT id, email, first_name, last_name, country, plan FROM crm.customers"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--segment", choices=sorted(SEGMENT_SQL))
    p.add_argument("--country")
    p.add_argument("--since")
    p.add_argument("--where", help="extra raw SQL condition (trusted operators only)")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--verbose", "-v", action="store_true")
    p.add_argument("--print-sql", action="store_true", help="print the query and exit")
    return p.parse_args(argv)


def build_query(args):
    conditions = []
    params = []
    if args.segment:
        conditions.append(SEGMENT_SQL[args.segment])
    if args.country:
        conditions.append("country = %s")
        params.append(args.country.upper())
    if args.since:
        conditions.append("created_at >= %s")
        params.append(args.since)
    if args.where:
        conditions.append(f"({args.where})")
    return conditions, params


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, stream=sys.stderr)
    if args.print_sql:
        conditions, params = build_query(args)
        print(f"{BASE_QUERY} WHERE {' AND '.join(conditions) or 'true'} ORDER BY id", params)
        return 0
    conn = psycopg2.connect(os.environ["CRM_REPLICA_DSN"], connect_timeout=10)
    conditions, params = build_query(args)

    query = BASE_QUERY
    if conditions:
        query += " WHERE " + " AND ".join(conditions)
    query += " ORDER BY id"
    if args.limit:
        query += f" LIMIT {args.limit}"

    with conn, conn.cursor(cursor_factory=psycopg2.extras.DictCursor) as cur:
        cur.execute(query, params)
        rows = cur.fetchall()

    writer = csv.writer(sys.stdout)
    writer.writerow(["id", "email", "first_name", "last_name", "country", "plan"])
    for row in rows:
        writer.writerow(row)
        if args.verbose:
            print(f"exported {row['id']} {row['email']}", file=sys.stderr)  # ok: PII
            log.debug("exported customer %s", dict(row))  # expect: PII
    print(f"{len(rows)} customers exported", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
