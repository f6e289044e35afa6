"""Turn the lowered module into facts: resolve names through imports and assignments,
trace objects back to where they were made, and summarise argument values.

The analysis is deliberately flow-insensitive and local to one file: a name's bindings
anywhere in its scope are all considered, and a binding that cannot be traced (a call
to something unknown, a parameter without annotation) never wins over one that can.
Conflicting traced objects cancel out, so the facts err towards "unknown". Qualified
names are the exception: a name imported in ``try``/``except ImportError`` or in both
branches of an ``if`` has each import as an alternative (``qualnames``), because the
code runs with one of them whichever it is; only a certain one becomes ``qualname``.
"""

from __future__ import annotations

import ast
import builtins
from functools import cached_property
from typing import Any

import attrs

from prodready_lint.sdk.files import PythonFacts
from prodready_lint.sdk.model import Span
from prodready_lint.sdk.python import (
    Assignment,
    Attribute,
    BinOp,
    Call,
    CallResult,
    ClassDef,
    Const,
    FString,
    FunctionDef,
    MappingValue,
    Name,
    Origin,
    Parameter,
    SequenceValue,
    Target,
    Unknown,
    Value,
    literal,
)

from .aliases import canonical
from .ir import (
    Binding,
    Lowered,
    RAlt,
    RAttr,
    RawAssign,
    RawCall,
    RawParam,
    RBin,
    RCall,
    RConst,
    RDict,
    RExpr,
    RFStr,
    RName,
    RSeq,
    RSub,
    RUnknown,
    Scope,
    has_decorator,
)
from .uses import Use, collect_uses

_BUILTINS = frozenset(dir(builtins))
_CONTEXT_MANAGER_DECORATORS = frozenset({"contextmanager", "asynccontextmanager"})
_PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
_OPTIONAL_WRAPPERS = frozenset(
    {"typing.Optional", "typing.Union", "typing.Annotated", "typing_extensions.Annotated", "typing.Final"}
)
_PARTIAL = "functools.partial"
# Decorators that leave what a function returns as its body says.
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})
_BUSY = object()  # memo marker for a resolution in progress (breaks cycles)
_MAX_DEPTH = 40
_MAX_MAPPING_DEPTH = 8
_NO_NAMES: tuple[tuple[str, ...], bool] = ((), False)


class _Conflict:
    """Marker: the bindings disagree, so nothing can be said."""


_CONFLICT = _Conflict()


