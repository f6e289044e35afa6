"""The Python dependencies a file declares, whatever its format, with positions.

:func:`declared_dependencies` reads requirements files, ``pyproject.toml`` (PEP 621
``[project]`` dependencies and optional dependencies, PEP 735 ``[dependency-groups]``,
Poetry's ``[tool.poetry...dependencies]``), ``Pipfile``, and the lock files
``poetry.lock``, ``uv.lock``, ``pylock.toml`` and ``Pipfile.lock``. Each
:class:`DeclaredDependency` says whether it is pinned to one version and points at the
requirement as written (a lock file entry: its ``name`` line).
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as Pep508
from packaging.utils import canonicalize_name

from .files import SourceFile
from .model import Span

__all__ = ["LOCK_FILES", "MANIFESTS", "DeclaredDependency", "declared_dependencies", "pep508_pin"]

# Lock files: every package resolved to one version.
LOCK_FILES = frozenset({"poetry.lock", "uv.lock", "Pipfile.lock", "pylock.toml", "pdm.lock"})
# Manifests: what a project asks for, usually as ranges resolved by a lock file.
MANIFESTS = frozenset({"pyproject.toml", "Pipfile", "setup.cfg"})


@attrs.frozen(slots=True)
class DeclaredDependency:
    """One dependency: canonical ``name``, ``version`` when pinned to exactly one
    (``==1.2.3`` or a lock entry) else ``None``, ``spec`` as written (``>=2``), ``span``
    of the requirement, and ``source``: ``requirements``, ``manifest`` or ``lock``."""

    name: str
    version: str | None
    spec: str
    span: Span
    source: str

    @property
    def pinned(self) -> bool:
        return self.version is not None


def pep508_pin(text: str) -> tuple[str, str | None, str] | None:
    """A PEP 508 requirement string as ``(canonical name, pinned version or None,
    specifier)``; ``None`` when it is not a valid requirement."""
    try:
        requirement = Pep508(text)
    except InvalidRequirement:
        return None
    specs = list(requirement.specifier)
    version = None
    if requirement.url is None and len(specs) == 1:
        spec = specs[0]
        if spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*")):
            version = spec.version
    return canonicalize_name(requirement.name), version, str(requirement.specifier) or (requirement.url or "")


def _base(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def declared_dependencies(file: SourceFile) -> tuple[DeclaredDependency, ...]:
    """The dependencies ``file`` declares (empty for a file that is none of the formats)."""
    name = _base(file.path)
    requirements = getattr(file, "requirements", None)
    if requirements is not None:
        return tuple(
            DeclaredDependency(
                canonicalize_name(r.name), r.version, str(r.specifier) or (r.url or ""), r.span, "requirements"
            )
            for r in requirements
            if r.name and not r.editable
        )
    if name == "Pipfile.lock":
        return _pipfile_lock(file)
    entries = getattr(file, "entries", None)
    toml_lock = name in ("poetry.lock", "uv.lock", "pdm.lock") or (
        name.startswith("pylock.") and name.endswith(".toml")
    )
    if entries is None:
        if name == "Pipfile" or toml_lock:
            from .config_files import load_toml

            try:
                entries = load_toml(file.path, file.text).entries
            except Exception:
                return ()
        else:
            return ()
    if toml_lock:
        return _toml_lock(entries)
    if name == "pyproject.toml":
        return _pyproject(entries)
    if name == "Pipfile":
        return _pipfile(entries)
    return ()


_PACKAGE = re.compile(r"^packages?\[(\d+)\]\.(name|version)$")


def _toml_lock(entries: Any) -> tuple[DeclaredDependency, ...]:
    packages: dict[str, dict[str, Any]] = {}
    for entry in entries:
        match = _PACKAGE.match(entry.path)
        if match and isinstance(entry.value, str):
            packages.setdefault(match.group(1), {})[match.group(2)] = entry
    out = []
    for fields in packages.values():
        if "name" in fields and "version" in fields:
            version = fields["version"].value
            out.append(
                DeclaredDependency(
                    canonicalize_name(fields["name"].value), version, f"=={version}", fields["name"].span, "lock"
                )
            )
    return tuple(out)


_PEP621 = re.compile(r"^(project\.dependencies|project\.optional-dependencies\.[^.]+|dependency-groups\.[^.]+)\[\d+\]$")
_POETRY = re.compile(r"^tool\.poetry\.(?:group\.[^.]+\.)?(?:dev-)?dependencies\.([^.\[]+)(?:\.version)?$")


def _pyproject(entries: Any) -> tuple[DeclaredDependency, ...]:
    out = []
    for entry in entries:
        if not isinstance(entry.value, str):
            continue
        if _PEP621.match(entry.path):
            pin = pep508_pin(entry.value)
            if pin is not None:
                out.append(DeclaredDependency(pin[0], pin[1], pin[2], entry.value_span, "manifest"))
            continue
        match = _POETRY.match(entry.path)
        if match and match.group(1).lower() != "python":
            out.append(_poetry(match.group(1), entry.value, entry.span))
    return tuple(out)


def _poetry(name: str, constraint: str, span: Span) -> DeclaredDependency:
    text = constraint.strip()
    exact = re.fullmatch(r"(?:==)?\s*(\d+(?:\.\d+)*(?:[a-z]+\d*)?)", text)
    return DeclaredDependency(canonicalize_name(name), exact.group(1) if exact else None, text, span, "manifest")


_PIPFILE = re.compile(r"^(?:dev-)?packages\.([^.\[]+)(?:\.version)?$")


def _pipfile(entries: Any) -> tuple[DeclaredDependency, ...]:
    out = []
    for entry in entries:
        match = _PIPFILE.match(entry.path)
        if match and isinstance(entry.value, str):
            text = entry.value.strip()
            version = text[2:].strip() if text.startswith("==") and "*" not in text else None
            out.append(DeclaredDependency(canonicalize_name(match.group(1)), version, text, entry.span, "manifest"))
    return tuple(out)


def _pipfile_lock(file: SourceFile) -> tuple[DeclaredDependency, ...]:
    try:
        data = json.loads(file.text)
    except ValueError:
        return ()
    if not isinstance(data, dict):
        return ()
    lines = file.lines
    out = []
    for section in ("default", "develop"):
        packages = data.get(section)
        if not isinstance(packages, dict):
            continue
        for name, info in packages.items():
            version = info.get("version") if isinstance(info, dict) else None
            if not isinstance(version, str) or not version.startswith("=="):
                continue
            needle = json.dumps(name)
            line = next((i for i, text in enumerate(lines, 1) if needle in text and ":" in text), 1)
            column = lines[line - 1].find(needle) + 1 if lines else 1
            span = Span(line, max(column, 1), line, max(column, 1) + len(needle))
            out.append(DeclaredDependency(canonicalize_name(name), version[2:], version, span, "lock"))
    return tuple(out)
