"""What the timeouts family shares: judging a timeout argument and naming the call."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import ClassVar

from prodready_lint.sdk import (
    MISSING,
    Call,
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
    FINE = "fine"  # a finite value, or something we cannot judge (unknown is not missing)


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
    argument, or None when it is keyword-only) and ``receivers`` (for methods called on
    traced objects: (types or factories, {method: position})), and describe the
    library's behaviour for the message.
    """

    functions: ClassVar[Mapping[str, int | None]] = {}
    receivers: ClassVar[tuple[tuple[frozenset[str], Mapping[str, int | None]], ...]] = ()
    keyword: ClassVar[str] = "timeout"
    tuple_parts: ClassVar[bool] = False
    behaviour: ClassVar[str] = "it waits forever by default"
    advice: ClassVar[str] = "pass a finite timeout in seconds"

    def check(self, file: PythonFile, ctx: Context) -> None:
        exempt = None
        for call in file.calls:
            position = self.timeout_position(call)
            if position is _NOT_TARGET:
                continue
            if exempt is None:
                exempt = self.exemption(file)
            if exempt(call):
                continue
            verdict = judge(call.argument(self.keyword, position), tuple_parts=self.tuple_parts)  # type: ignore[arg-type]
            if verdict is not Verdict.FINE:
                ctx.report(call, self.message(call, verdict), confidence=traced_confidence(call.receiver))

    def timeout_position(self, call: Call) -> int | object | None:
        if call.qualname is not None:
            return self.functions.get(call.qualname, _NOT_TARGET)
        if call.method is not None:
            for types, methods in self.receivers:
                if call.method in methods and call.receiver is not None and call.receiver.is_one_of(types):
                    return methods[call.method]
        return _NOT_TARGET

    def exemption(self, file: PythonFile) -> Callable[[Call], bool]:
        """A predicate telling whether something else in the file may give a call its
        timeout; computed once per file, and only when the file has a target call."""
        return lambda call: False

    def message(self, call: Call, verdict: Verdict) -> str:
        name = display(call)
        if verdict is Verdict.MISSING:
            return f"{name} has no {self.keyword}: {self.behaviour}; {self.advice}"
        return f"{name} passes {self.keyword}=None, which disables it: {self.behaviour}; {self.advice}"


_NOT_TARGET = object()
