"""The library API and the engine's promises: results, statistics, and bad input."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import attrs
import pytest

import prodready_lint
from prodready_lint import Severity
from tests.conftest import run_cli, write_tree

SERVICE = """\
import requests


def fetch_rates(currency):
    response = requests.get(f"https://rates.internal/{currency}")
    return response.json()
"""

CLEAN = """\
import requests


def fetch_rates(currency):
    return requests.get(f"https://rates.internal/{currency}", timeout=5).json()
"""


def make_unreadable(path: Path) -> None:
    """A file whose read fails for real. Permission bits do not stop root, so as root
    the file is a link to /proc/self/mem, whose first page is never mapped (EIO)."""
    if os.geteuid() == 0:
        path.symlink_to("/proc/self/mem")
    else:
        path.write_text("import requests\nrequests.get(url)\n", encoding="utf-8")
        path.chmod(0)


def test_scan_returns_immutable_sorted_results(repo: Path) -> None:
    write_tree(repo, {"b/client.py": SERVICE, "a/client.py": SERVICE, "a/clean.py": CLEAN, "README.md": "# rates\n"})
    result = prodready_lint.scan([repo], cache=False)
    assert [(f.path, f.line, f.rule_id) for f in result.findings] == [
        ("a/client.py", 5, "TMO001"),
        ("b/client.py", 5, "TMO001"),
    ]
    finding = result.findings[0]
    assert finding.severity is Severity.MEDIUM and finding.checklist == ("timeouts",)
    assert (finding.location.column, finding.location.end_line) == (16, 5)
    assert len(finding.fingerprint) == 32 and finding.line_hash.endswith(":1")
    assert finding.snippet.strip().startswith("response = requests.get(")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        finding.message = "changed"  # type: ignore[misc]
    assert result.root == str(repo) and result.errors == ()
    assert {meta.id for meta in result.rules} >= {"TMO001", "TMO010"}


def test_stats_partition_the_files_seen(repo: Path) -> None:
    write_tree(
        repo,
        {
            "client.py": SERVICE,
            "util.py": "def add(a, b):\n    return a + b\n",
            "broken.py": "import requests\ndef f(:\n",
            "notes.txt": "not read by any rule\n",
        },
    )
    stats = prodready_lint.scan([repo], cache=False, select=["TMO"]).stats
    assert (stats.files_seen, stats.files_parsed, stats.files_skipped, stats.files_failed) == (3, 1, 1, 1)
    assert stats.files_seen == stats.files_parsed + stats.files_skipped + stats.files_cached + stats.files_failed
    from prodready_lint.rules import PACK

    assert stats.rules == sum(r.metadata().id.startswith("TMO") for r in PACK.rules) and stats.seconds > 0


def test_bad_input_each_gives_one_clear_error_and_the_scan_goes_on(repo: Path) -> None:
    write_tree(
        repo,
        {
            "app/client.py": SERVICE,
            "app/syntax.py": "import requests\n\ndef handler(:\n    return requests.get(url)\n",
            "app/latin.py": b"import requests\n# caf\xe9 \xff\nrequests.get(url)\n",
            "app/declared_latin1.py": b"# -*- coding: latin-1 -*-\nimport requests\n# caf\xe9\nrequests.get(url)\n",
            "app/binary.py": b"import requests\x00\x01\x02" + bytes(range(256)),
            "app/huge.py": "import requests\n" + "x = 1\n" * (50 * 1024 * 1024 // 6),
            "app/newer.py": "import requests\ntype Url = str\ndef get[T](u: Url) -> T:\n    return requests.get(u)\n",
        },
    )
    make_unreadable(repo / "app" / "locked.py")
    (repo / "app" / "dangling.py").symlink_to(repo / "app" / "deleted.py")
    (repo / "app" / "loop_a.py").symlink_to(repo / "app" / "loop_b.py")
    (repo / "app" / "loop_b.py").symlink_to(repo / "app" / "loop_a.py")
    (repo / "app" / "again").symlink_to(repo / "app", target_is_directory=True)

    result = prodready_lint.scan([repo], cache=False)

    errors = {(e.path, e.kind) for e in result.errors}
    assert errors == {
        ("app/syntax.py", "syntax"),
        ("app/latin.py", "encoding"),
        ("app/binary.py", "binary"),
        ("app/huge.py", "too-large"),
        ("app/locked.py", "unreadable"),
        ("app/dangling.py", "broken-symlink"),
        ("app/loop_a.py", "symlink-loop"),
        ("app/loop_b.py", "symlink-loop"),
        ("app/again", "symlink-loop"),
    }
    assert len(result.errors) == len(errors)
    by_path = {e.path: e for e in result.errors}
    assert by_path["app/syntax.py"].line == 3
    assert "byte 0xe9" in by_path["app/latin.py"].message and by_path["app/latin.py"].line == 2
    assert "MB" in by_path["app/huge.py"].message and "max-file-size" in by_path["app/huge.py"].message
    assert [(f.path, f.line) for f in result.findings] == [
        ("app/client.py", 5),
        ("app/declared_latin1.py", 4),
        ("app/newer.py", 4),
    ]
    assert result.exit_code() == 1


def test_files_no_rule_needs_are_still_checked_for_bad_input(repo: Path) -> None:
    """Whether a file holds a rule's trigger must not decide whether its problems are seen."""
    write_tree(
        repo,
        {
            "app/util.py": "def add(a, b):\n    return a + b\n",
            "app/syntax.py": "def add(a, b:\n    return a + b\n",
            "app/latin.py": b"# caf\xe9\nVALUE = 1\n",
            "app/newer.py": "type Pair = tuple[int, int]\n",
        },
    )
    result = prodready_lint.scan([repo], cache=False)
    assert {(e.path, e.kind, e.line) for e in result.errors} == {
        ("app/syntax.py", "syntax", 1),
        ("app/latin.py", "encoding", 1),
    }
    assert "byte 0xe9" in {e.path: e for e in result.errors}["app/latin.py"].message
    stats = result.stats
    assert (stats.files_parsed, stats.files_skipped, stats.files_failed) == (0, 2, 2)
    assert result.findings == () and result.exit_code() == 3
    cached = prodready_lint.scan([repo], cache_dir=repo / ".cache")
    again = prodready_lint.scan([repo], cache_dir=repo / ".cache")
    assert again.stats.files_cached == 4 and again.errors == cached.errors == result.errors


