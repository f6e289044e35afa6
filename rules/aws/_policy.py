"""IAM policy statements read from every place a bucket policy is written, with the span of
each statement's principal.

Terraform writes a policy as ``jsonencode({...})``, as JSON in a heredoc or a string, or
as a ``data "aws_iam_policy_document"``; CloudFormation as a mapping (or a JSON string).
Each becomes a list of :class:`Statement` so one judgement serves all of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from prodready_lint.sdk import (
    CfnList,
    CfnMapping,
    Intrinsic,
    LoadError,
    Span,
    TerraformBlock,
    TerraformExpression,
    TerraformNode,
    load_config_file,
)

from ._base import UNKNOWN

# Condition keys that tie an Allow to an account, organisation, network or source: a
# statement carrying one of them is not open to everyone (as IAM Access Analyzer judges).
RESTRICTING_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:SourceIp",
        "aws:VpcSourceIp",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:VpceAccount",
        "aws:VpceOrgID",
        "aws:VpceOrgPaths",
        "aws:SourceArn",
        "aws:SourceAccount",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
        "aws:SourceOwner",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:PrincipalServiceName",
        "aws:PrincipalServiceNamesList",
        "aws:userid",
        "aws:username",
        "aws:ResourceAccount",
        "aws:ResourceOrgID",
        "aws:ResourceOrgPaths",
        "s3:DataAccessPointAccount",
        "s3:DataAccessPointArn",
        "kms:CallerAccount",
        "kms:ViaService",
    )
)


@attrs.frozen(slots=True)
class Statement:
    """One statement: ``effect`` (``"Allow"``, ``"Deny"`` or UNKNOWN), ``principal`` as plain
    data (``"*"``, ``{"AWS": [...]}``, or UNKNOWN), whether it is a ``NotPrincipal``, the
    conditions it tests as ``{lower-case key: values}`` (None when they cannot be read) and
    where the principal is."""

    effect: Any
    principal: Any
    not_principal: bool
    conditions: dict[str, Any] | None
    span: Span

    @property
    def public(self) -> bool:
        """An Allow for every principal (or for all but some) with no restricting condition."""
        if self.effect != "Allow" or self.conditions is None:
            return False
        if any(key in RESTRICTING_KEYS and _restricts(values) for key, values in self.conditions.items()):
            return False
        return self.not_principal or _everyone(self.principal)


_OPEN_VALUES = frozenset({"*", "0.0.0.0/0", "::/0"})


def _restricts(values: Any) -> bool:
    """Whether condition values narrow who matches: unknown values are given the benefit of
    the doubt; ``"*"``, an ARN for any account (``arn:aws:iam::*``) or ``0.0.0.0/0`` do not."""
    items = values if isinstance(values, list) else [values]
    for item in items:
        if not isinstance(item, str):
            return True
        text = item.strip()
        parts = text.split(":")
        if text in _OPEN_VALUES or (text.startswith("arn:") and len(parts) > 4 and parts[4].startswith("*")):
            continue
        return True
    return False


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        value = principal.get("AWS")
        return value == "*" or (isinstance(value, list) and "*" in value)
    return False


def _conditions(condition: Any) -> dict[str, Any] | None:
    if condition is None:
        return {}
    if not isinstance(condition, Mapping):
        return None
    found: dict[str, Any] = {}
    for tests in condition.values():
        if not isinstance(tests, Mapping):
            return None
        for key, values in tests.items():
            found.setdefault(str(key).lower(), values)
    return found


# -- plain data with a way to find spans (CloudFormation, JSON) -------------------------------


def from_mapping(document: Any, fallback: Span) -> list[Statement]:
    """Statements of a policy given as a CloudFormation mapping or a JSON string."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return []
    if not isinstance(document, Mapping):
        return []
    statements = document.get("Statement")
    items = statements if isinstance(statements, list) else [statements]
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            continue
        for key in ("Principal", "NotPrincipal"):
            if key in item:
                span = item.key_span(key) if isinstance(item, CfnMapping) else fallback
                if isinstance(statements, CfnList) and not isinstance(item, CfnMapping):
                    span = statements.item_span(index)
                out.append(
                    Statement(
                        _plain(item.get("Effect")),
                        _plain(item[key]),
                        key == "NotPrincipal",
                        _conditions(_plain(item.get("Condition"))),
                        span,
                    )
                )
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Intrinsic):
        return UNKNOWN
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def from_json_text(path: str, text: str, line: int) -> list[Statement]:
    """Statements of a policy written as JSON text starting at ``line`` of ``path`` (a
    heredoc's body); ``${...}`` interpolations inside strings are read as unknown text."""
    filled = _fill_interpolations(text)
    try:
        document = load_config_file(path, "\n" * (line - 1) + filled, "json")
        data = document.data
    except (LoadError, ValueError):
        return []
    if not isinstance(data, Mapping):
        return []
    statements = data.get("Statement")
    items = statements if isinstance(statements, list) else [statements]
    prefix: tuple = ("Statement",) if isinstance(statements, list) else ()
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            continue
        keys = (*prefix, index) if prefix else ("Statement",)
        for key in ("Principal", "NotPrincipal"):
            if key in item:
                span = document.key_span((*keys, key)) or Span(line, 1, line, 2)
                out.append(
                    Statement(
                        item.get("Effect"),
                        _unfilled(item[key]),
                        key == "NotPrincipal",
                        _conditions(_unfilled(item.get("Condition"))),
                        span,
                    )
                )
    return out


