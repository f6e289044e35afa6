"""The README's promises that code can check: its example rule works, its commands exist."""

from __future__ import annotations

import re

from prodready_lint.sdk.testing import assert_examples

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_sdk_example_rule_is_a_working_rule(tmp_path) -> None:
    block = re.search(r"````python\n(.*?)\n````", README, re.DOTALL)
    assert block, "the README lost its example rule"
    namespace: dict = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    rule = namespace["PrintInService"]
    assert_examples(rule)
    import prodready_lint

    (tmp_path / "app.py").write_text('def main():\n    print("x")\n\ndef cli():\n    print("y")\n', encoding="utf-8")
    result = prodready_lint.scan(
        [tmp_path],
        rules=[rule],
        installed_rules=False,
        cache=False,
        config={"rules": {"ACME001": {"allow-in": ["cli"]}}},
    )
    assert [(f.line, f.rule_id) for f in result.findings] == [(2, "ACME001")]


def _readme_rules() -> list:
    from prodready_lint.sdk import Rule

    rules = []
    for block in re.findall(r"````python\n(.*?)\n````", README, re.DOTALL):
        namespace: dict = {}
        exec(compile(block, "README.md", "exec"), namespace)
        rules += [v for v in namespace.values() if isinstance(v, type) and issubclass(v, Rule) and "id" in v.__dict__]
    return rules


def test_every_rule_in_the_readme_behaves_as_its_docs_say() -> None:
    rules = _readme_rules()
    kinds = {kind for rule in rules for kind in rule.metadata().kinds}
    from prodready_lint.sdk import FileKind

    # one rule per kind with a model of its own, and a repository rule
    assert {FileKind.PYTHON, FileKind.DOCKERFILE, FileKind.YAML, FileKind.TERRAFORM, FileKind.SQL} <= kinds
    assert {FileKind.ENV, FileKind.REQUIREMENTS} <= kinds
    assert any(rule.metadata().repo_level for rule in rules)
    assert_examples(rules)


def test_the_readme_names_the_ci_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = 'python -m pip install -e ".[test]" && python -m pytest -n auto'
    assert command in README and ci.rstrip().endswith(command)


def test_the_rules_table_lists_every_builtin_rule() -> None:
    from prodready_lint.rules import PACK

    for rule in PACK.rules:
        meta = rule.metadata()
        assert f"| {meta.id} | {meta.name} |" in README, meta.id
