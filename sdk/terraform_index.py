"""Terraform across files: a module is every ``.tf`` and ``.tf.json`` file of one directory.

Repository rules see one file at a time in ``collect`` and the whole repository in
``check_repo``. :func:`summarize` (``TerraformFile.summary()``) turns a file's model
into JSON data for ``collect`` to return; :class:`ModuleIndex` rebuilds the blocks
from those summaries, groups them by module and answers the questions that need more
than one file: what ``aws_s3_bucket.logs.id`` points at, and which blocks point at a
given block (the ``aws_s3_bucket_versioning`` whose ``bucket`` is
``aws_s3_bucket.logs.id``). Every block knows its ``path`` and spans, so a finding is
reported in the right file at the right line::

    class BucketWithoutVersioning(RepoRule):
        kinds = frozenset({FileKind.TERRAFORM})

        def collect(self, file, ctx):
            return file.summary()

        def check_repo(self, repo, ctx):
            index = ModuleIndex(repo.facts)
            for bucket in index.resources("aws_s3_bucket"):
                if not index.referencing(bucket, type="aws_s3_bucket_versioning", attribute="bucket"):
                    ctx.report(bucket.path, bucket.header_span, "bucket without versioning")
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .model import Span
from .terraform import Attribute, Block, Expression, address_of, refers_to
from .terraform_values import Evaluation, structure
from .terraform_values import evaluate as _evaluate

if TYPE_CHECKING:  # pragma: no cover
    from .terraform import TerraformFile

__all__ = ["ModuleIndex", "block_from_summary", "compact", "module_dir", "summarize", "target_of"]

ANY_VARIABLE = "*"
"""In :meth:`ModuleIndex.assigned`: some inputs are computed, so any variable may be set."""

SUMMARY_VERSION = 1


# -- summaries --------------------------------------------------------------------------


def _span(span: Span) -> list[int]:
    return [span.line, span.column, span.end_line, span.end_column]


def _attribute(attribute: Attribute) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": attribute.name,
        "key_span": _span(attribute.key_span),
        "value_span": _span(attribute.value_span),
    }
    value = attribute.value
    if isinstance(value, Expression):
        data["expression"] = {
            "text": value.text,
            "kind": value.kind,
            "references": list(value.references),
            "functions": list(value.functions),
            "strings": list(value.strings),
        }
    else:
        data["value"] = value
        if attribute.source is not None:
            data["source"] = attribute.source
    return data


def _block(block: Block) -> dict[str, Any]:
    return {
        "type": block.type,
        "labels": list(block.labels),
        "span": _span(block.span),
        "header_span": _span(block.header_span),
        "attributes": [_attribute(a) for a in block.attributes.values()],
        "blocks": [_block(b) for b in block.blocks],
    }


VALUE_ATTRIBUTES = frozenset({"default", "sensitive", "nullable", "ephemeral"})
"""What a variable block says about the value it gives (its description, type and
validation do not)."""


def summarize(
    file: TerraformFile, only: Iterable[str] | None = None, *, lean_variables: bool = False
) -> dict[str, Any]:
    """A file's blocks and attributes as JSON data (spans as ``[line, column, end_line, end_column]``).

    ``only`` keeps just the top-level blocks whose type or first label is one of these
    names: ``("aws_db_instance", "variable", "locals")`` keeps the database resources and
    what gives their values, so a repository rule collects what it reads and no more.
    ``lean_variables`` keeps of each ``variable`` block only :data:`VALUE_ATTRIBUTES`
    (modules often hold hundreds of variables with long descriptions and types).
    Top-level attributes (what ``.tfvars`` files set) are always kept."""
    blocks = file.blocks
    if only is not None:
        names = frozenset(only)
        blocks = tuple(b for b in blocks if b.type in names or (b.labels and b.labels[0] in names))
    return {
        "summary": SUMMARY_VERSION,
        "syntax": file.syntax,
        "attributes": [_attribute(a) for a in file.attributes.values()],
        "blocks": [_lean(b) if lean_variables and b.type == "variable" else _block(b) for b in blocks],
    }


def _lean(block: Block) -> dict[str, Any]:
    return {
        "type": block.type,
        "labels": list(block.labels),
        "span": _span(block.span),
        "header_span": _span(block.header_span),
        "attributes": [_attribute(a) for name, a in block.attributes.items() if name in VALUE_ATTRIBUTES],
        "blocks": [],
    }


def compact(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The same summary in a compact form, about half the size, for repository rules
    whose facts cross processes and land in the cache: a block is ``[type, labels, span,
    header_span, attributes, blocks]``, an attribute ``[name, key_span, value_span, value]``
    with an expression as ``{"e": [text, kind, references, functions, strings]}`` and a
    literal collection's source as a fifth item. :class:`ModuleIndex` and
    :func:`block_from_summary` read both forms."""
    return {**summary, "blocks": [_compact_block(block) for block in summary["blocks"]]}


