"""Async gateway in front of inventory.v1 with a small redis read-through cache."""

import asyncio
import logging
from typing import AsyncIterator, Iterable, List

import redis.asyncio as redis
from grpc import aio

from inventory.v1 import inventory_pb2 as pb
from inventory.v1.inventory_pb2_grpc import InventoryServiceStub

log = logging.getLogger(__name__)

RPC_DEADLINE = 3.0


class InventoryGateway:
    def __init__(self, target: str, redis_url: str):
        self._channel = aio.insecure_channel(target)
        self._stub = InventoryServiceStub(self._channel)
        self._redis = redis.from_url(redis_url, socket_timeout=1.5)  # ok: TMO006

    async def stock_level(self, sku: str) -> int:
        cached = await self._redis.get(f"stock:{sku}")  # ok: TMO001
        if cached is not None:
            return int(cached)
        reply = await self._stub.GetStock(pb.GetStockRequest(sku=sku))  # expect: TMO008
        await self._redis.set(f"stock:{sku}", reply.quantity, ex=30)
        return reply.quantity

    async def reserve(self, sku: str, qty: int, order_id: str) -> str:
        reply = await self._stub.Reserve(  # ok: TMO008
            pb.ReserveRequest(sku=sku, quantity=qty, order_id=order_id),
            timeout=RPC_DEADLINE,
        )
        return reply.reservation_id

    async def release(self, reservation_id: str) -> None:
        await self._stub.Release(  # expect: TMO008
            pb.ReleaseRequest(reservation_id=reservation_id),
            metadata=(("x-source", "checkout"),),
        )

    async def watch(self, skus: Iterable[str]) -> AsyncIterator[pb.StockEvent]:
        call = self._stub.WatchStock(pb.WatchRequest(skus=list(skus)))  # expect: TMO008
        async for event in call:
            yield event

    async def bulk_levels(self, skus: List[str]) -> List[int]:
        replies = await asyncio.gather(
            *[self._stub.GetStock(pb.GetStockRequest(sku=s), timeout=RPC_DEADLINE) for s in skus]  # ok: TMO008
        )
        return [r.quantity for r in replies]

    async def adjust(self, sku: str, delta: int) -> None:
        await self._stub.Adjust(pb.AdjustRequest(sku=sku, delta=delta), wait_for_ready=True)  # expect: TMO008

    async def close(self) -> None:
        await self._channel.close()
        await self._redis.close()


async def warm_cache(redis_url: str, target: str, skus: List[str]) -> None:
    r = redis.Redis.from_url(redis_url)  # expect: TMO006
    async with aio.insecure_channel(target) as channel:
        stub = InventoryServiceStub(channel)
        for sku in skus:
            reply = await stub.GetStock(pb.GetStockRequest(sku=sku), timeout=RPC_DEADLINE)  # ok: TMO008
            await r.set(f"stock:{sku}", reply.quantity, ex=300)
    await r.close()


async def lock_client() -> redis.Redis:
    return redis.Redis(host="locks", port=6379, socket_timeout=None)  # expect: TMO006


async def sweep_expired_reservations(target: str) -> int:
    async with aio.insecure_channel(target) as channel:
        stub = InventoryServiceStub(channel)
        reply = await stub.SweepExpired(pb.SweepRequest(older_than_seconds=900))  # expect: TMO008
        return reply.released


if __name__ == "__main__":
    import sys

    asyncio.run(warm_cache(sys.argv[1], sys.argv[2], sys.argv[3:]))
