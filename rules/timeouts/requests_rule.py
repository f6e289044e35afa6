"""TMO001: requests calls without a timeout."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from prodready_lint.sdk import Attribute as AttributeValue
from prodready_lint.sdk import Call, Confidence, Option, PythonFile, Severity

from ._common import CHECKLIST, CWE, KINDS, CallTimeoutRule, Verdict, display

MODULE_FUNCTIONS = frozenset(
    f"requests.{prefix}{name}"
    for prefix in ("", "api.")
    for name in ("get", "post", "put", "patch", "delete", "head", "options", "request")
)
SESSION_TYPES = frozenset(
    {
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "requests.sessions.session",
        # Well-known subclasses that keep requests' missing default timeout.
        "requests_cache.CachedSession",
        "requests_cache.session.CachedSession",
        "requests_oauthlib.OAuth1Session",
        "requests_oauthlib.OAuth2Session",
        "requests_toolbelt.sessions.BaseUrlSession",
    }
)
SESSION_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "send"})
# Session.request(method, url, params, data, headers, cookies, files, auth, timeout, ...)
_REQUEST_TIMEOUT_POSITION = 8
_PLAIN_ADAPTERS = frozenset({"requests.adapters.HTTPAdapter", "requests.HTTPAdapter"})


def _holder(dotted: str | None) -> str | None:
    """``self.api`` for ``self.api.get``: the source text of the object a method is on."""
    if not dotted or "." not in dotted:
        return None
    return dotted.rsplit(".", 1)[0]


def _called_in(file: PythonFile, function: str) -> bool:
    """Whether the file calls the function (or method) with this qualified name."""
    name = function.rsplit(".", 1)[-1]
    return any(call.callee == name or call.callee.endswith("." + name) for call in file.calls)


def _sessions_given_a_default_timeout(file: PythonFile, session_types: frozenset[str]) -> Callable[[Call], bool]:
    """Which session method calls may get a timeout we cannot see: those on a session
    that mounts a custom adapter, or whose ``request`` is wrapped in
    ``functools.partial(..., timeout=...)``.

    A session kept on ``self`` or in a module global is matched by that name, so other
    sessions of the same class or module are still checked; so is a local session in
    a plain function that set it up and that nothing in the file calls. Otherwise (a
    method may keep the session on ``self``, a function called here may be a factory)
    every session call in the file is given the benefit of the doubt.
    """
    named: set[str] = set()
    local: set[tuple[str, str]] = set()
    anywhere = False
    for call in file.calls:
        if call.method == "mount" and call.receiver is not None and call.receiver.is_one_of(session_types):
            adapter = call.argument("adapter", 1)
            made_by = getattr(getattr(adapter, "call", None), "qualname", None)
            if made_by in _PLAIN_ADAPTERS:
                continue
            holder = _holder(call.callee)
        elif call.qualname == "functools.partial" and call.args:
            target = call.args[0]
            if not (
                isinstance(target, AttributeValue)
                and target.attr in SESSION_METHODS
                and target.origin is not None
                and target.origin.is_one_of(session_types)
                and call.keyword("timeout") is not None
            ):
                continue
            holder = _holder(target.dotted)
        else:
            continue
        if holder is not None and (holder.startswith(("self.", "cls.")) or call.function == "<module>"):
            named.add(holder)
        elif holder is not None and "." not in call.function and not _called_in(file, call.function):
            local.add((call.function, holder))
        else:
            anywhere = True

    def covered(call: Call) -> bool:
        if call.receiver is None:
            return False
        holder = _holder(call.callee)
        return anywhere or holder in named or (call.function, holder) in local

    return covered


class RequestsWithoutTimeout(CallTimeoutRule):
    """A `requests` call that can wait forever for a response.

    ## What it does
    Checks for calls to `requests` functions and `requests.Session` methods (including
    sessions kept on `self`, in module globals or opened in `with`, and the sessions of
    requests-cache, requests-oauthlib and requests-toolbelt, which subclass it) that pass no
    `timeout`, or pass `timeout=None` or a `(connect, read)` tuple holding `None`.

    ## Why is this bad?
    `requests` has no default timeout: without one, a call to a server that accepts the
    connection but never answers blocks the calling thread forever. In a service, a few
    such calls exhaust the worker pool and the whole service stops answering.

    ## Example
    ```python
    import requests

    def fetch_profile(user_id):
        return requests.get(f"https://profiles.internal/users/{user_id}")
    ```

    ## Use instead
    ```python
    import requests

    def fetch_profile(user_id):
        return requests.get(f"https://profiles.internal/users/{user_id}", timeout=(3.05, 10))
    ```

    ## Notes
    A timeout hidden in `**kwargs`, a session with a custom transport adapter mounted,
    or a `Session` subclass cannot be seen and is not reported: unknown is not missing.
    A `**mapping` the file builds itself (a dict display, or a function of the file
    that returns one) is seen, and so is a `functools.partial` of a requests function.
    A call inside `with eventlet.Timeout(seconds)` or `with gevent.Timeout(seconds)` is
    bounded by it and not reported. Functions of your own that return sessions can be
    declared with the `session-factories` option.
    """

    id = "TMO001"
    name = "requests-without-timeout"
    summary = "HTTP call with requests has no timeout"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("requests",)
    options = (
        Option(
            "session-factories",
            "list[str]",
            (),
            "Qualified names of functions or classes of your own that return a requests.Session "
            "(e.g. 'myapp.http.make_session'); method calls on their results are checked too.",
        ),
    )
    references = (
        "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",
        "https://cwe.mitre.org/data/definitions/1088.html",
    )

    functions = dict.fromkeys(MODULE_FUNCTIONS)  # module functions take timeout by keyword only
    tuple_parts = True

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.session_types = SESSION_TYPES | frozenset(self.settings["session-factories"])
        methods = {name: _REQUEST_TIMEOUT_POSITION if name == "request" else None for name in SESSION_METHODS}
        self.receivers = ((self.session_types, methods),)

    def exemption(self, file: PythonFile) -> Callable[[Call], bool]:
        return _sessions_given_a_default_timeout(file, self.session_types)

    def message(self, call: Call, verdict: Verdict) -> str:
        name = display(call)
        what = " (a requests Session)" if call.receiver is not None and "(...)" not in name else ""
        if verdict is Verdict.MISSING:
            return (
                f"{name}{what} has no timeout: requests waits for the server forever by default; "
                "pass timeout=(connect, read) in seconds"
            )
        return (
            f"{name}{what} disables its timeout with None: requests then waits for the server forever; "
            "pass finite connect and read timeouts"
        )
