"""Load YAML into the position-carrying model of :mod:`.yaml_model`, fast and safely.

libyaml (through PyYAML's C parser) turns the text into events with exact start and end
marks; this module folds the events into :class:`YamlMapping` / :class:`YamlSequence`
with an explicit stack, so no input can recurse in C or in Python. PyYAML's own
pure-Python parser, which yields the same events, is used where PyYAML was built
without libyaml.

Guards, each a :class:`LoadError` rather than a hang or a crash: nesting deeper than
:data:`MAX_DEPTH`; aliases that would expand the file past :data:`MAX_EXPANSION` nodes
(a "billion laughs"), although the model itself shares aliased nodes; an alias to its
own enclosing node. Helm chart templates (``templates/*.yaml`` holding ``{{``) are not
YAML until rendered: :class:`SkipFile`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml import events as ev

from .errors import LoadError, SkipFile
from .files import SourceFile
from .model import Span
from .yaml_model import DuplicateKey, Tagged, YamlDocument, YamlFile, YamlMapping, YamlSequence, _hashable

__all__ = ["MAX_DEPTH", "MAX_EXPANSION", "is_helm_template", "load_yaml"]

MAX_DEPTH = 256
"""Deeper nesting is refused: no real manifest comes close, and rules may recurse."""

MAX_EXPANSION = 1_000_000
"""Nodes a file may reach with every alias expanded (when that is also over ten times the
nodes it writes out): past it the file is an alias bomb, refused before rules walk it."""


class _PurePythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's own parser: the same events as libyaml's, slower."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

_Parser: Any = _CParser or _PurePythonParser


_CORE = "tag:yaml.org,2002:"
_MERGE_TAG = _CORE + "merge"
# tags that only ask for a standard type: the value is that type, no Tagged
_SCALAR_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "binary", "timestamp", "merge")
)
_COLLECTION_TAGS = frozenset(_CORE + name for name in ("map", "seq", "set", "omap", "pairs"))

# YAML 1.2 core schema, for plain scalars
_NULLS = {"": None, "~": None, "null": None, "Null": None, "NULL": None}
_WORDS: dict[str, Any] = {
    **_NULLS,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_WORDS_11: dict[str, Any] = {
    **_WORDS,
    **{word: True for word in ("y", "Y", "yes", "Yes", "YES", "on", "On", "ON")},
    **{word: False for word in ("n", "N", "no", "No", "NO", "off", "Off", "OFF")},
}
_NUMBER_START = frozenset("-+.0123456789")
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_11 = re.compile(r"[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|(?:0|[1-9][0-9_]*))\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_FLOAT_11 = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?\Z")
_SPECIAL_FLOATS = {
    **{f"{sign}.{inf}": float(f"{sign}inf") for sign in ("", "+", "-") for inf in ("inf", "Inf", "INF")},
    **{f".{nan}": float("nan") for nan in ("nan", "NaN", "NAN")},
}


def _plain(value: str, words: dict[str, Any]) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if value[:1] in _NUMBER_START:
        if _INT.match(value):
            return _int(value, 10)
        if value[:2] in ("0x", "0o"):
            try:
                return int(value[2:], 16 if value[1] == "x" else 8)
            except ValueError:
                return value
        if _FLOAT.match(value):
            return float(value)
        return _SPECIAL_FLOATS.get(value, value)
    return words.get(value, value)


def _plain_11(value: str, words: dict[str, Any]) -> Any:
    """A plain scalar under YAML 1.1 (``%YAML 1.1`` documents): ``yes``/``on`` booleans,
    ``0644`` octal, ``1_000`` underscores."""
    if value[:1] in _NUMBER_START:
        if _INT_11.match(value):
            digits = value.replace("_", "")
            sign = -1 if digits[0] == "-" else 1
            digits = digits.lstrip("+-")
            if digits.startswith("0b"):
                return sign * _int(digits[2:], 2)
            if digits.startswith("0x"):
                return sign * _int(digits[2:], 16)
            if len(digits) > 1 and digits.startswith("0"):
                return sign * _int(digits[1:], 8)
            return sign * _int(digits, 10)
        if _FLOAT_11.match(value) and any(c.isdigit() for c in value):
            return float(value.replace("_", ""))
        return _SPECIAL_FLOATS.get(value, value)
    return words.get(value, value)


def _int(digits: str, base: int) -> Any:
    try:
        return int(digits, base)
    except ValueError:  # past Python's digit limit for int(): keep the text
        return digits


def _standard(tag: str, value: str, resolve: Any, words: dict[str, Any]) -> Any:
    """A scalar with a YAML core tag (``!!str 12``, ``!!int "3"``): what the tag asks for,
    or the text when it does not fit."""
    name = tag[len(_CORE) :]
    if name in ("str", "binary", "timestamp"):
        return value
    resolved = resolve(value, words)
    wanted = {"int": int, "float": (float, int), "bool": bool, "null": type(None)}.get(name)
    if wanted is None:
        return value
    if name == "float" and isinstance(resolved, int) and not isinstance(resolved, bool):
        return float(resolved)
    if isinstance(resolved, wanted) and not (name == "int" and isinstance(resolved, bool)):
        return resolved
    return value


class _Frame:
    """A collection being filled."""

    __slots__ = (
        "anchor",
        "end",
        "flow",
        "is_map",
        "key",
        "key_end",
        "key_start",
        "merge_key",
        "merges",
        "node",
        "size",
        "start",
        "tag",
    )

    def __init__(self, node: Any, start: int, anchor: str | None, tag: str | None, flow: bool) -> None:
        self.node = node
        self.is_map = node.__class__ is YamlMapping
        self.start = start
        self.end = start
        self.anchor = anchor
        self.tag = tag
        self.flow = flow
        self.key: Any = _NO_KEY
        self.key_start = 0
        self.key_end = 0
        self.merge_key = False
        self.merges: list[Any] | None = None
        self.size = 1


_NO_KEY = object()
_TRAILING = " \t\r\n"


def is_helm_template(path: str, text: str) -> bool:
    """A file under a Helm chart's ``templates/`` directory that holds template actions."""
    parts = path.replace("\\", "/").split("/")
    return "templates" in parts[:-1] and "{{" in text


