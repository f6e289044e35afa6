"""Terraform's JSON syntax (``.tf.json``, ``.tfvars.json``) read into the :mod:`.terraform` model.

Python's ``json`` checks the text (strict JSON, its error messages) but keeps no
positions, so :func:`read_json` walks the checked text once more, keeping the
character offsets of every key and value; strings are decoded by ``json``'s own
scanner. The walk uses an explicit stack, and nesting is capped like native syntax.

Terraform reads JSON by its block schemas: which properties are blocks and how many
labels each takes. The schemas of Terraform's own blocks are spelled out below;
for provider blocks, whose schema we do not have, an object (or array of objects)
is read as nested blocks, except under names that are maps in practice (``tags``,
``labels``, ...). Strings in ``.tf.json`` are templates, as in Terraform: a string with
``${...}`` or ``%{...}`` becomes an :class:`~.terraform.Expression` parsed with the
native-syntax parser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

import attrs

from .errors import LoadError
from .model import Span
from .terraform import Attribute, Block, Body, Expression, TerraformFile
from .terraform_lexer import MAX_NESTING

__all__ = ["JsonNode", "parse_json", "read_json"]

MAX_CHARACTERS = 16 * 1024 * 1024
"""JSON files longer than this are refused (Python's reader needs no more guard than that)."""


class JsonNode:
    """A JSON value with its character offsets: ``kind`` is object, array, string, number,
    true, false or null; ``items`` are ``(key, key_start, key_end, node)`` for an object and
    nodes for an array; ``value`` is the Python value of a scalar."""

    __slots__ = ("end", "items", "kind", "start", "value")

    def __init__(self, kind: str, start: int, end: int = -1, value: Any = None, items: list | None = None) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value
        self.items: list = items if items is not None else []


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_KEYWORDS = {"t": ("true", True), "f": ("false", False), "n": ("null", None)}


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def read_json(text: str) -> JsonNode:
    """Check ``text`` with Python's ``json`` and return its positioned tree;
    :class:`LoadError` when it is not JSON or nests deeper than the cap."""
    try:
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise LoadError("json", f"invalid JSON: {error.msg} (column {error.colno})", error.lineno) from None
    except ValueError as error:
        raise LoadError("json", f"invalid JSON: {error}") from None
    except RecursionError:
        raise LoadError("too-complex", f"JSON nested more than {MAX_NESTING} levels deep") from None

    stack: list[tuple[JsonNode, list]] = []  # open containers, and the pending key of an object
    root: JsonNode | None = None
    pos = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]

    def attach(node: JsonNode) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        container, key = stack[-1]
        if container.kind == "object":
            container.items.append((*key, node))
        else:
            container.items.append(node)

    def read_key(at: int) -> int:
        key, end = scanstring(text, at + 1)
        stack[-1][1][:] = [key, at, end]
        colon = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
        return _WHITESPACE.match(text, colon + 1).end()  # type: ignore[union-attr]

    while True:
        char = text[pos]
        if char in "{[":
            node = JsonNode("object" if char == "{" else "array", pos)
            attach(node)
            stack.append((node, []))
            if len(stack) > MAX_NESTING:
                raise LoadError(
                    "too-complex", f"JSON nested more than {MAX_NESTING} levels deep", text.count("\n", 0, pos) + 1
                )
            pos = _WHITESPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            if text[pos] not in "}]":
                if char == "{":
                    pos = read_key(pos)
                continue
        else:
            if char == '"':
                value, end = scanstring(text, pos + 1)
                node = JsonNode("string", pos, end, value)
            elif char in _KEYWORDS:
                word, value = _KEYWORDS[char]
                node = JsonNode(word, pos, pos + len(word), value)
            else:
                number = _NUMBER.match(text, pos)
                assert number is not None
                literal = number.group()
                value = int(literal) if not (number.group(1) or number.group(2)) else float(literal)
                node = JsonNode("number", pos, number.end(), value)
            attach(node)
            pos = node.end
        # after a value: close containers, or move to the next element
        while True:
            pos = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
            if not stack:
                assert root is not None
                return root
            char = text[pos]
            if char == ",":
                pos = _WHITESPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
                if stack[-1][0].kind == "object":
                    pos = read_key(pos)
                break
            container, _ = stack.pop()  # char is "}" or "]"
            container.end = pos + 1
            pos += 1


# -- Terraform's JSON syntax ----------------------------------------------------------------

_TOP_LEVEL_LABELS = {
    "resource": 2,
    "data": 2,
    "ephemeral": 2,
    "module": 1,
    "provider": 1,
    "variable": 1,
    "output": 1,
    "check": 1,
    "locals": 0,
    "terraform": 0,
    "moved": 0,
    "import": 0,
    "removed": 0,
}

