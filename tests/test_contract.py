"""The rule contract: strict definitions, honest repository rules, a cache that is never stale."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from prodready_lint.sdk import (
    Context,
    FileKind,
    Option,
    PythonFile,
    RepoContext,
    RepoRule,
    Repository,
    Rule,
    RuleDefinitionError,
    RulePack,
    Severity,
    SourceFile,
    Span,
)
from prodready_lint.sdk.testing import read_markers

import prodready_lint
from tests.conftest import run_cli, write_tree
from tests.test_packs_and_parallel import install_pack

DOC = """Flags something.

## What it does
Checks something.

## Why is this bad?
Because.

## Example
```python
print("hello")
```

## Use instead
```python
pass
```
"""


def define(base: type = Rule, **attributes):
    body = {
        "__doc__": DOC,
        "id": "DEMO001",
        "name": "demo-rule",
        "summary": "demo",
        "checklist": ("structured-logging",),
        "severity": Severity.LOW,
    }
    if base is Rule:
        body["check"] = lambda self, file, ctx: None
    else:
        body["check_repo"] = lambda self, repo, ctx: None
    body.update(attributes)
    body = {k: v for k, v in body.items() if v is not ...}
    return type("DemoRule", (base,), body)


@pytest.mark.parametrize(
    "attributes, message",
    [
        (
            {"triggers": "DEBUG"},
            "rule DEMO001 (tests.test_contract.DemoRule): triggers must be a tuple, got the string 'DEBUG'; write triggers = ('DEBUG',)",
        ),
        (
            {"references": "https://example.com/rule"},
            "references must be a tuple, got the string 'https://example.com/rule'",
        ),
        ({"references": ("see the wiki",)}, "references must be http(s) URLs, got 'see the wiki'"),
        (
            {"kinds": FileKind.YAML},
            "kinds must be a set of FileKind, got the single <FileKind.YAML: 'yaml'>; write kinds = frozenset({FileKind.YAML})",
        ),
        ({"cwe": 489}, "cwe must be a tuple, got int 489; write cwe = (489,)"),
        ({"checklist": "timeouts"}, "checklist must be a tuple, got the string 'timeouts'"),
        (
            {"options": (Option("limit", "int", "3", "how many"),)},
            "option 'limit' is declared int but its default '3' is a str",
        ),
        ({"check": ...}, "a rule must implement check(file, ctx)"),
        ({"triggers": (re.compile(""),)}, "triggers holds an empty regular expression"),
        ({"collect_triggers": ("x",)}, "collect_triggers is for repository rules"),
    ],
)
def test_every_definition_mistake_names_the_rule_the_attribute_and_the_fix(attributes, message) -> None:
    with pytest.raises(RuleDefinitionError, match=re.escape(message)):
        define(**attributes)


def test_repository_rules_need_check_repo_and_take_collect_triggers_not_triggers() -> None:
    with pytest.raises(RuleDefinitionError, match="must implement check_repo"):
        define(RepoRule, check_repo=...)
    with pytest.raises(RuleDefinitionError, match="declare collect_triggers"):
        define(RepoRule, triggers=("route",))
    assert define(RepoRule, collect_triggers=("route",)).metadata().collect_triggers == ("route",)


def test_packs_refuse_duplicate_rule_names_and_bad_names() -> None:
    first, second = define(id="DEMO001"), define(id="DEMO002")
    with pytest.raises(RuleDefinitionError, match="rules DEMO001 and DEMO002 are both named 'demo-rule'"):
        RulePack("demo", "1.0", (first, second))
    with pytest.raises(RuleDefinitionError, match="pack name 'Demo Pack'"):
        RulePack("Demo Pack", "1.0", (first,))


def test_markers_in_every_kind_and_lowercase_ids_are_mistakes() -> None:
    dockerfile = "FROM python:3.12\n# expect: ACME002\nUSER root\nRUN echo hi # expect: ACME002\n"
    markers = read_markers(dockerfile, kind=FileKind.DOCKERFILE)
    assert markers.expect == {3: {"ACME002": 1}}  # a trailing '#' in a Dockerfile is an argument
    hcl = 'resource "aws_db_instance" "db" {\n  storage_encrypted = false  # expect: ACME300\n  // ok: ACME301\n  port = 5432\n}\n'
    assert read_markers(hcl, kind=FileKind.TERRAFORM).expect == {2: {"ACME300": 1}}
    assert read_markers(hcl, kind=FileKind.TERRAFORM).ok == {4: {"ACME301"}}
    env = "# expect: ACME400\nDB_PASSWORD=hunter2\n"
    assert read_markers(env, kind=FileKind.ENV).expect == {2: {"ACME400": 1}}
    sql = "ALTER TABLE users DROP COLUMN email;  -- expect: ACME500\n"
    assert read_markers(sql, kind=FileKind.SQL).expect == {1: {"ACME500": 1}}
    wrong = read_markers("x = 1  # expect: acme003\n", kind=FileKind.PYTHON)
    assert wrong.expect == {} and wrong.problems == (
        "line 1: marker 'expect: acme003' must be written 'expect: ACME003' (rule ids are upper case)",
    )


class Crashes(Rule):
    """Crashes on every file.

    ## What it does
    Nothing.

    ## Why is this bad?
    It crashes.

    ## Example
    ```python
    import os
    ```

    ## Use instead
    ```python
    import sys
    ```
    """

    id = "BOOM001"
    name = "boom"
    summary = "crashes"
    checklist = ("error-handling",)
    severity = Severity.LOW

    def check(self, file, ctx):
        return helper_that_fails(file)


def helper_that_fails(file):
    raise KeyError(file.path)


class ReportsPastTheEnd(Rule):
    """Reports a span the file does not have.

    ## What it does
    Nothing.

    ## Why is this bad?
    Its spans are wrong.

    ## Example
    ```python
    import os
    ```

    ## Use instead
    ```python
    import sys
    ```
    """

    id = "PAST001"
    name = "past-the-end"
    summary = "reports past the end"
    checklist = ("error-handling",)
    severity = Severity.LOW

    def check(self, file, ctx):
        ctx.report(Span(len(file.lines) + 5), "nowhere")
        ctx.report(Span(1, 1, 1, 3), "somewhere")


def test_a_crash_keeps_its_traceback_and_a_span_outside_the_file_is_a_rule_error(repo: Path) -> None:
    write_tree(repo, {"app.py": "import os\n"})
    result = prodready_lint.scan([repo], rules=[Crashes, ReportsPastTheEnd], installed_rules=False, cache=False)
    assert [(f.rule_id, f.message) for f in result.findings] == [("PAST001", "somewhere")]
    crash, error = sorted(result.errors, key=lambda e: e.kind)
    assert (crash.kind, crash.message) == ("rule-crash", "rule BOOM001 crashed: KeyError: 'app.py'")
    assert "helper_that_fails" in crash.detail and "Traceback" in crash.detail
    assert (error.kind, error.path) == ("rule-error", "app.py")
    assert error.message == "rule PAST001 reported a span at line 7, past the end of the file (2 lines)"


def test_the_cli_shows_tracebacks_under_debug_and_json_always_carries_them(tmp_path: Path, repo: Path) -> None:
    source = (
        Path(__file__).read_text(encoding="utf-8").split("class Crashes(Rule):")[1].split("class ReportsPastTheEnd")[0]
    )
    pack = "from prodready_lint.sdk import Rule, RulePack, Severity\n\nclass Crashes(Rule):" + source
    pack += "\nPACK = RulePack('boom', '1.0', (Crashes,))\n"
    site = install_pack(tmp_path / "site", "boom_rules", pack, "boom = boom_rules:PACK")
    write_tree(repo, {"app.py": "import os\n"})
    env = {"PYTHONPATH": str(site)}
    plain = run_cli("scan", "--select", "boom", "--no-cache", cwd=repo, env=env)
    assert "rule BOOM001 crashed: KeyError: 'app.py'" in plain.stderr and "Traceback" not in plain.stderr
    debug = run_cli("scan", "--select", "boom", "--no-cache", "--debug", cwd=repo, env=env)
    assert "Traceback" in debug.stderr and "helper_that_fails" in debug.stderr
    report = json.loads(run_cli("scan", "--select", "boom", "--format", "json", "--no-cache", cwd=repo, env=env).stdout)
    assert "helper_that_fails" in report["errors"][0]["traceback"]
    assert [r["pack"] for r in report["rules"]] == ["boom"] and report["rules"][0]["pack_version"] == "1.0"


def test_two_distributions_with_packs_of_one_name_are_an_error_naming_both(tmp_path: Path, repo: Path) -> None:
    body = textwrap.dedent(
        """\
        from prodready_lint.sdk import RulePack
        from prodready_lint.rules.timeouts import RequestsWithoutTimeout
        PACK = RulePack("acme", "{version}", ({rules}))
        """
    )
    site = install_pack(tmp_path / "site", "acme_one", body.format(version="1.0", rules=""), "acme = acme_one:PACK")
    install_pack(site, "acme_two", body.format(version="2.0", rules=""), "acme2 = acme_two:PACK")
    write_tree(repo, {"client.py": "import requests\nrequests.get(url)\n"})
    proc = run_cli("scan", cwd=repo, env={"PYTHONPATH": str(site)})
    assert proc.returncode == 2
    assert (
        "two rule packs are named 'acme': distribution acme_one 1.0 (entry point 'acme') and "
        "distribution acme_two 1.0 (entry point 'acme2'); ignoring the second one" in proc.stderr
    )


ROUTES_FROM_PYTHON = re.compile(r"""@app\.get\("([^"]+)"\)""")