def test_cli_prints_one_line_per_problem_and_exit_code_says_what_happened(repo: Path) -> None:
    write_tree(
        repo,
        {"ok.py": CLEAN, "syntax.py": "import requests\ndef broken(:\n    pass\n", "binary.py": b"\x00\x01requests"},
    )
    proc = run_cli("scan", ".", cwd=repo)
    assert proc.returncode == 3, proc.stderr
    problems = [line for line in proc.stderr.splitlines() if line.startswith("prodready-lint:")]
    assert problems == [
        "prodready-lint: binary.py: binary: binary content (NUL bytes); not analyzed",
        "prodready-lint: syntax.py:2: syntax: syntax error: invalid syntax",
    ]
    assert "2 files could not be analyzed" in proc.stdout
    assert run_cli("scan", ".", "--exit-zero", cwd=repo).returncode == 0


def test_invalid_config_is_reported_and_the_scan_still_completes(repo: Path) -> None:
    write_tree(
        repo,
        {
            "pyproject.toml": '[tool.prodready-lint]\nselect = "TMO001"\nignroe = ["TMO002"]\nseverity-threshold = "urgent"\n',
            "client.py": SERVICE,
        },
    )
    result = prodready_lint.scan([repo], cache=False)
    messages = [e.message for e in result.errors]
    assert [(e.path, e.kind) for e in result.errors] == [("pyproject.toml", "config")] * 3
    assert any("unknown key 'ignroe' (did you mean 'ignore'?)" in m for m in messages)
    assert any("severity-threshold" in m and "urgent" in m for m in messages)
    assert any(m.startswith("select: expected a list of strings") for m in messages)
    assert [f.rule_id for f in result.findings] == ["TMO001"]  # the defaults still ran every rule
    assert result.exit_code() == 2
    proc = run_cli("scan", ".", cwd=repo)
    assert proc.returncode == 2
    assert proc.stderr.count("prodready-lint: pyproject.toml: config:") == 3
    assert "TMO001" in proc.stdout


def test_broken_toml_falls_back_to_defaults(repo: Path) -> None:
    write_tree(repo, {"pyproject.toml": "[tool.prodready-lint\nselect = [", "client.py": SERVICE})
    result = prodready_lint.scan([repo], cache=False)
    assert [e.kind for e in result.errors] == ["config"] and "invalid TOML" in result.errors[0].message
    assert [f.rule_id for f in result.findings] == ["TMO001"]


def test_a_crashing_rule_is_reported_and_other_rules_still_run(repo: Path) -> None:
    from prodready_lint.rules.timeouts import RequestsWithoutTimeout

    from tests.test_sdk import make_rule

    def explode(self, file, ctx):
        raise RuntimeError("boom")

    crashing = make_rule(id="BOOM001", check=explode, triggers=())
    write_tree(repo, {"client.py": SERVICE})
    result = prodready_lint.scan([repo], rules=[crashing, RequestsWithoutTimeout], installed_rules=False, cache=False)
    assert [f.rule_id for f in result.findings] == ["TMO001"]
    assert [(e.kind, e.message) for e in result.errors] == [("rule-crash", "rule BOOM001 crashed: RuntimeError: boom")]


