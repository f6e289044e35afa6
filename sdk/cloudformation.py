"""CloudFormation templates (YAML or JSON) as rules see them: resources, parameters and
intrinsic functions, each with exact spans.

A template arrives as a :class:`~prodready_lint.sdk.YamlFile` (short-form tags such as
``!Ref`` kept as :class:`~prodready_lint.sdk.Tagged`) or as a JSON
:class:`~prodready_lint.sdk.ConfigFile`. :func:`cloudformation_template` recognises it
(an ``AWSTemplateFormatVersion``, or a ``Resources`` mapping holding at least one
``{Type: AWS::...}``) and gives one model for both syntaxes, built once per file and
shared by every rule::

    template = cloudformation_template(file)
    if template is not None:
        for db in template.resources_of("AWS::RDS::DBInstance"):
            multi_az = db.field("MultiAZ")
            if multi_az is None:
                ctx.report(db.id_span, f"{db.logical_id} sets no MultiAZ")
            elif cfn_bool(template.resolve(multi_az.value).value) is False:
                ctx.report(multi_az.key_span, f"{db.logical_id} sets MultiAZ to false")

Values are plain Python data (``str``, ``int``, ``float``, ``bool``, ``None``) in
:class:`CfnMapping` (a ``dict``) and :class:`CfnList` (a ``list``) that know the spans of
their keys and items. An intrinsic function is an :class:`Intrinsic` whichever way it is
written: ``!Ref Bucket`` and ``{"Ref": "Bucket"}`` are the same value, as are
``!GetAtt Db.Endpoint.Address`` and ``{"Fn::GetAtt": ["Db", "Endpoint.Address"]}``.
Strings that CloudFormation fills in at deploy time (``{{resolve:secretsmanager:...}}``)
are read with :func:`dynamic_reference`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .model import FileKind, Span
from .yaml_model import Field, Tagged, YamlMapping, YamlSequence

if TYPE_CHECKING:  # pragma: no cover
    from .config_files import ConfigFile
    from .files import SourceFile

__all__ = [
    "CfnList",
    "CfnMapping",
    "CloudFormationParameter",
    "CloudFormationResource",
    "CloudFormationTemplate",
    "Intrinsic",
    "Resolved",
    "cfn_bool",
    "cfn_int",
    "cloudformation_template",
    "dynamic_reference",
    "walk_values",
]

Key = str | int


# -- positions ------------------------------------------------------------------------------


class _Place:
    """Where the keys and values of one mapping or sequence are written."""

    __slots__ = ()

    def span(self) -> Span:  # pragma: no cover - interface
        raise NotImplementedError

    def key_span(self, key: Key) -> Span:  # pragma: no cover - interface
        raise NotImplementedError

    def value_span(self, key: Key) -> Span:  # pragma: no cover - interface
        raise NotImplementedError


class _YamlPlace(_Place):
    __slots__ = ("node",)

    def __init__(self, node: YamlMapping | YamlSequence) -> None:
        self.node = node

    def span(self) -> Span:
        return self.node.span

    def key_span(self, key: Key) -> Span:
        node = self.node
        return node.key_span(key) if isinstance(node, YamlMapping) else node.item_span(key)  # type: ignore[arg-type]

    def value_span(self, key: Key) -> Span:
        node = self.node
        return node.value_span(key) if isinstance(node, YamlMapping) else node.item_span(key)  # type: ignore[arg-type]


class _JsonPlace(_Place):
    __slots__ = ("file", "keys")

    def __init__(self, file: ConfigFile, keys: tuple[Key, ...]) -> None:
        self.file = file
        self.keys = keys

    def span(self) -> Span:
        span = self.file.key_span(self.keys) if self.keys else None
        return span if span is not None else Span(1, 1, 1, 2)

    def key_span(self, key: Key) -> Span:
        span = self.file.key_span((*self.keys, key))
        return span if span is not None else self.span()

    def value_span(self, key: Key) -> Span:
        entry = self.file.entry((*self.keys, key))
        return entry.value_span if entry is not None else self.key_span(key)


class CfnMapping(dict):
    """A template mapping: a ``dict`` of converted values that also knows where each key
    and value is written (:meth:`key_span`, :meth:`value_span`, :meth:`field`).
    Treat it as read-only: every rule sees the same object."""

    __slots__ = ("_place",)

    def __init__(self, place: _Place) -> None:
        super().__init__()
        self._place = place

    @property
    def span(self) -> Span:
        """Where the mapping is written (in JSON: the key or array item that holds it)."""
        return self._place.span()

    def key_span(self, key: str) -> Span:
        """The span of ``key`` as written; ``KeyError`` when the mapping has no such key."""
        if key not in self:
            raise KeyError(key)
        return self._place.key_span(key)

    def value_span(self, key: str) -> Span:
        """The span of the value of ``key`` (a JSON object or array value: its key's span)."""
        if key not in self:
            raise KeyError(key)
        return self._place.value_span(key)

    def field(self, key: str) -> Field | None:
        """The value of ``key`` with its spans, or ``None`` when absent."""
        if key not in self:
            return None
        return Field(key, self[key], self._place.value_span(key), self._place.key_span(key))

    def __repr__(self) -> str:
        return f"CfnMapping({dict.__repr__(self)})"


class CfnList(list):
    """A template sequence: a ``list`` of converted values with the span of each item."""

    __slots__ = ("_place",)

    def __init__(self, place: _Place) -> None:
        super().__init__()
        self._place = place

    @property
    def span(self) -> Span:
        return self._place.span()

    def item_span(self, index: int) -> Span:
        """The span of item ``index`` (negative indexes count from the end)."""
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._place.key_span(index)

    def field(self, index: int) -> Field:
        span = self.item_span(index)
        return Field(index, self[index], span, span)

    def fields(self) -> tuple[Field, ...]:
        """Every item with its span."""
        return tuple(self.field(index) for index in range(len(self)))

    def __repr__(self) -> str:
        return f"CfnList({list.__repr__(self)})"


# -- intrinsic functions --------------------------------------------------------------------

_SUB_VARIABLE = re.compile(r"\$\{(?!!)\s*([^}\s]+)\s*\}")


@attrs.frozen(slots=True)
class Intrinsic:
    """An intrinsic function, in either syntax: ``name`` is the long form (``"Ref"``,
    ``"Condition"``, ``"Fn::GetAtt"``, ``"Fn::Sub"``, ``"Fn::If"``, ...), ``argument`` its
    converted argument (a ``!GetAtt Db.Endpoint`` scalar becomes ``["Db", "Endpoint"]``)
    and ``span`` where the call is written (tag and value, or the one-key mapping)."""

    name: str
    argument: Any = attrs.field(eq=False)
    span: Span = attrs.field(eq=False)

    @property
    def short_name(self) -> str:
        """``"Ref"``, ``"GetAtt"``, ``"Sub"``: the name without ``Fn::``."""
        return self.name[4:] if self.name.startswith("Fn::") else self.name

    @property
    def target(self) -> str | None:
        """What a ``Ref`` or ``Fn::GetAtt`` names (a logical id or a parameter), else None."""
        if self.name == "Ref" and isinstance(self.argument, str):
            return self.argument
        if self.name == "Fn::GetAtt" and isinstance(self.argument, list) and self.argument:
            first = self.argument[0]
            return first if isinstance(first, str) else None
        return None

    @property
    def references(self) -> tuple[str, ...]:
        """The logical ids and parameters it names: a ``Ref`` or ``Fn::GetAtt`` target, the
        ``${Name}`` / ``${Name.Attribute}`` variables of a ``Fn::Sub`` template (not those
        its own variable map defines), and those of nested functions."""
        found: dict[str, None] = {}
        _collect_references(self, found)
        return tuple(found)


def _collect_references(value: Any, found: dict[str, None]) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Intrinsic):
            target = item.target
            if target is not None:
                found.setdefault(target)
            elif item.name == "Fn::Sub":
                template, local = item.argument, {}
                if isinstance(template, list) and template:
                    template, local = template[0], (template[1] if len(template) > 1 else {})
                    stack.extend(reversed(list(local.values())) if isinstance(local, Mapping) else ())
                if isinstance(template, str):
                    for match in _SUB_VARIABLE.finditer(template):
                        name = match.group(1).split(".", 1)[0]
                        if not (isinstance(local, Mapping) and name in local):
                            found.setdefault(name)
            else:
                stack.append(item.argument)
        elif isinstance(item, Mapping):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _intrinsic_name(key: str) -> str | None:
    if key == "Ref" or key.startswith("Fn::"):
        return key
    return None


