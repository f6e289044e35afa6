"""Build an offline wheelhouse for installing a project, from the running environment.

``pre-commit`` installs a ``language: python`` hook by creating a virtualenv and running
``pip install .`` in the hook repository, which needs the project's build backend and
its runtime dependencies. Tests must not touch the network, so :func:`build_wheelhouse`
writes those as wheels into a directory for ``PIP_FIND_LINKS`` (with ``PIP_NO_INDEX``),
taking every one of them from what is already installed here:

* the runtime dependencies come from ``[project].dependencies`` of the project's
  ``pyproject.toml`` (the code being installed, not a possibly stale installed copy),
  followed recursively through the installed distributions' own requirements with
  environment markers and extras evaluated; each installed distribution is re-packed
  from the files listed in its ``RECORD`` into a wheel with a fresh ``RECORD``;
* the build requirements (``[build-system].requires``) come from the wheels that
  virtualenv embeds to seed new environments (virtualenv is a dependency of
  pre-commit, so it is always installed next to it), or, failing that, from the
  installed distribution, re-packed.

The wheels are only meant for the interpreter that built them: a re-packed wheel keeps
the tags of the installed one. Anything that cannot be provided raises
:class:`WheelhouseError` with the reason, so a test using this fails rather than
letting pip fail later with a less helpful message.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import tomllib
import zipfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path, PurePosixPath

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import Version
except ImportError:  # pragma: no cover - pip always vendors packaging
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename
    from pip._vendor.packaging.version import Version

__all__ = ["WheelhouseError", "build_requirements", "build_wheelhouse", "repack", "runtime_requirements"]

# What a pyproject.toml without [build-system] builds with (PEP 517/518 fallback).
_LEGACY_BUILD_REQUIRES = ("setuptools>=40.8.0",)
# Installer bookkeeping in a .dist-info directory that does not belong in a wheel.
_INSTALL_ONLY = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


class WheelhouseError(RuntimeError):
    """A requirement cannot be provided from the running environment."""


def _pyproject(project_dir: Path) -> dict:
    with open(Path(project_dir) / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)


def runtime_requirements(project_dir: Path) -> list[Requirement]:
    """The project's runtime requirements, read from its ``pyproject.toml``; from the
    installed distribution's metadata when ``dependencies`` is dynamic."""
    project = _pyproject(project_dir).get("project", {})
    if "dependencies" in project:
        return [Requirement(text) for text in project["dependencies"]]
    if "dependencies" in project.get("dynamic", ()):
        name = project["name"]
        dist = metadata.distribution(name)
        return [r for r in map(Requirement, dist.requires or ()) if _applies(r, "")]
    return []


def build_requirements(project_dir: Path) -> list[Requirement]:
    """The project's ``[build-system].requires``."""
    system = _pyproject(project_dir).get("build-system", {})
    return [Requirement(text) for text in system.get("requires", _LEGACY_BUILD_REQUIRES)]


def _applies(requirement: Requirement, extra: str) -> bool:
    return requirement.marker is None or requirement.marker.evaluate({"extra": extra})


def _installed(requirement: Requirement, wanted_by: str) -> metadata.Distribution:
    try:
        dist = metadata.distribution(requirement.name)
    except metadata.PackageNotFoundError:
        raise WheelhouseError(f"{requirement} (needed by {wanted_by}) is not installed in this environment") from None
    if not requirement.specifier.contains(dist.version, prereleases=True):
        raise WheelhouseError(f"{requirement} (needed by {wanted_by}) is installed here only as version {dist.version}")
    return dist


def closure(requirements: Iterable[Requirement], wanted_by: str) -> dict[str, metadata.Distribution]:
    """The installed distributions that satisfy ``requirements`` and, recursively, their
    requirements (markers evaluated for this interpreter and the requested extras)."""
    found: dict[str, metadata.Distribution] = {}
    visited: set[tuple[str, str]] = set()
    todo = [(requirement, "", wanted_by) for requirement in requirements]
    while todo:
        requirement, extra, parent = todo.pop()
        if not _applies(requirement, extra):
            continue
        name = canonicalize_name(requirement.name)
        extras = sorted(requirement.extras) or [""]
        dist = found.get(name) or _installed(requirement, parent)
        if not requirement.specifier.contains(dist.version, prereleases=True):
            raise WheelhouseError(f"{requirement} (needed by {parent}) conflicts with {name} {dist.version}")
        found[name] = dist
        for wanted_extra in extras:
            if (name, wanted_extra) in visited:
                continue
            visited.add((name, wanted_extra))
            for text in dist.requires or ():
                todo.append((Requirement(text), wanted_extra, f"{name} {dist.version}"))
    return found


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _dist_info(dist: metadata.Distribution) -> PurePosixPath:
    """The ``name-version.dist-info`` directory of an installed distribution, relative
    to its site directory."""
    for file in dist.files or ():
        path = PurePosixPath(str(file))
        if len(path.parts) == 2 and path.parts[0].endswith(".dist-info") and path.name == "METADATA":
            return path.parent
    name = dist.metadata["Name"]
    raise WheelhouseError(
        f"{name} {dist.version} was not installed from a wheel (no .dist-info RECORD listing METADATA); "
        "it cannot be re-packed"
    )


