#!/usr/bin/env python3
"""Ops maintenance commands: ``python -m scripts.maintenance <command> ...``."""
from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.request import urlopen

import redis
import requests

log = logging.getLogger("maintenance")

HTTP_TIMEOUT = float(os.environ.get("MAINT_HTTP_TIMEOUT", "10"))
SEARCH_URL = os.environ.get("SEARCH_URL", "http://search.internal:9200")
CDN_API = os.environ.get("CDN_API", "https://cdn-api.example.com")
VERSION_ENDPOINTS = {
    "api": "http://api.internal/version",
    "gateway": "http://gateway.internal/version",
    "worker": "http://worker.internal:8080/version",
}


def cmd_check_ports(args: argparse.Namespace) -> int:
    failures = 0
    for target in args.targets:
        host, _, port = target.partition(":")
        try:
            with socket.create_connection((host, int(port))) as sock:  # expect: TMO004
                log.info("%s reachable from %s", target, sock.getsockname()[0])
        except OSError as exc:
            log.error("%s unreachable: %s", target, exc)
            failures += 1
    return 1 if failures else 0


def wait_for_port(host: str, port: int, deadline_s: float = 60.0) -> bool:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            socket.create_connection((host, port), 2).close()  # ok: TMO004
            return True
        except OSError:
            time.sleep(1)
    return False


def banner(host: str, port: int) -> bytes:
    sock = socket.create_connection(  # expect: TMO004
        (host, port),
        source_address=("0.0.0.0", 0),
    )
    try:
        return sock.recv(256)
    finally:
        sock.close()


def cmd_reindex(args: argparse.Namespace) -> int:
    s = requests.session()
    s.auth = (os.environ["SEARCH_USER"], os.environ["SEARCH_PASSWORD"])
    for index in args.indices:
        new_index = f"{index}-{int(time.time())}"
        r = s.put(f"{SEARCH_URL}/{new_index}", json={"settings": {"number_of_replicas": 0}})  # expect: TMO001
        r.raise_for_status()
        r = s.post(f"{SEARCH_URL}/_reindex", json={"source": {"index": index}, "dest": {"index": new_index}}, timeout=3600)  # ok: TMO001
        r.raise_for_status()
        actions = [{"remove": {"index": "*", "alias": index}}, {"add": {"index": new_index, "alias": index}}]
        s.post(f"{SEARCH_URL}/_aliases", json={"actions": actions}, timeout=HTTP_TIMEOUT).raise_for_status()
        log.info("reindexed %s -> %s", index, new_index)
    return 0


def cmd_purge_cdn(args: argparse.Namespace) -> int:
    for path in args.paths:
        resp = requests.request("PURGE", f"{CDN_API}/{path.lstrip('/')}", headers={"Fastly-Key": os.environ["CDN_KEY"]})  # expect: TMO001
        log.info("purge %s -> %s", path, resp.status_code)
    return 0


def cmd_warm_cache(args: argparse.Namespace) -> int:
    with open(args.url_file) as fh:
        urls = [line.strip() for line in fh if line.strip()]
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        codes = list(pool.map(lambda u: requests.get(u, timeout=HTTP_TIMEOUT).status_code, urls))
    bad = [u for u, c in zip(urls, codes) if c >= 400]
    for u in bad:
        log.warning("warm-up failed for %s", u)
    return 1 if bad else 0


def cmd_flush_sessions(args: argparse.Namespace) -> int:
    r = redis.Redis(host=args.redis_host, port=args.redis_port, db=args.db)  # expect: TMO006
    flushed = 0
    for key in r.scan_iter("session:*", count=1000):
        r.delete(key)
        flushed += 1
    log.info("flushed %d sessions", flushed)
    return 0


def cmd_version_report(args: argparse.Namespace) -> int:
    report = {}
    for name, url in VERSION_ENDPOINTS.items():
        with urlopen(url, None, 5) as fh:  # ok: TMO002
            report[name] = json.load(fh).get("version")
    print(json.dumps(report, indent=2))
    return 0


def cmd_latest_release(args: argparse.Namespace) -> int:
    # expect: TMO001
    tag = requests.get("https://api.github.com/repos/acme/marketplace/releases/latest", headers={"Accept": "application/vnd.github+json"}) \
        .json()["tag_name"]
    print(tag)
    return 0


COMMANDS = {
    "check-ports": cmd_check_ports,
    "reindex": cmd_reindex,
    "purge-cdn": cmd_purge_cdn,
    "warm-cache": cmd_warm_cache,
    "flush-sessions": cmd_flush_sessions,
    "version-report": cmd_version_report,
    "latest-release": cmd_latest_release,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="maintenance")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("targets", nargs="*", help="host:port, index names or CDN paths")
    parser.add_argument("--url-file")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--redis-host", default="localhost")
    parser.add_argument("--redis-port", type=int, default=6379)
    parser.add_argument("--db", type=int, default=1)
    args = parser.parse_args(argv)
    args.indices = args.paths = args.targets
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
