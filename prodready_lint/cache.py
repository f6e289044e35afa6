"""The result cache: per-file results, written as they arrive, found again without reading
unchanged files.

One SQLite database per cache directory. A row holds, for one namespace (a digest of the
tool version, engine code, active rule packs' code, settings) and one path: the file's
stat signature, its content hash, the rules applied, the result as compact JSON and a
checksum over all of it.

* **Warm runs** compare each file's stat signature (size, mtime and ctime in
  nanoseconds, inode) with the row's and reuse the result without opening the file.
  When the signature changed the file is read and its content hash decides, so a
  ``touch`` costs a hash, not an analysis. A signature recorded while the file could
  still be changing within the filesystem's timestamp resolution (its mtime close to
  the moment it was read) is marked *racy* and never trusted alone: the next run hashes
  that file, as git does for racily clean entries. A same-size edit within the mtime
  resolution is therefore caught by the hash.
* **Writes** go in small transactions while the scan runs: an interrupted scan keeps
  what it finished, and a one-file change rewrites one row, never the whole cache.
  Concurrent scans share the file through SQLite's locking; a scan that cannot get the
  lock in time skips writing rather than waiting.
* **Damage** never changes a result: each row carries a checksum, a row that does not
  match it or does not decode is a miss, and a database SQLite cannot read is rebuilt.
  Data only (SQLite and JSON, never pickle): a planted cache cannot run code, and
  findings are redacted before they are stored, so no secret is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from prodready_lint.analysis import FileResult
from prodready_lint.serialize import error_from_dict, error_to_dict, finding_from_dict, finding_to_dict

__all__ = ["ResultCache", "Signature", "default_cache_dir", "signature_of"]

log = logging.getLogger(__name__)
FORMAT = 2
_FILE = f"results-v{FORMAT}.sqlite"
_KEEP_NAMESPACES = 4
_RACY_SECONDS = 2.0  # coarser than any common filesystem's timestamp resolution
_COMMIT_EVERY = 0.5  # seconds between incremental commits
_BUSY_TIMEOUT = 2.0
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This directory is a prodready-lint cache.\n"


def default_cache_dir(root: Path) -> Path:
    env = os.environ.get("PRODREADY_LINT_CACHE_DIR")
    return Path(env) if env else Path(root) / ".prodready-cache"


@attrs.frozen(slots=True)
class Signature:
    """What ``stat`` says about a file; equal signatures mean an unchanged file unless
    the signature was racy when recorded."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int


