"""Pricing service clients (sync and asyncio)."""
from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from typing import AsyncIterator

import grpc
import grpc.aio
from django.conf import settings

from marketplace.protos import pricing_pb2, pricing_pb2_grpc

log = logging.getLogger(__name__)

PRICING_TARGET = settings.PRICING_GRPC_TARGET
PRICING_DEADLINE = settings.PRICING_GRPC_DEADLINE

_channel = grpc.insecure_channel(PRICING_TARGET, options=[("grpc.keepalive_time_ms", 30000)])
pricing_stub = pricing_pb2_grpc.PricingServiceStub(_channel)


def quote(sku: str, qty: int, currency: str = "USD") -> Decimal:
    resp = pricing_stub.Quote(pricing_pb2.QuoteRequest(sku=sku, quantity=qty, currency=currency))  # expect: TMO008
    return Decimal(resp.unit_price)


def quote_with_call(sku: str) -> tuple[Decimal, str]:
    resp, call = pricing_stub.Quote.with_call(pricing_pb2.QuoteRequest(sku=sku, quantity=1))  # expect: TMO008
    version = dict(call.initial_metadata()).get("x-price-version", "")
    return Decimal(resp.unit_price), version


def quote_async(sku: str, qty: int) -> grpc.Future:
    return pricing_stub.Quote.future(pricing_pb2.QuoteRequest(sku=sku, quantity=qty), timeout=PRICING_DEADLINE)  # ok: TMO008


class PriceBook:
    """Caches price lookups for the lifetime of one request."""

    def __init__(self, channel: grpc.Channel) -> None:
        self.stub = pricing_pb2_grpc.PricingServiceStub(channel)
        self._cache: dict[tuple[str, int], Decimal] = {}

    def price(self, sku: str, qty: int = 1) -> Decimal:
        key = (sku, qty)
        if key not in self._cache:
            resp = self.stub.Quote(pricing_pb2.QuoteRequest(sku=sku, quantity=qty), timeout=PRICING_DEADLINE)
            self._cache[key] = Decimal(resp.unit_price)
        return self._cache[key]

    def history(self, sku: str, days: int = 30) -> list[tuple[str, Decimal]]:
        req = pricing_pb2.HistoryRequest(sku=sku, days=days)
        resp = self.stub.PriceHistory(  # ok: TMO008
            req,
            timeout=PRICING_DEADLINE * 4,
        )
        return [(p.date, Decimal(p.price)) for p in resp.points]


class AsyncPricingClient:
    def __init__(self, target: str = PRICING_TARGET) -> None:
        self._channel = grpc.aio.insecure_channel(target)
        self._stub = pricing_pb2_grpc.PricingServiceStub(self._channel)

    async def quote(self, sku: str, qty: int = 1) -> Decimal:
        resp = await self._stub.Quote(pricing_pb2.QuoteRequest(sku=sku, quantity=qty))  # expect: TMO008
        return Decimal(resp.unit_price)

    async def watch_price(self, sku: str) -> AsyncIterator[Decimal]:
        async for update in self._stub.WatchPrice(pricing_pb2.WatchRequest(sku=sku)):  # expect: TMO008
            yield Decimal(update.unit_price)

    async def close(self) -> None:
        await self._channel.close()


def invalidate(sku: str, **call_options) -> None:
    pricing_stub.Invalidate(pricing_pb2.InvalidateRequest(sku=sku), **call_options)  # ok: TMO008
