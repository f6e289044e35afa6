"""The registry of file kinds: how a file is recognised, loaded and modelled.

Each :class:`KindSpec` holds a kind's file-name patterns, its loader and its model
class, so adding a kind is one entry here and nothing in the engine. Loaders are named
as ``"module:function"`` and imported on first use: a scan pays only for the parsers
of the kinds it reads.

:func:`load` builds any model from text, exactly as a scan does, so a rule can be
unit-tested without one::

    from prodready_lint.sdk import load
    dockerfile = load("Dockerfile", "FROM python:3.12\\nUSER app\\n")
"""

from __future__ import annotations

import fnmatch
import importlib
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import attrs

from .model import FileKind

if TYPE_CHECKING:  # pragma: no cover
    from .files import SourceFile

__all__ = ["KINDS", "KindSpec", "classify", "kind_named", "load"]


@attrs.frozen(slots=True)
class KindSpec:
    """One file kind.

    ``names`` are case-sensitive glob patterns on the file's base name, checked before
    any suffix (``Dockerfile.*`` beats ``.prod``); ``suffixes`` are lower-case and
    matched case-insensitively. ``loader`` is ``"module:function"`` taking
    ``(path, text)`` and returning the ``model`` class, raising only
    :class:`~prodready_lint.sdk.LoadError`. ``comments`` are the comment leaders the
    fixture harness reads markers from (``standalone_markers``: only on a line of their
    own, for formats without trailing comments, such as Dockerfiles).
    """

    kind: FileKind
    model: str
    loader: str
    names: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    comments: tuple[str, ...] = ("#",)
    standalone_markers: bool = False

    def load(self, path: str, text: str) -> SourceFile:
        return _loader(self.loader)(path, text)


_CACHE: dict[str, Callable[[str, str], SourceFile]] = {}


def _loader(spec: str) -> Callable[[str, str], SourceFile]:
    function = _CACHE.get(spec)
    if function is None:
        module, _, name = spec.partition(":")
        function = getattr(importlib.import_module(module), name)
        _CACHE[spec] = function
    return function


_SDK = "prodready_lint.sdk"

