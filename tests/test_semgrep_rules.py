"""Semgrep YAML rules in a local pack, run by the real semgrep: one process per scan, on
the files the scan selected, through the same pipeline as native findings, cached
without ever going stale; a missing or failing semgrep is named with the rules it
affects while the native rules still run; scans without YAML rules never touch it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prodready_lint.sdk import Confidence, RuleDefinitionError, Severity, semgrep_rules

import prodready_lint
from tests.conftest import run_cli, write_tree

DOCS = """\
{summary}

## What it does
Flags it.

## Why is this bad?
It hurts in production.

## Example
```python
{bad}
```

## Use instead
```python
{good}
```
"""


def rule_file(message: str = "print() in service code") -> str:
    print_docs = DOCS.format(summary="print() in service code.", bad='print("x")', good='log.info("x")')
    secret_docs = DOCS.format(summary="A password in code.", bad='password = "hunter2"', good="password = read()")
    indent = "\n".join("        " + line if line else "" for line in print_docs.splitlines())
    indent_secret = "\n".join("        " + line if line else "" for line in secret_docs.splitlines())
    return f"""\
rules:
  - id: LOC001
    languages: [python]
    severity: WARNING
    message: {message}
    pattern: print(...)
    metadata:
      name: print-in-service
      checklist: [structured-logging]
      cwe: ["CWE-778: Insufficient Logging"]
      confidence: MEDIUM
      references: [https://docs.python.org/3/howto/logging.html]
      docs: |
{indent}
  - id: LOC002
    languages: [python]
    severity: ERROR
    message: hard-coded password $VALUE
    pattern: password = "$VALUE"
    metadata:
      name: hardcoded-password
      checklist: [secrets]
      secret: $VALUE
      docs: |
{indent_secret}
"""


SERVICE = {
    "pyproject.toml": """\
[tool.prodready-lint]
rules = ["rules"]
exclude = ["vendor/"]

[tool.prodready-lint.per-file-ignores]
"scripts/**" = ["LOC001"]
""",
    "app/service.py": """\
import requests

print("starting")
password = "hunter2"
requests.get(URL)
print("debug")  # prodready: ignore[LOC001] -- removed before release
""",
    "scripts/tool.py": 'print("a script may print")\n',
    "vendor/lib.py": 'print("vendored")\n',
}


@pytest.fixture
def service(repo: Path) -> Path:
    write_tree(repo, {**SERVICE, "rules/no_print.yaml": rule_file()})
    return repo


def test_yaml_rules_read_into_the_sdk_metadata(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(rule_file(), encoding="utf-8")
    first, second = semgrep_rules(path)
    meta = first.metadata()
    assert (meta.id, meta.name, meta.summary, meta.checklist) == (
        "LOC001",
        "print-in-service",
        "print() in service code",
        ("structured-logging",),
    )
    assert (meta.severity, meta.confidence, meta.cwe) == (Severity.MEDIUM, Confidence.MEDIUM, (778,))
    assert meta.references == ("https://docs.python.org/3/howto/logging.html",)
    assert second.metadata().severity is Severity.HIGH and second.secret == "$VALUE"
    path.write_text(rule_file().replace("      name: print-in-service\n", ""), encoding="utf-8")
    with pytest.raises(RuleDefinitionError, match=r"rules\.yaml: rule LOC001 .*name None must be kebab-case"):
        semgrep_rules(path)


def test_yaml_rules_run_through_the_whole_pipeline_and_the_cache(
    service: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    config = {"severity": "high"}
    result = prodready_lint.scan([service], root=service, cache_dir=cache)
    assert result.errors == ()
    found = [(f.path, f.line, f.rule_id, f.severity.value) for f in result.findings]
    assert found == [
        ("app/service.py", 3, "LOC001", "medium"),
        ("app/service.py", 4, "LOC002", "high"),
        ("app/service.py", 5, "TMO001", "medium"),
    ]  # scripts/ is ignored for LOC001, vendor/ is excluded
    secret = result.findings[1]
    assert secret.message == "hard-coded password *******" and "hunter2" not in secret.snippet
    assert [(f.line, f.suppression.reason) for f in result.suppressed] == [(6, "removed before release")]
    assert result.findings[0].fingerprint and result.findings[0].line_hash
    assert result.findings[0].checklist == ("structured-logging",)
    assert {(m.id, m.pack, m.pack_version) for m in result.rules if m.id.startswith("LOC")} == {
        ("LOC001", "rules", "local"),
        ("LOC002", "rules", "local"),
    }

    # Warm: every Semgrep result comes from the cache, so no semgrep is needed at all.
    monkeypatch.setenv("PRODREADY_LINT_SEMGREP", str(tmp_path / "no-semgrep-here"))
    warm = prodready_lint.scan([service], root=service, cache_dir=cache)
    assert warm.findings == result.findings and warm.errors == ()
    monkeypatch.delenv("PRODREADY_LINT_SEMGREP")

    # A changed rule file changes the key: the new rule runs, never the cached results.
    (service / "rules" / "no_print.yaml").write_text(rule_file("use logging, not print()"), encoding="utf-8")
    changed = prodready_lint.scan(
        [service], root=service, cache_dir=cache, config={"rules": {"paths": ["rules"], "LOC001": config}}
    )
    assert [(f.rule_id, f.message, f.severity.value) for f in changed.findings if f.rule_id == "LOC001"] == [
        ("LOC001", "use logging, not print()", "high"),
        ("LOC001", "use logging, not print()", "high"),  # the configuration given here sets no ignores
        ("LOC001", "use logging, not print()", "high"),
    ]


def test_a_missing_semgrep_is_named_with_its_rules_and_native_rules_still_run(service: Path, tmp_path: Path) -> None:
    proc = run_cli("scan", "--format", "json", cwd=service, env={"PRODREADY_LINT_SEMGREP": str(tmp_path / "missing")})
    report = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert [(e["kind"], e["message"]) for e in report["errors"]] == [
        (
            "semgrep",
            "semgrep is not installed, so these Semgrep rules did not run: LOC001, LOC002; "
            "install it with: pip install 'prodready-lint[semgrep]'",
        )
    ]
    assert [f["rule_id"] for f in report["findings"]] == ["TMO001"]


def test_a_failing_semgrep_is_named_with_its_rules(service: Path, tmp_path: Path) -> None:
    broken = tmp_path / "semgrep"
    broken.write_text("#!/bin/sh\necho 'fatal: out of licences' >&2\nexit 2\n", encoding="utf-8")
    broken.chmod(0o755)
    proc = run_cli("scan", "--no-cache", cwd=service, env={"PRODREADY_LINT_SEMGREP": str(broken)})
    assert proc.returncode == 2
    assert (
        "semgrep: semgrep failed (exit status 2: fatal: out of licences); these rules did not run: LOC001, LOC002"
        in proc.stderr
    )
    assert "TMO001" in proc.stdout


def test_scans_without_yaml_rules_never_import_or_start_semgrep(repo: Path) -> None:
    write_tree(repo, {"app.py": "import requests\nrequests.get(URL)\n"})
    script = f"""
import subprocess, sys
def refuse(*args, **kwargs):
    raise AssertionError(f"a process was started: {{args}}")
subprocess.Popen.__init__ = refuse
import prodready_lint
result = prodready_lint.scan([{str(repo)!r}], cache=False, jobs=1)
assert [f.rule_id for f in result.findings] == ["TMO001"], result
assert not {{"semgrep", "prodready_lint.semgrep_scan"}} & set(sys.modules), sorted(sys.modules)
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
