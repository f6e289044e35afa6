"""The pre-commit hook, end to end and offline.

``pre-commit try-repo`` clones this repository, installs the ``prodready-lint`` hook
from ``.pre-commit-hooks.yaml`` into a fresh virtualenv (``pip install .``) and runs it
on a scratch git repository, exactly as a user's ``pre-commit run`` would. Nothing is
downloaded: pip is cut off from every index and configuration file and installs from a
wheelhouse re-packed from this test environment (see ``_wheelhouse.py``).

try-repo installs what git can see: the commit at HEAD plus uncommitted changes to
tracked files. When the working tree also has untracked files, a snapshot of the
working tree (tracked and untracked files, not ignored ones) is committed into a
temporary repository and installed from there, so the code tested is the code on disk.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests._wheelhouse import build_wheelhouse

PROJECT = Path(__file__).resolve().parents[1]
HOOK_ID = "prodready-lint"

CLIENT = '''\
"""Client for the inventory service."""

import requests

BASE_URL = "https://inventory.internal.example.com/api/v2"


def fetch_item(item_id: str) -> dict:
    url = f"{BASE_URL}/items/{item_id}"
    response = requests.get(url)
    response.raise_for_status()
    return response.json()
'''
CLEAN_CLIENT = CLIENT.replace("requests.get(url)", "requests.get(url, timeout=10)")
assert CLEAN_CLIENT != CLIENT

# A vendored copy with the same problem, excluded by the project's configuration:
# pre-commit names it explicitly on the command line, and it must stay out of the report.
SCRATCH_FILES = {
    "README.md": "# inventory-sync\n\nKeeps the shop's stock levels in step with the warehouse.\n",
    "pyproject.toml": '[project]\nname = "inventory-sync"\nversion = "1.0"\n\n'
    '[tool.prodready-lint]\nexclude = ["vendor/"]\n',
    "app/__init__.py": "",
    "vendor/legacy_client.py": CLIENT,
}

# The variables of the calling environment that could reach pip, virtualenv, pre-commit,
# git or the hook's Python, or colour the output: none of them is passed on.
_DROPPED_PREFIXES = ("PIP_", "VIRTUALENV_", "PRE_COMMIT", "GIT_", "PYTHON", "XDG_", "PRODREADY_LINT_")
_DROPPED = {"VIRTUAL_ENV", "NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"}


def offline_env(base: Path, wheelhouse: Path) -> dict[str, str]:
    """An environment for pre-commit and git that cannot reach a package index or read
    this machine's pip, virtualenv, pre-commit or git user configuration."""
    home = base / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(_DROPPED_PREFIXES) and key not in _DROPPED
    }
    env.update(
        HOME=str(home),  # no ~/.gitconfig, ~/.config/pip, ~/.cache
        PIP_CONFIG_FILE=os.devnull,  # no pip.conf at all, system or user
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),  # the only source of packages
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        VIRTUALENV_NO_PERIODIC_UPDATE="1",  # seed from virtualenv's embedded wheels only
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
        PRE_COMMIT_COLOR="never",
        GIT_AUTHOR_NAME="Test Author",
        GIT_AUTHOR_EMAIL="author@example.invalid",
        GIT_COMMITTER_NAME="Test Committer",
        GIT_COMMITTER_EMAIL="committer@example.invalid",
    )
    return env


def trusting(env: dict[str, str], directory: Path) -> dict[str, str]:
    """``env`` letting git read ``directory`` even when another user owns it (CI
    containers; the safe.directory setting that allowed it was in the replaced HOME).
    Git drops this setting when it serves a local clone, so pre-commit itself is only
    ever pointed at repositories the test created."""
    return {**env, "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "safe.directory", "GIT_CONFIG_VALUE_0": str(directory)}


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}:\n{result.stdout}{result.stderr}")
    return result.stdout


