"""Synthetic health probes, run every minute by the ops cron host."""
from __future__ import annotations

import http.client
import json
import socket
import ssl
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from http.client import HTTPConnection, HTTPSConnection
from socket import create_connection
from typing import Callable

PROBE_TIMEOUT_S = 3.0


@dataclass
class ProbeResult:
    name: str
    ok: bool
    latency_ms: float
    detail: str = ""


def _timed(name: str, fn: Callable[[], str]) -> ProbeResult:
    start = time.perf_counter()
    try:
        detail, ok = fn(), True
    except Exception as exc:  # noqa: BLE001 - probes must never crash the runner
        detail, ok = repr(exc), False
    return ProbeResult(name, ok, round((time.perf_counter() - start) * 1000, 1), detail)


def tcp_open(host: str, port: int) -> str:
    with socket.create_connection((host, port)):  # expect: TMO004
        return "open"


def tcp_open_fast(host: str, port: int) -> str:
    with socket.create_connection((host, port), PROBE_TIMEOUT_S):  # ok: TMO004
        return "open"


def postgres_port(host: str) -> str:
    sock = create_connection((host, 5432))  # expect: TMO004
    sock.close()
    return "open"


def cert_days_left(host: str, port: int = 443) -> str:
    ctx = ssl.create_default_context()
    with socket.create_connection((host, port), timeout=None) as raw:  # expect: TMO004
        with ctx.wrap_socket(raw, server_hostname=host) as tls:
            cert = tls.getpeercert()
    not_after = datetime.strptime(cert["notAfter"], "%b %d %H:%M:%S %Y %Z").replace(tzinfo=timezone.utc)
    return f"{(not_after - datetime.now(timezone.utc)).days}d"


def redis_ping_raw(host: str, port: int = 6379) -> str:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(PROBE_TIMEOUT_S)
    try:
        sock.connect((host, port))
        sock.sendall(b"*1\r\n$4\r\nPING\r\n")
        return sock.recv(64).decode().strip()
    finally:
        sock.close()


def http_health(host: str, path: str = "/healthz") -> str:
    conn = HTTPConnection(host, 8080)  # expect: TMO003
    try:
        conn.request("GET", path)
        return str(conn.getresponse().status)
    finally:
        conn.close()


def http_health_bounded(host: str, path: str = "/healthz") -> str:
    conn = HTTPConnection(host, 8080, timeout=PROBE_TIMEOUT_S)  # ok: TMO003
    try:
        conn.request("GET", path)
        return str(conn.getresponse().status)
    finally:
        conn.close()


def https_health(host: str, path: str = "/healthz") -> str:
    conn = HTTPSConnection(host, context=ssl.create_default_context(), timeout=PROBE_TIMEOUT_S)
    try:
        conn.request("GET", path, headers={"User-Agent": "ops-probe/1.0"})
        return str(conn.getresponse().status)
    finally:
        conn.close()


def admin_api_health(host: str) -> str:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection(host, 8443, context=ctx)  # expect: TMO003
    try:
        conn.request("GET", "/admin/health")
        return str(conn.getresponse().status)
    finally:
        conn.close()


def metrics_endpoint(host: str) -> str:
    conn = http.client.HTTPConnection(host, timeout=None)  # expect: TMO003
    try:
        conn.request("GET", "/metrics")
        body = conn.getresponse().read()
        return f"{len(body.splitlines())} lines"
    finally:
        conn.close()


PROBES: dict[str, Callable[[str], str]] = {
    "tcp-ssh": lambda h: tcp_open(h, 22),
    "tcp-api": lambda h: tcp_open_fast(h, 443),
    "postgres": postgres_port,
    "cert": cert_days_left,
    "redis": redis_ping_raw,
    "http": http_health,
    "https": https_health,
    "admin": admin_api_health,
    "metrics": metrics_endpoint,
}


def main(argv: list[str]) -> int:
    hosts = argv[1:] or ["localhost"]
    results = [_timed(f"{name}@{h}", lambda h=h, fn=fn: fn(h)) for h in hosts for name, fn in PROBES.items()]
    print(json.dumps([asdict(r) for r in results], indent=2))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