_ATTRIBUTES_ONLY = None
_SCHEMA_UNKNOWN = "unknown"
"""A body whose nested blocks we cannot know: objects are read as blocks."""

# block type -> {nested block type: (labels, schema of its body)}; a schema is such a dict,
# _ATTRIBUTES_ONLY, or _SCHEMA_UNKNOWN.
_LIFECYCLE = {"precondition": (0, _ATTRIBUTES_ONLY), "postcondition": (0, _ATTRIBUTES_ONLY)}
_RESOURCE: dict[str, Any] = {
    "lifecycle": (0, _LIFECYCLE),
    "connection": (0, _ATTRIBUTES_ONLY),
    "provisioner": (1, {"connection": (0, _ATTRIBUTES_ONLY)}),
}
_SCHEMAS: dict[str, Any] = {
    "resource": _RESOURCE,
    "data": _RESOURCE,
    "ephemeral": _RESOURCE,
    "provider": _SCHEMA_UNKNOWN,
    "module": _ATTRIBUTES_ONLY,
    "locals": _ATTRIBUTES_ONLY,
    "moved": _ATTRIBUTES_ONLY,
    "import": _ATTRIBUTES_ONLY,
    "removed": {"lifecycle": (0, _ATTRIBUTES_ONLY), "provisioner": (1, _ATTRIBUTES_ONLY)},
    "variable": {"validation": (0, _ATTRIBUTES_ONLY)},
    "output": {"precondition": (0, _ATTRIBUTES_ONLY)},
    "check": {"data": (2, _RESOURCE), "assert": (0, _ATTRIBUTES_ONLY)},
    "terraform": {
        "backend": (1, _SCHEMA_UNKNOWN),
        "cloud": (0, {"workspaces": (0, _ATTRIBUTES_ONLY)}),
        "required_providers": (0, _ATTRIBUTES_ONLY),
        "provider_meta": (1, _ATTRIBUTES_ONLY),
    },
}

MAP_ATTRIBUTES = frozenset({"tags", "tags_all", "labels", "annotations", "default_labels", "triggers", "variables"})
"""Names that hold maps, not blocks, when a provider block's schema is unknown."""


def parse_json(path: str, text: str) -> TerraformFile:
    if len(text) > MAX_CHARACTERS:
        raise LoadError("too-complex", f"JSON file larger than {MAX_CHARACTERS // (1024 * 1024)} MiB is not parsed")
    root = read_json(text)
    file = TerraformFile(path, text, "json", lambda file: body)
    if root.kind != "object":
        raise LoadError("json", "a Terraform JSON file holds one object", 1)
    reader = _Reader(file, variables=path.lower().endswith(".tfvars.json"))
    body = reader.top(root)
    return file


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


