"""Inline suppressions: ``# prodready: ignore[TMO001, SEC] -- reason``.

The comment works in any file kind (``#``, ``--`` and ``//`` comments alike). It
silences matching findings that start or end on its line, or, written on a line of its
own, the finding on the next line. Selectors are those of ``--select`` (ids, prefixes,
names, checklist slugs); a bare ``ignore`` without brackets is not accepted, so every
suppression says what it silences.
"""

from __future__ import annotations

import re

import attrs

from prodready_lint.sdk.model import Suppression
from prodready_lint.sdk.rule import RuleMetadata
from prodready_lint.selectors import matches_any

__all__ = ["Suppressions"]

_MARK = re.compile(r"prodready:\s*ignore\[([^\]]*)\](?:\s*--\s*(.*?))?\s*$", re.IGNORECASE)
_COMMENT_ONLY = re.compile(r"^\s*(#|--|//|/\*)")


@attrs.frozen(slots=True)
class _Entry:
    selectors: tuple[str, ...]
    reason: str | None
    standalone: bool


class Suppressions:
    """The suppression comments of one file, looked up by line."""

    def __init__(self, lines: list[str]) -> None:
        self._by_line: dict[int, _Entry] = {}
        for number, line in enumerate(lines, 1):
            if "prodready" not in line:
                continue
            match = _MARK.search(line)
            if match is None:
                continue
            selectors = tuple(s.strip() for s in match.group(1).split(",") if s.strip())
            reason = (match.group(2) or "").strip() or None
            self._by_line[number] = _Entry(selectors, reason, bool(_COMMENT_ONLY.match(line)))

    def __bool__(self) -> bool:
        return bool(self._by_line)

    def find(self, meta: RuleMetadata, line: int, end_line: int) -> Suppression | None:
        """The suppression covering a finding of ``meta`` on ``line``..``end_line``."""
        for number in (line, end_line, line - 1):
            entry = self._by_line.get(number)
            if entry is None or (number == line - 1 and not entry.standalone):
                continue
            if matches_any(entry.selectors, meta):
                return Suppression(number, entry.reason)
        return None
