"""The rule SDK: metadata validated at definition time, docs, options, packs, harness."""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest
from prodready_lint.rules import PACK as BUILTIN
from prodready_lint.sdk import (
    CHECKLIST,
    Confidence,
    FileKind,
    Option,
    Rule,
    RuleDefinitionError,
    RulePack,
    Severity,
    redact,
)
from prodready_lint.sdk.docs import parse_docs
from prodready_lint.sdk.testing import assert_examples, assert_fixture, check_examples, check_fixture, read_markers

import prodready_lint

sys.path.insert(0, str(Path(__file__).parent / "example_pack"))
import acme_rules

FIXTURES = Path(__file__).parent / "fixtures"

GOOD_DOC = """Flags print calls.

## What it does
Checks for `print()`.

## Why is this bad?
Services should log.

## Example
```python
print("hello")
```

## Use instead
```python
import logging
logging.getLogger(__name__).info("hello")
```
"""


def make_rule(**overrides):
    attributes = {
        "__doc__": GOOD_DOC,
        "id": "DEMO001",
        "name": "print-call",
        "summary": "print() in service code",
        "checklist": ("structured-logging",),
        "severity": Severity.LOW,
        "triggers": ("print",),
        "check": lambda self, file, ctx: [
            ctx.report(call, "print() call") for call in file.calls if call.qualname == "builtins.print"
        ],
    }
    attributes.update(overrides)
    attributes = {k: v for k, v in attributes.items() if v is not ...}
    return type("PrintCall", (Rule,), attributes)


def test_a_well_formed_rule_gets_metadata() -> None:
    meta = make_rule().metadata()
    assert (meta.id, meta.name, meta.severity, meta.confidence) == (
        "DEMO001",
        "print-call",
        Severity.LOW,
        Confidence.HIGH,
    )
    assert meta.kinds == frozenset({FileKind.PYTHON})
    assert meta.category == "Observability"
    assert meta.docs.summary == "Flags print calls."
    assert [section for section, _ in meta.docs.sections] == [
        "What it does",
        "Why is this bad?",
        "Example",
        "Use instead",
    ]
    assert meta.docs.bad[0][0].filename == "example.py"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"id": "tmo1"}, "id 'tmo1' must be"),
        ({"id": "TMO"}, "id 'TMO' must be"),
        ({"name": "Print Call"}, "kebab-case"),
        ({"summary": "two\nlines"}, "summary must be one non-empty line"),
        ({"checklist": ()}, "at least one checklist slug"),
        ({"checklist": ("Not A Slug",)}, "must be kebab-case"),
        ({"severity": "high"}, "severity must be a Severity"),
        ({"kinds": frozenset()}, "kinds must be a non-empty set"),
        ({"cwe": ("CWE-1",)}, "cwe must be a tuple of CWE numbers"),
        ({"summary": ...}, "missing class attribute 'summary'"),
        ({"__doc__": "Only a summary."}, "lacks the section(s) '## What it does'"),
        (
            {"__doc__": GOOD_DOC.replace('```python\nprint("hello")\n```', "no code")},
            "'## Example' needs a fenced code block",
        ),
        ({"__doc__": GOOD_DOC.replace("```python\nprint", "```cobol\nprint")}, "language 'cobol'"),
        (
            {"options": (Option("severity", "str", "x", "reserved"),)},
            "option names must be unique and not 'severity'",
        ),
    ],
)
def test_broken_rules_fail_when_defined_with_a_clear_message(overrides, message) -> None:
    with pytest.raises(RuleDefinitionError, match=re.escape(message)):
        make_rule(**overrides)


def test_intermediate_base_classes_are_not_validated() -> None:
    class Base(Rule):
        """No docs needed: this class declares no id."""

    with pytest.raises(RuleDefinitionError, match="not a concrete rule"):
        Base.metadata()


