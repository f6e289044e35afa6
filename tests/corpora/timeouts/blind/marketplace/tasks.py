"""Celery tasks for the marketplace backend."""
from __future__ import annotations

import csv
import io
import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

import redis
import requests
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from marketplace.orders.models import Order, Seller, WebhookSubscription

log = logging.getLogger(__name__)

INDEX_TIMEOUT = (2, settings.SEARCH_INDEX_TIMEOUT)
state = redis.Redis.from_url(settings.CELERY_STATE_REDIS_URL, socket_timeout=5)  # ok: TMO006


def _chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i : i + size]


@shared_task(bind=True, autoretry_for=(requests.RequestException,), retry_backoff=True, max_retries=5)
def sync_seller_inventory(self, seller_id: int) -> int:
    seller = Seller.objects.get(pk=seller_id)
    resp = requests.get(f"{seller.api_base}/inventory", headers={"Authorization": f"Bearer {seller.api_token}"})  # expect: TMO001
    resp.raise_for_status()
    items = resp.json()["items"]
    for chunk in _chunks(items, 200):
        requests.post(settings.SEARCH_INDEX_URL + "/bulk", json={"seller": seller_id, "items": chunk}, timeout=INDEX_TIMEOUT)
    state.set(f"inventory:last_sync:{seller_id}", timezone.now().isoformat())
    return len(items)


@shared_task(soft_time_limit=120)
def push_order_webhooks(order_id: int, event: str) -> None:
    order = Order.objects.select_related("seller").get(pk=order_id)
    payload = {"event": event, "order": order.to_dict()}
    hooks = WebhookSubscription.objects.filter(seller=order.seller, events__contains=[event], active=True)
    with requests.Session() as s:
        s.headers["User-Agent"] = "marketplace-webhooks/1.0"
        for hook in hooks:
            try:
                r = s.post(hook.url, json=payload, headers={"X-Signature": hook.sign(payload)})  # expect: TMO001
            except SoftTimeLimitExceeded:
                log.error("webhook delivery for order %s timed out", order_id)
                raise
            except requests.RequestException:
                hook.record_failure()
                continue
            if r.status_code >= 400:
                hook.record_failure(status=r.status_code)


@shared_task
def refresh_exchange_rates() -> None:
    fx = redis.StrictRedis(host=settings.REDIS_HOST, port=6379, db=2)  # expect: TMO006
    data = requests.get(settings.FX_API_URL + "/latest", params={"base": "USD"}, timeout=(2, 10)).json()
    pipe = fx.pipeline()
    for currency, rate in data["rates"].items():
        pipe.hset("fx:USD", currency, rate)
    pipe.expire("fx:USD", 6 * 3600)
    pipe.execute()
    previous = fx.get("fx:updated_at")  # ok: TMO001
    fx.set("fx:updated_at", timezone.now().isoformat())
    log.info("fx rates refreshed (previous update %s)", previous)


@shared_task
def send_seller_digest(seller_id: int) -> None:
    seller = Seller.objects.get(pk=seller_id)
    orders = Order.objects.filter(seller=seller, created_at__gte=timezone.now() - timedelta(days=1))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["order", "buyer", "total", "status"])
    for o in orders:
        writer.writerow([o.pk, o.buyer_id, o.total, o.status])

    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = f"Daily order summary ({orders.count()})", settings.DEFAULT_FROM_EMAIL, seller.email
    msg.set_content("Attached is yesterday's order summary.")
    msg.add_attachment(buf.getvalue().encode(), maintype="text", subtype="csv", filename="orders.csv")

    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:  # expect: TMO005
        smtp.starttls()
        smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        smtp.send_message(msg)


@shared_task(bind=True, max_retries=3)
def reindex_listing(self, listing_id: int) -> None:
    try:
        requests.put(  # ok: TMO001
            f"{settings.SEARCH_INDEX_URL}/listings/{listing_id}",
            json={"id": listing_id, "reindex": True},
            timeout=settings.SEARCH_INDEX_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise self.retry(exc=exc, countdown=2 ** self.request.retries)
