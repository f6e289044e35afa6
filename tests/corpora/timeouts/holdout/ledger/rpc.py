"""gRPC access to the ledger service. Amounts are integer minor units."""

import os
from typing import Dict, Iterable, List, Optional

import grpc

from ledger.v2 import accounts_pb2
from ledger.v2 import accounts_pb2_grpc as accounts_rpc
from ledger.v2.ledger_pb2 import (
    GetBalanceRequest,
    HistoryRequest,
    PostEntryRequest,
    ReconcileRequest,
    TrailRequest,
)
from ledger.v2.ledger_pb2_grpc import AuditStub, LedgerStub

DEADLINE = float(os.environ.get("LEDGER_DEADLINE", "2.5"))

channel = grpc.secure_channel(os.environ.get("LEDGER_ADDR", "ledger:443"), grpc.ssl_channel_credentials())
ledger = LedgerStub(channel)
audit = AuditStub(channel)


def post_entry(debit: str, credit: str, amount: int, memo: str = "") -> str:
    req = PostEntryRequest(debit=debit, credit=credit, amount=amount, memo=memo)  # ok: TMO008
    return ledger.PostEntry(req, timeout=DEADLINE).entry_id  # ok: TMO008


def post_entry_async(debit: str, credit: str, amount: int) -> grpc.Future:
    return ledger.PostEntry.future(PostEntryRequest(debit=debit, credit=credit, amount=amount))  # expect: TMO008


def balance(account: str) -> int:
    resp, call = ledger.GetBalance.with_call(GetBalanceRequest(account=account), timeout=2)  # ok: TMO008
    return resp.amount


def history(account: str) -> List:
    return list(ledger.History(HistoryRequest(account=account)))  # expect: TMO008


def audit_trail(entry_id: str, request_id: Optional[str] = None) -> Iterable:
    md = (("x-request-id", request_id),) if request_id else None
    for ev in audit.Trail(TrailRequest(entry_id=entry_id), metadata=md):  # expect: TMO008
        yield ev


def open_account(owner: str, currency: str = "EUR") -> str:
    stub = accounts_rpc.AccountsStub(channel)
    return stub.Open(accounts_pb2.OpenRequest(owner=owner, currency=currency)).account_id  # expect: TMO008


def close_account(account_id: str, deadline: Optional[float] = 5.0) -> None:
    stub = accounts_rpc.AccountsStub(channel)
    stub.Close(accounts_pb2.CloseRequest(account_id=account_id), timeout=deadline)  # ok: TMO008


def freeze(account_id: str, reason: str) -> None:
    stub = accounts_rpc.AccountsStub(channel)
    resp, call = stub.Freeze.with_call(  # expect: TMO008
        accounts_pb2.FreezeRequest(account_id=account_id, reason=reason),
        metadata=(("x-actor", "risk-engine"),),
    )
    if not resp.ok:
        raise RuntimeError(call.details())


class Reconciler:
    def __init__(self, ch: grpc.Channel):
        self.ledger = LedgerStub(ch)

    def run(self, day: str) -> Dict[str, int]:
        resp = self.ledger.Reconcile(ReconcileRequest(day=day), timeout=None)  # expect: TMO008
        futures = {
            acc: self.ledger.GetBalance.future(GetBalanceRequest(account=acc), timeout=1.5)  # ok: TMO008
            for acc in resp.accounts
        }
        return {acc: f.result().amount for acc, f in futures.items()}

    def replay(self, entries: Iterable[dict]) -> int:
        n = 0
        for e in entries:
            self.ledger.PostEntry(PostEntryRequest(**e))  # expect: TMO008
            n += 1
        return n


class CachedLedger:
    """Read-through cache; `GetBalance` here is our own method, not an RPC."""

    def __init__(self):
        self._cache: Dict[str, int] = {}

    def GetBalance(self, account: str) -> int:
        if account not in self._cache:
            self._cache[account] = balance(account)
        return self._cache[account]


def total_exposure(accounts: Iterable[str], cache: CachedLedger) -> int:
    return sum(cache.GetBalance(a) for a in accounts)  # ok: TMO008


def wait_ready(seconds: float = 10.0) -> None:
    grpc.channel_ready_future(channel).result(timeout=seconds)  # ok: TMO008
