"""DEP001: pinned dependencies with known vulnerabilities (pip-audit, on request)."""

from __future__ import annotations

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
    audit_packages,
    declared_dependencies,
)

from ._common import covered_by_lock, dependency_file


class VulnerableDependency(RepoRule):
    """A pinned dependency has a known vulnerability.

    ## What it does
    When the dependency audit is asked for (`prodready-lint scan --audit-deps`, or
    `audit-deps = true` in the configuration), checks every pinned dependency of
    `requirements*.txt`, `pyproject.toml`, `Pipfile` and the lock files (`poetry.lock`,
    `uv.lock`, `pylock.toml`, `Pipfile.lock`) against the OSV vulnerability database through
    pip-audit, and reports each advisory on the requirement's line with its id, the alias
    CVEs and the version that fixes it.

    What the audit cannot cover is never passed as clean: a dependency that is not pinned
    to one version (and no lock file pins it), or any package when the vulnerability service
    cannot be reached, times out or fails, is reported as `could not audit: <reason>` (a
    `could-not-audit` problem in the text, JSON and SARIF outputs, which makes a run with no
    findings exit with 3). pip-audit itself prints "No known vulnerabilities found" when the
    service is down; this rule does not.

    ## Why is this bad?
    A dependency with a published vulnerability is the easiest way into a service: the
    advisory tells an attacker what to send.

    ## Example
    ```requirements
    requests==2.19.0
    ```

    ## Use instead
    ```requirements
    requests==2.32.3
    ```

    ## Notes
    Without `--audit-deps` the rule makes no network access and reports nothing. The
    audit is bounded by `audit-timeout` (60 seconds by default) for all packages together;
    `--audit-data FILE` (or `audit-data`) audits against an offline OSV data file (a JSON
    list of OSV records, `{"vulns": [...]}`, or JSON lines) instead of the service, and
    `audit-service-url` points at an OSV mirror. OSV answers nothing for a package it does
    not know (a private package), so such a package passes as having no known advisory.
    Unpinned requirements are also reported by DEP002 (`unpinned-dependency`).
    """

    id = "DEP001"
    name = "vulnerable-dependency"
    summary = "pinned dependency with a known vulnerability"
    checklist = ("dependency-vulnerabilities",)
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (1395,)
    kinds = frozenset({FileKind.REQUIREMENTS, FileKind.TOML, FileKind.JSON})
    references = (
        "https://pypi.org/project/pip-audit/",
        "https://osv.dev/",
    )

    def collect(self, file: SourceFile, ctx: Context) -> Any:
        if not dependency_file(file.path):
            return None
        found = [[d.name, d.version, d.spec, d.span, d.source] for d in declared_dependencies(file)]
        return found or None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        if ctx.audit is None:
            return
        locks = [info.path for info in repo.files if info.path.rsplit("/", 1)[-1] in LOCK_FILES]
        pinned: list[tuple[str, str, str, Any]] = []
        for path, found in sorted(repo.facts.items()):
            for name, version, spec, span, source in found:
                if version is not None:
                    pinned.append((path, name, version, span))
                elif source != "lock" and not covered_by_lock(path, locks):
                    what = f"{name}{spec}" if spec else name
                    ctx.could_not_audit(
                        path, span, f"{what} is not pinned to one version, so no version can be audited"
                    )
        results = audit_packages(((name, version) for _, name, version, _ in pinned), ctx.audit)
        for path, name, version, span in pinned:
            outcome = results.get((name, version))
            if outcome is None:
                continue
            if outcome.error is not None:
                ctx.could_not_audit(path, span, f"{name} {version}: {outcome.error}")
                continue
            for vulnerability in outcome.vulnerabilities:
                aliases = ", ".join(vulnerability.aliases)
                known = f" ({aliases})" if aliases else ""
                fix = (
                    f"upgrade to {vulnerability.fixed_in[0]} or later"
                    if vulnerability.fixed_in
                    else "no fixed version is published: replace or isolate it"
                )
                summary = vulnerability.summary
                if len(summary) > 160:
                    summary = summary[:157].rstrip() + "..."
                ctx.report(
                    path,
                    span,
                    f"{name} {version} has a known vulnerability {vulnerability.id}{known}: {summary}; {fix}",
                )
