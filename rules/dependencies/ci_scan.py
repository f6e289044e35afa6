"""DEP003: a CI pipeline that never scans the dependencies for vulnerabilities."""

from __future__ import annotations

import re
from typing import Any

from prodready_lint.sdk import (
    LOCK_FILES,
    Confidence,
    Context,
    FileKind,
    RepoContext,
    RepoRule,
    Repository,
    Severity,
    SourceFile,
    ci_anchor,
    classify,
    deploys_service,
    is_ci_config,
)

# A dependency vulnerability scanner being run or configured.
SCANNERS = re.compile(
    r"pip-audit|pip_audit|gh-action-pip-audit|\bsafety\s+(check|scan)\b|pyupio/safety|osv-scanner|"
    r"google/osv-scanner|\bsnyk\b|trivy\s+(fs|repo|filesystem)|aquasecurity/trivy-action|\bgrype\b|"
    r"dependency-review-action|--audit-deps|audit-deps\s*=\s*true|dependency-check|"
    r"github/codeql-action/analyze|renovate|semgrep\s+ci|\bjake\b|\bmend\b|whitesource",
    re.IGNORECASE,
)
_TESTS = re.compile(r"\b(py\.?test|tox|nox|unittest)\b|(?<![a-z0-9])tests?(?![a-z])", re.I)
# Files a pipeline delegates to, where the scanner may be run instead (with the make
# and just files of kind build: Makefile, GNUmakefile, *.mk, justfile).
_DELEGATES = frozenset({"tox.ini", ".pre-commit-config.yaml", "pyproject.toml"})


class NoDependencyScanInCi(RepoRule):
    """The CI pipeline never checks dependencies for known vulnerabilities.

    ## What it does
    Checks that a repository with Python dependencies and a CI pipeline (GitHub Actions,
    GitLab CI, CircleCI, Azure Pipelines, a Jenkinsfile, ...) runs a dependency vulnerability
    scanner somewhere: pip-audit (or its GitHub action), Safety, OSV-Scanner, Snyk,
    Trivy, Grype, GitHub's dependency-review action, `prodready-lint --audit-deps`, or
    Dependabot/Renovate-style configuration, in the pipeline itself or in what it runs
    (`tox.ini`, a `Makefile`, a `justfile`, `.pre-commit-config.yaml`, `pyproject.toml`
    scripts).

    ## Why is this bad?
    Advisories are published every day against versions that were clean when they were
    pinned. Without a scan on every change (and on a schedule) nobody learns that the
    service ships a known vulnerability.

    ## Example
    ```yaml title=".github/workflows/ci.yml"
    on: [push]
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: pip install -r requirements.txt && pytest
    ```
    ```requirements title="requirements.txt"
    flask==3.0.3
    ```
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "app:app"]
    ```

    ## Use instead
    ```yaml title=".github/workflows/ci.yml"
    on: [push]
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: pip install -r requirements.txt && pytest
          - uses: pypa/gh-action-pip-audit@v1.1.0
            with: {inputs: requirements.txt}
    ```
    ```requirements title="requirements.txt"
    flask==3.0.3
    ```
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "app:app"]
    ```

    ## Notes
    Only repositories that deploy a service are checked (a Dockerfile, a compose file, a
    Procfile, a chart, `wsgi.py`/`asgi.py`, `manage.py`): a library's users audit the
    versions they install. The finding points at the `jobs:` (or `stages:`) line of the
    pipeline that runs the tests, else of the first pipeline.
    A `.github/dependabot.yml` alone does not count: it proposes version updates, and its
    security alerts live in the repository settings, where code cannot see them.
    """

    id = "DEP003"
    name = "no-dependency-scan-in-ci"
    summary = "CI pipeline never scans dependencies for known vulnerabilities"
    checklist = ("dependency-vulnerabilities", "ci-pipeline")
    severity = Severity.MEDIUM
    cwe = (1395,)
    confidence = Confidence.MEDIUM
    kinds = frozenset(
        {FileKind.YAML, FileKind.INI, FileKind.TOML, FileKind.REQUIREMENTS, FileKind.JSON, FileKind.BUILD}
    )
    # pipelines, scanners, and dependency declarations
    collect_triggers = (
        "jobs",
        "stages",
        "steps",
        "script",
        "pipeline",
        "audit",
        "safety",
        "osv-scanner",
        "snyk",
        "trivy",
        "grype",
        "dependency-",
        "renovate",
        "==",
        ">=",
        "~=",
        "[[package]]",
        "dependencies",
        "_meta",
        "packages",
    )
    references = ("https://github.com/pypa/gh-action-pip-audit",)

    def collect(self, file: SourceFile, ctx: Context) -> Any:
        path = file.path
        base = path.rsplit("/", 1)[-1]
        if is_ci_config(path):
            text = file.text
            return {"ci": ci_anchor(file), "scan": bool(SCANNERS.search(text)), "tests": bool(_TESTS.search(text))}
        if base in _DELEGATES or file.kind is FileKind.BUILD or base.startswith("renovate") or base == ".renovaterc":
            return {"scan": True} if SCANNERS.search(file.text) or base.startswith("renovate") else None
        if base in LOCK_FILES or classify(path) is FileKind.REQUIREMENTS or base in ("pyproject.toml", "Pipfile"):
            return {"deps": True}
        return None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        facts = repo.facts
        if any(f.get("scan") for f in facts.values()) or not any(f.get("deps") for f in facts.values()):
            return
        if not deploys_service(info.path for info in repo.files):
            return  # a library's users audit the versions they install
        pipelines = sorted(path for path, f in facts.items() if "ci" in f)
        if not pipelines:
            return
        # the pipeline that runs the tests is where the scan belongs
        first = next((path for path in pipelines if facts[path]["tests"]), pipelines[0])
        others = f" (nor do the other {len(pipelines) - 1})" if len(pipelines) > 1 else ""
        ctx.report(
            first,
            facts[first]["ci"],
            f"the CI pipeline {first} runs no dependency vulnerability scanner{others}: "
            "add pip-audit (pypa/gh-action-pip-audit) or prodready-lint --audit-deps, "
            "on every change and on a schedule",
        )