def load_yaml(path: str, text: str) -> YamlFile:
    """Parse every document of ``text``. Raises :class:`LoadError` for text that is not
    YAML (with the 1-based line) or is too deep or alias-heavy to analyze, and
    :class:`SkipFile` for a Helm chart template."""
    if is_helm_template(path, text):
        raise SkipFile("helm-template", "Helm chart template: not YAML until rendered; not analyzed")
    locator = SourceFile(path, text)
    source, nodes = text, locator
    if text.startswith("\ufeff"):  # libyaml drops a leading BOM from its offsets
        source, nodes = text[1:], _Shifted(path, text)
    try:
        documents, duplicates = _Builder(source, nodes).build()
    except LoadError:
        raise
    except yaml.MarkedYAMLError as error:
        raise _invalid(error, nodes) from None
    except yaml.YAMLError as error:  # the reader: characters YAML does not allow
        raise _unreadable(error, nodes) from None
    except UnicodeEncodeError as error:
        line = _line_of(locator, error.start)
        raise LoadError("encoding", "text holds a lone surrogate, which is not Unicode", line) from None
    except RecursionError:
        raise LoadError("too-complex", "YAML nests too deeply to analyze") from None
    except MemoryError:
        raise LoadError("too-complex", "YAML is too large to load in memory") from None
    except (ValueError, TypeError, OverflowError) as error:
        raise LoadError("yaml", f"invalid YAML: {error}") from None
    return YamlFile(path, text, documents, duplicates, locator)


class _Shifted(SourceFile):
    """Spans for offsets counted after a leading BOM."""

    def span_from_offsets(self, start: int, end: int) -> Span:
        return super().span_from_offsets(start + 1, end + 1)


def _line_of(locator: SourceFile, offset: int | None) -> int | None:
    """The 1-based line of a parser offset, counting the line breaks the SDK counts
    (without building the file's line table: an error in a huge file stays cheap)."""
    if offset is None or offset < 0:
        return None
    text = locator.text
    if isinstance(locator, _Shifted):
        offset += 1
    offset = min(offset, len(text))
    breaks = text.count("\n", 0, offset) + text.count("\r", 0, offset) - text.count("\r\n", 0, offset)
    return breaks + 1


