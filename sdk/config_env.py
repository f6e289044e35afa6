"""``.env`` files: python-dotenv's grammar, with the position of every key and value.

python-dotenv is what Python services load these files with, so its grammar decides what a
value is: ``KEY=value`` and ``export KEY=value``; single-quoted values (``\\'`` and ``\\\\``
escapes) and double-quoted values (``\\n``, ``\\t``, ``\\"``, ... escapes), both may span
lines; unquoted values end at a ``#`` preceded by whitespace and lose trailing whitespace;
``${VAR}`` is kept as written. Its parser reports only the line of each binding and skips bad
lines, so the same regular expressions are applied here with offsets, and a line that is not a
binding is an error (the test suite checks the values against python-dotenv's).
"""

from __future__ import annotations

import re

from .config_files import ConfigFile, Entry, Layout
from .errors import LoadError

__all__ = ["read_env"]

_MULTILINE_WHITESPACE = re.compile(r"\s*", re.MULTILINE)
_WHITESPACE = re.compile(r"[^\S\r\n]*")
_EXPORT = re.compile(r"(?:export[^\S\r\n]+)?")
_SINGLE_QUOTED_KEY = re.compile(r"'([^']+)'")
_UNQUOTED_KEY = re.compile(r"([^=\#\s]+)")
_EQUAL_SIGN = re.compile(r"=[^\S\r\n]*")
_SINGLE_QUOTED_VALUE = re.compile(r"'((?:\\.|[^'\\])*)'", re.DOTALL)
_DOUBLE_QUOTED_VALUE = re.compile(r'"((?:\\.|[^"\\])*)"', re.DOTALL)
_UNQUOTED_VALUE = re.compile(r"[^\r\n]*")
_INLINE_COMMENT = re.compile(r"\s+#")
_COMMENT = re.compile(r"(?:[^\S\r\n]*#[^\r\n]*)?")
_END_OF_LINE = re.compile(r"[^\S\r\n]*(?:\r\n|\n|\r|$)")
_REST_OF_LINE = re.compile(r"[^\r\n]*")
_SINGLE_QUOTE_ESCAPES = re.compile(r"\\[\\']")
_DOUBLE_QUOTE_ESCAPES = re.compile(r"\\[\\'\"abfnrtv]")
_ESCAPES = {
    "\\\\": "\\",
    "\\'": "'",
    '\\"': '"',
    "\\a": "\a",
    "\\b": "\b",
    "\\f": "\f",
    "\\n": "\n",
    "\\r": "\r",
    "\\t": "\t",
    "\\v": "\v",
}


def _unescape(pattern: re.Pattern[str], raw: str) -> str:
    return pattern.sub(lambda match: _ESCAPES[match.group()], raw) if "\\" in raw else raw


class _Reader:
    """Reads bindings one by one; offsets index the file's text."""

    def __init__(self, file: ConfigFile) -> None:
        self.file = file
        self.text = file.text
        self.pos = 1 if self.text.startswith("\ufeff") else 0

    def fail(self, offset: int, message: str) -> LoadError:
        return LoadError("env", message, self.file.span_from_offsets(offset, offset + 1).line)

    def entries(self) -> list[Entry]:
        text = self.text
        out = []
        while True:
            self.pos = _MULTILINE_WHITESPACE.match(text, self.pos).end()
            if self.pos >= len(text):
                return out
            if text[self.pos] == "#":
                self.pos = _REST_OF_LINE.match(text, self.pos).end()
                continue
            out.append(self.binding())

    def binding(self) -> Entry:
        text, file = self.text, self.file
        start = self.pos
        self.pos = _EXPORT.match(text, self.pos).end()
        quoted_key = text.startswith("'", self.pos)
        match = (_SINGLE_QUOTED_KEY if quoted_key else _UNQUOTED_KEY).match(text, self.pos)
        if match is None:
            what = "an empty quoted variable name" if quoted_key else "a variable name"
            raise self.fail(self.pos, f"expected {what} (a .env line is KEY=value)")
        key, key_start, key_end = match.group(1), match.start(1), match.end(1)
        self.pos = _WHITESPACE.match(text, match.end()).end()
        if not text.startswith("=", self.pos):
            raise self.fail(start, "no '=' on this line: a .env line is KEY=value (or a # comment)")
        equal = _EQUAL_SIGN.match(text, self.pos)
        self.pos = equal.end()
        value, value_start, value_end, quote = self.value(start, equal.end() - equal.start() > 1)
        self.pos = _COMMENT.match(text, self.pos).end()
        end = _END_OF_LINE.match(text, self.pos)
        if end is None:
            raise self.fail(self.pos, f"unexpected text after the value of {key!r}")
        self.pos = end.end()
        return Entry((key,), value, key_start, key_end, value_start, value_end, file.line_index, quote)

    def value(self, start: int, spaced: bool) -> tuple[str, int, int, str]:
        text, pos = self.text, self.pos
        char = text[pos : pos + 1]
        if char in ("'", '"'):
            pattern = _SINGLE_QUOTED_VALUE if char == "'" else _DOUBLE_QUOTED_VALUE
            match = pattern.match(text, pos)
            if match is None:
                kind = "single" if char == "'" else "double"
                line = self.file.span_from_offsets(pos, pos + 1).line
                raise self.fail(pos, f"unterminated {kind}-quoted value started on line {line}")
            self.pos = match.end()
            escapes = _SINGLE_QUOTE_ESCAPES if char == "'" else _DOUBLE_QUOTE_ESCAPES
            return _unescape(escapes, match.group(1)), match.start(1), match.end(1), char
        if char in ("", "\n", "\r") or (spaced and char == "#"):
            return "", pos, pos, ""
        raw = _UNQUOTED_VALUE.match(text, pos).group()
        comment = _INLINE_COMMENT.search(raw)
        value = (raw[: comment.start()] if comment else raw).rstrip()
        self.pos = pos + len(raw)
        return value, pos, pos + len(value), ""


def _locate(file: ConfigFile) -> Layout:
    try:
        entries = _Reader(file).entries()
    except (RecursionError, MemoryError) as error:
        raise LoadError("env", f"the file cannot be read ({type(error).__name__})") from None
    return Layout(tuple(entries), data={entry.keys[0]: entry.value for entry in entries})


def read_env(path: str, text: str) -> ConfigFile:
    file = ConfigFile(path, text, "env", locate=_locate)
    file.entries  # noqa: B018 -- reading the bindings is the check: LoadError now, not on first use
    return file
