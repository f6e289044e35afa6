"""TMO011: urllib3 requests without a timeout, from a pool without one."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import Call, Confidence, Origin, Severity

from ._common import CHECKLIST, CWE, KINDS, SocketDefaultRule, Verdict, display, judge, matching

_POOL_MANAGERS = frozenset(
    f"urllib3.{module}{name}"
    for module in ("", "poolmanager.")
    for name in ("PoolManager", "ProxyManager", "proxy_from_url")
)
_CONNECTION_POOLS = frozenset(
    f"urllib3.{module}{name}"
    for module in ("", "connectionpool.")
    for name in ("HTTPConnectionPool", "HTTPSConnectionPool", "connection_from_url")
)
# HTTPConnectionPool(host, port=None, timeout=...); the others take it by keyword.
_POOL_TIMEOUT_POSITION = {
    f"urllib3.{module}{name}": 2
    for module in ("", "connectionpool.")
    for name in ("HTTPConnectionPool", "HTTPSConnectionPool")
}
_REQUESTS = {"request": None, "request_encode_url": None, "request_encode_body": None}


class Urllib3WithoutTimeout(SocketDefaultRule):
    """A urllib3 request that runs without a timeout.

    ## What it does
    Checks for `request()` and `urlopen()` (and `request_encode_url()` /
    `request_encode_body()`) on urllib3 pools (`PoolManager`, `ProxyManager`,
    `HTTPConnectionPool`, `HTTPSConnectionPool`, `connection_from_url()`) and for the
    module-level `urllib3.request()`, when neither the request nor the pool it runs on
    was given a `timeout`, or when either gives `timeout=None`.

    ## Why is this bad?
    urllib3's default timeout is the global socket default, which is `None`: a server
    that accepts the connection and never answers blocks the caller forever. A pool
    created with `timeout=` passes it to every request it makes, so one setting covers
    them all.

    ## Example
    ```python
    import urllib3

    http = urllib3.PoolManager(num_pools=10)

    def fetch(url):
        return http.request("GET", url)
    ```

    ## Use instead
    ```python
    import urllib3

    http = urllib3.PoolManager(num_pools=10, timeout=urllib3.Timeout(connect=3.0, read=10.0))

    def fetch(url):
        return http.request("GET", url)
    ```

    ## Notes
    A pool that comes from elsewhere (a parameter, another module) may have its own
    timeout and is not reported. A file that sets a finite process-wide default with
    `socket.setdefaulttimeout()` is not reported either, nor is a request inside
    `with eventlet.Timeout(seconds)` or `with gevent.Timeout(seconds)`.
    """

    id = "TMO011"
    name = "urllib3-without-timeout"
    summary = "urllib3 request has no timeout"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("urllib3",)
    references = ("https://urllib3.readthedocs.io/en/stable/user-guide.html#using-timeouts",)

    functions = {"urllib3.request": None}
    receivers = (
        (_POOL_MANAGERS, {**_REQUESTS, "urlopen": None}),
        # HTTPConnectionPool.urlopen(method, url, body, headers, retries, redirect, assert_same_host, timeout)
        (_CONNECTION_POOLS, {**_REQUESTS, "urlopen": 7}),
    )

    def verdict(self, call: Call, positions: list[Any]) -> Verdict:
        """A request without a timeout of its own runs with its pool's."""
        verdict = super().verdict(call, positions)
        if verdict is not Verdict.MISSING or call.receiver is None:
            return verdict  # urllib3.request() runs on urllib3's own pool, which has none
        return _pool_verdict(call.receiver)

    def message(self, call: Call, verdict: Verdict) -> str:
        name = display(call)
        if verdict is Verdict.MISSING:
            return (
                f"{name} has no timeout and its pool sets none: urllib3 then falls back to the socket "
                "default timeout, which is None, and can block forever; pass timeout=urllib3.Timeout(connect=..., "
                "read=...) to the request or to the pool"
            )
        return (
            f"{name} runs with timeout=None (on the request or its pool), which disables it: the request "
            "can block forever; pass a finite urllib3.Timeout"
        )


def _pool_verdict(pool: Origin) -> Verdict:
    """The timeout a pool was made with; fine when the call that made it is not in sight."""
    made = pool.call
    if made is None:
        return Verdict.FINE
    constructor = matching(made, _POOL_TIMEOUT_POSITION)
    position = _POOL_TIMEOUT_POSITION[constructor] if constructor is not None else None
    return judge(made.argument("timeout", position))