class _Reader:
    """Builds the model from the positioned JSON tree."""

    def __init__(self, file: TerraformFile, *, variables: bool) -> None:
        self.file = file
        self.text = file.text
        self.variables = variables

    def span(self, start: int, end: int) -> Span:
        return self.file.span_from_offsets(start, end)

    def fail(self, message: str, node: JsonNode) -> LoadError:
        return LoadError("json", message, _line(self.text, node.start))

    def top(self, root: JsonNode) -> Body:
        if self.variables:
            return (), self.attributes(root, _ATTRIBUTES_ONLY, templates=False)
        blocks: list[Block] = []
        for key, key_start, key_end, node in root.items:
            if key == "//":
                continue
            labels = _TOP_LEVEL_LABELS.get(key, 0)
            schema = _SCHEMAS.get(key, _SCHEMA_UNKNOWN)
            blocks.extend(self.blocks(key, labels, schema, node, (key_start, key_end)))
        return tuple(blocks), {}

    def blocks(self, type: str, labels: int, schema: Any, node: JsonNode, key: tuple[int, int]) -> Iterator[Block]:
        """The blocks a property holds: ``labels`` levels of objects keyed by label, then a
        body object or an array of them."""
        levels: list[tuple[tuple[str, ...], JsonNode, tuple[int, int]]] = [((), node, key)]
        for _ in range(labels):
            deeper = []
            for names, value, _key in levels:
                for element in self.objects(value, f"the labels of a {type} block"):
                    for label, label_start, label_end, inner in element.items:
                        if label != "//":
                            deeper.append(((*names, label), inner, (label_start, label_end)))
            levels = deeper
        for names, value, (key_start, key_end) in levels:
            bodies = self.objects(value, f"a {type} block")
            for body in bodies:
                if len(bodies) > 1 or value.kind == "array":
                    header = self.span(body.start, body.start + 1)
                else:
                    header = self.span(key_start, key_end)
                start = key_start if value is body else body.start
                blocks, attributes = self.body(body, schema)
                yield Block(type, names, attributes, blocks, self.span(start, body.end), header, self.file.path)

    def objects(self, node: JsonNode, what: str) -> list[JsonNode]:
        if node.kind == "object":
            return [node]
        if node.kind == "array" and all(item.kind == "object" for item in node.items):
            return list(node.items)
        raise self.fail(f"{what} must be a JSON object (or an array of objects)", node)

    def body(self, node: JsonNode, schema: Any) -> Body:
        if schema is _ATTRIBUTES_ONLY:
            return (), self.attributes(node, schema)
        blocks: list[Block] = []
        attributes: dict[str, Attribute] = {}
        for key, key_start, key_end, value in node.items:
            if key == "//":
                continue
            nested = self.nested_schema(schema, key, value)
            if nested is None:
                attributes[key] = self.attribute(key, key_start, key_end, value)
                continue
            labels, inner = nested
            blocks.extend(self.blocks(key, labels, inner, value, (key_start, key_end)))
        return tuple(blocks), attributes

    def nested_schema(self, schema: Any, key: str, value: JsonNode) -> tuple[int, Any] | None:
        """How a property of a body is read: ``(labels, schema)`` for blocks, None for an attribute."""
        if isinstance(schema, dict):
            if key in schema:
                return schema[key]
            if schema is not _RESOURCE:
                return None
        if key == "dynamic":
            return 1, {"content": (0, _SCHEMA_UNKNOWN)}
        if key in MAP_ATTRIBUTES:
            return None
        if value.kind == "object" or (
            value.kind == "array" and value.items and all(i.kind == "object" for i in value.items)
        ):
            return 0, _SCHEMA_UNKNOWN
        return None

    def attributes(self, node: JsonNode, schema: Any, *, templates: bool = True) -> dict[str, Attribute]:
        return {
            key: self.attribute(key, key_start, key_end, value, templates=templates)
            for key, key_start, key_end, value in node.items
            if key != "//" or not templates
        }

    def attribute(self, key: str, key_start: int, key_end: int, node: JsonNode, *, templates: bool = True) -> Attribute:
        value = self.value(node) if templates else _plain(node)
        return Attribute(key, value, self.span(key_start, key_end), self.span(node.start, node.end))

    def value(self, node: JsonNode) -> Any:
        """A literal, or an Expression when any string in the value is a template."""
        templates: list[tuple[JsonNode, Expression]] = []
        pending = [node]
        while pending:
            item = pending.pop()
            if item.kind == "string" and _is_template(item.value):
                templates.append((item, self.template(item)))
            elif item.kind == "array":
                pending.extend(item.items)
            elif item.kind == "object":
                pending.extend(entry[-1] for entry in item.items)
        if not templates:
            return _plain(node)
        text = self.text[node.start : node.end]
        if len(templates) == 1 and templates[0][0] is node:
            return attrs.evolve(templates[0][1], text=text)
        templates.sort(key=lambda entry: entry[0].start)
        references: dict[str, None] = {}
        functions: dict[str, None] = {}
        strings: list[str] = []
        for _, expression in templates:
            references.update(dict.fromkeys(expression.references))
            functions.update(dict.fromkeys(expression.functions))
            strings.extend(expression.strings)
        return Expression(
            text, "tuple" if node.kind == "array" else "object", tuple(references), tuple(functions), tuple(strings)
        )

    def template(self, node: JsonNode) -> Expression:
        """A JSON string that holds a template, parsed as the body of a native-syntax heredoc."""
        from .terraform_native import parse_template

        try:
            return parse_template(node.value)
        except LoadError as error:
            raise LoadError(
                error.kind, f"invalid template in a JSON string: {error.message}", _line(self.text, node.start)
            ) from None


def _is_template(value: str) -> bool:
    """Whether a JSON string holds ``${`` or ``%{`` that is not escaped as ``$${`` / ``%%{``."""
    if "${" not in value and "%{" not in value:
        return False
    unescaped = value.replace("$${", "").replace("%%{", "")
    return "${" in unescaped or "%{" in unescaped


def _unescape(value: str) -> str:
    return value.replace("$${", "${").replace("%%{", "%{") if "$${" in value or "%%{" in value else value


def _plain(node: JsonNode) -> Any:
    """A JSON value as Python data, with Terraform's ``$${`` / ``%%{`` escapes resolved in strings."""
    if node.kind == "string":
        return _unescape(node.value)
    if node.kind == "array":
        return [_plain(item) for item in node.items]
    if node.kind == "object":
        return {key: _plain(value) for key, _, _, value in node.items}
    return node.value
