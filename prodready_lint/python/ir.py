"""A small parser-neutral form of a Python module, just rich enough to compute facts.

Both front ends (``ast`` and LibCST) lower a module into these objects: scopes with the
names they bind, every call with its raw callee and arguments, every assignment, returns
and yields. The resolver then turns them into the public facts. Keeping the front ends
this thin means rules and the resolver never care which parser ran.

Positions that only some facts need (an assignment's parts, a parameter) stay as the
front end's own locators (the raw position of an ``ast`` node, a LibCST node), turned
into spans by ``Lowered.span_of`` only when a rule asks.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from types import MappingProxyType
from typing import Any


class RExpr:
    __slots__ = ()


class RConst(RExpr):
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class RName(RExpr):
    __slots__ = ("id",)

    def __init__(self, id: str) -> None:
        self.id = id


class Names(dict):
    """One RName per name in a module: names are the commonest expression, and sharing
    them spares the allocations (and the garbage collector's work) on the hot path."""

    def __missing__(self, id: str) -> RName:
        name = self[id] = RName(id)
        return name


class RAttr(RExpr):
    __slots__ = ("attr", "value")

    def __init__(self, value: RExpr, attr: str) -> None:
        self.value = value
        self.attr = attr


class RCall(RExpr):
    __slots__ = ("call",)

    def __init__(self, call: RawCall) -> None:
        self.call = call


class RSeq(RExpr):
    __slots__ = ("items", "kind")

    def __init__(self, kind: str, items: list[RExpr]) -> None:
        self.kind = kind
        self.items = items


class RDict(RExpr):
    __slots__ = ("keys", "values")

    def __init__(self, keys: list[RExpr | None], values: list[RExpr]) -> None:
        self.keys = keys
        self.values = values


class RFStr(RExpr):
    __slots__ = ("parts",)

    def __init__(self, parts: list[RExpr]) -> None:
        self.parts = parts


class RBin(RExpr):
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: RExpr, right: RExpr) -> None:
        self.op = op
        self.left = left
        self.right = right


class RAlt(RExpr):
    """One of several values (``a or b``, ``x if c else y``)."""

    __slots__ = ("options",)

    def __init__(self, options: list[RExpr]) -> None:
        self.options = options


class RSub(RExpr):
    __slots__ = ("index", "value")

    def __init__(self, value: RExpr, index: RExpr) -> None:
        self.value = value
        self.index = index


class RUnknown(RExpr):
    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind


NONE = RConst(None)
_NOTHING: frozenset[str] = frozenset()
_NO_VALUES: tuple[RExpr, ...] = ()
_NO_ATTRS: Mapping[str, list[Binding]] = MappingProxyType({})
UNPACKED = RUnknown("unpacking")  # the value of a target in ``a, *b = f()``
STATIC_METHOD = frozenset({"staticmethod"})  # a method without self


class Binding:
    """One way a name (or ``self.attr``) gets a value.

    kind: ``value`` (assignment; ``expr`` is the value, ``annotation`` optional),
    ``annotation`` (declared type only), ``param`` (``annotation`` may be set),
    ``import`` (``qualname``), ``def`` / ``class`` (``scope``), ``with`` (``expr`` is the
    context manager), ``unknown``.
    """

    __slots__ = ("annotation", "expr", "kind", "qualname", "scope", "where")

    def __init__(
        self,
        kind: str,
        where: Scope,
        expr: RExpr | None = None,
        annotation: RExpr | None = None,
        qualname: str | None = None,
        scope: Scope | None = None,
    ) -> None:
        self.kind = kind
        self.where = where  # the scope the binding's expression is evaluated in
        self.expr = expr
        self.annotation = annotation
        self.qualname = qualname
        self.scope = scope


class RawParam:
    """A parameter of a function: ``kind`` is ``positional-only``, ``positional``,
    ``vararg``, ``keyword-only`` or ``kwarg``; ``node`` locates its name and annotation."""

    __slots__ = ("annotation", "default", "kind", "name", "node")

    def __init__(self, name: str, kind: str, default: RExpr | None, annotation: RExpr | None, node: Any) -> None:
        self.name = name
        self.kind = kind
        self.default = default
        self.annotation = annotation
        self.node = node


