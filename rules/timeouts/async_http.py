"""TMO009-TMO010: httpx and aiohttp with their (finite by default) timeouts disabled."""

from __future__ import annotations

from prodready_lint.sdk import (
    MISSING,
    NOT_LITERAL,
    Call,
    Confidence,
    Context,
    PythonFile,
    Rule,
    Severity,
    Unknown,
    literal,
)

from ._common import CHECKLIST, CWE, KINDS, display, matching

_HTTPX_FUNCTIONS = frozenset(
    f"httpx.{name}" for name in ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")
)
_HTTPX_CLIENTS = frozenset({"httpx.Client", "httpx.AsyncClient"})
_HTTPX_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"})
_HTTPX_TIMEOUT = frozenset({"httpx.Timeout", "httpx._config.Timeout"})


def _read_unbounded(value: object) -> bool:
    """An httpx timeout literal whose read part is None (None itself, or (connect, None))."""
    if value is None:
        return True
    return isinstance(value, tuple) and len(value) >= 2 and value[1] is None


class HttpxTimeoutDisabled(Rule):
    """An httpx request or client whose timeout is explicitly disabled.

    ## What it does
    Checks for `timeout=None` (or a `(connect, None)` tuple) on `httpx.get()` and the
    other module functions, on `httpx.Client` / `AsyncClient` and their request
    methods, and for `httpx.Timeout(...)` objects whose read timeout ends up `None`
    (`httpx.Timeout(None)`, `httpx.Timeout(None, connect=5)`, `read=None`).

    ## Why is this bad?
    httpx has a finite default (5 seconds); code that turns it off for reads lets one
    stalled upstream block the caller forever. Long operations (streaming, slow
    reports) deserve a large but finite timeout instead.

    ## Example
    ```python
    import httpx

    client = httpx.Client(base_url="https://reports.internal", timeout=None)
    ```

    ## Use instead
    ```python
    import httpx

    client = httpx.Client(base_url="https://reports.internal", timeout=httpx.Timeout(10.0, read=120.0))
    ```
    """

    id = "TMO009"
    name = "httpx-timeout-disabled"
    summary = "httpx timeout is disabled"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("httpx",)
    references = ("https://www.python-httpx.org/advanced/timeouts/",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        for call in file.calls:
            if matching(call, _HTTPX_TIMEOUT) is not None:
                self._check_timeout_object(call, ctx)
            elif (
                matching(call, _HTTPX_FUNCTIONS) is not None
                or matching(call, _HTTPX_CLIENTS) is not None
                or (
                    call.method in _HTTPX_METHODS
                    and call.receiver is not None
                    and call.receiver.is_one_of(_HTTPX_CLIENTS)
                )
            ):
                value = call.argument("timeout")
                if value is MISSING or isinstance(value, Unknown):
                    continue
                constant = literal(value)
                if constant is not NOT_LITERAL and _read_unbounded(constant):
                    ctx.report(
                        call,
                        f"{display(call)} disables httpx's timeout (timeout=None): reads can then wait forever; "
                        "use a finite httpx.Timeout (it defaults to 5 s)",
                    )

    @staticmethod
    def _check_timeout_object(call: Call, ctx: Context) -> None:
        default = call.argument("timeout", 0)
        read = call.argument("read")
        if isinstance(default, Unknown) or isinstance(read, Unknown):
            return
        if read is not MISSING:
            unbounded = literal(read) is None
        elif default is MISSING:
            return  # all four parts must then be given; read was not, so httpx raises
        else:
            constant = literal(default)
            unbounded = constant is not NOT_LITERAL and _read_unbounded(constant)
        if unbounded:
            ctx.report(
                call,
                f"{display(call)} leaves the read timeout at None, so reads can wait forever; give read a finite value",
            )


_AIOHTTP_SESSION = frozenset({"aiohttp.ClientSession", "aiohttp.client.ClientSession"})
_AIOHTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "ws_connect"})
_AIOHTTP_TIMEOUT = frozenset({"aiohttp.ClientTimeout", "aiohttp.client.ClientTimeout"})


def _disables_total(value: object) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 0)


class AiohttpTimeoutDisabled(Rule):
    """An aiohttp request or timeout object that disables the total timeout.

    ## What it does
    Checks for `aiohttp.ClientTimeout(...)` with no `total`, `total=None` or
    `total=0`, and for request calls (`session.get(...)`, `aiohttp.request(...)`)
    given `timeout=None` or `timeout=0`, which aiohttp turns into "no timeout".

    ## Why is this bad?
    aiohttp's session default is finite (5 minutes in total); a `ClientTimeout`
    without a total, or a per-request `None`, removes that bound, and a stalled
    upstream then holds the coroutine and its connection forever.
    `ClientSession(timeout=None)` is not a problem: aiohttp substitutes its default.

    ## Example
    ```python
    import aiohttp

    timeout = aiohttp.ClientTimeout(connect=5)
    ```

    ## Use instead
    ```python
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=30, connect=5)
    ```
    """

    id = "TMO010"
    name = "aiohttp-timeout-disabled"
    summary = "aiohttp timeout is disabled"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("aiohttp", "ClientTimeout")
    references = ("https://docs.aiohttp.org/en/stable/client_quickstart.html#timeouts",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        for call in file.calls:
            if matching(call, _AIOHTTP_TIMEOUT) is not None:
                if call.star_kwargs or call.star_args_at is not None:
                    continue
                total = call.argument("total", 0)
                if total is MISSING:
                    ctx.report(
                        call,
                        f"{display(call)} sets no total, so aiohttp puts no bound on the request; pass total=seconds",
                    )
                elif _disables_total(literal(total)) and literal(total) is not NOT_LITERAL:
                    ctx.report(
                        call, f"{display(call)} disables the total timeout ({literal(total)!r}); pass total=seconds"
                    )
            elif "aiohttp.request" in call.qualnames or (
                call.method in _AIOHTTP_METHODS
                and call.receiver is not None
                and call.receiver.is_one_of(_AIOHTTP_SESSION)
            ):
                value = call.argument("timeout")
                if value is MISSING or isinstance(value, Unknown):
                    continue
                constant = literal(value)
                if constant is not NOT_LITERAL and _disables_total(constant):
                    ctx.report(
                        call,
                        f"{display(call)} passes timeout={constant!r}, which aiohttp turns into no timeout at all; "
                        "pass aiohttp.ClientTimeout(total=seconds)",
                    )