def _compact_block(block: Mapping[str, Any]) -> list[Any]:
    return [
        block["type"],
        block["labels"],
        block["span"],
        block["header_span"],
        [_compact_attribute(attribute) for attribute in block["attributes"]],
        [_compact_block(nested) for nested in block["blocks"]],
    ]


def _compact_attribute(attribute: Mapping[str, Any]) -> list[Any]:
    if "expression" in attribute:
        e = attribute["expression"]
        value: Any = {"e": [e["text"], e["kind"], e["references"], e["functions"], e["strings"]]}
    else:
        value = attribute["value"]
        if isinstance(value, dict):
            value = {"v": value}  # a literal object is told from an expression by this wrapper
    item = [attribute["name"], attribute["key_span"], attribute["value_span"], value]
    if "source" in attribute:
        item.append(attribute["source"])
    return item


def _to_span(data: Any) -> Span:
    """A span as a summary holds it: a list, a :class:`Span`, or a mapping with Span's fields."""
    if isinstance(data, Span):
        return data
    if isinstance(data, Mapping):
        return Span(data["line"], data["column"], data["end_line"], data["end_column"])
    return Span(*data)


def _attribute_from(data: Any) -> Attribute:
    if isinstance(data, list):
        name, key_span, value_span, value, *source = data
        if isinstance(value, dict) and "e" in value:
            value = Expression(value["e"][0], value["e"][1], *(tuple(part) for part in value["e"][2:]))
        elif isinstance(value, dict):
            value = value["v"]
        return Attribute(name, value, _to_span(key_span), _to_span(value_span), source[0] if source else None)
    if "expression" in data:
        e = data["expression"]
        value: Any = Expression(
            e["text"], e["kind"], tuple(e["references"]), tuple(e["functions"]), tuple(e["strings"])
        )
    else:
        value = data["value"]
    return Attribute(data["name"], value, _to_span(data["key_span"]), _to_span(data["value_span"]), data.get("source"))


def block_from_summary(data: Any, path: str) -> Block:
    """Rebuild a block (and its nested blocks) from :func:`summarize`'s data (either form)."""
    if isinstance(data, list):
        kind, labels, span, header, attributes_data, blocks = data
        built = [_attribute_from(a) for a in attributes_data]
        return Block(
            kind,
            tuple(labels),
            {a.name: a for a in built},
            tuple(block_from_summary(b, path) for b in blocks),
            _to_span(span),
            _to_span(header),
            path,
        )
    attributes = [_attribute_from(a) for a in data["attributes"]]
    return Block(
        data["type"],
        tuple(data["labels"]),
        {a.name: a for a in attributes},
        tuple(block_from_summary(b, path) for b in data["blocks"]),
        _to_span(data["span"]),
        _to_span(data["header_span"]),
        path,
    )


# -- the index ------------------------------------------------------------------------------

_MODULE_FILE = re.compile(r"\.(?:tf|tofu)(?:\.json)?$", re.IGNORECASE)
_VARIABLES_FILE = re.compile(r"\.tfvars(?:\.json)?$", re.IGNORECASE)
_TERRAGRUNT_FILE = re.compile(r"(?:^|/)terragrunt\.hcl(?:\.json)?$", re.IGNORECASE)
_NAMES = re.compile(r"[^\[]*")
_NOT_BLOCKS = frozenset({"count", "each", "self", "path", "terraform"})
_ADDRESSED = frozenset({"resource", "data", "ephemeral", "module", "variable", "output"})


def module_dir(where: str | Block) -> str:
    """The module (directory, ``""`` at the root) of a file path or a block."""
    path = where.path if isinstance(where, Block) else where
    return posixpath.dirname(path)


def target_of(reference: str) -> str | None:
    """The address of the block a reference points at: ``aws_s3_bucket.logs.id`` ->
    ``aws_s3_bucket.logs``, ``data.x.y.json`` -> ``data.x.y``, ``module.vpc.id`` ->
    ``module.vpc``, ``var.x`` -> ``var.x``, ``local.x`` -> ``local.x``; None for
    ``count.index``, ``each.value``, ``self``, ``path.module``, ``terraform.workspace``."""
    names = _NAMES.match(reference).group().split(".")  # type: ignore[union-attr]
    root = names[0]
    if root in _NOT_BLOCKS:
        return None
    if root in ("data", "ephemeral"):
        return ".".join(names[:3]) if len(names) >= 3 else None
    if root in ("module", "var", "local"):
        return ".".join(names[:2]) if len(names) >= 2 else None
    return ".".join(names[:2]) if len(names) >= 2 else None