def test_options_validate_and_freeze_values() -> None:
    option = Option("extra-factories", "list[str]", [], "Factories.")
    assert option.coerce(["a.b"]) == ("a.b",)
    assert option.default_value == ()
    with pytest.raises(ValueError, match="expected list\\[str\\]"):
        option.coerce("a.b")
    assert Option("limit", "float", 1.0, "x").coerce(3) == 3.0
    with pytest.raises(ValueError):
        Option("limit", "int", 1, "x").coerce(True)
    with pytest.raises(ValueError, match="kebab-case"):
        Option("Bad_Name", "int", 1, "x")
    rule = make_rule(options=(Option("max-calls", "int", 3, "How many prints are fine."),))
    assert rule().settings["max-calls"] == 3
    assert rule({"max-calls": 7}).settings["max-calls"] == 7
    documentation = rule.metadata().documentation()
    assert "## Options" in documentation and "`max-calls` (int, default `3`)" in documentation


def test_packs_reject_duplicates_and_non_rules() -> None:
    rule = make_rule()
    with pytest.raises(RuleDefinitionError, match="declared twice"):
        RulePack("demo", "1", (rule, rule))
    with pytest.raises(RuleDefinitionError, match="is not a Rule subclass"):
        RulePack("demo", "1", (object,))


def test_builtin_rules_are_well_formed_and_documented() -> None:
    ids = [rule.metadata().id for rule in BUILTIN.rules]
    assert len(ids) == len(set(ids))
    for rule in BUILTIN.rules:
        meta = rule.metadata()
        assert all(slug in CHECKLIST for slug in meta.checklist), meta.id
        assert meta.references and meta.references[0].startswith("https://"), meta.id
        assert meta.cwe, meta.id
        assert rule.__module__.startswith("prodready_lint.rules."), meta.id


def test_builtin_rules_import_only_the_sdk() -> None:
    rules_dir = Path(__file__).resolve().parents[1] / "rules"
    for source in rules_dir.rglob("*.py"):
        for line in source.read_text(encoding="utf-8").splitlines():
            match = re.match(r"\s*(?:from|import)\s+(prodready_lint[\w.]*)", line)
            allowed = ("prodready_lint.sdk", "prodready_lint._version")
            if match and match.group(1) not in allowed and not match.group(1).startswith("prodready_lint.sdk."):
                pytest.fail(f"{source.name} imports {match.group(1)}: built-in rules use only the SDK")


def test_checklist_matches_the_shared_checklist(shared_dir: Path) -> None:
    text = (shared_dir / "CHECKLIST.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| ([A-Za-z ]+?) \| .* \| (auto|signal|attest) \|$", text, re.MULTILINE)
    assert rows, "no checklist rows found"
    assert {slug: (category, kind) for slug, category, kind in rows} == {
        slug: (item.category, item.kind) for slug, item in CHECKLIST.items()
    }


def test_markers_trailing_standalone_repeated_and_inside_strings() -> None:
    text = textwrap.dedent(
        """\
        a = call()  # expect: TMO001
        # expect: TMO001, TMO001
        # ok: TMO002

        b = call(call())
        text = "# expect: TMO009 is just a string"
        c = call()  # ok: TMO001
        """
    )
    markers = read_markers(text)
    assert markers.expect == {1: {"TMO001": 1}, 5: {"TMO001": 2}}
    assert markers.ok == {5: {"TMO002"}, 7: {"TMO001"}}


def test_markers_in_other_comment_styles() -> None:
    sql = "-- expect: MIG001\nDROP TABLE users;\nSELECT 1; -- ok: MIG001\n"
    assert read_markers(sql, python=False).expect == {2: {"MIG001": 1}}
    assert read_markers(sql, python=False).ok == {3: {"MIG001"}}


def test_fixture_check_reports_both_missing_and_unexpected(tmp_path: Path) -> None:
    fixture = tmp_path / "service.py"
    fixture.write_text(
        'print("starting")  # expect: DEMO001\nprint("ready")\nlog = "no call here"  # expect: DEMO001\n',
        encoding="utf-8",
    )
    report = check_fixture(fixture, [make_rule()])
    assert not report.ok
    assert report.missing == (("service.py", 3, "DEMO001"),)
    assert [(f.line, f.rule_id) for f in report.unexpected] == [(2, "DEMO001")]
    with pytest.raises(AssertionError, match="service.py:2: unexpected DEMO001"):
        assert_fixture(fixture, [make_rule()])


