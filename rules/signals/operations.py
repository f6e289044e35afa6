"""Operations signals: runbooks, rollback documentation, a CI pipeline that runs the tests."""

from __future__ import annotations

import re
from typing import Any

from prodready_lint.sdk import (
    Confidence,
    FileKind,
    RepoContext,
    Repository,
    Severity,
    SourceFile,
    build_file_names,
    build_invocations,
    build_targets,
    ci_anchor,
    is_ci_config,
)

from ._base import ANCHOR_TRIGGERS, SignalRule

_DOCS = frozenset({FileKind.YAML, FileKind.TOML, FileKind.DOCKERFILE, FileKind.REQUIREMENTS})


class Runbooks(SignalRule):
    """Runbooks exist for the service.

    ## What it does
    Records runbooks as evidence for the `runbooks` checklist item: files and folders
    named `runbook` or `playbook` (`RUNBOOK.md`, `docs/runbooks/`, `ops/playbooks/db.md`),
    and alert rules carrying a `runbook_url` annotation. A service that shows none gets
    one informational finding at its project file.

    ## Why is this bad?
    At 3 a.m. the on-call engineer needs the steps, the dashboards and the escalation
    path written down, not rediscovered.

    ## Example
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "shop.wsgi"]
    ```

    ## Use instead
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "shop.wsgi"]
    ```
    ```text title="docs/runbooks/shop.md"
    # Shop runbook
    High error rate: check the payments dashboard, then ...
    ```

    ## Notes
    A signal: the file is found, not judged. Runbooks kept in a wiki are invisible here:
    link them from the repository (a `RUNBOOK.md` pointing at them counts).
    """

    id = "SIG009"
    name = "runbook-signal"
    summary = "runbooks exist (signal)"
    checklist = ("runbooks",)
    severity = Severity.INFO
    cwe = (1059,)
    references = ("https://sre.google/sre-book/being-on-call/",)
    kinds = _DOCS
    collect_triggers = (*ANCHOR_TRIGGERS, "runbook_url")
    text_kinds = frozenset({FileKind.YAML})
    signal = "runbook"
    paths = {
        "*runbook*": "runbook document",
        "*RUNBOOK*": "runbook document",
        "*Runbook*": "runbook document",
        "*/runbooks/*": "runbook document",
        "*playbook*.md": "playbook document",
        "*/playbooks/*.md": "playbook document",
    }
    text = {r"\brunbook_url\s*:": "alert rule with a runbook_url"}
    missing = (
        "no runbook found: write down how to diagnose and fix this service's known failures "
        "(RUNBOOK.md or docs/runbooks/) and link it from the alerts"
    )


class RollbackDocumented(SignalRule):
    """The rollback procedure is documented.

    ## What it does
    Records rollback documentation as evidence for the `rollback` checklist item: files
    named for rollbacks (`ROLLBACK.md`, `docs/rollback.md`, `runbooks/rollback-release.md`)
    and Argo Rollouts / Flagger objects, which roll back automatically. A service that
    shows none gets one informational finding at its project file.

    ## Why is this bad?
    A bad release needs undoing in minutes; working out how (which image, which
    migration downgrade, which feature flag) during the incident takes hours.

    ## Example
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "shop.wsgi"]
    ```

    ## Use instead
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "shop.wsgi"]
    ```
    ```text title="docs/rollback.md"
    # Rollback
    Re-deploy the previous image tag: `make deploy TAG=<previous>` ...
    ```

    ## Notes
    A signal: the file is found by its name, not read. Migration downgrades are checked
    by the migration rules.
    """

    id = "SIG010"
    name = "rollback-doc-signal"
    summary = "rollback procedure documented (signal)"
    checklist = ("rollback",)
    severity = Severity.INFO
    cwe = (1059,)
    references = ("https://sre.google/workbook/canarying-releases/",)
    kinds = _DOCS
    collect_triggers = (*ANCHOR_TRIGGERS, "Rollout", "Canary")
    signal = "rollback"
    paths = {"*rollback*": "rollback document", "*ROLLBACK*": "rollback document", "*Rollback*": "rollback document"}
    text_kinds = frozenset({FileKind.YAML})
    text = {r"^kind:\s*(Rollout|Canary)\s*$": "progressive delivery with automatic rollback"}
    missing = (
        "no rollback procedure found: document how to roll a release back (previous image, migration downgrade, "
        "feature flags) in the repository"
    )


_TESTS = re.compile(
    r"\b(py\.?test|tox|nox|unittest|coverage\s+run|manage\.py\s+test|make\s+(check|ci)|go\s+test|cargo\s+test)\b|"
    r"(?<![a-z0-9])(tests?|e2e|spec|specs)(?![a-z])",
    re.I,
)