class HealthRouteSomewhere(RepoRule):
    """A service without a health route.

    ## What it does
    Collects the routes of every Python file and reports the app file when none is a
    health route.

    ## Why is this bad?
    Nothing can probe the service.

    ## Example
    ```python title="shop/app.py"
    app = make_app()
    ```

    ## Use instead
    ```python title="shop/app.py"
    app = make_app()
    ```

    ```python title="shop/health.py"
    @app.get("/healthz")
    def health(): ...
    ```
    """

    id = "HLTX001"
    name = "no-health-route"
    summary = "service without a health route"
    checklist = ("health-endpoints",)
    severity = Severity.MEDIUM
    kinds = frozenset({FileKind.PYTHON})

    def collect(self, file: SourceFile, ctx: Context):
        routes = [
            (m.group(1), file.span_from_offsets(m.start(1), m.end(1))) for m in ROUTES_FROM_PYTHON.finditer(file.text)
        ]
        app = next((n for n, line in enumerate(file.lines, 1) if line.startswith("app = ")), None)
        return {"routes": routes, "app": Span(app) if app else None}

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        routes = [route for facts in repo.facts.values() for route, _ in facts["routes"]]
        for path, facts in repo.facts.items():
            for _route, span in facts["routes"]:
                assert isinstance(span, Span), span  # spans travel through collected facts
            if facts["app"] is not None and "/healthz" not in routes:
                ctx.report(path, facts["app"], f"no health route among {len(repo.files)} files")


