"""Facts about a Python file, computed once by the engine and shared by every rule.

Rules read these instead of walking a syntax tree themselves: imports resolved to
qualified names, every call with its callee resolved through imports and aliases, the
object a method is called on traced back to where it was made, argument values
summarised (literals, names bound to constants, tuples, f-strings, ...), every
assignment, and the functions and classes a module defines.

A name can have several qualified names: an import with a fallback (``try: import
ujson as json`` / ``except ImportError: import json``), one in each branch of an ``if``,
or a class chosen by a conditional expression. ``qualname`` is set only when one is
certain; ``qualnames`` lists every alternative, so a rule that looks for a function
sees it whichever import wins.

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
    "Assignment",
    "Attribute",
    "BinOp",
    "Call",
    "CallResult",
    "ClassDef",
    "Const",
    "FString",
    "FunctionDef",
    "MappingValue",
    "Missing",
    "Name",
    "Origin",
    "Parameter",
    "SequenceValue",
    "Target",
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


def _own_qualname(fact: Any) -> tuple[str, ...]:
    """The default ``qualnames`` of a fact: its certain ``qualname``, if any."""
    return (fact.qualname,) if fact.qualname is not None else ()


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

    ``qualnames`` holds every type or callee the object may come from: just
    ``qualname`` when that is certain, or the alternatives when the callee has several
    (``http.Session()`` after ``try: import advocate as http`` / ``except ImportError:
    import requests as http``; ``cls(host)`` after ``cls = SMTP_SSL if tls else SMTP``).
    ``call`` is the call that made the object (``kind="call"`` only), when exactly one
    call can have: a rule can read the arguments the object was made with. It takes no
    part in comparisons.
    """

    kind: str
    qualname: str | None = None
    receiver: Origin | None = None
    method: str | None = None
    qualnames: tuple[str, ...] = attrs.field(default=attrs.Factory(_own_qualname, takes_self=True))
    call: Call | None = attrs.field(default=None, eq=False, repr=False)

    def is_one_of(self, qualnames: Any) -> bool:
        """True when the object was made by, or declared as, one of ``qualnames``
        (any of its alternatives counts)."""
        return any(name in qualnames for name in self.qualnames)


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

    ``qualname`` is set when the name resolves to an import or builtin, ``qualnames``
    lists every alternative (see the module docstring); ``origin`` when it holds a
    traced object; ``bound`` when it is bound exactly once to a literal-like value
    (``TIMEOUT = None`` makes ``bound`` a ``Const(None)``).
    """

    id: str
    qualname: str | None = None
    origin: Origin | None = None
    bound: Value | None = None
    qualnames: tuple[str, ...] = attrs.field(default=attrs.Factory(_own_qualname, takes_self=True))


@attrs.frozen(slots=True)
class Attribute(Value):
    """An attribute access such as ``settings.TIMEOUT`` or ``self.timeout``.

    ``dotted`` is the source text when the expression is a plain dotted chain; ``qualname``
    when it resolves through imports; ``qualnames``, ``origin`` and ``bound`` as for
    :class:`Name`.
    """

    dotted: str | None
    attr: str
    qualname: str | None = None
    origin: Origin | None = None
    bound: Value | None = None
    qualnames: tuple[str, ...] = attrs.field(default=attrs.Factory(_own_qualname, takes_self=True))


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
    (``from requests import get as g; g()`` gives ``requests.get``) when that is certain;
    ``qualnames`` lists every function the callee may be: each alternative of an import
    with a fallback, each option of a conditional expression, and the function a
    ``functools.partial`` wraps when the callee is a name bound once to one (``partial``
    is then that partial's call, and :meth:`argument` sees the arguments it binds).
    For method calls, ``method`` is the attribute name and ``receiver`` the traced origin
    of the object; a name bound once to a method (``post = session.post; post(url)``)
    counts as that method call. ``function`` is the qualified name of the enclosing
    function or ``"<module>"``.

    ``star_kwargs`` tells whether the call spreads ``**mappings``; ``unpacked_keywords``
    holds the keywords those mappings carry when every one of them is known (a dict
    display, ``dict(...)``, a name bound once to one and not changed elsewhere except by
    constant keys, or a function of this file that returns one), and ``None`` otherwise.
    ``context_managers`` are the context managers of the ``with`` statements around the
    call in the same function body, innermost first.

    A call is immutable. The engine computes ``receiver``, ``args``, ``keywords``,
    ``unpacked_keywords`` and ``context_managers`` on first access, so filter on
    ``qualname``/``qualnames`` and ``method`` first: most calls in a file are never
    looked at closely.
    """

    __slots__ = (
        "_args",
        "_context_managers",
        "_keywords",
        "_receiver",
        "_resolve",
        "_unpacked_keywords",
        "callee",
        "function",
        "method",
        "partial",
        "qualname",
        "qualnames",
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
        qualnames: tuple[str, ...] | None = None,
        partial: Call | None = None,
        unpacked_keywords: tuple[tuple[str, Value], ...] | None = _UNSET,
        context_managers: tuple[Value, ...] = _UNSET,
    ) -> None:
        self.span = span
        self.callee = callee
        self.qualname = qualname
        self.qualnames = qualnames if qualnames is not None else ((qualname,) if qualname is not None else ())
        self.method = method
        self.star_args_at = star_args_at
        self.star_kwargs = star_kwargs
        self.function = function
        self.partial = partial
        self._resolve = resolve  # engine hook: fills the lazy parts on first access
        lazy = resolve is not None
        self._receiver = None if receiver is _UNSET and not lazy else receiver
        self._args = () if args is _UNSET and not lazy else args
        self._keywords = () if keywords is _UNSET and not lazy else keywords
        no_spread = () if not star_kwargs else None
        self._unpacked_keywords = no_spread if unpacked_keywords is _UNSET and not lazy else unpacked_keywords
        self._context_managers = () if context_managers is _UNSET and not lazy else context_managers

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

    @property
    def unpacked_keywords(self) -> tuple[tuple[str, Value], ...] | None:
        if self._unpacked_keywords is _UNSET:
            self._unpacked_keywords = self._resolve.unpacked_keywords(self)
        return self._unpacked_keywords

    @property
    def context_managers(self) -> tuple[Value, ...]:
        if self._context_managers is _UNSET:
            self._context_managers = self._resolve.context_managers(self)
        return self._context_managers

    def __repr__(self) -> str:
        return f"<Call {self.callee or self.qualname or '?'}() at {self.span.line}:{self.span.column}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Call):
            return NotImplemented
        return (self.span, self.callee, self.qualname, self.qualnames, self.method) == (
            other.span,
            other.callee,
            other.qualname,
            other.qualnames,
            other.method,
        ) and (
            self.receiver,
            self.args,
            self.keywords,
            self.star_args_at,
            self.star_kwargs,
            self.function,
            self.partial,
            self.unpacked_keywords,
            self.context_managers,
        ) == (
            other.receiver,
            other.args,
            other.keywords,
            other.star_args_at,
            other.star_kwargs,
            other.function,
            other.partial,
            other.unpacked_keywords,
            other.context_managers,
        )

    def __hash__(self) -> int:
        return hash((self.span, self.callee, self.qualname, self.method))

    @property
    def keyword_map(self) -> Mapping[str, Value]:
        return dict(self.keywords)

    def keyword(self, name: str) -> Value | None:
        """The value passed as keyword ``name`` in the call's own source, if any."""
        for key, value in self.keywords:
            if key == name:
                return value
        return None

    def argument(self, name: str, position: int | None = None) -> Value | Missing:
        """Find an argument given by keyword ``name`` or, when the API takes it
        positionally, at 0-based ``position`` (not counting ``self``).

        Keywords spread from known mappings count, and so do the arguments a
        ``functools.partial`` callee binds (the call's own arguments win, as at run
        time). Returns :data:`MISSING` when it is certainly absent, and an
        :class:`Unknown` when ``*args`` or a ``**mapping`` that cannot be seen may carry
        it (unknown is not missing).
        """
        unseen: Unknown | None = None
        for layer in (self, self.partial) if self.partial is not None else (self,):
            value = layer.keyword(name)
            if value is not None:
                return value
            spread = layer._spread_keyword(name)
            if isinstance(spread, Unknown):
                unseen = spread  # it may override whatever comes below
                break
            if spread is not MISSING:
                return spread
        if position is not None:
            value = self._positional(position)
            if value is not MISSING:
                return value
        return unseen if unseen is not None else MISSING

    def _spread_keyword(self, name: str) -> Value | Missing:
        """What the call's ``**mappings`` pass as ``name``."""
        if not self.star_kwargs:
            return MISSING
        unpacked = self.unpacked_keywords
        if unpacked is None:
            return Unknown("**kwargs")
        for key, value in unpacked:
            if key == name:
                return value
        return MISSING

    def _positional(self, position: int) -> Value | Missing:
        """The argument at ``position``, after any a ``functools.partial`` callee binds."""
        bound: tuple[Value, ...] = ()
        if self.partial is not None:
            star = self.partial.star_args_at
            if star is not None and position >= star - 1:
                return Unknown("*args")
            bound = self.partial.args[1:]
            if position < len(bound):
                return bound[position]
        position -= len(bound)
        if self.star_args_at is not None and position >= self.star_args_at:
            return Unknown("*args")
        if position < len(self.args):
            return self.args[position]
        return MISSING


