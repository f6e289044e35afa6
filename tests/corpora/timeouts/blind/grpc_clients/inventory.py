"""Thin wrapper around the inventory gRPC service."""
from __future__ import annotations

import logging
import uuid

import grpc

from marketplace.protos import inventory_pb2, inventory_pb2_grpc

log = logging.getLogger(__name__)

INVENTORY_DEADLINE = 2.5  # seconds


class InventoryUnavailable(RuntimeError):
    pass


class InventoryClient:
    def __init__(self, target: str, *, secure: bool = True) -> None:
        if secure:
            self._channel = grpc.secure_channel(target, grpc.ssl_channel_credentials())
        else:
            self._channel = grpc.insecure_channel(target)
        self._stub = inventory_pb2_grpc.InventoryServiceStub(self._channel)
        self._local: dict[str, int] = {}

    def close(self) -> None:
        self._channel.close()

    @staticmethod
    def _metadata() -> tuple[tuple[str, str], ...]:
        return (("x-request-id", uuid.uuid4().hex), ("x-caller", "marketplace-web"))

    def get_stock(self, sku: str, warehouse: str | None = None) -> int:
        cached = self._local.get(sku)
        if cached is not None and warehouse is None:
            return cached
        req = inventory_pb2.GetStockRequest(sku=sku, warehouse_id=warehouse or "")
        try:
            resp = self._stub.GetStock(req)  # expect: TMO008
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.UNAVAILABLE:
                raise InventoryUnavailable(sku) from exc
            raise
        self._local[sku] = resp.available
        return resp.available

    def reserve(self, sku: str, qty: int, order_id: int) -> str:
        req = inventory_pb2.ReserveRequest(sku=sku, quantity=qty, order_id=str(order_id))
        resp = self._stub.Reserve(req, timeout=INVENTORY_DEADLINE, metadata=self._metadata())
        return resp.reservation_id

    def release(self, reservation_id: str) -> None:
        self._stub.Release(  # expect: TMO008
            inventory_pb2.ReleaseRequest(reservation_id=reservation_id),
            metadata=self._metadata(),
        )

    def reserve_async(self, sku: str, qty: int, order_id: int) -> grpc.Future:
        req = inventory_pb2.ReserveRequest(sku=sku, quantity=qty, order_id=str(order_id))
        return self._stub.Reserve.future(req, metadata=self._metadata())  # expect: TMO008

    def get_stock_with_trailers(self, sku: str) -> tuple[int, dict[str, str]]:
        req = inventory_pb2.GetStockRequest(sku=sku)
        resp, call = self._stub.GetStock.with_call(req, timeout=INVENTORY_DEADLINE)  # ok: TMO008
        return resp.available, dict(call.trailing_metadata() or ())

    def batch_get(self, skus: list[str]) -> dict[str, int]:
        return {s: self._stub.GetStock(inventory_pb2.GetStockRequest(sku=s), timeout=1.0).available for s in skus}  # ok: TMO008

    def call(self, method: str, request, **kwargs):
        """Escape hatch for RPCs that don't have a wrapper yet."""
        return getattr(self._stub, method)(request, **kwargs)  # ok: TMO008


def warehouse_name(target: str, warehouse_id: str) -> str:
    with grpc.insecure_channel(target) as channel:
        grpc.channel_ready_future(channel).result(timeout=3)
        stub = inventory_pb2_grpc.WarehouseServiceStub(channel)
        resp = stub.GetWarehouse(inventory_pb2.GetWarehouseRequest(id=warehouse_id))  # expect: TMO008
        return resp.name
