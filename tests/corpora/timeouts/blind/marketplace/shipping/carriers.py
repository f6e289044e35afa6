"""Carrier integrations (rates, labels, tracking)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Iterable

import requests
import requests as rq
from django.conf import settings
from requests import get

from marketplace.common.http import build_session

log = logging.getLogger(__name__)

CARRIER_TIMEOUT = settings.CARRIER_TIMEOUT  # seconds
fetch = requests.get


@dataclass
class Parcel:
    weight_grams: int
    length_cm: float
    width_cm: float
    height_cm: float
    origin_zip: str
    dest_zip: str
    dest_country: str = "US"
    extras: dict[str, Any] = field(default_factory=dict)

    def as_payload(self) -> dict[str, Any]:
        dims = {"l": self.length_cm, "w": self.width_cm, "h": self.height_cm, "unit": "cm"}
        return {"weight": {"value": self.weight_grams, "unit": "g"}, "dimensions": dims,
                "from": {"postal_code": self.origin_zip},
                "to": {"postal_code": self.dest_zip, "country": self.dest_country}, **self.extras}


class CarrierClient:
    """Generic REST carrier client; the session is injected so tests can stub it."""

    def __init__(self, session: requests.Session, base_url: str, api_key: str, timeout: float = 10.0) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session.headers["X-Api-Key"] = api_key

    def quote(self, parcel: Parcel) -> list[dict[str, Any]]:
        resp = self.session.post(f"{self.base_url}/rates", json=parcel.as_payload(), timeout=self.timeout)  # ok: TMO001
        resp.raise_for_status()
        return resp.json()["rates"]

    def track(self, tracking_number: str) -> dict[str, Any]:
        resp = self.session.get(f"{self.base_url}/track/{tracking_number}")  # expect: TMO001
        resp.raise_for_status()
        return resp.json()

    def void_label(self, label_id: str) -> bool:
        resp = self.session.delete(f"{self.base_url}/labels/{label_id}", timeout=CARRIER_TIMEOUT)
        return resp.status_code in (200, 204)


def bulk_track(session: requests.Session, base_url: str, numbers: Iterable[str]) -> list[dict[str, Any]]:
    return [session.get(f"{base_url}/track/{n}").json() for n in numbers]  # expect: TMO001


def create_label(sess: requests.Session, url: str, shipment: dict[str, Any]) -> bytes:
    send = sess.post
    resp = send(url, json=shipment, headers={"Accept": "application/pdf"})  # expect: TMO001
    resp.raise_for_status()
    return resp.content


def carrier_status_page(url: str) -> str:
    return fetch(url).text  # expect: TMO001


def carrier_status_page_checked(url: str) -> str:
    return fetch(url, timeout=4).text  # ok: TMO001


def usps_address_check(address: dict[str, str]) -> bool:
    resp = rq.post(settings.USPS_VERIFY_URL, data=address, timeout=None)  # expect: TMO001
    return resp.ok and "Error" not in resp.text


def ups_service_alerts() -> list[str]:
    resp = rq.get(settings.UPS_ALERTS_URL, timeout=CARRIER_TIMEOUT)
    return [a["message"] for a in resp.json().get("alerts", [])]


def fedex_transit_days(origin: str, dest: str) -> int | None:
    resp = get(f"{settings.FEDEX_API_URL}/transit", params={"from": origin, "to": dest})  # expect: TMO001
    if not resp.ok:
        return None
    return resp.json().get("business_days")


def cheapest_rate(rates_by_carrier: dict[str, list[dict[str, Any]]], carrier: str) -> dict[str, Any] | None:
    rates = rates_by_carrier.get(carrier)
    if not rates:
        return None
    return min(rates, key=lambda r: float(r["amount"]))


class ShippoClient:
    def __init__(self) -> None:
        self.session = build_session(retries=5)
        self.base_url = settings.SHIPPO_API_URL

    def parcel_templates(self) -> list[dict[str, Any]]:
        return self.session.get(f"{self.base_url}/parcel-templates/").json()["results"]  # ok: TMO001
