"""JSON files: the standard ``json`` module parses and validates, a token scanner finds where
every key and value is.

The C decoder behind ``json.loads`` is fast (a 5 MB file in a fraction of a second) and raises
``RecursionError`` rather than crashing on deep nesting, but it reports no positions, and the
pure-Python position-aware readers are far too slow (json-source-map takes 28 s on 4.6 MB).
So the loader keeps ``json.loads``'s data and the positions come, on first use, from one pass
of a regular-expression tokenizer over the already-validated text.

Comments are not JSON, but ``tsconfig.json``, VS Code settings and ``devcontainer.json`` have
them: a ``.json`` file that ``json.loads`` rejects is read again with ``//`` and ``/* */``
comments and trailing commas blanked out (offsets kept), as TypeScript and VS Code read them.
Everything else is strict: ``NaN`` and ``Infinity`` are refused. A repeated key keeps both
entries; ``data`` has the last value, as ``json.loads`` does.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from .config_files import ConfigFile, Entry, Keys, Layout
from .errors import LoadError
from .files import SourceFile

__all__ = ["read_json"]

_STRING_BODY = r'[^"\\]*+(?:\\.[^"\\]*+)*+'
# one value, preceded by its key when it is an object's member, or a closing bracket; commas
# and whitespace fall between matches
_TOKEN = re.compile(
    rf'(?:"({_STRING_BODY})"\s*:\s*)?(?:"({_STRING_BODY})"|([\[{{])|([^\s\[\]{{}},:"]+))|([\]}}])',
    re.DOTALL,
)
_JSONC = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?'  # strings are kept
    r"|//[^\r\n]*|/\*[\s\S]*?(?:\*/|\Z)"  # comments are blanked
    r"|[\[\]{}]"
    r"|,(?P<last>(?=(?:\s|//[^\r\n]*|/\*[\s\S]*?\*/)*[\]}]))?"  # a comma, maybe the last before a bracket
)
_NON_NEWLINE = re.compile(r"[^\r\n]")
_CONSTANTS = {"true": True, "false": False, "null": None}


class _NotJson(Exception):
    """NaN or Infinity: Python's json accepts them, JSON does not."""


def _reject_constant(name: str) -> Any:
    raise _NotJson(name)


def _blank_comments(file: SourceFile, text: str) -> str:
    """Comments, and commas that follow a value and precede a closing bracket, replaced by
    spaces (newlines kept, so offsets are unchanged). ``[,]`` stays an error."""
    follows_value = False
    end = 0

    def blank(match: re.Match[str]) -> str:
        nonlocal follows_value, end
        token = match.group()
        if text[end : match.start()].strip():  # a number or literal in between
            follows_value = True
        end = match.end()
        if token.startswith("/"):
            if token.startswith("/*") and (len(token) < 4 or not token.endswith("*/")):
                line = file.span_from_offsets(match.start(), match.start() + 1).line
                raise LoadError("json", f"unterminated /* comment started on line {line}", line)
            return _NON_NEWLINE.sub(" ", token)
        if token == ",":
            trailing = match.group("last") is not None and follows_value
            follows_value = False
            return " " if trailing else token
        follows_value = token[0] in '"]}'
        return token

    return _JSONC.sub(blank, text)


def _decode(file: SourceFile, text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        line = file.span_from_offsets(error.pos, error.pos + 1)
        message = error.msg[:1].lower() + error.msg[1:]
        raise LoadError("json", f"invalid JSON: {message} at column {line.column}", line.line) from None
    except _NotJson as error:
        line = _constant_line(file, text, str(error))
        raise LoadError("json", f"invalid JSON: {error} is not a JSON value", line) from None
    except RecursionError:
        raise LoadError("too-complex", "arrays or objects nest too deeply to parse") from None
    except ValueError as error:  # a number with more digits than int() accepts
        raise LoadError("json", f"invalid JSON: {str(error).splitlines()[0]}") from None


def _constant_line(file: SourceFile, text: str, name: str) -> int | None:
    for match in _TOKEN.finditer(text):
        if match.group(4) == name:
            return file.span_from_offsets(match.start(4), match.end(4)).line
    return None


def read_json(path: str, text: str) -> ConfigFile:
    where = SourceFile(path, text)  # offsets to lines, for the error messages
    body = " " + text[1:] if text.startswith("\ufeff") else text  # same offsets, no BOM
    try:
        try:
            data = _decode(where, body)
        except LoadError as strict_error:
            if strict_error.kind != "json" or not ("/" in body or "," in body):
                raise
            cleaned = _blank_comments(where, body)
            if cleaned == body:
                raise
            data = _decode(where, cleaned)
            body = cleaned
    except MemoryError:
        raise LoadError("too-complex", "the file is too large to parse") from None
    return ConfigFile(path, text, "json", data=data, locate=functools.partial(_locate, body=body))


def _number(token: str) -> Any:
    if "." in token or "e" in token or "E" in token:
        return float(token)
    return int(token)


def _unescape(body: str) -> str:
    """A JSON string's value from the text between its quotes."""
    return json.loads(f'"{body}"') if "\\" in body else body


def _locate(file: ConfigFile, body: str) -> Layout:
    """One pass over the validated text (``body``: comments blanked out), with a stack of the
    open arrays and objects instead of recursion."""
    index = file.line_index
    entries: list[Entry] = []
    append = entries.append
    key_offsets: dict[Keys, tuple[int, int]] = {}
    # each open container: [path, is_object, start offset, items so far]
    stack: list[list] = []
    frame: list | None = None
    for match in _TOKEN.finditer(body):
        key, string, opener, scalar, closer = match.groups()
        if closer:
            closed = stack.pop()
            frame = stack[-1] if stack else None
            path = closed[0]
            whole = (closed[2], match.end())
            if frame is not None and not frame[1]:
                key_offsets.setdefault(path, whole)  # an array element is its own key
            if closed[3] == 0 and path:  # an empty container is a leaf, an empty document is not
                at = key_offsets.get(path, whole)
                append(Entry(path, {} if closed[1] else [], *at, *whole, index))
            continue
        if frame is None:
            path, at = (), None
        else:
            frame[3] += 1
            if key is not None:
                path, at = (*frame[0], _unescape(key)), (match.start(1), match.end(1))
            else:
                path, at = (*frame[0], frame[3] - 1), None
        if opener:
            if at is not None:
                key_offsets[path] = at
            frame = [path, opener == "{", match.start(3), 0]
            stack.append(frame)
            continue
        if string is not None:
            start, end = match.start(2), match.end(2)
            append(Entry(path, _unescape(string), *(at or (start, end)), start, end, index, '"'))
        else:
            value = _CONSTANTS[scalar] if scalar in _CONSTANTS else _number(scalar)
            start, end = match.start(4), match.end(4)
            append(Entry(path, value, *(at or (start, end)), start, end, index))
    return Layout(tuple(entries), (), key_offsets, file.data)