class Resolver:
    def __init__(self, lowered: Lowered) -> None:
        self.lowered = lowered
        self.module = lowered.module
        self._qualname_memo: dict[tuple[int, str], Any] = {}
        self._origin_memo: dict[tuple[int, str], Any] = {}
        self._attr_memo: dict[tuple[int, str], Any] = {}
        self._return_memo: dict[int, Any] = {}
        self._bound_memo: dict[tuple[int, str], Any] = {}
        self._key_writes_memo: dict[int, Any] = {}
        self._calls: dict[int, Call] = {}
        self._uses: dict[str, list[Use]] | None = None
        self._depth = 0

    # -- scopes ------------------------------------------------------------------------
    def lookup(self, scope: Scope, name: str) -> list[Binding] | None:
        """The bindings ``name`` refers to when read in ``scope`` (Python's LEGB, with
        class bodies invisible to the functions nested in them)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if name in current.declared_global:
                return self.module.bindings.get(name)
            if (first or current.kind != "class") and name in current.bindings:
                return current.bindings[name]
            first = False
            current = current.parent
        return None

    # -- qualified names ---------------------------------------------------------------
    def qualname(self, expr: RExpr, scope: Scope) -> str | None:
        """The one qualified name ``expr`` certainly refers to."""
        names, certain = self.qualnames(expr, scope)
        return names[0] if certain else None

    def qualnames(self, expr: RExpr, scope: Scope) -> tuple[tuple[str, ...], bool]:
        """Every qualified name ``expr`` may refer to, and whether exactly one is certain."""
        if isinstance(expr, RName):
            return self._name_qualnames(scope, expr.id)
        if isinstance(expr, RAttr):  # a.b.c: the qualified names of a, then .b.c once
            parts = [expr.attr]
            base = expr.value
            while isinstance(base, RAttr):
                parts.append(base.attr)
                base = base.value
            names, certain = self.qualnames(base, scope)
            if not names:
                return _NO_NAMES
            suffix = ".".join(reversed(parts))
            if len(names) == 1:
                return (canonical(f"{names[0]}.{suffix}"),), certain
            return tuple(dict.fromkeys(canonical(f"{name}.{suffix}") for name in names)), certain
        if isinstance(expr, RAlt):  # a class chosen at run time: each option
            found: list[str] = []
            for option in expr.options:
                found.extend(self.qualnames(option, scope)[0])
            return tuple(dict.fromkeys(found)), False
        return _NO_NAMES

    def _name_qualnames(self, scope: Scope, name: str) -> tuple[tuple[str, ...], bool]:
        bindings = self.lookup(scope, name)
        if bindings is None:
            return ((f"builtins.{name}",), True) if name in _BUILTINS else _NO_NAMES
        key = (id(bindings), name)
        memo = self._qualname_memo.get(key)
        if memo is _BUSY:
            return _NO_NAMES
        if memo is not None:
            return memo
        self._qualname_memo[key] = _BUSY
        found: list[str] = []
        certain = True
        for binding in bindings:
            if binding.kind == "import":
                found.append(canonical(binding.qualname))  # type: ignore[arg-type]
            elif binding.kind == "value" and isinstance(binding.expr, (RName, RAttr, RAlt)):
                names, sure = self.qualnames(binding.expr, binding.where)
                found.extend(names)
                certain = certain and sure
            else:  # None in an ``except ImportError``, a parameter...: no alternative, not certain
                certain = False
        unique = tuple(dict.fromkeys(found))
        result = (unique, certain and len(unique) == 1)
        self._qualname_memo[key] = result
        return result

    # -- origins -----------------------------------------------------------------------
    def origin(self, expr: RExpr, scope: Scope) -> Origin | None:
        result = self._origin(expr, scope)
        return result if isinstance(result, Origin) else None

    def _origin(self, expr: RExpr, scope: Scope) -> Origin | _Conflict | None:
        if self._depth > _MAX_DEPTH:
            return None
        self._depth += 1
        try:
            if isinstance(expr, RCall):
                return self._call_origin(expr.call)
            if isinstance(expr, RName):
                return self._name_origin(scope, expr.id)
            if isinstance(expr, RAttr):
                return self._attr_origin(expr, scope)
            if isinstance(expr, RAlt):
                options = [self._origin(option, scope) for option in expr.options]
                merged = self._merge(options, strict=False)
                return _alternatives(options) if merged is _CONFLICT else merged
            if isinstance(expr, RConst) and expr.value is None:
                return None
            if isinstance(expr, (RConst, RSeq, RDict, RFStr)):
                return _CONFLICT  # a literal is certainly not a traced object
            return None
        finally:
            self._depth -= 1

    @staticmethod
    def _merge(origins: list[Any], strict: bool = True) -> Origin | _Conflict | None:
        """One origin when every traceable candidate agrees; untraceable ones are ignored."""
        traced = [o for o in origins if isinstance(o, Origin)]
        # A declared type and a constructor call of that type describe the same object.
        found = {(o.qualname, o.qualnames, o.receiver, o.method) for o in traced}
        if len(found) == 1 and (not strict or not any(o is _CONFLICT for o in origins)):
            chosen = next((o for o in traced if o.kind == "call"), traced[0])
            return _made_by_one_call(chosen, traced)
        if len(found) > 1 or any(o is _CONFLICT for o in origins):
            return _CONFLICT
        return None

    def _binding_origin(self, binding: Binding) -> Origin | _Conflict | None:
        kind = binding.kind
        if kind == "value":
            # A declared type says more than a value such as dataclasses.field(...) or None.
            if binding.annotation is not None:
                declared = self._annotation_origin(binding.annotation, binding.where)
                if declared is not None:
                    return declared
            return self._origin(binding.expr, binding.where)  # type: ignore[arg-type]
        if kind == "with":
            return self._with_origin(binding.expr, binding.where)  # type: ignore[arg-type]
        if kind in ("annotation", "param"):
            if binding.annotation is None:
                return None
            return self._annotation_origin(binding.annotation, binding.where)
        if kind == "import":
            return None
        if kind in ("def", "class"):
            return _CONFLICT
        return None

    def _name_origin(self, scope: Scope, name: str) -> Origin | _Conflict | None:
        bindings = self.lookup(scope, name)
        if not bindings:
            return None
        key = (id(bindings), name)
        memo = self._origin_memo.get(key, None)
        if memo is _BUSY:
            return None
        if key in self._origin_memo:
            return memo
        self._origin_memo[key] = _BUSY
        result = self._merge([self._binding_origin(b) for b in bindings])
        self._origin_memo[key] = result
        return result

    def _self_class(self, expr: RExpr, scope: Scope) -> Scope | None:
        """The class when ``expr`` is the ``self``/``cls`` of the method ``scope`` is in."""
        if not isinstance(expr, RName):
            return None
        current: Scope | None = scope
        while current is not None and current.kind in ("comprehension", "lambda"):
            current = current.parent
        while current is not None and current.kind == "function":
            cls = current.enclosing_class()
            if cls is not None and current.self_name == expr.id:
                return cls
            if expr.id in current.bindings:
                return None
            current = current.parent
        return None

    def _class_member_origin(self, cls: Scope, attr: str) -> Origin | _Conflict | None:
        key = (id(cls), attr)
        memo = self._attr_memo.get(key, None)
        if memo is _BUSY:
            return None
        if key in self._attr_memo:
            return memo
        self._attr_memo[key] = _BUSY
        candidates: list[Any] = []
        for binding in cls.self_attrs.get(attr, ()):
            candidates.append(self._binding_origin(binding))
        for binding in cls.bindings.get(attr, ()):
            if binding.kind == "def" and binding.scope is not None:
                if has_decorator(binding.scope.decorators, _PROPERTY_DECORATORS):
                    candidates.append(self._returns_origin(binding.scope))
                else:
                    candidates.append(_CONFLICT)  # a bound method, not a traced object
            else:
                candidates.append(self._binding_origin(binding))
        result = self._merge(candidates)
        self._attr_memo[key] = result
        return result

    def _attr_origin(self, expr: RAttr, scope: Scope) -> Origin | _Conflict | None:
        cls = self._self_class(expr.value, scope)
        if cls is None:  # ClassName.attr for a class defined in this file
            local = self._local_definition(expr.value, scope)
            if local is not None and local.kind == "class":
                cls = local.scope
        if cls is not None:
            return self._class_member_origin(cls, expr.attr)
        base = self._origin(expr.value, scope)
        if isinstance(base, Origin):
            local = self._local_class(base)
            if local is not None:
                return self._class_member_origin(local, expr.attr)
            return Origin("attribute", None, base, expr.attr)
        return None

    def _local_class(self, origin: Origin) -> Scope | None:
        """The class defined in this file that ``origin`` is an instance of, if any."""
        if origin.kind not in ("call", "annotation") or not (origin.qualname or "").startswith("<local>."):
            return None
        return self._local_classes().get(origin.qualname[len("<local>.") :])

    def _local_classes(self) -> dict[str, Scope]:
        classes = getattr(self, "_classes", None)
        if classes is None:
            classes = {}
            stack = [self.module]
            while stack:
                scope = stack.pop()
                for bindings in scope.bindings.values():
                    for binding in bindings:
                        if binding.kind == "class" and binding.scope is not None:
                            classes[binding.scope.qualname] = binding.scope
                            stack.append(binding.scope)
            self._classes = classes
        return classes

    def _local_definition(self, func: RExpr, scope: Scope) -> Binding | None:
        """The ``def``/``class`` binding a callee name refers to, when it is in this file."""
        if isinstance(func, RName):
            bindings = self.lookup(scope, func.id)
            if bindings and len(bindings) == 1 and bindings[0].kind in ("def", "class"):
                return bindings[0]
            return None
        if isinstance(func, RAttr):
            cls = self._self_class(func.value, scope)
            if cls is not None:
                members = cls.bindings.get(func.attr)
                if members and len(members) == 1 and members[0].kind == "def":
                    return members[0]
        return None

    def _call_origin(self, call: RawCall) -> Origin | _Conflict | None:
        local = self._local_definition(call.func, call.scope)
        if local is not None:
            if local.kind == "class":
                return Origin("call", "<local>." + local.scope.qualname, call=self.call(call))  # type: ignore[union-attr]
            return self._returns_origin(local.scope)  # type: ignore[arg-type]
        made_by = self.call(call)
        if made_by.qualnames:
            return Origin("call", made_by.qualname, qualnames=made_by.qualnames, call=made_by)
        if isinstance(call.func, RAttr):
            receiver = self.origin(call.func.value, call.scope)
            if receiver is not None:
                return Origin("call", None, receiver, call.func.attr, call=made_by)
        return None

    def _returns_origin(self, func: Scope) -> Origin | _Conflict | None:
        key = id(func)
        memo = self._return_memo.get(key, None)
        if memo is _BUSY:
            return None
        if key in self._return_memo:
            return memo
        self._return_memo[key] = _BUSY
        values = func.yields if has_decorator(func.decorators, _CONTEXT_MANAGER_DECORATORS) else func.returns
        result = self._merge([self._origin(value, func) for value in values])
        self._return_memo[key] = result
        return result

    def _with_origin(self, manager: RExpr, scope: Scope) -> Origin | _Conflict | None:
        # Most context managers return themselves from __enter__; generator-based ones
        # (@contextmanager) give what they yield, which _returns_origin already follows.
        return self._origin(manager, scope)

    def _annotation_origin(self, annotation: RExpr, scope: Scope) -> Origin | None:
        annotation = self._unwrap_annotation(annotation, scope)
        if annotation is None:
            return None
        local = self._local_definition(annotation, scope)
        if local is not None and local.kind == "class":
            return Origin("annotation", "<local>." + local.scope.qualname)  # type: ignore[union-attr]
        names, certain = self.qualnames(annotation, scope)
        types = tuple(name for name in names if not name.startswith("builtins."))
        if not types:
            return None
        return Origin("annotation", types[0] if certain and len(types) == 1 else None, qualnames=types)

    def _unwrap_annotation(self, annotation: RExpr, scope: Scope, depth: int = 0) -> RExpr | None:
        if depth > 5:
            return None
        if isinstance(annotation, RConst) and isinstance(annotation.value, str):
            try:
                parsed = ast.parse(annotation.value.strip(), mode="eval").body
            except SyntaxError:
                return None
            from .front_ast import AstLowering  # local: avoids an import cycle

            annotation = AstLowering(lambda line, offset: offset + 1).expr(parsed, scope)
        if isinstance(annotation, RSub):
            wrapper = self.qualname(annotation.value, scope)
            if wrapper in _OPTIONAL_WRAPPERS:
                index = annotation.index
                options = index.items if isinstance(index, RSeq) else [index]
                inner = [o for o in options if not (isinstance(o, RConst) and o.value is None)]
                if inner:
                    return self._unwrap_annotation(inner[0], scope, depth + 1)
            return None
        if isinstance(annotation, RBin) and annotation.op == "|":
            sides = [annotation.left, annotation.right]
            inner = [s for s in sides if not (isinstance(s, RConst) and s.value is None)]
            if len(inner) == 1:
                return self._unwrap_annotation(inner[0], scope, depth + 1)
            return None
        if isinstance(annotation, (RName, RAttr)):
            return annotation
        return None

    # -- constants ---------------------------------------------------------------------
    def bound(self, expr: RExpr, scope: Scope) -> Value | None:
        """The literal-like value a name or ``self`` attribute is bound to exactly once."""
        if isinstance(expr, RName):
            bindings = self.lookup(scope, expr.id)
            key = (id(bindings), expr.id)
        elif isinstance(expr, RAttr):
            cls = self._self_class(expr.value, scope)
            if cls is None:
                return None
            bindings = [*cls.self_attrs.get(expr.attr, ()), *cls.bindings.get(expr.attr, ())]
            key = (id(cls), "." + expr.attr)
        else:
            return None
        if not bindings or len(bindings) != 1:
            return None
        memo = self._bound_memo.get(key, None)
        if memo is _BUSY:
            return None
        if key in self._bound_memo:
            return memo
        self._bound_memo[key] = _BUSY
        binding = bindings[0]
        result = None
        if binding.kind == "value" and _literal_like(binding.expr):
            result = self.value(binding.expr, binding.where)  # type: ignore[arg-type]
        self._bound_memo[key] = result
        return result

    # -- values and calls --------------------------------------------------------------
    def value(self, expr: RExpr, scope: Scope) -> Value:
        if isinstance(expr, RConst):
            return Const(expr.value)
        if isinstance(expr, RName):
            names, certain = self.qualnames(expr, scope)
            return Name(
                expr.id,
                names[0] if certain else None,
                self.origin(expr, scope),
                self.bound(expr, scope),
                names,
            )
        if isinstance(expr, RAttr):
            names, certain = self.qualnames(expr, scope)
            return Attribute(
                _dotted(expr),
                expr.attr,
                names[0] if certain else None,
                self.origin(expr, scope),
                self.bound(expr, scope),
                names,
            )
        if isinstance(expr, RCall):
            return CallResult(self.call(expr.call))
        if isinstance(expr, RSeq):
            return SequenceValue(expr.kind, tuple(self.value(item, scope) for item in expr.items))
        if isinstance(expr, RDict):
            return MappingValue(
                tuple(self.value(k, scope) if k is not None else None for k in expr.keys),
                tuple(self.value(v, scope) for v in expr.values),
            )
        if isinstance(expr, RFStr):
            return FString(tuple(self.value(part, scope) for part in expr.parts))
        if isinstance(expr, RBin):
            return BinOp(expr.op, self.value(expr.left, scope), self.value(expr.right, scope))
        if isinstance(expr, RAlt):
            return Unknown("alternatives")
        if isinstance(expr, RSub):
            return Unknown("subscript")
        if isinstance(expr, RUnknown):
            return Unknown(expr.kind)
        return Unknown("expression")

    def call(self, raw: RawCall) -> Call:
        done = self._calls.get(id(raw))
        if done is not None:
            return done
        func = raw.func
        names, certain = self.qualnames(func, raw.scope)
        method_expr, method_scope, partial = func, raw.scope, None
        if not names and isinstance(func, RName):
            bound = self._bound_once(func, raw.scope)
            if bound is not None and isinstance(bound[0], RAttr):  # post = session.post
                method_expr, method_scope = bound
            elif bound is not None and isinstance(bound[0], RCall) and self._is_partial(bound[0].call):
                made = bound[0].call  # get = functools.partial(requests.get, ...)
                partial = self.call(made)
                names = self.qualnames(made.args[0], made.scope)[0]
                if not names and isinstance(made.args[0], RAttr):
                    method_expr, method_scope = made.args[0], made.scope
        qualname = names[0] if certain else None
        line, col, end_line, end_col = raw.span
        fact = Call(
            span=Span(line, col, end_line, end_col),
            callee=_dotted(func) or "",
            qualname=qualname,
            method=method_expr.attr if isinstance(method_expr, RAttr) else None,
            star_args_at=raw.star_at,
            star_kwargs=bool(raw.spreads),
            function=_function_name(raw.scope),
            resolve=_LazyParts(self, raw, qualname, method_expr, method_scope),
            qualnames=names,
            partial=partial,
        )
        self._calls[id(raw)] = fact
        return fact

    def _bound_once(self, func: RName, scope: Scope) -> tuple[RExpr, Scope] | None:
        """The value a name is bound to, when it is bound exactly once by assignment."""
        bindings = self.lookup(scope, func.id)
        if not bindings or len(bindings) != 1:
            return None
        binding = bindings[0]
        if binding.kind == "value" and binding.expr is not None:
            return binding.expr, binding.where
        return None

    def _is_partial(self, raw: RawCall) -> bool:
        """``functools.partial(func, ...)`` with the wrapped function in sight."""
        return bool(raw.args) and raw.star_at != 0 and _PARTIAL in self.qualnames(raw.func, raw.scope)[0]

    # -- mappings spread into calls ----------------------------------------------------
    def known_mapping(self, expr: RExpr, scope: Scope, depth: int = 0) -> _Mapping | None:
        """The keys a ``**mapping`` certainly passes, each with the expressions that may
        give its value; ``None`` when the mapping cannot be seen whole."""
        if depth > _MAX_MAPPING_DEPTH:
            return None
        if isinstance(expr, RDict):
            return self._display_keys(expr, scope, depth)
        if isinstance(expr, RName):
            return self._name_mapping(expr.id, scope, depth)
        if isinstance(expr, RCall):
            return self._call_mapping(expr.call, depth)
        return None

    def _display_keys(self, display: RDict, scope: Scope, depth: int) -> _Mapping | None:
        out: _Mapping = {}
        for key, value in zip(display.keys, display.values):
            if key is None:  # {**other, ...}
                inner = self.known_mapping(value, scope, depth + 1)
                if inner is None:
                    return None
                out.update((name, list(sources)) for name, sources in inner.items())
            elif isinstance(key, RConst) and isinstance(key.value, str):
                out[key.value] = [(value, scope)]
            else:
                return None
        return out

    def _name_mapping(self, name: str, scope: Scope, depth: int) -> _Mapping | None:
        """A name bound once to a known mapping, changed elsewhere at most by
        ``name["constant"] = value``."""
        bindings = self.lookup(scope, name)
        if not bindings or len(bindings) != 1 or bindings[0].kind != "value":
            return None
        writes = self._key_writes(bindings, name)
        if writes is None:
            return None
        base = self.known_mapping(bindings[0].expr, bindings[0].where, depth + 1)  # type: ignore[arg-type]
        if base is None:
            return None
        out = {key: list(sources) for key, sources in base.items()}
        for key, source in writes:
            out.setdefault(key, []).append(source)
        return out

    def _call_mapping(self, raw: RawCall, depth: int) -> _Mapping | None:
        """``dict(...)``, or a function of this file whose every return is a known mapping."""
        if self.qualname(raw.func, raw.scope) == "builtins.dict":
            return self._dict_call_keys(raw, depth)
        local = self._local_definition(raw.func, raw.scope)
        if local is None or local.kind != "def" or local.scope is None:
            return None
        func = local.scope
        if func.yields or not func.returns or not _returns_what_it_says(func):
            return None
        out: _Mapping = {}
        for value in func.returns:
            if isinstance(value, RName) and value.id not in func.bindings:
                return None  # a mapping shared beyond one call: its callers may change it
            mapping = self.known_mapping(value, func, depth + 1)
            if mapping is None:
                return None
            for key, sources in mapping.items():
                out.setdefault(key, []).extend(sources)
        return out

    def _dict_call_keys(self, raw: RawCall, depth: int) -> _Mapping | None:
        if raw.star_at is not None or len(raw.args) > 1:
            return None
        out: _Mapping = {}
        for mapping in (*raw.args, *raw.spreads):
            inner = self.known_mapping(mapping, raw.scope, depth + 1)
            if inner is None:
                return None
            out.update((name, list(sources)) for name, sources in inner.items())
        for name, value in raw.keywords:
            out[name] = [(value, raw.scope)]
        return out

    def _key_writes(self, bindings: list[Binding], name: str) -> list[tuple[str, tuple[RExpr, Scope]]] | None:
        """The ``name["key"] = value`` writes to the object a name is bound to; ``None``
        when anything else may change it (a method call, a non-constant key, being
        passed to a call or bound to another name)."""
        key = id(bindings)
        if key in self._key_writes_memo:
            return self._key_writes_memo[key]
        writes: list[tuple[str, tuple[RExpr, Scope]]] | None = []
        for scope, use, index, value in self._name_uses().get(name, ()):
            if use == "read" or self.lookup(scope, name) is not bindings:
                continue
            if use == "key" and isinstance(index, RConst) and isinstance(index.value, str):
                writes.append((index.value, (value, scope)))  # type: ignore[union-attr, arg-type]
                continue
            writes = None
            break
        self._key_writes_memo[key] = writes
        return writes

    def _name_uses(self) -> dict[str, list[Use]]:
        if self._uses is None:
            self._uses = collect_uses(self.lowered)
        return self._uses

    def value_of(self, sources: list[tuple[RExpr, Scope]]) -> Value:
        """The value of a mapping key: the one its sources agree on, else unknown."""
        values = [self.value(expr, scope) for expr, scope in sources]
        if all(value == values[0] for value in values[1:]):
            return values[0]
        return Unknown("**kwargs")

    def calls(self) -> tuple[Call, ...]:
        return tuple(sorted((self.call(raw) for raw in self.lowered.calls), key=lambda c: (c.span.line, c.span.column)))

    def imports(self) -> dict[str, str]:
        imports: dict[str, str] = {}
        conflicts: set[str] = set()
        stack = [self.module]
        while stack:
            scope = stack.pop()
            for name, bindings in scope.bindings.items():
                for binding in bindings:
                    if binding.kind == "import":
                        qualname = canonical(binding.qualname)  # type: ignore[arg-type]
                        if imports.get(name, qualname) != qualname:
                            conflicts.add(name)
                        imports[name] = qualname
                    elif binding.scope is not None:
                        stack.append(binding.scope)
        for name in conflicts:
            imports.pop(name, None)
        return imports

    def constants(self) -> dict[str, Value]:
        constants = {}
        for name, bindings in self.module.bindings.items():
            if len(bindings) == 1 and bindings[0].kind == "value" and _literal_like(bindings[0].expr):
                constants[name] = self.value(bindings[0].expr, self.module)  # type: ignore[arg-type]
        return constants

    def functions(self) -> tuple[FunctionDef, ...]:
        return tuple(
            FunctionDef(
                name=scope.name,
                qualname=scope.qualname,
                span=Span(*scope.span) if scope.span else Span(1),
                is_async=scope.is_async,
                decorators=tuple(self.value(d, scope.parent or self.module) for d in scope.decorators),
                params=tuple(scope.params),
                parameters=tuple(self._parameter(p, scope.parent or self.module) for p in scope.parameters),
            )
            for scope in self.lowered.functions
        )

    def _parameter(self, param: RawParam, outside: Scope) -> Parameter:
        return Parameter(
            name=param.name,
            kind=param.kind,
            default=self.value(param.default, outside) if param.default is not None else None,
            annotation=self.value(param.annotation, outside) if param.annotation is not None else None,
            span=self._span(param.node),
        )

    def classes(self) -> tuple[ClassDef, ...]:
        out = []
        for scope in self.lowered.classes:
            outside = scope.parent or self.module
            out.append(
                ClassDef(
                    name=scope.name,
                    qualname=scope.qualname,
                    span=Span(*scope.span) if scope.span else Span(1),
                    bases=tuple(self.value(base, outside) for base in scope.bases),
                    keywords=tuple((name, self.value(value, outside)) for name, value in scope.keywords),
                    decorators=tuple(self.value(d, outside) for d in scope.decorators),
                )
            )
        return tuple(out)

    # -- assignments -------------------------------------------------------------------
    def assignments(self) -> tuple[Assignment, ...]:
        return tuple(
            self._assignment(raw)
            for raw in self.lowered.assignments
            if raw.call is None or self._writes_through_call(raw)
        )

    def _writes_through_call(self, raw: RawAssign) -> bool:
        """Whether a call the front end took for an assignment is one: ``setattr`` must
        be the builtin, and mapping writes must be on ``os.environ`` or a ``.config``."""
        call = raw.call
        func = call.func  # type: ignore[union-attr]
        if isinstance(func, RName):
            return self.qualname(func, call.scope) == "builtins.setattr"  # type: ignore[union-attr]
        receiver = func.value  # type: ignore[attr-defined]
        if isinstance(receiver, RAttr) and receiver.attr == "config":
            return True
        return func.attr != "from_mapping" and "os.environ" in self.qualnames(receiver, call.scope)[0]  # type: ignore[attr-defined, union-attr]

    def _assignment(self, raw: RawAssign) -> Assignment:
        scope_kind, scope_name = _running_scope(raw.scope)
        return Assignment(
            target=self._target(raw.target, raw.scope, self._span(raw.target_node)),
            op=raw.op,
            span=self._span(raw.statement),
            value_span=self._span(raw.value_node),
            scope=scope_kind,
            scope_name=scope_name,
            function=_function_name(raw.scope),
            call=self.call(raw.call) if raw.call is not None else None,
            resolve=_LazyAssignment(self, raw),
        )

    def _target(self, expr: RExpr, scope: Scope, span: Span) -> Target:
        if isinstance(expr, RName):
            return Target("name", span, name=expr.id)
        base = expr.value  # type: ignore[attr-defined]
        common = {"base": _dotted(base), "base_qualname": self.qualname(base, scope)}
        if isinstance(expr, RAttr):
            return Target("attribute", span, name=expr.attr, **common)
        return Target("subscript", span, key=literal(self.value(expr.index, scope)), **common)  # type: ignore[attr-defined]

    def _span(self, node: Any) -> Span:
        return Span(*self.lowered.span_of(node))


class _LazyParts:
    """Computes a call's receiver, argument values, unpacked keywords and context
    managers when a rule first asks."""

    __slots__ = ("method_expr", "method_scope", "qualname", "raw", "resolver")

    def __init__(
        self, resolver: Resolver, raw: RawCall, qualname: str | None, method_expr: RExpr, method_scope: Scope
    ) -> None:
        self.resolver = resolver
        self.raw = raw
        self.qualname = qualname
        self.method_expr = method_expr  # the call's function, or the attribute a name was bound to
        self.method_scope = method_scope

    def receiver(self, call: Call) -> Origin | None:
        func = self.method_expr
        if self.qualname is None and isinstance(func, RAttr):
            return self.resolver.origin(func.value, self.method_scope)
        return None

    def args(self, call: Call) -> tuple[Value, ...]:
        return tuple(self.resolver.value(arg, self.raw.scope) for arg in self.raw.args)

    def keywords(self, call: Call) -> tuple[tuple[str, Value], ...]:
        return tuple((name, self.resolver.value(value, self.raw.scope)) for name, value in self.raw.keywords)

    def unpacked_keywords(self, call: Call) -> tuple[tuple[str, Value], ...] | None:
        merged: _Mapping = {}
        for spread in self.raw.spreads:
            mapping = self.resolver.known_mapping(spread, self.raw.scope)
            if mapping is None:
                return None
            for key, sources in mapping.items():
                merged.setdefault(key, []).extend(sources)
        return tuple((key, self.resolver.value_of(sources)) for key, sources in merged.items())

    def context_managers(self, call: Call) -> tuple[Value, ...]:
        managers = []
        frame = self.raw.within
        while frame is not None:
            managers.append(self.resolver.value(frame.manager, frame.scope))
            frame = frame.outer
        return tuple(managers)


class _LazyAssignment:
    """Computes an assignment's value and annotation when a rule first asks."""

    __slots__ = ("raw", "resolver")

    def __init__(self, resolver: Resolver, raw: RawAssign) -> None:
        self.resolver = resolver
        self.raw = raw

    def value(self, assignment: Assignment) -> Value:
        return self.resolver.value(self.raw.value, self.raw.scope)

    def annotation(self, assignment: Assignment) -> Value | None:
        annotation = self.raw.annotation
        return self.resolver.value(annotation, self.raw.scope) if annotation is not None else None


