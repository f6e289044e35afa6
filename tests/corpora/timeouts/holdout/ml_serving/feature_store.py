import logging
import os
from typing import Dict, List, Sequence

import grpc
import numpy as np
import redis

from serving.protos import prediction_pb2, prediction_pb2_grpc
from serving.protos.prediction_pb2_grpc import PredictionServiceStub

logger = logging.getLogger(__name__)


class FeatureStore:
    """Online features live in redis hashes: fv:<entity> -> {feature: value}."""

    def __init__(self, url: str = None):
        url = url or os.environ.get("FEATURE_REDIS_URL", "redis://features:6379/0")  # ok: TMO001
        self.r = redis.Redis.from_url(url, socket_timeout=0.05, socket_connect_timeout=0.2)  # ok: TMO006
        self.fallback = redis.StrictRedis(host="features-replica", port=6379)  # expect: TMO006

    def vector(self, entity_id: str, names: Sequence[str]) -> np.ndarray:
        try:
            vals = self.r.hmget(f"fv:{entity_id}", names)
        except redis.TimeoutError:
            vals = self.fallback.hmget(f"fv:{entity_id}", names)
        return np.array([float(v) if v is not None else np.nan for v in vals], dtype=np.float32)

    def get(self, key: str):
        return self.r.get(key)  # ok: TMO001


class ModelClient:
    def __init__(self, target: str, deadline_s: float = 0.25):
        self.channel = grpc.insecure_channel(target, options=[("grpc.max_receive_message_length", 64 << 20)])
        self.stub = PredictionServiceStub(self.channel)
        self.deadline_s = deadline_s

    def predict(self, features: np.ndarray) -> float:
        req = prediction_pb2.PredictRequest(values=features.tolist())  # ok: TMO008
        return self.stub.Predict(req, timeout=self.deadline_s).score  # ok: TMO008

    def predict_batch(self, batch: List[np.ndarray]) -> List[float]:
        req = prediction_pb2.PredictBatchRequest(rows=[prediction_pb2.Row(values=b.tolist()) for b in batch])
        return list(self.stub.PredictBatch(req).scores)  # expect: TMO008

    def model_status(self) -> str:
        return self.stub.GetModelStatus(prediction_pb2.StatusRequest()).state  # expect: TMO008

    def explain(self, features: np.ndarray):
        return self.stub.Explain.future(prediction_pb2.ExplainRequest(values=features.tolist()), timeout=2)  # ok: TMO008

    def reload(self, version: str) -> bool:
        resp, call = self.stub.Reload.with_call(prediction_pb2.ReloadRequest(version=version))  # expect: TMO008
        logger.info("reload -> %s (%s)", resp.ok, call.code())
        return resp.ok


def shadow_predict(channel: grpc.Channel, features: np.ndarray):
    shadow = prediction_pb2_grpc.PredictionServiceStub(channel)
    return shadow.Predict.future(prediction_pb2.PredictRequest(values=features.tolist()))  # expect: TMO008


def scores_for(entities: List[str], store: FeatureStore, model: ModelClient, names: Sequence[str]) -> Dict[str, float]:
    return {e: model.predict(store.vector(e, names)) for e in entities}


def online_store() -> redis.Redis:
    return redis.Redis(  # expect: TMO006
        host=os.environ.get("ONLINE_HOST", "online"),
        port=6379,
        socket_timeout=None,
        socket_connect_timeout=1,
    )


def offline_store() -> redis.Redis:
    return redis.from_url("rediss://offline:6380/0?socket_timeout=1.0&ssl_cert_reqs=required")  # ok: TMO006


def training_snapshot_store() -> redis.Redis:
    return redis.from_url(os.environ["SNAPSHOT_REDIS_URL"])  # expect: TMO006


def warmup(model: ModelClient, n: int = 16) -> None:
    dummy = np.zeros(model_dim(), dtype=np.float32)
    for _ in range(n):
        model.predict(dummy)


def model_dim() -> int:
    return int(os.environ.get("MODEL_DIM", "128"))


def stream_scores(channel: grpc.Channel, entity_ids: List[str]):
    stub = PredictionServiceStub(channel)
    requests = (prediction_pb2.PredictRequest(entity_id=e) for e in entity_ids)
    for reply in stub.PredictStream(requests, timeout=30):  # ok: TMO008
        yield reply.entity_id, reply.score


def stream_scores_unbounded(channel: grpc.Channel, entity_ids: List[str]):
    stub = PredictionServiceStub(channel)
    requests = iter([prediction_pb2.PredictRequest(entity_id=e) for e in entity_ids])
    for reply in stub.PredictStream(requests):  # expect: TMO008
        yield reply.entity_id, reply.score