@attrs.frozen(slots=True)
class Parameter:
    """A parameter of a function.

    ``kind`` is ``"positional-only"``, ``"positional"``, ``"vararg"`` (``*args``),
    ``"keyword-only"`` or ``"kwarg"`` (``**kwargs``). ``default`` and ``annotation`` are
    values (resolved in the scope around the function, where Python evaluates them), or
    ``None`` when absent. ``span`` covers the name and its annotation.
    """

    name: str
    kind: str
    default: Value | None
    annotation: Value | None
    span: Span


@attrs.frozen(slots=True)
class FunctionDef:
    """A function or method definition with its decorators (as values) and span.

    ``params`` are the parameter names and ``parameters`` the parameters themselves,
    both in signature order (positional-only, positional, ``*args``, keyword-only,
    ``**kwargs``).
    """

    name: str
    qualname: str
    span: Span
    is_async: bool
    decorators: tuple[Value, ...]
    params: tuple[str, ...]
    parameters: tuple[Parameter, ...] = ()


@attrs.frozen(slots=True)
class ClassDef:
    """A class definition.

    ``bases`` are values, so a base imported from elsewhere carries its qualified name
    (``class Client(requests.Session)`` gives a base whose ``qualname`` is
    ``requests.Session``); ``keywords`` are the class keywords (``metaclass=ABCMeta``)
    and ``decorators`` the decorators, as values. ``span`` starts at ``class``.
    """

    name: str
    qualname: str
    span: Span
    bases: tuple[Value, ...]
    keywords: tuple[tuple[str, Value], ...]
    decorators: tuple[Value, ...]


