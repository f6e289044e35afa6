"""The machinery every readiness-signal rule shares.

A signal rule is a repository rule that records *evidence* (``ctx.evidence``): where the
repository shows the signal (a metrics library imported, a SIGTERM handler, a runbook).
It declares what to look for as tables: Python modules whose import counts, call
qualnames, distribution names in requirements and manifests, file paths, and patterns in
configuration text (YAML, Dockerfiles, INI, shell, Markdown). Each file yields at most a
few pieces of evidence and the repository at most ``MAX_EVIDENCE`` per rule, so the
report cites where to look without listing every import.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from typing import Any, ClassVar

from prodready_lint.sdk import (
    Context,
    FileKind,
    PythonFile,
    RepoContext,
    RepoRule,
    Repository,
    SourceFile,
    Span,
    declared_dependencies,
    deploys_service,
)

# What files that stand for the project hold (see project_anchor).
ANCHOR_TRIGGERS = (
    "[project]",
    "[tool.poetry]",
    re.compile(r"^[ \t]*(setuptools\.)?setup\(", re.M),
    re.compile(r"^[ \t]*FROM[ \t]", re.M),  # Dockerfiles; upper case, or every "from x import" matches
    re.compile(r"^[A-Za-z0-9][\w.-]*(\[[^\]\n]*\])?[ \t]*(==|>=|~=|<=|!=|$)", re.M),
)
MAX_PER_FILE = 3
MAX_EVIDENCE = 20


def _line_span(file: SourceFile, start: int, end: int) -> Span:
    return file.span_from_offsets(start, end)


class SignalRule(RepoRule):
    """Base of the signal rules (not itself a rule: it declares no id)."""

    # what the evidence is of, for messages: "metrics", "tracing"
    signal: ClassVar[str] = ""
    # Python modules whose import is evidence: module -> what it is
    modules: ClassVar[dict[str, str]] = {}
    # call qualnames (exact, or prefix ending in ".") -> what it is
    calls: ClassVar[dict[str, str]] = {}
    # distribution names (canonical) in requirements, manifests and lock files
    packages: ClassVar[dict[str, str]] = {}
    # path globs (fnmatch on the repository path or the base name) -> what it is; matched
    # against every file of the scan, whatever its kind
    paths: ClassVar[dict[str, str]] = {}
    # regular expressions over non-Python text files -> what it is
    text: ClassVar[dict[str, str]] = {}
    # kinds whose text is searched with ``text``
    text_kinds: ClassVar[frozenset[FileKind]] = frozenset()

    _import_re: ClassVar[re.Pattern | None] = None
    _text_res: ClassVar[tuple[tuple[re.Pattern, str], ...]] = ()

    @classmethod
    def _compiled(cls) -> tuple[re.Pattern | None, tuple[tuple[re.Pattern, str], ...]]:
        if cls.__dict__.get("_import_re") is None and cls.modules:
            names = "|".join(re.escape(m) for m in sorted(cls.modules, key=len, reverse=True))
            cls._import_re = re.compile(
                rf"^[ \t]*(?:from[ \t]+({names})(?:\.[\w.]+)?[ \t]+import\b|import[ \t]+({names})\b)", re.M
            )
            cls._text_res = tuple((re.compile(p, re.M), what) for p, what in cls.text.items())
        elif not cls.__dict__.get("_text_res") and cls.text:
            cls._text_res = tuple((re.compile(p, re.M), what) for p, what in cls.text.items())
        return cls.__dict__.get("_import_re"), cls.__dict__.get("_text_res", ())

    def collect(self, file: SourceFile, ctx: Context) -> Any:
        found = self._evidence_in(file)
        anchor = project_anchor(file)
        if not found and anchor is None:
            return None
        return {"evidence": found, "anchor": anchor}

    def _evidence_in(self, file: SourceFile) -> list[list[Any]]:
        found: list[list[Any]] = []
        import_re, text_res = self._compiled()
        if isinstance(file, PythonFile):
            if import_re is not None:
                for match in import_re.finditer(file.text):
                    module = match.group(1) or match.group(2)
                    end = file.text.find("\n", match.start())
                    span = _line_span(file, match.start(), end if end != -1 else len(file.text))
                    found.append([span, f"{self.modules[module]} ({module})"])
                    break
            found.extend(self.python_evidence(file))
        elif file.kind in (FileKind.REQUIREMENTS, FileKind.TOML, FileKind.OTHER) and self.packages:
            for dependency in declared_dependencies(file):
                if dependency.name in self.packages:
                    found.append([dependency.span, f"{self.packages[dependency.name]} ({dependency.name}) declared"])
        if file.kind in self.text_kinds and not isinstance(file, PythonFile):
            for pattern, what in text_res:
                match = pattern.search(file.text)
                if match is not None:
                    found.append([_line_span(file, match.start(), match.end()), what])
        found.extend(self.extra_evidence(file))
        return found[:MAX_PER_FILE]

    def python_evidence(self, file: PythonFile) -> list[list[Any]]:
        """Evidence from calls: ``calls`` matched against each call's qualnames."""
        if not self.calls:
            return []
        out = []
        for call in file.calls:
            for name in call.qualnames:
                what = self.calls.get(name) or next(
                    (w for prefix, w in self.calls.items() if prefix.endswith(".") and name.startswith(prefix)), None
                )
                if what and self.accept_call(call):
                    out.append([call.span, f"{what} ({call.callee})"])
                    break
            if len(out) >= MAX_PER_FILE:
                break
        return out

    def accept_call(self, call: Any) -> bool:
        """A matched call that really is evidence (a subclass checks its arguments)."""
        return True

    def extra_evidence(self, file: SourceFile) -> list[list[Any]]:
        """Evidence a subclass finds its own way."""
        return []

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        count = 0
        if self.paths:  # files that are evidence by their name, whatever their kind
            for info in sorted(repo.files, key=lambda f: f.path):
                if _NOT_SHIPPED_EVIDENCE.search(info.path):
                    continue
                base = info.path.rsplit("/", 1)[-1]
                for pattern, what in _path_patterns(self.paths):
                    if pattern.match(info.path) or pattern.match(base):
                        if count < MAX_EVIDENCE:
                            ctx.evidence(info.path, Span(1, 1, 1, 1), f"{self.signal}: {what}")
                        count += 1
                        break
        for path, facts in sorted(repo.facts.items()):
            for span, what in facts["evidence"]:
                if count < MAX_EVIDENCE:
                    ctx.evidence(path, span, f"{self.signal}: {what}")
                count += 1
        if count == 0 and self.missing:
            where = service_anchor(repo)
            if where is not None:
                ctx.report(where[0], where[1], self.missing)
        self.judge(repo, ctx)

    # the finding when a deployable service shows no evidence at all ("" = none)
    missing: ClassVar[str] = ""

    def judge(self, repo: Repository, ctx: RepoContext) -> None:
        """Findings a subclass derives from the evidence (none by default)."""
        return None


