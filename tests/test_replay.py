"""A warm run whose inputs are all unchanged replays its report without the engine, and
any change, however it is made, falls back to a real scan."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import write_tree

SERVICE = "import requests\n\n\ndef rates():\n    return requests.get('https://rates.internal')\n"
OLD = time.time() - 3600


def age(root: Path) -> None:
    """Make every file and directory of the tree an hour old: signatures recorded now are
    then trusted (a signature younger than the filesystem's resolution never is)."""
    for directory, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(directory, name), (OLD, OLD))
        os.utime(directory, (OLD, OLD))


def run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "PRODREADY_LINT_CACHE_DIR")}
    command = [sys.executable, "-X", "importtime", "-m", "prodready_lint", "scan", "--format", "json", *args]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def replayed(proc: subprocess.CompletedProcess) -> bool:
    return "prodready_lint.api" not in proc.stderr


def report(proc: subprocess.CompletedProcess) -> dict:
    data = json.loads(proc.stdout)
    data["stats"].pop("seconds")
    return data


def test_an_unchanged_tree_is_replayed_without_the_engine(repo: Path) -> None:
    write_tree(repo, {"svc/client.py": SERVICE, "svc/util.py": "x = 1\n", "pyproject.toml": "[project]\nname='x'\n"})
    age(repo)
    cold = run(repo)
    age(repo)  # the cache directory the first run created, too
    warm = run(repo)  # a real warm scan, which records what a replay prints
    again = run(repo)
    assert not replayed(cold) and replayed(again)
    assert report(again) == report(warm) and again.returncode == warm.returncode == 1
    assert report(again)["stats"]["files_cached"] == 3  # the Python files and pyproject.toml


def test_every_kind_of_change_falls_back_to_a_real_scan(repo: Path) -> None:
    write_tree(repo, {"svc/client.py": SERVICE, "svc/util.py": "x = 1\n"})
    run(repo)
    age(repo)
    run(repo)
    assert replayed(run(repo))

    (repo / "svc" / "util.py").write_text(SERVICE, encoding="utf-8")  # an edit, dated back
    os.utime(repo / "svc" / "util.py", (OLD, OLD))
    edited = run(repo)
    assert not replayed(edited) and len(report(edited)["findings"]) == 2

    age(repo)
    run(repo)
    write_tree(repo, {"svc/new/more.py": SERVICE})  # a new file in a new directory, all dated back
    age(repo)
    added = run(repo)
    assert not replayed(added) and len(report(added)["findings"]) == 3

    age(repo)
    run(repo)
    write_tree(repo, {"pyproject.toml": '[tool.prodready-lint]\nexclude = ["svc/new/"]\n'})
    age(repo)
    configured = run(repo)
    assert not replayed(configured) and len(report(configured)["findings"]) == 2


def test_files_written_beside_the_scanned_directory_do_not_stop_a_replay(repo: Path) -> None:
    """Logs or editors' temporary files in a directory where a configuration is looked
    for leave the replay standing; a configuration file appearing there does not."""
    write_tree(repo, {"svc/client.py": SERVICE})
    run(repo, "svc")
    age(repo)
    run(repo, "svc")
    (repo / "scan.log").write_text("written by the build\n", encoding="utf-8")  # changes the root's mtime
    assert replayed(run(repo, "svc"))

    write_tree(repo, {"pyproject.toml": '[tool.prodready-lint]\nignore = ["TMO"]\n'})
    age(repo)
    configured = run(repo, "svc")
    assert not replayed(configured) and report(configured)["findings"] == []


def test_a_change_younger_than_the_timestamp_resolution_is_never_trusted(repo: Path) -> None:
    write_tree(repo, {"svc/client.py": SERVICE})
    run(repo)
    age(repo)
    (repo / "svc" / "client.py").write_text(SERVICE + "\n", encoding="utf-8")  # just now
    run(repo)  # records the signature while it is still racy
    assert not replayed(run(repo))


def test_a_file_edited_while_the_scan_ran_is_never_trusted(tmp_path: Path) -> None:
    """The racy window is measured from the scan's start: a file whose mtime is later
    than that (edited during the scan) may have been analyzed in its older content."""
    from prodready_lint import memo

    path = tmp_path / "client.py"
    path.write_text(SERVICE, encoding="utf-8")
    os.utime(path, (OLD, OLD))
    outputs = {"stdout": "kept", "stderr": "", "exit_code": 0}
    memo.record(str(tmp_path / "memo"), "k", (str(path),), outputs, started_ns=time.time_ns())
    assert memo.load(str(tmp_path / "memo"), "k") is not None  # settled long before the scan

    edited_during_scan = time.time_ns()
    started = edited_during_scan - 60 * 10**9  # the scan started a minute before the edit
    os.utime(path, ns=(edited_during_scan, edited_during_scan))
    memo.record(str(tmp_path / "memo"), "k", (str(path),), outputs, started_ns=started)
    assert memo.load(str(tmp_path / "memo"), "k") is None


def test_a_replay_writes_the_output_file_and_keeps_the_exit_code(repo: Path, tmp_path: Path) -> None:
    write_tree(repo, {"svc/client.py": SERVICE})
    out = tmp_path / "report.sarif"
    run(repo, "--format", "sarif", "-o", str(out))
    age(repo)
    run(repo, "--format", "sarif", "-o", str(out))
    first = out.read_text(encoding="utf-8")
    out.unlink()
    again = run(repo, "--format", "sarif", "-o", str(out))
    assert replayed(again) and again.returncode == 1
    assert out.read_text(encoding="utf-8") == first
    assert f"wrote sarif report with 1 finding to {out}" in again.stderr
