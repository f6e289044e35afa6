"""A small parser-neutral form of a Python module, just rich enough to compute facts.

Both front ends (``ast`` and LibCST) lower a module into these objects: scopes with the
names they bind, every call with its raw callee and arguments, returns and yields. The
resolver then turns them into the public facts. Keeping the front ends this thin means
rules and the resolver never care which parser ran.
"""

from __future__ import annotations

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


class Scope:
    __slots__ = (
        "bindings",
        "declared_global",
        "declared_nonlocal",
        "decorators",
        "is_async",
        "kind",
        "name",
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
        self.bindings: dict[str, list[Binding]] = {}
        self.declared_global: set[str] = set()
        self.declared_nonlocal: set[str] = set()
        self.returns: list[RExpr] = []
        self.yields: list[RExpr] = []
        self.decorators: list[RExpr] = []
        self.self_name: str | None = None  # first parameter of an instance or class method
        self.self_attrs: dict[str, list[Binding]] = {}  # classes: self.x = ... in methods
        self.is_async = False
        self.params: list[str] = []
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


class RawCall:
    """A call as the front end saw it; ``span`` is (line, col, end_line, end_col), 1-based
    characters, end column exclusive."""

    __slots__ = ("args", "func", "keywords", "scope", "span", "star_at", "star_kwargs")

    def __init__(
        self,
        func: RExpr,
        args: list[RExpr],
        star_at: int | None,
        keywords: list[tuple[str, RExpr]],
        star_kwargs: bool,
        span: tuple[int, int, int, int],
        scope: Scope,
    ) -> None:
        self.func = func
        self.args = args
        self.star_at = star_at
        self.keywords = keywords
        self.star_kwargs = star_kwargs
        self.span = span
        self.scope = scope


class Lowered:
    """The result of a front end: the module scope, all calls in source order, functions."""

    __slots__ = ("calls", "functions", "imported_modules", "module")

    def __init__(self, module: Scope) -> None:
        self.module = module
        self.calls: list[RawCall] = []
        self.functions: list[Scope] = []
        self.imported_modules: set[str] = set()


def function_of(scope: Scope) -> Scope | None:
    """The function a scope's code runs in (looking through lambdas and comprehensions)."""
    while scope.kind in ("comprehension", "lambda"):
        if scope.parent is None:
            return None
        scope = scope.parent
    return scope if scope.kind == "function" else None


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
