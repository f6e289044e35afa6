"""Changed-lines mode: which lines of which files changed since a git ref.

The comparison is from the merge base of the ref and ``HEAD`` (what a pull request
compares, so commits that landed on the target branch since do not count) to the work
tree, staged or not; files git does not track (and does not ignore) count as changed
in full. Deleted lines change nothing that can be reported on. Paths come back
relative to the scan's root, which need not be the top of the work tree.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Mapping

from prodready_lint.sdk.model import Finding

__all__ = ["ChangedError", "changed_lines", "on_changed_lines"]

# None: every line of the file (a new, untracked file).
Changes = Mapping[str, "frozenset[int] | None"]

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {b"n": b"\n", b"t": b"\t", b'"': b'"', b"\\": b"\\", b"a": b"\a", b"b": b"\b", b"f": b"\f", b"v": b"\v"}


class ChangedError(Exception):
    """Git is missing, the root is not in a work tree, or the ref is unknown."""


def _git(root: str, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=root,
            capture_output=True,
            check=False,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
    except FileNotFoundError:
        raise ChangedError("--changed-since needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise ChangedError(f"git {args[0]} took over two minutes") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangedError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def _unquote(name: bytes) -> bytes:
    """A path as git prints it in a diff header: C-quoted when it holds odd bytes."""
    if not (name.startswith(b'"') and name.endswith(b'"')):
        return name
    body, out, i = name[1:-1], bytearray(), 0
    while i < len(body):
        if body[i : i + 1] == b"\\" and i + 1 < len(body):
            nxt = body[i + 1 : i + 2]
            if nxt.isdigit() and i + 3 < len(body):
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
            continue
        out += body[i : i + 1]
        i += 1
    return bytes(out)


def parse_diff(diff: bytes) -> dict[bytes, set[int]]:
    """Added or modified lines per new-side path of a ``--unified=0`` diff."""
    out: dict[bytes, set[int]] = {}
    current: set[int] | None = None
    for line in diff.split(b"\n"):
        if line.startswith(b"+++ "):
            name = line[4:]
            if name == b"/dev/null":
                current = None
                continue
            name = _unquote(name)
            current = out.setdefault(name[2:] if name.startswith(b"b/") else name, set())
        elif line.startswith(b"@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or b"1")
                current.update(range(start, start + count))
    return out


def changed_lines(root: str | os.PathLike, ref: str) -> dict[str, frozenset[int] | None]:
    """Lines added or changed since ``ref``, per file, relative to ``root``."""
    root = os.fspath(root)
    top = os.fsdecode(_git(root, "rev-parse", "--show-toplevel").rstrip(b"\n"))
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ChangedError:
        raise ChangedError(f"--changed-since {ref}: not a commit, branch or tag in this repository") from None
    try:
        base = _git(root, "merge-base", ref, "HEAD").strip().decode()
    except ChangedError:
        base = ref  # unrelated histories, or no HEAD yet: compare with the ref itself
    diff = _git(top, "diff", "--no-color", "--no-ext-diff", "--unified=0", "--find-renames", base, "--")
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
    changes: dict[str, frozenset[int] | None] = {}
    for name, lines in parse_diff(diff).items():
        changes[os.fsdecode(name)] = frozenset(lines)
    for name in filter(None, untracked.split(b"\0")):
        changes[os.fsdecode(name)] = None
    real_root = os.path.realpath(root)
    out: dict[str, frozenset[int] | None] = {}
    for name, lines in changes.items():
        relative = os.path.relpath(os.path.join(top, name), real_root).replace(os.sep, "/")
        if not relative.startswith("../"):
            out[relative] = lines
    return out


def on_changed_lines(findings: Iterable[Finding], changes: Changes) -> tuple[list[Finding], list[Finding]]:
    """``(kept, dropped)``: a finding is kept when any line of its span changed."""
    kept: list[Finding] = []
    dropped: list[Finding] = []
    for finding in findings:
        lines = changes.get(finding.path, frozenset())
        span = finding.location.span
        if lines is None or any(n in lines for n in range(span.line, span.end_line + 1)):
            kept.append(finding)
        else:
            dropped.append(finding)
    return kept, dropped
