"""Fingerprints: GitHub's ``primaryLocationLineHash`` and our line-independent one.

GitHub code scanning (codeql-action ``src/fingerprints.ts``) hashes, for every line, the
first 100 characters of the file starting at that line, counted in UTF-16 code units
after dropping spaces and tabs and turning CR and CRLF into LF, then an end-of-file
marker (65535) and zero padding, with a polynomial hash (base 37, 64-bit wrap-around);
identical hashes are numbered in file order (``hash:1``, ``hash:2``...). The rolling
hash of that code equals the polynomial of the 100-unit window, so here each wanted
line's window is hashed directly and equal windows before it are counted, which costs
string slicing instead of a Python loop over every character of the file.
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections.abc import Iterable

__all__ = ["fingerprint", "github_line_hashes"]

_BLOCK = 100
_MASK = (1 << 64) - 1
_EOF = 65535
_DROP = str.maketrans("", "", " \t")
_WS = re.compile(r"\s+")


def _units(text: str) -> array:
    buffer = array("H")
    buffer.frombytes(text.encode("utf-16-le", "surrogatepass"))
    if sys.byteorder == "big":  # pragma: no cover - we only build on little-endian machines
        buffer.byteswap()
    return buffer


def github_line_hashes(data: bytes, lines: Iterable[int]) -> dict[int, str]:
    """``primaryLocationLineHash`` values for the given 1-based lines of a file's bytes.

    The bytes are decoded the way the GitHub action reads them (UTF-8, invalid
    sequences replaced, a byte-order mark kept as a character).
    """
    wanted = sorted(set(lines))
    if not wanted:
        return {}
    text = data.decode("utf-8", "replace")
    normal = text.replace("\r\n", "\n").replace("\r", "\n").translate(_DROP)
    stream = _units(normal)
    stream.append(_EOF)
    stream.extend([0] * _BLOCK)
    raw = stream.tobytes()
    starts = [0]  # in UTF-16 code units, like the stream (an emoji counts twice)
    position = raw.find(b"\n\x00")
    while position != -1:
        if position % 2 == 0:
            starts.append(position // 2 + 1)
        position = raw.find(b"\n\x00", position + 1)
    width = 2 * _BLOCK
    counts: dict[bytes, int] = {}
    out: dict[int, str] = {}
    want = iter(wanted)
    target = next(want)
    for number, start in enumerate(starts, 1):
        window = raw[2 * start : 2 * start + width]
        counts[window] = counts.get(window, 0) + 1
        while number == target:
            value = 0
            for unit in stream[start : start + _BLOCK]:
                value = (value * 37 + unit) & _MASK
            out[number] = f"{value:x}:{counts[window]}"
            target = next(want, None)  # type: ignore[assignment]
            if target is None:
                return out
    return out


def fingerprint(rule_id: str, path: str, code: str, occurrence: int) -> str:
    """A fingerprint that survives lines moving: rule, path, the flagged code with
    whitespace collapsed, and which occurrence of that code in the file it is."""
    normal = _WS.sub(" ", code).strip()
    digest = hashlib.sha256(f"{rule_id}\0{path}\0{normal}\0{occurrence}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]