def test_selection_by_prefix_name_and_slug(repo: Path) -> None:
    write_tree(
        repo,
        {"svc.py": "import requests, socket\nrequests.get(u)\nsocket.create_connection(a)\n"},
    )

    def ids(**kwargs):
        return sorted({f.rule_id for f in prodready_lint.scan([repo], cache=False, **kwargs).findings})

    assert ids() == ["TMO001", "TMO004"]
    assert ids(select=["TMO004"]) == ["TMO004"]
    assert ids(select=["requests-without-timeout"]) == ["TMO001"]
    assert ids(select=["timeouts"], ignore=["TMO00"]) == []
    assert ids(config={"ignore": ["TMO001"]}) == ["TMO004"]
    unknown = prodready_lint.scan([repo], cache=False, select=["NOPE"])
    assert [e.message for e in unknown.errors] == ["unknown rule selector 'NOPE': it matches no installed rule"]


def test_severity_threshold_decides_the_exit_code(repo: Path) -> None:
    write_tree(repo, {"svc.py": SERVICE})
    result = prodready_lint.scan([repo], cache=False)
    assert result.exit_code() == 1
    assert result.exit_code(threshold=Severity.HIGH) == 0
    raised = prodready_lint.scan([repo], cache=False, config={"rules": {"TMO001": {"severity": "critical"}}})
    assert raised.findings[0].severity is Severity.CRITICAL
    assert raised.exit_code(threshold=Severity.HIGH) == 1


def test_module_entry_point_runs(repo: Path) -> None:
    write_tree(repo, {"svc.py": SERVICE})
    proc = run_cli("scan", cwd=repo)
    assert proc.returncode == 1
    assert proc.stdout.startswith("svc.py:5:16: TMO001 ")
    assert sys.executable  # run_cli uses python -m prodready_lint with this interpreter


def test_size_limit_messages_use_readable_units(repo: Path) -> None:
    write_tree(repo, {"pyproject.toml": '[tool.prodready-lint]\nmax-file-size = "1KiB"\n', "big.py": SERVICE * 20})
    (error,) = prodready_lint.scan([repo], cache=False).errors
    assert error.kind == "too-large"
    size = len((SERVICE * 20).encode())
    assert error.message.startswith(f"file is {size / 1000:.1f} KB, over the 1.0 KB limit")


def test_rule_setting_problems_name_the_config_file_relative_to_the_root(repo: Path) -> None:
    write_tree(
        repo,
        {"pyproject.toml": "[tool.prodready-lint]\nexlude = []\n[tool.prodready-lint.rules.TMO001]\nretries = 3\n"},
    )
    errors = prodready_lint.scan([repo], cache=False).errors
    assert sorted(e.path for e in errors) == ["pyproject.toml", "pyproject.toml"]


def test_per_file_ignores_survive_a_symlinked_checkout(repo: Path, tmp_path: Path) -> None:
    write_tree(
        repo,
        {
            "pyproject.toml": '[tool.prodready-lint.per-file-ignores]\n"scripts/*.py" = ["TMO001"]\n',
            "scripts/backfill.py": SERVICE,
            "app/client.py": SERVICE,
        },
    )
    link = tmp_path / "checkout"
    link.symlink_to(repo, target_is_directory=True)
    result = prodready_lint.scan([link], config=repo / "pyproject.toml", cache=False)
    assert [f.path for f in result.findings] == ["app/client.py"]


def test_the_order_of_targets_never_changes_the_configuration(repo: Path) -> None:
    write_tree(
        repo,
        {
            "pyproject.toml": '[tool.prodready-lint]\nexclude = ["vendor/"]\n',
            "app/pyproject.toml": '[tool.prodready-lint]\nignore = ["TMO004"]\n',
            "app/client.py": SERVICE,
            "vendor/lib.py": SERVICE,
        },
    )
    forward = prodready_lint.scan([repo / "app/client.py", repo / "vendor/lib.py"], cache=False)
    backward = prodready_lint.scan([repo / "vendor/lib.py", repo / "app/client.py"], cache=False)
    assert forward.findings == backward.findings
    assert [f.path for f in forward.findings] == ["app/client.py"]
    assert forward.config.source == str(repo / "pyproject.toml")
    alone = prodready_lint.scan([repo / "app"], cache=False)
    assert alone.config.source == str(repo / "app" / "pyproject.toml")
