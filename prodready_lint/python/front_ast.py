"""Lower an ``ast`` tree into the parser-neutral form (the fast path: ``ast`` is C-speed)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from .ir import (
    NONE,
    STATIC_METHOD,
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
    RName,
    RSeq,
    RSub,
    RUnknown,
    Scope,
    fstring,
    function_of,
    has_decorator,
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


class AstLowering:
    """One pass over the tree; every ``ast.Call`` anywhere becomes exactly one RawCall."""

    def __init__(self, column: Column) -> None:
        self.column = column
        self.out = Lowered(Scope("module", "<module>", None))

    # -- entry -------------------------------------------------------------------------
    def lower(self, tree: ast.Module) -> Lowered:
        self.block(tree.body, self.out.module)
        return self.out

    def span(self, node: ast.AST) -> tuple[int, int, int, int]:
        line = node.lineno  # type: ignore[attr-defined]
        end_line = node.end_lineno or line  # type: ignore[attr-defined]
        col = self.column(line, node.col_offset)  # type: ignore[attr-defined]
        end_col = self.column(end_line, node.end_col_offset) if node.end_col_offset is not None else col + 1  # type: ignore[attr-defined]
        return (line, col, end_line, end_col)

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
            for target in node.targets:
                self.bind_target(target, value, scope, "value")
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
            for item in node.items:
                manager = self.expr(item.context_expr, scope)
                if item.optional_vars is not None:
                    self.bind_target(item.optional_vars, manager, scope, "with")
            self.block(node.body, scope)
        elif kind is ast.AnnAssign:
            annotation = self.expr(node.annotation, scope)
            if node.value is not None:
                value = self.expr(node.value, scope)
                self.bind_target(node.target, value, scope, "value", annotation)
            else:
                self.bind_target(node.target, None, scope, "annotation", annotation)
        elif kind is ast.AugAssign:
            self.expr(node.value, scope)
            self.bind_target(node.target, None, scope, "unknown")
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
            scope.declared_global.update(node.names)
        elif kind is ast.Nonlocal:
            scope.declared_nonlocal.update(node.names)
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
        args = node.args
        for default in (*args.defaults, *args.kw_defaults):
            if default is not None:
                self.expr(default, scope)
        func = Scope("function", node.name, scope)
        func.is_async = isinstance(node, ast.AsyncFunctionDef)
        func.decorators = decorators
        func.span = self.span(node)
        params = [*args.posonlyargs, *args.args]
        names = [a.arg for a in (*params, *args.kwonlyargs)]
        if args.vararg:
            names.append(args.vararg.arg)
        if args.kwarg:
            names.append(args.kwarg.arg)
        func.params = names
        for arg in (*params, *args.kwonlyargs):
            annotation = self.expr(arg.annotation, scope) if arg.annotation is not None else None
            func.bindings.setdefault(arg.arg, []).append(Binding("param", func, annotation=annotation))
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                func.bindings.setdefault(arg.arg, []).append(Binding("unknown", func))
        if node.returns is not None:
            self.expr(node.returns, scope)
        if scope.kind == "class" and params and not has_decorator(decorators, STATIC_METHOD):
            func.self_name = params[0].arg
        scope.bind(node.name, Binding("def", scope, scope=func))
        self.out.functions.append(func)
        self.block(node.body, func)

    def class_(self, node: ast.ClassDef, scope: Scope) -> None:
        decorators = [self.expr(d, scope) for d in node.decorator_list]
        for base in node.bases:
            self.expr(base, scope)
        for keyword in node.keywords:
            self.expr(keyword.value, scope)
        cls = Scope("class", node.name, scope)
        cls.decorators = decorators
        cls.span = self.span(node)
        scope.bind(node.name, Binding("class", scope, scope=cls))
        self.block(node.body, cls)

    def bind_target(
        self,
        target: ast.expr,
        value: RExpr | None,
        scope: Scope,
        kind: str,
        annotation: RExpr | None = None,
    ) -> None:
        tkind = type(target)
        if tkind is ast.Name:
            scope.bind(target.id, Binding(kind, scope, expr=value, annotation=annotation))
        elif tkind is ast.Attribute:
            base = target.value
            self.expr(base, scope)
            func = function_of(scope)
            cls = func.enclosing_class() if func is not None else None
            if cls is not None and isinstance(base, ast.Name) and base.id == func.self_name:  # type: ignore[union-attr]
                cls.self_attrs.setdefault(target.attr, []).append(
                    Binding(kind, scope, expr=value, annotation=annotation)
                )
        elif tkind is ast.Tuple or tkind is ast.List:
            elts = target.elts  # type: ignore[attr-defined]
            if (
                isinstance(value, RSeq)
                and len(value.items) == len(elts)
                and not any(isinstance(e, ast.Starred) for e in elts)
            ):
                for elt, item in zip(elts, value.items):
                    self.bind_target(elt, item, scope, kind)
            else:
                for elt in elts:
                    self.bind_target(elt, None, scope, "unknown")
        elif tkind is ast.Starred:
            self.bind_target(target.value, None, scope, "unknown")  # type: ignore[attr-defined]
        else:  # subscripts and anything else: evaluate for calls, bind nothing
            self.expr(target, scope)

    # -- expressions -------------------------------------------------------------------
    def expr(self, node: ast.expr, scope: Scope) -> RExpr:
        kind = type(node)
        if kind is ast.Name:
            return RName(node.id)
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
            self.bind_target(node.target, value, scope, "value")
            return value
        if kind is ast.Lambda:
            lam = Scope("lambda", "<lambda>", scope)
            for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                lam.bindings.setdefault(arg.arg, []).append(Binding("param", lam))
            for default in (*node.args.defaults, *node.args.kw_defaults):
                if default is not None:
                    self.expr(default, scope)
            self.expr(node.body, lam)
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
        keywords: list[tuple[str, RExpr]] = []
        star_kwargs = False
        for keyword in node.keywords:
            value = self.expr(keyword.value, scope)
            if keyword.arg is None:
                star_kwargs = True
            else:
                keywords.append((keyword.arg, value))
        raw = RawCall(func, args, star_at, keywords, star_kwargs, self.span(node), scope)
        self.out.calls.append(raw)
        return RCall(raw)

    def children(self, node: ast.AST, scope: Scope) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child, scope)
            elif isinstance(child, ast.stmt):
                self.stmt(child, scope)
            else:
                self.children(child, scope)


def lower_ast(tree: ast.Module, column: Column) -> Lowered:
    return AstLowering(column).lower(tree)
