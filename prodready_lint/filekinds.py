"""Classify files by name into the kinds rules declare (no file is opened to do it)."""

from __future__ import annotations

import fnmatch

from prodready_lint.sdk.model import FileKind

_BY_SUFFIX = {
    ".py": FileKind.PYTHON,
    ".pyi": FileKind.PYTHON,
    ".pyw": FileKind.PYTHON,
    ".yaml": FileKind.YAML,
    ".yml": FileKind.YAML,
    ".json": FileKind.JSON,
    ".toml": FileKind.TOML,
    ".tf": FileKind.TERRAFORM,
    ".tfvars": FileKind.TERRAFORM,
    ".hcl": FileKind.TERRAFORM,
    ".sql": FileKind.SQL,
    ".env": FileKind.ENV,
    ".ini": FileKind.INI,
    ".cfg": FileKind.INI,
    ".conf": FileKind.INI,
    ".properties": FileKind.INI,
    ".sh": FileKind.SHELL,
    ".bash": FileKind.SHELL,
    ".dockerfile": FileKind.DOCKERFILE,
}

_BY_PATTERN = (
    ("Dockerfile", FileKind.DOCKERFILE),
    ("Dockerfile.*", FileKind.DOCKERFILE),
    ("*.Dockerfile", FileKind.DOCKERFILE),
    ("Containerfile", FileKind.DOCKERFILE),
    ("Containerfile.*", FileKind.DOCKERFILE),
    ("*.tf.json", FileKind.TERRAFORM),
    (".env", FileKind.ENV),
    (".env.*", FileKind.ENV),
    ("requirements*.txt", FileKind.REQUIREMENTS),
    ("requirements*.in", FileKind.REQUIREMENTS),
    # dev-requirements.txt, test_requirements.in: the other common spelling
    ("*-requirements*.txt", FileKind.REQUIREMENTS),
    ("*_requirements*.txt", FileKind.REQUIREMENTS),
    ("*-requirements*.in", FileKind.REQUIREMENTS),
    ("*_requirements*.in", FileKind.REQUIREMENTS),
    ("constraints*.txt", FileKind.REQUIREMENTS),
)


def classify(relpath: str) -> FileKind:
    """The kind of a file from its path (POSIX, any base)."""
    name = relpath.rsplit("/", 1)[-1]
    for pattern, kind in _BY_PATTERN:
        if fnmatch.fnmatchcase(name, pattern):
            return kind
    dot = name.rfind(".")
    if dot > 0 or (dot == 0 and name.count(".") > 1):
        kind = _BY_SUFFIX.get(name[dot:].lower())
        if kind is not None:
            return kind
    parent = relpath.rsplit("/", 2)
    if len(parent) >= 2 and parent[-2] == "requirements" and name.endswith((".txt", ".in")):
        return FileKind.REQUIREMENTS
    return FileKind.OTHER