class CiRunsTests(SignalRule):
    """A CI pipeline runs the tests.

    ## What it does
    Records CI pipelines (GitHub Actions, GitLab CI, CircleCI, Azure Pipelines, Jenkins
    `Jenkinsfile`s, ...) that run the tests (pytest, tox, nox, unittest, `manage.py test`,
    `make test`, ...) as evidence for the `ci-pipeline` checklist item, and reports a
    repository whose pipelines never run them, at the first pipeline's `jobs:` line. A
    pipeline that runs a make target or a just recipe (`make verify`, `make -C api ci`,
    `just check`) runs the tests when that target does: its recipe, its prerequisites and
    the targets it runs with `$(MAKE)`, followed through the repository's `Makefile` or
    `justfile`.

    ## Why is this bad?
    A pipeline that builds and deploys without running the tests ships whatever was
    pushed: the tests only protect production if nothing merges or deploys without them.

    ## Example
    ```yaml title=".github/workflows/deploy.yml"
    on: {push: {branches: [main]}}
    jobs:
      deploy:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: make release
    ```
    ```make title="Makefile"
    release: build
    \t./deploy.sh

    build:
    \tdocker build -t shop .
    ```

    ## Use instead
    ```yaml title=".github/workflows/deploy.yml"
    on: {push: {branches: [main]}}
    jobs:
      deploy:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: make release
    ```
    ```make title="Makefile"
    release: verify build
    \t./deploy.sh

    verify:
    \tpython -m pytest -q

    build:
    \tdocker build -t shop .
    ```

    ## Notes
    A pipeline that runs a script whose name does not say test (`./ci.sh`) is not
    followed into the script: suppress the finding with the reason. Make targets and just
    recipes are followed in the `Makefile` (`GNUmakefile`, `makefile`) or `justfile` of
    the directory they run in (`-C DIR`, `--directory`, `-f DIR/Makefile`).
    """

    id = "SIG011"
    name = "ci-runs-tests"
    summary = "CI pipeline runs the tests"
    checklist = ("ci-pipeline",)
    severity = Severity.LOW
    cwe = (710,)
    references = ("https://docs.github.com/en/actions/automating-builds-and-tests/building-and-testing-python",)
    confidence = Confidence.MEDIUM
    kinds = frozenset({FileKind.YAML, FileKind.BUILD})
    # pipelines (YAML, Jenkinsfiles), and make/just files with a step that runs tests
    collect_triggers = ("jobs", "stages", "steps", "script", "pipeline", "stage(", "test", "tox", "nox", "spec", "e2e")
    signal = "CI runs the tests"

    def collect(self, file: SourceFile, ctx: Any) -> Any:
        if is_ci_config(file.path):
            match = _TESTS.search(file.text)
            if match is None:
                calls = []
                for call in build_invocations(file.text):
                    end = file.text.find("\n", call.offset)
                    span = file.span_from_offsets(call.offset, end if end != -1 else len(file.text))
                    calls.append([span, call.tool, call.directory, list(call.targets)])
                return {"evidence": [], "pipeline": ci_anchor(file), "calls": calls}
            end = file.text.find("\n", match.start())
            span = file.span_from_offsets(match.start(), end if end != -1 else len(file.text))
            return {"evidence": [[span, f"runs {match.group(0)}"]], "pipeline": ci_anchor(file)}
        if file.kind is not FileKind.BUILD:
            return None
        tool = "just" if file.path.rsplit("/", 1)[-1] in build_file_names("just") else "make"
        targets = {}
        for name, target in build_targets(file).items():
            runs = next(([span, command] for span, command in target.commands if _TESTS.search(command)), None)
            then = [["", prerequisite] for prerequisite in target.prerequisites]
            for _, command in target.commands:
                then += [[c.directory, t] for c in build_invocations(command) if c.tool == tool for t in c.targets]
            targets[name] = {"runs": runs, "then": then}
        return {"evidence": [], "targets": targets, "default": next(iter(targets), None)} if targets else None

    def judge(self, repo: Repository, ctx: RepoContext) -> None:
        pipelines = sorted(path for path, facts in repo.facts.items() if "pipeline" in facts)
        if not pipelines:
            return
        seen = any(repo.facts[path]["evidence"] for path in pipelines)
        for path in pipelines:
            if repo.facts[path]["evidence"]:
                continue
            for span, tool, directory, targets in repo.facts[path].get("calls", ()):
                found = _runs_tests(repo.facts, tool, directory, targets)
                if found is not None:
                    name, where, line, command = found
                    ctx.evidence(path, span, f"{self.signal}: runs {tool} {name} ({where}:{line} runs {command})")
                    seen = True
                    break
        if seen:
            return
        first = pipelines[0]
        others = f" (nor do the other {len(pipelines) - 1})" if len(pipelines) > 1 else ""
        ctx.report(
            first,
            repo.facts[first]["pipeline"],
            f"the CI pipeline {first} never runs the tests{others}: add a test step (pytest, tox) that gates "
            "merges and deploys",
        )


def _build_file(facts: Any, tool: str, directory: str) -> str | None:
    """The Makefile or justfile ``tool`` reads in ``directory`` (repository-relative)."""
    prefix = f"{directory.strip('./')}/" if directory.strip("./") else ""
    return next(
        (f"{prefix}{name}" for name in build_file_names(tool) if "targets" in facts.get(f"{prefix}{name}", {})), None
    )


def _runs_tests(facts: Any, tool: str, directory: str, targets: list[str]) -> tuple[str, str, int, str] | None:
    """The first test command ``tool targets`` runs in ``directory``, following
    prerequisites and ``$(MAKE) target`` calls: (target, file, line, command)."""
    start = _build_file(facts, tool, directory)
    if start is None:
        return None
    names = targets or [facts[start]["default"]]
    stack = [(start, name, name) for name in reversed(names)]
    visited = set()
    while stack and len(visited) < 200:
        where, name, called = stack.pop()
        if (where, name) in visited:
            continue
        visited.add((where, name))
        target = facts[where]["targets"].get(name)
        if target is None:
            continue
        if target["runs"] is not None:
            span, command = target["runs"]
            return called, where, span.line, command
        base = where.rsplit("/", 1)[0] if "/" in where else ""
        for sub, next_name in reversed(target["then"]):
            next_file = where if not sub else _build_file(facts, tool, f"{base}/{sub}" if base else sub)
            if next_file is not None:
                stack.append((next_file, next_name, called))
    return None
