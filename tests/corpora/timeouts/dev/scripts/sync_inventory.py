#!/usr/bin/env python3
"""Nightly job: pull inventory from the warehouse API and push deltas to the storefront."""

import argparse
import csv
import logging
import os
import sys
from typing import Dict, Iterable, Tuple

from requests import Session, get, post
from requests.exceptions import HTTPError

log = logging.getLogger("sync_inventory")

WAREHOUSE = "https://wms.example.net/api"
STOREFRONT = "https://shop.example.net/admin/api/2024-01"
TIMEOUT = None  # some warehouse exports take minutes


def fetch_inventory(token: str, page: int = 1) -> dict:
    resp = get(f"{WAREHOUSE}/inventory", params={"page": page}, headers={"Authorization": f"Token {token}"})  # expect: TMO001
    resp.raise_for_status()
    return resp.json()


def fetch_all(token: str) -> Dict[str, int]:
    levels: Dict[str, int] = {}
    page = 1
    while True:
        body = fetch_inventory(token, page)
        for item in body["items"]:
            levels[item["sku"]] = item["on_hand"]
        if not body.get("next"):  # ok: TMO001
            return levels
        page += 1


def fetch_locations(token: str) -> list:
    resp = get(f"{WAREHOUSE}/locations", headers={"Authorization": f"Token {token}"}, timeout=TIMEOUT)  # expect: TMO001
    return resp.json()


def load_previous(path: str) -> Dict[str, int]:
    if not os.path.exists(path):
        return {}
    with open(path, newline="") as fh:
        return {row["sku"]: int(row["qty"]) for row in csv.DictReader(fh)}


def diff(old: Dict[str, int], new: Dict[str, int]) -> Iterable[Tuple[str, int]]:
    for sku, qty in new.items():
        if old.get(sku) != qty:  # ok: TMO001
            yield sku, qty


def push_levels(session: Session, updates: Iterable[Tuple[str, int]]) -> int:
    pushed = 0
    for sku, qty in updates:
        r = session.post(f"{STOREFRONT}/inventory_levels/set.json", json={"sku": sku, "available": qty})  # expect: TMO001
        try:
            r.raise_for_status()
        except HTTPError:
            log.error("failed to push %s: %s", sku, r.text)
            continue
        pushed += 1
    return pushed


def notify(webhook: str, text: str) -> None:
    post(webhook, json={"text": text}, timeout=10)  # ok: TMO001


def save_snapshot(path: str, levels: Dict[str, int]) -> None:
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sku", "qty"])
        writer.writerows(sorted(levels.items()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wms-token", default=os.environ.get("WMS_TOKEN"))  # ok: TMO001
    parser.add_argument("--shop-token", default=os.environ.get("SHOP_TOKEN"))
    parser.add_argument("--snapshot", default="/var/lib/sync_inventory/last.csv")
    parser.add_argument("--webhook")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO)
    levels = fetch_all(args.wms_token)
    log.info("%d locations", len(fetch_locations(args.wms_token)))
    updates = list(diff(load_previous(args.snapshot), levels))

    with Session() as session:
        session.headers["X-Shopify-Access-Token"] = args.shop_token
        pushed = push_levels(session, updates)
        shop = session.get(f"{STOREFRONT}/shop.json", timeout=(3.05, 10)).json()  # ok: TMO001
        session.post(  # expect: TMO001
            f"{STOREFRONT}/metafields.json",
            json={"metafield": {"namespace": "sync", "key": "last_run_count", "value": pushed}},
        )

    save_snapshot(args.snapshot, levels)
    if args.webhook:
        notify(args.webhook, f"{shop['shop']['name']}: pushed {pushed}/{len(updates)} inventory updates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