KINDS: Mapping[FileKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(FileKind.PYTHON, "PythonFile", f"{_SDK}.files:load_python", suffixes=(".py", ".pyi", ".pyw")),
        KindSpec(FileKind.YAML, "YamlFile", f"{_SDK}.yaml_loader:load_yaml", suffixes=(".yaml", ".yml")),
        KindSpec(
            FileKind.DOCKERFILE,
            "DockerfileFile",
            f"{_SDK}.dockerfile:load_dockerfile",
            names=("Dockerfile", "Dockerfile.*", "*.Dockerfile", "Containerfile", "Containerfile.*"),
            suffixes=(".dockerfile",),
            standalone_markers=True,
        ),
        KindSpec(
            FileKind.TERRAFORM,
            "TerraformFile",
            f"{_SDK}.terraform:load_terraform",
            names=("*.tf.json", "*.tfvars.json", "*.tofu.json"),
            suffixes=(".tf", ".tfvars", ".hcl", ".tofu"),
            comments=("#", "//"),
        ),
        KindSpec(FileKind.SQL, "SqlFile", f"{_SDK}.sql:load_sql", suffixes=(".sql",), comments=("--",)),
        KindSpec(
            FileKind.JSON,
            "ConfigFile",
            f"{_SDK}.config_files:load_json",
            names=("Pipfile.lock",),
            suffixes=(".json",),
            comments=("//",),
        ),
        KindSpec(
            FileKind.TOML,
            "ConfigFile",
            f"{_SDK}.config_files:load_toml",
            # lock files and Pipfile are TOML under names of their own
            names=("poetry.lock", "uv.lock", "pdm.lock", "Pipfile"),
            suffixes=(".toml",),
        ),
        KindSpec(
            FileKind.ENV,
            "ConfigFile",
            f"{_SDK}.config_files:load_env",
            names=(".env", ".env.*"),
            suffixes=(".env",),
        ),
        KindSpec(
            FileKind.INI,
            "ConfigFile",
            f"{_SDK}.config_files:load_ini",
            names=(".pypirc", ".my.cnf"),
            suffixes=(".ini", ".cfg", ".conf", ".properties"),
            comments=("#", ";"),
        ),
        KindSpec(
            FileKind.REQUIREMENTS,
            "RequirementsFile",
            f"{_SDK}.requirements:load_requirements",
            names=(
                "requirements*.txt",
                "requirements*.in",
                # dev-requirements.txt, test_requirements.in: the other common spelling
                "*-requirements*.txt",
                "*_requirements*.txt",
                "*-requirements*.in",
                "*_requirements*.in",
                "constraints*.txt",
            ),
        ),
        KindSpec(FileKind.SHELL, "TextFile", f"{_SDK}.files:load_text", suffixes=(".sh", ".bash")),
        # PEM key files (private keys, certificates) and OpenSSH private keys
        KindSpec(
            FileKind.PEM,
            "TextFile",
            f"{_SDK}.files:load_text",
            names=("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"),
            suffixes=(".pem", ".key", ".p8"),
        ),
        KindSpec(
            FileKind.BUILD,
            "TextFile",
            f"{_SDK}.files:load_build",
            # Jenkins pipelines (Groovy) and the make/just files pipelines delegate to
            names=(
                "Jenkinsfile",
                "Jenkinsfile.*",
                "Makefile",
                "makefile",
                "GNUmakefile",
                "justfile",
                "Justfile",
                ".justfile",
            ),
            suffixes=(".jenkinsfile", ".mk"),
            comments=("#", "//"),
        ),
        KindSpec(FileKind.OTHER, "TextFile", f"{_SDK}.files:load_text"),
    )
}

_BY_NAME = tuple((pattern, spec.kind) for spec in KINDS.values() for pattern in spec.names)
_BY_SUFFIX = {suffix: spec.kind for spec in KINDS.values() for suffix in spec.suffixes}
# Every name pattern in one expression (one match per file instead of one per pattern);
# the group that matched says which pattern, and so which kind, in declaration order.
_NAMES = re.compile("|".join(f"(?P<p{i}>{fnmatch.translate(p)})" for i, (p, _) in enumerate(_BY_NAME)))
_NAME_KINDS = {f"p{i}": kind for i, (_, kind) in enumerate(_BY_NAME)}


def classify(path: str) -> FileKind:
    """The kind of a file from its path (POSIX, any base); no file is opened."""
    name = path.rsplit("/", 1)[-1]
    match = _NAMES.match(name)
    if match is not None:
        return _NAME_KINDS[match.lastgroup]
    dot = name.rfind(".")
    if dot > 0 or (dot == 0 and name.count(".") > 1):
        kind = _BY_SUFFIX.get(name[dot:].lower())
        if kind is not None:
            return kind
    parent = path.rsplit("/", 2)
    if len(parent) >= 2 and parent[-2] == "requirements" and name.endswith((".txt", ".in")):
        return FileKind.REQUIREMENTS
    return FileKind.OTHER


def kind_named(name: str) -> FileKind:
    """A kind from its name (``"dockerfile"``); ``ValueError`` lists the choices."""
    try:
        return FileKind(str(name).strip().lower())
    except ValueError:
        raise ValueError(f"unknown file kind {name!r}; kinds: {', '.join(k.value for k in FileKind)}") from None


def load(path: str, text: str, kind: FileKind | str | None = None) -> SourceFile:
    """Build the model of a file from its text, as a scan does: ``kind`` defaults to
    what the path classifies as. Raises :class:`~prodready_lint.sdk.LoadError` when the
    text is not a valid file of that kind."""
    if isinstance(kind, str):
        kind = kind_named(kind)
    spec = KINDS[kind or classify(path)]
    return spec.load(path, text)