class _Module:
    """The blocks of one module and lookups over them. Blocks arrive as summaries and are
    built when a lookup first needs them: a rule that reads the databases of a repository
    never pays for the hundreds of variables of its other modules."""

    def __init__(self) -> None:
        self._items: list[Block | tuple[Mapping[str, Any], str]] = []
        self._all: list[Block] | None = None
        self._by_address: dict[str, int] | None = None
        self._referrers: dict[str, list[Block]] | None = None

    def add(self, items: Iterable[Block | tuple[Mapping[str, Any], str]]) -> None:
        self._items.extend(items)
        self._all = self._by_address = self._referrers = None

    def block(self, position: int) -> Block:
        item = self._items[position]
        if not isinstance(item, Block):
            item = block_from_summary(*item)
            self._items[position] = item
        return item

    def _kind(self, position: int) -> tuple[str, Any]:
        item = self._items[position]
        if isinstance(item, Block):
            return item.type, item.labels
        data = item[0]
        return (data[0], data[1]) if isinstance(data, list) else (data["type"], data["labels"])

    @property
    def blocks(self) -> list[Block]:
        if self._all is None:
            self._all = [self.block(position) for position in range(len(self._items))]
        return self._all

    def matching(self, type: str | None, first_label: str | None = None) -> list[Block]:
        """The blocks of a type (and first label), built on demand, in order."""
        found = []
        for position in range(len(self._items)):
            kind, labels = self._kind(position)
            if (type is None or kind == type) and (first_label is None or (labels and labels[0] == first_label)):
                found.append(self.block(position))
        return found

    def lookup(self, address: str) -> Block | None:
        if self._by_address is None:
            index: dict[str, int] = {}
            for position, item in enumerate(self._items):
                kind, labels = self._kind(position)
                if kind in _ADDRESSED:
                    index.setdefault(address_of(kind, tuple(labels)), position)
                elif kind == "locals":
                    names = item.attributes if isinstance(item, Block) else _attribute_names(item[0])
                    for name in names:
                        index.setdefault(f"local.{name}", position)
            self._by_address = index
        position = self._by_address.get(address)
        return None if position is None else self.block(position)

    @property
    def referrers(self) -> dict[str, list[Block]]:
        if self._referrers is None:
            index: dict[str, list[Block]] = {}
            for block in self.blocks:
                targets = {target_of(reference) for reference in block.references}
                for target in targets:
                    if target is not None:
                        index.setdefault(target, []).append(block)
            self._referrers = index
        return self._referrers


