"""Local data flow over the Python facts: where a name's value came from, and how a
string was built.

Rules that judge a value at a sink (a SQL string reaching a driver, a value reaching a
log call) need to know how that value was made: which assignments in the function
reach the sink, whether the string was built with an f-string, ``%``, ``.format``,
``+``/``+=`` or ``join``, and which of its parts are not constant. :class:`DataFlow`
answers both from the facts the engine already computed, so every rule shares one
tracer::

    from prodready_lint.sdk import DataFlow

    flow = DataFlow.of(file)
    for call in file.calls:
        if call.method == "execute" and call.args:
            built = flow.string(call.args[0], call.function, call.span)
            if built.is_built and not built.constant:
                print(built.dynamic[0].text, built.operations)

Reaching definitions are computed within one function from the assignments' positions
and the file's indentation: an assignment reaches a use when it comes before it in the
same function, and a plain assignment stops the search for earlier ones when nothing
between it and the use is indented less than it (it then runs on every path to the
use). Augmented assignments (``q += ...``) add to what reaches instead of replacing it,
and assignments in both branches of an ``if`` both reach a use after it. Loops are read
straight through (an assignment later in a loop body does not reach a use earlier in
it). A name with no local assignment is a parameter, a name from an enclosing
function, or a module-level name, whose assignments are followed the same way; calls
that grow a list (``parts.append(x)``, ``extend``, ``insert``, ``+=``) count as parts of
it when it is joined, and a lookup in a constant table (``COLUMNS[key]``,
``COLUMNS.get(key, "id")``) is one of the table's values.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from .files import PythonFile
from .model import Span
from .python import (
    Assignment,
    Attribute,
    BinOp,
    Call,
    CallResult,
    Const,
    FString,
    FunctionDef,
    MappingValue,
    Name,
    SequenceValue,
    Subscript,
    Unknown,
    Value,
)

__all__ = ["DataFlow", "Definition", "DynamicPart", "Record", "StringBuild"]

# Calls whose result is a number, a bool or a UUID: its text can only be digits (and the
# hex digits and dashes of a UUID), never quotes or keywords.
NUMERIC_CALLS = frozenset(
    {
        "builtins.len",
        "builtins.int",
        "builtins.float",
        "builtins.bool",
        "builtins.round",
        "builtins.abs",
        "builtins.min",
        "builtins.max",
        "builtins.sum",
        "builtins.id",
        "builtins.hash",
        "uuid.uuid1",
        "uuid.uuid3",
        "uuid.uuid4",
        "uuid.uuid5",
    }
)
_STR_METHODS = frozenset({"strip", "lstrip", "rstrip", "upper", "lower", "replace", "rjust", "ljust", "center"})
_GROWING_METHODS = frozenset({"append", "extend", "insert", "appendleft"})
_MAX_DEPTH = 12
_PLACEHOLDER_GENERATOR = re.compile(r"""^\s*\(?\s*[\[(]?\s*[rbu]?(['"])[^'"{}]{0,8}\1\s+for\b""")


@attrs.frozen(slots=True)
class Definition:
    """One assignment that reaches a use: the value it gives, where, and how.

    ``op`` is the assignment's operator (``"="``, ``"+="``...), or ``"param"`` for a
    function parameter (``value`` is then an :class:`Unknown` of kind ``"parameter"``)
    and ``"grow"`` for a call that adds to a list (``parts.append(x)``: ``value`` is
    what it adds).
    """

    name: str
    value: Value
    op: str
    span: Span
    function: str


@attrs.frozen(slots=True)
class DynamicPart:
    """A part of a string that is not constant.

    ``text`` names it as source-like text (``user_id``, ``request.args.get()``,
    ``self.table``); ``value`` is its summary; ``how`` the operation that put it in the
    string (``"f-string"``, ``"%"``, ``".format"``, ``"+"``, ``"+="``, ``"join"``) or
    ``""`` when the whole value is not constant; ``source`` what it is when traced to the
    end: ``"parameter"`` (a parameter of the function), ``"call"``, ``"attribute"``,
    ``"name"`` (a name bound by a loop, ``with``, ``except`` or an import), or the
    kind of an :class:`Unknown`. ``names`` lists the local names followed to reach it
    and ``span`` is where it was put in (the assignment or the use).
    """

    text: str
    value: Value
    how: str
    source: str
    names: tuple[str, ...] = ()
    span: Span | None = None


@attrs.frozen(slots=True)
class StringBuild:
    """How a string value was made.

    ``operations`` are the building operations seen (``"f-string"``, ``"%"``,
    ``".format"``, ``"+"``, ``"+="``, ``"join"``); ``dynamic`` the parts that are not
    constant, in source order; ``fragments`` the constant string pieces. ``opaque`` is
    true when the value is an object that is not a plain string built here (the result
    of an unknown call, such as a query builder's): nothing can be said of it.
    """

    operations: frozenset[str] = frozenset()
    dynamic: tuple[DynamicPart, ...] = ()
    fragments: tuple[str, ...] = ()
    opaque: bool = False

    @property
    def constant(self) -> bool:
        """Every part is a constant (a module constant counts)."""
        return not self.dynamic and not self.opaque

    @property
    def is_built(self) -> bool:
        """The string was put together by an operation, not passed in whole."""
        return bool(self.operations)

    @property
    def text(self) -> str:
        """The constant fragments joined in the order met (a join gives its separator
        first): a rough view of the string's shape, enough to tell what language it is."""
        return "".join(self.fragments)


class _Builder:
    __slots__ = ("dynamic", "fragments", "opaque", "operations")

    def __init__(self) -> None:
        self.operations: set[str] = set()
        self.dynamic: list[DynamicPart] = []
        self.fragments: list[str] = []
        self.opaque = False

    def result(self) -> StringBuild:
        seen: set[tuple[str, str]] = set()
        unique = []
        for part in self.dynamic:
            key = (part.text, part.how)
            if key not in seen:
                seen.add(key)
                unique.append(part)
        return StringBuild(frozenset(self.operations), tuple(unique), tuple(self.fragments), self.opaque)


def describe(value: Value) -> str:
    """Source-like text naming a value: ``user_id``, ``self.table``, ``get_name()``."""
    if isinstance(value, Name):
        return value.id
    if isinstance(value, Attribute):
        return value.dotted or f"(...).{value.attr}"
    if isinstance(value, CallResult):
        call = value.call
        name = call.callee or call.qualname or (f"(...).{call.method}" if call.method else "call")
        return f"{name}()"
    if isinstance(value, Const):
        return repr(value.value)
    if isinstance(value, FString):
        return "an f-string"
    if isinstance(value, BinOp):
        return f"{describe(value.left)} {value.op} {describe(value.right)}"
    if isinstance(value, SequenceValue):
        return f"a {value.kind}"
    if isinstance(value, MappingValue):
        return "a dict"
    if isinstance(value, Subscript):
        key = value.key
        index = (
            repr(key.value)
            if isinstance(key, Const)
            else describe(key)
            if isinstance(key, (Name, Attribute))
            else "..."
        )
        return f"{describe(value.base)}[{index}]"
    if isinstance(value, Unknown):
        return f"a {value.kind}"
    return "a value"


class DataFlow:
    """Reaching definitions and string building for one Python file.

    Build it once per file with :meth:`of` (it is cached on the file); every method is
    cheap after the first call, which indexes the file's assignments by function.
    """

    __slots__ = (
        "_by_function",
        "_call_index",
        "_call_nodes",
        "_chains",
        "_classes",
        "_dead",
        "_folding",
        "_functions",
        "_grows",
        "_ifexps",
        "_loops",
        "_module",
        "_mutations",
        "_shapes",
        "_spreads",
        "file",
    )

    def __init__(self, file: PythonFile) -> None:
        self.file = file
        self._by_function: dict[tuple[str, str], list[Assignment]] | None = None
        self._module: dict[str, list[Assignment]] = {}
        self._functions: dict[str, FunctionDef] | None = None
        self._grows: dict[tuple[str, str], list[Call]] | None = None
        self._classes: dict[tuple[str, str], list[Value]] | None = None
        self._loops: list[_Loop] | None = None
        self._chains: dict[tuple[int, int], list[Call]] | None = None
        self._dead: list[tuple[int, int]] | None = None
        self._ifexps: dict[tuple[int, int], ast.IfExp] | None = None
        self._call_nodes: dict[tuple[int, int, int, int], ast.Call] | None = None
        self._call_index: dict[tuple[int, int, int, int], ast.Call] | None = None
        self._spreads: dict[tuple[int, int, int, int], tuple[ast.expr, ...]] | None = None
        self._mutations: set[str] | None = None
        self._shapes: dict[str, tuple[str, ...]] | None = None
        self._folding = False

    @classmethod
    def of(cls, file: PythonFile) -> DataFlow:
        """The file's data flow, built on first use and shared by every rule."""
        flow = file.__dict__.get("_dataflow")
        if flow is None:
            flow = file.__dict__["_dataflow"] = cls(file)
        return flow

    # -- indexes -----------------------------------------------------------------------
    def _index(self) -> dict[tuple[str, str], list[Assignment]]:
        if self._by_function is None:
            by_function: dict[tuple[str, str], list[Assignment]] = {}
            module: dict[str, list[Assignment]] = {}
            for assignment in self.file.assignments:
                target = assignment.target
                if target.kind != "name" or target.name is None:
                    continue
                if assignment.scope == "module":
                    module.setdefault(target.name, []).append(assignment)
                elif assignment.scope == "function":
                    by_function.setdefault((assignment.function, target.name), []).append(assignment)
            self._by_function = by_function
            self._module = module
        return self._by_function

    def function(self, qualname: str) -> FunctionDef | None:
        """The function definition with qualified name ``qualname``."""
        if self._functions is None:
            self._functions = {f.qualname: f for f in self.file.functions}
        return self._functions.get(qualname)

    def _growing_calls(self) -> dict[tuple[str, str], list[Call]]:
        if self._grows is None:
            grows: dict[tuple[str, str], list[Call]] = {}
            for call in self.file.calls:
                if call.method in _GROWING_METHODS and call.callee.count(".") == 1:
                    grows.setdefault((call.function, call.callee.split(".", 1)[0]), []).append(call)
            self._grows = grows
        return self._grows

    def _class_constant(self, value: Attribute, function: str) -> list[Value]:
        """The values a class body assigns to ``self.NAME``/``cls.NAME``, when the
        method's instances never assign it."""
        dotted = value.dotted or ""
        if dotted.count(".") != 1 or dotted.split(".")[0] not in ("self", "cls") or "." not in function:
            return []
        owner = function.rsplit(".", 1)[0]
        if self._classes is None:
            classes: dict[tuple[str, str], list[Value]] = {}
            written: set[tuple[str, str]] = set()
            for assignment in self.file.assignments:
                target = assignment.target
                if assignment.scope == "class" and target.kind == "name" and target.name is not None:
                    classes.setdefault((assignment.scope_name, target.name), []).append(assignment.value)
                elif target.kind == "attribute" and target.base in ("self", "cls") and target.name is not None:
                    written.add((assignment.function.rsplit(".", 1)[0], target.name))
            for key in written:
                classes.pop(key, None)
            self._classes = classes
        return self._classes.get((owner, value.attr), [])

    # -- reaching definitions ----------------------------------------------------------
    def reaching(self, name: str, function: str, at: Span) -> tuple[Definition, ...]:
        """The definitions of local ``name`` that may reach a use at ``at`` in
        ``function`` (a qualified name, ``"<module>"`` at module level), in source order.

        Empty when the name is not assigned in the function before the use; a parameter
        with no assignment before the use gives one ``"param"`` definition.
        """
        self._index()
        if function == "<module>":
            candidates = self._module.get(name, [])
        else:
            candidates = self._index().get((function, name), [])
        before = [a for a in candidates if _before(a.span, at) and not self.unreachable(a.span)]
        found: list[Definition] = []
        for assignment in reversed(before):
            found.append(Definition(name, assignment.value, assignment.op, assignment.value_span, function))
            if assignment.op in ("=", ":", ":=") and self._dominates(assignment.span, at):
                break
        else:
            if function != "<module>":
                func = self.function(function)
                if func is not None and name in func.params:
                    param = next((p for p in func.parameters if p.name == name), None)
                    where = param.span if param is not None else func.span
                    found.append(Definition(name, Unknown("parameter"), "param", where, function))
        found.reverse()
        return tuple(found)

    def _dominates(self, span: Span, at: Span) -> bool:
        """Whether a statement at ``span`` runs on every path to ``at``: no line between
        them is indented less than the statement (which would close its block)."""
        if at.line < span.line:
            return False
        indent = span.column - 1
        lines = self.file.lines
        for number in range(span.end_line + 1, at.line + 1):
            text = lines[number - 1] if number - 1 < len(lines) else ""
            stripped = text.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            if len(text) - len(stripped) < indent:
                return False
        return True

    # -- string building ---------------------------------------------------------------
    def string(self, value: Value, function: str, at: Span) -> StringBuild:
        """How the string ``value``, used at ``at`` in ``function``, was built: local
        names are followed to the assignments that reach the use, module names to
        their module-level assignments, and list names to what was added to them."""
        builder = _Builder()
        self._walk(value, function, at, "", (), builder, 0, frozenset())
        return builder.result()

    def _walk(
        self,
        value: Value,
        function: str,
        at: Span,
        how: str,
        names: tuple[str, ...],
        out: _Builder,
        depth: int,
        seen: frozenset[Any],
    ) -> None:
        if depth > _MAX_DEPTH:
            out.dynamic.append(DynamicPart(describe(value), value, how, "deep", names, at))
            return
        depth += 1
        if isinstance(value, Const):
            if isinstance(value.value, str):
                out.fragments.append(value.value)
            elif isinstance(value.value, bytes):
                out.fragments.append(value.value.decode("latin-1"))
            return
        if isinstance(value, FString):
            out.operations.add("f-string")
            for part in value.parts:
                self._walk(part, function, at, "f-string", names, out, depth, seen)
            return
        if isinstance(value, BinOp):
            self._binop(value, function, at, how, names, out, depth, seen)
            return
        if isinstance(value, Name):
            self._name(value, function, at, how, names, out, depth, seen)
            return
        if isinstance(value, Attribute):
            if value.bound is not None:
                self._walk(value.bound, function, at, how, names, out, depth, seen)
                return
            members = self._class_constant(value, function)
            if members:
                for member in members:
                    self._walk(member, function, at, how, names, out, depth, seen)
            else:
                out.dynamic.append(DynamicPart(describe(value), value, how, "attribute", names, at))
            return
        if isinstance(value, CallResult):
            self._call(value.call, function, at, how, names, out, depth, seen)
            return
        if isinstance(value, SequenceValue):
            for item in value.items:
                self._walk(item, function, at, how, names, out, depth, seen)
            return
        if isinstance(value, MappingValue):
            for item in value.values:
                self._walk(item, function, at, how, names, out, depth, seen)
            return
        if isinstance(value, Subscript):
            table = self._constant_table(value.base, function)
            if table is not None:  # CHOICES[key]: one of a constant table's values
                for item in table:
                    self._walk(item, function, at, how, names, out, depth, seen)
                return
        kind = value.kind if isinstance(value, Unknown) else "expression"
        plain = isinstance(value, Unknown) and not isinstance(value, Subscript)
        text = names[-1] if names and plain else describe(value)  # the variable it is in
        out.dynamic.append(DynamicPart(text, value, how, kind, names, at))

    def _binop(self, value: BinOp, function: str, at: Span, how: str, names: tuple, out: _Builder, depth: int, seen):
        op = value.op
        if op == "+":
            out.operations.add("+")
            self._walk(value.left, function, at, "+", names, out, depth, seen)
            self._walk(value.right, function, at, "+", names, out, depth, seen)
        elif op == "%":
            out.operations.add("%")
            self._walk(value.left, function, at, how, names, out, depth, seen)
            self._walk(value.right, function, at, "%", names, out, depth, seen)
        elif op == "*":  # "?" * n, ["%s"] * len(values): repeats of the constant side
            left, right = value.left, value.right
            if _is_number(right) and isinstance(left, (Const, SequenceValue)):
                self._walk(left, function, at, how, names, out, depth, seen)
            elif _is_number(left) and isinstance(right, (Const, SequenceValue)):
                self._walk(right, function, at, how, names, out, depth, seen)
            else:
                out.dynamic.append(DynamicPart(describe(value), value, how, "operation", names, at))
        else:
            out.dynamic.append(DynamicPart(describe(value), value, how, "operation", names, at))

    def _name(self, value: Name, function: str, at: Span, how: str, names: tuple, out: _Builder, depth: int, seen):
        if value.bound is not None and not isinstance(value.bound, SequenceValue):
            self._walk(value.bound, function, at, how, names, out, depth, seen)  # bound once to a constant
            return
        name = value.id
        definitions, scope = self._definitions(name, function, at)
        if not definitions:
            source = "name" if value.qualname is None else "import"
            out.dynamic.append(DynamicPart(name, value, how, source, names, at))
            return
        followed = (*names, name)
        for definition in definitions:
            key = (definition.name, definition.span)
            if key in seen:
                continue
            inner = seen | {key}
            if definition.op == "param":
                out.dynamic.append(DynamicPart(name, value, how, "parameter", followed, definition.span))
                continue
            if definition.op == "for":  # an item of what the loop runs over
                iterated = definition.value.base if isinstance(definition.value, Subscript) else definition.value
                table = self._constant_table(iterated, scope)
                if table is not None:
                    for item in table:
                        self._walk(item, scope, definition.span, how, followed, out, depth, inner)
                else:
                    out.dynamic.append(DynamicPart(name, value, how, "name", names, at))
                continue
            if isinstance(definition.value, Unknown) and definition.value.kind == "alternatives":
                options = self.alternatives(definition.span, scope)
                if options is not None:  # "ASC" if ascending else "DESC": each option
                    for option in options:
                        self._walk(option, scope, definition.span, how, followed, out, depth, inner)
                    continue
            step = how
            if definition.op == "+=":
                out.operations.add("+=")
                step = "+="
            self._walk(definition.value, scope, definition.span, step, followed, out, depth, inner)

    def _definitions(self, name: str, function: str, at: Span) -> tuple[tuple[Definition, ...], str]:
        """The definitions of ``name`` seen from ``function``: its own, then those of
        enclosing functions, then the module's."""
        scope = function
        while True:
            found = self.reaching(name, scope, at)
            if found:
                grows = self._growing_calls().get((scope, name), ())
                extra = tuple(
                    Definition(name, value, "grow", call.span, scope)
                    for call in grows
                    if _before(call.span, at)
                    for value in _grown(call)
                )
                return found + extra, scope
            loop = self._loop_binding(name, scope, at)
            if loop is not None:
                return (loop,), scope
            if scope == "<module>":
                return (), scope
            parent = scope.rsplit(".", 1)[0] if "." in scope else "<module>"
            func = self.function(parent)
            scope = parent if func is not None else "<module>"
            if scope == "<module>":  # the function runs after the module body: any of them
                self._index()
                module = self._module.get(name, ())
                return tuple(Definition(name, a.value, a.op, a.value_span, scope) for a in module), scope

    def _call(self, call: Call, function: str, at: Span, how: str, names: tuple, out: _Builder, depth: int, seen):
        method = call.method
        if method == "format" and call.qualname is None:
            template = self._receiver_string(call, function)
            if template is None:
                out.opaque = True  # sql.SQL("...").format(...): an object's format, not str's
                return
            out.operations.add(".format")
            self._walk(template, function, at, how, names, out, depth, seen)
            for arg in call.args:
                self._walk(arg, function, at, ".format", names, out, depth, seen)
            for _, arg in call.keywords:
                self._walk(arg, function, at, ".format", names, out, depth, seen)
            if call.star_kwargs or call.star_args_at is not None:
                out.dynamic.append(DynamicPart("**kwargs", Unknown("**kwargs"), ".format", "**kwargs", names, at))
            return
        if method == "join" and call.qualname is None and len(call.args) == 1:
            separator = self._receiver_string(call, function)
            if separator is None:
                out.opaque = True
                return
            out.operations.add("join")
            self._walk(separator, function, at, how, names, out, depth, seen)
            argument = call.args[0]
            if isinstance(argument, Unknown) and argument.kind == "comprehension" and self._placeholders(call):
                return  # ", ".join("?" for _ in values)
            self._walk(argument, function, at, "join", names, out, depth, seen)
            return
        if call.qualname is None and method in _STR_METHODS:
            receiver = self._receiver_string(call, function)
            if receiver is not None:
                self._walk(receiver, function, at, how, names, out, depth, seen)
                for arg in call.args:
                    self._walk(arg, function, at, how, names, out, depth, seen)
                return
        if any(name in NUMERIC_CALLS for name in call.qualnames):
            return
        if method == "get" and call.callee.count(".") == 1 and call.args:
            table = self._constant_table(Name(call.callee.split(".")[0]), function)
            if table is not None:  # CHOICES.get(key, default)
                for item in (*table, *call.args[1:2]):
                    self._walk(item, function, at, how, names, out, depth, seen)
                return
        if "builtins.str" in call.qualnames and len(call.args) == 1:
            self._walk(call.args[0], function, at, how, names, out, depth, seen)
            return
        if not how:
            out.opaque = True  # a whole value made by a call: not a string built here
            return
        out.dynamic.append(DynamicPart(describe(CallResult(call)), CallResult(call), how, "call", names, at))

    def _constant_table(self, value: Value, function: str) -> tuple[Value, ...] | None:
        """The values of a constant mapping or sequence that ``value`` names (a display,
        or a name bound only to one at module or function level), or ``None``."""
        if isinstance(value, MappingValue):
            return value.values if None not in value.keys else None
        if isinstance(value, SequenceValue):
            return value.items
        if isinstance(value, (Name, Attribute)) and value.bound is not None:
            if isinstance(value, Name) and self._mutated(value.id):
                return None  # lst = []; lst.append(param): not the display it was bound to
            return self._constant_table(value.bound, function)
        if isinstance(value, Name):
            self._index()
            bindings = self._module.get(value.id, ()) if function == "<module>" else ()
            if not bindings and function != "<module>":
                local = self._index().get((function, value.id), ())
                bindings = tuple(local) if local else tuple(self._module.get(value.id, ()))
            if len(bindings) == 1 and bindings[0].op in ("=", ":"):
                table = bindings[0].value
                if isinstance(table, (MappingValue, SequenceValue)) and not self._growing_calls().get(
                    (bindings[0].function, value.id)
                ):
                    return self._constant_table(table, function)
        return None

    def _mutated(self, name: str) -> bool:
        """Whether a list or dict named ``name`` is changed after it is made, in any
        function of the file (``name.append(x)``, ``name[key] = x``, ``name.update(...)``)."""
        if self._mutations is None:
            mutations = {key[1] for key in self._growing_calls()}
            for assignment in self.file.assignments:
                target = assignment.target
                if target.kind == "subscript" and target.base is not None:
                    mutations.add(target.base)
            for call in self.file.calls:
                if call.method in _MUTATING_METHODS and call.callee.count(".") == 1:
                    mutations.add(call.callee.split(".")[0])
            self._mutations = mutations
        return name in self._mutations

    def _receiver_string(self, call: Call, function: str) -> Value | None:
        """The string a ``str`` method is called on: a name (followed like any other),
        or a literal read from the source; ``None`` when it is some other object."""
        callee = call.callee
        if callee:
            base = callee.rsplit(".", 1)[0]
            if "." not in base:
                return Name(base)
            if base.count(".") == 1 and base.split(".")[0] in ("self", "cls"):
                return Attribute(base, base.split(".")[1])
            return None  # an attribute of some object: not followed
        receiver = call.receiver
        if receiver is not None:
            if receiver.kind == "call" and receiver.call is not None and "builtins.str" in receiver.qualnames:
                return CallResult(receiver.call)  # str(x).replace(...)
            return None  # an object traced to a call: a query builder, not a str
        text = self._receiver_text(call)
        if text is None:
            return None
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
        return Const(parsed) if isinstance(parsed, (str, bytes)) else None

    def _receiver_text(self, call: Call) -> str | None:
        span = call.span
        lines = self.file.lines
        if span.line - 1 >= len(lines):
            return None
        first = lines[span.line - 1][span.column - 1 :]
        chunk = "\n".join([first, *lines[span.line : span.end_line]]) if span.end_line > span.line else first
        marker = f".{call.method}("
        cut = chunk.rfind(marker)
        while cut > 0:
            candidate = chunk[:cut].strip()
            if candidate.startswith(("'", '"', "(", "r", "b", "u", "R", "B", "U", "f", "F")):
                try:
                    ast.literal_eval(candidate)
                    return candidate
                except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                    pass
            cut = chunk.rfind(marker, 0, cut)
        return None

    def _placeholders(self, call: Call) -> bool:
        """Whether a ``join`` argument is a generator of one short constant, such as
        ``"?" for _ in values`` (placeholders, not data)."""
        text = self._receiver_text_after(call)
        return text is not None and bool(_PLACEHOLDER_GENERATOR.match(text))

    def _receiver_text_after(self, call: Call) -> str | None:
        span = call.span
        lines = self.file.lines
        if span.line - 1 >= len(lines):
            return None
        chunk = "\n".join(lines[span.line - 1 : span.end_line])
        start = chunk.find(".join(", span.column - 1)
        return chunk[start + len(".join") :] if start >= 0 else None

    # -- names in values ---------------------------------------------------------------
    def sources(self, value: Value, function: str, at: Span) -> Iterator[tuple[Value, tuple[str, ...]]]:
        """Every value ``value`` may be made from, following local names to the
        assignments that reach ``at`` (paired with the names followed), the value
        itself first. Useful to ask "was this assigned from ``request.json``?"."""
        yield from self._sources(value, function, at, (), 0, set())

    def _sources(self, value: Value, function: str, at: Span, names: tuple, depth: int, seen: set):
        yield value, names
        if depth > _MAX_DEPTH or not isinstance(value, Name):
            return
        if value.bound is not None and not isinstance(value.bound, SequenceValue):
            yield from self._sources(value.bound, function, at, (*names, value.id), depth + 1, seen)
            return
        definitions, scope = self._definitions(value.id, function, at)
        for definition in definitions:
            key = (definition.name, definition.span)
            if key in seen or definition.op in ("param", "grow"):
                continue
            seen.add(key)
            yield from self._sources(definition.value, scope, definition.span, (*names, value.id), depth + 1, seen)

    # -- branches that cannot run, and conditional expressions --------------------------
    def unreachable(self, span: Span) -> bool:
        """Whether the statement at ``span`` is in a branch that cannot run: the body or
        ``else`` of an ``if`` whose condition folds to a constant, or a ``case`` of a
        ``match`` on a constant that another case takes. Conditions fold when they are
        made of literals and names assigned once in the same function (a module-level
        flag such as ``DEBUG = False`` is meant to be edited, so it never folds)."""
        if self._dead is None:
            if self._folding:
                return False
            self._folding = True
            try:
                self._dead = self._dead_regions()
            finally:
                self._folding = False
        return any(start <= span.line <= end for start, end in self._dead)

    def _dead_regions(self) -> list[tuple[int, int]]:
        tree = self.file.tree
        dead: list[tuple[int, int]] = []
        if tree is None:
            return dead
        for index, text in enumerate(self.file.lines):
            stripped = text.lstrip()
            if not stripped.startswith(("if ", "elif ", "match ")):
                continue
            header = _HEADER.match(stripped)
            if header is None:
                continue
            if not stripped.startswith("match ") and not _LITERAL_IN_CONDITION.search(header.group(1)):
                continue  # if user:, if not rows: never fold without a literal to compare to
            node = _statement_at(tree.body, index + 1)
            if isinstance(node, ast.If) and _foldable(node.test):
                verdict = self._fold(node.test)
                if verdict is _UNKNOWN:
                    continue
                body_end = node.body[-1].end_lineno or node.body[-1].lineno
                if verdict:
                    if node.orelse:
                        dead.append((body_end + 1, node.orelse[-1].end_lineno or node.orelse[-1].lineno))
                else:
                    dead.append((node.lineno, body_end))
            elif isinstance(node, ast.Match) and _foldable(node.subject):
                subject = self._fold(node.subject)
                if subject is _UNKNOWN:
                    continue
                taken = False
                for case in node.cases:
                    end = case.body[-1].end_lineno or case.body[-1].lineno
                    if taken:
                        dead.append((case.pattern.lineno, end))
                        continue
                    matches = _case_matches(case, subject)
                    if matches is None:
                        break
                    if matches:
                        taken = True
                    else:
                        dead.append((case.pattern.lineno, end))
        return dead

    def _fold(self, node: ast.AST, depth: int = 0) -> Any:
        """The constant value of a condition or subject, or ``_UNKNOWN``."""
        if depth > 8:
            return _UNKNOWN
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            span = self.file.span_of(node)
            function = self._function_at(span.line)
            if function is None:
                return _UNKNOWN  # module level: flags are meant to be edited
            definitions = self.reaching(node.id, function, span)
            if len(definitions) != 1 or definitions[0].op != "=":
                return _UNKNOWN
            if len(self._index().get((function, node.id), ())) != 1:
                return _UNKNOWN
            return _fold_value(definitions[0].value, self, function, depth + 1)
        if isinstance(node, ast.UnaryOp):
            operand = self._fold(node.operand, depth + 1)
            if operand is _UNKNOWN:
                return _UNKNOWN
            return _apply(type(node.op), operand, None, unary=True)
        if isinstance(node, ast.BinOp):
            left, right = self._fold(node.left, depth + 1), self._fold(node.right, depth + 1)
            if left is _UNKNOWN or right is _UNKNOWN:
                return _UNKNOWN
            return _apply(type(node.op), left, right)
        if isinstance(node, ast.BoolOp):
            values = [self._fold(v, depth + 1) for v in node.values]
            if any(v is _UNKNOWN for v in values):
                return _UNKNOWN
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            left = self._fold(node.left, depth + 1)
            for op, comparator in zip(node.ops, node.comparators):
                right = self._fold(comparator, depth + 1)
                if left is _UNKNOWN or right is _UNKNOWN:
                    return _UNKNOWN
                result = _apply(type(op), left, right)
                if result is _UNKNOWN or not result:
                    return result
                left = right
            return True
        if isinstance(node, ast.Subscript):
            base, key = self._fold(node.value, depth + 1), self._fold(node.slice, depth + 1)
            if base is _UNKNOWN or key is _UNKNOWN:
                return _UNKNOWN
            return _index(base, key)
        return _UNKNOWN

    def _function_at(self, line: int) -> str | None:
        best: FunctionDef | None = None
        for func in self.file.functions:
            if func.span.line < line <= func.span.end_line and (best is None or func.span.line > best.span.line):
                best = func
        return best.qualname if best is not None else None

    def alternatives(self, at: Span, function: str) -> tuple[Value, ...] | None:
        """The options of the conditional expression (``a if cond else b``) that starts
        at ``at``: the one taken when the condition folds to a constant, else both;
        ``None`` when it cannot be found or an option is not a simple expression."""
        if self._ifexps is None:
            found: dict[tuple[int, int], ast.IfExp] = {}
            tree = self.file.tree
            if tree is not None and " else " in self.file.text:
                for node in ast.walk(tree):
                    if isinstance(node, ast.IfExp):
                        span = self.file.span_of(node)
                        found.setdefault((span.line, span.column), node)
            self._ifexps = found
        node = self._ifexps.get((at.line, at.column))
        if node is None:
            return None
        verdict = self._fold(node.test) if _foldable(node.test) else _UNKNOWN
        branches = [node.body, node.orelse] if verdict is _UNKNOWN else [node.body if verdict else node.orelse]
        options: list[Value] = []
        for branch in branches:
            if isinstance(branch, ast.IfExp):
                inner = self.alternatives(self.file.span_of(branch), function)
                if inner is None:
                    return None
                options.extend(inner)
                continue
            value = self._simple_value(branch)
            if value is None:
                return None
            options.append(value)
        return tuple(options)

    def argument_alternatives(self, call: Call) -> dict[int | str, tuple[Value, ...]]:
        """The options of each argument of ``call`` written as a conditional expression
        (``log.info("%s", dict(rows[0]) if rows else None)``), by position or keyword
        name, as :meth:`alternatives` gives them; arguments it cannot read are left out."""
        tree = self.file.tree
        if tree is None or " else " not in self.file.text:
            return {}
        if self._call_nodes is None:
            nodes: dict[tuple[int, int, int, int], ast.Call] = {}
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and any(
                    isinstance(a, ast.IfExp) for a in (*node.args, *(k.value for k in node.keywords))
                ):
                    span = self.file.span_of(node)
                    nodes[(span.line, span.column, span.end_line, span.end_column)] = node
            self._call_nodes = nodes
        at = call.span
        node = self._call_nodes.get((at.line, at.column, at.end_line, at.end_column))
        found: dict[int | str, tuple[Value, ...]] = {}
        if node is None:
            return found
        pairs: list[tuple[int | str, ast.expr]] = [(i, a) for i, a in enumerate(node.args)]
        pairs += [(k.arg, k.value) for k in node.keywords if k.arg]
        for key, arg in pairs:
            if isinstance(arg, ast.IfExp):
                options = self.alternatives(self.file.span_of(arg), call.function)
                if options is not None:
                    found[key] = options
        return found

    def comprehended(self, call: Call) -> dict[int | str, Value]:
        """For each argument of ``call`` that is a comprehension copying the items of one
        iterable whole (``[dict(r) for r in rows]``, ``[u for u in users if u.active]``,
        ``(row._asdict() for row in rows)``), that iterable as a simple value, by
        position or keyword name; one reading an attribute of each item
        (``[u.email for u in users]``) gives that attribute of the loop name."""
        tree = self.file.tree
        if tree is None or " for " not in self.file.text:
            return {}
        node = self._call_node(call)
        found: dict[int | str, Value] = {}
        if node is None:
            return found
        pairs: list[tuple[int | str, ast.expr]] = list(enumerate(node.args))
        pairs += [(k.arg, k.value) for k in node.keywords if k.arg]
        for key, arg in pairs:
            if not isinstance(arg, (ast.ListComp, ast.GeneratorExp, ast.SetComp)) or len(arg.generators) != 1:
                continue
            generator = arg.generators[0]
            if not isinstance(generator.target, ast.Name):
                continue
            item = arg.elt
            if isinstance(item, ast.Call):
                func = item.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if len(item.args) == 1 and not item.keywords and name in _COPYING_FUNCTIONS:
                    item = item.args[0]  # dict(r), vars(r), asdict(r)
                elif not item.args and isinstance(func, ast.Attribute) and name in _DUMP_METHODS:
                    item = func.value  # r._asdict(), u.model_dump()
            target = generator.target.id
            if isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name) and item.value.id == target:
                found[key] = Attribute(f"{target}.{item.attr}", item.attr)  # [u.email for u in users]
                continue
            if isinstance(item, ast.Name) and item.id == target:
                iterable = self._simple_value(generator.iter)
                if iterable is not None:
                    found[key] = iterable
        return found

    def _call_node(self, call: Call) -> ast.Call | None:
        if self._call_index is None:
            index: dict[tuple[int, int, int, int], ast.Call] = {}
            for node in ast.walk(self.file.tree):
                if isinstance(node, ast.Call) and any(
                    isinstance(a, (ast.ListComp, ast.GeneratorExp, ast.SetComp))
                    for a in (*node.args, *(k.value for k in node.keywords))
                ):
                    span = self.file.span_of(node)
                    index[(span.line, span.column, span.end_line, span.end_column)] = node
            self._call_index = index
        at = call.span
        return self._call_index.get((at.line, at.column, at.end_line, at.end_column))

    def spread_mappings(self, call: Call) -> tuple[Value, ...]:
        """The mappings ``call`` spreads with ``**`` (``log.info("event", **params)``),
        each as a simple value (a name, a dotted name, a call), whether or not their keys
        are known; the ones that are not simple expressions are left out."""
        if not call.star_kwargs or self.file.tree is None:
            return ()
        if self._spreads is None:
            spreads: dict[tuple[int, int, int, int], tuple[ast.expr, ...]] = {}
            for node in ast.walk(self.file.tree):
                if isinstance(node, ast.Call) and any(k.arg is None for k in node.keywords):
                    span = self.file.span_of(node)
                    key = (span.line, span.column, span.end_line, span.end_column)
                    spreads[key] = tuple(k.value for k in node.keywords if k.arg is None)
            self._spreads = spreads
        at = call.span
        found = self._spreads.get((at.line, at.column, at.end_line, at.end_column), ())
        return tuple(value for value in map(self._simple_value, found) if value is not None)

    def _simple_value(self, node: ast.AST) -> Value | None:
        if isinstance(node, ast.Constant):
            return Const(node.value)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            base = self._simple_value(node.value)  # rows[0], row["email"]
            return Subscript("subscript", base, Const(node.slice.value)) if base is not None else None
        if isinstance(node, ast.Name):
            return Name(node.id)
        if isinstance(node, ast.Attribute):
            text = ast.unparse(node)
            return Attribute(text, node.attr) if _DOTTED.match(text) else None
        if isinstance(node, ast.Call):
            span = self.file.span_of(node)
            calls = self._chain_index().get((span.line, span.column))
            if calls:
                end = (span.end_line, span.end_column)
                exact = [c for c in calls if (c.span.end_line, c.span.end_column) == end]
                return CallResult(exact[-1] if exact else calls[-1])
        return None

    # -- loops -------------------------------------------------------------------------
    def _loop_list(self) -> list[_Loop]:
        if self._loops is None:
            loops: list[_Loop] = []
            lines = self.file.lines
            for index, text in enumerate(lines):
                if "for " not in text:
                    continue
                match = _FOR_LINE.match(text)
                if match is None:
                    continue
                indent = len(match.group(1))
                last = index + 1
                for later in range(index + 1, len(lines)):
                    stripped = lines[later].lstrip()
                    if not stripped or stripped.startswith("#"):
                        continue
                    if len(lines[later]) - len(stripped) <= indent:
                        break
                    last = later + 1
                column = match.start(3) + 1
                loops.append(_Loop(match.group(2), index + 1, column, match.group(3).strip(), last))
            self._loops = loops
        return self._loops

    def _loop_binding(self, name: str, function: str, at: Span) -> Definition | None:
        """The ``for`` loop of ``function`` whose body holds ``at`` and whose target is
        ``name``: a definition whose value is an item of what it runs over (a
        :class:`Subscript` of the iterable with an ``Unknown("item")`` key)."""
        func = self.function(function) if function != "<module>" else None
        if function != "<module>" and func is None:
            return None
        best: _Loop | None = None
        for loop in self._loop_list():
            if loop.name != name or not (loop.line < at.line <= loop.last):
                continue
            if func is not None and not (func.span.line < loop.line <= func.span.end_line):
                continue
            if best is None or loop.line > best.line:
                best = loop
        if best is None:
            return None
        iterated = self._expression(best.iterable, best.line, best.column)
        where = Span(best.line, best.column, best.line, best.column + len(best.iterable))
        return Definition(name, Subscript("subscript", iterated, Unknown("item")), "for", where, function)

    def _expression(self, text: str, line: int, column: int) -> Value:
        """A value for a simple expression written at ``line``/``column``: a name, a
        dotted name, or a call (the call fact that starts there)."""
        if text.isidentifier():
            return Name(text)
        if _DOTTED.match(text):
            return Attribute(text, text.rsplit(".", 1)[1])
        if text[:1] in "([{":
            try:
                literal = ast.literal_eval(text)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                literal = None
            if isinstance(literal, (tuple, list, set)) and all(isinstance(i, (str, int)) for i in literal):
                return SequenceValue("tuple", tuple(Const(item) for item in literal))
        if text.endswith(")"):
            calls = self._chain_index().get((line, column))
            if calls:
                return CallResult(calls[-1])
        return Unknown("expression")

    # -- records: rows, model instances, request bodies --------------------------------
    def _chain_index(self) -> dict[tuple[int, int], list[Call]]:
        if self._chains is None:
            chains: dict[tuple[int, int], list[Call]] = {}
            for call in self.file.calls:
                chains.setdefault((call.span.line, call.span.column), []).append(call)
            for calls in chains.values():
                calls.sort(key=lambda c: (c.span.end_line, c.span.end_column))
            self._chains = chains
        return self._chains

    def call_at(self, span: Span) -> Call | None:
        """The call written at ``span`` (a definition's value span: the call a name was
        assigned, or unpacked from in ``token, key = create_token()``), ``None`` when the
        value there is not a call."""
        calls = self._chain_index().get((span.line, span.column))
        if not calls:
            return None
        end = (span.end_line, span.end_column)
        exact = [c for c in calls if (c.span.end_line, c.span.end_column) == end]
        return exact[-1] if exact else None

    def chain(self, call: Call) -> list[Call]:
        """The calls of a method chain ending in ``call``, innermost first:
        ``db.query(User).filter(...).first()`` gives the ``query``, ``filter`` and
        ``first`` calls (each starts where the chain starts)."""
        calls = self._chain_index().get((call.span.line, call.span.column), [call])
        end = (call.span.end_line, call.span.end_column)
        return [c for c in calls if (c.span.end_line, c.span.end_column) <= end]

    def record(self, value: Value, function: str, at: Span) -> Record | None:
        """What record ``value`` holds when it was read whole from a database or a
        request, following local names, loops, items and dumps: a row fetched by a
        DB-API cursor, asyncpg, ``databases`` or a SQLAlchemy result (with the table and
        columns of its ``SELECT``, or of an ``INSERT``/``UPDATE``/``DELETE ... RETURNING``,
        when the query is a string seen here), the rows a ``pandas.read_sql*`` frame
        holds (and what its ``head()``, ``sample()``, ``to_dict()`` give), an ORM instance
        (``User.objects.get()``, ``session.get(User, id)``, ``db.query(User).first()``,
        ``User.query.get()``, the ``instance`` of a Django signal handler), or a request
        body (``await request.json()``, ``request.get_json()``, a route handler's
        pydantic parameter, a form's ``cleaned_data``, a serializer's
        ``validated_data``). ``dict(row)``, ``row._asdict()``, ``vars(instance)``,
        ``instance.__dict__``, ``model_to_dict(instance)``, ``body.model_dump()`` and
        an item of a list of rows give the record they dump. ``None`` otherwise."""
        return self._record(value, function, at, 0)

    def _record(self, value: Value, function: str, at: Span, depth: int) -> Record | None:
        if depth > 6:
            return None
        for source, _ in self.sources(value, function, at):
            found = self._record_of(source, function, at, depth)
            if found is not None:
                return found
        if isinstance(value, Name):
            return self._parameter_record(value.id, function, at)
        return None

    def _record_of(self, value: Value, function: str, at: Span, depth: int) -> Record | None:
        if isinstance(value, Subscript):
            key = value.key
            item = (isinstance(key, Const) and isinstance(key.value, int)) or (
                isinstance(key, Unknown) and key.kind == "item"
            )
            if item:
                inner = self._record(value.base, function, at, depth + 1)
                if inner is not None and inner.kind in ("rows", "instances"):
                    return attrs.evolve(inner, kind=inner.kind[:-1])
            return None
        if isinstance(value, Attribute):
            if value.attr in _FORM_DATA and value.dotted and "." in value.dotted:
                return Record("request-body", value.dotted)  # form.cleaned_data, serializer.validated_data
            if value.attr in ("__dict__", "_mapping", "__data__") and value.dotted:
                return self._record(_value_of(value.dotted.rsplit(".", 1)[0]), function, at, depth + 1)
            return None
        if not isinstance(value, CallResult):
            return None
        call = value.call
        body = _request_body(call)
        if body is not None:
            return Record("request-body", body, span=call.span)
        last = (call.callee or "").rsplit(".", 1)[-1]
        if call.args and (any(name in _DUMP_FUNCTIONS for name in call.qualnames) or last in _DUMP_FUNCTION_NAMES):
            dumped = self._record(call.args[0], function, at, depth + 1)
            if dumped is not None or not isinstance(call.args[0], Const):
                return dumped  # frame.to_dict("records") is a method of the frame, not a dump of "records"
        if call.method in _DUMP_METHODS and call.callee and "." in call.callee:
            return self._record(_value_of(call.callee.rsplit(".", 1)[0]), function, at, depth + 1)
        if call.method in _FRAME_METHODS or call.method in _DUMP_METHODS:
            base = self.frame_base(call)  # frame.head(3).to_dict("records"), df.sample()
            if base is not None:
                return self._record(_value_of(base), function, at, depth + 1)
        pandas_read = call.method in ("read_sql", "read_sql_query", "read_sql_table")
        if any(name in _READ_SQL for name in call.qualnames) or (
            pandas_read and call.callee.startswith(("pd.", "pandas."))
        ):
            return self._frame_record(call, function, depth)
        if call.callee and call.callee.isidentifier() and call.callee[:1].isupper():
            fields = self.class_fields(call.callee)
            if fields is not None:  # payload = SignupIn(**data): an instance of a class of this file
                return Record("instance", f"{call.callee}()", call.callee, fields, call.span)
        return self._fetched(call, function, at, depth)

    def _fetched(self, call: Call, function: str, at: Span, depth: int) -> Record | None:
        method = call.method
        if method not in _FETCH_ONE and method not in _FETCH_MANY and call.callee.rsplit(".", 1)[-1] not in _GETTERS:
            return None
        many = method in _FETCH_MANY
        chain = self.chain(call)
        source = f"{call.callee}()" if call.callee else f"{chain[0].callee or '(...)'}(...).{method}()"
        # The model of an ORM query: X.objects..., X.query..., query(X), get(X, id), select(X).
        for link in chain:
            model = _model_of(link)
            if model is not None:
                return Record("instances" if many else "instance", source, model, self.class_fields(model), call.span)
        # A SQL string: given to this chain (conn.execute(sql).fetchone(), fetchrow(sql)) or
        # to the receiver's last execute (cur.execute(sql); cur.fetchone()).
        for link in chain:
            if link.method in _QUERY_METHODS:
                sql = self._query_argument(link)
                if sql is not None:
                    return self._row_record(sql, link, many, source, call, function, depth)
        root = chain[0]
        base = root.callee.rsplit(".", 1)[0] if root.callee and "." in root.callee else ""
        if (base.isidentifier() or _DOTTED.match(base)) and method in _FETCH_ONE | _FETCH_MANY:
            executed = [
                c
                for c in self.file.calls
                if c.function == function
                and c.method in _QUERY_METHODS
                and c.callee == f"{base}.{c.method}"
                and _before(c.span, call.span)
            ]
            if executed:
                sql = self._query_argument(executed[-1])
                if sql is not None:
                    return self._row_record(sql, executed[-1], many, source, call, function, depth)
            # result = session.execute(...); result.mappings().first()
            for definition in self.reaching(base, function, root.span):
                if isinstance(definition.value, CallResult):
                    inner = definition.value.call
                    for link in self.chain(inner):
                        model = _model_of(link)
                        if model is not None:
                            return Record("instances" if many else "instance", source, model, None, call.span)
                        if link.method in _QUERY_METHODS:
                            sql = self._query_argument(link)
                            if sql is not None:
                                return self._row_record(sql, link, many, source, call, function, depth)
            if method in _DBAPI_FETCH:
                return Record("rows" if many else "row", source, None, None, call.span)
        return None

    def frame_base(self, call: Call) -> str | None:
        """The dotted name a chain of pandas frame methods starts from (``customers_df``
        for ``customers_df.head(3).to_dict("records")``), ``None`` when a link of the
        chain is something else."""
        chain = self.chain(call)
        if not chain or any(link.method not in _FRAME_METHODS and link.method not in _DUMP_METHODS for link in chain):
            return None
        root = chain[0].callee
        if not root or "." not in root:
            return None
        base = root.rsplit(".", 1)[0]
        return base if _DOTTED.match(base) or base.isidentifier() else None

    def _frame_record(self, call: Call, function: str, depth: int) -> Record | None:
        """The rows a ``pandas.read_sql*`` call loads: the table and columns of its
        ``SELECT``, or the table ``read_sql_table`` names."""
        sql = call.keyword("sql") or call.keyword("table_name") or (call.args[0] if call.args else None)
        if sql is None:
            return None
        source = f"{call.callee or call.qualname}()"
        if call.method == "read_sql_table" or call.qualname == "pandas.read_sql_table":
            if isinstance(sql, Const) and isinstance(sql.value, str):
                return Record("rows", source, sql.value, None, call.span)
            return None
        return self._row_record(sql, call, True, source, call, function, depth)

    def _query_argument(self, call: Call) -> Value | None:
        if call.method not in _QUERY_METHODS and call.method not in _FETCH_ONE | _FETCH_MANY:
            return None
        value = call.keyword("query") or call.keyword("statement") or call.keyword("sql")
        if value is None and call.args:
            value = call.args[0]
        return value

    def _row_record(
        self, sql: Value, at_call: Call, many: bool, source: str, call: Call, function: str, depth: int
    ) -> Record | None:
        """A row read by a query: the table and columns of its ``SELECT`` when the SQL is
        a string seen here, the model when it is ``select(Model)``."""
        for candidate, _ in self.sources(sql, function, at_call.span):
            if isinstance(candidate, CallResult):
                inner = candidate.call
                text_call = inner.qualname in _TEXT_CALLS or (inner.callee or "").rsplit(".", 1)[-1] == "text"
                if text_call and inner.args:
                    return self._row_record(inner.args[0], inner, many, source, call, function, depth + 1)
                for link in self.chain(inner):
                    model = _model_of(link)
                    if model is not None:
                        return Record("instances" if many else "instance", source, model, None, call.span)
        built = self.string(sql, function, at_call.span)
        text = built.text
        match = _RETURNING.search(text) if _WRITE.match(text) else None
        match = match or _SELECT.search(text)
        if match is None:
            return None
        columns = _columns(match.group("columns"))
        table = match.group("table").strip('"`[]').rsplit(".", 1)[-1]
        return Record("rows" if many else "row", source, table, columns, call.span)

    def _parameter_record(self, name: str, function: str, at: Span) -> Record | None:
        """A parameter that holds a record: a route handler's request body model, a
        Django signal handler's ``instance``, or a parameter typed with a class (an
        ``"instance"`` of it, with its fields when the class is defined in this file)."""
        func = self.function(function)
        if func is None or name not in func.params:
            return None
        definitions = self.reaching(name, function, at)
        if not definitions or any(d.op != "param" for d in definitions):
            return None
        param = next((p for p in func.parameters if p.name == name), None)
        if param is None:
            return None
        if name == "instance":
            sender = self._signal_sender(func)
            if sender is not None:
                return Record("instance", f"{func.name}(instance)", sender, None, param.span)
            return None
        if param.annotation is None or _dependency(param.default):
            return None
        annotation = _dotted_text(_annotated_class(param.annotation))
        last = annotation.rsplit(".", 1)[-1] if annotation else ""
        if not last[:1].isupper() or last in _NOT_BODY_TYPES:
            return None
        fields = self.class_fields(last)
        if _route(func):
            return Record("request-body", f"{name}: {last}", last, fields, param.span)
        return Record("instance", f"{name}: {last}", last, fields, param.span)

    def class_fields(self, name: str) -> tuple[str, ...] | None:
        """The fields a class of this file declares (annotated class attributes, and
        attributes assigned a call such as ``models.EmailField()`` or ``Column(...)``),
        ``None`` when no class of that name is defined here. Fields typed
        ``SecretStr``/``SecretBytes`` are left out: their text is masked."""
        if self._shapes is None:
            shapes: dict[str, tuple[str, ...]] = {}
            tree = self.file.tree
            if tree is not None and "class " in self.file.text:
                for node in ast.walk(tree):
                    if isinstance(node, ast.ClassDef) and node.name not in shapes:
                        shapes[node.name] = _fields_of(node)
            self._shapes = shapes
        return self._shapes.get(name)

    def _signal_sender(self, func: FunctionDef) -> str | None:
        """The model a Django signal handler is connected for (``@receiver(post_save,
        sender=User)`` or ``post_save.connect(handler, sender=User)``)."""
        for decorator in func.decorators:
            if isinstance(decorator, CallResult) and (decorator.call.callee or "").rsplit(".", 1)[-1] == "receiver":
                sender = decorator.call.keyword("sender")
                if sender is not None:
                    return _dotted_text(sender)
        for call in self.file.calls:
            first = call.args[0] if call.method == "connect" and call.args else None
            if isinstance(first, Name) and first.id == func.name:
                sender = call.keyword("sender")
                if sender is not None:
                    return _dotted_text(sender)
        return None


def _before(span: Span, at: Span) -> bool:
    """``span`` starts before ``at`` and does not contain it."""
    if (span.line, span.column) >= (at.line, at.column):
        return False
    return (span.end_line, span.end_column) <= (at.line, at.column) or at.line > span.end_line


def _is_number(value: Value) -> bool:
    """A repeat count: a number, a numeric call, or a name (``["%s"] * count``)."""
    if isinstance(value, Const):
        return isinstance(value.value, int) and not isinstance(value.value, bool)
    if isinstance(value, CallResult):
        return any(name in NUMERIC_CALLS for name in value.call.qualnames)
    return isinstance(value, (Name, Attribute))


def _grown(call: Call) -> Iterable[Value]:
    """What ``parts.append(x)`` / ``extend`` / ``insert`` adds to a list."""
    if call.method == "insert":
        return call.args[1:2]
    return call.args[:1]


@attrs.frozen(slots=True)
class _Loop:
    name: str
    line: int
    column: int
    iterable: str
    last: int


@attrs.frozen(slots=True)
class Record:
    """A record read whole: a database row or model instance, or a request body.

    ``kind`` is ``"row"``/``"rows"`` (a row or a list of rows read with SQL),
    ``"instance"``/``"instances"`` (ORM model instances) or ``"request-body"``;
    ``source`` names where it was read (``cur.fetchone()``, ``User.objects.get()``,
    ``request.json()``); ``table`` is the table of the ``SELECT`` or the model's class
    name when known; ``columns`` the selected columns (their names or aliases) when the
    query lists them, or the fields of a model or body class defined in the same file,
    ``None`` for ``*``, an unknown query or a class defined elsewhere.
    """

    kind: str
    source: str
    table: str | None = None
    columns: tuple[str, ...] | None = None
    span: Span | None = None


_FOR_LINE = re.compile(r"^(\s*)(?:async\s+)?for\s+([A-Za-z_]\w*)\s+in\s+([^:#]+?)\s*:\s*(?:#.*)?$")
_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
_DBAPI_FETCH = frozenset({"fetchone", "fetchall", "fetchmany"})
_FETCH_ONE = frozenset(
    {
        "fetchone",
        "fetchrow",
        "fetch_one",
        "first",
        "one",
        "one_or_none",
        "scalar_one",
        "scalar_one_or_none",
        "first_or_404",
        "get_or_404",
        "last",
        "earliest",
        "latest",
        "get",
        "get_or_none",
    }
)
_FETCH_MANY = frozenset({"fetchall", "fetchmany", "fetch", "fetch_all", "all"})
_GETTERS = frozenset({"get_object_or_404"})
# pandas frame methods that give rows of the frame they are called on.
_FRAME_METHODS = frozenset(
    {
        "head",
        "tail",
        "sample",
        "to_dict",
        "to_records",
        "to_json",
        "to_string",
        "to_markdown",
        "to_csv",
        "reset_index",
        "drop_duplicates",
        "sort_values",
        "fillna",
        "dropna",
    }
)
_READ_SQL = frozenset({"pandas.read_sql", "pandas.read_sql_query", "pandas.read_sql_table"})
_QUERY_METHODS = frozenset(
    {"execute", "exec", "fetch", "fetchrow", "fetch_one", "fetch_all", "scalars", "exec_driver_sql"}
)
_TEXT_CALLS = frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"})
_DUMP_FUNCTIONS = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.vars",
        "builtins.str",
        "builtins.repr",
        "json.dumps",
        "dataclasses.asdict",
        "attrs.asdict",
        "attr.asdict",
        "django.forms.models.model_to_dict",
        "fastapi.encoders.jsonable_encoder",
        "json.loads",
        "orjson.loads",
        "ujson.loads",
    }
)
_DUMP_FUNCTION_NAMES = frozenset({"model_to_dict", "jsonable_encoder", "asdict", "row_to_dict", "to_dict", "loads"})
_DUMP_METHODS = frozenset(
    {
        "model_dump",
        "model_dump_json",
        "dict",
        "json",
        "to_dict",
        "as_dict",
        "_asdict",
        "copy",
        "to_json",
        "serialize",
        "decode",
    }
)
# Functions whose result is their one argument copied whole, by their last name.
_COPYING_FUNCTIONS = frozenset(
    {"dict", "vars", "str", "repr", "asdict", "model_to_dict", "jsonable_encoder", "dumps", "row_to_dict"}
)
_FORM_DATA = frozenset({"cleaned_data", "validated_data", "initial_data"})
_REQUEST_BASES = frozenset({"request", "req", "self.request", "http_request", "flask.request"})
_REQUEST_BODY_METHODS = frozenset({"json", "body", "get_json", "get_data", "form", "data", "text"})
_NOT_BODY_TYPES = frozenset(
    {
        "Request",
        "Response",
        "WebSocket",
        "HTTPConnection",
        "BackgroundTasks",
        "Session",
        "AsyncSession",
        "UploadFile",
        "SecurityScopes",
        "HTTPAuthorizationCredentials",
        "OAuth2PasswordRequestForm",
        "Any",
        "Optional",
        "Annotated",
        "UUID",
        "Decimal",
        "datetime",
        "date",
    }
)
_ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "api_route", "route", "websocket"})
_SELECT = re.compile(
    r"\bselect\s+(?:distinct\s+)?(?P<columns>.+?)\s+from\s+(?P<table>[\w.\"`\[\]]+)", re.IGNORECASE | re.DOTALL
)

