"""Lower a LibCST tree into the parser-neutral form.

Used for files the running interpreter's ``ast`` rejects but LibCST parses: syntax
newer than the interpreter (PEP 695 type parameters, PEP 701 f-strings, PEP 750
t-strings, PEP 758 bare ``except A, B``). Positions come from LibCST's PositionProvider,
which is slow, but this path only runs for such files.
"""

from __future__ import annotations

import ast
from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider

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
    RFStr,
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
    cst.Add: "+",
    cst.Subtract: "-",
    cst.Multiply: "*",
    cst.Divide: "/",
    cst.FloorDivide: "//",
    cst.Modulo: "%",
    cst.Power: "**",
    cst.BitOr: "|",
    cst.BitAnd: "&",
    cst.BitXor: "^",
    cst.LeftShift: "<<",
    cst.RightShift: ">>",
    cst.MatrixMultiply: "@",
}
_AUGMENTED = {
    cst.AddAssign: "+=",
    cst.SubtractAssign: "-=",
    cst.MultiplyAssign: "*=",
    cst.DivideAssign: "/=",
    cst.FloorDivideAssign: "//=",
    cst.ModuloAssign: "%=",
    cst.PowerAssign: "**=",
    cst.BitOrAssign: "|=",
    cst.BitAndAssign: "&=",
    cst.BitXorAssign: "^=",
    cst.LeftShiftAssign: "<<=",
    cst.RightShiftAssign: ">>=",
    cst.MatrixMultiplyAssign: "@=",
}
_NAMED_CONSTANTS = {"None": None, "True": True, "False": False}
# Where an assignment's value comes from: (statement node, value node, value, operator).
Site = tuple[Any, Any, RExpr, str]
# LibCST node names that differ from ast's, for the kind of Unknown values.
_AST_NAMES = {"comparison": "compare"}


class CstSpans:
    """Spans of LibCST nodes as ``ast`` gives them, from the position metadata. The facts
    keep it to place assignments and parameters when a rule asks."""

    __slots__ = ("positions",)

    def __init__(self, positions: Any) -> None:
        self.positions = positions

    def __call__(self, node: Any) -> tuple[int, int, int, int]:
        """The span of a node, or of a (first, last) pair of nodes taken together."""
        if isinstance(node, tuple):
            first, last = self.node(node[0]), self.node(node[1])
            return (first[0], first[1], last[2], last[3])
        return self.node(node)

    def node(self, node: cst.CSTNode) -> tuple[int, int, int, int]:
        code_range = self.positions[node]
        start, end = code_range.start, code_range.end
        if isinstance(node, (cst.Tuple, cst.GeneratorExp)) and node.lpar:
            # ast counts a tuple's (and a generator's) own innermost parentheses in its span
            start, end = self.positions[node.lpar[-1]].start, self.positions[node.rpar[0]].end
        end_col = end.column + 1
        if (end.line, end_col) <= (start.line, start.column + 1):
            end_col = start.column + 2
        return (start.line, start.column + 1, end.line, end_col)