class Scope:
    __slots__ = (
        "bases",
        "bindings",
        "declared_global",
        "declared_nonlocal",
        "decorators",
        "is_async",
        "keywords",
        "kind",
        "name",
        "parameters",
        "params",
        "parent",
        "qualname",
        "returns",
        "self_attrs",
        "self_name",
        "span",
        "yields",
    )

    def __init__(self, kind: str, name: str, parent: Scope | None) -> None:
        self.kind = kind  # module | class | function | lambda | comprehension
        self.name = name
        self.parent = parent
        if parent is None or parent.kind == "module":
            self.qualname = name
        elif parent.kind == "function":
            self.qualname = f"{parent.qualname}.<locals>.{name}"
        else:
            self.qualname = f"{parent.qualname}.{name}"
        # Containers only the scopes that use them get: comprehensions and lambdas are
        # many, and every object the lowering keeps is work for the garbage collector.
        function = kind == "function"
        self.bindings: dict[str, list[Binding]] = {}
        self.declared_global: Collection[str] = _NOTHING  # replaced when a statement declares
        self.declared_nonlocal: Collection[str] = _NOTHING
        self.returns: list[RExpr] = [] if function else _NO_VALUES  # type: ignore[assignment]
        self.yields: list[RExpr] = [] if function else _NO_VALUES  # type: ignore[assignment]
        self.decorators: Sequence[RExpr] = ()
        self.self_name: str | None = None  # first parameter of an instance or class method
        # classes: self.x = ... in their methods
        self.self_attrs: Mapping[str, list[Binding]] = {} if kind == "class" else _NO_ATTRS
        self.is_async = False
        self.params: Sequence[str] = ()
        # Set by the front ends where they apply (shared empty defaults cost nothing).
        self.parameters: Sequence[RawParam] = ()  # functions and lambdas, in signature order
        self.bases: Sequence[RExpr] = ()  # classes
        self.keywords: Sequence[tuple[str, RExpr]] = ()  # classes: metaclass=... and the like
        self.span: tuple[int, int, int, int] | None = None

    def enclosing_class(self) -> Scope | None:
        """For a method, the class it is defined in."""
        if self.kind == "function" and self.parent is not None and self.parent.kind == "class":
            return self.parent
        return None

    def binding_home(self, name: str) -> Scope:
        """The scope an assignment to ``name`` made here lands in (global/nonlocal aware)."""
        scope = self
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        if name in scope.declared_global:
            while scope.parent is not None:
                scope = scope.parent
            return scope
        if name in scope.declared_nonlocal:
            outer = scope.parent
            while outer is not None:
                if outer.kind == "function" and name in outer.bindings:
                    return outer
                outer = outer.parent
        return scope

    def bind(self, name: str, binding: Binding) -> None:
        home = self if self.kind == "comprehension" and binding.kind == "unknown" else self.binding_home(name)
        home.bindings.setdefault(name, []).append(binding)


class WithFrame:
    """A ``with`` item whose block encloses the code being lowered; ``outer`` is the
    next enclosing one in the same function."""

    __slots__ = ("manager", "outer", "scope")

    def __init__(self, manager: RExpr, scope: Scope, outer: WithFrame | None) -> None:
        self.manager = manager
        self.scope = scope
        self.outer = outer


class RawCall:
    """A call as the front end saw it; ``span`` is (line, col, end_line, end_col), 1-based
    characters, end column exclusive. ``spreads`` holds the ``**mapping`` arguments and
    ``within`` the innermost ``with`` block around the call."""

    __slots__ = ("args", "func", "keywords", "scope", "span", "spreads", "star_at", "within")

    def __init__(
        self,
        func: RExpr,
        args: list[RExpr],
        star_at: int | None,
        keywords: list[tuple[str, RExpr]],
        spreads: tuple[RExpr, ...],
        span: tuple[int, int, int, int],
        scope: Scope,
        within: WithFrame | None = None,
    ) -> None:
        self.func = func
        self.args = args
        self.star_at = star_at
        self.keywords = keywords
        self.spreads = spreads
        self.span = span
        self.scope = scope
        self.within = within


class RawAssign:
    """One assignment, in the order the code runs: ``target`` is an RName, RAttr or RSub
    (a ``setattr`` call gives an RAttr, a mapping write through a call an RSub), ``op``
    the operator (``=``, ``+=``, ``:`` for annotated, ``:=``). ``statement``,
    ``target_node`` and ``value_node`` are the front end's locators, placed only when a
    rule asks. ``call`` is set when a call made the assignment (``setattr``, ``.update``...);
    the resolver then decides whether the call really is one."""

    __slots__ = ("annotation", "call", "op", "scope", "statement", "target", "target_node", "value", "value_node")

    def __init__(
        self,
        target: RExpr,
        value: RExpr,
        op: str,
        scope: Scope,
        statement: Any,
        target_node: Any,
        value_node: Any,
        annotation: RExpr | None = None,
        call: RawCall | None = None,
    ) -> None:
        self.target = target
        self.value = value
        self.op = op
        self.scope = scope
        self.statement = statement
        self.target_node = target_node
        self.value_node = value_node
        self.annotation = annotation
        self.call = call


