"""TOML files: ``tomllib`` parses and validates, a small locator finds where things are.

``tomllib`` is strict (a key defined twice, a table declared twice, a bad escape are all
errors, with their line) but gives no positions; tomlkit keeps the source but no offsets either
(and parses ten times slower). So the loader keeps ``tomllib``'s data and, on first use, walks
the already-validated text once to find the span of every key and value: table headers, arrays
of tables, dotted keys, inline tables, arrays, all four string forms. The locator never
decides what a value is: values are looked up in ``tomllib``'s data by their path (the test
suite parses every located value span back with ``tomllib``).
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from .config_files import ConfigFile, Entry, Keys, Layout, Section
from .errors import LoadError

__all__ = ["read_toml"]

_MAX_DEPTH = 100  # tomllib recurses per nesting level; refuse before the interpreter's limit

_SKIP = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")  # whitespace, newlines and comments
_SPACE = re.compile(r"[ \t]*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_MULTILINE_BASIC = re.compile(r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"{3,5}')
_MULTILINE_LITERAL = re.compile(r"'''(?:[^']|'(?!''))*'{3,5}")
_SCALAR = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?(?![\w:.+-])"
    r"|[^\s,\]}#]+"
)
# strings, comments and brackets: enough to measure nesting before tomllib recurses into it
_NESTING = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]')
_ERROR_POSITION = re.compile(r"\s*\((?:at line (\d+), column \d+|at end of document)\)$")


def _nesting_depth(text: str) -> int:
    depth = deepest = 0
    for match in _NESTING.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _message(error: tomllib.TOMLDecodeError) -> tuple[str, int | None]:
    text = str(error)
    match = _ERROR_POSITION.search(text)
    line = int(match.group(1)) if match and match.group(1) else None
    message = text[: match.start()] if match else text
    if message == "Cannot overwrite a value":
        message = "a key is defined twice (or a value is redefined as a table)"
    elif message.startswith("Cannot declare ") and message.endswith(" twice"):
        message = "a table is declared twice"
    else:
        message = message[:1].lower() + message[1:]
    return f"invalid TOML: {message}", line


def read_toml(path: str, text: str) -> ConfigFile:
    if (text.count("[") + text.count("{") > _MAX_DEPTH) and _nesting_depth(text) > _MAX_DEPTH:
        raise LoadError("too-complex", f"arrays or tables nest more than {_MAX_DEPTH} levels deep")
    try:
        data = tomllib.loads(" " + text[1:] if text.startswith("\ufeff") else text)  # a BOM is no statement
    except tomllib.TOMLDecodeError as error:
        message, line = _message(error)
        raise LoadError("toml", message, line if line is not None else len(text.splitlines()) or 1) from None
    except RecursionError:
        raise LoadError("too-complex", "arrays or tables nest too deeply to parse") from None
    except (MemoryError, ValueError) as error:
        raise LoadError("toml", f"invalid TOML: {error}") from None
    return ConfigFile(path, text, "toml", data=data, locate=_locate)


def _lookup(data: Any, keys: Keys) -> Any:
    node = data
    for key in keys:
        node = node[key]
    return node


Offsets = tuple[int, int]


class _Locator:
    """One pass over valid TOML, recording the offsets of every key and leaf value."""

    def __init__(self, file: ConfigFile) -> None:
        self.file = file
        self.text = file.text
        self.index = file.line_index
        self.entries: list[Entry] = []
        self.sections: list[Section] = []
        self.key_offsets: dict[Keys, Offsets] = {}
        self.tables_of_arrays: dict[Keys, int] = {}  # [[x]] paths -> elements so far
        self.headers: list[tuple[Offsets, Keys]] = []

    def run(self) -> Layout:
        text = self.text
        pos = 1 if text.startswith("\ufeff") else 0
        table: Keys = ()
        while True:
            pos = _SKIP.match(text, pos).end()
            if pos >= len(text):
                break
            if text[pos] == "[":
                table, pos = self.header(pos)
            else:
                pos = self.key_value(table, pos)
        self.add_empty_tables()
        return Layout(tuple(self.entries), tuple(self.sections), self.key_offsets, self.file.data)

    def add_empty_tables(self) -> None:
        """A header with no keys under it is an empty table: a leaf, at its header."""
        added = False
        for offsets, path in self.headers:
            if _lookup(self.file.data, path) == {}:
                self.add(path, self.key_offsets[path], offsets, "")
                added = True
        if added:
            self.entries.sort(key=lambda entry: entry.value_start)

    def keys(self, pos: int) -> tuple[list[tuple[str, int, int]], int]:
        """A dotted key: each part with the offsets of its text (inside any quotes)."""
        text = self.text
        parts = []
        while True:
            pos = _SPACE.match(text, pos).end()
            char = text[pos]
            if char == '"':
                match = _BASIC.match(text, pos)
                raw = match.group()
                name = tomllib.loads(f"k = {raw}")["k"] if "\\" in raw else raw[1:-1]
                parts.append((name, pos + 1, match.end() - 1))
            elif char == "'":
                match = _LITERAL.match(text, pos)
                parts.append((match.group()[1:-1], pos + 1, match.end() - 1))
            else:
                match = _BARE_KEY.match(text, pos)
                parts.append((match.group(), pos, match.end()))
            pos = _SPACE.match(text, match.end()).end()
            if not text.startswith(".", pos):
                return parts, pos
            pos += 1

    def resolve(self, names: Keys) -> Keys:
        """A header's names as a path: each array of tables on the way is its last element."""
        path: Keys = ()
        for name in names:
            path += (name,)
            count = self.tables_of_arrays.get(path)
            if count:
                path += (count - 1,)
        return path

    def header(self, pos: int) -> tuple[Keys, int]:
        start = pos
        is_array = self.text.startswith("[[", pos)
        parts, pos = self.keys(pos + (2 if is_array else 1))
        end = pos + (2 if is_array else 1)
        names = tuple(name for name, _, _ in parts)
        for index, (_, key_start, key_end) in enumerate(parts[:-1]):
            self.key_offsets.setdefault(self.resolve(names[: index + 1]), (key_start, key_end))
        path = (*self.resolve(names[:-1]), names[-1])
        last = parts[-1][1:]
        if is_array:
            index = self.tables_of_arrays.get(path, 0)
            self.tables_of_arrays[path] = index + 1
            self.key_offsets.setdefault(path, last)
            path = (*path, index)
        self.key_offsets.setdefault(path, last)
        span = self.index.span
        self.sections.append(Section(path, span(start, end), span(parts[0][1], last[1])))
        self.headers.append(((start, end), path))
        return path, end

    def dotted(self, table: Keys, parts: list[tuple[str, int, int]]) -> tuple[Keys, Offsets]:
        """The full path of a dotted key under ``table``, recording the tables it passes."""
        path = table
        for name, start, end in parts[:-1]:
            path = (*path, name)
            self.key_offsets.setdefault(path, (start, end))
        name, start, end = parts[-1]
        path = (*path, name)
        self.key_offsets.setdefault(path, (start, end))
        return path, (start, end)

    def key_value(self, table: Keys, pos: int) -> int:
        parts, pos = self.keys(pos)
        path, key = self.dotted(table, parts)
        return self.value(path, key, _SPACE.match(self.text, pos + 1).end())  # past "="

    def value(self, path: Keys, key: Offsets, pos: int) -> int:
        """Locate the value at ``pos`` and everything in it, without recursion: a stack of
        the open arrays and inline tables."""
        text = self.text
        # each open container: [path, "[" or "{", start offset, items so far]
        stack: list[list] = []
        pending: tuple[Keys, Offsets | None] | None = (path, key)
        while True:
            pos = _SKIP.match(text, pos).end()
            if pending is not None:
                keys, key = pending
                pending = None
                char = text[pos]
                if char in "[{":
                    stack.append([keys, char, pos, 0])
                    pos += 1
                    continue
                pos = self.leaf(keys, key, pos)
            else:
                frame = stack[-1]
                char = text[pos]
                if char == ",":
                    pos += 1
                    continue
                if char in "]}":
                    stack.pop()
                    pos += 1
                    keys = frame[0]
                    whole = (frame[2], pos)
                    self.key_offsets.setdefault(keys, whole)  # an array element is its own key
                    if frame[3] == 0:
                        self.add(keys, self.key_offsets[keys], whole, "")
                else:
                    frame[3] += 1
                    if frame[1] == "[":
                        pending = ((*frame[0], frame[3] - 1), None)
                    else:
                        parts, pos = self.keys(pos)
                        keys, key = self.dotted(frame[0], parts)
                        pending = (keys, key)
                        pos += 1  # past "="
                    continue
            if not stack:
                return pos

    def leaf(self, keys: Keys, key: Offsets | None, pos: int) -> int:
        """A scalar: a string in any of its four forms, or a number, boolean or date."""
        text = self.text
        quote = ""
        if text.startswith('"""', pos):
            match, quote = _MULTILINE_BASIC.match(text, pos), '"""'
        elif text.startswith("'''", pos):
            match, quote = _MULTILINE_LITERAL.match(text, pos), "'''"
        elif text[pos] == '"':
            match, quote = _BASIC.match(text, pos), '"'
        elif text[pos] == "'":
            match, quote = _LITERAL.match(text, pos), "'"
        else:
            match = _SCALAR.match(text, pos)
        end = match.end()
        value = (pos + len(quote), end - len(quote))
        if key is None:  # an array element
            key = value
            self.key_offsets.setdefault(keys, value)
        self.add(keys, key, value, quote)
        return end

    def add(self, keys: Keys, key: Offsets, value: Offsets, quote: str) -> None:
        self.entries.append(Entry(keys, _lookup(self.file.data, keys), *key, *value, self.index, quote))


def _locate(file: ConfigFile) -> Layout:
    return _Locator(file).run()
