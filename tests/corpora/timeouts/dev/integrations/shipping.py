"""Carrier integration (rates, labels, tracking) on top of httpx."""

import logging
from pathlib import Path
from typing import Any, Dict, List

import httpx

log = logging.getLogger(__name__)

CARRIER_API = "https://api.carrier.example.com"
LABEL_TIMEOUT = httpx.Timeout(10.0, connect=3.0)  # ok: TMO009
TRACKING_TIMEOUT = httpx.Timeout(None, connect=5.0)  # expect: TMO009


class ShippingClient:
    def __init__(self, api_key: str):
        self._client = httpx.Client(  # ok: TMO009
            base_url=CARRIER_API,
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
        )

    def rates(self, shipment: Dict[str, Any]) -> List[Dict[str, Any]]:
        resp = self._client.post("/v2/rates", json=shipment)  # ok: TMO009
        resp.raise_for_status()
        return resp.json()["rates"]

    def create_label(self, shipment_id: str) -> bytes:
        resp = self._client.post(f"/v2/shipments/{shipment_id}/label", timeout=LABEL_TIMEOUT)  # ok: TMO009
        resp.raise_for_status()
        return resp.content

    def track(self, tracking_number: str) -> Dict[str, Any]:
        # TRACKING_TIMEOUT is reported where it is built, not here
        resp = self._client.get(f"/v2/tracking/{tracking_number}", timeout=TRACKING_TIMEOUT)  # ok: TMO009
        return resp.json()

    def download_manifest(self, manifest_id: str, dest: Path) -> None:
        with self._client.stream("GET", f"/v2/manifests/{manifest_id}", timeout=None) as resp:  # expect: TMO009
            resp.raise_for_status()
            with dest.open("wb") as fh:
                for chunk in resp.iter_bytes():
                    fh.write(chunk)

    def void_label(self, label_id: str) -> None:
        resp = self._client.delete(f"/v2/labels/{label_id}", timeout=None)  # expect: TMO009
        resp.raise_for_status()

    def close(self) -> None:
        self._client.close()


def quick_quote(zip_from: str, zip_to: str, weight_oz: float) -> float:
    resp = httpx.get(  # expect: TMO009
        f"{CARRIER_API}/v2/quote",
        params={"from": zip_from, "to": zip_to, "weight": weight_oz},
        timeout=None,
    )
    return resp.json()["amount"]


def public_service_points(country: str) -> List[Dict[str, Any]]:
    return httpx.get(f"{CARRIER_API}/v2/points", params={"country": country}).json()  # ok: TMO009


def bulk_client() -> httpx.Client:
    return httpx.Client(base_url=CARRIER_API, timeout=None)  # expect: TMO009


def label_client() -> httpx.Client:
    return httpx.Client(
        base_url=CARRIER_API,
        timeout=httpx.Timeout(30.0, read=None),  # expect: TMO009
    )


def pickup_slots(date: str) -> List[str]:
    with httpx.Client(timeout=httpx.Timeout(5.0, connect=None)) as client:  # ok: TMO009
        return client.get(f"{CARRIER_API}/v2/pickups", params={"date": date}).json()["slots"]


def customs_form(shipment_id: str) -> bytes:
    resp = httpx.post(f"{CARRIER_API}/v2/customs/{shipment_id}", timeout=30)  # ok: TMO009
    return resp.content


def address_validation_client() -> httpx.Client:
    limits = httpx.Limits(max_connections=20, max_keepalive_connections=5)
    return httpx.Client(base_url=CARRIER_API, limits=limits, timeout=httpx.Timeout(timeout=None))  # expect: TMO009
