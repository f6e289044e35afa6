"""Background thread that ships process metrics to Graphite and the Pushgateway."""

import http.client as httplib
import json
import logging
import queue
import socket
import ssl
import threading
import time
from socket import create_connection
from typing import Optional, Tuple

log = logging.getLogger(__name__)

Metric = Tuple[str, float, int]


class GraphiteSink:
    def __init__(self, host: str, port: int = 2003):
        self.host = host
        self.port = port
        self._sock: Optional[socket.socket] = None

    def _connect(self) -> None:
        self._sock = create_connection((self.host, self.port))  # expect: TMO004

    def send(self, metric: Metric) -> None:
        if self._sock is None:
            self._connect()
        name, value, ts = metric
        try:
            self._sock.sendall(f"{name} {value} {ts}\n".encode())
        except OSError:
            self._sock.close()
            self._sock = None
            raise


class CarbonRelaySink(GraphiteSink):
    def _connect(self) -> None:
        self._sock = create_connection((self.host, self.port), timeout=3, source_address=("0.0.0.0", 0))  # ok: TMO004


class StatsdSink:
    def __init__(self, host: str = "127.0.0.1", port: int = 8125):
        self._addr = (host, port)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # ok: TMO004

    def send(self, metric: Metric) -> None:
        name, value, _ = metric
        self._sock.sendto(f"{name}:{value}|g".encode(), self._addr)


class PushgatewaySink:
    def __init__(self, host: str, port: int = 9091, job: str = "worker", use_tls: bool = False):
        self.host = host
        self.port = port
        self.job = job
        self.use_tls = use_tls
        self._ctx = ssl.create_default_context()

    def _conn(self):
        if self.use_tls:
            return httplib.HTTPSConnection(self.host, self.port, context=self._ctx)  # expect: TMO003
        return httplib.HTTPConnection(self.host, self.port, 5)  # ok: TMO003

    def send(self, metric: Metric) -> None:
        name, value, _ = metric
        conn = self._conn()
        try:
            conn.request("POST", f"/metrics/job/{self.job}", body=f"{name} {value}\n")  # ok: TMO001
            resp = conn.getresponse()
            if resp.status >= 400:
                log.warning("pushgateway said %s", resp.status)
        finally:
            conn.close()


class Pusher(threading.Thread):
    daemon = True

    def __init__(self, *sinks):
        super().__init__(name="metrics-pusher")
        self._sinks = sinks
        self._queue: "queue.Queue[Metric]" = queue.Queue(maxsize=10_000)
        self._stop = threading.Event()

    def record(self, name: str, value: float) -> None:
        try:
            self._queue.put_nowait((name, value, int(time.time())))
        except queue.Full:
            pass

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                metric = self._queue.get(timeout=1)  # ok: TMO001
            except queue.Empty:
                continue
            for sink in self._sinks:
                try:
                    sink.send(metric)  # ok: TMO001
                except Exception:  # noqa: BLE001
                    log.exception("sink %r failed", sink)

    def stop(self) -> None:
        self._stop.set()


def send_heartbeat(host: str, port: int, payload: dict) -> None:
    with socket.create_connection((host, port), timeout=None) as s:  # expect: TMO004
        s.sendall(json.dumps(payload).encode() + b"\n")


def report_to_collector(collector_host: str, stats: dict) -> int:
    conn = httplib.HTTPConnection(collector_host)  # expect: TMO003
    conn.request("PUT", "/v1/stats", body=json.dumps(stats), headers={"Content-Type": "application/json"})
    status = conn.getresponse().status
    conn.close()
    return status


def probe_collector(collector_host: str) -> bool:
    conn = httplib.HTTPSConnection(collector_host, 8443, timeout=2)  # ok: TMO003
    try:
        conn.request("HEAD", "/")
        return conn.getresponse().status < 500
    except OSError:
        return False


def start_default() -> Pusher:
    pusher = Pusher(GraphiteSink("graphite.internal"), StatsdSink(), PushgatewaySink("pushgateway.internal"))
    pusher.start()
    return pusher
