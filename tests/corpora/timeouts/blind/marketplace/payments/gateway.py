"""Client for the PayHub payments API and the internal ledger."""
from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import requests
from django.conf import settings

log = logging.getLogger(__name__)

PAYMENT_TIMEOUT = getattr(settings, "PAYMENT_TIMEOUT", 20)


class PaymentError(Exception):
    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class Charge:
    id: str
    status: str
    amount: Decimal
    currency: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> "Charge":
        return cls(data["id"], data["status"], Decimal(data["amount"]) / 100, data["currency"].upper())


def _raise_for_payment_error(resp: requests.Response) -> None:
    if resp.ok:
        return
    try:
        err = resp.json().get("error", {})
    except ValueError:
        err = {}
    raise PaymentError(err.get("message", resp.text[:200]), code=err.get("code"), status=resp.status_code)


class PayHubClient:
    def __init__(self, api_key: str, base_url: str = "https://api.payhub.example/v1") -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.auth = (api_key, "")
        self.session.headers.update({"Accept": "application/json", "PayHub-Version": "2023-10-16"})

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def create_charge(
        self, amount: Decimal, currency: str, source: str, *, idempotency_key: str | None = None
    ) -> Charge:
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        resp = self.session.post(  # expect: TMO001
            self._url("charges"),
            data={"amount": int(amount * 100), "currency": currency.lower(), "source": source},
            headers=headers,
        )
        _raise_for_payment_error(resp)
        return Charge.from_api(resp.json())

    def refund(self, charge_id: str, amount: Decimal | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {"charge": charge_id}
        if amount is not None:
            payload["amount"] = int(amount * 100)
        resp = self.session.request("POST", self._url("refunds"), data=payload, timeout=None)  # expect: TMO001
        _raise_for_payment_error(resp)
        return resp.json()

    def list_disputes(self, since: int, limit: int = 100) -> list[dict[str, Any]]:
        disputes: list[dict[str, Any]] = []
        params: dict[str, Any] = {"created[gte]": since, "limit": limit}
        while True:
            resp = self.session.get(self._url("disputes"), params=params, timeout=(5, None))  # expect: TMO001
            _raise_for_payment_error(resp)
            body = resp.json()
            disputes.extend(body["data"])
            if not body.get("has_more"):
                break
            params["starting_after"] = body["data"][-1]["id"]
        return disputes

    def capture(self, charge_id: str) -> Charge:
        req = requests.Request("POST", self._url(f"charges/{charge_id}/capture"))  # ok: TMO001
        prepared = self.session.prepare_request(req)
        resp = self.session.send(prepared)  # expect: TMO001
        _raise_for_payment_error(resp)
        return Charge.from_api(resp.json())

    def void(self, charge_id: str) -> None:
        resp = self.session.post(  # ok: TMO001
            self._url(f"charges/{charge_id}/void"),
            data={"reason": "requested_by_customer"},
            timeout=PAYMENT_TIMEOUT,
        )
        _raise_for_payment_error(resp)


class PayoutClient:
    """Seller payouts. All calls go through ``self._request`` which pins a timeout."""

    TIMEOUT = (3.05, 30)

    def __init__(self, token: str, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"
        self._request = functools.partial(self._session.request, timeout=self.TIMEOUT)

    def create_payout(self, seller_id: int, amount: Decimal, currency: str) -> dict[str, Any]:
        resp = self._request(  # ok: TMO001
            "POST",
            f"{self.base_url}/payouts",
            json={"seller": seller_id, "amount": str(amount), "currency": currency},
        )
        resp.raise_for_status()
        return resp.json()

    def payout_status(self, payout_id: str) -> str:
        resp = self._request("GET", f"{self.base_url}/payouts/{payout_id}")  # ok: TMO001
        resp.raise_for_status()
        return resp.json()["status"]


_ledger_session = requests.Session()
_ledger_session.headers["X-Service"] = "payments"


def verify_signature(payload: bytes, signature: str, secret: str) -> bool:
    expected = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def notify_ledger(event: dict[str, Any]) -> None:
    resp = _ledger_session.post(settings.LEDGER_URL + "/events", json=event)  # expect: TMO001
    if resp.status_code >= 500:
        log.error("ledger rejected event %s: %s", event.get("id"), resp.status_code)
