"""Operator-style reconcile loop for the ``LedgerShard`` custom resource.

Watches LedgerShard objects, converges the backing StatefulSet and reports
status back to the API server. Leader election uses a Redis lock so only one
replica reconciles at a time.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any, Iterator

import httpx
import redis
import requests as rq
from requests.adapters import HTTPAdapter

log = logging.getLogger("ledger-operator")

SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
API = os.environ.get("KUBE_API", "https://kubernetes.default.svc")
GROUP, VERSION, PLURAL = "ledger.example.com", "v1alpha1", "ledgershards"
PAGER_URL = os.environ.get("PAGER_WEBHOOK_URL", "")
RESYNC_S = int(os.environ.get("RESYNC_S", "300"))


class DeadlineAdapter(HTTPAdapter):
    """Injects a default timeout into every request sent through it."""

    def __init__(self, *args: Any, timeout: float = 10.0, **kwargs: Any) -> None:
        self._timeout = timeout
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):  # type: ignore[override]
        if kwargs.get("timeout") is None:  # ok: TMO001
            kwargs["timeout"] = self._timeout
        return super().send(request, **kwargs)


def _token() -> str:
    with open(f"{SA_DIR}/token") as fh:
        return fh.read().strip()


@dataclass
class ShardSpec:
    name: str
    namespace: str
    replicas: int
    image: str
    generation: int


def page(summary: str) -> None:
    if not PAGER_URL:
        log.error("PAGE (no pager configured): %s", summary)
        return
    httpx.post(PAGER_URL, json={"summary": summary, "source": "ledger-operator", "severity": "error"}, timeout=None)  # expect: TMO009


class Reconciler:
    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

        self.api = rq.Session()
        self.api.verify = f"{SA_DIR}/ca.crt"
        self.api.headers["Authorization"] = f"Bearer {_token()}"
        self.api.mount("https://", DeadlineAdapter(timeout=15))

        self.watch_http = rq.Session()
        self.watch_http.verify = f"{SA_DIR}/ca.crt"
        self.watch_http.headers["Authorization"] = f"Bearer {_token()}"

        self.lock_client = redis.Redis.from_url(os.environ["OPERATOR_LOCK_REDIS_URL"])  # expect: TMO006
        self._stop = threading.Event()

    def _crd_url(self, namespace: str, name: str | None = None) -> str:
        base = f"{API}/apis/{GROUP}/{VERSION}/namespaces/{namespace}/{PLURAL}"
        return f"{base}/{name}" if name else base

    @staticmethod
    def _parse(item: dict[str, Any]) -> ShardSpec:
        meta, spec = item["metadata"], item["spec"]
        return ShardSpec(meta["name"], meta["namespace"], spec.get("replicas", 3), spec["image"], meta["generation"])

    def list_shards(self) -> tuple[list[ShardSpec], str]:
        resp = self.api.get(self._crd_url(self.namespace))  # ok: TMO001
        resp.raise_for_status()
        body = resp.json()
        return [self._parse(item) for item in body["items"]], body["metadata"]["resourceVersion"]

    def watch(self, resource_version: str) -> Iterator[dict[str, Any]]:
        params = {"watch": "true", "resourceVersion": resource_version, "allowWatchBookmarks": "true"}
        with self.watch_http.get(self._crd_url(self.namespace), params=params, stream=True, timeout=(5, None)) as resp:  # expect: TMO001
            resp.raise_for_status()
            for line in resp.iter_lines():
                if self._stop.is_set():
                    return
                if line:
                    yield json.loads(line)

    def ensure_statefulset(self, shard: ShardSpec) -> None:
        url = f"{API}/apis/apps/v1/namespaces/{shard.namespace}/statefulsets/{shard.name}"
        desired = {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": shard.name, "labels": {"app.kubernetes.io/managed-by": "ledger-operator"}},
            "spec": {
                "replicas": shard.replicas,
                "serviceName": shard.name,
                "selector": {"matchLabels": {"ledger-shard": shard.name}},
                "template": {
                    "metadata": {"labels": {"ledger-shard": shard.name}},
                    "spec": {"containers": [{"name": "ledger", "image": shard.image}]},
                },
            },
        }
        resp = self.api.patch(
            url,
            data=json.dumps(desired),
            params={"fieldManager": "ledger-operator", "force": "true"},
            headers={"Content-Type": "application/apply-patch+yaml"},
        )
        resp.raise_for_status()

    def check_shard_health(self, shard: ShardSpec) -> bool:
        url = f"http://{shard.name}-0.{shard.name}.{shard.namespace}.svc:9187/health"
        try:
            return rq.get(url).ok  # expect: TMO001
        except rq.RequestException:
            return False

    def update_status(self, shard: ShardSpec, phase: str, message: str = "") -> None:
        body = {"status": {"phase": phase, "observedGeneration": shard.generation, "message": message}}
        req = rq.Request(  # ok: TMO001
            "PATCH",
            self._crd_url(shard.namespace, shard.name) + "/status",
            json=body,
            headers={"Content-Type": "application/merge-patch+json"},
        )
        prepared = self.watch_http.prepare_request(req)
        resp = self.watch_http.send(prepared)  # expect: TMO001
        if resp.status_code == 409:
            log.info("status conflict on %s; will retry at next resync", shard.name)

    def record_event(self, shard: ShardSpec, reason: str, message: str) -> None:
        event = {
            "metadata": {"generateName": f"{shard.name}-"},
            "involvedObject": {"apiVersion": f"{GROUP}/{VERSION}", "kind": "LedgerShard", "name": shard.name},
            "reason": reason,
            "message": message,
            "type": "Warning" if reason.endswith("Failed") else "Normal",
        }
        self.watch_http.post(f"{API}/api/v1/namespaces/{shard.namespace}/events", json=event)  # expect: TMO001

    def reconcile(self, shard: ShardSpec) -> None:
        try:
            self.ensure_statefulset(shard)
            healthy = self.check_shard_health(shard)
            self.update_status(shard, "Ready" if healthy else "Degraded")
            self.record_event(shard, "Reconciled", f"replicas={shard.replicas}")
        except rq.RequestException as exc:
            self.update_status(shard, "Error", str(exc))
            self.record_event(shard, "ReconcileFailed", str(exc))
            page(f"reconcile of {shard.namespace}/{shard.name} failed: {exc}")

    def run(self) -> None:
        signal.signal(signal.SIGTERM, lambda *_: self._stop.set())
        with self.lock_client.lock("ledger-operator-leader", timeout=30, blocking_timeout=60):
            while not self._stop.is_set():
                shards, rv = self.list_shards()
                for shard in shards:
                    self.reconcile(shard)
                deadline = time.monotonic() + RESYNC_S
                for event in self.watch(rv):
                    if event["type"] in ("ADDED", "MODIFIED"):
                        self.reconcile(self._parse(event["object"]))
                    if time.monotonic() > deadline:
                        break


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    Reconciler(os.environ.get("WATCH_NAMESPACE", "ledger")).run()
