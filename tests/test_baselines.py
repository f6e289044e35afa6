"""Baselines (--write-baseline / --baseline) and changed-lines mode (--changed-since)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from prodready_lint.sdk import FileKind, RepoRule, Severity, Span

from prodready_lint import baseline, scan
from prodready_lint.changed import changed_lines, parse_diff
from prodready_lint.scope import on_changed
from tests.conftest import git_init, run_cli, write_tree

CLIENT = """\
import requests


def rates(currency):
    return requests.get(f"https://rates.internal/{currency}")


def health():
    return requests.get("https://health.internal/")
"""


def _commit(path: Path, message: str = "change") -> None:
    subprocess.run(["git", "add", "-A"], cwd=path, check=True)
    subprocess.run(
        ["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev", "commit", "-qm", message],
        cwd=path,
        check=True,
    )


def _findings(process: subprocess.CompletedProcess) -> list[dict]:
    return json.loads(process.stdout)["findings"]


def test_a_fresh_baseline_reports_nothing_and_exits_0(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"app/client.py": CLIENT})
    written = run_cli("scan", ".", "--write-baseline", ".prodready-baseline.json", cwd=repo)
    assert written.returncode == 0, written.stderr
    assert "wrote a baseline of 2 findings" in written.stderr
    again = run_cli("scan", ".", "--baseline", ".prodready-baseline.json", "--format", "json", cwd=repo)
    assert again.returncode == 0, again.stderr
    document = json.loads(again.stdout)
    assert document["findings"] == []
    assert document["scope"] == ["new since baseline .prodready-baseline.json"]
    assert "2 findings recorded in the baseline .prodready-baseline.json not reported" in again.stderr
    text = run_cli("scan", ".", "--baseline", ".prodready-baseline.json", cwd=repo)
    assert "No findings.\nOnly findings new since baseline .prodready-baseline.json are reported." in text.stdout


def test_moved_code_stays_known_and_a_second_identical_finding_is_new(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"app/client.py": CLIENT})
    assert run_cli("scan", ".", "--write-baseline", "base.json", cwd=repo).returncode == 0
    moved = '"""Rates."""\n\nimport logging\n\nLOG = logging.getLogger(__name__)\n\n\n' + CLIENT
    (repo / "app/client.py").write_text(moved, encoding="utf-8")
    after_move = run_cli("scan", ".", "--baseline", "base.json", "--format", "json", cwd=repo)
    assert after_move.returncode == 0 and _findings(after_move) == []
    pasted = moved + '\n\ndef health_again():\n    return requests.get("https://health.internal/")\n'
    (repo / "app/client.py").write_text(pasted, encoding="utf-8")
    after_paste = run_cli("scan", ".", "--baseline", "base.json", "--format", "json", cwd=repo)
    assert after_paste.returncode == 1
    new = _findings(after_paste)
    assert [(f["rule_id"], f["location"]["line"]) for f in new] == [("TMO001", len(pasted.splitlines()))]


def test_the_baseline_file_is_sorted_salted_and_has_no_code_or_timestamp(tmp_path: Path) -> None:
    secret = "sk_live_51HqLyjWDarjtT1zdp7dcXYZ"
    source = CLIENT + f'\n\ndef charge():\n    return requests.post("https://pay.internal/", data="{secret}")\n'
    repo = write_tree(git_init(tmp_path / "repo"), {"b.py": source, "a/client.py": CLIENT})
    assert run_cli("scan", ".", "--write-baseline", "base.json", cwd=repo).returncode == 0
    text = (repo / "base.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert set(data) == {"version", "salt", "findings"} and len(bytes.fromhex(data["salt"])) == 16
    rows = [(row["path"], row["rule"], row["hash"]) for row in data["findings"]]
    assert rows == sorted(rows) and sorted(rule for _, rule, _ in rows) == ["SEC002", *["TMO001"] * 5]
    assert secret not in text and "requests" not in text and "pay.internal" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}", text)
    assert text.count("\n") == len(rows) + 6  # one finding per line: diffs show what came and went
    # rewriting keeps the salt, so an unchanged codebase gives the same bytes
    assert run_cli("scan", ".", "--write-baseline", "base.json", cwd=repo).returncode == 0
    assert (repo / "base.json").read_text(encoding="utf-8") == text
    # the hashes depend on the salt: another repository's baseline cannot be compared
    other = baseline.build([], None)
    assert other.salt != data["salt"]


def test_a_baseline_narrows_sarif_and_marks_results_new(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"client.py": CLIENT})
    assert run_cli("scan", ".", "--write-baseline", "base.json", cwd=repo).returncode == 0
    with (repo / "client.py").open("a", encoding="utf-8") as handle:
        handle.write('\n\ndef more():\n    return requests.delete("https://x.internal/")\n')
    sarif = run_cli("scan", ".", "--baseline", "base.json", "--format", "sarif", cwd=repo)
    assert sarif.returncode == 1
    run = json.loads(sarif.stdout)["runs"][0]
    assert [r["baselineState"] for r in run["results"]] == ["new"]
    assert "requests.delete" in run["results"][0]["message"]["text"]
    assert run["properties"]["scope"] == ["new since baseline base.json"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "invalid JSON"),
        ('{"version": 7}', "not a version 1"),
        ('{"version": 1, "salt": "zz"}', "malformed"),
    ],
)
def test_an_unusable_baseline_is_a_usage_error(tmp_path: Path, content: str, message: str) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"client.py": CLIENT, "base.json": content})
    process = run_cli("scan", ".", "--baseline", "base.json", cwd=repo)
    assert process.returncode == 2 and message in process.stderr
    missing = run_cli("scan", ".", "--baseline", "nowhere.json", cwd=repo)
    assert missing.returncode == 2 and "cannot read baseline nowhere.json" in missing.stderr


def test_changed_since_reports_only_changed_lines_and_new_files(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"app/client.py": CLIENT, "app/old.py": CLIENT})
    _commit(repo, "initial")
    edited = CLIENT.replace('"https://health.internal/"', '"https://health.internal/v2"')
    write_tree(repo, {"app/client.py": edited, "app/new.py": CLIENT})
    process = run_cli("scan", ".", "--changed-since", "HEAD", "--format", "json", cwd=repo)
    assert process.returncode == 1, process.stderr
    where = sorted((f["location"]["path"], f["location"]["line"]) for f in _findings(process))
    assert where == [("app/client.py", 9), ("app/new.py", 5), ("app/new.py", 9)]
    assert json.loads(process.stdout)["scope"] == ["on lines changed since HEAD"]
    assert "3 findings on lines unchanged since HEAD not reported" in process.stderr
    # staged changes count too, and the comparison starts at the merge base
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    staged = run_cli("scan", "app", "--changed-since", "HEAD", "--format", "json", cwd=repo)
    assert len(_findings(staged)) == 3


def test_changed_since_compares_from_the_merge_base(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"client.py": CLIENT})
    _commit(repo, "initial")
    subprocess.run(["git", "branch", "-q", "-M", "main"], cwd=repo, check=True)
    subprocess.run(["git", "checkout", "-q", "-b", "feature"], cwd=repo, check=True)
    write_tree(repo, {"feature.py": CLIENT})
    _commit(repo, "feature")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)
    write_tree(repo, {"client.py": CLIENT + "\n\nVALUE = 1\n", "main_only.py": CLIENT})
    _commit(repo, "main moves on")
    subprocess.run(["git", "checkout", "-q", "feature"], cwd=repo, check=True)
    process = run_cli("scan", ".", "--changed-since", "main", "--format", "json", cwd=repo)
    assert {f["location"]["path"] for f in _findings(process)} == {"feature.py"}


def test_changed_since_an_unknown_ref_or_outside_git_is_a_usage_error(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"client.py": CLIENT})
    _commit(repo, "initial")
    unknown = run_cli("scan", ".", "--changed-since", "no-such-branch", cwd=repo)
    assert unknown.returncode == 2 and "no-such-branch: not a commit, branch or tag" in unknown.stderr
    plain = write_tree(tmp_path / "plain", {"client.py": CLIENT})
    outside = run_cli("scan", ".", "--changed-since", "HEAD", "--root", ".", cwd=plain)
    assert outside.returncode == 2 and "git rev-parse failed" in outside.stderr


def test_diff_parsing_handles_quoted_names_renames_and_deletions() -> None:
    diff = (
        b"diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -3 +3,2 @@\n-a\n+b\n+c\n@@ -10,2 +11,0 @@\n-d\n-e\n"
        b'diff --git "a/sp\\303\\251cial \\"q\\".py" "b/sp\\303\\251cial \\"q\\".py"\n'
        b'--- /dev/null\n+++ "b/sp\\303\\251cial \\"q\\".py"\n@@ -0,0 +1 @@\n+x\n'
        b"diff --git a/gone.py b/gone.py\n--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
    )
    parsed = parse_diff(diff)
    assert parsed == {b"x.py": {3, 4}, 'spécial "q".py'.encode(): {1}}


class _NeedsAReadme(RepoRule):
    """Services need a README.

    ## What it does
    Reports every Python file of a repository without a README.md at the top.

    ## Why is this bad?
    Nobody knows how to run the service.

    ## Example
    ```python
    x = 1
    ```

    ## Use instead
    ```text title="README.md"
    How to run it.
    ```
    """

    id = "TST900"
    name = "needs-a-readme"
    summary = "Python file in a repository without a README.md"
    checklist = ("runbooks",)
    severity = Severity.LOW
    kinds = frozenset({FileKind.PYTHON})

    def collect(self, file, context):
        return None

    def check_repo(self, repository, context) -> None:
        if any(f.path == "README.md" for f in repository.files):
            return
        for file in repository.files:
            if file.path.endswith(".py"):
                context.report(file.path, Span(1, 1), "no README.md in the repository")


def test_repository_rules_still_see_the_whole_repository(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"a.py": "x = 1\n", "b.py": "y = 2\n", "README.md": "hi\n"})
    _commit(repo, "initial")
    (repo / "README.md").unlink()
    (repo / "b.py").write_text("y = 3\n", encoding="utf-8")
    result = scan(repo, rules=[_NeedsAReadme], installed_rules=False, cache=False)
    assert {f.path for f in result.findings} == {"a.py", "b.py"}  # judged on every file
    narrowed = on_changed(result, changed_lines(repo, "HEAD"), "HEAD")
    assert [f.path for f in narrowed.findings] == ["b.py"]  # reported where lines changed