# A write that returns the rows it wrote: INSERT ... RETURNING *, UPDATE ... RETURNING id, email.
_WRITE = re.compile(r"\s*(?:with\b.*?\)\s*)?(?:insert|update|delete)\b", re.IGNORECASE | re.DOTALL)
_RETURNING = re.compile(
    r"\b(?:insert\s+into|update|delete\s+from)\s+(?:only\s+)?(?P<table>[\w.\"`\[\]]+)"
    r".*?\breturning\s+(?P<columns>.+?)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)


def _request_body(call: Call) -> str | None:
    """``request.json()``, ``await request.body()``, ``request.get_json()``..."""
    if call.method not in _REQUEST_BODY_METHODS or not call.callee:
        return None
    base = call.callee.rsplit(".", 1)[0]
    if (
        base in _REQUEST_BASES
        or base.endswith(".request")
        or any(name.startswith(("flask.request.", "quart.request.")) for name in call.qualnames)
    ):
        return f"{call.callee}()"
    return None


def _model_of(call: Call) -> str | None:
    """The model class an ORM call reads: ``User.objects.get()``, ``User.query.get()``,
    ``db.query(User)``, ``session.get(User, id)``, ``select(User)``,
    ``get_object_or_404(User, ...)``, ``User.get(id=...)``."""
    callee = call.callee or ""
    parts = callee.split(".")
    if len(parts) >= 3 and parts[-3][:1].isupper() and parts[-2] in ("objects", "query"):
        return parts[-3]
    if len(parts) == 2 and parts[0][:1].isupper() and parts[0].isidentifier() and call.method in _FETCH_ONE:
        return parts[0]  # Tortoise, Beanie, Peewee: User.get(...)
    last = parts[-1] if parts else ""
    first = call.args[0] if call.args else None
    if isinstance(first, (Name, Attribute)):
        name = _dotted_text(first).rsplit(".", 1)[-1]
        if name[:1].isupper():
            if last in ("query", "select", "get_object_or_404") or call.qualname in ("sqlalchemy.select",):
                return name
            if last in ("get", "get_one") and len(call.args) >= 2 and "." in callee:
                return name  # session.get(User, user_id)
    return None


def _route(func: FunctionDef) -> bool:
    """A web route handler: decorated with ``@app.post("/...")``, ``@router.get(...)``,
    ``@bp.route(...)``."""
    for decorator in func.decorators:
        if isinstance(decorator, CallResult):
            call = decorator.call
            if call.method in _ROUTE_METHODS and call.args and isinstance(call.args[0], (Const, FString)):
                return True
    return False


def _dependency(default: Value | None) -> bool:
    """A FastAPI dependency or a parameter read from the query, path, headers or cookies."""
    if isinstance(default, CallResult):
        last = (default.call.callee or "").rsplit(".", 1)[-1]
        return last in ("Depends", "Security", "Query", "Path", "Header", "Cookie", "File", "Form")
    return False


def _annotated_class(value: Value) -> Value:
    """The class an annotation names: ``User`` for ``User | None``, ``Optional[User]``
    and ``Annotated[User, ...]``."""
    if isinstance(value, BinOp) and value.op == "|":
        left, right = value.left, value.right
        if isinstance(right, Const) and right.value is None:
            return _annotated_class(left)
        if isinstance(left, Const) and left.value is None:
            return _annotated_class(right)
        return value
    if isinstance(value, Subscript) and _dotted_text(value.base).rsplit(".", 1)[-1] in ("Optional", "Annotated"):
        key = value.key
        if isinstance(key, SequenceValue) and key.items:
            key = key.items[0]
        return _annotated_class(key)
    return value


def _dotted_text(value: Value) -> str:
    if isinstance(value, Name):
        return value.id
    if isinstance(value, Attribute):
        return value.dotted or value.attr
    if isinstance(value, Const) and isinstance(value.value, str):
        return value.value
    if isinstance(value, Subscript):
        return _dotted_text(value.base)
    return ""


def _value_of(dotted: str) -> Value:
    """A name or attribute value for dotted source text (``row``, ``self.user``)."""
    if "." not in dotted:
        return Name(dotted)
    return Attribute(dotted, dotted.rsplit(".", 1)[1])


def _fields_of(node: ast.ClassDef) -> tuple[str, ...]:
    fields: list[str] = []
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            annotation = ast.unparse(statement.annotation)
            if "Secret" in annotation or "ClassVar" in annotation:
                continue
            fields.append(statement.target.id)
        elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            fields.extend(t.id for t in statement.targets if isinstance(t, ast.Name))
    return tuple(name for name in fields if not name.startswith("_"))


def _columns(text: str) -> tuple[str, ...] | None:
    """The names (or aliases) of a ``SELECT`` list; ``None`` when it selects ``*``."""
    names: list[str] = []
    depth = 0
    current = ""
    items: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    for item in items:
        item = item.strip()
        if item == "*" or item.endswith(".*"):
            return None
        alias = re.search(r"\s+(?:as\s+)?[\"`]?(\w+)[\"`]?$", item, re.IGNORECASE)
        if alias and not item.endswith(")"):
            names.append(alias.group(1))
            continue
        plain = re.fullmatch(r"[\w.\"`]+", item)
        names.append(plain.group(0).strip('"`').rsplit(".", 1)[-1] if plain else "")
    return tuple(names)


_UNKNOWN: Any = object()
_MUTATING_METHODS = frozenset({"update", "setdefault", "__setitem__", "pop", "remove", "clear"})
_FOLD_NODES = (
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Subscript,
    ast.operator,
    ast.unaryop,
    ast.boolop,
    ast.cmpop,
)


_HEADER = re.compile(r"^(?:if|elif|match)\s+([^#]*?)\s*:\s*(?:#.*)?$")
_LITERAL_IN_CONDITION = re.compile(r"\d|['\"]|\b(?:True|False|None)\b")


def _statement_at(body: list[ast.stmt], line: int) -> ast.stmt | None:
    """The ``if``/``elif``/``match`` statement that starts on ``line``, found by going
    down the statements whose lines hold it (not a walk of the whole tree)."""
    while True:
        for statement in body:
            end = statement.end_lineno or statement.lineno
            if statement.lineno <= line <= end:
                break
        else:
            return None
        if statement.lineno == line and isinstance(statement, (ast.If, ast.Match)):
            return statement
        inner: list[ast.stmt] = []
        for field in ("body", "orelse", "finalbody"):
            inner.extend(getattr(statement, field, None) or ())
        for holder in (*(getattr(statement, "handlers", None) or ()), *(getattr(statement, "cases", None) or ())):
            inner.extend(holder.body)
        inner = [s for s in inner if isinstance(s, ast.stmt)]
        if not inner:
            return None
        body = inner


def _foldable(node: ast.AST) -> bool:
    """A condition made only of literals, names and operators (cheap to try)."""
    return all(isinstance(child, _FOLD_NODES) for child in ast.walk(node))


def _apply(op: type, left: Any, right: Any, unary: bool = False) -> Any:
    try:
        if unary:
            if op is ast.Not:
                return not left
            if op is ast.USub and isinstance(left, (int, float)):
                return -left
            return _UNKNOWN
        numeric = isinstance(left, (int, float)) and isinstance(right, (int, float))
        if numeric and (abs(left) > 10**12 or abs(right) > 10**12):
            return _UNKNOWN
        numbers = {
            ast.Add: lambda a, b: a + b,
            ast.Sub: lambda a, b: a - b,
            ast.Mult: lambda a, b: a * b,
            ast.Mod: lambda a, b: a % b,
            ast.FloorDiv: lambda a, b: a // b,
            ast.Gt: lambda a, b: a > b,
            ast.GtE: lambda a, b: a >= b,
            ast.Lt: lambda a, b: a < b,
            ast.LtE: lambda a, b: a <= b,
            ast.Eq: lambda a, b: a == b,
            ast.NotEq: lambda a, b: a != b,
            ast.In: lambda a, b: a in b,
            ast.NotIn: lambda a, b: a not in b,
        }
        function = numbers.get(op)
        if function is None:
            return _UNKNOWN
        if op is ast.Mult and (isinstance(left, (str, bytes)) or isinstance(right, (str, bytes))):
            return _UNKNOWN
        result = function(left, right)
        if isinstance(result, (str, bytes)) and len(result) > 10_000:
            return _UNKNOWN
        return result
    except Exception:  # a constant that does not fold (1 % 0, "a" > 1)
        return _UNKNOWN


def _index(base: Any, key: Any) -> Any:
    if isinstance(base, (str, bytes, tuple)) and isinstance(key, int) and not isinstance(key, bool):
        try:
            return base[key]
        except IndexError:
            return _UNKNOWN
    return _UNKNOWN


def _fold_value(value: Value, flow: DataFlow, function: str, depth: int) -> Any:
    """The constant a summarised value is: a literal, a name bound to one, an index of
    a constant string, an operation on constants."""
    if depth > 8:
        return _UNKNOWN
    if isinstance(value, Const):
        return value.value
    if isinstance(value, Name):
        if isinstance(value.bound, Const):
            return value.bound.value
        return _UNKNOWN
    if isinstance(value, Subscript):
        base = _fold_value(value.base, flow, function, depth + 1)
        key = _fold_value(value.key, flow, function, depth + 1)
        if base is _UNKNOWN or key is _UNKNOWN:
            return _UNKNOWN
        return _index(base, key)
    if isinstance(value, BinOp):
        operators = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult, "%": ast.Mod, "//": ast.FloorDiv}
        op = operators.get(value.op)
        if op is None:
            return _UNKNOWN
        left = _fold_value(value.left, flow, function, depth + 1)
        right = _fold_value(value.right, flow, function, depth + 1)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        return _apply(op, left, right)
    return _UNKNOWN


def _case_matches(case: ast.match_case, subject: Any) -> bool | None:
    """Whether a ``case`` takes a constant subject: ``True``/``False``, or ``None``
    when the pattern or a guard cannot be judged."""
    if case.guard is not None:
        return None
    return _pattern_matches(case.pattern, subject)


def _pattern_matches(pattern: ast.pattern, subject: Any) -> bool | None:
    if isinstance(pattern, ast.MatchValue) and isinstance(pattern.value, ast.Constant):
        return pattern.value.value == subject
    if isinstance(pattern, ast.MatchSingleton):
        return pattern.value is subject
    if isinstance(pattern, ast.MatchOr):
        results = [_pattern_matches(p, subject) for p in pattern.patterns]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if isinstance(pattern, ast.MatchAs) and pattern.pattern is None:
        return True  # case _ / case name
    return None