@functools.cache
def _compiled_globs(globs: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(fnmatch.translate(glob)), what) for glob, what in globs)


def _path_patterns(paths: dict[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """``paths`` compiled once per signal: the globs are matched against every file of
    the repository."""
    return _compiled_globs(tuple(paths.items()))


_NOT_SHIPPED = re.compile(r"(^|/)(tests?|docs?|examples?|samples?|\.github|node_modules|vendor)(/|$)")
_NOT_SHIPPED_EVIDENCE = re.compile(r"(^|/)(node_modules|vendor|site-packages|\.venv|venv)(/|$)")
_ANCHOR_RANK = {"pyproject.toml": 0, "setup.py": 1, "Dockerfile": 2, "requirements.txt": 3}


def service_anchor(repo: Repository) -> tuple[str, Span] | None:
    """Where a finding about the whole service goes: the top-most ``pyproject.toml``
    project table, else ``setup(...)``, the first Dockerfile's ``FROM``, the first
    requirement of ``requirements.txt``. ``None`` for a repository that deploys nothing."""
    if not deploys_service(info.path for info in repo.files):
        return None
    best = None
    for path, facts in repo.facts.items():
        anchor = facts.get("anchor")
        if anchor is None or _NOT_SHIPPED.search(path):
            continue
        base = path.rsplit("/", 1)[-1]
        rank = (path.count("/"), _ANCHOR_RANK.get(base if not base.startswith("Dockerfile") else "Dockerfile", 4), path)
        if best is None or rank < best[0]:
            best = (rank, path, anchor)
    return (best[1], best[2]) if best else None


_PROJECT_TABLE = re.compile(r"^\[(project|tool\.poetry)\][ \t]*$", re.M)
_SETUP_CALL = re.compile(r"^\s*(setuptools\.)?setup\(", re.M)
_FROM = re.compile(r"^[ \t]*FROM[ \t]", re.M | re.I)
_REQUIREMENT = re.compile(r"^[A-Za-z0-9]", re.M)


def project_anchor(file: SourceFile) -> Span | None:
    """The line that stands for the whole project in this file, when it is one of the
    files a service is described by."""
    base = file.path.rsplit("/", 1)[-1]
    if base == "pyproject.toml":
        pattern = _PROJECT_TABLE
    elif base == "setup.py":
        pattern = _SETUP_CALL
    elif base.startswith("Dockerfile") or base == "Containerfile":
        pattern = _FROM
    elif base == "requirements.txt":
        pattern = _REQUIREMENT
    else:
        return None
    match = pattern.search(file.text)
    if match is None:
        return None
    line_end = file.text.find("\n", match.start())
    return file.span_from_offsets(match.start(), line_end if line_end != -1 else len(file.text))