_INTERPOLATION = re.compile(r"\$\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
_FILLER = "\ue000"


def _fill_interpolations(text: str) -> str:
    """``${...}`` replaced by as many filler characters (columns kept)."""
    return _INTERPOLATION.sub(lambda match: _FILLER * len(match.group()), text)


def _unfilled(value: Any) -> Any:
    if isinstance(value, str) and _FILLER in value:
        return UNKNOWN
    if isinstance(value, Mapping):
        return {key: _unfilled(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unfilled(item) for item in value]
    return value


# -- Terraform --------------------------------------------------------------------------------


def from_node(node: TerraformNode) -> list[Statement]:
    """Statements of a ``jsonencode({...})`` argument."""
    statements = node.get("Statement") if node.kind == "object" else None
    if statements is None:
        return []
    items = statements.items if statements.kind == "tuple" else (statements,)
    out = []
    for item in items:
        if item.kind != "object":
            continue
        for key in ("Principal", "NotPrincipal"):
            principal = item.get(key)
            if principal is None:
                continue
            effect = item.get("Effect")
            condition = item.get("Condition")
            out.append(
                Statement(
                    _node_value(effect) if effect is not None else UNKNOWN,
                    _node_value(principal),
                    key == "NotPrincipal",
                    _node_conditions(condition),
                    item.key_span(key) or item.span,
                )
            )
    return out


def _node_value(node: TerraformNode) -> Any:
    if node.kind == "literal":
        return node.value
    if node.kind == "tuple":
        return [_node_value(item) for item in node.items]
    if node.kind == "object":
        return {key: _node_value(item) for key, _, item in node.entries()}
    return UNKNOWN


def _node_conditions(node: TerraformNode | None) -> dict[str, Any] | None:
    if node is None:
        return {}
    if node.kind != "object":
        return None
    found: dict[str, Any] = {}
    for _, _, tests in node.entries():
        if tests.kind != "object":
            return None
        for key, _, values in tests.entries():
            found.setdefault(key.lower(), _node_value(values))
    return found


def from_policy_document(block: TerraformBlock) -> Iterator[tuple[Statement, TerraformBlock]]:
    """Statements of a ``data "aws_iam_policy_document"`` (``effect`` defaults to Allow),
    each with the block its principal is written in."""
    for statement in block.nested("statement"):
        effect_attribute = statement.attributes.get("effect")
        effect = "Allow" if effect_attribute is None else _literal(effect_attribute.value)
        conditions: dict[str, Any] | None = {}
        for condition in statement.nested("condition", dynamic=True):
            variable = condition.attributes.get("variable")
            values = condition.attributes.get("values")
            if conditions is None or variable is None or not isinstance(variable.value, str):
                conditions = None
                break
            conditions[variable.value.lower()] = _literal(values.value) if values is not None else UNKNOWN
        if statement.nested("dynamic"):
            conditions = None
        for kind in ("principals", "not_principals"):
            for principals in statement.nested(kind):
                type_ = principals.attributes.get("type")
                identifiers = principals.attributes.get("identifiers")
                if type_ is None or identifiers is None:
                    continue
                values = identifiers.value if isinstance(identifiers.value, list) else UNKNOWN
                principal: Any = UNKNOWN
                if type_.value == "*":
                    principal = "*"
                elif type_.value == "AWS" and values is not UNKNOWN:
                    principal = {"AWS": values}
                yield (
                    Statement(
                        effect,
                        principal,
                        kind == "not_principals",
                        conditions,
                        identifiers.key_span,
                    ),
                    principals,
                )


def _literal(value: Any) -> Any:
    return UNKNOWN if isinstance(value, TerraformExpression) else value
