"""Shared helpers: build small repositories on disk and run the real CLI on them."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The suite starts the real CLI hundreds of times. Where the environment forbids bytecode
# (PYTHONDONTWRITEBYTECODE), each start would compile every module again (half a second
# with every rule pack): the subprocesses keep bytecode in one directory of their own
# instead, outside the source tree, as an installed package would have it.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None and "PYTHONPYCACHEPREFIX" not in os.environ:
    os.environ["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="prodready-tests-pycache-")


def write_tree(base: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``files`` (relative path -> text or bytes) under ``base``."""
    for relpath, content in files.items():
        path = base / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return base


def git_init(path: Path) -> Path:
    """Make ``path`` a git work tree (so it becomes the scan root)."""
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m prodready_lint`` for real, with colour and progress left to auto."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env["PRODREADY_LINT_CACHE_DIR"] = str(cwd / ".test-cache")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "prodready_lint", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def shared_dir() -> Path:
    """The material beside the project root; tests that need it skip cleanly without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside the project")
    return SHARED


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git repository to fill with files."""
    return git_init(tmp_path / "repo")
