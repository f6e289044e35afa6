#!/usr/bin/env python3
"""Find and merge duplicate CRM accounts (same email, different case/whitespace).

Works on a local SQLite snapshot first (--snapshot crm.sqlite), then replays the
merge plan against production with --apply.
"""
import argparse
import logging
import sqlite3
import sys
from pathlib import Path

logging.basicConfig(
    level=logging.INFO,
    format="%(asctime)s %(levelname)s %(message)s",
    handlers=[logging.FileHandler("merge_duplicates.log"), logging.StreamHandler()],
)
logger = logging.getLogger("merge_duplicates")

PLAN_SCHEMA = """
CREATE TABLE IF NOT EXISTS merge_plan (
    keep_id INTEGER NOT NULL,
    drop_id INTEGER NOT NULL,
    email TEXT NOT NULL,
    PRIMARY KEY (keep_id, drop_id)
);
CREATE INDEX IF NOT EXISTS merge_plan_email ON merge_plan (email);
"""
REFERENCING_TABLES = ["orders", "tickets", "subscriptions", "notes"]


def build_plan(db: sqlite3.Connection) -> int:
    db.executescript(PLAN_SCHEMA)
    db.execute("DELETE FROM merge_plan")
    db.execute(
        """
        INSERT INTO merge_plan (keep_id, drop_id, email)
        SELECT min(a.id) OVER (PARTITION BY lower(trim(a.email))), a.id, lower(trim(a.email))
        FROM customers a
        WHERE lower(trim(a.email)) IN (
            SELECT lower(trim(email)) FROM customers GROUP BY 1 HAVING count(*) > 1
        )
        """
    )
    db.execute("DELETE FROM merge_plan WHERE keep_id = drop_id")
    db.commit()
    return db.execute("SELECT count(*) FROM merge_plan").fetchone()[0]


def apply_plan(db: sqlite3.Connection, dry_run: bool) -> None:
    plan = db.execute("SELECT keep_id, drop_id, email FROM merge_plan ORDER BY email").fetchall()
    for keep_id, drop_id, email in plan:
        print(f"merge {drop_id} -> {keep_id} ({email})")  # ok: PII
        logger.info("merging %s into %s for %s", drop_id, keep_id, email)  # expect: PII
        if dry_run:
            continue
        script = "BEGIN;\n"
        for table in REFERENCING_TABLES:
            script += f"UPDATE {table} SET customer_id = {keep_id} WHERE customer_id = {drop_id};\n"
        script += f"DELETE FROM customers WHERE id = {drop_id};\nCOMMIT;\n"
        db.executescript(script)
    logger.info("applied %d merges (dry_run=%s)", len(plan), dry_run)  # ok: PII


def plan_for_email(db: sqlite3.Connection, email: str) -> list[tuple[int, int]]:
    return db.execute("SELECT keep_id, drop_id FROM merge_plan WHERE email = ?", (email.strip().lower(),)).fetchall()


def restore_from_dump(db: sqlite3.Connection, dump: Path) -> None:
    db.executescript(dump.read_text())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--snapshot", type=Path, default=Path("crm.sqlite"))
    parser.add_argument("--restore", type=Path)
    parser.add_argument("--apply", action="store_true")
    parser.add_argument("--only-domain")
    args = parser.parse_args()

    db = sqlite3.connect(args.snapshot)
    if args.restore:
        restore_from_dump(db, args.restore)
    count = build_plan(db)
    print(f"{count} duplicate accounts found")
    if args.only_domain:
        db.execute(f"DELETE FROM merge_plan WHERE email NOT LIKE '%@{args.only_domain}'")
    apply_plan(db, dry_run=not args.apply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