class ResolvedFacts(PythonFacts):
    """The engine's facts: each computed on first access."""

    def __init__(self, lowered: Lowered) -> None:
        self._resolver = Resolver(lowered)
        self._lowered = lowered

    @cached_property
    def imports(self) -> dict[str, str]:  # type: ignore[override]
        return self._resolver.imports()

    @cached_property
    def imported_modules(self) -> frozenset[str]:  # type: ignore[override]
        return frozenset(self._lowered.imported_modules)

    @cached_property
    def calls(self) -> tuple[Call, ...]:  # type: ignore[override]
        return self._resolver.calls()

    @cached_property
    def assignments(self) -> tuple[Assignment, ...]:  # type: ignore[override]
        return self._resolver.assignments()

    @cached_property
    def functions(self) -> tuple[FunctionDef, ...]:  # type: ignore[override]
        return self._resolver.functions()

    @cached_property
    def classes(self) -> tuple[ClassDef, ...]:  # type: ignore[override]
        return self._resolver.classes()

    @cached_property
    def constants(self) -> dict[str, Value]:  # type: ignore[override]
        return self._resolver.constants()


def _literal_like(expr: RExpr | None) -> bool:
    if isinstance(expr, RConst):
        return True
    if isinstance(expr, RSeq):
        return all(_literal_like(item) for item in expr.items)
    if isinstance(expr, RFStr):
        return True
    if isinstance(expr, RBin):
        return isinstance(expr.left, (RConst, RFStr, RBin)) or isinstance(expr.right, (RConst, RFStr, RBin))
    return False


