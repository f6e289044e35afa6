"""Thin wrapper around the billing provider's REST API."""

import logging
import time
from typing import Any, Dict, List, Optional

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from billing import settings

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (3.05, 20)


class BillingAPIError(Exception):
    def __init__(self, status: int, payload: Dict[str, Any]):
        super().__init__(f"billing API returned {status}")
        self.status = status
        self.payload = payload


class BillingClient:
    """Client for the billing API. Retries idempotent calls on 5xx."""

    def __init__(
        self,
        api_key: str,
        base_url: str = "https://api.billing.example.com/v1",
        timeout: float = 15.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()
        self._session.auth = (api_key, "")
        self._session.headers.update({"User-Agent": "acme-billing/2.3"})
        retries = Retry(total=3, backoff_factor=0.4, status_forcelist=(502, 503, 504))
        self._session.mount("https://", HTTPAdapter(max_retries=retries))  # ok: TMO001

    @property
    def session(self) -> requests.Session:
        return self._session

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def _handle(self, resp: requests.Response) -> Dict[str, Any]:
        payload = resp.json()  # ok: TMO001
        if resp.status_code >= 400:
            raise BillingAPIError(resp.status_code, payload)
        return payload

    def get_customer(self, customer_id: str) -> Dict[str, Any]:
        resp = self._session.get(self._url(f"customers/{customer_id}"), timeout=self.timeout)  # ok: TMO001
        return self._handle(resp)

    def list_invoices(self, customer_id: str, limit: int = 100) -> List[Dict[str, Any]]:
        params = {"customer": customer_id, "limit": limit}
        resp = self._session.get(self._url("invoices"), params=params)  # expect: TMO001
        return self._handle(resp)["data"]

    def create_charge(self, customer_id, amount_cents, currency="usd", idempotency_key=None):
        headers = {}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        resp = self.session.post(  # expect: TMO001
            self._url("charges"),
            data={"customer": customer_id, "amount": amount_cents, "currency": currency},
            headers=headers,
        )
        return self._handle(resp)

    def refund(self, charge_id: str, amount_cents: Optional[int] = None):
        data = {"charge": charge_id}
        if amount_cents is not None:
            data["amount"] = amount_cents
        resp = self.session.post(self._url("refunds"), data=data, timeout=DEFAULT_TIMEOUT)  # ok: TMO001
        return self._handle(resp)

    def delete_card(self, customer_id: str, card_id: str) -> None:
        resp = self._session.delete(self._url(f"customers/{customer_id}/sources/{card_id}"))  # expect: TMO001
        self._handle(resp)

    def update_customer(self, customer_id: str, **fields):
        resp = self._session.request(  # expect: TMO001
            "POST", self._url(f"customers/{customer_id}"), data=fields
        )
        return self._handle(resp)

    def raw(self, method: str, path: str, **kwargs):
        """Escape hatch; callers pass timeout= through kwargs."""
        return self._session.request(method, self._url(path), **kwargs)  # ok: TMO001

    def wait_for_payout(self, payout_id: str, poll_every: float = 2.0) -> str:
        while True:
            resp = self._session.get(self._url(f"payouts/{payout_id}"), timeout=None)  # expect: TMO001
            status = self._handle(resp)["status"]
            if status in ("paid", "failed", "canceled"):
                return status
            log.debug("payout %s still %s", payout_id, status)
            time.sleep(poll_every)

    def upcoming_invoice(self, customer_id: str) -> Optional[Dict[str, Any]]:
        resp = self.session.get(  # ok: TMO001
            self._url("invoices/upcoming"),
            params={"customer": customer_id},
            timeout=(settings.CONNECT_TIMEOUT, settings.READ_TIMEOUT),
        )
        if resp.status_code == 404:
            return None
        return self._handle(resp)

    def ping(self) -> bool:
        try:
            resp = requests.head(self.base_url, timeout=settings.HTTP_TIMEOUT)  # ok: TMO001
        except requests.RequestException:
            return False
        return resp.ok

    def close(self) -> None:
        self._session.close()


def verify_webhook_source(ip: str) -> bool:
    ranges = requests.get("https://billing.example.com/ips.json").json()  # expect: TMO001
    return ip in ranges.get("webhooks", [])  # ok: TMO001


def export_ledger(client: BillingClient, month: str, dest_path: str) -> None:
    with client.session.get(  # expect: TMO001
        client._url("ledger/export"), params={"month": month}, stream=True
    ) as resp:
        resp.raise_for_status()
        with open(dest_path, "wb") as fh:
            for chunk in resp.iter_content(chunk_size=1 << 15):
                fh.write(chunk)
