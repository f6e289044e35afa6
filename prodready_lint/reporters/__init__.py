"""Reporters turn a :class:`~prodready_lint.ScanResult` into text, JSON or SARIF.

They only read results: nothing here parses source files or knows about any rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from prodready_lint.api import ScanResult
    from prodready_lint.sdk.model import Severity

FORMATS = ("text", "json", "sarif")


def render(
    result: ScanResult,
    fmt: str,
    *,
    colour: bool = False,
    quiet: bool = False,
    threshold: Severity | None = None,
    exit_zero: bool = False,
) -> str:
    if fmt == "text":
        from .text import render as text

        return text(result, colour=colour, quiet=quiet)
    if fmt == "json":
        from .json_report import render as as_json

        return as_json(result, threshold=threshold, exit_zero=exit_zero)
    if fmt == "sarif":
        from .sarif import render as sarif

        return sarif(result)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