# -- parameters, resources, template --------------------------------------------------------


@attrs.frozen(slots=True)
class CloudFormationParameter:
    """A template parameter: ``name`` and its ``span`` (the name as written), ``type``,
    ``no_echo`` (``NoEcho: true``: the value is masked in the console and API) and
    ``default`` (a :class:`Field` with the value and its spans, or None)."""

    name: str
    span: Span
    type: str | None
    no_echo: bool
    default: Field | None
    properties: CfnMapping = attrs.field(eq=False, repr=False)


@attrs.frozen(slots=True)
class CloudFormationResource:
    """A resource: ``logical_id`` and ``id_span`` (the logical id as written: where a
    finding about a missing property belongs), ``type`` (``AWS::S3::Bucket``),
    ``properties`` (a :class:`CfnMapping`, empty when the resource has none), and the
    resource attributes ``DeletionPolicy``, ``UpdateReplacePolicy`` and ``Condition`` as
    :class:`Field` objects (None when not written). ``span`` covers the whole definition."""

    logical_id: str
    type: str
    id_span: Span
    span: Span
    properties: CfnMapping = attrs.field(eq=False, repr=False)
    definition: CfnMapping = attrs.field(eq=False, repr=False)

    @property
    def deletion_policy(self) -> Field | None:
        return self.definition.field("DeletionPolicy")

    @property
    def update_replace_policy(self) -> Field | None:
        return self.definition.field("UpdateReplacePolicy")

    @property
    def condition(self) -> Field | None:
        """The ``Condition`` the resource is created under, if any."""
        return self.definition.field("Condition")

    def field(self, path: str | Sequence[Key]) -> Field | None:
        """The property at a dotted path (``"VersioningConfiguration.Status"``) or a tuple of
        keys and list indexes, with its spans; None when any step is absent or not a
        mapping (or list)."""
        keys: Sequence[Key] = path.split(".") if isinstance(path, str) else path
        node: Any = self.properties
        found: Field | None = None
        for key in keys:
            if (isinstance(node, CfnMapping) and isinstance(key, str) and key in node) or (
                isinstance(node, CfnList) and isinstance(key, int) and -len(node) <= key < len(node)
            ):
                found = node.field(key)
            else:
                return None
            node = found.value  # type: ignore[union-attr]
        return found

    def get(self, path: str | Sequence[Key], default: Any = None) -> Any:
        """The value of the property at ``path`` (see :meth:`field`), or ``default``."""
        found = self.field(path)
        return default if found is None else found.value

    def has(self, path: str | Sequence[Key]) -> bool:
        return self.field(path) is not None


