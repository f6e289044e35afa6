"""Terraform values beyond literals: the structure of a computed value, and what a value
becomes once variables and locals are followed.

The model keeps a value that holds anything computed as one :class:`~.terraform.Expression`:
``jsonencode({Statement = [{Principal = "*", Resource = "${aws_s3_bucket.b.arn}/*"}]})``
is a ``call``, and ``[var.office_cidr, "0.0.0.0/0"]`` a ``tuple``. :func:`structure`
opens such a value up into :class:`TerraformNode` objects (objects, tuples, function
calls and literal leaves, each with its exact span), so a rule can read the literal
``Principal = "*"`` inside a policy and report at its line.

:func:`evaluate` follows a value through the module it is written in: ``local.x`` to the
local's value, ``var.x`` to the variable's literal ``default``. A default is only what
the module falls back to, so an :class:`Evaluation` says when one was used
(``from_default``): a rule reports such a value with lower confidence, and never when a
``.tfvars`` file or a Terragrunt ``inputs`` block anywhere in the repository sets the
variable (see :meth:`~.terraform_index.ModuleIndex.assigned`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from .model import Span
from .python import NOT_LITERAL
from .terraform import Attribute, Block, Expression

if TYPE_CHECKING:  # pragma: no cover
    from .terraform_index import ModuleIndex

__all__ = ["Evaluation", "TerraformNode", "evaluate", "show_value", "structure"]


@attrs.frozen(slots=True)
class TerraformNode:
    """One piece of a Terraform value, with its span.

    ``kind`` is ``literal`` (``value`` holds it: str, int, float, bool or None),
    ``object`` (``keys`` hold each key with its span, ``items`` the values in the same
    order), ``tuple`` (``items``), ``call`` (``name`` and ``items``, the arguments) or
    ``expression`` (anything else: ``value`` is its :class:`~.terraform.Expression`).
    A template that is one interpolation and nothing else (``"${jsonencode(x)}"``) is
    read as the expression inside it, as Terraform does.
    """

    kind: str
    span: Span
    value: Any = None
    items: tuple[TerraformNode, ...] = ()
    keys: tuple[tuple[str, Span], ...] = ()
    name: str = ""

    def get(self, key: str) -> TerraformNode | None:
        """An object's value under ``key`` (the last one written), or None."""
        for (name, _), item in zip(reversed(self.keys), reversed(self.items), strict=False):
            if name == key:
                return item
        return None

    def key_span(self, key: str) -> Span | None:
        for name, span in reversed(self.keys):
            if name == key:
                return span
        return None

    def entries(self) -> Iterator[tuple[str, Span, TerraformNode]]:
        """An object's ``(key, key span, value)`` in source order."""
        for (name, span), item in zip(self.keys, self.items, strict=False):
            yield name, span, item

    @property
    def expression(self) -> Expression | None:
        return self.value if isinstance(self.value, Expression) else None

    @property
    def literal(self) -> Any:
        """The plain Python value when the whole node is literal, else :data:`NOT_LITERAL`."""
        if self.kind == "literal":
            return self.value
        if self.kind == "tuple":
            items = [item.literal for item in self.items]
            return NOT_LITERAL if any(item is NOT_LITERAL for item in items) else items
        if self.kind == "object":
            values = [item.literal for item in self.items]
            if any(value is NOT_LITERAL for value in values):
                return NOT_LITERAL
            return {name: value for (name, _), value in zip(self.keys, values, strict=False)}
        return NOT_LITERAL

    def walk(self) -> Iterator[TerraformNode]:
        """This node and every node inside it, depth first in source order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.items))


def structure(value: Any, span: Span | None = None, *, native: bool = True) -> TerraformNode:
    """The structure of an attribute's value, with exact spans.

    Pass the :class:`~.terraform.Attribute` itself (or its ``value`` and ``value_span``).
    Literal values become literal nodes, objects and tuples; an
    :class:`~.terraform.Expression` is parsed again to open up its objects, tuples and
    function calls. Spans are exact in native syntax (for a literal list or object, when
    the attribute keeps its ``source``); in Terraform's JSON syntax (``native=False``)
    every node carries the value's span."""
    if isinstance(value, Attribute):
        attribute = value
        value, span = attribute.value, attribute.value_span
        if native and attribute.source is not None and not isinstance(value, Expression):
            from .terraform_native import parse_structure

            node = parse_structure(attribute.source, span.line, span.column)
            if node is not None:
                return node
    assert span is not None, "structure() needs the value's span"
    if not isinstance(value, Expression):
        return _from_literal(value, span)
    from .terraform_native import parse_structure

    text = value.text
    node = None
    if native:
        node = parse_structure(text, span.line, span.column)
    else:  # a JSON string: a template whose one interpolation may be the whole value
        try:
            content = json.loads(text) if text.startswith('"') else None
        except ValueError:
            content = None
        if isinstance(content, str) and content.startswith("${") and content.endswith("}"):
            node = parse_structure(content[2:-1], 1, 3)
            if node is not None:
                node = _respan(node, span)
    return node if node is not None else TerraformNode("expression", span, value)


