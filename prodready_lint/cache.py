"""The result cache: per-file results keyed by content hash, rule set and configuration.

One JSON file per namespace (a digest of the tool version, engine code, active rules
with their source and settings), holding for each path the content hash and rule ids
the result was computed for. JSON rather than pickle: a cache directory committed to
a repository by mistake, or planted in one, must not be able to run code. Entries hold
only what reporters print, and findings are already redacted, so no secret is stored.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from prodready_lint.analysis import FileResult
from prodready_lint.serialize import error_from_dict, error_to_dict, finding_from_dict, finding_to_dict

__all__ = ["ResultCache", "default_cache_dir"]

log = logging.getLogger(__name__)
FORMAT = 1
_KEEP_NAMESPACES = 4
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This directory is a prodready-lint cache.\n"


def default_cache_dir(root: Path) -> Path:
    env = os.environ.get("PRODREADY_LINT_CACHE_DIR")
    return Path(env) if env else Path(root) / ".prodready-cache"


def _result_to_dict(result: FileResult) -> dict[str, Any]:
    return {
        "status": result.status,
        "findings": [finding_to_dict(f) for f in result.findings],
        "errors": [error_to_dict(e) for e in result.errors],
        "facts": [[rule_id, value] for rule_id, value in result.facts],
    }


def _result_from_dict(relpath: str, data: dict[str, Any]) -> FileResult:
    return FileResult(
        relpath,
        data["status"],
        tuple(finding_from_dict(f) for f in data["findings"]),
        tuple(error_from_dict(e) for e in data["errors"]),
        tuple((rule_id, value) for rule_id, value in data["facts"]),
    )


class ResultCache:
    def __init__(self, directory: Path, namespace: str) -> None:
        self.directory = Path(directory)
        self.path = self.directory / f"v{FORMAT}" / f"{namespace}.json"
        self._entries: dict[str, list[Any]] = {}
        self._dirty = False
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            log.warning("ignoring an unreadable cache file %s: %s", self.path, error)
            return
        entries = data.get("entries") if isinstance(data, dict) else None
        if isinstance(entries, dict):
            self._entries = entries

    def get(self, relpath: str, content_hash: str, rule_ids: tuple[str, ...]) -> FileResult | None:
        entry = self._entries.get(relpath)
        if not entry or entry[0] != content_hash or entry[1] != list(rule_ids):
            return None
        try:
            return _result_from_dict(relpath, entry[2])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, relpath: str, content_hash: str, rule_ids: tuple[str, ...], result: FileResult) -> None:
        self._entries[relpath] = [content_hash, list(rule_ids), _result_to_dict(result)]
        self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._mark_directory()
            payload = json.dumps({"format": FORMAT, "entries": self._entries}, separators=(",", ":"))
            handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(payload)
            os.replace(temp, self.path)
            self._prune()
        except OSError as error:
            log.warning("could not write the cache to %s: %s", self.directory, error)

    def _mark_directory(self) -> None:
        gitignore = self.directory / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# Automatically created by prodready-lint.\n*\n", encoding="utf-8")
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(_TAG, encoding="utf-8")

    def _prune(self) -> None:
        """Keep the few most recent namespaces (other rule sets or configurations)."""
        files = sorted(self.path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in files[_KEEP_NAMESPACES:]:
            with contextlib.suppress(OSError):
                stale.unlink()
