"""HTTP gateway to partner banks' statement and payment APIs.

Every partner bank exposes a slightly different REST surface; BankGateway
normalises them for the reconciliation and payout jobs.
"""
from __future__ import annotations

import functools
import logging
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterator, Optional

import requests
from requests.adapters import HTTPAdapter

log = logging.getLogger(__name__)


@dataclass
class BankGatewayConfig:
    base_url: str
    api_key: str
    timeout: float = 15.0
    page_size: int = 500
    extra_headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StatementLine:
    external_id: str
    amount: Decimal
    currency: str
    booked_at: str
    description: str


class BankAPIError(RuntimeError):
    pass


def retry_on_5xx(attempts: int = 3, backoff: float = 0.5):
    """Retry transient upstream failures with exponential backoff."""

    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            last_exc: Exception | None = None
            for attempt in range(attempts):
                try:
                    return fn(*args, **kwargs)
                except requests.HTTPError as exc:
                    status = exc.response.status_code if exc.response is not None else 599
                    if status < 500:
                        raise
                    last_exc = exc
                    log.warning("bank API %s failed (attempt %d): %s", fn.__name__, attempt + 1, exc)
                    time.sleep(backoff * (2 ** attempt))
            raise BankAPIError(str(last_exc))

        return wrapper

    return decorator


class BankGateway:
    def __init__(self, config: BankGatewayConfig, session: Optional[requests.Session] = None) -> None:
        self.config = config
        self.session = session or requests.Session()
        self.session.headers.update({"X-Api-Key": config.api_key, **config.extra_headers})

    def _url(self, path: str) -> str:
        return f"{self.config.base_url.rstrip('/')}/{path.lstrip('/')}"

    @retry_on_5xx()
    def get_balance(self, account_id: str) -> Decimal:
        resp = self.session.get(self._url(f"accounts/{account_id}/balance"), timeout=self.config.timeout)  # ok: TMO001
        resp.raise_for_status()
        return Decimal(resp.json()["available"])

    def iter_statement(self, account_id: str, since: str) -> Iterator[StatementLine]:
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"since": since, "limit": self.config.page_size}
            if cursor:
                params["cursor"] = cursor
            resp = self.session.get(  # expect: TMO001
                self._url(f"accounts/{account_id}/transactions"),
                params=params,
            )
            resp.raise_for_status()
            body = resp.json()
            for row in body["data"]:
                yield StatementLine(
                    external_id=row["id"],
                    amount=Decimal(row["amount"]),
                    currency=row["currency"],
                    booked_at=row["booking_date"],
                    description=row.get("remittance_info", ""),
                )
            cursor = body.get("next_cursor")
            if not cursor:
                return

    @retry_on_5xx(attempts=2)
    def initiate_payment(self, payload: dict[str, Any], idempotency_key: str | None = None) -> str:
        key = idempotency_key or str(uuid.uuid4())
        resp = self.session.post(  # expect: TMO001
            self._url("payments"),
            json=payload,
            headers={"Idempotency-Key": key},
        )
        resp.raise_for_status()
        return resp.json()["payment_id"]

    def cancel_payment(self, payment_id: str) -> None:
        resp = self.session.request("DELETE", self._url(f"payments/{payment_id}"), timeout=None)  # expect: TMO001
        if resp.status_code not in (200, 202, 404):
            raise BankAPIError(f"cancel failed for {payment_id}: {resp.status_code}")

    def payment_status(self, payment_id: str) -> str:
        resp = self.session.get(self._url(f"payments/{payment_id}"), timeout=(3.05, 10))
        resp.raise_for_status()
        return resp.json()["status"]

    def raw(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Escape hatch for bank-specific endpoints; callers pass their own timeout."""
        return self.session.request(method, self._url(path), **kwargs)  # ok: TMO001


def build_bank_session(api_key: str) -> requests.Session:
    session = requests.Session()
    session.headers["X-Api-Key"] = api_key
    session.headers["Accept"] = "application/octet-stream"
    return session


def fetch_settlement_report(report_url: str, api_key: str) -> bytes:
    session = build_bank_session(api_key)
    chunks: list[bytes] = []
    with session.get(report_url, stream=True) as resp:  # expect: TMO001
        resp.raise_for_status()
        for chunk in resp.iter_content(chunk_size=1 << 16):
            chunks.append(chunk)
    return b"".join(chunks)


def download_camt053(url: str, token: str) -> bytes:
    """ISO 20022 end-of-day statements; the bank's edge is flaky, so retry a few times."""
    with requests.Session() as s:
        s.mount("https://", HTTPAdapter(max_retries=3))
        resp = s.get(url, headers={"Authorization": f"Bearer {token}"})  # expect: TMO001
        resp.raise_for_status()
        return resp.content