def test_repository_rules_collect_from_every_file_and_ignores_filter_only_reports(repo: Path, tmp_path: Path) -> None:
    write_tree(
        repo,
        {
            "shop/app.py": "app = make_app()\n",
            "shop/health.py": '@app.get("/healthz")\ndef health():\n    return "ok"\n',
            "README.md": "# shop\n",
            "deploy/shop.yaml": "kind: Deployment\n",
        },
    )
    config = {"per-file-ignores": {"shop/health.py": ["HLTX001"]}}
    for _ in range(2):  # fresh, then from the cache
        result = prodready_lint.scan(
            [repo], rules=[HealthRouteSomewhere], installed_rules=False, config=config, cache_dir=tmp_path / "c"
        )
        assert result.findings == () and result.errors == ()
    write_tree(repo, {"shop/health.py": '@app.get("/ping")\ndef health():\n    return "ok"\n'})
    result = prodready_lint.scan(
        [repo], rules=[HealthRouteSomewhere], installed_rules=False, config=config, cache_dir=tmp_path / "c"
    )
    assert [(f.path, f.line, f.message) for f in result.findings] == [
        ("shop/app.py", 1, "no health route among 4 files")
    ]


def test_a_per_file_ignore_still_drops_what_a_repository_rule_reports_there(repo: Path) -> None:
    write_tree(repo, {"shop/app.py": "app = make_app()\n"})
    config = {"per-file-ignores": {"shop/app.py": ["no-health-route"]}}
    result = prodready_lint.scan(
        [repo], rules=[HealthRouteSomewhere], installed_rules=False, config=config, cache=False
    )
    assert result.findings == ()


class UpperCaseDockerUser(Rule):
    """A Dockerfile USER instruction, whatever its case.

    ## What it does
    Reports USER lines.

    ## Why is this bad?
    It is a demonstration.

    ## Example
    ```dockerfile
    FROM python:3.12
    user app
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12
    ```
    """

    id = "CASE001"
    name = "docker-user"
    summary = "USER instruction"
    checklist = ("container-nonroot",)
    severity = Severity.LOW
    kinds = frozenset({FileKind.DOCKERFILE})
    triggers = ("user",)
    triggers_ignore_case = True

    def check(self, file, ctx):
        for number, line in enumerate(file.lines, 1):
            if line.lower().startswith("user "):
                ctx.report(Span(number), "USER")


