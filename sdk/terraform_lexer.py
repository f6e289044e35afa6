"""A structural check of HCL native syntax, run before the tree-sitter parser sees the text.

It follows brackets, quoted strings, templates (``${ }``, ``%{ }``), heredocs and
comments, and nothing else. That is enough for two jobs no parser does for us:

* precise messages for the common mistakes, at the line where the construct starts
  ("unterminated heredoc <<EOF started on line 4", "block resource "aws_s3_bucket"
  "logs" opened on line 1 is not closed"); tree-sitter's error recovery often blames a
  later line;
* guards for the native parser: tree-sitter spends up to a second and ~800 bytes of
  memory per input byte recovering from unbalanced or unterminated input, and the HCL
  grammar's scanner silently loses its state past ~60 nested templates. Input that
  fails here never reaches it, and nesting is capped so that walking the tree stays
  far from Python's recursion limit.
"""

from __future__ import annotations

import re

from .errors import LoadError

__all__ = ["MAX_NESTING", "check_structure"]

MAX_NESTING = 64
"""Brackets, strings and templates nested deeper than this are refused as too complex."""

# The HCL grammar's scanner serialises its template stack into a 1024-byte buffer
# (4 bytes, then 8 per context plus the heredoc marker) and drops it all when that
# does not fit; stay well below.
_SCANNER_BUDGET = 900

_CODE = re.compile(r'["{}()\[\]#]|//|/\*|<<|\r(?!\n)')
_STRING = re.compile(r'\\(?:[nrt"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})?|\$\$\{|%%\{|\$\{|%\{|"|\n|\r')
_HEREDOC_BODY = re.compile(r"\$\$\{|%%\{|\$\{|%\{|\n")
_HEREDOC_OPEN = re.compile(r"<<(-?)([^\W\d][\w-]*)\r?\n")
_BLOCK_HEADER = re.compile(r'[ \t]*([^\W\d][\w-]*(?:[ \t]+(?:"[^"\n]*"|[^\W\d][\w-]*))*)[ \t]*$')

_CLOSERS = {")": "(", "]": "[", "}": "{"}


class _Open:
    """An open construct: its opening token, where it starts and, for heredocs, the marker."""

    __slots__ = ("closing", "marker", "start", "token")

    def __init__(self, token: str, start: int, marker: str = "") -> None:
        self.token = token
        self.start = start
        self.marker = marker
        self.closing = re.compile(r"[ \t]*" + re.escape(marker) + r"[ \t]*\r?\n") if marker else None


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _describe(text: str, opened: _Open) -> str:
    """How a message names an open construct: a block by its header, others by their token."""
    line = _line(text, opened.start)
    if opened.token == "{":
        line_start = text.rfind("\n", 0, opened.start) + 1
        header = _BLOCK_HEADER.match(text, line_start, opened.start)
        if header:
            return f"block {header.group(1)} opened on line {line}"
        return f"'{{' opened on line {line}"
    if opened.token == '"':
        return f"string started on line {line}"
    if opened.token == "<<":
        return f"heredoc <<{opened.marker} started on line {line}"
    return f"'{opened.token}' opened on line {line}"


def _template_cost(opened: _Open) -> int:
    return 0 if opened.token in "{([" else 8 + len(opened.marker.encode("utf-8"))


def check_structure(text: str) -> None:
    """Raise :class:`LoadError` at the first structural mistake, or when nesting is too deep."""
    stack: list[_Open] = []
    cost = 4
    pos = 0
    end = len(text)

    def push(opened: _Open) -> None:
        nonlocal cost
        stack.append(opened)
        cost += _template_cost(opened)
        if len(stack) > MAX_NESTING or cost > _SCANNER_BUDGET:
            raise LoadError(
                "too-complex",
                f"expressions nested more than {MAX_NESTING} levels deep (or templates nested too deeply)",
                _line(text, opened.start),
            )

    def pop() -> _Open:
        nonlocal cost
        opened = stack.pop()
        cost -= _template_cost(opened)
        return opened

    while True:
        top = stack[-1].token if stack else None
        if top == '"':
            match = _STRING.search(text, pos)
            if match is None or match.group() in ("\n", "\r"):
                raise LoadError(
                    "hcl",
                    f"unterminated string: the {_describe(text, stack[-1])} has no closing quote on that line",
                    _line(text, stack[-1].start),
                )
            token = match.group()
            pos = match.end()
            if token.startswith("\\U") and int(token[2:], 16) > 0x10FFFF:
                raise LoadError(
                    "hcl", f"invalid escape sequence '{token}': no such character", _line(text, match.start())
                )
            if token == "\\":
                raise LoadError(
                    "hcl",
                    f"invalid escape sequence '{text[match.start() : match.start() + 2]}' in a string",
                    _line(text, match.start()),
                )
            if token == '"':
                pop()
            elif token in ("${", "%{"):
                push(_Open(token, match.start()))
            continue
        if top == "<<":
            if pos == 0 or text[pos - 1] == "\n":
                closing = stack[-1].closing
                found = closing.match(text, pos) if closing else None
                if found:
                    pop()
                    pos = found.end()
                    continue
            match = _HEREDOC_BODY.search(text, pos)
            if match is None:
                opened = stack[-1]
                raise LoadError(
                    "hcl",
                    f"unterminated heredoc <<{opened.marker} started on line {_line(text, opened.start)}: "
                    f"no line holding only {opened.marker} closes it",
                    _line(text, opened.start),
                )
            pos = match.end()
            if match.group() in ("${", "%{"):
                push(_Open(match.group(), match.start()))
            continue

        match = _CODE.search(text, pos)
        if match is None:
            if stack:
                opened = stack[-1]
                raise LoadError("hcl", f"{_describe(text, opened)} is not closed", _line(text, opened.start))
            return
        token = match.group()
        start = match.start()
        pos = match.end()
        if token == '"':
            push(_Open('"', start))
        elif token in "{([":
            push(_Open(token, start))
        elif token in "})]":
            if not stack:
                raise LoadError("hcl", f"unexpected '{token}': nothing is open here", _line(text, start))
            innermost = stack[-1].token
            if innermost != _CLOSERS[token] and not (token == "}" and innermost in ("${", "%{")):
                raise LoadError(
                    "hcl", f"unexpected '{token}': the {_describe(text, stack[-1])} is not closed", _line(text, start)
                )
            pop()
        elif token in ("#", "//"):
            newline = text.find("\n", pos)
            pos = end if newline < 0 else newline + 1
        elif token == "/*":
            close = text.find("*/", pos)
            if close < 0:
                raise LoadError(
                    "hcl",
                    f"unterminated comment: the /* on line {_line(text, start)} is never closed",
                    _line(text, start),
                )
            pos = close + 2
        elif token == "<<":
            opener = _HEREDOC_OPEN.match(text, start)
            if opener is None:
                raise LoadError(
                    "hcl",
                    "invalid heredoc: '<<' must be followed by a marker name and the end of the line",
                    _line(text, start),
                )
            push(_Open("<<", start, opener.group(2)))
            pos = opener.end()
        else:  # a carriage return that does not end a line
            raise LoadError("hcl", "invalid character: a carriage return outside a line ending", _line(text, start))