class CstLowering:
    def __init__(self, positions: Any) -> None:
        self.span = CstSpans(positions)
        self.names = Names()
        self.out = Lowered(Scope("module", "<module>", None), self.span)
        self.within: WithFrame | None = None  # the innermost enclosing ``with`` item

    def lower(self, module: cst.Module) -> Lowered:
        self.block(module.body, self.out.module)
        return self.out

    # -- statements --------------------------------------------------------------------
    def block(self, body: Any, scope: Scope) -> None:
        for node in body:
            self.stmt(node, scope)

    def suite(self, suite: Any, scope: Scope) -> None:
        if suite is None:
            return
        self.block(suite.body, scope)

    def stmt(self, node: cst.CSTNode, scope: Scope) -> None:
        if isinstance(node, cst.BaseSmallStatement):  # the body of a one-line suite
            self.small(node, scope)
        elif isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.small(small, scope)
        elif isinstance(node, cst.FunctionDef):
            self.function(node, scope)
        elif isinstance(node, cst.ClassDef):
            self.class_(node, scope)
        elif isinstance(node, cst.If):
            self.expr(node.test, scope)
            self.suite(node.body, scope)
            orelse = node.orelse
            if isinstance(orelse, cst.If):
                self.stmt(orelse, scope)
            elif orelse is not None:
                self.suite(orelse.body, scope)
        elif isinstance(node, cst.While):
            self.expr(node.test, scope)
            self.suite(node.body, scope)
            if node.orelse is not None:
                self.suite(node.orelse.body, scope)
        elif isinstance(node, cst.For):
            self.expr(node.iter, scope)
            self.bind_target(node.target, None, scope, "unknown")
            self.suite(node.body, scope)
            if node.orelse is not None:
                self.suite(node.orelse.body, scope)
        elif isinstance(node, cst.With):
            outside = self.within
            for item in node.items:
                manager = self.expr(item.item, scope)
                if item.asname is not None:
                    self.bind_target(item.asname.name, manager, scope, "with")
                self.within = WithFrame(manager, scope, self.within)
            self.suite(node.body, scope)
            self.within = outside
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self.suite(node.body, scope)
            for handler in node.handlers:
                if handler.type is not None:
                    self.expr(handler.type, scope)
                if handler.name is not None and isinstance(handler.name.name, cst.Name):
                    scope.bind(handler.name.name.value, Binding("unknown", scope))
                self.suite(handler.body, scope)
            if node.orelse is not None:
                self.suite(node.orelse.body, scope)
            if node.finalbody is not None:
                self.suite(node.finalbody.body, scope)
        elif isinstance(node, cst.Match):
            self.expr(node.subject, scope)
            for case in node.cases:
                self.pattern(case.pattern, scope)
                if case.guard is not None:
                    self.expr(case.guard, scope)
                self.suite(case.body, scope)
        elif isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            self.block(node.body, scope)
        else:
            self.children(node, scope)

    def small(self, node: cst.CSTNode, scope: Scope) -> None:
        if isinstance(node, cst.Expr):
            self.expr(node.value, scope)
        elif isinstance(node, cst.Assign):
            value = self.expr(node.value, scope)
            for target in node.targets:
                self.bind_target(target.target, value, scope, "value", site=(node, node.value, value, "="))
        elif isinstance(node, cst.AnnAssign):
            annotation = self.expr(node.annotation.annotation, scope)
            if node.value is not None:
                value = self.expr(node.value, scope)
                self.bind_target(node.target, value, scope, "value", annotation, (node, node.value, value, ":"))
            else:
                self.bind_target(node.target, None, scope, "annotation", annotation)
        elif isinstance(node, cst.AugAssign):
            value = self.expr(node.value, scope)
            operator = _AUGMENTED.get(type(node.operator), "?=")
            self.bind_target(node.target, None, scope, "unknown", site=(node, node.value, value, operator))
        elif isinstance(node, cst.Return):
            value = self.expr(node.value, scope) if node.value is not None else NONE
            func = function_of(scope)
            if func is not None:
                func.returns.append(value)
        elif isinstance(node, cst.Import):
            for alias in node.names:
                name = get_full_name_for_node(alias.name) or ""
                self.out.imported_modules.add(name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    scope.bind(alias.asname.name.value, Binding("import", scope, qualname=name))
                else:
                    top = name.split(".", 1)[0]
                    scope.bind(top, Binding("import", scope, qualname=top))
        elif isinstance(node, cst.ImportFrom):
            module = "." * len(node.relative) + (get_full_name_for_node(node.module) or "" if node.module else "")
            if module.strip("."):
                self.out.imported_modules.add(module)
            if isinstance(node.names, cst.ImportStar):
                return
            for alias in node.names:
                name = get_full_name_for_node(alias.name) or ""
                qualname = f"{module}.{name}" if not module.endswith(".") else module + name
                if module and not module.endswith("."):
                    self.out.imported_modules.add(qualname)
                local = name
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    local = alias.asname.name.value
                scope.bind(local, Binding("import", scope, qualname=qualname))
        elif isinstance(node, cst.Global):
            scope.declared_global = {*scope.declared_global, *(n.name.value for n in node.names)}
        elif isinstance(node, cst.Nonlocal):
            scope.declared_nonlocal = {*scope.declared_nonlocal, *(n.name.value for n in node.names)}
        elif isinstance(node, cst.TypeAlias):
            scope.bind(node.name.value, Binding("unknown", scope))
            self.expr(node.value, scope)
        else:
            self.children(node, scope)

    def pattern(self, node: cst.CSTNode, scope: Scope) -> None:
        name = getattr(node, "name", None)
        if isinstance(name, cst.Name):
            scope.bind(name.value, Binding("unknown", scope))
        rest = getattr(node, "rest", None)
        if isinstance(rest, cst.Name):
            scope.bind(rest.value, Binding("unknown", scope))
        for child in node.children:
            if isinstance(child, cst.MatchValue):
                self.expr(child.value, scope)
            else:
                self.pattern(child, scope)

    def parameters(self, params: cst.Parameters, scope: Scope) -> list[RawParam]:
        """The parameters in signature order; defaults and annotations are evaluated in
        the scope around the function."""
        out = [self.parameter(p, "positional-only", scope) for p in params.posonly_params]
        out.extend(self.parameter(p, "positional", scope) for p in params.params)
        if isinstance(params.star_arg, cst.Param):
            out.append(self.parameter(params.star_arg, "vararg", scope))
        out.extend(self.parameter(p, "keyword-only", scope) for p in params.kwonly_params)
        if params.star_kwarg is not None:
            out.append(self.parameter(params.star_kwarg, "kwarg", scope))
        return out

    def parameter(self, param: cst.Param, kind: str, scope: Scope) -> RawParam:
        default = self.expr(param.default, scope) if param.default is not None else None
        annotation = self.expr(param.annotation.annotation, scope) if param.annotation is not None else None
        last = param.annotation.annotation if param.annotation is not None else param.name
        return RawParam(param.name.value, kind, default, annotation, (param.name, last))

    def function(self, node: cst.FunctionDef, scope: Scope) -> None:
        decorators = [self.expr(d.decorator, scope) for d in node.decorators]
        func = Scope("function", node.name.value, scope)
        func.is_async = node.asynchronous is not None
        func.decorators = decorators
        func.span = self.span(node)
        func.parameters = self.parameters(node.params, scope)
        func.params = [p.name for p in func.parameters]
        bind_parameters(func)
        if node.returns is not None:
            self.expr(node.returns.annotation, scope)
        positional = [p for p in func.parameters if p.kind in ("positional-only", "positional")]
        if scope.kind == "class" and positional and not has_decorator(decorators, STATIC_METHOD):
            func.self_name = positional[0].name
        scope.bind(node.name.value, Binding("def", scope, scope=func))
        self.out.functions.append(func)
        outside, self.within = self.within, None  # the body runs when called, not here
        self.suite(node.body, func)
        self.within = outside

    def class_(self, node: cst.ClassDef, scope: Scope) -> None:
        decorators = [self.expr(d.decorator, scope) for d in node.decorators]
        cls = Scope("class", node.name.value, scope)
        bases = [(arg, self.expr(arg.value, scope)) for arg in node.bases]
        cls.bases = [RUnknown("starred") if arg.star == "*" else base for arg, base in bases]
        keywords = [(arg.keyword, self.expr(arg.value, scope)) for arg in node.keywords]
        cls.keywords = [(name.value, value) for name, value in keywords if name is not None]  # not **kwargs
        cls.decorators = decorators
        cls.span = self.span(node)
        scope.bind(node.name.value, Binding("class", scope, scope=cls))
        self.out.classes.append(cls)
        self.suite(node.body, cls)

    def bind_target(
        self,
        target: cst.CSTNode,
        value: RExpr | None,
        scope: Scope,
        kind: str,
        annotation: RExpr | None = None,
        site: Site | None = None,
    ) -> None:
        """Bind a target to ``value``; with a ``site`` (an assignment, not a ``for`` or
        ``with`` target) also record the assignment."""
        if isinstance(target, cst.Name):
            scope.bind(target.value, Binding(kind, scope, expr=value, annotation=annotation))
            if site is not None:
                self.record(self.names[target.value], target, scope, site, annotation)
        elif isinstance(target, cst.Attribute):
            base = target.value
            base_expr = self.expr(base, scope)
            func = function_of(scope)
            cls = func.enclosing_class() if func is not None else None
            if cls is not None and isinstance(base, cst.Name) and base.value == func.self_name:  # type: ignore[union-attr]
                cls.self_attrs.setdefault(target.attr.value, []).append(
                    Binding(kind, scope, expr=value, annotation=annotation)
                )
            if site is not None:
                self.record(RAttr(base_expr, target.attr.value), target, scope, site, annotation)
        elif isinstance(target, (cst.Tuple, cst.List)):
            self.bind_unpacked([e.value for e in target.elements], target.elements, value, scope, kind, site)
        elif isinstance(target, cst.StarredElement):
            self.bind_target(target.value, None, scope, "unknown", site=_unpacked(site))
        else:
            written = self.expr(target, scope)
            if site is not None and isinstance(target, cst.Subscript):
                self.record(written, target, scope, site, annotation)

    def bind_unpacked(
        self, targets: list[Any], elements: Any, value: RExpr | None, scope: Scope, kind: str, site: Site | None
    ) -> None:
        """``a, b = 1, 2`` binds item by item; any other unpacking binds unknown values."""
        starred = any(isinstance(e, cst.StarredElement) for e in elements)
        if (
            isinstance(value, RSeq)
            and value.kind in ("tuple", "list")
            and len(value.items) == len(targets)
            and not starred
        ):
            value_nodes = _elements(site[1]) if site is not None else None
            for index, (target, item) in enumerate(zip(targets, value.items)):
                item_site = None
                if site is not None:
                    item_node = value_nodes[index] if value_nodes is not None else site[1]
                    item_site = (site[0], item_node, item, site[3])
                self.bind_target(target, item, scope, kind, site=item_site)
        else:
            for element in elements:
                self.bind_target(element.value, None, scope, "unknown", site=_unpacked(site))

    def record(self, target: RExpr, node: Any, scope: Scope, site: Site, annotation: RExpr | None = None) -> None:
        statement, value_node, value, operator = site
        self.out.assignments.append(RawAssign(target, value, operator, scope, statement, node, value_node, annotation))

    # -- expressions -------------------------------------------------------------------
    def expr(self, node: cst.CSTNode, scope: Scope) -> RExpr:
        if isinstance(node, cst.Name):
            if node.value in _NAMED_CONSTANTS:
                return RConst(_NAMED_CONSTANTS[node.value])
            return self.names[node.value]
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
            try:
                return RConst(ast.literal_eval(node.value))
            except (ValueError, SyntaxError):
                return RUnknown("number")
        if isinstance(node, cst.SimpleString):
            try:
                return RConst(node.evaluated_value)
            except Exception:
                return RUnknown("string")
        if isinstance(node, cst.Ellipsis):
            return RConst(...)
        if isinstance(node, cst.Attribute):
            return RAttr(self.expr(node.value, scope), node.attr.value)
        if isinstance(node, cst.Call):
            return self.call(node, scope)
        if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
            name = "tuple" if isinstance(node, cst.Tuple) else "list" if isinstance(node, cst.List) else "set"
            items = []
            for element in node.elements:
                item = self.expr(element.value, scope)
                items.append(RUnknown("starred") if isinstance(element, cst.StarredElement) else item)
            return RSeq(name, items)
        if isinstance(node, cst.Dict):
            keys: list[RExpr | None] = []
            values: list[RExpr] = []
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    keys.append(self.expr(element.key, scope))
                else:
                    keys.append(None)
                values.append(self.expr(element.value, scope))
            return RDict(keys, values)
        if isinstance(node, cst.FormattedString) or type(node).__name__ == "TemplatedString":
            parts: list[RExpr] = []
            for part in node.parts:
                if hasattr(part, "expression"):
                    if getattr(part, "equal", None) is not None:  # f"{value=}" also prints "value="
                        equal = part.equal
                        source = cst.Module([]).code_for_node(part.expression)
                        before = equal.whitespace_before.value if hasattr(equal.whitespace_before, "value") else ""
                        after = equal.whitespace_after.value if hasattr(equal.whitespace_after, "value") else ""
                        parts.append(RConst(f"{source}{before}={after}"))
                    parts.append(self.expr(part.expression, scope))
                    spec = getattr(part, "format_spec", None)
                    for piece in spec or ():
                        if hasattr(piece, "expression"):
                            self.expr(piece.expression, scope)
                else:
                    parts.append(RConst(_fstring_text(node, part.value)))
            if type(node).__name__ == "TemplatedString":
                return RUnknown("tstring")
            return fstring(parts)
        if isinstance(node, cst.ConcatenatedString):
            left = self.expr(node.left, scope)
            right = self.expr(node.right, scope)
            if isinstance(left, RConst) and isinstance(right, RConst) and type(left.value) is type(right.value):
                return RConst(left.value + right.value)
            pieces: list[RExpr] = []
            for side in (left, right):
                pieces.extend(side.parts if isinstance(side, RFStr) else [side])
            return fstring(pieces)
        if isinstance(node, cst.BinaryOperation):
            return RBin(
                _BINOPS.get(type(node.operator), "?"), self.expr(node.left, scope), self.expr(node.right, scope)
            )
        if isinstance(node, cst.BooleanOperation):
            return RAlt([self.expr(node.left, scope), self.expr(node.right, scope)])
        if isinstance(node, cst.IfExp):
            self.expr(node.test, scope)
            return RAlt([self.expr(node.body, scope), self.expr(node.orelse, scope)])
        if isinstance(node, cst.Await):
            return self.expr(node.expression, scope)
        if isinstance(node, cst.Subscript):
            base = self.expr(node.value, scope)
            indexes: list[RExpr] = []
            for element in node.slice:
                if isinstance(element.slice, cst.Index):
                    indexes.append(self.expr(element.slice.value, scope))
                else:
                    self.children(element.slice, scope)
                    indexes.append(RUnknown("slice"))
            index = indexes[0] if len(indexes) == 1 else RSeq("tuple", indexes)
            return RSub(base, index)
        if isinstance(node, cst.UnaryOperation):
            operand = self.expr(node.expression, scope)
            if isinstance(operand, RConst) and isinstance(operand.value, (int, float, complex)):
                if isinstance(node.operator, cst.Minus):
                    return RConst(-operand.value)
                if isinstance(node.operator, cst.Plus):
                    return operand
            return RUnknown("unaryop")
        if isinstance(node, cst.NamedExpr):
            value = self.expr(node.value, scope)
            self.bind_target(node.target, value, scope, "value", site=(node, node.value, value, ":="))
            return value
        if isinstance(node, cst.Lambda):
            lam = Scope("lambda", "<lambda>", scope)
            lam.parameters = self.parameters(node.params, scope)
            bind_parameters(lam)
            outside, self.within = self.within, None
            self.expr(node.body, lam)
            self.within = outside
            return RUnknown("lambda")
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            comp = Scope("comprehension", "<comprehension>", scope)
            comp_for: Any = node.for_in
            first = True
            while comp_for is not None:
                self.expr(comp_for.iter, scope if first else comp)
                first = False
                self.bind_target(comp_for.target, None, comp, "unknown")
                for condition in comp_for.ifs:
                    self.expr(condition.test, comp)
                comp_for = comp_for.inner_for_in
            if isinstance(node, cst.DictComp):
                self.expr(node.key, comp)
                self.expr(node.value, comp)
            else:
                self.expr(node.elt, comp)
            return RUnknown("comprehension")
        if isinstance(node, cst.Yield):
            value: RExpr = NONE
            if isinstance(node.value, cst.From):
                self.expr(node.value.item, scope)
            elif node.value is not None:
                value = self.expr(node.value, scope)
                func = function_of(scope)
                if func is not None:
                    func.yields.append(value)
            return RUnknown("yield")
        if isinstance(node, cst.StarredElement):
            self.expr(node.value, scope)
            return RUnknown("starred")
        self.children(node, scope)
        name = type(node).__name__.lower()
        return RUnknown(_AST_NAMES.get(name, name))

    def call(self, node: cst.Call, scope: Scope) -> RExpr:
        func = self.expr(node.func, scope)
        args: list[RExpr] = []
        star_at = None
        keywords: list[tuple[str, RExpr]] = []
        spreads: tuple[RExpr, ...] = ()
        for arg in node.args:
            value = self.expr(arg.value, scope)
            if arg.star == "**":
                spreads += (value,)
            elif arg.star == "*":
                if star_at is None:
                    star_at = len(args)
            elif arg.keyword is not None:
                keywords.append((arg.keyword.value, value))
            else:
                args.append(value)
        raw = RawCall(func, args, star_at, keywords, spreads, self.span(node), scope, self.within)
        self.out.calls.append(raw)
        if is_write_call(func):  # setattr(obj, "NAME", v), m.update(KEY=v)...
            positional = [a.value for a in node.args if not a.star and a.keyword is None]
            named = [(a, a.value) for a in node.args if a.keyword is not None and not a.star]
            first = positional[0] if positional else None
            entries = (
                [(getattr(e, "key", None), e.value) for e in first.elements] if isinstance(first, cst.Dict) else []
            )
            self.out.assignments.extend(call_writes(raw, node, positional, named, entries))
        return RCall(raw)

    def children(self, node: cst.CSTNode, scope: Scope) -> None:
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                self.expr(child, scope)
            elif isinstance(child, (cst.BaseStatement, cst.BaseSmallStatement)):
                if isinstance(child, cst.BaseSmallStatement):
                    self.small(child, scope)
                else:
                    self.stmt(child, scope)
            else:
                self.children(child, scope)


def _elements(node: Any) -> list[Any] | None:
    return [e.value for e in node.elements] if isinstance(node, (cst.Tuple, cst.List)) else None


def _unpacked(site: Site | None) -> Site | None:
    """The site of a target that gets an unknown part of the value (``a, *b = f()``)."""
    return None if site is None else (site[0], site[1], UNPACKED, site[3])


def _fstring_text(node: Any, raw: str) -> str:
    """The value of a literal piece of an f-string, as ``ast`` gives it: escapes
    processed (unless raw) and doubled braces collapsed."""
    text = raw.replace("{{", "{").replace("}}", "}")
    prefix = node.start[: -len(node.end)].lower().replace("f", "").replace("t", "")
    if "r" in prefix:
        return text
    try:
        return ast.literal_eval(f"{prefix}{node.end}{text}{node.end}")
    except (SyntaxError, ValueError):
        return text


def lower_cst(module: cst.Module) -> Lowered:
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    return CstLowering(positions).lower(module)