class ModuleIndex:
    """The Terraform modules of a repository, built from ``{path: file.summary()}`` (what
    a repository rule's ``check_repo`` gets as ``repo.facts``). Entries that are not
    summaries are left out; files other than ``.tf`` / ``.tf.json`` / ``.tofu`` hold no
    module blocks, but the variables that ``.tfvars`` files and Terragrunt ``inputs`` set
    are remembered (:meth:`assigned`). Blocks are built from the summaries on first use."""

    def __init__(self, summaries: Mapping[str, Any]) -> None:
        self._modules: dict[str, _Module] = {}
        self._tfvars: dict[str, set[str]] = {}  # directory of a .tfvars file -> variables it sets
        self._inputs: set[str] = set()  # variables Terragrunt inputs set, for any module
        for path in sorted(summaries):
            data = summaries[path]
            if not isinstance(data, Mapping) or "blocks" not in data:
                continue
            if not _MODULE_FILE.search(path):
                self._note_inputs(path, [_attribute_from(a) for a in data.get("attributes", ())])
                continue
            self._modules.setdefault(module_dir(path), _Module()).add((block, path) for block in data["blocks"])

    def _note_inputs(self, path: str, attributes: Iterable[Attribute]) -> None:
        """Remember the variables a ``.tfvars`` file or Terragrunt ``inputs`` set."""
        if _VARIABLES_FILE.search(path):
            self._tfvars.setdefault(module_dir(path), set()).update(attribute.name for attribute in attributes)
        elif _TERRAGRUNT_FILE.search(path):
            for attribute in attributes:
                if attribute.name == "inputs":
                    self._inputs.update(_input_names(attribute, native=not path.lower().endswith(".json")))

    def assigned(self, module: str | Block | None = None) -> frozenset[str]:
        """Names of the variables set outside the module's code, whose defaults are then not
        what a deploy uses: those of Terragrunt ``inputs`` anywhere in the repository
        (:data:`ANY_VARIABLE` when some inputs are computed), and those of ``.tfvars`` files
        that belong to ``module``: in its directory, or in a directory without Terraform
        files below it (``envs/prod.tfvars``) whose nearest module is ``module``. Without
        ``module``, the variables of every ``.tfvars`` file."""
        names = set(self._inputs)
        for directory, assigned in self._tfvars.items():
            if module is None or self._owner(directory) == (
                module_dir(module) if isinstance(module, Block) else _normal(module)
            ):
                names |= assigned
        return frozenset({ANY_VARIABLE}) if ANY_VARIABLE in names else frozenset(names)

    def _owner(self, directory: str) -> str | None:
        """The module a ``.tfvars`` file of ``directory`` is for: that directory's, else the
        nearest enclosing directory that holds a module."""
        while True:
            if directory in self._modules:
                return directory
            if not directory:
                return None
            directory = posixpath.dirname(directory)

    def evaluate(self, block: Block, path: str | Attribute) -> Evaluation | None:
        """What the attribute at ``path`` in ``block`` (see :meth:`Block.get`) becomes through
        the module's locals and variable defaults (:func:`~.terraform_values.evaluate`);
        None when the block has no such attribute."""
        attribute = block.get(path) if isinstance(path, str) else path
        if not isinstance(attribute, Attribute):
            return None
        assigned = self.assigned(block)
        if ANY_VARIABLE in assigned:
            return _evaluate(None, block, attribute.value)
        return _evaluate(self, block, attribute.value, assigned=assigned)

    @classmethod
    def from_files(cls, files: Iterable[TerraformFile]) -> ModuleIndex:
        """An index over loaded files, without summaries (for a unit test, or one file's module)."""
        index = cls({})
        for file in sorted(files, key=lambda f: f.path):
            if _MODULE_FILE.search(file.path):
                index._modules.setdefault(module_dir(file.path), _Module()).add(file.blocks)
            else:
                index._note_inputs(file.path, file.attributes.values())
        return index

    @property
    def modules(self) -> tuple[str, ...]:
        """The module directories, sorted (``""`` is the repository root)."""
        return tuple(sorted(self._modules))

    def blocks(self, type: str | None = None, module: str | None = None) -> tuple[Block, ...]:
        """Top-level blocks, of one type and/or one module, in path then source order."""
        return tuple(
            block
            for name in ([module] if module is not None else self.modules)
            for block in (self._modules[name].matching(type) if name in self._modules else ())
        )

    def resources(self, type: str | None = None, module: str | None = None) -> tuple[Block, ...]:
        """``resource`` blocks, all or of one resource type, in every module or one."""
        return tuple(
            block
            for name in ([module] if module is not None else self.modules)
            for block in (self._modules[name].matching("resource", type) if name in self._modules else ())
        )

    def resolve(self, module: str | Block, reference: str) -> Block | None:
        """The block a reference made in ``module`` (a directory, or a block of it) points at:
        a resource, data source, module call, variable or output; for ``local.x``, the
        ``locals`` block that sets ``x``. None when the module defines no such block."""
        name = module_dir(module) if isinstance(module, Block) else _normal(module)
        target = target_of(reference)
        entry = self._modules.get(name)
        if target is None or entry is None:
            return None
        return entry.lookup(target)

    def referencing(self, block: Block, *, type: str | None = None, attribute: str | None = None) -> tuple[Block, ...]:
        """Top-level blocks of ``block``'s module that refer to it, optionally only those
        of one resource ``type`` (``aws_s3_bucket_versioning``; a block type such as
        ``module`` also works) and only through ``attribute`` (a dotted path as in
        :meth:`Block.get`, e.g. ``bucket``)."""
        entry = self._modules.get(module_dir(block))
        if entry is None:
            return ()
        found = []
        for candidate in entry.referrers.get(block.address, ()):
            if candidate is block:
                continue
            if type is not None and candidate.type != type and candidate.labels[:1] != (type,):
                continue
            if attribute is not None:
                held = candidate.get(attribute)
                if not isinstance(held, Attribute) or not any(refers_to(r, block.address) for r in held.references):
                    continue
            found.append(candidate)
        return tuple(found)


def _attribute_names(data: Any) -> list[str]:
    if isinstance(data, list):
        return [attribute[0] for attribute in data[4]]
    return [attribute["name"] for attribute in data["attributes"]]


def _input_names(attribute: Attribute, *, native: bool) -> set[str]:
    """The variable names Terragrunt ``inputs`` set: the keys of its object, or of the
    objects ``merge()`` combines; :data:`ANY_VARIABLE` when any part is computed."""
    node = structure(attribute.value, attribute.value_span, native=native)
    parts = node.items if node.kind == "call" and node.name == "merge" else (node,)
    names: set[str] = set()
    for part in parts:
        if part.kind != "object":
            return {ANY_VARIABLE}
        names.update(key for key, _ in part.keys)
    return names


def _normal(directory: str) -> str:
    directory = directory.strip("/")
    return "" if directory in ("", ".") else posixpath.normpath(directory)