@attrs.frozen(slots=True)
class Resolved:
    """A value with a ``Ref`` to a parameter replaced by the parameter's default:
    ``parameter`` is the parameter whose default gave the value (a deploy may pass
    another), None when the value was written in place."""

    value: Any = attrs.field(eq=False)
    parameter: CloudFormationParameter | None = None

    @property
    def from_default(self) -> bool:
        return self.parameter is not None


class CloudFormationTemplate:
    """A CloudFormation (or SAM) template: its ``resources`` in source order, its
    ``parameters`` by name, ``conditions`` and ``outputs`` as written, ``transform``
    (``"AWS::Serverless-2016-10-31"`` for SAM) and ``syntax`` (``"yaml"`` or ``"json"``)."""

    def __init__(
        self,
        path: str,
        syntax: str,
        root: CfnMapping,
        resources: tuple[CloudFormationResource, ...],
        parameters: Mapping[str, CloudFormationParameter],
    ) -> None:
        self.path = path
        self.syntax = syntax
        self.root = root
        self.resources = resources
        self.parameters = parameters
        self._by_id = {resource.logical_id: resource for resource in resources}

    def __repr__(self) -> str:
        return f"<CloudFormationTemplate {self.path}: {len(self.resources)} resources>"

    @property
    def format_version(self) -> Any:
        return self.root.get("AWSTemplateFormatVersion")

    @property
    def transform(self) -> Any:
        return self.root.get("Transform")

    @property
    def conditions(self) -> Mapping[str, Any]:
        value = self.root.get("Conditions")
        return value if isinstance(value, Mapping) else {}

    @property
    def outputs(self) -> Mapping[str, Any]:
        value = self.root.get("Outputs")
        return value if isinstance(value, Mapping) else {}

    def resource(self, logical_id: str) -> CloudFormationResource | None:
        return self._by_id.get(logical_id)

    def resources_of(self, *types: str) -> tuple[CloudFormationResource, ...]:
        """The resources of any of these types, in source order."""
        wanted = set(types)
        return tuple(resource for resource in self.resources if resource.type in wanted)

    def parameter(self, name: str) -> CloudFormationParameter | None:
        return self.parameters.get(name)

    def resolve(self, value: Any) -> Resolved:
        """``value`` itself, or, for a ``Ref`` to a parameter with a ``Default``, that
        default (``Resolved.parameter`` says which parameter: a lower-confidence value)."""
        if isinstance(value, Intrinsic) and value.name == "Ref" and isinstance(value.argument, str):
            parameter = self.parameters.get(value.argument)
            if parameter is not None and parameter.default is not None:
                return Resolved(parameter.default.value, parameter)
        return Resolved(value)

    def referencing(self, logical_id: str, *types: str) -> tuple[CloudFormationResource, ...]:
        """The resources (of ``types``, when given) whose properties name ``logical_id``
        through ``Ref``, ``Fn::GetAtt`` or ``Fn::Sub``."""
        wanted = set(types)
        out = []
        for resource in self.resources:
            if wanted and resource.type not in wanted:
                continue
            if resource.logical_id != logical_id and logical_id in _references_in(resource.properties):
                out.append(resource)
        return tuple(out)


