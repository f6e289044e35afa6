"""Lower an ``ast`` tree into the parser-neutral form (the fast path: ``ast`` is C-speed)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from .ir import (
    NONE,
    STATIC_METHOD,
    UNPACKED,
    Binding,
    Lowered,
    Names,
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
    RSeq,
    RSub,
    RUnknown,
    Scope,
    WithFrame,
    bind_parameters,
    call_writes,
    fstring,
    function_of,
    has_decorator,
    is_write_call,
)

_BINOPS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.MatMult: "@",
}

Column = Callable[[int, int], int]
_NO_KEYWORDS: tuple[tuple[str, RExpr], ...] = ()  # shared by the many calls without keywords
Where = int  # a packed position, see where()
# Where an assignment's value comes from: (statement position, value node, value, operator).
Site = tuple[Where, ast.AST, RExpr, str]
_FIELD = 32  # bits per part of a packed position
_MASK = (1 << _FIELD) - 1


def where(node: ast.AST) -> Where:
    """A node's position as ``ast`` gives it (line, byte column, end line, end byte
    column), packed into one int: the facts keep it instead of the node, so they do not
    hold the tree, and an int is no work for the garbage collector."""
    line, column = node.lineno, node.col_offset  # type: ignore[attr-defined]
    end_line, end_column = node.end_lineno or line, node.end_col_offset  # type: ignore[attr-defined]
    return (((line << _FIELD | column) << _FIELD | end_line) << _FIELD) | (end_column or 0)


def _unpack(position: Where) -> tuple[int, int, int, int]:
    return (
        position >> 3 * _FIELD,
        position >> 2 * _FIELD & _MASK,
        position >> _FIELD & _MASK,
        position & _MASK,
    )


class AstSpans:
    """Spans in characters of ``ast`` nodes and of the positions :func:`where` keeps.
    The facts keep it to place assignments and parameters when a rule asks, so it
    holds the column function and nothing else."""

    __slots__ = ("column",)

    def __init__(self, column: Column) -> None:
        self.column = column

    def __call__(self, node: ast.AST | Where) -> tuple[int, int, int, int]:
        if type(node) is int:
            line, offset, end_line, end_offset = _unpack(node)
            end_offset = end_offset or None  # packed from a node without an end
        else:
            line, offset = node.lineno, node.col_offset  # type: ignore[union-attr]
            end_line, end_offset = node.end_lineno or line, node.end_col_offset  # type: ignore[union-attr]
        col = self.column(line, offset)
        end_col = self.column(end_line, end_offset) if end_offset is not None else col + 1
        return (line, col, end_line, end_col)


class AstLowering:
    """One pass over the tree; every ``ast.Call`` anywhere becomes exactly one RawCall."""

    def __init__(self, column: Column) -> None:
        self.span = AstSpans(column)
        self.names = Names()
        self.out = Lowered(Scope("module", "<module>", None), self.span)
        self.within: WithFrame | None = None  # the innermost enclosing ``with`` item

    # -- entry -------------------------------------------------------------------------
    def lower(self, tree: ast.Module) -> Lowered:
        self.block(tree.body, self.out.module)
        return self.out

    # -- statements --------------------------------------------------------------------
    def block(self, body: list[ast.stmt], scope: Scope) -> None:
        stmt = self.stmt
        for node in body:
            stmt(node, scope)

    def stmt(self, node: ast.stmt, scope: Scope) -> None:
        kind = type(node)
        if kind is ast.Expr:
            self.expr(node.value, scope)
        elif kind is ast.Assign:
            value = self.expr(node.value, scope)
            site = (where(node), node.value, value, "=")
            for target in node.targets:
                self.bind_target(target, value, scope, "value", site=site)
        elif kind is ast.Return:
            value = self.expr(node.value, scope) if node.value is not None else NONE
            func = function_of(scope)
            if func is not None:
                func.returns.append(value)
        elif kind is ast.If or kind is ast.While:
            self.expr(node.test, scope)
            self.block(node.body, scope)
            self.block(node.orelse, scope)
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            self.function(node, scope)
        elif kind is ast.ClassDef:
            self.class_(node, scope)
        elif kind is ast.Import:
            for alias in node.names:
                self.out.imported_modules.add(alias.name)
                if alias.asname:
                    scope.bind(alias.asname, Binding("import", scope, qualname=alias.name))
                else:
                    top = alias.name.split(".", 1)[0]
                    scope.bind(top, Binding("import", scope, qualname=top))
        elif kind is ast.ImportFrom:
            module = "." * (node.level or 0) + (node.module or "")
            if module.strip("."):
                self.out.imported_modules.add(module)
            for alias in node.names:
                if alias.name == "*":
                    continue
                qualname = f"{module}.{alias.name}" if not module.endswith(".") else module + alias.name
                if module and not module.endswith("."):
                    self.out.imported_modules.add(qualname)
                scope.bind(alias.asname or alias.name, Binding("import", scope, qualname=qualname))
        elif kind is ast.With or kind is ast.AsyncWith:
            outside = self.within
            for item in node.items:
                manager = self.expr(item.context_expr, scope)
                if item.optional_vars is not None:
                    self.bind_target(item.optional_vars, manager, scope, "with")
                self.within = WithFrame(manager, scope, self.within)
            self.block(node.body, scope)
            self.within = outside
        elif kind is ast.AnnAssign:
            annotation = self.expr(node.annotation, scope)
            if node.value is not None:
                value = self.expr(node.value, scope)
                self.bind_target(node.target, value, scope, "value", annotation, (where(node), node.value, value, ":"))
            else:
                self.bind_target(node.target, None, scope, "annotation", annotation)
        elif kind is ast.AugAssign:
            value = self.expr(node.value, scope)
            operator = _BINOPS.get(type(node.op), "?") + "="
            self.bind_target(node.target, None, scope, "unknown", site=(where(node), node.value, value, operator))
        elif kind is ast.For or kind is ast.AsyncFor:
            self.expr(node.iter, scope)
            self.bind_target(node.target, None, scope, "unknown")
            self.block(node.body, scope)
            self.block(node.orelse, scope)
        elif kind is ast.Try or kind.__name__ == "TryStar":
            self.block(node.body, scope)  # type: ignore[attr-defined]
            for handler in node.handlers:  # type: ignore[attr-defined]
                if handler.type is not None:
                    self.expr(handler.type, scope)
                if handler.name:
                    scope.bind(handler.name, Binding("unknown", scope))
                self.block(handler.body, scope)
            self.block(node.orelse, scope)  # type: ignore[attr-defined]
            self.block(node.finalbody, scope)  # type: ignore[attr-defined]
        elif kind is ast.Global:
            scope.declared_global = {*scope.declared_global, *node.names}
        elif kind is ast.Nonlocal:
            scope.declared_nonlocal = {*scope.declared_nonlocal, *node.names}
        elif kind is ast.Match:
            self.expr(node.subject, scope)
            for case in node.cases:
                for sub in ast.walk(case.pattern):
                    name = getattr(sub, "name", None) or getattr(sub, "rest", None)
                    if isinstance(name, str):
                        scope.bind(name, Binding("unknown", scope))
                    if isinstance(sub, ast.expr):
                        self.expr(sub, scope)
                if case.guard is not None:
                    self.expr(case.guard, scope)
                self.block(case.body, scope)
        else:  # Raise, Assert, Delete, Pass, Break, Continue, TypeAlias...
            self.children(node, scope)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        decorators = [self.expr(d, scope) for d in node.decorator_list]
        func = Scope("function", node.name, scope)
        func.is_async = isinstance(node, ast.AsyncFunctionDef)
        func.decorators = decorators
        func.span = self.span(node)
        func.parameters = self.parameters(node.args, scope)
        func.params = [p.name for p in func.parameters]
        bind_parameters(func)
        if node.returns is not None:
            self.expr(node.returns, scope)
        positional = [p for p in func.parameters if p.kind in ("positional-only", "positional")]
        if scope.kind == "class" and positional and not has_decorator(decorators, STATIC_METHOD):
            func.self_name = positional[0].name
        scope.bind(node.name, Binding("def", scope, scope=func))
        self.out.functions.append(func)
        self.body_of_function(node.body, func)

    def body_of_function(self, body: list[ast.stmt], func: Scope) -> None:
        """A function body runs when called, not inside the ``with`` blocks around its ``def``."""
        outside, self.within = self.within, None
        self.block(body, func)
        self.within = outside

    def parameters(self, args: ast.arguments, scope: Scope) -> list[RawParam]:
        """The parameters in signature order; defaults and annotations are evaluated in
        the scope around the function."""
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        out = []
        for index, arg in enumerate(positional):
            kind = "positional-only" if index < len(args.posonlyargs) else "positional"
            out.append(self.parameter(arg, kind, defaults[index], scope))
        if args.vararg is not None:
            out.append(self.parameter(args.vararg, "vararg", None, scope))
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            out.append(self.parameter(arg, "keyword-only", default, scope))
        if args.kwarg is not None:
            out.append(self.parameter(args.kwarg, "kwarg", None, scope))
        return out

    def parameter(self, arg: ast.arg, kind: str, default: ast.expr | None, scope: Scope) -> RawParam:
        value = self.expr(default, scope) if default is not None else None
        annotation = self.expr(arg.annotation, scope) if arg.annotation is not None else None
        return RawParam(arg.arg, kind, value, annotation, where(arg))

    def class_(self, node: ast.ClassDef, scope: Scope) -> None:
        decorators = [self.expr(d, scope) for d in node.decorator_list]
        cls = Scope("class", node.name, scope)
        cls.bases = [self.expr(base, scope) for base in node.bases]
        keywords = [(keyword.arg, self.expr(keyword.value, scope)) for keyword in node.keywords]
        cls.keywords = [(name, value) for name, value in keywords if name is not None]  # not **kwargs
        cls.decorators = decorators
        cls.span = self.span(node)
        scope.bind(node.name, Binding("class", scope, scope=cls))
        self.out.classes.append(cls)
        self.block(node.body, cls)

    def bind_target(
        self,
        target: ast.expr,
        value: RExpr | None,
        scope: Scope,
        kind: str,
        annotation: RExpr | None = None,
        site: Site | None = None,
    ) -> None:
        """Bind a target to ``value``; with a ``site`` (an assignment, not a ``for`` or
        ``with`` target) also record the assignment."""
        tkind = type(target)
        if tkind is ast.Name:
            scope.bind(target.id, Binding(kind, scope, expr=value, annotation=annotation))
            if site is not None:
                self.record(self.names[target.id], target, scope, site, annotation)
        elif tkind is ast.Attribute:
            base = target.value
            base_expr = self.expr(base, scope)
            func = function_of(scope)
            cls = func.enclosing_class() if func is not None else None
            if cls is not None and isinstance(base, ast.Name) and base.id == func.self_name:  # type: ignore[union-attr]
                cls.self_attrs.setdefault(target.attr, []).append(
                    Binding(kind, scope, expr=value, annotation=annotation)
                )
            if site is not None:
                self.record(RAttr(base_expr, target.attr), target, scope, site, annotation)
        elif tkind is ast.Tuple or tkind is ast.List:
            self.bind_unpacked(target.elts, value, scope, kind, site)  # type: ignore[attr-defined]
        elif tkind is ast.Starred:
            self.bind_target(target.value, None, scope, "unknown", site=_unpacked(site))  # type: ignore[attr-defined]
        else:  # subscripts and anything else: evaluate for calls, bind nothing
            written = self.expr(target, scope)
            if site is not None and tkind is ast.Subscript:
                self.record(written, target, scope, site, annotation)

    def bind_unpacked(
        self, elts: list[ast.expr], value: RExpr | None, scope: Scope, kind: str, site: Site | None
    ) -> None:
        """``a, b = 1, 2`` binds item by item; any other unpacking binds unknown values."""
        if (
            isinstance(value, RSeq)
            and value.kind in ("tuple", "list")
            and len(value.items) == len(elts)
            and not any(isinstance(e, ast.Starred) for e in elts)
        ):
            value_elts = _elements(site[1]) if site is not None else None
            for index, (elt, item) in enumerate(zip(elts, value.items)):
                item_site = None
                if site is not None:
                    item_node = value_elts[index] if value_elts is not None else site[1]
                    item_site = (site[0], item_node, item, site[3])
                self.bind_target(elt, item, scope, kind, site=item_site)
        else:
            for elt in elts:
                self.bind_target(elt, None, scope, "unknown", site=_unpacked(site))

    def record(self, target: RExpr, node: ast.AST, scope: Scope, site: Site, annotation: RExpr | None = None) -> None:
        statement, value_node, value, operator = site
        raw = RawAssign(target, value, operator, scope, statement, where(node), where(value_node), annotation)
        self.out.assignments.append(raw)

    # -- expressions -------------------------------------------------------------------
    def expr(self, node: ast.expr, scope: Scope) -> RExpr:
        kind = type(node)
        if kind is ast.Name:
            return self.names[node.id]
        if kind is ast.Constant:
            return RConst(node.value)
        if kind is ast.Attribute:
            return RAttr(self.expr(node.value, scope), node.attr)
        if kind is ast.Call:
            return self.call(node, scope)
        if kind is ast.Tuple or kind is ast.List or kind is ast.Set:
            name = "tuple" if kind is ast.Tuple else "list" if kind is ast.List else "set"
            return RSeq(name, [self.expr(e, scope) for e in node.elts])
        if kind is ast.Dict:
            keys = [self.expr(k, scope) if k is not None else None for k in node.keys]
            return RDict(keys, [self.expr(v, scope) for v in node.values])
        if kind is ast.JoinedStr:
            parts: list[RExpr] = []
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    parts.append(self.expr(value.value, scope))
                    if value.format_spec is not None:
                        self.expr(value.format_spec, scope)
                else:
                    parts.append(self.expr(value, scope))
            return fstring(parts)
        if kind is ast.BinOp:
            return RBin(_BINOPS.get(type(node.op), "?"), self.expr(node.left, scope), self.expr(node.right, scope))
        if kind is ast.BoolOp:
            return RAlt([self.expr(v, scope) for v in node.values])
        if kind is ast.IfExp:
            self.expr(node.test, scope)
            return RAlt([self.expr(node.body, scope), self.expr(node.orelse, scope)])
        if kind is ast.Await:
            return self.expr(node.value, scope)
        if kind is ast.Subscript:
            return RSub(self.expr(node.value, scope), self.expr(node.slice, scope))
        if kind is ast.UnaryOp:
            operand = self.expr(node.operand, scope)
            if isinstance(operand, RConst) and isinstance(operand.value, (int, float, complex)):
                if isinstance(node.op, ast.USub):
                    return RConst(-operand.value)
                if isinstance(node.op, ast.UAdd):
                    return operand
            return RUnknown("unaryop")
        if kind is ast.NamedExpr:
            value = self.expr(node.value, scope)
            self.bind_target(node.target, value, scope, "value", site=(where(node), node.value, value, ":="))
            return value
        if kind is ast.Lambda:
            lam = Scope("lambda", "<lambda>", scope)
            lam.parameters = self.parameters(node.args, scope)
            bind_parameters(lam)
            outside, self.within = self.within, None
            self.expr(node.body, lam)
            self.within = outside
            return RUnknown("lambda")
        if kind in (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp):
            comp = Scope("comprehension", "<comprehension>", scope)
            for index, generator in enumerate(node.generators):  # type: ignore[attr-defined]
                self.expr(generator.iter, scope if index == 0 else comp)
                self.bind_target(generator.target, None, comp, "unknown")
                for condition in generator.ifs:
                    self.expr(condition, comp)
            if kind is ast.DictComp:
                self.expr(node.key, comp)  # type: ignore[attr-defined]
                self.expr(node.value, comp)  # type: ignore[attr-defined]
            else:
                self.expr(node.elt, comp)  # type: ignore[attr-defined]
            return RUnknown("comprehension")
        if kind is ast.Yield or kind is ast.YieldFrom:
            value = self.expr(node.value, scope) if node.value is not None else NONE  # type: ignore[attr-defined]
            func = function_of(scope)
            if func is not None and kind is ast.Yield:
                func.yields.append(value)
            return RUnknown("yield")
        if kind is ast.Starred:
            self.expr(node.value, scope)
            return RUnknown("starred")
        self.children(node, scope)
        return RUnknown(kind.__name__.lower())

    def call(self, node: ast.Call, scope: Scope) -> RExpr:
        func = self.expr(node.func, scope)
        args: list[RExpr] = []
        star_at = None
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                if star_at is None:
                    star_at = len(args)
                self.expr(arg.value, scope)
                continue
            args.append(self.expr(arg, scope))
        keywords: list[tuple[str, RExpr]] = [] if node.keywords else _NO_KEYWORDS  # type: ignore[assignment]
        spreads: tuple[RExpr, ...] = ()
        for keyword in node.keywords:
            value = self.expr(keyword.value, scope)
            if keyword.arg is None:
                spreads += (value,)
            else:
                keywords.append((keyword.arg, value))
        raw = RawCall(func, args, star_at, keywords, spreads, self.span(node), scope, self.within)
        self.out.calls.append(raw)
        if is_write_call(func):  # setattr(obj, "NAME", v), m.update(KEY=v)...
            positional = [where(arg) for arg in node.args]
            named = [(where(k), where(k.value)) for k in node.keywords if k.arg is not None]
            first = node.args[0] if node.args else None
            entries = []
            if isinstance(first, ast.Dict):
                entries = [(where(k) if k is not None else None, where(v)) for k, v in zip(first.keys, first.values)]
            self.out.assignments.extend(call_writes(raw, where(node), positional, named, entries))
        return RCall(raw)

    def children(self, node: ast.AST, scope: Scope) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child, scope)
            elif isinstance(child, ast.stmt):
                self.stmt(child, scope)
            else:
                self.children(child, scope)


def _elements(node: ast.AST) -> list[ast.expr] | None:
    return node.elts if isinstance(node, (ast.Tuple, ast.List)) else None  # type: ignore[return-value]


def _unpacked(site: Site | None) -> Site | None:
    """The site of a target that gets an unknown part of the value (``a, *b = f()``)."""
    return None if site is None else (site[0], site[1], UNPACKED, site[3])


def lower_ast(tree: ast.Module, column: Column) -> Lowered:
    return AstLowering(column).lower(tree)
