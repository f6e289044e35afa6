"""Facts about a Python file, computed once by the engine and shared by every rule.

Rules read these instead of walking a syntax tree themselves: imports resolved to
qualified names, every call with its callee resolved through imports and aliases, the
object a method is called on traced back to where it was made, and argument values
summarised (literals, names bound to constants, tuples, f-strings, ...).

The facts are the same whichever parser produced them (``ast`` for code the running
interpreter understands, LibCST for newer syntax), so rules never depend on that choice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from .model import Span

__all__ = [
    "MISSING",
    "NOT_LITERAL",
    "Attribute",
    "BinOp",
    "Call",
    "CallResult",
    "Const",
    "FString",
    "FunctionDef",
    "MappingValue",
    "Missing",
    "Name",
    "Origin",
    "SequenceValue",
    "Unknown",
    "Value",
    "literal",
    "string_fragments",
]


class _NotLiteral:
    """Marker returned by :func:`literal` for values that are not compile-time literals."""

    _instance: _NotLiteral | None = None

    def __new__(cls) -> _NotLiteral:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_LITERAL"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "NOT_LITERAL"


NOT_LITERAL: Any = _NotLiteral()


@attrs.frozen(slots=True)
class Origin:
    """Where an object came from, as far as one file can tell.

    * ``kind="call"``: the object is what a call returned. ``qualname`` names the callee
      when it resolves through imports (``requests.Session``); for a method called on
      another traced object, ``receiver`` is that object's origin and ``method`` the name
      (``conn.cursor()`` gives ``Origin("call", None, receiver=<conn>, method="cursor")``).
    * ``kind="annotation"``: the object was declared with a type (a parameter
      ``session: requests.Session``, a class attribute annotation); ``qualname`` is the type.
    * ``kind="attribute"``: an attribute of another traced object: ``receiver`` is that
      object's origin and ``method`` the attribute name (``stub.GetUser`` in
      ``stub.GetUser.future(request)``).

    ``with X() as y`` gives ``y`` the origin of ``X()``; a local factory function whose
    every ``return`` gives the same origin passes that origin on to its callers.
    """

    kind: str
    qualname: str | None = None
    receiver: Origin | None = None
    method: str | None = None

    def is_one_of(self, qualnames: Any) -> bool:
        """True when the object was made by, or declared as, one of ``qualnames``."""
        return self.qualname is not None and self.qualname in qualnames


class Value:
    """A summary of an expression: what a rule can know about a value without running it."""

    __slots__ = ()


@attrs.frozen(slots=True)
class Const(Value):
    """A literal: str, bytes, int, float, complex, bool, None or Ellipsis."""

    value: Any


@attrs.frozen(slots=True)
class Name(Value):
    """A bare name.

    ``qualname`` is set when the name resolves to an import or builtin; ``origin`` when it
    holds a traced object; ``bound`` when it is bound exactly once to a literal-like value
    (``TIMEOUT = None`` makes ``bound`` a ``Const(None)``).
    """

    id: str
    qualname: str | None = None
    origin: Origin | None = None
    bound: Value | None = None


@attrs.frozen(slots=True)
class Attribute(Value):
    """An attribute access such as ``settings.TIMEOUT`` or ``self.timeout``.

    ``dotted`` is the source text when the expression is a plain dotted chain; ``qualname``
    when it resolves through imports; ``origin`` and ``bound`` as for :class:`Name`.
    """

    dotted: str | None
    attr: str
    qualname: str | None = None
    origin: Origin | None = None
    bound: Value | None = None


@attrs.frozen(slots=True)
class CallResult(Value):
    """The value returned by a call; ``call`` is the full call fact."""

    call: Call


@attrs.frozen(slots=True)
class SequenceValue(Value):
    """A tuple, list or set display; ``kind`` is ``"tuple"``, ``"list"`` or ``"set"``."""

    kind: str
    items: tuple[Value, ...]


@attrs.frozen(slots=True)
class MappingValue(Value):
    """A dict display; a ``None`` key stands for a ``**spread``."""

    keys: tuple[Value | None, ...]
    values: tuple[Value, ...]


@attrs.frozen(slots=True)
class FString(Value):
    """An f-string: literal parts as :class:`Const`, formatted fields as other values."""

    parts: tuple[Value, ...]


@attrs.frozen(slots=True)
class BinOp(Value):
    """A binary operation such as ``"a" + b`` or ``"%s" % x``; ``op`` is the operator text."""

    op: str
    left: Value
    right: Value


@attrs.frozen(slots=True)
class Unknown(Value):
    """Anything else, or an argument that may be present but cannot be seen.

    ``kind`` says what it is: ``"**kwargs"`` and ``"*args"`` for arguments that may come
    from an unpacked mapping or sequence, or the syntax kind (``"subscript"``, ``"ifexp"``...).
    """

    kind: str


@attrs.frozen(slots=True)
class Missing:
    """Returned by :meth:`Call.argument` when an argument is certainly not passed."""

    def __bool__(self) -> bool:
        return False


MISSING = Missing()


_UNSET: Any = object()


class Call:
    """One call expression.

    ``span`` covers the whole call; its start is the call's first line and column.
    ``callee`` is the callee's dotted source text (``self.session.get``), empty when the
    callee is not a dotted name. ``qualname`` is the callee resolved through imports
    (``from requests import get as g; g()`` gives ``requests.get``). For method calls,
    ``method`` is the attribute name and ``receiver`` the traced origin of the object;
    a name bound once to a method (``post = session.post; post(url)``) counts as that
    method call. ``function`` is the qualified name of the enclosing function or ``"<module>"``.

    A call is immutable. The engine computes ``receiver``, ``args`` and ``keywords`` on
    first access, so filter on ``qualname`` and ``method`` first: most calls in a file
    are never looked at closely.
    """

    __slots__ = (
        "_args",
        "_keywords",
        "_receiver",
        "_resolve",
        "callee",
        "function",
        "method",
        "qualname",
        "span",
        "star_args_at",
        "star_kwargs",
    )

    def __init__(
        self,
        span: Span,
        callee: str,
        qualname: str | None,
        method: str | None,
        receiver: Origin | None = _UNSET,
        args: tuple[Value, ...] = _UNSET,
        keywords: tuple[tuple[str, Value], ...] = _UNSET,
        star_args_at: int | None = None,
        star_kwargs: bool = False,
        function: str = "<module>",
        resolve: Any = None,
    ) -> None:
        self.span = span
        self.callee = callee
        self.qualname = qualname
        self.method = method
        self.star_args_at = star_args_at
        self.star_kwargs = star_kwargs
        self.function = function
        self._resolve = resolve  # engine hook: fills the lazy parts on first access
        self._receiver = None if receiver is _UNSET and resolve is None else receiver
        self._args = () if args is _UNSET and resolve is None else args
        self._keywords = () if keywords is _UNSET and resolve is None else keywords

    @property
    def receiver(self) -> Origin | None:
        if self._receiver is _UNSET:
            self._receiver = self._resolve.receiver(self)
        return self._receiver

    @property
    def args(self) -> tuple[Value, ...]:
        if self._args is _UNSET:
            self._args = self._resolve.args(self)
        return self._args

    @property
    def keywords(self) -> tuple[tuple[str, Value], ...]:
        if self._keywords is _UNSET:
            self._keywords = self._resolve.keywords(self)
        return self._keywords

    def __repr__(self) -> str:
        return f"<Call {self.callee or self.qualname or '?'}() at {self.span.line}:{self.span.column}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Call):
            return NotImplemented
        return (self.span, self.callee, self.qualname, self.method) == (
            other.span,
            other.callee,
            other.qualname,
            other.method,
        ) and (
            self.receiver,
            self.args,
            self.keywords,
            self.star_args_at,
            self.star_kwargs,
            self.function,
        ) == (other.receiver, other.args, other.keywords, other.star_args_at, other.star_kwargs, other.function)

    def __hash__(self) -> int:
        return hash((self.span, self.callee, self.qualname, self.method))

    @property
    def keyword_map(self) -> Mapping[str, Value]:
        return dict(self.keywords)

    def keyword(self, name: str) -> Value | None:
        for key, value in self.keywords:
            if key == name:
                return value
        return None

    def argument(self, name: str, position: int | None = None) -> Value | Missing:
        """Find an argument given by keyword ``name`` or, when the API takes it
        positionally, at 0-based ``position`` (not counting ``self``).

        Returns :data:`MISSING` when it is certainly absent, and an :class:`Unknown` when
        ``*args`` or ``**kwargs`` may carry it (unknown is not missing).
        """
        value = self.keyword(name)
        if value is not None:
            return value
        if position is not None:
            if self.star_args_at is not None and position >= self.star_args_at:
                return Unknown("*args")
            if position < len(self.args):
                return self.args[position]
        if self.star_kwargs:
            return Unknown("**kwargs")
        return MISSING


@attrs.frozen(slots=True)
class FunctionDef:
    """A function or method definition with its decorators (as values) and span."""

    name: str
    qualname: str
    span: Span
    is_async: bool
    decorators: tuple[Value, ...]
    params: tuple[str, ...]


def literal(value: Value | Missing | None) -> Any:
    """The Python value of a literal-like :class:`Value`, following names bound to
    constants; :data:`NOT_LITERAL` when it is not a literal."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, (Name, Attribute)) and value.bound is not None:
        return literal(value.bound)
    if isinstance(value, SequenceValue):
        items = tuple(literal(item) for item in value.items)
        if any(item is NOT_LITERAL for item in items):
            return NOT_LITERAL
        return items if value.kind == "tuple" else list(items) if value.kind == "list" else frozenset(items)
    return NOT_LITERAL


def string_fragments(value: Value | Missing | None) -> Iterator[str]:
    """Every literal string piece a value is built from (constants, f-string parts,
    ``+`` and ``%`` operands), following names bound to constants."""
    if isinstance(value, Const):
        if isinstance(value.value, str):
            yield value.value
    elif isinstance(value, (Name, Attribute)) and value.bound is not None:
        yield from string_fragments(value.bound)
    elif isinstance(value, FString):
        for part in value.parts:
            yield from string_fragments(part)
    elif isinstance(value, BinOp):
        yield from string_fragments(value.left)
        yield from string_fragments(value.right)
