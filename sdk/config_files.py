"""Configuration files (``.env``, INI, TOML, JSON) as one model: every value with its key path
and exact positions.

A rule that looks for credentials or reads ``pyproject.toml`` asks the same questions of
every format ("which values sit under a key named like a password, and where?"), so all four
formats load into one :class:`ConfigFile`. Each format is checked by its real parser when
the file is loaded (``tomllib``, ``json``, ``configparser``, the ``.env`` grammar of
python-dotenv); the positions of keys and values are located on first use, since most files
are loaded only to prove they are well-formed.

**Paths.** A value's place is its tuple of ``keys``: strings for mapping keys, ints for
array indexes, e.g. ``("servers", 0, "token")``. Its ``path`` is the same written as text:
``servers[0].token``; a key that is not a bare word (letters, digits, ``_`` and ``-``) is
written as a JSON string: ``tool."setuptools.packages"``. INI paths start with the section:
``database.password``; ``.env`` paths are the variable name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any

import attrs

from .errors import LoadError
from .files import SourceFile
from .model import FileKind, Span

__all__ = [
    "ConfigFile",
    "Entry",
    "Layout",
    "LineIndex",
    "Reference",
    "Section",
    "format_path",
    "load_config_file",
    "load_env",
    "load_ini",
    "load_json",
    "load_toml",
    "parse_path",
]

Key = str | int
Keys = tuple[Key, ...]

FORMATS: Mapping[str, FileKind] = {
    "env": FileKind.ENV,
    "ini": FileKind.INI,
    "toml": FileKind.TOML,
    "json": FileKind.JSON,
}

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_PATH_PART = re.compile(r'\.?(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)")|\[(\d+)\]')

# ${NAME}, ${NAME:-default} (shell, Compose, Spring's ${a.b:default}), $NAME in capitals,
# %(name)s (configparser's interpolation) and {{ name }} (Jinja, Helm, Go templates).
_REFERENCE = re.compile(
    r"\$\{\s*(?P<braced>[A-Za-z_][\w.-]*)\s*(?:(?P<op>:?[-=?+]|:)(?P<default>[^}]*))?\}"
    r"|\$(?P<bare>[A-Z_][A-Z0-9_]*)(?![A-Za-z0-9_])"
    r"|%\((?P<percent>[^)\s]+)\)s"
    r"|\{\{\s*(?P<template>[^{}]+?)\s*\}\}"
)


def format_path(keys: Iterable[Key]) -> str:
    """``("servers", 0, "token")`` -> ``servers[0].token``; keys that are not bare words are
    quoted as JSON strings."""
    out: list[str] = []
    for key in keys:
        if isinstance(key, int):
            out.append(f"[{key}]")
        else:
            text = key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)
            out.append(f".{text}" if out else text)
    return "".join(out)


def parse_path(path: str | Sequence[Key]) -> Keys:
    """The keys of a dotted path (the inverse of :func:`format_path`); a tuple or list of keys
    is returned as a tuple. ``ValueError`` for a malformed path."""
    if not isinstance(path, str):
        return tuple(path)
    keys: list[Key] = []
    pos = 0
    while pos < len(path):
        match = _PATH_PART.match(path, pos)
        if match is None or (pos == 0 and path.startswith(".")) or (pos > 0 and path[pos] not in ".["):
            raise ValueError(f"malformed key path {path!r} at character {pos + 1}")
        bare, quoted, index = match.groups()
        if index is not None:
            keys.append(int(index))
        elif quoted is not None:
            keys.append(json.loads(f'"{quoted}"'))
        else:
            keys.append(bare)
        pos = match.end()
    if not keys:
        raise ValueError("empty key path")
    return tuple(keys)


@attrs.frozen(slots=True)
class Reference:
    """A variable a value refers to instead of holding the data itself (``${DB_PASSWORD}``),
    with the fallback written after it, if any (``${DB_PASSWORD:-changeme}``): a fallback can
    itself be a hard-coded secret."""

    name: str
    default: str | None = None


class LineIndex:
    """Character offsets to spans for one text, shared by all the entries of a file, so an
    entry stores four integers and builds its spans only when a rule asks for them."""

    __slots__ = ("_line_starts",)

    def __init__(self, line_starts: list[int]) -> None:
        self._line_starts = line_starts

    # the very conversion SourceFile uses (it reads nothing but ``_line_starts``)
    span = SourceFile.span_from_offsets


@attrs.frozen(slots=True, repr=False)
class Entry:
    """One value of a configuration file, where it is written and under which key.

    Entries are the leaves: strings, numbers, booleans, nulls and dates, and empty arrays or
    tables (``[]``, ``{}``), which have no leaves of their own. ``key_span`` covers the last
    key that names the value (``password`` in ``database.password = "x"``); an array element
    has no key, so its ``key_span`` is its ``value_span``. Both spans exclude quotes and
    trailing comments: ``value_span`` covers exactly the characters between the quotes as
    written (escapes undecoded), and ``file.text[entry.value_start:entry.value_end]`` is that
    text. An empty value's span is one column wide, where the value starts. ``quote`` is the
    quoting used (``"``, ``'``, ``\"\"\"``, ``'''``, or ``""`` for none). ``section`` is the INI
    section (``None`` elsewhere and for INI keys before any section).
    """

    keys: Keys
    value: Any = attrs.field(hash=False)  # [] and {} are values too, and unhashable
    key_start: int
    key_end: int
    value_start: int
    value_end: int
    index: LineIndex = attrs.field(eq=False)
    quote: str = ""
    section: str | None = None

    def __repr__(self) -> str:
        return f"Entry({self.path!r}, {self.value!r}, key_span={self.key_span}, value_span={self.value_span})"

    @property
    def key_span(self) -> Span:
        return self.index.span(self.key_start, self.key_end)

    @property
    def value_span(self) -> Span:
        return self.index.span(self.value_start, self.value_end)

    @property
    def path(self) -> str:
        """The keys as a dotted path: ``servers[0].token``."""
        return format_path(self.keys)

    @property
    def key(self) -> str | None:
        """The nearest mapping key: ``token`` for ``servers[0].token``, ``hosts`` for
        ``hosts[1]``; ``None`` for an element of a top-level array."""
        for key in reversed(self.keys):
            if isinstance(key, str):
                return key
        return None

    @property
    def span(self) -> Span:
        """From the key to the end of the value: what ``ctx.report(entry, ...)`` points at."""
        start = min(self.key_start, self.value_start)
        return self.index.span(start, max(self.value_end, start + 1))

    @property
    def references(self) -> tuple[Reference, ...]:
        """The variables a string value refers to (``${VAR}``, ``${VAR:-default}``,
        ``$VAR`` in capitals, ``%(var)s``, ``{{ var }}``); empty for other values."""
        if not isinstance(self.value, str) or not any(c in self.value for c in "$%{"):
            return ()
        return tuple(_reference(match) for match in _REFERENCE.finditer(self.value))

    @property
    def is_reference(self) -> bool:
        """The whole value is one reference (``${DB_PASSWORD}``): it names where the data
        comes from and holds none itself (though its fallback may)."""
        if not isinstance(self.value, str):
            return False
        return _REFERENCE.fullmatch(self.value.strip()) is not None

    @property
    def is_templated(self) -> bool:
        """The value contains at least one reference (``postgres://app:${DB_PASSWORD}@db``)."""
        return bool(self.references)


def _reference(match: re.Match[str]) -> Reference:
    name = match["braced"] or match["bare"] or match["percent"] or match["template"]
    default = match["default"] if match["op"] else None
    return Reference(name, default)


@attrs.frozen(slots=True)
class Section:
    """A header that opens a group of keys: an INI ``[section]`` or a TOML ``[table]`` or
    ``[[array.of.tables]]``. ``keys`` is the path it opens (``("servers", 1)`` for the second
    ``[[servers]]``); ``span`` covers the whole header, brackets included; ``name_span`` the
    name between the brackets."""

    keys: Keys
    span: Span
    name_span: Span

    @property
    def name(self) -> str:
        """The header's path as text: ``database``, ``servers[1]``, ``"tool:pytest"``."""
        return format_path(self.keys) if len(self.keys) != 1 else str(self.keys[0])


@attrs.frozen(slots=True)
class Layout:
    """Where everything in a file is: its entries in source order, its section headers and the
    key span of every path (containers included), built on first use."""

    entries: tuple[Entry, ...]
    sections: tuple[Section, ...] = ()
    key_offsets: Mapping[Keys, tuple[int, int]] = attrs.field(factory=dict)
    data: Any = None


_MISSING = object()


class ConfigFile(SourceFile):
    """A ``.env``, INI, TOML or JSON file: its data and every value with its position.

    ``format`` is ``"env"``, ``"ini"``, ``"toml"`` or ``"json"``. ``data`` is the nested Python
    data as the format's parser reads it (INI and ``.env`` values are strings; for a key
    written twice, the value that wins). ``entries`` lists every value in source order, both
    copies of a repeated key included. Positions are located on first use.
    """

    kind: FileKind = FileKind.OTHER

    def __init__(
        self,
        path: str,
        text: str,
        format: str,
        *,
        data: Any = _MISSING,
        locate: Callable[[ConfigFile], Layout],
    ) -> None:
        super().__init__(path, text)
        self.format = format
        self.kind = FORMATS[format]
        self._locate = locate
        if data is not _MISSING:
            self.__dict__["data"] = data  # known at load: the cached property is set

    @cached_property
    def line_index(self) -> LineIndex:
        """The offset-to-span conversion the entries share."""
        return LineIndex(self._line_starts)

    @cached_property
    def _layout(self) -> Layout:
        return self._locate(self)

    @cached_property
    def data(self) -> Any:
        """The file's data: dicts, lists, strings, numbers, booleans, ``None`` and (TOML)
        dates and times. INI: ``{section: {key: value}}``, with ``DEFAULT`` as written (not
        copied into the other sections) and keys before any section at the top."""
        return self._layout.data

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every value (leaf) in source order; see :class:`Entry`."""
        return self._layout.entries

    @property
    def sections(self) -> tuple[Section, ...]:
        """INI sections and TOML table headers, in source order."""
        return self._layout.sections

    @cached_property
    def _by_keys(self) -> dict[Keys, Entry]:
        return {entry.keys: entry for entry in self.entries}

    def _keys(self, path: str | Sequence[Key]) -> Keys:
        if self.format == "env" and isinstance(path, str):
            return (path,)
        return parse_path(path)

    def get(self, path: str | Sequence[Key], default: Any = None) -> Any:
        """The value at a dotted path (``"database.password"``, ``"servers[0].token"``) or a
        tuple of keys, containers included; ``default`` when there is none. In ``.env`` files
        the path is the variable name."""
        node = self.data
        for key in self._keys(path):
            present = key in node if isinstance(node, dict) else isinstance(node, list) and isinstance(key, int)
            if not present or (isinstance(node, list) and not 0 <= key < len(node)):  # type: ignore[operator]
                return default
            node = node[key]
        return node

    def entry(self, path: str | Sequence[Key]) -> Entry | None:
        """The entry at a path (the last one written, whose value is in ``data``), or
        ``None`` for a missing path or a non-empty container."""
        return self._by_keys.get(self._keys(path))

    def key_span(self, path: str | Sequence[Key]) -> Span | None:
        """Where the key of a path is written, containers included (a TOML table's header
        key, a JSON object's key); for an array element, the element itself."""
        keys = self._keys(path)
        entry = self._by_keys.get(keys)
        if entry is not None:
            return entry.key_span
        offsets = self._layout.key_offsets.get(keys)
        return self.span_from_offsets(*offsets) if offsets else None

    def under(self, path: str | Sequence[Key]) -> tuple[Entry, ...]:
        """The entries at or below a path, in source order: ``under("project.dependencies")``."""
        keys = self._keys(path)
        size = len(keys)
        return tuple(entry for entry in self.entries if entry.keys[:size] == keys)


def load_env(path: str, text: str) -> ConfigFile:
    """A ``.env`` file (python-dotenv's syntax); :class:`LoadError` for a line that is not
    ``KEY=value``."""
    from .config_env import read_env

    return read_env(path, text)


def load_ini(path: str, text: str) -> ConfigFile:
    """An INI file (``configparser`` semantics, no interpolation, ``;``/``#`` comments)."""
    from .config_ini import read_ini

    return read_ini(path, text)


def load_toml(path: str, text: str) -> ConfigFile:
    """A TOML file, checked by ``tomllib``."""
    from .config_toml import read_toml

    return read_toml(path, text)


def load_json(path: str, text: str) -> ConfigFile:
    """A JSON file, checked by ``json`` (``//`` and ``/* */`` comments and trailing commas are
    accepted, as in ``tsconfig.json``)."""
    from .config_json import read_json

    return read_json(path, text)


_LOADERS: Mapping[str, Callable[[str, str], ConfigFile]] = {
    "env": load_env,
    "ini": load_ini,
    "toml": load_toml,
    "json": load_json,
}


def load_config_file(path: str, text: str, format: str | FileKind | None = None) -> ConfigFile:
    """Load any of the four formats: ``format`` (a name or a :class:`FileKind`) or, without
    it, the kind the path classifies as."""
    if format is None:
        from .kinds import classify

        format = classify(path)
    name = format.value if isinstance(format, FileKind) else str(format).lower()
    loader = _LOADERS.get(name)
    if loader is None:
        raise LoadError("config", f"not a configuration format: {name} (expected env, ini, toml or json)")
    return loader(path, text)
