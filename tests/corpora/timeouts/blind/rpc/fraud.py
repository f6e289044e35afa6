"""Fraud-scoring client: grpc.aio for the API tier, blocking stubs for batch jobs."""
from __future__ import annotations

import asyncio
import os
import time
from decimal import Decimal
from typing import Any, AsyncIterator, Iterable

import grpc
import grpc.aio

from fraud.v2 import scoring_pb2, scoring_pb2_grpc

FRAUD_TARGET = os.environ.get("FRAUD_TARGET", "fraud-scoring.internal:443")
FRAUD_DEADLINE_S = float(os.environ.get("FRAUD_DEADLINE_S", "0.15"))


def _to_request(txn: dict[str, Any]) -> Any:
    return scoring_pb2.ScoreRequest(
        txn_id=txn["id"],
        amount_minor=int(Decimal(txn["amount"]) * 100),
        currency=txn["currency"],
        merchant_id=txn["merchant_id"],
        card_fingerprint=txn.get("card_fingerprint", ""),
    )


class AsyncFraudClient:
    def __init__(self, target: str = FRAUD_TARGET) -> None:
        self._channel = grpc.aio.secure_channel(target, grpc.ssl_channel_credentials())
        self._stub = scoring_pb2_grpc.FraudScorerStub(self._channel)

    async def close(self) -> None:
        await self._channel.close()

    async def score(self, txn: dict[str, Any]) -> float:
        resp = await self._stub.ScoreTransaction(_to_request(txn), timeout=FRAUD_DEADLINE_S)  # ok: TMO008
        return resp.score

    async def score_with_budget(self, txn: dict[str, Any], deadline: float) -> float:
        remaining = max(0.01, deadline - time.monotonic())
        resp = await self._stub.ScoreTransaction(_to_request(txn), timeout=remaining)
        return resp.score

    async def explain(self, txn_id: str) -> list[str]:
        resp = await self._stub.ExplainScore(scoring_pb2.ExplainRequest(txn_id=txn_id))  # expect: TMO008
        return list(resp.reasons)

    async def score_many(self, txns: Iterable[dict[str, Any]]) -> list[float]:
        responses = await asyncio.gather(
            *(self._stub.ScoreTransaction(_to_request(t), timeout=FRAUD_DEADLINE_S) for t in txns)
        )
        return [r.score for r in responses]

    async def alerts(self, merchant_id: str) -> AsyncIterator[Any]:
        call = self._stub.SubscribeAlerts(scoring_pb2.SubscribeRequest(merchant_id=merchant_id))  # expect: TMO008
        async for alert in call:
            yield alert


async def upload_labels(target: str, labels: Iterable[tuple[str, bool]]) -> int:
    async def gen():
        for txn_id, is_fraud in labels:
            yield scoring_pb2.Label(txn_id=txn_id, is_fraud=is_fraud)

    async with grpc.aio.insecure_channel(target) as channel:
        stub = scoring_pb2_grpc.FeedbackStub(channel)
        ack = await stub.UploadLabels(gen())  # expect: TMO008
        return ack.accepted


async def report_chargeback(target: str, txn_id: str, reason: str) -> None:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = scoring_pb2_grpc.FeedbackStub(channel)
        await stub.ReportChargeback(  # expect: TMO008
            scoring_pb2.Chargeback(txn_id=txn_id, reason=reason),
            metadata=(("x-source", "ledger"),),
        )


def score_blocking(txn: dict[str, Any]) -> float:
    with grpc.secure_channel(FRAUD_TARGET, grpc.ssl_channel_credentials()) as channel:
        stub = scoring_pb2_grpc.FraudScorerStub(channel)
        response, _call = stub.ScoreTransaction.with_call(  # ok: TMO008
            _to_request(txn),
            timeout=FRAUD_DEADLINE_S,
            metadata=(("x-caller", "batch"),),
        )
        return response.score


def score_batch_blocking(txns: list[dict[str, Any]]) -> list[float]:
    with grpc.secure_channel(FRAUD_TARGET, grpc.ssl_channel_credentials()) as channel:
        stub = scoring_pb2_grpc.FraudScorerStub(channel)
        futures = [stub.ScoreTransaction.future(_to_request(t)) for t in txns]  # expect: TMO008
        return [f.result().score for f in futures]


def fetch_model_version() -> str:
    with grpc.secure_channel(FRAUD_TARGET, grpc.ssl_channel_credentials()) as channel:
        stub = scoring_pb2_grpc.ModelRegistryStub(channel)
        return stub.CurrentVersion(scoring_pb2.Empty(), wait_for_ready=True).version  # expect: TMO008
