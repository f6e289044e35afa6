"""The signals family: evidence with file references, findings for services that show
no evidence, fixed-sleep retry loops, CI pipelines without tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prodready_lint.rules import signals
from prodready_lint.sdk.testing import assert_examples, assert_fixture

import prodready_lint
from tests.conftest import git_init, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "signals"


@pytest.mark.parametrize("fixture", sorted(p for p in FIXTURES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_fixture_matches_markers_exactly(fixture: Path) -> None:
    assert_fixture(fixture, select=["SIG"])


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(signals.RULES)


def test_evidence_names_the_file_and_line_for_every_signal() -> None:
    root = FIXTURES / "observed_service"
    result = prodready_lint.scan([root], root=root, select=["SIG"], cache=False)
    assert result.findings == () and result.errors == ()
    by_rule: dict[str, set] = {}
    for evidence in result.evidence:
        by_rule.setdefault(evidence.rule_id, set()).add((evidence.path, evidence.span.line))
    assert by_rule["SIG001"] >= {("app/main.py", 4), ("pyproject.toml", 7), ("app/main.py", 11)}
    assert ("app/main.py", 6) in by_rule["SIG002"] and ("pyproject.toml", 8) in by_rule["SIG002"]
    assert by_rule["SIG003"] == {("Dockerfile", 2)}
    assert ("app/main.py", 9) in by_rule["SIG004"]
    assert ("app/main.py", 3) in by_rule["SIG006"]
    assert {("app/main.py", 22), ("deploy/deployment.yaml", 7), ("deploy/deployment.yaml", 12)} <= by_rule["SIG007"]
    assert ("app/main.py", 7) in by_rule["SIG008"]
    assert by_rule["SIG009"] == {("docs/runbooks/orders.md", 1), ("docs/runbooks/rollback.md", 1)}
    assert by_rule["SIG010"] == {("docs/runbooks/rollback.md", 1)}
    assert all(e.checklist for e in result.evidence)


def test_evidence_in_json_and_sarif(tmp_path: Path) -> None:
    repo = git_init(tmp_path)
    (repo / "app.py").write_text("from prometheus_client import Counter\n", encoding="utf-8")
    report = json.loads(run_cli("scan", "--select", "SIG002", "--format", "json", ".", cwd=repo).stdout)
    assert report["evidence"] == [
        {
            "rule_id": "SIG002",
            "message": "metrics: Prometheus client (prometheus_client)",
            "location": {"path": "app.py", "line": 1, "column": 1, "end_line": 1, "end_column": 38},
            "checklist": ["metrics"],
        }
    ]
    sarif = json.loads(run_cli("scan", "--select", "SIG002", "--format", "sarif", ".", cwd=repo).stdout)
    assert sarif["runs"][0]["properties"]["prodready-lint/evidence"] == report["evidence"]
    assert sarif["runs"][0]["results"] == []


def test_build_files_are_read_targets_and_calls_followed() -> None:
    from prodready_lint.sdk import FileKind, build_invocations, build_targets, load

    makefile = load(
        "Makefile",
        ".PHONY: verify\nPY ?= python3\nSRC := src \\\n    tests\n\nverify: lint ; @echo go\n\t$(MAKE) -C api unit\n"
        "\t-@$(PY) -m pytest -q\n\n%.o: %.c\n\tcc $<\n\nlint:\n\truff check .\n",
    )
    assert makefile.kind is FileKind.BUILD
    targets = build_targets(makefile)
    assert list(targets) == ["verify", "lint"]
    verify = targets["verify"]
    assert (verify.span.line, verify.prerequisites) == (6, ("lint",))
    assert [(span.line, span.column, text) for span, text in verify.commands] == [
        (7, 2, "$(MAKE) -C api unit"),
        (8, 4, "$(PY) -m pytest -q"),
    ]
    just = build_targets(
        load("justfile", 'set shell := ["bash", "-c"]\n\ncheck: lint (unit "-q")\n\nunit *ARGS:\n    pytest {{ARGS}}\n')
    )
    assert {name: t.prerequisites for name, t in just.items()} == {"check": ("lint", "unit"), "unit": ()}
    calls = build_invocations("- run: make -C services/api -j 4 verify PY=python3 && just lint  # then\n- gmake\n")
    assert [(c.tool, c.directory, c.targets) for c in calls] == [
        ("make", "services/api", ("verify",)),
        ("just", "", ("lint",)),
        ("make", "", ()),
    ]
    assert load("ci/Jenkinsfile.release", "pipeline {}\n").kind is FileKind.BUILD
