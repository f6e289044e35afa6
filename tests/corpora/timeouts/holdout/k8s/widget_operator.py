"""Minimal operator for the Widget CRD, talking to the API server with plain requests."""

import json
import logging
import os
import time
from typing import Dict, Iterator, Optional

import requests

log = logging.getLogger("widget-operator")

SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
API = os.environ.get("KUBE_API", "https://kubernetes.default.svc")
GROUP = "example.com/v1"


def _session() -> requests.Session:
    s = requests.Session()
    s.verify = f"{SA_DIR}/ca.crt"
    with open(f"{SA_DIR}/token") as fh:
        s.headers["Authorization"] = "Bearer " + fh.read().strip()
    return s


class Operator:
    def __init__(self, namespace: str):
        self.ns = namespace
        self.s = _session()

    def _widgets(self, name: str = "") -> str:
        base = f"{API}/apis/{GROUP}/namespaces/{self.ns}/widgets"
        return f"{base}/{name}" if name else base

    def list_widgets(self) -> Dict:
        r = self.s.get(self._widgets(), timeout=10)  # ok: TMO001
        r.raise_for_status()
        return r.json()

    def watch_widgets(self, resource_version: str) -> Iterator[Dict]:
        # timeoutSeconds ends the watch server-side; the client read timeout just has to be longer
        r = self.s.get(  # ok: TMO001
            self._widgets(),
            params={"watch": "1", "resourceVersion": resource_version, "timeoutSeconds": 300},
            stream=True,
            timeout=(5, 330),
        )
        for line in r.iter_lines():
            if line:
                yield json.loads(line)

    def watch_pods(self, selector: str) -> Iterator[Dict]:
        r = self.s.get(  # expect: TMO001
            f"{API}/api/v1/namespaces/{self.ns}/pods",
            params={"watch": "true", "labelSelector": selector},
            stream=True,
            timeout=None,
        )
        for line in r.iter_lines():
            if line:
                yield json.loads(line)

    def patch_status(self, name: str, status: Dict) -> None:
        self.s.patch(  # expect: TMO001
            self._widgets(name) + "/status",
            data=json.dumps({"status": status}),
            headers={"Content-Type": "application/merge-patch+json"},
        )

    def create_configmap(self, name: str, data: Dict[str, str]) -> Dict:
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}
        r = self.s.post(f"{API}/api/v1/namespaces/{self.ns}/configmaps", json=body, timeout=(3, 10))  # ok: TMO001
        return r.json()

    def delete_pod(self, name: str) -> None:
        self.s.delete(f"{API}/api/v1/namespaces/{self.ns}/pods/{name}", params={"gracePeriodSeconds": 30})  # expect: TMO001

    def get_secret(self, name: str) -> Dict[str, str]:
        r = self.s.get(f"{API}/api/v1/namespaces/{self.ns}/secrets/{name}", timeout=10)  # ok: TMO001
        return r.json().get("data", {})  # ok: TMO001

    def pod_logs(self, pod: str, container: Optional[str] = None) -> str:
        params = {"container": container} if container else {}
        return self.s.get(f"{API}/api/v1/namespaces/{self.ns}/pods/{pod}/log", params=params).text  # expect: TMO001

    def reconcile(self, widget: Dict) -> None:
        spec = widget.get("spec", {})  # ok: TMO001
        name = widget["metadata"]["name"]
        self.create_configmap(f"{name}-config", {"replicas": str(spec.get("replicas", 1))})
        self.patch_status(name, {"phase": "Ready", "observedGeneration": widget["metadata"]["generation"]})


def acquire_lease(namespace: str, name: str, identity: str, duration: int = 15) -> bool:
    url = f"{API}/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}"
    lease = _session().get(url).json()  # expect: TMO001
    holder = lease.get("spec", {}).get("holderIdentity")
    if holder not in (None, identity):
        return False
    lease["spec"]["holderIdentity"] = identity
    lease["spec"]["leaseDurationSeconds"] = duration
    r = _session().put(url, json=lease, timeout=5)  # ok: TMO001
    return r.status_code == 200


def main() -> None:
    op = Operator(os.environ.get("WATCH_NAMESPACE", "default"))
    identity = os.environ.get("POD_NAME", "widget-operator")
    while not acquire_lease(op.ns, "widget-operator", identity):
        time.sleep(5)
    rv = op.list_widgets()["metadata"]["resourceVersion"]
    while True:
        try:
            for event in op.watch_widgets(rv):
                rv = event["object"]["metadata"]["resourceVersion"]
                if event["type"] in ("ADDED", "MODIFIED"):
                    op.reconcile(event["object"])
        except requests.RequestException:
            log.exception("watch broke, restarting")
            time.sleep(1)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
