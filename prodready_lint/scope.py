"""Narrowing a scan's findings to the new ones: those not in a baseline, those on lines
changed since a git ref. The whole scan runs first (files are analyzed whole, repository
rules see the whole repository); only what is reported is narrowed. Suppressed findings
are narrowed the same way, so SARIF shows a dismissed alert only where it would show an
open one."""

from __future__ import annotations

import attrs

from prodready_lint.api import ScanResult
from prodready_lint.baseline import Baseline, split
from prodready_lint.changed import Changes, on_changed_lines
from prodready_lint.errors import ScanError

__all__ = ["against_baseline", "on_changed", "without_file"]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def without_file(result: ScanResult, path: str) -> ScanResult:
    """``result`` without what was reported in ``path`` (an absolute or working-directory
    relative path): the baseline file is the tool's own output, never a finding."""
    import os

    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, result.root).replace(os.sep, "/")
    if relative.startswith("../"):
        return result
    return attrs.evolve(
        result,
        findings=tuple(f for f in result.findings if f.path != relative),
        suppressed=tuple(f for f in result.suppressed if f.path != relative),
        errors=tuple(e for e in result.errors if e.path != relative),
    )


def against_baseline(result: ScanResult, baseline: Baseline, name: str) -> ScanResult:
    """Only the findings ``baseline`` does not record."""
    new, known = split(result.findings, baseline)
    new_suppressed, _ = split(result.suppressed, baseline)
    note = ScanError("", "notice", f"{_plural(len(known), 'finding')} recorded in the baseline {name} not reported")
    return attrs.evolve(
        result,
        findings=tuple(new),
        suppressed=tuple(new_suppressed),
        notes=(*result.notes, note),
        scope=(*result.scope, f"new since baseline {name}"),
    )


def on_changed(result: ScanResult, changes: Changes, ref: str) -> ScanResult:
    """Only the findings on lines changed since ``ref``."""
    kept, dropped = on_changed_lines(result.findings, changes)
    kept_suppressed, _ = on_changed_lines(result.suppressed, changes)
    note = ScanError("", "notice", f"{_plural(len(dropped), 'finding')} on lines unchanged since {ref} not reported")
    return attrs.evolve(
        result,
        findings=tuple(kept),
        suppressed=tuple(kept_suppressed),
        notes=(*result.notes, note),
        scope=(*result.scope, f"on lines changed since {ref}"),
    )
