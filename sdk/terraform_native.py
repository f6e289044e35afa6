"""HCL native syntax: parse with tree-sitter (the ``tree-sitter-hcl`` grammar), check
what the grammar lets through, and build the :mod:`.terraform` model from the tree.

Before the parser runs, :func:`~.terraform_lexer.check_structure` refuses unbalanced,
unterminated or too deeply nested input (see there why). After it, :func:`_check_layout`
applies the rules of HCL that the grammar does not enforce (one argument per line and
on one line outside brackets, single-line blocks hold one argument, no argument set
twice, no hexadecimal numbers). On every ``.tf`` file we measured, a file loads exactly
when ``terraform fmt`` parses it; what the grammar still lets through is inside
brackets (two object elements on one line without a comma).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from .errors import LoadError
from .model import Span
from .terraform import Attribute, Block, Body, Expression, TerraformFile
from .terraform_lexer import check_structure

if TYPE_CHECKING:  # pragma: no cover
    import tree_sitter

    from .terraform_values import TerraformNode

__all__ = ["parse_native", "parse_structure", "parse_template"]


@lru_cache(maxsize=1)
def _language() -> tree_sitter.Language:
    import tree_sitter
    import tree_sitter_hcl

    return tree_sitter.Language(tree_sitter_hcl.language())


def parse_native(path: str, text: str) -> TerraformFile:
    check_structure(text)
    try:
        source = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise LoadError("encoding", f"text holds a character UTF-8 cannot encode at offset {error.start}") from None
    import tree_sitter

    tree = tree_sitter.Parser(_language()).parse(source)
    root = tree.root_node
    if root.has_error:
        raise _syntax_error(root, text)
    top = [child for child in root.named_children if child.type != "comment"]
    if top and top[0].type != "body":
        raise LoadError(
            "hcl", "expected attributes and blocks, found an object: is this JSON in a file named like HCL?", 1
        )
    body = top[0] if top else None
    if body is not None:
        _check_layout(body)
        if b"0x" in source or b"0X" in source:
            _check_numbers(body)

    def build(file: TerraformFile) -> Body:
        if body is None:
            return (), {}
        return _Builder(file, source).body(body)

    return TerraformFile(path, text, "hcl", build)


def parse_template(content: str) -> Expression:
    """A template written outside native syntax (a string in Terraform's JSON syntax),
    parsed as the body of a heredoc. Its ``text`` is the template; callers that have the
    source spelling (quotes, escapes) put that instead."""
    marker = "TEMPLATE"
    while any(line.strip(" \t\r") == marker for line in content.split("\n")):
        marker += "_"
    source = f"x = <<{marker}\n{content}\n{marker}\n".encode("utf-8", "replace")  # JSON allows lone surrogates
    synthetic = source.decode("utf-8")
    check_structure(synthetic)
    import tree_sitter

    root = tree_sitter.Parser(_language()).parse(source).root_node
    if root.has_error:
        raise _syntax_error(root, synthetic)
    attribute = root.named_children[0].named_children[0]
    node = _child(attribute, "expression")
    assert node is not None
    builder = _Builder(TerraformFile("", synthetic, "hcl", lambda _: ((), {})), source)
    expression = builder.expression(node)
    strings = list(expression.strings)
    if strings:  # the last piece of text ends with the newline the heredoc added
        strings[-1] = strings[-1][:-1]
        if not strings[-1]:
            strings.pop()
    template = node.named_children[0].named_children[0]
    parts = [child for child in template.children if child.type in _TEMPLATE_PARTS]
    kind = expression.kind
    if (
        len(parts) == 1
        and parts[0].type == "template_interpolation"
        and builder.template_strings(template) == ["", "\n"]
    ):
        inner = _child(parts[0], "expression")
        if inner is not None:
            kind = builder.kind(inner)
    return Expression(content, kind, expression.references, expression.functions, tuple(strings))


def parse_structure(text: str, line: int, column: int) -> TerraformNode | None:
    """The :class:`~.terraform_values.TerraformNode` tree of an expression's source ``text``
    written at ``line``/``column`` of its file: the text is parsed again at that very
    position (blank lines before it), so every span is a position in the file. None when
    the text does not parse as one expression."""
    synthetic = "\n" * (line - 1) + "x=" + " " * max(column - 3, 0) + text + "\n"
    try:
        check_structure(synthetic)
        source = synthetic.encode("utf-8")
    except (LoadError, UnicodeEncodeError):
        return None
    import tree_sitter

    root = tree_sitter.Parser(_language()).parse(source).root_node
    if root.has_error or not root.named_children or not root.named_children[0].named_children:
        return None
    attribute = root.named_children[0].named_children[0]
    node = _child(attribute, "expression") if attribute.type == "attribute" else None
    if node is None:
        return None
    builder = _Builder(TerraformFile("", synthetic, "hcl", lambda _: ((), {})), source)
    return _StructureBuilder(builder).node(node)


class _StructureBuilder:
    """Builds :class:`~.terraform_values.TerraformNode` trees; nesting is capped by
    :func:`~.terraform_lexer.check_structure`, so the recursion stays shallow."""

    def __init__(self, builder: _Builder) -> None:
        from .terraform_values import TerraformNode

        self.builder = builder
        self.Node = TerraformNode

    def node(self, node: tree_sitter.Node) -> TerraformNode:
        builder = self.builder
        span = builder.node_span(node)
        literal = builder.literal(node)
        inner = node
        while inner.type == "expression":
            children = [child for child in inner.children if child.type != "comment"]
            if len(children) == 1:
                inner = children[0]
            elif len(children) == 3 and children[0].type == "(":
                inner = children[1]
            else:
                break
        if inner.type == "template_expr":
            sole = builder.sole_interpolation(inner.children[0])
            if sole is not None:
                return self.node(sole)
        if literal is not _NOT_LITERAL and inner.type != "collection_value":
            return self.Node("literal", span, literal)
        if inner.type == "collection_value":
            collection = inner.children[0]
            if collection.type == "tuple":
                items = tuple(self.node(child) for child in collection.named_children if child.type == "expression")
                return self.Node("tuple", span, items=items)
            keys: list[tuple[str, Span]] = []
            values: list[Any] = []
            for element in collection.named_children:
                if element.type != "object_elem":
                    continue
                key_node, value_node = element.child_by_field_name("key"), element.child_by_field_name("val")
                assert key_node is not None and value_node is not None
                key = builder.object_key(key_node)
                if key is _NOT_LITERAL:
                    return self.Node("expression", span, builder.expression(node))
                keys.append((key, builder.node_span(key_node)))
                values.append(self.node(value_node))
            return self.Node("object", span, items=tuple(values), keys=tuple(keys))
        if inner.type == "function_call":
            arguments = _child(inner, "function_arguments")
            if arguments is None or not any(child.type == "ellipsis" for child in arguments.children):
                items = tuple(
                    self.node(child)
                    for child in (arguments.named_children if arguments is not None else ())
                    if child.type == "expression"
                )
                return self.Node("call", span, builder.expression(node), items, name=builder.text(inner.children[0]))
        return self.Node("expression", span, builder.expression(node))


# -- errors ------------------------------------------------------------------------------


_LONE_CR = re.compile(r"\r(?!\n)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_BARE_EXPONENT = re.compile(r"(?<![\w.])\d+[eE][+-]?\d+")


def _syntax_error(root: tree_sitter.Node, text: str) -> LoadError:
    """The first ERROR or MISSING node, as one line a user understands."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing or node.type == "ERROR":
            line = node.start_point[0] + 1
            if node.is_missing:
                message = f"invalid HCL: expected '{node.type}' here"
            else:
                snippet = _text(node).strip().splitlines()
                message = f"invalid HCL: unexpected '{snippet[0][:40]}'" if snippet else "invalid HCL"
            lines = text.split("\n", line)[max(0, line - 2) : line]
            exponent = next((m.group() for ln in lines for m in [_BARE_EXPONENT.search(ln)] if m), None)
            if exponent:
                written = exponent.lower().replace("e", ".0e", 1)
                message += f" (the parser needs a fraction before an exponent: write {written})"
            return LoadError("hcl", message, line)
        stack.extend(reversed([child for child in node.children if child.has_error]))
    return LoadError("hcl", "invalid HCL", None)


def _items(body: tree_sitter.Node) -> list[tree_sitter.Node]:
    return [child for child in body.named_children if child.type in ("attribute", "block")]


def _check_layout(top: tree_sitter.Node) -> None:
    """HCL's newline rules and duplicate arguments, which the grammar accepts."""
    pending: list[tuple[list[tree_sitter.Node], tree_sitter.Node | None]] = [(top.children, None)]
    while pending:
        block_children, block = pending.pop()
        body = opening = closing = None
        if block is None:
            items = [child for child in block_children if child.type in ("attribute", "block")]
        else:
            for child in block_children:
                kind = child.type
                if kind == "body":
                    body = child
                elif kind == "block_start":
                    opening = child
                elif kind == "block_end":
                    closing = child
            assert opening is not None and closing is not None
            items = [c for c in body.children if c.type in ("attribute", "block")] if body is not None else []
            _check_block_lines(block, opening, closing, items)
        if block is not None and items and items[0].start_point[0] == opening.start_point[0]:  # type: ignore[union-attr]
            _check_one_line(items[0])
            continue  # a single-line block: one argument, checked above
        seen: dict[str, int] = {}
        previous_end = -1
        for item in items:
            line = item.start_point[0]
            if line == previous_end:
                raise LoadError("hcl", "missing newline after the argument or block that ends on this line", line + 1)
            previous_end = item.end_point[0]
            children = item.children
            if item.type == "attribute":
                _check_one_line(item)
                name = _text(children[0])
                if name in seen:
                    raise LoadError("hcl", f"argument '{name}' is set twice (first on line {seen[name]})", line + 1)
                seen[name] = line + 1
            else:
                pending.append((children, item))


def _check_numbers(body: tree_sitter.Node) -> None:
    """The grammar reads ``0x1F`` as a number; HCL has no hexadecimal numbers."""
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == "numeric_lit":
            if _text(node)[:2] in ("0x", "0X"):
                raise LoadError(
                    "hcl", "hexadecimal numbers are not HCL: write the number in decimal", node.start_point[0] + 1
                )
        else:
            stack.extend(node.children)


def _check_block_lines(
    block: tree_sitter.Node, opening: tree_sitter.Node, closing: tree_sitter.Node, items: list[tree_sitter.Node]
) -> None:
    """The ``{`` is on the header's line; a block on one line holds one argument; else ``}``
    is on a line of its own."""
    line = opening.start_point[0]
    if line != block.start_point[0]:
        raise LoadError("hcl", "a block's '{' must be on the same line as its type and labels", line + 1)
    if not items:
        return
    if items[0].start_point[0] == line:
        if len(items) > 1 or items[0].type != "attribute" or closing.start_point[0] != line:
            raise LoadError(
                "hcl",
                "a block written on one line holds exactly one argument: "
                "put each argument and nested block on its own line",
                line + 1,
            )
    elif items[-1].end_point[0] == closing.start_point[0]:
        raise LoadError("hcl", "missing newline before the '}' that closes the block", closing.start_point[0] + 1)


_ONE_UNIT = frozenset(
    {"collection_value", "function_call", "for_expr", "template_expr", "string_lit", "index", "splat"}
)


def _check_one_line(attribute: tree_sitter.Node) -> None:
    """An argument's name, ``=`` and value are on one line; only brackets, strings and
    heredocs may hold line breaks (``a = var.x\n  + 1`` is not HCL). Parentheses are
    brackets wherever the grammar puts them: around a whole expression, or inlined among
    an operation's operands (``a && (\n b ||\n c\n) ? 1 : 0``)."""
    row = attribute.start_point[0]
    if attribute.end_point[0] == row:
        return
    stack: list[tuple[list[tree_sitter.Node], int]] = [(attribute.children, 0)]
    while stack:
        siblings, position = stack.pop()
        if position >= len(siblings):
            continue
        node = siblings[position]
        stack.append((siblings, position + 1))
        if node.type == "comment":
            continue
        if node.start_point[0] != row:
            raise LoadError(
                "hcl",
                "an argument continues on a new line outside brackets: write it on one line or wrap it in ( )",
                node.start_point[0] + 1,
            )
        if node.type == "(":
            closing = next((i for i in range(position + 1, len(siblings)) if siblings[i].type == ")"), None)
            if closing is not None:  # "( ... )" may span lines
                row = siblings[closing].end_point[0]
                stack[-1] = (siblings, closing + 1)
                continue
        children = node.children
        if node.type in _ONE_UNIT or not children:
            row = node.end_point[0]
        else:
            stack.append((children, 0))


def _child(node: tree_sitter.Node, type: str) -> tree_sitter.Node | None:
    for child in node.children:
        if child.type == type:
            return child
    return None


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8", "replace")  # type: ignore[union-attr]


# -- literals ------------------------------------------------------------------------------

_ESCAPE = re.compile(r'\\(?:([nrt"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))|\$\$\{|%%\{')
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_TEMPLATE_ESCAPE = re.compile(r"\$\$\{|%%\{")


def _unescape_quoted(raw: str) -> str:
    """A quoted string's text as HCL reads it: backslash escapes, ``$${`` and ``%%{``."""
    if "\\" not in raw and "$${" not in raw and "%%{" not in raw:
        return raw

    def replace(match: re.Match[str]) -> str:
        simple, short, long = match.groups()
        if simple:
            return _SIMPLE_ESCAPES[simple]
        code = short or long
        if code:
            try:
                return chr(int(code, 16))
            except (ValueError, OverflowError):
                return "\ufffd"
        return match.group()[1:]  # $${ -> ${, %%{ -> %{

    return _ESCAPE.sub(replace, raw)


def _unescape_template(raw: str) -> str:
    """Heredoc text: only ``$${`` and ``%%{`` are escapes."""
    return _TEMPLATE_ESCAPE.sub(lambda m: m.group()[1:], raw) if "$${" in raw or "%%{" in raw else raw


def _flush(body: str) -> str:
    """A ``<<-`` heredoc's text: the smallest indentation of its non-blank lines is removed."""
    lines = body.splitlines(keepends=True)
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    if not indents:
        return body
    cut = min(indents)
    return "".join(line[cut:] if line.strip() else line for line in lines)


_NOT_LITERAL: Any = object()
_LEAVES = frozenset(
    {
        "identifier",
        "get_attr",
        "legacy_index",
        "numeric_lit",
        "bool_lit",
        "null_lit",
        "string_lit",
        "template_literal",
        "comment",
        "heredoc_identifier",
        "heredoc_start",
        "strip_marker",
        "tuple_start",
        "tuple_end",
        "object_start",
        "object_end",
        "ellipsis",
        "quoted_template_start",
        "quoted_template_end",
        "template_interpolation_start",
        "template_interpolation_end",
        "template_directive_start",
        "template_directive_end",
    }
)
_TRAVERSAL_STEPS = frozenset({"get_attr", "index", "splat"})
_TEMPLATE_PARTS = frozenset({"template_interpolation", "template_directive"})
_TEMPLATE_CODE = frozenset(
    {
        "template_interpolation",
        "template_if_intro",
        "template_else_intro",
        "template_if_end",
        "template_for_start",
        "template_for_end",
    }
)


class _Builder:
    """Builds blocks and attributes from the tree, with spans in characters."""

    def __init__(self, file: TerraformFile, source: bytes) -> None:
        self.file = file
        self.source = source
        self.path = file.path
        self._ascii = len(source) == len(file.text)
        self._lines: list[bytes] = [] if self._ascii else source.split(b"\n")
        # Tree-sitter counts rows by "\n" alone; SourceFile lines also end at a lone "\r",
        # which HCL allows in comments and heredocs. Such files map offsets instead of rows.
        self._rows_match = "\r" not in file.text or _LONE_CR.search(file.text) is None

    # positions: tree-sitter gives rows and byte columns; spans count columns in characters.

    def _column(self, row: int, byte_column: int) -> int:
        line = self._lines[row]
        return byte_column + 1 if line.isascii() else len(line[:byte_column].decode("utf-8", "replace")) + 1

    @cached_property
    def _wide(self) -> tuple[list[int], list[int]]:
        """Byte offsets of the non-ASCII characters, and the extra bytes up to and including each."""
        starts, extra, total = [], [], 0
        for match in _NON_ASCII.finditer(self.file.text):
            starts.append(match.start() + total)
            total += len(match.group().encode("utf-8", "replace")) - 1
            extra.append(total)
        return starts, extra

    def _offset(self, byte: int) -> int:
        """The character offset of a byte offset (at a character boundary)."""
        if self._ascii:
            return byte
        starts, extra = self._wide
        before = bisect.bisect_left(starts, byte)
        return byte - (extra[before - 1] if before else 0)

    def node_span(self, node: tree_sitter.Node) -> Span:
        return self.span(node, node)

    def span(self, first: tree_sitter.Node, last: tree_sitter.Node) -> Span:
        """From the start of ``first`` to the end of ``last``."""
        if not self._rows_match:
            return self.file.span_from_offsets(self._offset(first.start_byte), self._offset(last.end_byte))
        (line, column), (end_line, end_column) = first.start_point, last.end_point
        if self._ascii:
            return Span(line + 1, column + 1, end_line + 1, end_column + 1)
        return Span(line + 1, self._column(line, column), end_line + 1, self._column(end_line, end_column))

    def text(self, node: tree_sitter.Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8")

    def raw(self, start: int, end: int) -> str:
        return self.source[start:end].decode("utf-8")

    # structure

    def body(self, body: tree_sitter.Node) -> Body:
        blocks: list[Block] = []
        attributes: dict[str, Attribute] = {}
        for item in _items(body):
            if item.type == "attribute":
                attribute = self.attribute(item)
                attributes[attribute.name] = attribute
            else:
                blocks.append(self.block(item))
        return tuple(blocks), attributes

    def attribute(self, node: tree_sitter.Node) -> Attribute:
        key, value = _child(node, "identifier"), _child(node, "expression")
        assert key is not None and value is not None
        data = self.value(value)
        source = self.text(value) if isinstance(data, list | dict) and data else None
        return Attribute(self.text(key), data, self.node_span(key), self.node_span(value), source)

    def block(self, node: tree_sitter.Node) -> Block:
        type_node = node.children[0]
        labels: list[str] = []
        header_end = type_node
        inner: Body = ((), {})
        for child in node.children[1:]:
            if child.type == "string_lit":
                labels.append(self.string(child))
                header_end = child
            elif child.type == "identifier":
                labels.append(self.text(child))
                header_end = child
            elif child.type == "body":
                inner = self.body(child)
        return Block(
            self.text(type_node),
            tuple(labels),
            inner[1],
            inner[0],
            self.node_span(node),
            self.span(type_node, header_end),
            self.path,
        )

    # values

    def string(self, node: tree_sitter.Node) -> str:
        """A string_lit's (or interpolation-free quoted_template's) text."""
        first, last = node.children[0], node.children[-1]
        return _unescape_quoted(self.raw(first.end_byte, last.start_byte))

    def heredoc_body(self, node: tree_sitter.Node) -> tuple[int, int]:
        """Byte range of a heredoc's text: from the line after the opener to the closing marker's line."""
        markers = [child for child in node.children if child.type == "heredoc_identifier"]
        start = self.source.index(b"\n", markers[0].end_byte) + 1
        end = self.source.rfind(b"\n", 0, markers[-1].start_byte) + 1
        return start, max(start, end)

    def value(self, node: tree_sitter.Node) -> Any:
        literal = self.literal(node)
        if literal is not _NOT_LITERAL:
            return literal
        return self.expression(node)

    def literal(self, node: tree_sitter.Node) -> Any:
        """The Python value of a literal expression, or _NOT_LITERAL."""
        while node.type == "expression":
            children = node.children
            if len(children) == 1:
                node = children[0]
            elif len(children) == 3 and children[0].type == "(":
                node = children[1]
            else:
                return _NOT_LITERAL
        kind = node.type
        if kind == "literal_value":
            node = node.children[0]
            kind = node.type
        if kind == "string_lit":
            return self.string(node)
        if kind == "numeric_lit":
            text = self.text(node)
            if text.isdigit():
                return int(text)
            try:
                number = float(text)
            except ValueError:
                return _NOT_LITERAL
            return number if math.isfinite(number) else _NOT_LITERAL
        if kind == "bool_lit":
            return self.text(node) == "true"
        if kind == "null_lit":
            return None
        if kind == "template_expr":
            template = node.children[0]
            if any(child.type in _TEMPLATE_PARTS for child in template.children):
                return _NOT_LITERAL
            if template.type == "quoted_template":
                return self.string(template)
            start, end = self.heredoc_body(template)
            text = _unescape_template(self.raw(start, end))
            return _flush(text) if self.text(template.children[0]) == "<<-" else text
        if kind == "collection_value":
            collection = node.children[0]
            if collection.type == "tuple":
                items = []
                for child in collection.named_children:
                    if child.type == "expression":
                        item = self.literal(child)
                        if item is _NOT_LITERAL:
                            return _NOT_LITERAL
                        items.append(item)
                return items
            mapping: dict[str, Any] = {}
            for element in collection.named_children:
                if element.type != "object_elem":
                    continue
                key_node, value_node = element.child_by_field_name("key"), element.child_by_field_name("val")
                assert key_node is not None and value_node is not None
                key = self.object_key(key_node)
                item = self.literal(value_node)
                if key is _NOT_LITERAL or item is _NOT_LITERAL:
                    return _NOT_LITERAL
                mapping[key] = item
            return mapping
        if kind == "operation":
            operation = node.children[0]
            parts = operation.children
            if operation.type == "unary_operation" and parts[0].type == "-" and parts[-1].type == "literal_value":
                operand = self.literal(parts[-1])  # only a number literal: "- - - 1" chains stay expressions
                if isinstance(operand, int | float) and not isinstance(operand, bool):
                    return -operand
        return _NOT_LITERAL

    def object_key(self, node: tree_sitter.Node) -> Any:
        """An object key: a bare name is the name itself, else a literal turned into a string."""
        if node.child_count == 1 and node.children[0].type == "variable_expr":
            return self.text(node.children[0])
        key = self.literal(node)
        if key is _NOT_LITERAL or isinstance(key, list | dict) or key is None:
            return _NOT_LITERAL
        if isinstance(key, bool):
            return "true" if key else "false"
        return str(key)

    def expression(self, node: tree_sitter.Node) -> Expression:
        references: dict[str, None] = {}
        functions: dict[str, None] = {}
        strings: list[tuple[int, str]] = []
        for item, bound, children in self._walk(node):
            for position, child in enumerate(children):
                if child.type == "variable_expr":
                    reference = self.traversal(children, position, bound)
                    if reference:
                        references.setdefault(reference)
            kind = item.type
            if kind == "function_call":
                functions.setdefault(self.text(item.children[0]))
            elif kind == "string_lit":
                strings.append((item.start_byte, self.string(item)))
            elif kind in ("quoted_template", "heredoc_template"):
                strings.extend(self.template_parts(item))
        return Expression(
            self.raw(node.start_byte, node.end_byte),
            self.kind(node),
            tuple(references),
            tuple(functions),
            tuple(text for _, text in sorted(strings) if text),
        )

    def _walk(
        self, node: tree_sitter.Node
    ) -> Iterator[tuple[tree_sitter.Node, frozenset[str], list[tree_sitter.Node]]]:
        """Every node under ``node``, with the names bound there by enclosing ``for``
        expressions and ``%{ for }`` directives, and its named children (object keys that
        are bare names left out). Iterative: operator chains nest thousands deep. Siblings
        come from these lists, never from ``next_sibling``, which tree-sitter finds by
        walking down from the root."""
        stack: list[tuple[tree_sitter.Node, frozenset[str]]] = [(node, frozenset())]
        while stack:
            item, bound = stack.pop()
            kind = item.type
            if kind in _LEAVES:
                yield item, bound, []
                continue
            children = item.named_children
            if kind in ("for_tuple_expr", "for_object_expr"):
                intro = children[1]
                names = bound | {self.text(c) for c in intro.children if c.type == "identifier"}
                collection = [c for c in intro.children if c.type == "expression"]
                yield item, bound, []
                stack.extend((c, names) for c in reversed(children[2:]))
                stack.extend((c, bound) for c in collection)
                continue
            if kind == "template_for":
                start = children[0]
                names = bound | {self.text(c) for c in start.children if c.type == "identifier"}
                yield item, bound, []
                stack.extend((c, names) for c in reversed(children[1:]))
                stack.extend((c, bound) for c in start.children if c.type == "expression")
                continue
            if kind == "object_elem":
                key = children[0]
                if key.child_count == 1 and key.children[0].type == "variable_expr":
                    children = children[1:]
            yield item, bound, children
            stack.extend((c, bound) for c in reversed(children))

    def traversal(self, siblings: list[tree_sitter.Node], position: int, bound: frozenset[str]) -> str | None:
        """``var.x``, ``aws_s3_bucket.logs[0].id``: the name at ``siblings[position]`` and the
        static steps after it, or None for a name bound by a ``for``."""
        name = self.text(siblings[position])
        if name in bound:
            return None
        parts = [name]
        for step in siblings[position + 1 :]:
            if step.type not in _TRAVERSAL_STEPS:
                break
            if step.type == "get_attr":
                parts.append("." + self.text(step.named_children[0]))
            elif step.type == "index":
                index = step.children[0]
                if index.type == "legacy_index":
                    parts.append(f"[{self.text(index.children[-1])}]")
                else:
                    key = self.literal(index.named_children[0])
                    if isinstance(key, bool) or not isinstance(key, int | str):
                        break
                    parts.append(f"[{key}]" if isinstance(key, int) else f'["{key}"]')
            else:
                break
        return "".join(parts)

    def template_strings(self, node: tree_sitter.Node) -> list[str]:
        """The literal text between a template's interpolations and directives."""
        return [text for _, text in self.template_parts(node)]

    def template_parts(self, node: tree_sitter.Node) -> list[tuple[int, str]]:
        """The literal text between a template's interpolations and directives, with where each starts."""
        if node.type == "quoted_template":
            start, end = node.children[0].end_byte, node.children[-1].start_byte
            unescape = _unescape_quoted
        else:
            start, end = self.heredoc_body(node)
            unescape = _unescape_template
        parts: list[tuple[int, str]] = []
        for child in self.template_code(node):
            if start <= child.start_byte <= end:
                parts.append((start, unescape(self.raw(start, child.start_byte))))
                start = child.end_byte
        parts.append((start, unescape(self.raw(start, end))))
        return parts

    def template_code(self, node: tree_sitter.Node) -> list[tree_sitter.Node]:
        """A template's interpolations and directive markers (``%{ if x }``, ``%{ endfor }``)
        in source order: everything else in it is literal text."""
        code: list[tree_sitter.Node] = []
        pending = list(reversed(node.children))
        while pending:
            child = pending.pop()
            if child.type in _TEMPLATE_CODE:
                code.append(child)
            elif child.type in ("template_directive", "template_if", "template_for"):
                pending.extend(reversed(child.children))
        return code

    def kind(self, node: tree_sitter.Node) -> str:
        """What an expression is at the top (see :class:`Expression`)."""
        while True:
            if node.type == "expression":
                children = [child for child in node.children if child.type != "comment"]
                if children[0].type == "(":
                    node = children[1]
                    continue
                if len(children) > 1:  # a head and traversal steps: x.y, f(x)[0], {..}["k"]
                    return (
                        "reference"
                        if children[0].type == "variable_expr"
                        else _KINDS.get(children[0].type, "expression")
                    )
                node = children[0]
                continue
            if node.type == "template_expr":
                inner = self.sole_interpolation(node.children[0])
                if inner is None:
                    return "template"
                node = inner
                continue
            if node.type == "collection_value":
                return node.children[0].type
            return _KINDS.get(node.type, "expression")

    def sole_interpolation(self, template: tree_sitter.Node) -> tree_sitter.Node | None:
        """The expression of a template that is one interpolation and nothing else (``"${var.x}"``),
        which Terraform reads as the expression itself."""
        parts = [child for child in template.children if child.type in _TEMPLATE_PARTS]
        if len(parts) != 1 or parts[0].type != "template_interpolation" or any(self.template_strings(template)):
            return None
        return _child(parts[0], "expression")


_KINDS = {
    "variable_expr": "reference",
    "function_call": "call",
    "conditional": "conditional",
    "operation": "operation",
    "for_expr": "for",
    "template_expr": "template",
    "literal_value": "literal",
}
