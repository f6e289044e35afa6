#!/usr/bin/env python3
"""One-off: backfill crm.customer_segments from the rules in segments.yaml.

    python scripts/backfill_segments.py --rules segments.yaml [--only vip] [--batch 5000]

Each rule is a name plus a list of conditions {column, op, value}.
"""
import argparse
import logging
import os
import sys
import time

import psycopg2
import yaml

OPS = {"eq": "=", "ne": "<>", "gt": ">", "lt": "<", "gte": ">=", "lte": "<="}
SEGMENTS_TABLE = "crm.customer_segments"

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
log = logging.getLogger("backfill_segments")


def condition_sql(conditions):
    parts, params = [], []
    for cond in conditions:
        parts.append(f"{cond['column']} {OPS[cond['op']]} %s")
        params.append(cond["value"])
    return " AND ".join(parts) or "true", params


def backfill(conn, name, conditions, batch):
    where, params = condition_sql(conditions)
    last_id = 0
    total = 0
    with conn.cursor() as cur:
        cur.execute("DELETE FROM crm.customer_segments WHERE segment = %s", (name,))  # ok: SQLI
        while True:
            cur.execute(  # expect: SQLI
                "SELECT id FROM crm.customers WHERE id > %s AND " + where + " ORDER BY id LIMIT %s",
                [last_id, *params, batch],
            )
            ids = [r[0] for r in cur.fetchall()]
            if not ids:
                break
            cur.executemany(  # ok: SQLI
                f"INSERT INTO {SEGMENTS_TABLE} (customer_id, segment) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [(i, name) for i in ids],
            )
            conn.commit()
            total += len(ids)
            last_id = ids[-1]
            print(f"  {name}: {total} customers so far (last id {last_id})")
            time.sleep(0.2)
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", required=True)
    parser.add_argument("--only")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--show-sample", action="store_true")
    args = parser.parse_args()

    with open(args.rules) as fh:
        rules = yaml.safe_load(fh)
    conn = psycopg2.connect(os.environ["CRM_DSN"], connect_timeout=10)

    for name, conditions in rules.items():
        if args.only and name != args.only:
            continue
        count = backfill(conn, name, conditions, args.batch)
        print(f"{name}: {count} customers")
        if args.show_sample:
            with conn.cursor() as cur:
                cur.execute(  # expect: SQLI
                    "SELECT c.id, c.email, c.phone FROM crm.customers c JOIN %s s ON s.customer_id = c.id "
                    "WHERE s.segment = '%s' LIMIT 5" % (SEGMENTS_TABLE, name)
                )
                for customer_id, email, phone in cur.fetchall():
                    print(f"    {customer_id} {email} {phone}")
                    logging.info("sample customer %s email=%s phone=%s", customer_id, email, phone)

    with conn.cursor() as cur:
        cur.execute(f"ANALYZE {SEGMENTS_TABLE}")  # ok: SQLI
    conn.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