def _wheel_tag(wheel_metadata: str) -> str:
    """One compressed tag set (``py-abi-platform``, each part dot-joined) from a WHEEL file."""
    tags = [line.split(":", 1)[1].strip() for line in wheel_metadata.splitlines() if line.startswith("Tag:")]
    if not tags:
        raise WheelhouseError("the WHEEL file lists no Tag")
    parts = [sorted({tag.split("-")[i] for tag in tags}) for i in range(3)]
    return "-".join(".".join(part) for part in parts)


def repack(dist: metadata.Distribution, dest: Path) -> Path:
    """Write ``dist`` (an installed distribution) as a wheel in ``dest``; return its path.

    The wheel holds the files its RECORD lists inside the site directory (console
    scripts and other files outside it are left out: pip recreates the scripts from
    ``entry_points.txt``), without bytecode or installer bookkeeping, and a RECORD
    with fresh hashes.
    """
    name = dist.metadata["Name"]
    direct_url = dist.read_text("direct_url.json")
    if direct_url and json.loads(direct_url).get("dir_info", {}).get("editable"):
        raise WheelhouseError(f"{name} is installed in editable mode; its files are not in the environment")
    info = _dist_info(dist)
    site = Path(dist.locate_file(""))
    tag = _wheel_tag((site / info / "WHEEL").read_text(encoding="utf-8"))
    wheel = Path(dest) / f"{re.sub(r'[-_.]+', '_', name)}-{dist.version}-{tag}.whl"
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for file in dist.files or ():
            path = PurePosixPath(str(file))
            if path.parts[0] == ".." or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            if path.parent == info and path.name in _INSTALL_ONLY:
                continue
            source = site / path
            if not source.is_file():
                continue
            data = source.read_bytes()
            archive.writestr(str(path), data)
            writer.writerow([str(path), _record_hash(data), len(data)])
        writer.writerow([f"{info}/RECORD", "", ""])
        archive.writestr(f"{info}/RECORD", record.getvalue())
    return wheel


def _seed_wheels() -> list[Path]:
    """The wheels virtualenv embeds to seed environments (pip, setuptools, ...)."""
    try:
        import virtualenv
    except ImportError:
        return []
    return sorted(Path(virtualenv.__file__).parent.rglob("*.whl"))


def _best_seed_wheel(requirement: Requirement) -> Path | None:
    name = canonicalize_name(requirement.name)
    best: tuple[Version, Path] | None = None
    for wheel in _seed_wheels():
        try:
            wheel_name, version, _, _ = parse_wheel_filename(wheel.name)
        except ValueError:
            continue
        if wheel_name != name or not requirement.specifier.contains(version, prereleases=True):
            continue
        if best is None or version > best[0]:
            best = (version, wheel)
    return best[1] if best else None


def build_wheelhouse(project_dir: Path, dest: Path) -> list[Path]:
    """Fill ``dest`` with wheels for ``pip install project_dir`` without an index.

    The project itself is not included: pip builds it from ``project_dir``. Returns
    the wheels written. Raises :class:`WheelhouseError` when a requirement is not
    available here in a version that satisfies it.
    """
    project_dir = Path(project_dir)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    project_name = canonicalize_name(_pyproject(project_dir).get("project", {}).get("name", project_dir.name))
    wheels: list[Path] = []

    runtime = closure(runtime_requirements(project_dir), project_name)
    runtime.pop(project_name, None)
    for dist in runtime.values():
        wheels.append(repack(dist, dest))

    backend: list[Requirement] = []
    for requirement in build_requirements(project_dir):
        if not _applies(requirement, ""):
            continue
        seed = _best_seed_wheel(requirement)
        if seed is not None:
            target = dest / seed.name
            target.write_bytes(seed.read_bytes())
            wheels.append(target)
        else:
            backend.append(requirement)
    for name, dist in closure(backend, f"building {project_name}").items():
        if name not in runtime:
            wheels.append(repack(dist, dest))
    return wheels
