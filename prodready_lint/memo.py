"""Replay a warm run: when nothing a scan depends on has changed, print its report again
without importing the engine.

After a command-line scan completes, the report it would print on a warm run (every file
from the cache) is kept with the stat signatures of everything the result depends on:
the directories listed and the ignore files read (so no file was added, removed or
renamed), every analyzed file, the configuration files and the directories they are
looked for in, the engine's and the rule packs' code, and the directories packs are
installed in. The next identical invocation (same arguments, working directory,
interpreter and environment) stats those paths, and if every signature is the one
recorded, prints the kept report with its timing updated, in a few milliseconds instead
of importing and running the scanner. Any difference, however small, falls back to the
full scan, whose own per-file cache then serves the unchanged files.

A signature recorded within two seconds of the moment it was read is never trusted (a
file edited twice within the filesystem's timestamp resolution could keep its size and
mtime), as git does for racily clean entries. The replay file holds only what the report
already printed (secrets redacted), as JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time

__all__ = ["SECONDS", "invocation_key", "load", "record", "render_seconds"]

FORMAT = 1
_RACY_NS = 2_000_000_000
# The report of the recorded run is rendered with this many seconds, replaced on replay
# by the replay's own time: the one figure that differs between two warm runs.
SECONDS = 86399.987
_ENVIRONMENT = (
    "PRODREADY_LINT_CACHE_DIR",
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "PRE_COMMIT",
    "PYTHONPATH",
    "COLUMNS",
    "PRODREADY_LINT_SEMGREP",
)


def invocation_key(argv: list[str]) -> str:
    """Everything besides the files that decides the output of a run."""
    parts = {
        "format": FORMAT,
        "argv": argv,
        "cwd": os.getcwd(),
        "python": [sys.executable, list(sys.version_info), sys.path],
        "environment": {name: os.environ.get(name) for name in _ENVIRONMENT},
        "terminal": [_isatty(sys.stdout), _isatty(sys.stderr)],
    }
    return hashlib.blake2b(
        json.dumps(parts, sort_keys=True).encode("utf-8", "surrogateescape"), digest_size=16
    ).hexdigest()


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _signature(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _file(directory: str, key: str) -> str:
    return os.path.join(directory, "replay", f"{key}.json")


def load(directory: str, key: str) -> dict | None:
    """The kept run for ``key`` when every watched path still has its signature."""
    try:
        with open(_file(directory, key), encoding="utf-8") as handle:
            memo = json.load(handle)
        if memo.get("key") != key or memo.get("format") != FORMAT:
            return None
        trusted_before = int(memo["written_ns"]) - _RACY_NS
        for path, recorded in memo["watch"]:
            current = _signature(path)
            if current != recorded:
                return None
            if current is not None and current[1] >= trusted_before:
                return None
        return memo
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record(directory: str, key: str, watched: tuple[str, ...], outputs: dict) -> None:
    """Keep ``outputs`` (what a warm run prints) against the signatures of ``watched``."""
    memo = {"format": FORMAT, "key": key, "written_ns": time.time_ns(), **outputs}
    memo["watch"] = [[path, _signature(path)] for path in watched]
    target = _file(directory, key)
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temporary = f"{target}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(memo, handle, separators=(",", ":"))
        os.replace(temporary, target)
    except OSError:
        pass  # a replay is an optimisation: never a reason to fail


def render_seconds(text: str, seconds: float) -> str:
    """A kept report with the replay's own timing in place of :data:`SECONDS`."""
    return text.replace(f"{SECONDS:.2f}s.", f"{seconds:.2f}s.").replace(
        f'"seconds": {SECONDS}', f'"seconds": {round(seconds, 3)}'
    )