def signature_of(stat: os.stat_result) -> Signature:
    return Signature(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _rules_key(rule_ids: Iterable[str]) -> str:
    return hashlib.blake2b(",".join(rule_ids).encode(), digest_size=6).hexdigest()


_SKIPPED = '{"s":"skipped"}'


def _result_to_json(result: FileResult) -> str:
    data: dict[str, Any] = {"s": result.status}
    if result.findings:
        data["f"] = [finding_to_dict(f) for f in result.findings]
    if result.errors:
        data["e"] = [error_to_dict(e) for e in result.errors]
    if result.facts:
        data["x"] = [[rule_id, value] for rule_id, value in result.facts]
    # ASCII-escaped: a path that is not UTF-8 (lone surrogates) survives the round trip
    return json.dumps(data, separators=(",", ":"))


def _result_from_json(relpath: str, text: str) -> FileResult:
    data = json.loads(text)
    status = data["s"]
    if status not in ("parsed", "skipped", "failed"):
        raise ValueError(status)
    facts = []
    for item in data.get("x", ()):
        rule_id, value = item
        facts.append((str(rule_id), value))
    return FileResult(
        relpath,
        status,
        tuple(finding_from_dict(f) for f in data.get("f", ())),
        tuple(error_from_dict(e) for e in data.get("e", ())),
        tuple(facts),
    )


def _checksum(path: str, signature: tuple[int, int, int, int], racy: int, content: str, rules: str, result: str) -> str:
    payload = "\0".join((path, *map(str, signature), str(racy), content, rules, result))
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


@attrs.define(slots=True)
class _Row:
    signature: tuple[int, int, int, int]
    racy: int
    content_hash: str
    rules: str
    result: str


class ResultCache:
    """The cache for one namespace; see the module docstring."""

    def __init__(self, directory: Path, namespace: str) -> None:
        self.directory = Path(directory)
        self.path = self.directory / _FILE
        self.namespace = namespace
        self.started_ns = time.time_ns()
        self._rows: dict[str, _Row] = {}
        self._pending: list[tuple] = []
        self._last_commit = time.monotonic()
        self._db: sqlite3.Connection | None = None
        self._writable = True
        self._load()

    # -- reading -----------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._mark_directory()
            db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT, isolation_level=None)
            db.execute("PRAGMA journal_mode=DELETE")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS files (namespace TEXT NOT NULL, path BLOB NOT NULL, size INTEGER,"
                " mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER, racy INTEGER, content_hash TEXT, rules TEXT,"
                " result TEXT, checksum TEXT, PRIMARY KEY (namespace, path)) WITHOUT ROWID"
            )
            db.execute("CREATE TABLE IF NOT EXISTS namespaces (namespace TEXT PRIMARY KEY, used_ns INTEGER)")
        except (OSError, sqlite3.Error) as error:
            self._give_up(error)
            return None
        self._db = db
        return db

    def _give_up(self, error: Exception) -> None:
        """A cache that cannot be read is rebuilt; one that cannot be written is skipped."""
        if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
            log.warning("the cache at %s was damaged (%s); starting a new one", self.path, error)
            self._close()
            with contextlib.suppress(OSError):
                self.path.unlink()
            return
        log.warning("cannot use the cache at %s: %s", self.directory, error)
        self._writable = False
        self._close()

    def _close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def _load(self) -> None:
        if not self.path.exists():
            return
        for attempt in range(2):
            db = self._connect()
            if db is None:
                if attempt == 0 and self._writable:
                    continue  # the damaged file was removed: one fresh start
                return
            try:
                rows = db.execute(
                    "SELECT path, size, mtime_ns, ctime_ns, inode, racy, content_hash, rules, result, checksum"
                    " FROM files WHERE namespace = ?",
                    (self.namespace,),
                ).fetchall()
            except sqlite3.Error as error:
                self._give_up(error)
                continue
            for key, size, mtime, ctime, inode, racy, content, rules, result, checksum in rows:
                try:
                    path = os.fsdecode(key)
                    signature = (int(size), int(mtime), int(ctime), int(inode))
                    if checksum != _checksum(path, signature, int(racy), content, rules, result):
                        continue
                except (TypeError, ValueError):
                    continue
                self._rows[path] = _Row(signature, int(racy), content, rules, result)
            return

    def _decode(self, relpath: str, row: _Row) -> FileResult | None:
        if row.result == _SKIPPED:  # most files of a warm run: no JSON to read
            return FileResult(relpath, "skipped")
        try:
            return _result_from_json(relpath, row.result)
        except Exception:  # any damage is a miss, never a crash
            return None

    def lookup(self, relpath: str, signature: Signature, rule_ids: tuple[str, ...]) -> FileResult | None:
        """The cached result when the file's stat signature proves it unchanged."""
        row = self._rows.get(relpath)
        if row is None or row.racy or row.rules != _rules_key(rule_ids):
            return None
        if row.signature != (signature.size, signature.mtime_ns, signature.ctime_ns, signature.inode):
            return None
        return self._decode(relpath, row)

    def get(
        self, relpath: str, content_hash: str, rule_ids: tuple[str, ...], signature: Signature | None = None
    ) -> FileResult | None:
        """The cached result for this content; refreshes the stored signature so the next
        run need not read the file."""
        row = self._rows.get(relpath)
        if row is None or row.content_hash != content_hash or row.rules != _rules_key(rule_ids):
            return None
        result = self._decode(relpath, row)
        if result is not None and signature is not None:
            racy = self._racy(signature)
            sig = (signature.size, signature.mtime_ns, signature.ctime_ns, signature.inode)
            if sig != row.signature or racy != row.racy:
                self._store(relpath, sig, racy, row.content_hash, row.rules, row.result)
        return result

    # -- writing -----------------------------------------------------------------------
    def _racy(self, signature: Signature) -> int:
        return int(signature.mtime_ns >= self.started_ns - int(_RACY_SECONDS * 1e9))

    def put(
        self,
        relpath: str,
        content_hash: str,
        rule_ids: tuple[str, ...],
        result: FileResult,
        signature: Signature | None = None,
    ) -> None:
        sig = (
            (signature.size, signature.mtime_ns, signature.ctime_ns, signature.inode) if signature else (-1, -1, -1, -1)
        )
        racy = self._racy(signature) if signature else 1
        self._store(relpath, sig, racy, content_hash, _rules_key(rule_ids), _result_to_json(result))

    def _store(self, relpath: str, sig: tuple[int, int, int, int], racy: int, content: str, rules: str, result: str):
        row = _Row(sig, racy, content, rules, result)
        self._rows[relpath] = row
        checksum = _checksum(relpath, sig, racy, content, rules, result)
        self._pending.append((self.namespace, os.fsencode(relpath), *sig, racy, content, rules, result, checksum))
        if time.monotonic() - self._last_commit >= _COMMIT_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write what is pending in one short transaction."""
        self._last_commit = time.monotonic()
        if not self._pending or not self._writable:
            return
        db = self._connect()
        if db is None:
            return
        pending, self._pending = self._pending, []
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", pending)
            db.execute("INSERT OR REPLACE INTO namespaces VALUES (?, ?)", (self.namespace, time.time_ns()))
            db.execute("COMMIT")
        except sqlite3.OperationalError as error:  # locked by another scan: skip, never wait long
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            log.debug("cache write skipped: %s", error)
        except sqlite3.Error as error:
            self._give_up(error)
        except (ValueError, TypeError, OverflowError) as error:  # never the scan's problem
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            log.warning("could not write to the cache at %s: %s", self.path, error)

    def save(self) -> None:
        """Write what is pending, drop old namespaces, close."""
        self.flush()
        self._prune()
        self._close()

    def _prune(self) -> None:
        """Keep the few most recent namespaces (other rule sets or configurations)."""
        if self._db is None or not self._writable:
            return
        try:
            old = [
                name
                for (name,) in self._db.execute(
                    "SELECT namespace FROM namespaces ORDER BY used_ns DESC LIMIT -1 OFFSET ?", (_KEEP_NAMESPACES,)
                )
            ]
            if old:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("DELETE FROM files WHERE namespace = ?", [(n,) for n in old])
                self._db.executemany("DELETE FROM namespaces WHERE namespace = ?", [(n,) for n in old])
                self._db.execute("COMMIT")
        except sqlite3.Error as error:
            log.debug("cache prune skipped: %s", error)

    def _mark_directory(self) -> None:
        gitignore = self.directory / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# Automatically created by prodready-lint.\n*\n", encoding="utf-8")
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(_TAG, encoding="utf-8")
