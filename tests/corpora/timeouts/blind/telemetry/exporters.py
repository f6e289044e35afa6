"""Downstream exporters for aggregated metrics (Graphite, Datadog, legacy collector)."""
from __future__ import annotations

import http.client
import json
import logging
import pickle
import socket
import struct
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Protocol

import requests

log = logging.getLogger("telemetry.exporters")

DATADOG_SERIES_URL = "https://api.datadoghq.com/api/v1/series"
DATADOG_VALIDATE_URL = "https://api.datadoghq.com/api/v1/validate"

_get = requests.get


class HttpPoster(Protocol):
    def post(self, url: str, **kwargs: Any) -> requests.Response: ...


@dataclass(frozen=True)
class Point:
    name: str
    value: float
    ts: int
    tags: tuple[str, ...] = ()


class GraphiteExporter:
    def __init__(self, host: str, port: int = 2003, timeout: float = 5.0) -> None:
        self.addr = (host, port)
        self.timeout = timeout

    def send(self, points: Iterable[Point]) -> None:
        payload = "".join(f"{p.name} {p.value} {p.ts}\n" for p in points).encode()
        with socket.create_connection(self.addr, timeout=self.timeout) as sock:
            sock.sendall(payload)


class CarbonPickleExporter:
    def __init__(self, host: str, port: int = 2004) -> None:
        self.host, self.port = host, port

    def send(self, points: Iterable[Point]) -> None:
        body = pickle.dumps([(p.name, (p.ts, p.value)) for p in points], protocol=2)
        sock = socket.create_connection((self.host, self.port))  # expect: TMO004
        try:
            sock.sendall(struct.pack("!L", len(body)) + body)
        finally:
            sock.close()


class StatsdTcpExporter:
    def __init__(self, host: str, port: int = 8125) -> None:
        self.addr = (host, port)

    def send(self, points: Iterable[Point]) -> None:
        lines = "".join(f"{p.name}:{p.value}|g|#{','.join(p.tags)}\n" for p in points).encode()
        with socket.create_connection(self.addr, 2.0) as sock:  # ok: TMO004
            sock.sendall(lines)


def post_metrics(url: str, payload: dict[str, Any], **kwargs: Any) -> requests.Response:
    """Thin wrapper so tests can monkeypatch the transport."""
    return requests.post(url, json=payload, **kwargs)  # ok: TMO001


class DatadogExporter:
    def __init__(self, api_key: str) -> None:
        self.api_key = api_key

    def _series(self, points: Iterable[Point]) -> dict[str, Any]:
        return {
            "series": [
                {"metric": p.name, "points": [[p.ts, p.value]], "tags": list(p.tags), "type": "gauge"}
                for p in points
            ]
        }

    def send(self, points: list[Point]) -> None:
        resp = requests.post(  # expect: TMO001
            DATADOG_SERIES_URL,
            data=json.dumps(self._series(points)),
            headers={"DD-API-KEY": self.api_key, "Content-Type": "application/json"},
        )
        if resp.status_code >= 400:
            log.error("datadog rejected %d points: %s", len(points), resp.text[:200])

    def send_via_wrapper(self, points: list[Point]) -> None:
        post_metrics(DATADOG_SERIES_URL, self._series(points), headers={"DD-API-KEY": self.api_key})  # ok: TMO001

    def validate_key(self) -> bool:
        resp = _get(DATADOG_VALIDATE_URL, headers={"DD-API-KEY": self.api_key})  # expect: TMO001
        return resp.ok


class LegacyCollectorExporter:
    """The 2015-era collector only speaks HTTP/1.0 with a JSON array body."""

    def __init__(self, host: str, port: int = 8080, use_tls: bool = False) -> None:
        self.host = host
        self.port = port
        self.use_tls = use_tls

    def _connection(self) -> http.client.HTTPConnection:
        if self.use_tls:
            return http.client.HTTPSConnection(self.host, self.port)  # expect: TMO003
        return http.client.HTTPConnection(self.host, self.port, 10)  # ok: TMO003

    def send(self, points: Iterable[Point]) -> None:
        conn = self._connection()
        try:
            body = json.dumps([asdict(p) for p in points])
            conn.request("POST", "/ingest", body=body, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            if resp.status != 204:
                log.warning("legacy collector answered %d", resp.status)
        finally:
            conn.close()


class WebhookExporter:
    def __init__(self, poster: HttpPoster, url: str) -> None:
        self.poster = poster
        self.url = url

    def send(self, points: Iterable[Point]) -> None:
        self.poster.post(self.url, json=[asdict(p) for p in points])  # ok: TMO001