def _references_in(value: Any) -> set[str]:
    found: dict[str, None] = {}
    _collect_references(value, found)
    return set(found)


# -- values ---------------------------------------------------------------------------------

_TRUE = frozenset({"true"})
_FALSE = frozenset({"false"})


def cfn_bool(value: Any) -> bool | None:
    """A boolean as CloudFormation reads it: ``true`` / ``false`` or the strings
    ``"true"`` / ``"false"`` in any case; None for anything else (an intrinsic function)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    return None


def cfn_int(value: Any) -> int | None:
    """An integer written as a number or a numeric string (``7``, ``"7"``); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    return None


_DYNAMIC = re.compile(r"\{\{resolve:([A-Za-z0-9-]+):")


def dynamic_reference(value: Any) -> str | None:
    """The service of the first dynamic reference in a value (``"secretsmanager"``,
    ``"ssm-secure"``, ``"ssm"``), looking into ``Fn::Sub`` and ``Fn::Join`` arguments;
    None when the value holds none."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            match = _DYNAMIC.search(item)
            if match is not None:
                return match.group(1)
        elif isinstance(item, Intrinsic):
            stack.append(item.argument)
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, Mapping):
            stack.extend(reversed(list(item.values())))
    return None


# -- building the model ---------------------------------------------------------------------

_CACHE_ATTRIBUTE = "_prodready_cloudformation"
_NOT_BUILT = object()


def cloudformation_template(file: SourceFile) -> CloudFormationTemplate | None:
    """The CloudFormation template a YAML or JSON file holds, or None when it holds none.
    Built on first use and kept with the file, so every rule shares one model."""
    cached = file.__dict__.get(_CACHE_ATTRIBUTE, _NOT_BUILT)
    if cached is not _NOT_BUILT:
        return cached  # type: ignore[return-value]
    template = _build(file)
    file.__dict__[_CACHE_ATTRIBUTE] = template
    return template


def _looks_like_template(root: Any) -> bool:
    if not isinstance(root, Mapping):
        return False
    if "AWSTemplateFormatVersion" in root:
        return True
    resources = root.get("Resources")
    if not isinstance(resources, Mapping):
        return False
    for definition in resources.values():
        if isinstance(definition, Mapping):
            kind = definition.get("Type")
            if isinstance(kind, str) and kind.startswith("AWS::"):
                return True
    return False


def _build(file: SourceFile) -> CloudFormationTemplate | None:
    if file.kind is FileKind.YAML:
        documents = [d for d in getattr(file, "yaml_documents", ()) if d.value is not None]
        if len(documents) != 1 or not _looks_like_template(documents[0].value):
            return None
        root = _convert_yaml(documents[0].value, 0)
        syntax = "yaml"
    elif file.kind is FileKind.JSON:
        data = getattr(file, "data", None)
        if not _looks_like_template(data):
            return None
        root = _convert_json(file, data, (), 0)  # type: ignore[arg-type]
        syntax = "json"
    else:
        return None
    if not isinstance(root, CfnMapping):
        return None
    return CloudFormationTemplate(file.path, syntax, root, _resources(root), _parameters(root))


def _resources(root: CfnMapping) -> tuple[CloudFormationResource, ...]:
    section = root.get("Resources")
    if not isinstance(section, CfnMapping):
        return ()
    out = []
    for logical_id, definition in section.items():
        if not isinstance(logical_id, str) or not isinstance(definition, CfnMapping):
            continue
        kind = definition.get("Type")
        if not isinstance(kind, str):
            continue
        properties = definition.get("Properties")
        if not isinstance(properties, CfnMapping):
            properties = CfnMapping(definition._place)
        id_span = section.key_span(logical_id)
        whole = definition.span
        span = Span(id_span.line, id_span.column, max(whole.end_line, id_span.end_line), whole.end_column)
        if (span.end_line, span.end_column) <= (span.line, span.column):
            span = id_span
        out.append(CloudFormationResource(logical_id, kind, id_span, span, properties, definition))
    return tuple(out)


def _parameters(root: CfnMapping) -> dict[str, CloudFormationParameter]:
    section = root.get("Parameters")
    if not isinstance(section, CfnMapping):
        return {}
    out = {}
    for name, definition in section.items():
        if not isinstance(name, str) or not isinstance(definition, CfnMapping):
            continue
        kind = definition.get("Type")
        out[name] = CloudFormationParameter(
            name,
            section.key_span(name),
            kind if isinstance(kind, str) else None,
            cfn_bool(definition.get("NoEcho")) is True,
            definition.field("Default"),
            definition,
        )
    return out


_MAX_DEPTH = 200  # the YAML and JSON loaders refuse deeper nesting long before this


def _convert_yaml(node: Any, depth: int) -> Any:
    """A loaded YAML node as template data: mappings and sequences keep their positions,
    tags and one-key ``Ref`` / ``Fn::`` mappings become :class:`Intrinsic`."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, Tagged):
        name = node.name
        full = name if name in ("Ref", "Condition") else f"Fn::{name}"
        argument = _convert_yaml(node.value, depth + 1)
        if full == "Fn::GetAtt" and isinstance(argument, str):
            argument = argument.split(".", 1)
        return Intrinsic(full, argument, node.span)
    if isinstance(node, YamlMapping):
        if len(node) == 1:
            (key,) = node
            if isinstance(key, str):
                full = _intrinsic_name(key)
                if full is None and key == "Condition" and isinstance(node[key], str):
                    full = key
                if full is not None:
                    return Intrinsic(full, _convert_yaml(node[key], depth + 1), node.span)
        mapping = CfnMapping(_YamlPlace(node))
        for key, value in node.items():
            mapping[key] = _convert_yaml(value, depth + 1)
        return mapping
    if isinstance(node, YamlSequence):
        sequence = CfnList(_YamlPlace(node))
        sequence.extend(_convert_yaml(item, depth + 1) for item in node)
        return sequence
    return node


def _convert_json(file: ConfigFile, node: Any, keys: tuple[Key, ...], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, dict):
        place = _JsonPlace(file, keys)
        if len(node) == 1:
            (key,) = node
            full = _intrinsic_name(key)
            if full is None and key == "Condition" and isinstance(node[key], str):
                full = key
            if full is not None:
                argument = _convert_json(file, node[key], (*keys, key), depth + 1)
                if full == "Fn::GetAtt" and isinstance(argument, str):
                    argument = argument.split(".", 1)
                return Intrinsic(full, argument, place.span())
        mapping = CfnMapping(place)
        for key, value in node.items():
            mapping[key] = _convert_json(file, value, (*keys, key), depth + 1)
        return mapping
    if isinstance(node, list):
        sequence = CfnList(_JsonPlace(file, keys))
        sequence.extend(_convert_json(file, item, (*keys, index), depth + 1) for index, item in enumerate(node))
        return sequence
    return node


def walk_values(value: Any) -> Iterator[Any]:
    """Every value inside ``value`` (itself included), depth first: mappings, lists,
    intrinsic functions and their arguments."""
    stack = [value]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, Intrinsic):
            stack.append(item.argument)
        elif isinstance(item, Mapping):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
