"""Continuous-integration configuration: which files define a CI pipeline, and what they run.

:func:`is_ci_config` recognises GitHub Actions workflows, GitLab CI, CircleCI, Azure
Pipelines, Bitbucket Pipelines, Travis CI, Jenkins, Drone, Buildkite, Woodpecker and
Tekton/Cloud Build files by path. :func:`ci_anchor` is the line a finding about a whole
pipeline points at (its ``jobs:``/``stages:``/``steps:``/``pipeline`` line, never an
arbitrary first line).

Pipelines delegate to make and just: :func:`build_targets` reads the targets of a
Makefile or justfile (files of kind ``build``, with Jenkinsfiles), and
:func:`build_invocations` finds the ``make``/``just`` calls in a pipeline or a recipe,
so a rule can follow ``make verify`` to the ``pytest`` it runs.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

import attrs

from .files import SourceFile
from .model import Span

__all__ = [
    "CI_PATTERNS",
    "BuildInvocation",
    "BuildTarget",
    "build_file_names",
    "build_invocations",
    "build_targets",
    "ci_anchor",
    "deploys_service",
    "is_ci_config",
]

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


# --- Makefiles and justfiles: the targets a pipeline delegates to -------------------

_RULE_LINE = re.compile(r"^(?P<names>[^\s:#=][^:#=]*?)[ \t]*(?P<colon>::?)(?![=:])[ \t]*(?P<rest>[^=\n]*)$")
_INVOCATION = re.compile(
    r"(?<![\w./-])(?P<tool>make|gmake|\$\(MAKE\)|\$\{MAKE\}|just)(?![\w.-])(?P<args>[^\n;&|)'\"`]*)"
)
_MAKE_FILES = ("GNUmakefile", "makefile", "Makefile")
_JUST_FILES = ("justfile", "Justfile", ".justfile")


@attrs.frozen(slots=True)
class BuildTarget:
    """A Makefile target or a justfile recipe: its name's span on its rule line, its
    prerequisites (dependencies in just), and each recipe line (stripped, without make's
    ``@``/``-`` prefixes) with its span."""

    name: str
    span: Span
    prerequisites: tuple[str, ...]
    commands: tuple[tuple[Span, str], ...]


@attrs.frozen(slots=True)
class BuildInvocation:
    """``make TARGET`` (``gmake``, ``$(MAKE)``) or ``just RECIPE`` in a script or pipeline:
    the tool (``make`` or ``just``), the directory it runs in (``-C DIR``, ``--directory``,
    ``--justfile DIR/justfile``; ``""`` for the current one), the targets named (none: the
    default goal) and where the call is (``offset`` into the text)."""

    tool: str
    directory: str
    targets: tuple[str, ...]
    offset: int


def build_targets(file: SourceFile) -> dict[str, BuildTarget]:
    """The targets of a Makefile, or the recipes of a justfile, in file order (the first
    is the default goal). Special targets (``.PHONY``), pattern rules (``%.o: %.c``),
    variable assignments and conditionals are not targets; a recipe line is any indented
    line under a rule line (tabs in make, any indentation in just)."""
    just = file.path.rsplit("/", 1)[-1] in _JUST_FILES
    targets: dict[str, BuildTarget] = {}
    current: list[tuple[str, Span, tuple[str, ...], list[tuple[Span, str]]]] = []
    commands: list[tuple[Span, str]] = []

    def close() -> None:
        for name, span, prerequisites, _ in current:
            if name not in targets:
                targets[name] = BuildTarget(name, span, prerequisites, tuple(commands))

    for number, line in enumerate(file.lines, 1):
        stripped = line.strip()
        if line[:1] in (" ", "\t") and current:
            if stripped and not stripped.startswith("#"):
                command = stripped.lstrip("@-+ ")
                column = len(line) - len(line.lstrip()) + 1 + (len(stripped) - len(command))
                commands.append((Span(number, column, number, column + len(command)), command))
            continue
        if not stripped or stripped.startswith("#"):
            continue
        close()
        current, commands = [], []
        match = _RULE_LINE.match(line.rstrip())
        if match is None or match.group("names").split()[0] in ("export", "include", "-include", "ifeq", "define"):
            continue
        names = match.group("names").split()
        if just:  # "name param='x':" : the first word names the recipe
            names = [names[0].lstrip("@")]
        rest = match.group("rest").split(";", 1)[0] if not just else match.group("rest")
        prerequisites = tuple(
            word.strip("()") for word in rest.split() if not word.startswith(("$", "|", '"', "'")) and word.strip("()")
        )
        for name in names:
            if name.startswith(".") or "%" in name or "$" in name:
                continue
            column = line.find(name) + 1
            current.append((name, Span(number, column, number, column + len(name)), prerequisites, commands))
    close()
    return targets


_DIRECTORY_OPTIONS = frozenset({"-C", "--directory", "-d", "--working-directory"})
_FILE_OPTIONS = frozenset({"-f", "--file", "--makefile", "--justfile"})
_VALUE_OPTIONS = frozenset({"-j", "--jobs", "-l", "--load-average", "-o", "-W", "-I", "--include-dir"})


def build_invocations(text: str) -> list[BuildInvocation]:
    """Every ``make``/``just`` call in ``text`` (a pipeline, a script, a recipe)."""
    found = []
    for match in _INVOCATION.finditer(text):
        tool = "just" if match.group("tool") == "just" else "make"
        words = match.group("args").split()
        directory, targets, index = "", [], 0
        while index < len(words):
            word, following = words[index], words[index + 1] if index + 1 < len(words) else ""
            index += 1
            if word.startswith(("#", "//")):
                break  # a comment
            if word in _DIRECTORY_OPTIONS:
                directory, index = following or directory, index + 1
            elif word in _FILE_OPTIONS:
                directory, index = following.rsplit("/", 1)[0] if "/" in following else directory, index + 1
            elif word.startswith("--directory="):
                directory = word.split("=", 1)[1]
            elif word.startswith("-C") and len(word) > 2:
                directory = word[2:]
            elif word in _VALUE_OPTIONS:
                index += following.replace(".", "", 1).isdigit() or word in ("-o", "-W", "-I", "--include-dir")
            elif word.startswith(("-", "$")) or "=" in word:
                continue  # a flag, a variable
            elif re.fullmatch(r"[\w./-]+", word):
                targets.append(word)
            else:
                break  # the end of the command: a redirection, a quote, a brace
        found.append(BuildInvocation(tool, directory.strip("\"'").rstrip("/"), tuple(targets), match.start()))
    return found


def build_file_names(tool: str) -> tuple[str, ...]:
    """The file names ``make`` (``GNUmakefile``, ``makefile``, ``Makefile``, in the order
    make tries them) or ``just`` reads in a directory."""
    return _JUST_FILES if tool == "just" else _MAKE_FILES
