"""Synthetic probes, one class per dependency. Results are exported as Prometheus gauges.

Each probe imports its client lazily so the prober image can run with only the
libraries for the probes that are enabled.
"""
import os
import socket
import time
from typing import Dict, List, Type

from prometheus_client import Gauge, start_http_server

UP = Gauge("probe_up", "1 if the dependency answered", ["probe"])
LATENCY = Gauge("probe_latency_seconds", "probe latency", ["probe"])

PROBES: List["Probe"] = []


def register(cls: Type["Probe"]) -> Type["Probe"]:
    PROBES.append(cls())
    return cls


class Probe:
    name = "base"

    def run(self) -> bool:
        raise NotImplementedError


@register
class PostgresProbe(Probe):
    name = "postgres"

    def run(self) -> bool:
        import psycopg2

        conn = psycopg2.connect(os.environ["PG_DSN"])  # expect: TMO007
        try:
            cur = conn.cursor()
            cur.execute("SELECT 1")
            return cur.fetchone()[0] == 1
        finally:
            conn.close()


@register
class PgBouncerProbe(Probe):
    name = "pgbouncer"

    def run(self) -> bool:
        import psycopg

        with psycopg.connect(os.environ["PGBOUNCER_DSN"], connect_timeout=2, autocommit=True) as c:  # ok: TMO007
            return c.execute("SHOW VERSION").fetchone() is not None


@register
class RedisProbe(Probe):
    name = "redis"

    def run(self) -> bool:
        import redis

        return redis.Redis(host=os.environ.get("REDIS_HOST", "redis"), socket_timeout=1).ping()  # ok: TMO006


@register
class SentinelProbe(Probe):
    name = "redis-sentinel"

    def run(self) -> bool:
        from redis import Redis

        return Redis(host="sentinel", port=26379).ping()  # expect: TMO006


@register
class ApiProbe(Probe):
    name = "api"
    url = os.environ.get("API_HEALTH_URL", "http://api:8000/healthz")

    def run(self) -> bool:
        import requests

        return requests.get(self.url).ok  # expect: TMO001


@register
class CdnProbe(Probe):
    name = "cdn"

    def run(self) -> bool:
        import requests

        r = requests.head("https://cdn.example.org/pixel.gif", timeout=3)  # ok: TMO001
        return r.status_code == 200 and r.headers.get("X-Cache") is not None  # ok: TMO001


@register
class SmtpProbe(Probe):
    name = "smtp"

    def run(self) -> bool:
        import smtplib

        s = smtplib.SMTP(os.environ.get("SMTP_HOST", "mail"), 587, timeout=5)  # ok: TMO005
        try:
            return s.noop()[0] == 250
        finally:
            s.quit()


@register
class FtpProbe(Probe):
    name = "partner-ftp"

    def run(self) -> bool:
        import ftplib

        ftp = ftplib.FTP(os.environ.get("PARTNER_FTP", "ftp.partner.example"))  # expect: TMO005
        ftp.quit()
        return True


@register
class TcpProbe(Probe):
    name = "broker-tcp"
    addr = (os.environ.get("BROKER_HOST", "rabbitmq"), 5672)

    def run(self) -> bool:
        socket.create_connection(self.addr).close()  # expect: TMO004
        return True


@register
class StatusPageProbe(Probe):
    name = "statuspage"

    def run(self) -> bool:
        from urllib.request import urlopen

        with urlopen("https://status.example.org/api/v2/status.json", timeout=3) as r:  # ok: TMO002
            return r.status == 200


@register
class LegacyProbe(Probe):
    name = "legacy"

    def run(self) -> bool:
        import urllib.request

        return urllib.request.urlopen("http://legacy.internal/ping").read() == b"pong"  # expect: TMO002


@register
class GrpcHealthProbe(Probe):
    name = "grpc-health"

    def run(self) -> bool:
        import grpc
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        with grpc.insecure_channel(os.environ.get("GRPC_TARGET", "orders:50051")) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            resp = stub.Check(health_pb2.HealthCheckRequest(service=""))  # expect: TMO008
            return resp.status == health_pb2.HealthCheckResponse.SERVING


@register
class GrpcHealthProbeBounded(Probe):
    name = "grpc-health-payments"

    def run(self) -> bool:
        import grpc
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        with grpc.insecure_channel("payments:50051") as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            resp = stub.Check(health_pb2.HealthCheckRequest(service="payments"), timeout=1.0)  # ok: TMO008
            return resp.status == health_pb2.HealthCheckResponse.SERVING


@register
class SearchProbe(Probe):
    name = "search"

    def run(self) -> bool:
        import httpx

        return httpx.get("http://search:9200/_cluster/health", timeout=None).json()["status"] != "red"  # expect: TMO009


@register
class HttpsProbe(Probe):
    name = "auth-https"

    def run(self) -> bool:
        import http.client

        conn = http.client.HTTPSConnection("auth.internal")  # expect: TMO003
        conn.request("GET", "/.well-known/openid-configuration")
        return conn.getresponse().status == 200


def run_all() -> Dict[str, bool]:
    results = {}
    for probe in PROBES:
        started = time.monotonic()
        try:
            ok = bool(probe.run())
        except Exception:  # noqa: BLE001
            ok = False
        LATENCY.labels(probe.name).set(time.monotonic() - started)
        UP.labels(probe.name).set(1 if ok else 0)
        results[probe.name] = ok
    return results


if __name__ == "__main__":
    start_http_server(int(os.environ.get("PORT", "9115")))
    while True:
        run_all()
        time.sleep(15)