@attrs.frozen(slots=True)
class Target:
    """What an assignment writes to.

    * ``kind="name"``: a name; ``name`` is it.
    * ``kind="attribute"``: ``base.name`` (``self.password``, ``settings.DEBUG``).
    * ``kind="subscript"``: ``base[key]`` (``app.config["DEBUG"]``, ``os.environ["X"]``);
      ``key`` is the index as a Python value when it is a literal (or a name bound to
      one), :data:`NOT_LITERAL` otherwise; ``name`` is ``None``.

    ``base`` is the object's dotted source text, ``None`` when it is not a plain dotted
    chain (``get_config()["X"]``); ``base_qualname`` is the base resolved through
    imports when that is certain (``os.environ``, ``django.conf.settings``).
    """

    kind: str
    span: Span
    name: str | None = None
    base: str | None = None
    key: Any = None
    base_qualname: str | None = None

    @property
    def text(self) -> str | None:
        """The target as source-like text: ``x``, ``self.password``, ``os.environ['X']``;
        ``None`` when the base is not a dotted chain or the key not a literal."""
        if self.kind == "name":
            return self.name
        if self.base is None:
            return None
        if self.kind == "attribute":
            return f"{self.base}.{self.name}"
        return None if self.key is NOT_LITERAL else f"{self.base}[{self.key!r}]"


