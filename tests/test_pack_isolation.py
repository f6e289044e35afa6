"""Local packs and the isolation of packs: loaded only from a path the user named,
refused when written for an SDK API this engine lacks, reported by name when broken,
stopped when a rule hangs, and selected like built-in rules."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from prodready_lint.sdk import API_VERSION

from tests.conftest import run_cli, write_tree
from tests.test_packs_and_parallel import install_pack

RULE = '''
from prodready_lint.sdk import Rule, RulePack, Severity


class {cls}(Rule):
    """Flags the word {word}.

    ## What it does
    Checks for {word}.

    ## Why is this bad?
    It is a test.

    ## Example
    ```python
    {word} = 1
    ```

    ## Use instead
    ```python
    fine = 1
    ```
    """

    id = "{id}"
    name = "{name}"
    summary = "the word {word}"
    checklist = ("error-handling",)
    severity = Severity.LOW
    triggers = ("{word}",)

    def check(self, file, ctx):
{body}
'''

REPORT = """        ctx.report(file.tree.body[0], "found it")"""
HANG = """        while True:
            pass"""


def rule_source(word: str, rule_id: str, body: str = REPORT, pack: str = "") -> str:
    source = RULE.format(cls=word.capitalize(), word=word, id=rule_id, name=word, body=body)
    return source + (f"\n\nPACK = {pack}\n" if pack else "")


def test_rules_load_only_from_paths_the_user_names(repo: Path) -> None:
    write_tree(
        repo,
        {
            "app.py": "banana = 1\n",
            "packs/fruit.py": rule_source("banana", "FRT001"),  # in the repository, named by nobody
        },
    )
    plain = json.loads(run_cli("scan", "--format", "json", cwd=repo).stdout)
    assert plain["findings"] == [] and "FRT001" not in {r["id"] for r in plain["rules"]}
    named = json.loads(run_cli("scan", "--format", "json", "--rules", "packs/fruit.py", "app.py", cwd=repo).stdout)
    assert [(f["rule_id"], f["location"]["line"]) for f in named["findings"]] == [("FRT001", 1)]
    assert {"name": "fruit", "version": "local"} in named["packs"]
    (repo / "pyproject.toml").write_text('[tool.prodready-lint]\nrules = ["packs/fruit.py"]\n', encoding="utf-8")
    assert run_cli("scan", "--ignore", "fruit", cwd=repo).returncode == 0
    assert run_cli("scan", "--select", "fruit", cwd=repo).returncode == 1
    listing = run_cli("rules", cwd=repo)
    assert any(line.split()[:4] == ["FRT001", "banana", "fruit", "local"] for line in listing.stdout.splitlines())


def test_a_pack_for_another_sdk_api_is_refused_naming_both_versions(tmp_path: Path, repo: Path) -> None:
    future = rule_source("cherry", "FUT001", pack='RulePack("future", "3.0.0", (Cherry,), api_version="2.0")')
    site = install_pack(tmp_path / "site", "future_rules", future, "future = future_rules:PACK")
    newer = rule_source("plum", "NEW001", pack=f'RulePack("newer", "1.0.0", (Plum,), api_version="1.{99}")')
    write_tree(repo, {"app.py": "cherry = plum = 1\n", "newer.py": newer})
    proc = run_cli("scan", "--rules", "newer.py", "app.py", cwd=repo, env={"PYTHONPATH": str(site)})
    assert proc.returncode == 2
    assert (
        "rule pack 'future' 3.0.0 (distribution future_rules 1.0 (entry point 'future')) is refused: "
        f"it was written for SDK API 2.0, and this prodready-lint provides API {API_VERSION}" in proc.stderr
    )
    assert (
        f"rule pack 'newer' 1.0.0 (local pack {repo / 'newer.py'}) is refused: it was written for SDK API 1.99, "
        f"newer than the API {API_VERSION} this prodready-lint provides; upgrade prodready-lint" in proc.stderr
    )
    assert "FUT001" not in proc.stdout and "NEW001" not in proc.stdout


def test_broken_packs_are_named_and_the_scan_goes_on(repo: Path) -> None:
    write_tree(
        repo,
        {
            "app.py": "import requests\nrequests.get(URL)\nkiwi = 1\n",
            "broken.py": "import libfoo_that_is_not_installed\n",
            "raising.py": rule_source("kiwi", "KIW001", body="        raise ValueError('no kiwis today')"),
            "clash.py": rule_source("kiwi", "TMO001"),
        },
    )
    proc = run_cli("scan", "--rules", "broken.py", "--rules", "raising.py", "--rules", "clash.py", "app.py", cwd=repo)
    assert (
        f"cannot load rules from {repo / 'broken.py'}: "
        "ModuleNotFoundError: No module named 'libfoo_that_is_not_installed'" in proc.stderr
    )
    assert "app.py: rule-crash: rule KIW001 crashed: ValueError: no kiwis today" in proc.stderr
    assert "rule id TMO001 from pack 'clash' is already taken by pack 'builtin'; ignoring the second one" in proc.stderr
    assert "app.py:2:1: TMO001 requests.get() has no timeout" in proc.stdout


def test_a_rule_that_hangs_is_stopped_and_the_scan_goes_on(repo: Path) -> None:
    files = {f"svc/module_{n}.py": "import requests\nrequests.get(URL)\n" for n in range(3)}
    files["svc/stuck.py"] = "durian = 1\n"
    files["hang.py"] = rule_source("durian", "HNG001", body=HANG)
    files["pyproject.toml"] = "[tool.prodready-lint]\nfile-timeout = 0.5\n"
    write_tree(repo, files)
    proc = run_cli("scan", "--rules", "hang.py", "--format", "json", "--no-cache", "svc", cwd=repo)
    report = json.loads(proc.stdout)
    assert [(e["path"], e["kind"], e["message"]) for e in report["errors"]] == [
        ("svc/stuck.py", "timeout", "analysis took longer than the 0.5 s budget in rule HNG001; stopped")
    ]
    assert len(report["findings"]) == 3 and proc.returncode == 1


def test_a_warm_run_watches_the_local_packs_files(repo: Path) -> None:
    write_tree(repo, {"app.py": "fig = 1\n", "packs/fig.py": rule_source("fig", "FIG001")})
    past = time.time() - 60  # older than the replay's racy window, so a replay is trusted
    for path in (repo / "app.py", repo / "packs" / "fig.py", repo / "packs", repo):
        os.utime(path, (past, past))
    args = ("scan", "--rules", "packs", "--select", "fig", "--format", "json", "app.py")
    first = json.loads(run_cli(*args, cwd=repo).stdout)
    replayed = json.loads(run_cli(*args, cwd=repo).stdout)
    assert replayed["stats"]["jobs"] == 0 and replayed["findings"] == first["findings"]
    source = (repo / "packs" / "fig.py").read_text(encoding="utf-8").replace('"found it"', '"found a fig"')
    (repo / "packs" / "fig.py").write_text(source, encoding="utf-8")
    os.utime(repo / "packs" / "fig.py", (past + 1, past + 1))
    changed = json.loads(run_cli(*args, cwd=repo).stdout)
    assert [f["message"] for f in changed["findings"]] == ["found a fig"]
