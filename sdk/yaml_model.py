"""The YAML model rules read: plain mappings and lists that know where they came from.

A document is made of :class:`YamlMapping` (a ``dict``) and :class:`YamlSequence` (a
``list``) holding plain scalars (``str``, ``int``, ``float``, ``bool``, ``None``), so rules
written against dicts and lists keep working (``document.get("spec", {})``,
``isinstance(x, Mapping)``). Each collection also remembers the exact source offsets of
itself, of every key and of every value, so a rule reports at the key or value it means.
Explicitly tagged nodes (CloudFormation's ``!Ref X``, ``!If [...]``) arrive as
:class:`Tagged`, so a rule can tell ``!Ref Bucket`` from the string ``"Bucket"``.

Anchors are shared, never copied: an alias is the very object its anchor names.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from .files import SourceFile
from .model import FileKind, Span

__all__ = [
    "DuplicateKey",
    "Field",
    "Tagged",
    "YamlDocument",
    "YamlEntry",
    "YamlFile",
    "YamlMapping",
    "YamlSequence",
    "yaml_bool",
]


class YamlMapping(dict):
    """A YAML mapping: a ``dict`` that also knows the source span of itself and of each
    key and value (:meth:`span`, :meth:`key_span`, :meth:`value_span`).

    Treat it as read-only: every rule sees the same object.
    """

    __slots__ = ("_end", "_locator", "_positions", "_start")

    def __init__(self, locator: SourceFile, start: int) -> None:
        super().__init__()
        self._locator = locator
        self._start = start
        self._end = start
        # key -> (key start, key end, value start, value end), character offsets
        self._positions: dict[Any, tuple[int, int, int, int]] = {}

    @property
    def span(self) -> Span:
        """The whole mapping, from its first key (or ``{``) to the end of its last value."""
        return self._locator.span_from_offsets(self._start, self._end)

    def key_span(self, key: Any) -> Span:
        """The span of ``key`` as written; ``KeyError`` when the mapping has no such key."""
        start, end, _, _ = self._positions[key]
        return self._locator.span_from_offsets(start, end)

    def value_span(self, key: Any) -> Span:
        """The span of the value of ``key`` (an empty value is a one-column span right after
        the colon); ``KeyError`` when the mapping has no such key."""
        _, _, start, end = self._positions[key]
        return self._locator.span_from_offsets(start, end)

    def field(self, key: Any) -> Field | None:
        """The value of ``key`` with its spans, or ``None`` when the mapping has no such key."""
        position = self._positions.get(key)
        if position is None:
            return None
        span = self._locator.span_from_offsets
        return Field(key, self[key], span(position[2], position[3]), span(position[0], position[1]))

    def __repr__(self) -> str:
        return f"YamlMapping({dict.__repr__(self)})"


class YamlSequence(list):
    """A YAML sequence: a ``list`` that also knows the source span of itself and of each
    item (:meth:`span`, :meth:`item_span`). Treat it as read-only."""

    __slots__ = ("_end", "_locator", "_positions", "_start")

    def __init__(self, locator: SourceFile, start: int) -> None:
        super().__init__()
        self._locator = locator
        self._start = start
        self._end = start
        self._positions: list[tuple[int, int]] = []  # per item: (start, end), character offsets

    @property
    def span(self) -> Span:
        """The whole sequence, from its first ``-`` (or ``[``) to the end of its last item."""
        return self._locator.span_from_offsets(self._start, self._end)

    def item_span(self, index: int) -> Span:
        """The span of item ``index`` (negative indexes count from the end)."""
        start, end = self._positions[index]
        return self._locator.span_from_offsets(start, end)

    def field(self, index: int) -> Field:
        """Item ``index`` with its span (``key_span`` is the item's span too)."""
        span = self.item_span(index)
        return Field(index, self[index], span, span)

    def fields(self) -> tuple[Field, ...]:
        """Every item with its span."""
        return tuple(self.field(index) for index in range(len(self)))

    def __repr__(self) -> str:
        return f"YamlSequence({list.__repr__(self)})"


@attrs.frozen(slots=True)
class Field:
    """A value with where it is written: ``key`` (a mapping key, or an item's index),
    ``span`` the value's span and ``key_span`` the key's (an item's own span for a
    sequence item), so a rule reports at whichever it means."""

    key: Any
    value: Any = attrs.field(eq=False)
    span: Span
    key_span: Span


@attrs.frozen(slots=True)
class Tagged:
    """A node with an explicit application tag, such as CloudFormation's ``!Ref Bucket``,
    ``!Sub "arn:${AWS::Partition}:..."`` or ``!If [IsProd, 3, 1]``.

    ``tag`` is written as in the source (``"!Ref"``; ``%TAG`` shorthands and ``!!`` are
    expanded to the full tag). ``value`` is the string of a tagged scalar, or the
    :class:`YamlMapping` / :class:`YamlSequence` of a tagged collection. ``span`` covers
    the tag and its value.
    """

    tag: str
    value: Any = attrs.field(eq=False)
    span: Span = attrs.field(eq=False)

    @property
    def name(self) -> str:
        """The tag without its leading ``!`` (``"Ref"`` for ``!Ref``)."""
        return self.tag[1:] if self.tag.startswith("!") else self.tag

    def __hash__(self) -> int:
        return hash((self.tag, _hashable(self.value)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tagged):
            return NotImplemented
        return self.tag == other.tag and self.value == other.value


@attrs.frozen(slots=True)
class YamlDocument:
    """One document of a (multi-document) file: its 0-based ``index``, its root ``value``
    (``None`` for an empty document) and its :attr:`span`, from ``---`` (when written) to
    the end of the root node."""

    index: int
    value: Any = attrs.field(eq=False)
    _start: int = attrs.field(repr=False)
    _end: int = attrs.field(repr=False)
    _locator: SourceFile = attrs.field(eq=False, repr=False)

    @property
    def span(self) -> Span:
        return self._locator.span_from_offsets(self._start, self._end)


@attrs.frozen(slots=True)
class DuplicateKey:
    """A key written twice in one mapping. The last occurrence wins (as in PyYAML, JSON and
    ``kubectl``'s lenient mode); ``first`` is the span of the earlier key that was
    overridden and ``winner`` the span of the key whose value the model holds."""

    mapping: YamlMapping = attrs.field(eq=False, repr=False)
    key: Any
    first: Span
    winner: Span


@attrs.frozen(slots=True)
class YamlEntry:
    """A node met by :meth:`YamlFile.walk`: its ``path`` from the document root (keys and
    item indexes), the ``parent`` collection (``None`` for a root), its ``key`` there and
    its ``value``. ``span`` is the value's position (a root's is the document's)."""

    document: int
    path: tuple[Any, ...]
    parent: YamlMapping | YamlSequence | None = attrs.field(eq=False, repr=False)
    key: Any
    value: Any = attrs.field(eq=False)
    span: Span


class YamlFile(SourceFile):
    """A YAML file: one root value per document in :attr:`documents`, each document's index
    and span in :attr:`yaml_documents`, and exact spans through :meth:`span_of` and
    :meth:`value_span`.
    """

    kind = FileKind.YAML

    def __init__(
        self,
        path: str,
        text: str,
        documents: Sequence[YamlDocument] = (),
        duplicate_keys: Sequence[DuplicateKey] = (),
        locator: SourceFile | None = None,
    ) -> None:
        super().__init__(path, text)
        self.yaml_documents: tuple[YamlDocument, ...] = tuple(documents)
        self.documents: list[Any] = [document.value for document in self.yaml_documents]
        self.duplicate_keys: tuple[DuplicateKey, ...] = tuple(duplicate_keys)
        self._locator = locator if locator is not None else SourceFile(path, text)

    def span_from_offsets(self, start: int, end: int) -> Span:
        return self._locator.span_from_offsets(start, end)

    def span_of(self, node: Any, key: Any = None) -> Span:
        """The span of ``node`` itself, or of its ``key`` when one is given: a mapping key as
        written, or for a sequence the item at that index. Scalars carry no position: pass
        their parent and key (``TypeError`` otherwise); ``KeyError`` for a missing key."""
        if key is None:
            span = getattr(node, "span", None)
            if isinstance(span, Span):
                return span
            raise TypeError(f"{type(node).__name__} carries no position; pass its parent and key")
        if isinstance(node, YamlMapping):
            return node.key_span(key)
        if isinstance(node, YamlSequence):
            return node.item_span(key)
        if isinstance(node, Tagged):
            return self.span_of(node.value, key)
        raise TypeError(f"{type(node).__name__} carries no positions; pass a mapping or a sequence")

    def value_span(self, node: Any, key: Any) -> Span:
        """The span of the value under ``key`` (a mapping key or a sequence index)."""
        if isinstance(node, YamlMapping):
            return node.value_span(key)
        if isinstance(node, YamlSequence):
            return node.item_span(key)
        if isinstance(node, Tagged):
            return self.value_span(node.value, key)
        raise TypeError(f"{type(node).__name__} carries no positions; pass a mapping or a sequence")

    def walk(self) -> Iterator[YamlEntry]:
        """Every node of every document, parents before children, each shared (aliased)
        node once, so a file of aliases costs what its text does."""
        seen: set[int] = set()
        for document in self.yaml_documents:
            queue: deque[YamlEntry] = deque([YamlEntry(document.index, (), None, None, document.value, document.span)])
            while queue:
                entry = queue.popleft()
                yield entry
                value = entry.value.value if isinstance(entry.value, Tagged) else entry.value
                if not isinstance(value, (YamlMapping, YamlSequence)) or id(value) in seen:
                    continue
                seen.add(id(value))
                if isinstance(value, YamlMapping):
                    for key, item in value.items():
                        queue.append(
                            YamlEntry(document.index, (*entry.path, key), value, key, item, value.value_span(key))
                        )
                else:
                    for index, item in enumerate(value):
                        queue.append(
                            YamlEntry(document.index, (*entry.path, index), value, index, item, value.item_span(index))
                        )


_TRUE_WORDS = frozenset({"true", "yes", "on", "y"})
_FALSE_WORDS = frozenset({"false", "no", "off", "n"})


def yaml_bool(value: Any) -> bool | None:
    """A boolean as tools on YAML 1.1 read it (Kubernetes, Helm, Ansible): ``True`` and
    ``true``/``yes``/``on``/``y`` in any case are true, their opposites false; anything else
    is ``None``. The model itself follows YAML 1.2, where ``yes`` is a string."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def _hashable(value: Any) -> Hashable:
    """A hashable stand-in for a collection used as a mapping key (``? [a, b]``)."""
    if isinstance(value, Mapping):
        return tuple((_hashable(key), _hashable(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    return value