class Assignment:
    """One assignment: ``target`` gets ``value``.

    Covered: plain (``x = v``), chained (``a = b = v``: one assignment per target),
    unpacking (``a, b = 1, 2`` pairs items when the value is a tuple or list display of
    the same length; otherwise each target gets an ``Unknown("unpacking")``), annotated
    (``x: str = "v"``; a bare annotation assigns nothing), augmented (``q += v``: the
    value is the right-hand side), the walrus (``(n := v)``), ``setattr(obj, "NAME",
    v)`` with a constant name (an attribute target), and mapping writes through calls
    on ``os.environ`` and on ``.config`` objects (Flask's ``app.config``):
    ``.update(KEY=v)``, ``.update({"KEY": v})``, ``.setdefault("KEY", v)`` and Flask's
    ``.from_mapping(...)`` (subscript targets). ``for``/``with``/``except`` targets,
    imports, ``def`` and ``del`` are not assignments here.

    ``op`` is ``"="``, an augmented operator (``"+="``...), ``":"`` for an annotated
    assignment or ``":="``; ``annotation`` the declared type as a value (or ``None``).
    ``call`` is the call that performs the assignment (``setattr``, ``update``...), or
    ``None`` for assignment syntax. ``span`` covers the whole statement (the call, the
    walrus expression), ``value_span`` the value (the matching item when unpacking).

    ``scope`` is where the assignment runs (``"module"``, ``"class"`` or
    ``"function"``; a lambda counts as a function and a comprehension as the scope
    around it) and ``scope_name`` that scope's qualified name (``"<module>"``, the class
    qualname, the function qualname); ``function`` is the enclosing function as in
    :attr:`Call.function`. Assignments are listed in the order the code runs when read
    straight through (a walrus inside a value comes before the assignment of that
    value), so a later analysis can replay them per function. A name declared
    ``global`` or ``nonlocal`` is still reported in the scope it is written in.

    ``value`` and ``annotation`` are computed on first access.
    """

    __slots__ = (
        "_annotation",
        "_resolve",
        "_value",
        "call",
        "function",
        "op",
        "scope",
        "scope_name",
        "span",
        "target",
        "value_span",
    )

    def __init__(
        self,
        target: Target,
        op: str,
        span: Span,
        value_span: Span,
        scope: str,
        scope_name: str,
        function: str,
        value: Value = _UNSET,
        annotation: Value | None = None,
        call: Call | None = None,
        resolve: Any = None,
    ) -> None:
        self.target = target
        self.op = op
        self.span = span
        self.value_span = value_span
        self.scope = scope
        self.scope_name = scope_name
        self.function = function
        self.call = call
        self._resolve = resolve  # engine hook: fills the lazy parts on first access
        self._value = Unknown("expression") if value is _UNSET and resolve is None else value
        self._annotation = annotation if resolve is None else _UNSET

    @property
    def value(self) -> Value:
        if self._value is _UNSET:
            self._value = self._resolve.value(self)
        return self._value

    @property
    def annotation(self) -> Value | None:
        if self._annotation is _UNSET:
            self._annotation = self._resolve.annotation(self)
        return self._annotation

    def _key(self) -> tuple:
        return (
            self.target,
            self.op,
            self.span,
            self.value_span,
            self.scope,
            self.scope_name,
            self.function,
            self.value,
            self.annotation,
            self.call,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Assignment):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.target, self.op, self.span))

    def __repr__(self) -> str:
        return f"<Assignment {self.target.text or self.target.kind} {self.op} at {self.span.line}:{self.span.column}>"


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
