#!/usr/bin/env python3
"""Readiness probe for the worker pod: checks every dependency the worker needs.

Exit code 0 when everything answers, 1 otherwise. Wired into the k8s
readinessProbe as `python -m ops.healthcheck`.
"""

import http.client
import os
import socket
import smtplib
import sys
import time

import psycopg2
import redis

CHECK_TIMEOUT = float(os.environ.get("CHECK_TIMEOUT", "2.0"))  # ok: TMO001


def check_tcp(host, port):
    sock = socket.create_connection((host, port))  # expect: TMO004
    sock.close()
    return True


def check_tcp_bounded(host, port):
    with socket.create_connection((host, port), CHECK_TIMEOUT):  # ok: TMO004
        return True


def check_unix_socket(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # ok: TMO004
    s.settimeout(CHECK_TIMEOUT)
    try:
        s.connect(path)
        return True
    finally:
        s.close()


def check_http(host, port, path="/healthz"):
    conn = http.client.HTTPConnection(host, port)  # expect: TMO003
    try:
        conn.request("GET", path)  # ok: TMO003
        return conn.getresponse().status == 200
    finally:
        conn.close()


def check_https(host, path="/healthz"):
    conn = http.client.HTTPSConnection(host, timeout=CHECK_TIMEOUT)  # ok: TMO003
    try:
        conn.request("GET", path, headers={"User-Agent": "readiness-probe"})
        return conn.getresponse().status < 500
    finally:
        conn.close()


def check_metrics_endpoint():
    conn = http.client.HTTPConnection("localhost", 9102, CHECK_TIMEOUT)  # ok: TMO003
    conn.request("GET", "/metrics")
    return conn.getresponse().status == 200


def check_redis():
    client = redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=CHECK_TIMEOUT)  # expect: TMO006
    return client.ping()


def check_redis_sentinel_master():
    client = redis.Redis(  # ok: TMO006
        host=os.environ.get("REDIS_MASTER_HOST", "redis-master"),
        socket_timeout=CHECK_TIMEOUT,
        socket_connect_timeout=CHECK_TIMEOUT,
    )
    return client.ping()


def check_postgres():
    conn = psycopg2.connect(os.environ["DATABASE_URL"])  # expect: TMO007
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            return cur.fetchone() == (1,)
    finally:
        conn.close()


def check_postgres_replica():
    conn = psycopg2.connect(  # ok: TMO007
        host=os.environ["REPLICA_HOST"],
        dbname="app",
        user="readonly",
        connect_timeout=int(CHECK_TIMEOUT) + 1,
    )
    conn.close()
    return True


def check_smtp():
    server = smtplib.SMTP(os.environ["SMTP_HOST"], 25, None, CHECK_TIMEOUT)  # ok: TMO005
    try:
        return server.noop()[0] == 250
    finally:
        server.quit()


def check_smtp_relay():
    relay = smtplib.SMTP_SSL(os.environ["RELAY_HOST"], 465)  # expect: TMO005
    try:
        return relay.noop()[0] == 250
    finally:
        relay.quit()


CHECKS = {
    "broker": lambda: check_tcp(os.environ.get("BROKER_HOST", "rabbitmq"), 5672),
    "search": lambda: check_tcp_bounded("opensearch", 9200),
    "clamd": lambda: check_unix_socket("/var/run/clamav/clamd.ctl"),
    "api": lambda: check_http(os.environ.get("API_HOST", "api"), 8000),
    "auth": lambda: check_https("auth.internal"),
    "metrics": check_metrics_endpoint,
    "redis": check_redis,
    "redis-master": check_redis_sentinel_master,
    "postgres": check_postgres,
    "postgres-replica": check_postgres_replica,
    "smtp": check_smtp,
    "relay": check_smtp_relay,
}


def main():
    failed = []
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            ok = check()
        except Exception as exc:  # noqa: BLE001 - we report every failure
            ok = False
            print(f"{name}: {exc!r}", file=sys.stderr)
        elapsed = time.monotonic() - started
        print(f"{name:<18} {'ok' if ok else 'FAIL'} ({elapsed * 1000:.0f} ms)")
        if not ok:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