def _invalid(error: yaml.MarkedYAMLError, locator: SourceFile) -> LoadError:
    problem = (error.problem or error.context or "cannot parse").strip()
    mark = error.problem_mark or error.context_mark
    if "maximum nesting depth" in problem:  # libyaml's own limit on flow nesting
        line = _line_of(locator, mark.index) if mark is not None else None
        return LoadError("too-complex", "YAML nests too deeply to analyze", line)
    line = _line_of(locator, mark.index) if mark is not None else None
    if mark is not None and _char_at(locator, mark.index) == "\t":
        if _indents(locator, mark.index):
            return LoadError("yaml", "invalid YAML: a tab indents this line; YAML indents with spaces only", line)
        return LoadError("yaml", "invalid YAML: a tab where YAML expects a value or a key", line)
    message = f"invalid YAML: {problem}"
    context = (error.context or "").strip()
    if context and error.problem and context != "while scanning for the next token":
        if context.startswith("while") and error.context_mark is not None:
            message += f" ({context} started on line {_line_of(locator, error.context_mark.index)})"
        else:
            message += f" ({context})"
    return LoadError("yaml", message, line)


def _indents(locator: SourceFile, offset: int) -> bool:
    """Whether only blanks precede ``offset`` on its line."""
    offset += 1 if isinstance(locator, _Shifted) else 0
    text = locator.text
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return not text[line_start:offset].strip(" \t\ufeff")


def _char_at(locator: SourceFile, offset: int) -> str:
    offset += 1 if isinstance(locator, _Shifted) else 0
    return locator.text[offset : offset + 1]


def _unreadable(error: yaml.YAMLError, locator: SourceFile) -> LoadError:
    position = getattr(error, "position", None)
    character = getattr(error, "character", None)
    if isinstance(character, int):
        character = chr(character)
    what = f"character {character!r} (U+{ord(character):04X})" if isinstance(character, str) else "a character"
    return LoadError("yaml", f"invalid YAML: {what} is not allowed in YAML", _line_of(locator, position))


