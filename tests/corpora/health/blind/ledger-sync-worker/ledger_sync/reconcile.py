"""Nightly reconciliation against the bank statement export (CronJob)."""
import logging
import os

import psycopg

log = logging.getLogger(__name__)


def main() -> None:
    with psycopg.connect(os.environ["LEDGER_DSN"]) as conn:
        missing = conn.execute(
            "SELECT count(*) FROM bank_statement_lines b "
            "LEFT JOIN ledger_entries l ON l.txn_id = b.txn_id WHERE l.txn_id IS NULL"
        ).fetchone()[0]
    log.warning("unreconciled lines: %d", missing)


if __name__ == "__main__":
    logging.basicConfig(level="INFO")
    main()