def _dotted(expr: RExpr) -> str | None:
    if isinstance(expr, RName):
        return expr.id
    if isinstance(expr, RAttr):
        base = _dotted(expr.value)
        return f"{base}.{expr.attr}" if base else None
    return None


def _alternatives(options: list[Any]) -> Origin | _Conflict:
    """A conditional expression choosing between objects made by different callees or
    declared with different types (``SMTP_SSL(h) if tls else SMTP(h)``): one object,
    from each of them."""
    traced = [o for o in options if isinstance(o, Origin)]
    if not traced or any(o.receiver is not None or not o.qualnames or o.kind == "attribute" for o in traced):
        return _CONFLICT
    names = tuple(dict.fromkeys(name for origin in traced for name in origin.qualnames))
    return Origin("call", None, qualnames=names)


def _made_by_one_call(chosen: Origin, traced: list[Origin]) -> Origin:
    """``chosen``, keeping its ``call`` only when every candidate was made by that call."""
    if chosen.call is not None and any(o.kind == "call" and o.call is not chosen.call for o in traced):
        return attrs.evolve(chosen, call=None)
    return chosen


def _returns_what_it_says(func: Scope) -> bool:
    """A function whose decorators cannot change what its ``return`` statements give."""
    return all(_decorator_name(d) in _PLAIN_DECORATORS for d in func.decorators)


def _decorator_name(decorator: RExpr) -> str | None:
    target = decorator.call.func if isinstance(decorator, RCall) else decorator
    return target.id if isinstance(target, RName) else target.attr if isinstance(target, RAttr) else None


_Mapping = dict[str, list[tuple[RExpr, Scope]]]


def _running_scope(scope: Scope) -> tuple[str, str]:
    """The kind and qualified name of the scope code runs in (a comprehension runs in
    the scope around it; a lambda is a function)."""
    while scope.kind == "comprehension" and scope.parent is not None:
        scope = scope.parent
    kind = "function" if scope.kind == "lambda" else scope.kind
    return kind, scope.qualname


def _function_name(scope: Scope) -> str:
    while scope.kind in ("comprehension", "lambda", "class") and scope.parent is not None:
        if scope.kind == "class":
            return "<module>" if scope.parent.kind == "module" else _function_name(scope.parent)
        scope = scope.parent
    return scope.qualname if scope.kind == "function" else "<module>"


def build_facts(lowered: Lowered) -> PythonFacts:
    return ResolvedFacts(lowered)
