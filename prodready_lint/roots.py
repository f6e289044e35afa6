"""Where a scan is rooted: the repository holding the targets. Kept light (no pattern
matching, no engine) so a warm run can find its cache before importing anything else."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["find_root", "relative_path"]


def find_root(paths: Iterable[Path]) -> Path:
    """The repository root: the nearest ancestor of the first target holding ``.git``;
    otherwise the working directory when every target is inside it, else their
    common ancestor."""
    resolved = [Path(os.path.abspath(p)) for p in paths] or [Path.cwd()]
    start = resolved[0] if resolved[0].is_dir() else resolved[0].parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    cwd = Path.cwd()
    if all(p == cwd or cwd in p.parents for p in resolved):
        return cwd
    common = Path(os.path.commonpath([str(p if p.is_dir() else p.parent) for p in resolved]))
    return common


def relative_path(abspath: str, root: str) -> str:
    """Root-relative POSIX path; absolute POSIX when the file is outside the root."""
    rel = os.path.relpath(abspath, root)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return Path(abspath).as_posix()
    return Path(rel).as_posix()
