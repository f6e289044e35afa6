"""Baselines: record the findings a codebase has today, then report only new ones.

A baseline file is JSON, one entry per line, sorted, with no timestamp:

.. code-block:: json

    {
      "version": 1,
      "salt": "9f0c...",
      "findings": [
        {"rule": "TMO001", "path": "app/client.py", "hash": "3b5e..."}
      ]
    }

Each entry's ``hash`` is a keyed BLAKE2b of the finding's line-independent fingerprint
(rule, path, the flagged code with whitespace collapsed, and which occurrence of that
code in the file it is) under the file's random ``salt``: moving code does not make a
finding new, a second identical finding in the same file is new, and nothing in the
file can be turned back into the flagged code (which may hold a secret) by hashing
guesses without the salt, which differs per repository. Rewriting a baseline keeps its
salt, so its diff shows only the findings that came or went.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections import Counter
from collections.abc import Iterable

import attrs

from prodready_lint.sdk.model import Finding

__all__ = ["Baseline", "BaselineError", "load", "split", "write"]

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or written (a usage problem)."""


@attrs.frozen(slots=True)
class Baseline:
    salt: str
    entries: tuple[tuple[str, str, str], ...]  # (path, rule, hash), sorted

    def key(self, finding: Finding) -> tuple[str, str, str]:
        return (finding.path, finding.rule_id, _hash(self.salt, finding.fingerprint))


def _hash(salt: str, fingerprint: str) -> str:
    return hashlib.blake2b(fingerprint.encode(), key=bytes.fromhex(salt), digest_size=16).hexdigest()


def _new_salt() -> str:
    return secrets.token_hex(16)


def build(findings: Iterable[Finding], salt: str | None = None) -> Baseline:
    baseline = Baseline(salt or _new_salt(), ())
    return attrs.evolve(baseline, entries=tuple(sorted(baseline.key(f) for f in findings)))


def dumps(baseline: Baseline) -> str:
    lines = [
        "{",
        f'  "version": {VERSION},',
        f'  "salt": "{baseline.salt}",',
        '  "findings": [',
    ]
    rows = [
        "    " + json.dumps({"rule": rule, "path": path, "hash": digest}, ensure_ascii=False)
        for path, rule, digest in baseline.entries
    ]
    if rows:
        lines.append(",\n".join(rows))
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def loads(text: str, source: str = "baseline") -> Baseline:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise BaselineError(f"{source}: not a baseline file (invalid JSON: {error})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise BaselineError(f"{source}: not a version {VERSION} baseline file")
    salt, rows = data.get("salt"), data.get("findings")
    try:
        bytes.fromhex(salt)
        entries = tuple(sorted((row["path"], row["rule"], row["hash"]) for row in rows))
    except (TypeError, KeyError, ValueError):
        raise BaselineError(
            f"{source}: malformed baseline file (needs a hex salt and findings with rule, path, hash)"
        ) from None
    if not all(isinstance(part, str) for entry in entries for part in entry) or not 8 <= len(salt) // 2 <= 64:
        raise BaselineError(f"{source}: malformed baseline file")
    return Baseline(salt, entries)


def load(path: str | os.PathLike) -> Baseline:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise BaselineError(f"cannot read baseline {os.fsdecode(path)}: {error.strerror or error}") from None
    return loads(text, os.fsdecode(path))


def write(path: str | os.PathLike, findings: Iterable[Finding]) -> Baseline:
    """Write the baseline of ``findings`` to ``path``, keeping the salt of a baseline
    already there so that its diff shows only what changed."""
    salt = None
    if os.path.exists(path):
        try:
            salt = load(path).salt
        except BaselineError:
            salt = None
    baseline = build(findings, salt)
    try:
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(dumps(baseline))
    except OSError as error:
        raise BaselineError(f"cannot write baseline {os.fsdecode(path)}: {error.strerror or error}") from None
    return baseline


def split(findings: Iterable[Finding], baseline: Baseline) -> tuple[list[Finding], list[Finding]]:
    """``(new, known)``: each baseline entry absorbs at most one finding, so a finding
    recorded once and now present twice (the same code pasted again) is new once."""
    remaining = Counter(baseline.entries)
    new: list[Finding] = []
    known: list[Finding] = []
    for finding in findings:
        key = baseline.key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
            known.append(finding)
        else:
            new.append(finding)
    return new, known
