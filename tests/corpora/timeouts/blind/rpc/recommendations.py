"""Client for the recommendations service (gRPC, synchronous)."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any, Iterator

import grpc

from recs.v1 import recommendations_pb2, recommendations_pb2_grpc

log = logging.getLogger("rpc.recs")

RECS_TARGET = os.environ.get("RECS_TARGET", "recs.internal:50051")


@dataclass
class RecsClientConfig:
    target: str = RECS_TARGET
    deadline_s: float = 0.25
    batch_deadline_s: float = 2.0
    tls: bool = False


class RecommendationsClient:
    def __init__(self, config: RecsClientConfig | None = None) -> None:
        self.config = config or RecsClientConfig()
        if self.config.tls:
            self._channel = grpc.secure_channel(self.config.target, grpc.ssl_channel_credentials())
        else:
            self._channel = grpc.insecure_channel(self.config.target)
        self._stub = recommendations_pb2_grpc.RecommenderStub(self._channel)

    def close(self) -> None:
        self._channel.close()

    def top_n(self, user_id: str, n: int = 20) -> list[str]:
        req = recommendations_pb2.TopNRequest(user_id=user_id, n=n)
        try:
            resp = self._stub.GetTopN(req, timeout=self.config.deadline_s)  # ok: TMO008
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                log.info("recs deadline exceeded for %s; serving fallback", user_id)
                return []
            raise
        return list(resp.item_ids)

    def similar_items(self, item_id: str) -> list[str]:
        resp = self._stub.GetSimilarItems(recommendations_pb2.SimilarItemsRequest(item_id=item_id))  # expect: TMO008
        return list(resp.item_ids)

    def prefetch(self, user_ids: list[str]) -> dict[str, list[str]]:
        futures = {u: self._stub.GetTopN.future(recommendations_pb2.TopNRequest(user_id=u, n=10)) for u in user_ids}  # expect: TMO008
        return {u: list(f.result().item_ids) for u, f in futures.items()}

    def prefetch_bounded(self, user_ids: list[str]) -> dict[str, list[str]]:
        futures = {
            u: self._stub.GetTopN.future(  # ok: TMO008
                recommendations_pb2.TopNRequest(user_id=u, n=10),
                timeout=self.config.batch_deadline_s,
            )
            for u in user_ids
        }
        return {u: list(f.result().item_ids) for u, f in futures.items()}

    def record_feedback(self, user_id: str, item_id: str, signal: str) -> str:
        req = recommendations_pb2.FeedbackRequest(user_id=user_id, item_id=item_id, signal=signal)
        _, call = self._stub.RecordFeedback.with_call(req, metadata=(("x-client", "storefront"),))  # expect: TMO008
        return dict(call.trailing_metadata()).get("x-request-id", "")

    def stream_candidates(self, user_id: str) -> Iterator[Any]:
        req = recommendations_pb2.CandidatesRequest(user_id=user_id, max_candidates=500)
        for cand in self._stub.StreamCandidates(req):  # expect: TMO008
            yield cand

    def reindex_user(self, user_id: str) -> None:
        self._stub.ReindexUser(recommendations_pb2.ReindexRequest(user_id=user_id), timeout=None)  # expect: TMO008

    def warmup(self) -> bool:
        try:
            self._stub.Ping.with_call(recommendations_pb2.PingRequest(), timeout=1.0)
            return True
        except grpc.RpcError:
            return False


def one_shot_top_n(target: str, user_id: str, **call_kwargs: Any) -> list[str]:
    with grpc.insecure_channel(target) as channel:
        stub = recommendations_pb2_grpc.RecommenderStub(channel)
        resp = stub.GetTopN(recommendations_pb2.TopNRequest(user_id=user_id, n=5), **call_kwargs)  # ok: TMO008
        return list(resp.item_ids)


def admin_rebuild(target: str) -> str:
    with grpc.insecure_channel(target) as channel:
        admin = recommendations_pb2_grpc.RecsAdminStub(channel)
        op = admin.RebuildIndex(recommendations_pb2.RebuildRequest(full=True))  # expect: TMO008
        return op.operation_id
