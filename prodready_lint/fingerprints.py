"""Fingerprints: GitHub's ``primaryLocationLineHash`` and our line-independent one.

GitHub code scanning (codeql-action ``src/fingerprints.ts``) hashes, for every line, the
first 100 characters of the file starting at that line, counted in UTF-16 code units
after dropping spaces and tabs and turning CR and CRLF into LF, then an end-of-file
marker (65535) and zero padding, with a polynomial hash (base 37, 64-bit wrap-around);
identical hashes are numbered in file order (``hash:1``, ``hash:2``...). The rolling
hash of that code equals the polynomial of the 100-unit window, so here each wanted
line's window is hashed directly and equal windows before it are counted by searching
for the window, which costs C-speed searches instead of a Python loop over every line
(or every character) of the file.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
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


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _line_starts(normal: str) -> list[int]:
    """Where each line starts in the UTF-16 stream, in code units: from the lines'
    lengths summed in C (no Python loop over the lines), with characters outside the
    basic plane (two code units each) added where they occur."""
    lengths = [length + 1 for length in map(len, normal.split("\n"))]
    if not normal.isascii():
        line_of = list(itertools.accumulate(lengths, initial=0))
        for match in _ASTRAL.finditer(normal):
            lengths[bisect.bisect_right(line_of, match.start()) - 1] += 1
    return list(itertools.accumulate(lengths[:-1], initial=0))


def github_line_hashes(data: bytes, lines: Iterable[int]) -> dict[int, str]:
    """``primaryLocationLineHash`` values for the given 1-based lines of a file's bytes.

    The bytes are decoded the way the GitHub action reads them (UTF-8, invalid
    sequences replaced, a byte-order mark kept as a character). Only the wanted lines
    are hashed. A line's occurrence number counts the earlier lines with the same
    100-unit window: found by searching for each wanted window (C-speed searches) when
    that is cheaper than visiting the lines, as it is for a few findings in a large file.
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
    starts = _line_starts(normal)
    width = 2 * _BLOCK
    wanted = [n for n in wanted if n <= len(starts)]
    windows = {n: raw[2 * starts[n - 1] : 2 * starts[n - 1] + width] for n in wanted}
    last: dict[bytes, int] = {}
    for number, window in windows.items():
        last[window] = starts[number - 1]
    scanned = sum(2 * position + width for position in last.values())
    if wanted and scanned / _SEARCH_BYTES_PER_SECOND < wanted[-1] * _SECONDS_PER_LINE:
        counts = _count_by_search(raw, last, set(starts))
    else:
        counts = _count_by_visiting(raw, starts[: wanted[-1]] if wanted else [], width)
    out: dict[int, str] = {}
    values: dict[bytes, str] = {}
    for number in wanted:
        window = windows[number]
        value = values.get(window)
        if value is None:
            start = starts[number - 1]
            hashed = 0
            for unit in stream[start : start + _BLOCK]:
                hashed = (hashed * 37 + unit) & _MASK
            value = values[window] = f"{hashed:x}"
        occurrences = counts[window]
        out[number] = f"{value}:{bisect.bisect_right(occurrences, starts[number - 1])}"
    return out


# Rough costs on one core: bytes.find scans about a gigabyte a second; a Python-level
# visit of one line (slice and count its window) takes about half a microsecond.
_SEARCH_BYTES_PER_SECOND = 1e9
_SECONDS_PER_LINE = 5e-7


def _count_by_search(raw: bytes, last: dict[bytes, int], starts: set[int]) -> dict[bytes, list[int]]:
    """For each window, the line starts (code units, sorted) holding it, up to the last
    one needed."""
    out = {}
    for window, until in last.items():
        found = []
        limit = 2 * until + len(window)
        position = raw.find(window, 0, limit)
        while position != -1:
            if position % 2 == 0 and position // 2 in starts:
                found.append(position // 2)
            position = raw.find(window, position + 2, limit)
        out[window] = found
    return out


def _count_by_visiting(raw: bytes, starts: list[int], width: int) -> dict[bytes, list[int]]:
    out: dict[bytes, list[int]] = {}
    for start in starts:
        out.setdefault(raw[2 * start : 2 * start + width], []).append(start)
    return out


def fingerprint(rule_id: str, path: str, code: str, occurrence: int) -> str:
    """A fingerprint that survives lines moving: rule, path, the flagged code with
    whitespace collapsed, and which occurrence of that code in the file it is."""
    normal = _WS.sub(" ", code).strip()
    digest = hashlib.sha256(f"{rule_id}\0{path}\0{normal}\0{occurrence}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]
