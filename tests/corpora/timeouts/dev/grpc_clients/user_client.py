import logging
from typing import Iterator, List

import grpc

from protos.billing.v1 import billing_pb2
from protos.billing.v1 import billing_pb2_grpc as billing_grpc
from protos.users.v1 import users_pb2, users_pb2_grpc

log = logging.getLogger(__name__)

DEFAULT_DEADLINE = 5.0


class UserServiceClient:
    """Blocking client for users.v1.UserService."""

    def __init__(self, target: str, deadline: float = DEFAULT_DEADLINE):
        self._channel = grpc.insecure_channel(target)  # ok: TMO008
        self._stub = users_pb2_grpc.UserServiceStub(self._channel)
        self._deadline = deadline

    def wait_ready(self, seconds: float = 10.0) -> None:
        grpc.channel_ready_future(self._channel).result(timeout=seconds)  # ok: TMO008

    def get_user(self, user_id: str) -> users_pb2.User:
        request = users_pb2.GetUserRequest(user_id=user_id)  # ok: TMO008
        return self._stub.GetUser(request, timeout=self._deadline)  # ok: TMO008

    def get_users(self, user_ids: List[str]) -> List[users_pb2.User]:
        request = users_pb2.BatchGetUsersRequest(user_ids=user_ids)
        response = self._stub.BatchGetUsers(request)  # expect: TMO008
        return list(response.users)

    def update_email(self, user_id: str, email: str, metadata=None) -> users_pb2.User:
        request = users_pb2.UpdateEmailRequest(user_id=user_id, email=email)
        response, call = self._stub.UpdateEmail.with_call(request, metadata=metadata)  # expect: TMO008
        log.info("update_email trailing metadata: %s", call.trailing_metadata())
        return response

    def deactivate(self, user_id: str, reason: str) -> None:
        self._stub.Deactivate(  # ok: TMO008
            users_pb2.DeactivateRequest(user_id=user_id, reason=reason),
            timeout=self._deadline,
            wait_for_ready=True,
        )

    def stream_changes(self, since: int) -> Iterator[users_pb2.UserChange]:
        request = users_pb2.WatchRequest(since=since)
        for change in self._stub.WatchUsers(request):  # expect: TMO008
            yield change

    def prefetch(self, user_ids: List[str]) -> List[users_pb2.User]:
        futures = [
            self._stub.GetUser.future(users_pb2.GetUserRequest(user_id=uid))  # expect: TMO008
            for uid in user_ids
        ]
        return [f.result() for f in futures]

    def prefetch_bounded(self, user_ids: List[str]) -> List[users_pb2.User]:
        futures = [
            self._stub.GetUser.future(users_pb2.GetUserRequest(user_id=uid), timeout=self._deadline)  # ok: TMO008
            for uid in user_ids
        ]
        return [f.result() for f in futures]

    def close(self) -> None:
        self._channel.close()


def get_balance(channel: grpc.Channel, account_id: str) -> int:
    stub = billing_grpc.LedgerStub(channel)
    reply = stub.GetBalance(billing_pb2.BalanceRequest(account_id=account_id), timeout=2.0)  # ok: TMO008
    return reply.balance_cents


def charge(channel: grpc.Channel, account_id: str, amount: int, call_options=None):
    stub = billing_grpc.LedgerStub(channel)
    req = billing_pb2.ChargeRequest(account_id=account_id, amount_cents=amount)
    return stub.Charge(req, **(call_options or {}))  # ok: TMO008


def settle_all(channel: grpc.Channel, account_ids: List[str]) -> None:
    stub = billing_grpc.LedgerStub(channel)
    for account_id in account_ids:
        stub.Settle(billing_pb2.SettleRequest(account_id=account_id), timeout=None)  # expect: TMO008


if __name__ == "__main__":
    import sys

    with grpc.insecure_channel(sys.argv[1] if len(sys.argv) > 1 else "localhost:50051") as channel:
        stub = users_pb2_grpc.UserServiceStub(channel)
        print(stub.GetUser(users_pb2.GetUserRequest(user_id="42")))  # expect: TMO008
