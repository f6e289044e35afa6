"""DEP002: application requirements not pinned to one version."""

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
)

from ._common import covered_by_lock, directory_of


def _compiled_elsewhere(facts: dict, pinned_here: set[str]) -> bool:
    """The file is the input of another requirements file beside it that pins (nearly)
    everything it asks for: NetBox's base_requirements.txt and requirements.txt."""
    names = {name.lower().replace("_", "-").replace(".", "-") for name, _, _ in facts["loose"]}
    others = pinned_here - set(facts["pinned"])
    return bool(names) and len(names & others) >= 0.8 * len(names)


# Requirements that never reach production: documentation, tests, linters, local tools.
_NOT_DEPLOYED = re.compile(
    r"(^|[/_.-])(docs?|tests?|testing|dev|develop|development|lint|linting|typing|mypy|style|ci|tox|"
    r"local|benchmarks?|examples?|tools?)([/_.-]|$)",
    re.IGNORECASE,
)


class UnpinnedDependency(RepoRule):
    """A deployed requirement is not pinned to one version.

    ## What it does
    Checks the requirements files an application deploys from (`requirements.txt`,
    `requirements/prod.txt`, ...) for requirements that allow more than one version
    (`flask>=2`, `requests`, `django~=4.2`), unless a lock file (`poetry.lock`, `uv.lock`,
    `Pipfile.lock`, `pylock.toml`) in the same directory or above pins them, or the file
    takes its versions from a constraints file (`-c constraints.txt`).

    ## Why is this bad?
    Every build can install different versions: a release that worked yesterday breaks
    today without a line of it changing, a rollback does not bring the old code back, and
    the dependency audit cannot tell which version runs.

    ## Example
    ```requirements
    flask>=2.3
    gunicorn
    ```

    ## Use instead
    ```requirements
    flask==3.0.3
    gunicorn==22.0.0
    ```

    ## Notes
    pip-compile and uv inputs (`requirements.in`, or a `base_requirements.txt` whose
    packages a `requirements.txt` beside it pins) are ranges by design and are not
    checked; the pinned file is. Requirements files for documentation,
    tests, linting and local tools (`docs/requirements.txt`, `requirements-dev.txt`,
    `test-requirements.txt`) never reach production and are not checked. Editable installs
    (`-e .`), local paths and URLs are not version requirements. Ranges in a library's
    `pyproject.toml` are correct for a library and are not flagged.
    """

    id = "DEP002"
    name = "unpinned-dependency"
    summary = "deployed requirement not pinned to one version"
    checklist = ("dependency-pinning",)
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (1357,)
    kinds = frozenset({FileKind.REQUIREMENTS})
    references = ("https://pip.pypa.io/en/stable/topics/repeatable-installs/",)

    def collect(self, file: SourceFile, ctx: Context) -> Any:
        base = file.path.rsplit("/", 1)[-1]
        requirements = getattr(file, "requirements", None)
        if requirements is None or not base.endswith(".txt") or base.startswith("constraints"):
            return None
        if _NOT_DEPLOYED.search(file.path.rsplit(".", 1)[0]):
            return None
        if any(option.name == "--constraint" for option in file.options):
            return None
        loose = [
            [r.name, str(r.specifier), r.span]
            for r in requirements
            if r.name and not r.editable and r.url is None and not r.pinned
        ]
        pinned = sorted({r.normalized_name for r in requirements if r.name and r.pinned})
        return {"loose": loose, "pinned": pinned} if loose or pinned else None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        locks = [info.path for info in repo.files if info.path.rsplit("/", 1)[-1] in LOCK_FILES]
        pinned_in: dict[str, set[str]] = {}  # directory -> names pinned by a requirements file there
        for path, facts in repo.facts.items():
            pinned_in.setdefault(directory_of(path), set()).update(facts["pinned"])
        for path, facts in sorted(repo.facts.items()):
            if not facts["loose"] or covered_by_lock(path, locks):
                continue
            if _compiled_elsewhere(facts, pinned_in.get(directory_of(path), set())):
                continue
            for name, spec, span in facts["loose"]:
                allowed = f"allows any version matching {spec!r}" if spec else "allows any version"
                ctx.report(
                    path,
                    span,
                    f"{name} {allowed}: each build can install a different one; pin it with == "
                    "(pip-compile or uv pip compile write the pins) or install from a lock file",
                )
