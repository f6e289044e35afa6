"""What the timeouts family shares: judging a timeout argument, naming the call, and
the things that bound a call from outside (a green-thread timeout around it, a
process-wide socket default)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Container, Mapping
from typing import Any, ClassVar

from prodready_lint.sdk import (
    MISSING,
    Call,
    CallResult,
    Confidence,
    Context,
    FileKind,
    Missing,
    Origin,
    PythonFile,
    Rule,
    SequenceValue,
    Unknown,
    Value,
    literal,
)

KINDS = frozenset({FileKind.PYTHON})
CWE = (1088,)  # Synchronous Access of Remote Resource without Timeout
CHECKLIST = ("timeouts",)


class Verdict(enum.Enum):
    MISSING = "missing"  # not passed at all
    DISABLED = "disabled"  # passed, and the value means "no timeout" (None, or None inside a tuple)
    UNTIMED = "untimed"  # the API takes no timeout at all
    FINE = "fine"  # a finite value, or something we cannot judge (unknown is not missing)


class _NoParameter:
    def __repr__(self) -> str:
        return "NO_TIMEOUT_PARAMETER"


NO_TIMEOUT_PARAMETER: Any = _NoParameter()
"""In a rule's ``functions`` or ``receivers``: the API has no timeout parameter at all."""

_GREEN_TIMEOUTS = frozenset(
    {"eventlet.Timeout", "eventlet.timeout.Timeout", "gevent.Timeout", "gevent.timeout.Timeout"}
)


def judge(value: Value | Missing, *, tuple_parts: bool = False) -> Verdict:
    """Judge a timeout argument. With ``tuple_parts``, a literal tuple holding ``None``
    (requests' ``(connect, read)`` form) counts as disabled."""
    if value is MISSING or isinstance(value, Missing):
        return Verdict.MISSING
    if isinstance(value, Unknown):
        return Verdict.FINE
    constant = literal(value)
    if constant is None:
        return Verdict.DISABLED
    if tuple_parts and isinstance(value, SequenceValue) and any(literal(item) is None for item in value.items):
        return Verdict.DISABLED  # (connect, read) with either part None, whatever the other is
    return Verdict.FINE


def worst(verdicts: list[Verdict]) -> Verdict:
    """One verdict for a call that may be any of several APIs (an import with a
    fallback, a class chosen at run time): fine if any alternative is, since unknown
    is not missing; otherwise the most telling problem."""
    for verdict in (Verdict.FINE, Verdict.MISSING, Verdict.DISABLED):
        if verdict in verdicts:
            return verdict
    return Verdict.UNTIMED


def matching(call: Call, qualnames: Container[str]) -> str | None:
    """The first of the call's possible callees that is one of ``qualnames``."""
    for name in call.qualnames:
        if name in qualnames:
            return name
    return None


def inside_green_timeout(call: Call) -> bool:
    """Whether the call runs inside ``with eventlet.Timeout(seconds)`` or
    ``with gevent.Timeout(seconds)`` in its function: the green thread is then
    interrupted when the time is up, whatever the client does."""
    for manager in call.context_managers:
        if (
            isinstance(manager, CallResult)
            and matching(manager.call, _GREEN_TIMEOUTS) is not None
            and judge(manager.call.argument("seconds", 0)) is Verdict.FINE
        ):
            return True
    return False


def display(call: Call) -> str:
    """How to name the call in a message: its source callee, or the resolved name, or
    for a method called on a call's result (``requests.Session().get``) both parts."""
    if not call.callee and call.qualname is None and call.method is not None:
        receiver = call.receiver
        if receiver is not None and receiver.kind == "call" and receiver.qualname is not None:
            return f"{receiver.qualname}(...).{call.method}()"
    return f"{call.callee or call.qualname or call.method or 'call'}()"


def traced_confidence(origin: Origin | None) -> Confidence:
    """Findings on a traced object are a little less certain than on a module function."""
    return Confidence.HIGH if origin is None else Confidence.MEDIUM


class CallTimeoutRule(Rule):
    """Base of rules that flag calls missing a timeout argument (not a rule itself).

    Subclasses fill ``functions`` (qualified name -> 0-based position of the timeout
    argument, None when it is keyword-only, or :data:`NO_TIMEOUT_PARAMETER` when the
    API takes none) and ``receivers`` (for methods called on traced objects: (types or
    factories, {method: position})), and describe the library's behaviour for the
    message. A call inside a green-thread timeout is bounded and not reported.
    """

    functions: ClassVar[Mapping[str, Any]] = {}
    receivers: ClassVar[tuple[tuple[frozenset[str], Mapping[str, Any]], ...]] = ()
    keyword: ClassVar[str] = "timeout"
    tuple_parts: ClassVar[bool] = False
    behaviour: ClassVar[str] = "it waits forever by default"
    advice: ClassVar[str] = "pass a finite timeout in seconds"
    untimed: ClassVar[str] = "only a process-wide default can bound it"

    def check(self, file: PythonFile, ctx: Context) -> None:
        exempt = None
        for call in file.calls:
            positions = self.timeout_positions(call)
            if not positions:
                continue
            if exempt is None:
                exempt = self.exemption(file)
            if exempt(call) or inside_green_timeout(call):
                continue
            verdict = self.verdict(call, positions)
            if verdict is not Verdict.FINE:
                ctx.report(call, self.message(call, verdict), confidence=traced_confidence(call.receiver))

    def timeout_positions(self, call: Call) -> list[Any]:
        """Where the call takes its timeout: one position per API it may be (several
        when its callee has alternatives), empty when it is not a target."""
        positions = [self.functions[name] for name in call.qualnames if name in self.functions]
        if positions or call.method is None:
            return positions
        for types, methods in self.receivers:
            if call.method in methods and call.receiver is not None and call.receiver.is_one_of(types):
                return [methods[call.method]]
        return []

    def verdict(self, call: Call, positions: list[Any]) -> Verdict:
        """The call's timeout judged for each API it may be."""
        verdicts = []
        for position in positions:
            if position is NO_TIMEOUT_PARAMETER:
                verdicts.append(Verdict.UNTIMED)
            else:
                value = call.argument(self.keyword, position)
                verdicts.append(judge(value, tuple_parts=self.tuple_parts))
        return worst(verdicts)

    def exemption(self, file: PythonFile) -> Callable[[Call], bool]:
        """A predicate telling whether something else in the file may give a call its
        timeout; computed once per file, and only when the file has a target call."""
        return lambda call: False

    def message(self, call: Call, verdict: Verdict) -> str:
        name = display(call)
        if verdict is Verdict.UNTIMED:
            return f"{name} takes no {self.keyword} at all: {self.untimed}"
        if verdict is Verdict.MISSING:
            return f"{name} has no {self.keyword}: {self.behaviour}; {self.advice}"
        return f"{name} passes {self.keyword}=None, which disables it: {self.behaviour}; {self.advice}"


class SocketDefaultRule(CallTimeoutRule):
    """Base of the rules for clients that fall back to ``socket.getdefaulttimeout()``
    (not a rule itself): a file that sets a finite process-wide default with
    ``socket.setdefaulttimeout()`` gives every one of them a timeout."""

    untimed = (
        "only socket.setdefaulttimeout() bounds it, and the socket default is None, so it can "
        "block forever; set a finite process-wide default first, or use an API that takes a timeout"
    )

    def exemption(self, file: PythonFile) -> Callable[[Call], bool]:
        default_set = any(
            call.qualname == "socket.setdefaulttimeout" and judge(call.argument("timeout", 0)) is Verdict.FINE
            for call in file.calls
        )
        return lambda call: default_set
