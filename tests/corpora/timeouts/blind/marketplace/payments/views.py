"""Checkout and payment webhook views."""
from __future__ import annotations

import json
import logging

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from marketplace.orders.models import Order
from marketplace.payments.gateway import PayHubClient, PaymentError, notify_ledger, verify_signature

log = logging.getLogger(__name__)

payhub = PayHubClient(settings.PAYHUB_API_KEY)
FRAUD_TIMEOUT = settings.FRAUD_SERVICE_TIMEOUT


def _shipping_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.SHIPPING_API_TOKEN}", "Accept": "application/json"}


@require_POST
def checkout(request: HttpRequest) -> JsonResponse:
    order = get_object_or_404(Order, pk=request.POST.get("order_id"), buyer=request.user)
    if order.status != Order.Status.PENDING:
        return JsonResponse({"error": "order is not payable"}, status=409)

    score = requests.post(  # ok: TMO001
        f"{settings.FRAUD_SERVICE_URL}/v2/score",
        json={"order": order.pk, "buyer": order.buyer_id, "amount": str(order.total)},
        timeout=FRAUD_TIMEOUT,
    ).json()
    if score.get("decision") == "reject":
        order.mark_rejected(reason=score.get("reason", "fraud"))
        return JsonResponse({"error": "payment declined"}, status=402)

    try:
        with transaction.atomic():
            charge = payhub.create_charge(
                order.total,
                order.currency,
                request.POST["payment_token"],
                idempotency_key=f"order-{order.pk}",
            )
            order.mark_paid(charge_id=charge.id)
    except PaymentError as exc:
        log.info("charge failed for order %s: %s", order.pk, exc)
        return JsonResponse({"error": str(exc), "code": exc.code}, status=402)

    notify_ledger({"type": "order.paid", "order": order.pk, "charge": charge.id})
    return JsonResponse({"status": "paid", "charge": charge.id})


@csrf_exempt
@require_POST
def payhub_webhook(request: HttpRequest) -> HttpResponse:
    signature = request.headers.get("PayHub-Signature", "")
    if not verify_signature(request.body, signature, settings.PAYHUB_WEBHOOK_SECRET):
        return HttpResponseBadRequest("bad signature")
    event = json.loads(request.body)
    dedupe_key = f"payhub:event:{event['id']}"
    if cache.get(dedupe_key):  # ok: TMO001
        return HttpResponse(status=200)
    cache.set(dedupe_key, 1, timeout=24 * 3600)

    if event["type"] == "charge.dispute.created":
        dispute = event["data"]["object"]
        requests.post(settings.SUPPORT_HOOK_URL, json={"text": f"Dispute opened: {dispute['id']}"})  # expect: TMO001
    elif event["type"] == "charge.refunded":
        order = Order.objects.filter(charge_id=event["data"]["object"]["id"]).first()
        if order is not None:
            order.mark_refunded()
            requests.patch(  # expect: TMO001
                f"{settings.SEARCH_API_URL}/listings/{order.listing_id}",
                json={"available": True},
                headers={"Authorization": f"Token {settings.SEARCH_API_TOKEN}"},
            )
    return HttpResponse(status=200)


@require_POST
def cancel_order(request: HttpRequest, order_id: int) -> JsonResponse:
    order = get_object_or_404(Order, pk=order_id, buyer=request.user)
    if order.shipment_id:
        resp = requests.delete(f"{settings.SHIPPING_API_URL}/shipments/{order.shipment_id}", headers=_shipping_headers())  # expect: TMO001
        if resp.status_code not in (200, 204, 404):
            return JsonResponse({"error": "could not cancel shipment"}, status=502)
    if order.charge_id:
        payhub.refund(order.charge_id)
    order.cancel()
    return JsonResponse({"status": "cancelled"})


@require_GET
def cdn_preflight(request: HttpRequest) -> JsonResponse:
    resp = requests.options(settings.MEDIA_CDN_URL, headers={"Origin": settings.SITE_URL, "Access-Control-Request-Method": "PUT"})  # expect: TMO001
    return JsonResponse({"allowed": resp.headers.get("Access-Control-Allow-Methods", "")})