class Lowered:
    """The result of a front end: the module scope, all calls, assignments in the order
    they run, functions and classes, and ``span_of`` to turn the front end's locators
    into (line, col, end_line, end_col) spans."""

    __slots__ = ("assignments", "calls", "classes", "functions", "imported_modules", "module", "span_of")

    def __init__(self, module: Scope, span_of: Callable[[Any], tuple[int, int, int, int]]) -> None:
        self.module = module
        self.span_of = span_of
        self.calls: list[RawCall] = []
        self.assignments: list[RawAssign] = []
        self.functions: list[Scope] = []
        self.classes: list[Scope] = []
        self.imported_modules: set[str] = set()


def function_of(scope: Scope) -> Scope | None:
    """The function a scope's code runs in (looking through lambdas and comprehensions)."""
    while scope.kind in ("comprehension", "lambda"):
        if scope.parent is None:
            return None
        scope = scope.parent
    return scope if scope.kind == "function" else None


# Calls that write into a mapping or object: ``setattr(obj, "NAME", value)`` and the
# mapping methods whose keywords or constant keys become keys of the receiver.
SETATTR = "setattr"
MAPPING_WRITERS = frozenset({"update", "setdefault", "from_mapping"})


def is_write_call(func: RExpr) -> bool:
    """Whether a callee may make an assignment: ``setattr`` or a mapping writer method."""
    return (type(func) is RName and func.id == SETATTR) or (type(func) is RAttr and func.attr in MAPPING_WRITERS)


def call_writes(
    raw: RawCall,
    call_node: Any,
    positional: Sequence[Any],
    keywords: Sequence[tuple[Any, Any]],
    entries: Sequence[tuple[Any, Any]],
) -> list[RawAssign]:
    """The assignments a ``setattr`` or mapping-writer call makes, whatever the parser:
    the front end passes the locators of the call, of its positional arguments, of its
    named keywords (keyword, value) and, when the first argument is a dict display, of
    its entries (key or None for ``**``, value)."""
    args = raw.args
    if raw.star_at is not None:
        return []
    if isinstance(raw.func, RName):  # setattr(obj, "NAME", value)
        if len(args) == 3 and isinstance(args[1], RConst) and isinstance(args[1].value, str):
            target = RAttr(args[0], args[1].value)
            return [RawAssign(target, args[2], "=", raw.scope, call_node, positional[1], positional[2], call=raw)]
        return []
    receiver = raw.func.value  # type: ignore[attr-defined]
    if raw.func.attr == "setdefault":  # type: ignore[attr-defined]
        if len(args) == 2 and isinstance(args[0], RConst) and not raw.keywords:
            target = RSub(receiver, args[0])
            return [RawAssign(target, args[1], "=", raw.scope, call_node, positional[0], positional[1], call=raw)]
        return []
    writes = []
    if len(args) == 1 and isinstance(args[0], RDict):  # .update({"KEY": value})
        for key, value, (key_node, value_node) in zip(args[0].keys, args[0].values, entries):
            if isinstance(key, RConst):
                writes.append(
                    RawAssign(RSub(receiver, key), value, "=", raw.scope, call_node, key_node, value_node, call=raw)
                )
    for (name, value), (keyword_node, value_node) in zip(raw.keywords, keywords):  # .update(KEY=value)
        target = RSub(receiver, RConst(name))
        writes.append(RawAssign(target, value, "=", raw.scope, call_node, keyword_node, value_node, call=raw))
    return writes


def bind_parameters(func: Scope) -> None:
    """Bind a function's (or lambda's) parameters in its own scope; ``*args`` and
    ``**kwargs`` hold values nothing can be said about."""
    for param in func.parameters:
        kind = "unknown" if param.kind in ("vararg", "kwarg") else "param"
        func.bindings.setdefault(param.name, []).append(Binding(kind, func, annotation=param.annotation))


def has_decorator(decorators: list[RExpr], names: frozenset[str]) -> bool:
    """Whether a decorator list holds ``@name``, ``@module.name`` or ``@name(...)`` for
    one of ``names``."""
    for decorator in decorators:
        target = decorator.call.func if isinstance(decorator, RCall) else decorator
        if isinstance(target, RName) and target.id in names:
            return True
        if isinstance(target, RAttr) and target.attr in names:
            return True
    return False


def fstring(parts: list[RExpr]) -> RFStr:
    """An f-string with adjacent literal pieces merged, so both front ends agree on the
    parts however the source splits them (``f"a" "b"`` and ``f"ab"`` are the same)."""
    merged: list[RExpr] = []
    for part in parts:
        previous = merged[-1] if merged else None
        if (
            isinstance(part, RConst)
            and isinstance(previous, RConst)
            and isinstance(part.value, str)
            and isinstance(previous.value, str)
        ):
            merged[-1] = RConst(previous.value + part.value)
        elif not (isinstance(part, RConst) and part.value == ""):
            merged.append(part)
    return RFStr(merged)