def git_sees_everything(project: Path, env: dict[str, str]) -> bool:
    """Whether try-repo on ``project`` would install the files on disk: the project is
    the top of a git work tree that git trusts, with a commit and no untracked, unignored
    files."""
    probe = subprocess.run(
        ["git", "rev-parse", "--show-toplevel", "--verify", "-q", "HEAD"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        return False
    toplevel = probe.stdout.splitlines()[0]
    if Path(toplevel).resolve() != project.resolve():
        return False
    return git("ls-files", "-z", "--others", "--exclude-standard", cwd=project, env=env) == ""


def snapshot_work_tree(project: Path, dest: Path, env: dict[str, str]) -> Path:
    """Commit the files git would consider part of ``project``'s working tree (tracked
    and untracked, not ignored, as they are on disk) into a new repository at ``dest``."""
    listing = git(
        "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=project, env=trusting(env, project)
    )
    dest.mkdir(parents=True)
    for name in sorted({name for name in listing.split("\0") if name}):
        source = project / name
        target = dest / name
        if source.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(source), target)
        elif source.is_file():  # deleted files and submodule directories are left out
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=dest, env=env)
    git("add", "--all", "--force", cwd=dest, env=env)
    git("commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "working tree snapshot", cwd=dest, env=env)
    return dest


def make_repo(path: Path, files: dict[str, str], env: dict[str, str]) -> Path:
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    git("init", "-q", cwd=path, env=env)
    git("add", "--all", cwd=path, env=env)  # try-repo --all-files runs on the files git tracks
    return path


@pytest.fixture(scope="module")
def precommit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """(the hook repository to try, the offline environment to run pre-commit in)."""
    base = tmp_path_factory.mktemp("precommit")
    env = offline_env(base, base / "wheelhouse")
    if git_sees_everything(PROJECT, env):
        hook_repo = PROJECT
    else:
        probe = subprocess.run(
            ["git", "rev-parse"], cwd=PROJECT, env=trusting(env, PROJECT), capture_output=True, text=True
        )
        assert probe.returncode == 0, f"pre-commit installs hooks from git work trees; {PROJECT}: {probe.stderr}"
        hook_repo = snapshot_work_tree(PROJECT, base / "hook-repo", env)
    build_wheelhouse(hook_repo, base / "wheelhouse")
    return hook_repo, env


def try_repo(scratch: Path, hook_repo: Path, env: dict[str, str]) -> tuple[int, str]:
    log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
    log.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), HOOK_ID, "--all-files"],
        cwd=scratch,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    if log.exists():  # pre-commit's own traceback when it could not install the hook
        result.stdout += f"\n--- {log}\n{log.read_text(encoding='utf-8', errors='replace')}"
    return result.returncode, result.stdout


def hook_status(output: str) -> str | None:
    match = re.search(rf"^{re.escape(HOOK_ID)}\.+(\w+)$", output, re.MULTILINE)
    return match.group(1) if match else None


def test_hook_fails_on_a_finding_and_reports_it(tmp_path, precommit):
    hook_repo, env = precommit
    scratch = make_repo(tmp_path / "repo", {**SCRATCH_FILES, "app/client.py": CLIENT}, env)

    code, output = try_repo(scratch, hook_repo, env)

    assert hook_status(output) == "Failed", output
    assert code == 1, output
    assert "- exit code: 1" in output, output
    assert (
        "app/client.py:10:16: TMO001 requests.get() has no timeout: "
        "requests waits for the server forever by default" in output
    ), output
    assert "    10 |     response = requests.get(url)\n" in output, output
    assert "Found 1 finding in 1 file (1 medium)." in output, output
    assert "vendor/legacy_client.py" not in output, output  # named by pre-commit, excluded by the config
    assert "\x1b" not in output and "\r" not in output, output  # plain text: no colour, no progress bar


def test_hook_passes_on_clean_code(tmp_path, precommit):
    hook_repo, env = precommit
    scratch = make_repo(tmp_path / "repo", {**SCRATCH_FILES, "app/client.py": CLEAN_CLIENT}, env)

    code, output = try_repo(scratch, hook_repo, env)

    assert hook_status(output) == "Passed", output  # not "Skipped": the hook did run on the files
    assert code == 0, output
    assert "TMO001" not in output, output


def test_hook_manifest_is_valid():
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(PROJECT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == HOOK_ID
    assert hook["entry"] == "prodready-lint scan --no-progress"  # output is shown only at the end
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    assert hook["pass_filenames"] is True


def test_snapshot_holds_the_work_tree_as_on_disk(tmp_path):
    env = offline_env(tmp_path, tmp_path / "unused")
    project = make_repo(
        tmp_path / "project",
        {".gitignore": "build/\n", "pkg/kept.py": "old\n", "pkg/gone.py": "x\n", "pkg/forced.log": "f\n"},
        env,
    )
    git("add", "--force", "pkg/forced.log", cwd=project, env=env)
    git("commit", "-q", "--no-gpg-sign", "-m", "initial", cwd=project, env=env)
    (project / ".gitignore").write_text("build/\n*.log\n", encoding="utf-8")
    (project / "pkg/kept.py").write_text("new\n", encoding="utf-8")
    (project / "pkg/gone.py").unlink()
    (project / "pkg/untracked.py").write_text("u\n", encoding="utf-8")
    (project / "build").mkdir()
    (project / "build/ignored.py").write_text("i\n", encoding="utf-8")
    assert not git_sees_everything(project, env)

    snapshot = snapshot_work_tree(project, tmp_path / "snapshot", env)

    files = set(git("ls-files", cwd=snapshot, env=env).split())
    assert files == {".gitignore", "pkg/kept.py", "pkg/untracked.py", "pkg/forced.log"}
    assert (snapshot / "pkg/kept.py").read_text(encoding="utf-8") == "new\n"
    assert git("status", "--porcelain", cwd=snapshot, env=env) == ""
    assert git_sees_everything(snapshot, env)
