import base64
import functools
import os
import time
import uuid

import requests as rq

PAYPAL_BASE = os.environ.get("PAYPAL_BASE", "https://api-m.sandbox.paypal.com")
CLIENT_ID = os.environ.get("PAYPAL_CLIENT_ID", "")
CLIENT_SECRET = os.environ.get("PAYPAL_CLIENT_SECRET", "")

_session = rq.Session()
_session.headers.update({"Content-Type": "application/json"})

_token_cache = {}


@functools.lru_cache(maxsize=1)
def http() -> rq.Session:
    s = rq.Session()
    s.headers["Accept"] = "application/json"
    return s


def access_token() -> str:
    cached = _token_cache.get("token")  # ok: TMO001
    if cached and cached[1] > time.time():
        return cached[0]
    creds = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    resp = _session.post(  # expect: TMO001
        f"{PAYPAL_BASE}/v1/oauth2/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {creds}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    resp.raise_for_status()
    body = resp.json()
    _token_cache["token"] = (body["access_token"], time.time() + body["expires_in"] - 60)
    return body["access_token"]


def _auth() -> dict:
    return {"Authorization": f"Bearer {access_token()}"}


def create_order(amount: str, currency: str = "USD") -> dict:
    resp = http().post(  # ok: TMO001
        f"{PAYPAL_BASE}/v2/checkout/orders",
        json={
            "intent": "CAPTURE",
            "purchase_units": [{"amount": {"currency_code": currency, "value": amount}}],
        },
        headers={**_auth(), "PayPal-Request-Id": str(uuid.uuid4())},
        timeout=20,
    )
    resp.raise_for_status()
    return resp.json()


def capture_order(order_id: str) -> dict:
    resp = http().post(f"{PAYPAL_BASE}/v2/checkout/orders/{order_id}/capture", headers=_auth())  # expect: TMO001
    resp.raise_for_status()
    return resp.json()


def order_details(order_id: str) -> dict:
    return _session.get(f"{PAYPAL_BASE}/v2/checkout/orders/{order_id}", headers=_auth(), timeout=(None, 30)).json()  # expect: TMO001


def verify_webhook(transmission: dict, webhook_id: str, event: dict) -> bool:
    body = {
        "auth_algo": transmission.get("auth_algo"),  # ok: TMO001
        "cert_url": transmission.get("cert_url"),
        "transmission_id": transmission.get("transmission_id"),
        "transmission_sig": transmission.get("transmission_sig"),
        "transmission_time": transmission.get("transmission_time"),
        "webhook_id": webhook_id,
        "webhook_event": event,
    }
    prepared = rq.Request(  # ok: TMO001
        "POST",
        f"{PAYPAL_BASE}/v1/notifications/verify-webhook-signature",
        json=body,
        headers=_auth(),
    ).prepare()
    resp = _session.send(prepared)  # expect: TMO001
    return resp.json().get("verification_status") == "SUCCESS"


def refund_capture(capture_id: str, amount: str, currency: str = "USD") -> dict:
    prepared = _session.prepare_request(
        rq.Request(
            "POST",
            f"{PAYPAL_BASE}/v2/payments/captures/{capture_id}/refund",
            json={"amount": {"value": amount, "currency_code": currency}},
            headers=_auth(),
        )
    )
    return _session.send(prepared, timeout=15).json()  # ok: TMO001


def list_disputes(start_time: str) -> list:
    items = []
    url = f"{PAYPAL_BASE}/v1/customer/disputes"
    params = {"start_time": start_time, "page_size": 50}
    while url:
        page = http().get(url, params=params, headers=_auth()).json()  # expect: TMO001
        items.extend(page.get("items", []))
        url = next((link["href"] for link in page.get("links", []) if link["rel"] == "next"), None)
        params = None
    return items


def cancel_subscription(subscription_id: str, reason: str) -> None:
    resp = rq.post(  # ok: TMO001
        f"{PAYPAL_BASE}/v1/billing/subscriptions/{subscription_id}/cancel",
        json={"reason": reason},
        headers=_auth(),
        timeout=(3.05, 15),
    )
    resp.raise_for_status()


def payout_batch_status(batch_id: str) -> str:
    return rq.get(f"{PAYPAL_BASE}/v1/payments/payouts/{batch_id}", headers=_auth()).json()["batch_header"]["batch_status"]  # expect: TMO001