class RegexTrigger(Rule):
    """Print calls, found through a regular-expression trigger.

    ## What it does
    Reports print calls.

    ## Why is this bad?
    It is a demonstration.

    ## Example
    ```python
    print("x")
    ```

    ## Use instead
    ```python
    printer = None
    ```
    """

    id = "RGX001"
    name = "print-regex"
    summary = "print"
    checklist = ("structured-logging",)
    severity = Severity.LOW
    triggers = (re.compile(r"\bprint\("),)

    def check(self, file: PythonFile, ctx):
        for call in file.calls:
            if call.qualname == "builtins.print":
                ctx.report(call, "print")


def test_triggers_ignore_case_and_regular_expressions(repo: Path) -> None:
    write_tree(repo, {"Dockerfile": "FROM python:3.12\nUser app\n", "a.py": "print(1)\n", "b.py": "printer = 1\n"})
    result = prodready_lint.scan([repo], rules=[UpperCaseDockerUser, RegexTrigger], installed_rules=False, cache=False)
    assert [(f.path, f.rule_id) for f in result.findings] == [("Dockerfile", "CASE001"), ("a.py", "RGX001")]
    assert result.stats.files_skipped == 1  # b.py: no trigger


def test_configured_file_kinds_come_before_the_built_in_names(repo: Path) -> None:
    write_tree(repo, {"build/app.docker": "FROM python:3.12\nUSER app\n", "deploy/api.j2": "kind: Deployment\n"})
    config = {"file-kinds": {"*.docker": "dockerfile", "deploy/*.j2": "yaml"}}
    result = prodready_lint.scan([repo], rules=[UpperCaseDockerUser], installed_rules=False, config=config, cache=False)
    assert [(f.path, f.rule_id) for f in result.findings] == [("build/app.docker", "CASE001")]
    bad = prodready_lint.scan(
        [repo],
        rules=[UpperCaseDockerUser],
        installed_rules=False,
        config={"file-kinds": {"*.x": "docker"}},
        cache=False,
    )
    assert [e.message for e in bad.errors if e.is_config] == [
        "file-kinds: unknown file kind 'docker'; kinds: python, yaml, json, toml, dockerfile, terraform, sql, env, ini, requirements, shell, pem, build, other; using the default"
    ]


HELPER = 'MESSAGE = "{text}"\n'
PACK_SOURCE = '''\
from prodready_lint.sdk import Rule, RulePack, Severity
from acme_pkg.messages import MESSAGE


class PrintCall(Rule):
    """print() in service code.

    ## What it does
    Reports print calls.

    ## Why is this bad?
    Services log.

    ## Example
    ```python
    print("x")
    ```

    ## Use instead
    ```python
    import logging
    ```
    """

    id = "ACMP001"
    name = "print-call"
    summary = "print() call"
    checklist = ("structured-logging",)
    severity = Severity.LOW
    triggers = ("print",)

    def check(self, file, ctx):
        for call in file.calls:
            if call.qualname == "builtins.print":
                ctx.report(call, MESSAGE)


PACK = RulePack("acme-pkg", "1.0", (PrintCall,))
'''


def test_the_cache_sees_an_edit_to_a_helper_module_of_an_installed_pack(tmp_path: Path, repo: Path) -> None:
    site = tmp_path / "site"
    write_tree(
        site,
        {
            "acme_pkg/__init__.py": "",
            "acme_pkg/rules.py": PACK_SOURCE,
            "acme_pkg/messages.py": HELPER.format(text="print() in service code"),
            "acme_pkg-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: acme-pkg\nVersion: 1.0\n",
            "acme_pkg-1.0.dist-info/entry_points.txt": "[prodready_lint.rules]\nacme = acme_pkg.rules:PACK\n",
        },
    )
    write_tree(repo, {"app.py": 'print("starting")\n'})
    env = {"PYTHONPATH": str(site)}

    def messages() -> list[str]:
        proc = run_cli("scan", "--select", "acme-pkg", "--format", "json", cwd=repo, env=env)
        report = json.loads(proc.stdout)
        return [f["message"] for f in report["findings"]]

    assert messages() == ["print() in service code"]
    (site / "acme_pkg" / "messages.py").write_text(HELPER.format(text="use logging, not print()"), encoding="utf-8")
    assert messages() == ["use logging, not print()"]
