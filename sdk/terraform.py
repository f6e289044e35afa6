"""Terraform and other HCL files (``.tf``, ``.tf.json``, ``.tfvars``, ``.hcl``) as rules see them.

A :class:`TerraformFile` holds the file's top-level :class:`Block` objects (``resource``,
``variable``, ``module``, ...) and top-level :class:`Attribute` objects (what a
``.tfvars`` file or a ``terragrunt.hcl`` sets). Both syntaxes, native HCL and
Terraform's JSON, give the same model with exact spans.

Attribute values are plain Python data when the source spells out a literal (``"x"``,
``7``, ``true``, ``null``, lists and objects of literals) and an :class:`Expression`
otherwise (``var.password``, ``"${var.env}-logs"``, ``jsonencode(...)``): a rule tells
a hardcoded password from one that comes from a variable with ``isinstance(value,
str)``.

The loader checks the syntax at once; blocks and attributes are built on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Any

import attrs

from .errors import LoadError
from .files import SourceFile
from .model import FileKind, Span

__all__ = ["Attribute", "Block", "Expression", "TerraformFile", "address_of", "load_terraform", "refers_to"]


def refers_to(reference: str, address: str) -> bool:
    """Whether ``reference`` names ``address`` or something inside it: ``aws_s3_bucket.logs``
    matches ``aws_s3_bucket.logs``, ``aws_s3_bucket.logs.id`` and ``aws_s3_bucket.logs[0].arn``,
    not ``aws_s3_bucket.logs_archive``."""
    return reference == address or (reference.startswith(address) and reference[len(address)] in ".[")


@attrs.frozen(slots=True)
class Expression:
    """A value Terraform computes rather than one the source spells out.

    ``text`` is the source of the value. ``kind`` is what it is at the top:
    ``reference`` (``var.x``, ``aws_s3_bucket.logs.id``, also ``"${var.x}"``),
    ``template`` (a string or heredoc with interpolations or directives), ``call``,
    ``conditional``, ``operation``, ``for``, ``tuple`` or ``object`` (collections holding
    anything non-literal). ``references`` are the traversals it mentions, in source
    order, up to the first computed index or splat (``aws_instance.web[*].id`` gives
    ``aws_instance.web``); the names a ``for`` expression binds are not references.
    ``functions`` are the functions it calls; ``strings`` the literal text it contains
    (template text and string literals), for rules that look for hardcoded fragments.
    """

    text: str
    kind: str
    references: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    strings: tuple[str, ...] = ()

    @property
    def is_literal(self) -> bool:
        """True when the source alone fixes the value (no reference, no function call),
        as in ``"${"abc"}"`` or ``1 + 2``: a rule may treat it like a literal."""
        return not self.references and not self.functions

    def refers_to(self, address: str) -> bool:
        """Whether any reference names ``address`` or something inside it (see :func:`refers_to`)."""
        return any(refers_to(reference, address) for reference in self.references)


@attrs.frozen(slots=True)
class Attribute:
    """``name = value``: ``span`` covers both, ``key_span`` the name, ``value_span`` the value.

    ``value`` is str, int, float, bool, None, list or dict for a literal, else an
    :class:`Expression`. ``source`` is the value's text as written when it is a literal
    list or object in native syntax (``None`` otherwise), so that
    :func:`~prodready_lint.sdk.terraform_structure` can locate its parts.
    """

    name: str
    value: Any
    key_span: Span
    value_span: Span
    source: str | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def span(self) -> Span:
        """From the start of the name to the end of the value."""
        key, value = self.key_span, self.value_span
        return Span(key.line, key.column, value.end_line, value.end_column)

    @property
    def expression(self) -> Expression | None:
        """The value when Terraform computes it, else None."""
        return self.value if isinstance(self.value, Expression) else None

    @property
    def is_literal(self) -> bool:
        """True when the value is plain data written in the source."""
        return not isinstance(self.value, Expression)

    @property
    def references(self) -> tuple[str, ...]:
        return self.value.references if isinstance(self.value, Expression) else ()


def _frozen_mapping(value: Mapping[str, Attribute]) -> Mapping[str, Attribute]:
    return value if isinstance(value, MappingProxyType) else MappingProxyType(dict(value))


_ADDRESS_PREFIX = {"module": "module.", "variable": "var.", "output": "output.", "provider": "provider."}


def address_of(type: str, labels: tuple[str, ...] | list[str]) -> str:
    """The address of a block with this type and these labels (see :attr:`Block.address`)."""
    if type == "resource" and len(labels) == 2:
        return ".".join(labels)
    if type in ("data", "ephemeral") and len(labels) == 2:
        return ".".join((type, *labels))
    prefix = _ADDRESS_PREFIX.get(type)
    if prefix and len(labels) == 1:
        return prefix + labels[0]
    return ".".join((type, *labels))


_MISSING: Any = object()


@attrs.frozen(slots=True, eq=False)
class Block:
    """A block: ``type``, ``labels`` (``("aws_s3_bucket", "logs")``), its attributes by name
    and its nested blocks in source order.

    ``span`` covers the whole block, ``header_span`` the type and labels (where a finding
    about a missing attribute belongs). ``path`` is the file the block is in.
    """

    type: str
    labels: tuple[str, ...]
    attributes: Mapping[str, Attribute] = attrs.field(converter=_frozen_mapping)
    blocks: tuple[Block, ...]
    span: Span
    header_span: Span
    path: str = ""

    def __repr__(self) -> str:
        return f"<Block {self.address} at {self.path}:{self.span.line}>"

    @property
    def name(self) -> str | None:
        """The last label (a resource's or variable's name), or None."""
        return self.labels[-1] if self.labels else None

    @property
    def address(self) -> str:
        """How Terraform names the block: ``aws_s3_bucket.logs``, ``data.aws_iam_policy_document.x``,
        ``module.vpc``, ``var.region``, ``output.id``, ``provider.aws``; other blocks join
        their type and labels (``lifecycle``, ``backend.s3``)."""
        return address_of(self.type, self.labels)

    def nested(self, type: str, *, dynamic: bool = False) -> tuple[Block, ...]:
        """The nested blocks of ``type``; with ``dynamic=True`` also the ``content`` block of
        each ``dynamic "type"`` block (Terraform generates blocks of ``type`` from it)."""
        found: list[Block] = []
        for block in self.blocks:
            if block.type == type:
                found.append(block)
            elif dynamic and block.type == "dynamic" and block.labels == (type,):
                found.extend(block.nested("content"))
        return tuple(found)

    def get(self, path: str) -> Attribute | Block | None:
        """Follow a dotted path through nested blocks (the first of each type):
        ``get("versioning.enabled")``, ``get("lifecycle.prevent_destroy")``. The last step
        is an attribute when there is one, else a nested block; None when absent."""
        block: Block = self
        *steps, last = path.split(".")
        for step in steps:
            nested = block.nested(step)
            if not nested:
                return None
            block = nested[0]
        attribute = block.attributes.get(last)
        if attribute is not None:
            return attribute
        nested = block.nested(last)
        return nested[0] if nested else None

    def value(self, path: str, default: Any = None) -> Any:
        """The value at a dotted path: through nested blocks as :meth:`get`, then into the
        keys of an object value (``value("tags.Name")``); ``default`` when absent."""
        block: Block = self
        steps = path.split(".")
        for index, step in enumerate(steps):
            attribute = block.attributes.get(step)
            if attribute is not None:
                value = attribute.value
                for key in steps[index + 1 :]:
                    if not isinstance(value, dict) or key not in value:
                        return default
                    value = value[key]
                return value
            nested = block.nested(step)
            if not nested:
                return default
            block = nested[0]
        return default

    def has(self, path: str) -> bool:
        """Whether :meth:`get` finds an attribute or block at ``path``."""
        return self.get(path) is not None

    def walk(self) -> Iterator[Block]:
        """This block and every block nested in it, depth first in source order."""
        stack = [self]
        while stack:
            block = stack.pop()
            yield block
            stack.extend(reversed(block.blocks))

    def walk_attributes(self) -> Iterator[tuple[Block, Attribute]]:
        """Every attribute of this block and of the blocks nested in it, with the block that holds it."""
        for block in self.walk():
            for attribute in block.attributes.values():
                yield block, attribute

    @property
    def references(self) -> tuple[str, ...]:
        """Every reference made by the attributes of this block and its nested blocks, once each."""
        seen: dict[str, None] = {}
        for _, attribute in self.walk_attributes():
            for reference in attribute.references:
                seen.setdefault(reference)
        return tuple(seen)

    def refers_to(self, address: str) -> bool:
        """Whether any attribute in this block (nested blocks included) refers to ``address``."""
        return any(refers_to(reference, address) for reference in self.references)


Body = tuple[tuple[Block, ...], Mapping[str, Attribute]]


class TerraformFile(SourceFile):
    """A Terraform or HCL file: top-level ``blocks`` and ``attributes``.

    ``syntax`` is ``"hcl"`` (native syntax) or ``"json"`` (``.tf.json``,
    ``.tfvars.json``). A ``.tfvars`` file has only attributes.
    """

    kind = FileKind.TERRAFORM

    def __init__(self, path: str, text: str, syntax: str, build: Callable[[TerraformFile], Body]) -> None:
        super().__init__(path, text)
        self.syntax = syntax
        self._build: Callable[[TerraformFile], Body] | None = build

    @cached_property
    def _body(self) -> Body:
        build, self._build = self._build, None  # the parse tree goes once the model exists
        assert build is not None
        blocks, attributes = build(self)
        return blocks, _frozen_mapping(attributes)

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Top-level blocks in source order."""
        return self._body[0]

    @property
    def attributes(self) -> Mapping[str, Attribute]:
        """Top-level attributes by name (the values a ``.tfvars`` file sets)."""
        return self._body[1]

    @property
    def is_variables_file(self) -> bool:
        """True for ``.tfvars`` and ``.tfvars.json`` files."""
        return self.path.lower().endswith((".tfvars", ".tfvars.json"))

    def blocks_of(self, type: str, *labels: str) -> tuple[Block, ...]:
        """Top-level blocks of ``type`` whose labels start with ``labels``:
        ``blocks_of("variable")``, ``blocks_of("resource", "aws_s3_bucket")``."""
        n = len(labels)
        return tuple(b for b in self.blocks if b.type == type and b.labels[:n] == labels)

    def block(self, *labels: str, type: str = "resource") -> Block | None:
        """The first top-level block of ``type`` with exactly these labels:
        ``block("aws_s3_bucket", "logs")``, ``block("db_password", type="variable")``."""
        for candidate in self.blocks:
            if candidate.type == type and candidate.labels == labels:
                return candidate
        return None

    def resources(self, type: str | None = None) -> tuple[Block, ...]:
        """``resource`` blocks, all or of one resource type (``"aws_db_instance"``)."""
        return self.blocks_of("resource") if type is None else self.blocks_of("resource", type)

    def data_sources(self, type: str | None = None) -> tuple[Block, ...]:
        """``data`` blocks, all or of one data source type."""
        return self.blocks_of("data") if type is None else self.blocks_of("data", type)

    def walk(self) -> Iterator[Block]:
        """Every block of the file, nested ones included, depth first in source order."""
        for block in self.blocks:
            yield from block.walk()

    def walk_attributes(self) -> Iterator[tuple[Block | None, Attribute]]:
        """Every attribute of the file with the block that holds it (None at the top level)."""
        for attribute in self.attributes.values():
            yield None, attribute
        for block in self.blocks:
            yield from block.walk_attributes()

    def summary(self, only: Iterable[str] | None = None, *, lean_variables: bool = False) -> dict[str, Any]:
        """The model as JSON data, for a repository rule's ``collect``; rebuild it with
        :class:`~prodready_lint.sdk.terraform_index.ModuleIndex`. ``only`` keeps just the
        top-level blocks whose type or first label is one of these names
        (``("aws_s3_bucket", "aws_s3_bucket_versioning", "variable", "locals")``);
        ``lean_variables`` keeps only what variable blocks say about values (``default``,
        ``sensitive``, ``nullable``, ``ephemeral``)."""
        from .terraform_index import summarize

        return summarize(self, only, lean_variables=lean_variables)


MAX_CHARACTERS = 2 * 1024 * 1024
"""Native-syntax files longer than this are refused: the parser needs up to a few hundred
bytes of memory per character on hostile input."""


def load_terraform(path: str, text: str) -> TerraformFile:
    """Check a Terraform/HCL file's syntax and return its model (built on first use);
    :class:`LoadError` for anything that is not valid HCL or Terraform JSON."""
    if path.lower().endswith(".json"):
        from .terraform_json import parse_json

        return parse_json(path, text)
    if len(text) > MAX_CHARACTERS:
        raise LoadError("too-complex", f"HCL file larger than {MAX_CHARACTERS // (1024 * 1024)} MiB is not parsed")
    from .terraform_native import parse_native

    return parse_native(path, text)
