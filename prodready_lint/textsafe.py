"""Text that is safe to print: any string a scan produces, made valid UTF-8 on one line.

File names on POSIX are bytes: one that is not valid UTF-8 reaches Python with lone
surrogates (``caf\\udce9.py``), which no UTF-8 output can hold, and a name may hold a
newline. Source lines may hold terminal control sequences. Every reporter passes what it
prints through here, so a hostile name or line can neither break the output nor drive
the terminal.
"""

from __future__ import annotations

import re

__all__ = ["json_safe", "printable", "valid_utf8"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f\x80-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\x1b"}


def _escape_surrogate(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def valid_utf8(text: str) -> str:
    """``text`` with lone surrogates spelled ``\\xNN``: encodable as UTF-8."""
    return _SURROGATE.sub(_escape_surrogate, text) if _SURROGATE.search(text) else text


def printable(text: str) -> str:
    """``text`` as valid UTF-8 on one line: surrogates and control characters (tabs
    excepted) spelled as escapes."""
    text = valid_utf8(text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)
    return text


def json_safe(value):
    """A JSON document with every string made valid UTF-8 (see :func:`valid_utf8`)."""
    if isinstance(value, str):
        return valid_utf8(value)
    if isinstance(value, dict):
        return {valid_utf8(k) if isinstance(k, str) else k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value
