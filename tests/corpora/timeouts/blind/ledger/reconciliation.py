"""Nightly ledger <-> bank statement reconciliation job.

Run from cron as ``python -m ledger.reconciliation --date 2024-05-31``.
"""
from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import urllib.request
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Iterable

import psycopg2
import psycopg2.extras
import requests

from ledger.bank_gateway import BankGateway, BankGatewayConfig, StatementLine

log = logging.getLogger("ledger.recon")

LEDGER_DSN = os.environ["LEDGER_DSN"]
FX_URL = "https://fx.internal.example.com/v1/rates"
AUDIT_URL = os.environ.get("AUDIT_SERVICE_URL", "http://audit.internal:8080")
TICKETING_URL = os.environ.get("TICKETING_URL", "https://tickets.internal/api")
HTTP_TIMEOUT = float(os.environ.get("RECON_HTTP_TIMEOUT", "20"))
TOLERANCE = Decimal("0.01")

post_json = functools.partial(requests.post, timeout=HTTP_TIMEOUT)

RATE_SOURCES = {
    "ecb": lambda: requests.get("https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"),  # expect: TMO001
    "internal": lambda: requests.get(FX_URL + "/latest", timeout=HTTP_TIMEOUT),
}


def ledger_connection():
    return psycopg2.connect(LEDGER_DSN)  # expect: TMO007


def ledger_connection_readonly():
    return psycopg2.connect(LEDGER_DSN, connect_timeout=5, options="-c default_transaction_read_only=on")  # ok: TMO007


def load_fx_rates(day: date) -> dict[str, Decimal]:
    url = f"{FX_URL}?date={day.isoformat()}"
    with urllib.request.urlopen(url) as resp:  # expect: TMO002
        payload = json.load(resp)
    return {ccy: Decimal(str(rate)) for ccy, rate in payload["rates"].items()}


def load_fx_rates_latest() -> dict[str, Decimal]:
    req = urllib.request.Request(FX_URL + "/latest", headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, None, 10) as resp:  # ok: TMO002
        payload = json.load(resp)
    return {ccy: Decimal(str(rate)) for ccy, rate in payload["rates"].items()}


def ledger_entries(conn, account_id: str, day: date) -> list[dict]:
    with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(
            """
            SELECT entry_id, external_ref, amount, currency, posted_at
              FROM ledger_entries
             WHERE account_id = %s AND posted_at::date = %s
            """,
            (account_id, day),
        )
        return list(cur.fetchall())


def match(entries: list[dict], lines: Iterable[StatementLine], rates: dict[str, Decimal]):
    by_ref: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        by_ref[entry["external_ref"]].append(entry)

    matched, unmatched_bank = [], []
    for line in lines:
        candidates = by_ref.get(line.external_id, [])
        hit = None
        for cand in candidates:
            rate = rates.get(cand["currency"], Decimal(1)) / rates.get(line.currency, Decimal(1))
            if abs(cand["amount"] * rate - line.amount) <= TOLERANCE:
                hit = cand
                break
        if hit is None:
            unmatched_bank.append({"external_id": line.external_id, "amount": str(line.amount)})
        else:
            candidates.remove(hit)
            matched.append((hit["entry_id"], line.external_id))
    unmatched_ledger = [e["entry_id"] for bucket in by_ref.values() for e in bucket]
    return matched, unmatched_bank, unmatched_ledger


def publish_results(day: date, matched, unmatched_bank, unmatched_ledger) -> None:
    summary = {
        "date": day.isoformat(),
        "matched": len(matched),
        "unmatched_bank": len(unmatched_bank),
        "unmatched_ledger": len(unmatched_ledger),
        "generated_at": datetime.utcnow().isoformat() + "Z",
    }
    post_json(f"{AUDIT_URL}/v1/recon-results", json=summary)  # ok: TMO001
    resp = requests.put(  # expect: TMO001
        f"{AUDIT_URL}/v1/recon-status/{day.isoformat()}",
        json={"state": "completed" if not unmatched_bank else "breaks"},
    )
    resp.raise_for_status()
    for brk in unmatched_bank:
        requests.post(f"{AUDIT_URL}/v1/breaks", json=brk, timeout=HTTP_TIMEOUT)


def open_break_tickets(day: date, unmatched_bank: list[dict]) -> None:
    if not unmatched_bank:
        return
    with requests.Session() as s:
        s.headers["Authorization"] = f"Token {os.environ['TICKETING_TOKEN']}"
        s.put(  # expect: TMO001
            f"{TICKETING_URL}/queues/recon/batches/{day.isoformat()}",
            json={"items": unmatched_bank},
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", type=date.fromisoformat, default=date.today() - timedelta(days=1))
    parser.add_argument("--account", action="append", required=True)
    args = parser.parse_args()

    gateway = BankGateway(
        BankGatewayConfig(base_url=os.environ["BANK_API_URL"], api_key=os.environ["BANK_API_KEY"])
    )
    rates = load_fx_rates(args.date)
    conn = ledger_connection()
    try:
        for account in args.account:
            entries = ledger_entries(conn, account, args.date)
            lines = gateway.iter_statement(account, since=args.date.isoformat())
            matched, unmatched_bank, unmatched_ledger = match(entries, lines, rates)
            publish_results(args.date, matched, unmatched_bank, unmatched_ledger)
            open_break_tickets(args.date, unmatched_bank)
    finally:
        conn.close()


if __name__ == "__main__":
    main()
