"""TMO008: gRPC stub calls without a deadline."""

from __future__ import annotations

from prodready_lint.sdk import Call, Confidence, Context, Origin, PythonFile, Rule, Severity

from ._common import CHECKLIST, CWE, KINDS, Verdict, display, inside_green_timeout, judge, matching

_RPC_VARIANTS = frozenset({"future", "with_call"})
_INTERCEPTION = frozenset({"grpc.intercept_channel", "grpc.aio.insecure_channel", "grpc.aio.secure_channel"})


def _is_grpc_module(module: str) -> bool:
    """``grpc`` itself, or generated code (``*_pb2_grpc``, and ``*_pb2`` messages)."""
    return module == "grpc" or module.startswith("grpc.") or module.endswith(("_pb2_grpc", "_pb2"))


def _is_stub(origin: Origin | None, grpc_imported: bool) -> bool:
    """An object built from a generated ``*Stub`` class (``*_pb2_grpc`` modules)."""
    return origin is not None and any(_is_stub_class(name, grpc_imported) for name in origin.qualnames)


def _is_stub_class(qualname: str, grpc_imported: bool) -> bool:
    name = qualname.rsplit(".", 1)[-1]
    if not name.endswith("Stub") or name == "Stub":
        return False
    return "grpc" in qualname.lower() or grpc_imported


def _looks_like_stub_call(call: Call) -> bool:
    """An untraced receiver named like a stub (``stub``, ``self._inventory_stub``)
    called with a PascalCase method, the shape of every generated RPC method."""
    parts = call.callee.split(".")
    if len(parts) < 2:
        return False
    if parts[-1] in _RPC_VARIANTS:
        parts = parts[:-1]
    if len(parts) < 2:
        return False
    rpc, holder = parts[-1], parts[-2]
    return "stub" in holder.lower() and rpc[:1].isupper() and not rpc.isupper()


def _channel_intercepted(file: PythonFile) -> bool:
    """Interceptors can set a default deadline on every call of a channel."""
    for call in file.calls:
        if "grpc.intercept_channel" in call.qualnames:
            return True
        if matching(call, _INTERCEPTION) is not None and call.keyword("interceptors") is not None:
            return True
    return False


class GrpcCallWithoutTimeout(Rule):
    """A gRPC stub call with no deadline.

    ## What it does
    Checks for calls on generated gRPC stubs (objects made from a `*Stub` class of a
    `*_pb2_grpc` module), including `.future()` and `.with_call()`, that pass no
    `timeout`, or `timeout=None`.

    ## Why is this bad?
    gRPC calls have no deadline by default: when the server or a proxy stalls, the call
    waits forever, and the missing deadline is not propagated to the services it calls.
    gRPC's own guidance is to always set a deadline.

    ## Example
    ```python
    import grpc
    from accounts.v1 import accounts_pb2, accounts_pb2_grpc

    channel = grpc.insecure_channel("accounts:50051")
    stub = accounts_pb2_grpc.AccountsStub(channel)
    account = stub.GetAccount(accounts_pb2.GetAccountRequest(id="42"))
    ```

    ## Use instead
    ```python
    import grpc
    from accounts.v1 import accounts_pb2, accounts_pb2_grpc

    channel = grpc.insecure_channel("accounts:50051")
    stub = accounts_pb2_grpc.AccountsStub(channel)
    account = stub.GetAccount(accounts_pb2.GetAccountRequest(id="42"), timeout=2.0)
    ```

    ## Notes
    A stub whose origin cannot be traced (a parameter without a type) is recognised by
    its shape in files that use gRPC: a receiver named like a stub (`stub`,
    `self._inventory_stub`) and a PascalCase method; those findings have low confidence.
    Files that wrap channels with interceptors (which can add a default deadline) are
    not reported, nor are calls inside `with eventlet.Timeout(seconds)` or
    `with gevent.Timeout(seconds)`.
    """

    id = "TMO008"
    name = "grpc-call-without-timeout"
    summary = "gRPC call has no deadline"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = CWE
    kinds = KINDS
    triggers = ("Stub", "grpc", "_pb2")
    references = ("https://grpc.io/docs/guides/deadlines/",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        grpc_imported = any(_is_grpc_module(m) for m in file.imported_modules)
        intercepted: bool | None = None
        for call in file.calls:
            if call.method is None or call.method.startswith("_"):
                continue
            origin = call.receiver
            if origin is None:
                # Untraced (a stub passed in without a type): judged by its shape, only
                # in a file that uses gRPC.
                if not (grpc_imported and _looks_like_stub_call(call)):
                    continue
                confidence = Confidence.LOW
            else:
                if call.method in _RPC_VARIANTS and origin.kind == "attribute":
                    origin = origin.receiver
                if not _is_stub(origin, grpc_imported):
                    continue
                confidence = self.confidence
            if intercepted is None:
                intercepted = _channel_intercepted(file)
            if intercepted:
                return
            verdict = judge(call.argument("timeout"))
            if verdict is Verdict.FINE or inside_green_timeout(call):
                continue
            ctx.report(call, self._message(call, verdict), confidence=confidence)

    @staticmethod
    def _message(call: Call, verdict: Verdict) -> str:
        name = display(call)
        if verdict is Verdict.MISSING:
            return f"{name} is a gRPC call with no deadline: gRPC waits forever by default; pass timeout=seconds"
        return f"{name} passes timeout=None to a gRPC call, so it can wait forever; pass a finite deadline"