class _Builder:
    """Folds parser events into the model with an explicit stack."""

    def __init__(self, text: str, locator: SourceFile) -> None:
        self.text = text
        self.locator = locator
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.duplicates: list[DuplicateKey] = []
        self.nodes = 0
        self.expanded = 0

    def build(self) -> tuple[list[YamlDocument], list[DuplicateKey]]:
        parser = _Parser(self.text)
        try:
            return self._documents(parser), self.duplicates
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose is not None:
                dispose()

    def _documents(self, parser: Any) -> list[YamlDocument]:
        get_event = parser.get_event
        documents: list[YamlDocument] = []
        event = get_event()  # StreamStartEvent
        while True:
            event = get_event()
            if isinstance(event, ev.StreamEndEvent) or event is None:
                return documents
            # a DocumentStartEvent
            start = event.start_mark.index
            version = getattr(event, "version", None)
            self.anchors = {}
            value, value_start, value_end = self._document(get_event, version == (1, 1))
            get_event()  # DocumentEndEvent
            end = value_end
            if value is None and value_start == value_end:  # an empty document: its `---`, if any
                end = start + 3 if self.text.startswith("---", start) else start
            documents.append(YamlDocument(len(documents), value, start, max(end, start), self.locator))

    def _document(self, get_event: Any, yaml_11: bool) -> tuple[Any, int, int]:
        """Build one document's root from its events; the root value and its offsets."""
        text = self.text
        locator = self.locator
        words = _WORDS_11 if yaml_11 else _WORDS
        resolve = _plain_11 if yaml_11 else _plain
        anchors = self.anchors
        stack: list[_Frame] = []
        ScalarEvent, MappingStartEvent, SequenceStartEvent = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
        MappingEndEvent, SequenceEndEvent, AliasEvent = ev.MappingEndEvent, ev.SequenceEndEvent, ev.AliasEvent
        nodes = self.nodes
        expanded = self.expanded
        while True:
            event = get_event()
            cls = event.__class__
            if cls is ScalarEvent:
                start = event.start_mark.index
                end = event.end_mark.index
                raw = event.value
                tag = event.tag
                if event.style in ("|", ">"):
                    while end > start and text[end - 1] in _TRAILING:
                        end -= 1
                if tag is None or tag == "!":
                    value = resolve(raw, words) if event.implicit[0] and tag is None else raw
                elif tag in _SCALAR_TAGS:
                    value = raw if tag == _MERGE_TAG else _standard(tag, raw, resolve, words)
                else:
                    value = Tagged(tag, raw, locator.span_from_offsets(start, end))
                merge_key = raw == "<<" and (tag == _MERGE_TAG or (tag is None and event.implicit[0]))
                size = 1
                nodes += 1
                expanded += 1
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise LoadError(
                        "too-complex",
                        f"YAML nests deeper than {MAX_DEPTH} levels",
                        _line_of(locator, event.start_mark.index),
                    )
                start = event.start_mark.index
                node = YamlMapping(locator, start) if cls is MappingStartEvent else YamlSequence(locator, start)
                tag = event.tag
                if tag == "!" or tag in _COLLECTION_TAGS:
                    tag = None
                stack.append(_Frame(node, start, event.anchor, tag, bool(event.flow_style)))
                nodes += 1
                expanded += 1
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                node = frame.node
                start = frame.start
                if frame.merges is not None:
                    copied = _merge(node, frame.merges)
                    frame.size += copied
                    expanded += copied
                # libyaml ends a block collection where the next token starts, past trailing
                # comments and blank lines: it ends at its last key or value instead
                end = event.end_mark.index if frame.flow else frame.end
                node._end = end
                value = node
                if frame.tag is not None:
                    value = Tagged(frame.tag, node, locator.span_from_offsets(start, end))
                size = frame.size
                merge_key = False
                if frame.anchor is not None:
                    anchors[frame.anchor] = (value, size)
            elif cls is AliasEvent:
                name = event.anchor
                start = event.start_mark.index
                end = event.end_mark.index
                target = anchors.get(name)
                if target is None:
                    line = _line_of(locator, start)
                    if any(frame.anchor == name for frame in stack):
                        raise LoadError("yaml", f"invalid YAML: alias *{name} refers to a node that contains it", line)
                    raise LoadError("yaml", f"invalid YAML: alias *{name} refers to no anchor before it", line)
                value, size = target
                merge_key = False
                nodes += 1
                expanded += size
                if expanded > MAX_EXPANSION and expanded > 10 * nodes:
                    raise LoadError(
                        "too-complex",
                        f"aliases expand to over {MAX_EXPANSION:,} nodes (an alias bomb); not analyzed",
                        _line_of(locator, start),
                    )
            else:  # pragma: no cover - the parser emits nothing else inside a document
                raise LoadError("yaml", f"invalid YAML: unexpected {cls.__name__}")

            # `value` (offsets start..end, `size` nodes when expanded) is complete: place it
            if not stack:
                self.nodes = nodes
                self.expanded = expanded
                return value, start, end
            parent = stack[-1]
            parent.size += size
            if end > parent.end:
                parent.end = end
            container = parent.node
            if not parent.is_map:
                container.append(value)
                container._positions.append((start, end))
                continue
            if parent.key is _NO_KEY:
                if value.__class__ in _UNHASHABLE_KEYS:
                    value = _key(value)
                parent.key = value
                parent.key_start = start
                parent.key_end = end
                parent.merge_key = merge_key
                continue
            key = parent.key
            parent.key = _NO_KEY
            if parent.merge_key and _is_merge_source(value):
                if parent.merges is None:
                    parent.merges = []
                parent.merges.append(value)
                continue
            positions = container._positions
            if key in positions:
                old = positions[key]
                self.duplicates.append(
                    DuplicateKey(
                        container,
                        key,
                        locator.span_from_offsets(old[0], old[1]),
                        locator.span_from_offsets(parent.key_start, parent.key_end),
                    )
                )
                del container[key]  # the later key also takes the later place
            container[key] = value
            positions[key] = (parent.key_start, parent.key_end, start, end)


_UNHASHABLE_KEYS = (YamlMapping, YamlSequence, Tagged)


def _key(value: Any) -> Any:
    """A collection used as a key (``? [a, b]``) becomes a tuple, so the mapping can hold it."""
    try:
        hash(value)
    except TypeError:
        return _hashable(value.value if isinstance(value, Tagged) else value)
    return value


def _is_merge_source(value: Any) -> bool:
    if isinstance(value, YamlMapping):
        return True
    return isinstance(value, YamlSequence) and len(value) > 0 and all(isinstance(v, YamlMapping) for v in value)


def _merge(node: YamlMapping, merges: list[Any]) -> int:
    """Apply ``<<`` merge keys: a key written in the mapping wins over merged ones, and
    among merged mappings the earlier wins. Merged keys keep their spans in the mapping
    they come from. Returns how many keys were copied."""
    copied = 0
    positions = node._positions
    for value in merges:
        sources = [value] if isinstance(value, YamlMapping) else list(value)
        for source in sources:
            for key, item in source.items():
                copied += 1
                if key not in positions:
                    node[key] = item
                    positions[key] = source._positions[key]
    return copied
