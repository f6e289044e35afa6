"""Continuous-integration configuration: which files define a CI pipeline, and what they run.

:func:`is_ci_config` recognises GitHub Actions workflows, GitLab CI, CircleCI, Azure
Pipelines, Bitbucket Pipelines, Travis CI, Jenkins, Drone, Buildkite, Woodpecker and
Tekton/Cloud Build files by path. :func:`ci_anchor` is the line a finding about a whole
pipeline points at (its ``jobs:``/``stages:``/``steps:``/``pipeline`` line, never an
arbitrary first line).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

from .files import SourceFile
from .model import Span

__all__ = ["CI_PATTERNS", "ci_anchor", "deploys_service", "is_ci_config"]

# Files that say a repository deploys a service (not only a library).
_SERVICE_FILES = re.compile(
    r"(^|/)(Dockerfile[^/]*|[^/]*\.Dockerfile|Containerfile|(docker-)?compose[^/]*\.ya?ml|Procfile|app\.ya?ml|"
    r"fly\.toml|render\.ya?ml|heroku\.yml|serverless\.ya?ml|gunicorn[^/]*\.py|wsgi\.py|asgi\.py|manage\.py|"
    r"Chart\.yaml|kustomization\.ya?ml)$"
)
_NOT_SHIPPED = re.compile(r"(^|/)(tests?|docs?|examples?|samples?|\.github|node_modules|vendor)(/|$)")

CI_PATTERNS = (
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    ".gitlab-ci.yml",
    ".gitlab-ci.yaml",
    ".gitlab/ci/*.yml",
    ".circleci/config.yml",
    ".circleci/config.yaml",
    "azure-pipelines.yml",
    "azure-pipelines*.yml",
    ".azure-pipelines/*.yml",
    "bitbucket-pipelines.yml",
    ".travis.yml",
    "Jenkinsfile",
    "Jenkinsfile.*",
    "*.jenkinsfile",
    ".drone.yml",
    ".buildkite/*.yml",
    ".buildkite/pipeline.yml",
    ".woodpecker.yml",
    ".woodpecker/*.yml",
    "cloudbuild.yaml",
    "cloudbuild.yml",
    "buildspec.yml",
    "appveyor.yml",
    ".appveyor.yml",
)
_CI = re.compile("|".join(f"(?:(?:.*/)?{fnmatch.translate(p)})" for p in CI_PATTERNS))
_ANCHOR = re.compile(r"^\s*(jobs|stages|steps|pipelines|pipeline|workflows|script|phases)\s*[:{(]")


def is_ci_config(path: str) -> bool:
    """A CI pipeline definition, by its repository path (POSIX)."""
    if "/.github/workflows/" in f"/{path}" and "/" in path.split(".github/workflows/", 1)[-1]:
        return False  # workflow files are never nested
    return bool(_CI.fullmatch(path))


def ci_anchor(file: SourceFile) -> Span:
    """Where a finding about the whole pipeline goes: the first line opening its jobs or
    steps (``jobs:``, ``stages:``, ``pipeline {``), else the first non-comment line."""
    first = None
    for number, line in enumerate(file.lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "//", "---")):
            continue
        if first is None:
            first = (number, line)
        if _ANCHOR.match(line):
            column = len(line) - len(line.lstrip()) + 1
            return Span(number, column, number, len(line.rstrip()) + 1)
    number, line = first or (1, "")
    return Span(number, 1, number, max(len(line.rstrip()), 1) + 1)


def deploys_service(paths: Iterable[str]) -> bool:
    """Whether a repository (its file paths) deploys a service rather than only
    publishing a library: a Dockerfile, a compose file, a Procfile, a Helm chart or
    kustomization, a platform file (fly.toml, app.yaml, serverless.yml), a gunicorn
    configuration, a WSGI/ASGI entry point or Django's manage.py, outside tests, docs and
    examples."""
    return any(_SERVICE_FILES.search(path) and not _NOT_SHIPPED.search(path) for path in paths)