def test_fixture_markers_must_name_rules_under_test(tmp_path: Path) -> None:
    fixture = tmp_path / "service.py"
    fixture.write_text('print("x")  # expect: DEMO001\nx = 1  # ok: NOPE123\n', encoding="utf-8")
    report = check_fixture(fixture, [make_rule()])
    assert any("NOPE123" in error for error in report.errors)


def test_examples_that_do_not_behave_are_reported() -> None:
    wrong = make_rule(__doc__=GOOD_DOC.replace('logging.getLogger(__name__).info("hello")', 'print("still printing")'))
    assert check_examples(wrong) == ["DEMO001 Use instead #1: the rule reports 'print() call'"]
    with pytest.raises(AssertionError, match="Use instead #1"):
        assert_examples(wrong)


def test_third_party_pack_rules_on_yaml_dockerfile_and_the_whole_repository() -> None:
    assert_examples(acme_rules.PACK.rules)
    report = assert_fixture(FIXTURES / "acme" / "service", acme_rules.PACK.rules)
    positions = {(f.path, f.line, f.location.column, f.rule_id) for f in report.findings}
    assert positions == {
        ("Dockerfile", 2, 6, "ACME002"),
        ("deploy/ledger.yaml", 10, 11, "ACME001"),
        ("deploy/ledger.yaml", 16, 15, "ACME100"),
    }


def test_broken_yaml_is_reported_when_a_rule_reads_yaml_even_without_its_trigger(tmp_path: Path) -> None:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "values.yaml").write_text("replicas: 3\nimage: [ledger\n", encoding="utf-8")
    (tmp_path / "deploy" / "fine.yaml").write_text("replicas: 3\n", encoding="utf-8")
    result = prodready_lint.scan(
        [tmp_path], rules=[acme_rules.ContainerWithoutLimits], installed_rules=False, cache=False
    )
    assert [(e.path, e.kind) for e in result.errors] == [("deploy/values.yaml", "yaml")]
    assert result.errors[0].line is not None
    assert (result.stats.files_skipped, result.stats.files_failed) == (1, 1)


def test_multi_file_examples_form_one_repository() -> None:
    docs = acme_rules.ProbeWithoutRoute.metadata().docs
    assert [[f.filename for f in example] for example in docs.bad] == [["app/main.py", "deploy/api.yaml"]]


def test_docs_markdown_keeps_the_shape() -> None:
    docs = parse_docs(GOOD_DOC)
    markdown = docs.markdown()
    assert markdown.startswith("Flags print calls.\n\n## What it does\n")
    assert "## Use instead\n```python" in markdown


def test_redaction_keeps_length_and_hides_short_secrets() -> None:
    assert redact("AKIAIOSFODNN7EXAMPLE") == "AKIA" + "*" * 16
    assert redact("hunter2") == "*******"
    assert len(redact("x" * 40)) == 40


def test_every_public_name_of_the_sdk_is_documented_and_versioned() -> None:
    import inspect

    import prodready_lint.sdk as sdk
    from prodready_lint.sdk import testing
    from prodready_lint.sdk.versioning import parse_api_version

    names = [(sdk, name) for name in sdk.__all__] + [(testing, name) for name in testing.__all__]
    undocumented = [
        name
        for module, name in names
        if (inspect.isclass(getattr(module, name)) or inspect.isfunction(getattr(module, name)))
        and not (getattr(module, name).__doc__ or "").strip()
    ]
    assert undocumented == []
    changelog = (Path(__file__).resolve().parents[1] / "CHANGELOG.md").read_text(encoding="utf-8")
    assert parse_api_version(sdk.API_VERSION) and f"### {sdk.API_VERSION}\n" in changelog
