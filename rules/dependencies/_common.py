"""What the dependency rules share: which files declare dependencies, lock coverage."""

from __future__ import annotations

from collections.abc import Iterable

from prodready_lint.sdk import LOCK_FILES, MANIFESTS, FileKind, classify

_TEST_PARTS = ("test", "tests", "docs", "doc", "examples", "example")


def dependency_file(path: str) -> bool:
    """A requirements file, a manifest or a lock file."""
    base = path.rsplit("/", 1)[-1]
    return base in LOCK_FILES or base in MANIFESTS or classify(path) is FileKind.REQUIREMENTS


def directory_of(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def covered_by_lock(path: str, locks: Iterable[str]) -> bool:
    """A lock file in the same directory or above pins what ``path`` asks for as ranges."""
    here = directory_of(path)
    for lock in locks:
        where = directory_of(lock)
        if where == here or where == "" or here.startswith(where + "/"):
            return True
    return False
