"""Turn the lowered module into facts: resolve names through imports and assignments,
trace objects back to where they were made, and summarise argument values.

The analysis is deliberately flow-insensitive and local to one file: a name's bindings
anywhere in its scope are all considered, and a binding that cannot be traced (a call
to something unknown, a parameter without annotation) never wins over one that can.
Conflicting traceable bindings cancel out, so the facts err towards "unknown".
"""

from __future__ import annotations

import ast
import builtins
from functools import cached_property
from typing import Any

from prodready_lint.sdk.files import PythonFacts
from prodready_lint.sdk.model import Span
from prodready_lint.sdk.python import (
    Attribute,
    BinOp,
    Call,
    CallResult,
    Const,
    FString,
    FunctionDef,
    MappingValue,
    Name,
    Origin,
    SequenceValue,
    Unknown,
    Value,
)

from .ir import (
    Binding,
    Lowered,
    RAlt,
    RAttr,
    RawCall,
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

_BUILTINS = frozenset(dir(builtins))
_CONTEXT_MANAGER_DECORATORS = frozenset({"contextmanager", "asynccontextmanager"})
_PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
_OPTIONAL_WRAPPERS = frozenset(
    {"typing.Optional", "typing.Union", "typing.Annotated", "typing_extensions.Annotated", "typing.Final"}
)
_BUSY = object()  # memo marker for a resolution in progress (breaks cycles)
_MAX_DEPTH = 40


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
        self._calls: dict[int, Call] = {}
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
        if isinstance(expr, RName):
            return self._name_qualname(scope, expr.id)
        if isinstance(expr, RAttr):
            base = self.qualname(expr.value, scope)
            return f"{base}.{expr.attr}" if base else None
        return None

    def _name_qualname(self, scope: Scope, name: str) -> str | None:
        bindings = self.lookup(scope, name)
        if bindings is None:
            return f"builtins.{name}" if name in _BUILTINS else None
        key = (id(bindings), name)
        memo = self._qualname_memo.get(key)
        if memo is _BUSY:
            return None
        if key in self._qualname_memo:
            return memo
        self._qualname_memo[key] = _BUSY
        found: set[str] = set()
        for binding in bindings:
            if binding.kind == "import":
                found.add(binding.qualname)  # type: ignore[arg-type]
            elif binding.kind == "value" and isinstance(binding.expr, (RName, RAttr)):
                target = self.qualname(binding.expr, binding.where)
                if target is None:
                    found.add("")
                else:
                    found.add(target)
            else:
                found.add("")
        result = found.pop() if len(found) == 1 and "" not in found else None
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
                return self._merge([self._origin(option, scope) for option in expr.options], strict=False)
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
        found = {(o.qualname, o.receiver, o.method) for o in traced}
        if len(found) == 1 and (not strict or not any(o is _CONFLICT for o in origins)):
            return next((o for o in traced if o.kind == "call"), traced[0])
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
                return Origin("call", "<local>." + local.scope.qualname)  # type: ignore[union-attr]
            return self._returns_origin(local.scope)  # type: ignore[arg-type]
        qualname = self.qualname(call.func, call.scope)
        if qualname is not None:
            return Origin("call", qualname)
        if isinstance(call.func, RAttr):
            receiver = self.origin(call.func.value, call.scope)
            if receiver is not None:
                return Origin("call", None, receiver, call.func.attr)
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
        qualname = self.qualname(annotation, scope)
        if qualname is None or qualname.startswith("builtins."):
            return None
        return Origin("annotation", qualname)

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
            return Name(
                expr.id,
                self.qualname(expr, scope),
                self.origin(expr, scope),
                self.bound(expr, scope),
            )
        if isinstance(expr, RAttr):
            return Attribute(
                _dotted(expr),
                expr.attr,
                self.qualname(expr, scope),
                self.origin(expr, scope),
                self.bound(expr, scope),
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
        qualname = self.qualname(func, raw.scope)
        method_expr, method_scope = func, raw.scope
        if qualname is None and isinstance(func, RName):
            method_expr, method_scope = self._bound_method(func, raw.scope) or (func, raw.scope)
        line, col, end_line, end_col = raw.span
        fact = Call(
            span=Span(line, col, end_line, end_col),
            callee=_dotted(func) or "",
            qualname=qualname,
            method=method_expr.attr if isinstance(method_expr, RAttr) else None,
            star_args_at=raw.star_at,
            star_kwargs=raw.star_kwargs,
            function=_function_name(raw.scope),
            resolve=_LazyParts(self, raw, qualname, method_expr, method_scope),
        )
        self._calls[id(raw)] = fact
        return fact

    def _bound_method(self, func: RName, scope: Scope) -> tuple[RAttr, Scope] | None:
        """``post = session.post`` bound once: a later ``post(url)`` is that method call."""
        bindings = self.lookup(scope, func.id)
        if not bindings or len(bindings) != 1:
            return None
        binding = bindings[0]
        if binding.kind == "value" and isinstance(binding.expr, RAttr):
            return binding.expr, binding.where
        return None

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
                        if imports.get(name, binding.qualname) != binding.qualname:
                            conflicts.add(name)
                        imports[name] = binding.qualname  # type: ignore[assignment]
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
            )
            for scope in self.lowered.functions
        )


class _LazyParts:
    """Computes a call's receiver and argument values when a rule first asks."""

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
    def functions(self) -> tuple[FunctionDef, ...]:  # type: ignore[override]
        return self._resolver.functions()

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


def _function_name(scope: Scope) -> str:
    while scope.kind in ("comprehension", "lambda", "class") and scope.parent is not None:
        if scope.kind == "class":
            return "<module>" if scope.parent.kind == "module" else _function_name(scope.parent)
        scope = scope.parent
    return scope.qualname if scope.kind == "function" else "<module>"


def build_facts(lowered: Lowered) -> PythonFacts:
    return ResolvedFacts(lowered)