def _from_literal(value: Any, span: Span) -> TerraformNode:
    if isinstance(value, dict):
        return TerraformNode(
            "object",
            span,
            items=tuple(_from_literal(item, span) for item in value.values()),
            keys=tuple((str(key), span) for key in value),
        )
    if isinstance(value, list):
        return TerraformNode("tuple", span, items=tuple(_from_literal(item, span) for item in value))
    return TerraformNode("literal", span, value)


def _respan(node: TerraformNode, span: Span) -> TerraformNode:
    return attrs.evolve(
        node,
        span=span,
        items=tuple(_respan(item, span) for item in node.items),
        keys=tuple((name, span) for name, _ in node.keys),
    )


# -- evaluation -------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Evaluation:
    """What a value becomes in its module: ``value`` is plain data when known (a literal,
    or a literal reached through ``local.x`` / ``var.x``), else the
    :class:`~.terraform.Expression` that could not be followed. ``via`` lists the
    references followed (``("local.retention", "var.retention_days")``), ``from_default``
    is True when a variable's default decided the value, and ``source`` is the variable
    or ``locals`` block that wrote the literal (None when it is written in place)."""

    value: Any = attrs.field(eq=False)
    via: tuple[str, ...] = ()
    from_default: bool = False
    source: Block | None = attrs.field(default=None, eq=False)

    @property
    def known(self) -> bool:
        return not isinstance(self.value, Expression)

    def describe(self) -> str:
        """How the value was reached, for a message: ``"var.multi_az defaults to false"``,
        ``"local.retention is 0"``; empty when it is written in place."""
        if not self.via:
            return ""
        verb = "defaults to" if self.from_default else "is"
        start = self.via[0] if len(self.via) == 1 else f"{self.via[0]} (through {', '.join(self.via[1:])})"
        return f"{start} {verb} {show_value(self.value)}"


def show_value(value: Any) -> str:
    """A literal as Terraform writes it, shortened for a message (``false``, ``\"x\"``, ``null``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, dict)):
        text = json.dumps(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return str(value)


_WHOLE_REFERENCE = re.compile(r'^\s*(?:"\$\{\s*)?((?:var|local)\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)(?:\s*\}")?\s*$')
_MAX_STEPS = 8


def evaluate(
    index: ModuleIndex | None, block: Block, value: Any, *, assigned: frozenset[str] = frozenset()
) -> Evaluation:
    """Follow ``value`` (an attribute's value in ``block``) through the locals and variables
    of ``block``'s module in ``index``. Only a value that is exactly one reference
    (``var.x``, ``local.x``, ``"${var.x}"``, or a path into an object:
    ``var.db.multi_az``) is followed; a variable gives its ``default`` unless its name is in
    ``assigned`` (set by a ``.tfvars`` file or Terragrunt inputs), and a variable without
    a default stays unknown. A list written with references in it (``[var.office_cidr,
    "10.0.0.0/8"]``) is followed item by item, and known only when every item is."""
    if isinstance(value, Expression) and value.kind == "tuple" and index is not None:
        return _evaluate_items(index, block, value, assigned)
    via: list[str] = []
    from_default = False
    source: Block | None = None
    current = value
    for _ in range(_MAX_STEPS):
        if not isinstance(current, Expression) or index is None:
            break
        match = _WHOLE_REFERENCE.match(current.text)
        if match is None:
            break
        reference = match.group(1)
        root, name, *path = reference.split(".")
        target = index.resolve(block, f"{root}.{name}")
        if target is None:
            break
        if root == "var":
            if name in assigned:
                break
            default = target.attributes.get("default")
            if default is None:
                break
            next_value = default.value
            from_default = True
        else:
            local = target.attributes.get(name)
            if local is None:
                break
            next_value = local.value
        if path:
            if isinstance(next_value, Expression):
                break
            for step in path:
                if not isinstance(next_value, dict) or step not in next_value:
                    return Evaluation(current, tuple(via), from_default, source)
                next_value = next_value[step]
        via.append(reference)
        source = target
        block = target
        current = next_value
    return Evaluation(current, tuple(via), from_default and bool(via), source if via else None)


def _evaluate_items(index: ModuleIndex, block: Block, value: Expression, assigned: frozenset[str]) -> Evaluation:
    node = structure(value, Span(1, 3, 1, 4))
    if node.kind != "tuple":
        return Evaluation(value)
    items: list[Any] = []
    via: list[str] = []
    from_default = False
    for item in node.items:
        if item.kind == "literal":
            items.append(item.value)
            continue
        if item.kind != "expression" or item.expression is None:
            return Evaluation(value)
        evaluation = evaluate(index, block, item.expression, assigned=assigned)
        if not evaluation.known or isinstance(evaluation.value, (list, dict)):
            return Evaluation(value)
        items.append(evaluation.value)
        via.extend(evaluation.via)
        from_default = from_default or evaluation.from_default
    return Evaluation(items, tuple(via), from_default)
