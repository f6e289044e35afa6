"""Where each name of a module is used, for telling whether the object bound to it can
change after it was made.

The resolver asks this when a ``**mapping`` spread into a call is a name bound once to
a dict display: the keys are known only if nothing else may add one. Each use is
``read`` (harmless: an item read, a ``**spread``, a read-only method, being returned,
``dict(name)``), ``key`` (``name[index] = value``: the key is added) or ``other``
(anything that may change the object or let it escape: a method call, being passed to
a function or bound to another name). Expressions the lowered module does not keep
(``if`` tests, ``for`` iterables, ``del``) are not seen; none of them adds a key.
"""

from __future__ import annotations

from .ir import Lowered, RAlt, RAttr, RawAssign, RawCall, RBin, RDict, RExpr, RFStr, RName, RSeq, RSub, Scope

# (scope the use is in, kind of use, subscript index, value written) for each use
Use = tuple[Scope, str, "RExpr | None", "RExpr | None"]


def collect_uses(lowered: Lowered) -> dict[str, list[Use]]:
    """Every use of every name in the expressions the lowered module keeps, by name."""
    uses = _Uses()
    for raw in lowered.calls:
        uses.call(raw)
    for assign in lowered.assignments:
        if assign.call is None:  # a write through a call is counted with the call
            uses.assignment(assign)
    for func in lowered.functions:
        for value in func.returns:
            uses.top(value, func, "read")  # the caller's uses of the result are checked there
        for value in func.yields:
            uses.walk(value, func)
        for param in func.parameters:
            uses.walk(param.default, func.parent or lowered.module)
    return uses.found


class _Uses:
    """Collects the uses of names in the expressions the lowered module keeps."""

    def __init__(self) -> None:
        self.found: dict[str, list[Use]] = {}

    def add(self, name: str, scope: Scope, use: str, index: RExpr | None = None, value: RExpr | None = None) -> None:
        self.found.setdefault(name, []).append((scope, use, index, value))

    def top(self, expr: RExpr, scope: Scope, use: str) -> None:
        """``expr`` itself is used as ``use`` when it is a name; its parts otherwise."""
        if isinstance(expr, RName):
            self.add(expr.id, scope, use)
        else:
            self.walk(expr, scope)

    def walk(self, expr: RExpr | None, scope: Scope) -> None:
        if isinstance(expr, RName):
            self.add(expr.id, scope, "other")
        elif isinstance(expr, RSub):
            self.top(expr.value, scope, "read")
            self.walk(expr.index, scope)
        elif isinstance(expr, RAttr):
            self.walk(expr.value, scope)
        elif isinstance(expr, RDict):
            for key, value in zip(expr.keys, expr.values):
                if key is None:  # {**name}: a copy
                    self.top(value, scope, "read")
                else:
                    self.walk(key, scope)
                    self.walk(value, scope)
        elif isinstance(expr, RBin):
            self.walk(expr.left, scope)
            self.walk(expr.right, scope)
        elif isinstance(expr, (RSeq, RFStr, RAlt)):
            for part in _parts(expr):
                self.walk(part, scope)
        # a call's parts are visited with its own RawCall; constants read nothing

    def call(self, raw: RawCall) -> None:
        func = raw.func
        if isinstance(func, RAttr) and isinstance(func.value, RName):
            self.add(func.value.id, raw.scope, "read" if func.attr in _READ_ONLY_METHODS else "other")
        else:
            self.walk(func, raw.scope)
        reads = isinstance(func, RName) and func.id in _READ_ONLY_FUNCTIONS  # dict(m), len(m)...
        for arg in raw.args:
            if reads:
                self.top(arg, raw.scope, "read")
            else:
                self.walk(arg, raw.scope)
        for _, value in raw.keywords:
            self.walk(value, raw.scope)
        for spread in raw.spreads:
            self.top(spread, raw.scope, "read")

    def assignment(self, assign: RawAssign) -> None:
        target = assign.target
        if isinstance(target, RSub) and isinstance(target.value, RName):
            self.add(target.value.id, assign.scope, "key", target.index, assign.value)
            self.walk(target.index, assign.scope)
        elif isinstance(target, (RSub, RAttr)):
            self.walk(target, assign.scope)
        self.walk(assign.value, assign.scope)


def _parts(expr: RSeq | RFStr | RAlt) -> list[RExpr]:
    if isinstance(expr, RSeq):
        return expr.items
    return expr.parts if isinstance(expr, RFStr) else expr.options


_READ_ONLY_METHODS = frozenset({"get", "keys", "values", "items", "copy", "__contains__", "__getitem__", "__len__"})
_READ_ONLY_FUNCTIONS = frozenset(
    {"dict", "len", "list", "tuple", "set", "frozenset", "sorted", "bool", "str", "repr", "isinstance", "print"}
)
