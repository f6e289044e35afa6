"""Local packs: rules loaded from a path the user named (``--rules PATH`` or the
configuration's ``rules = [...]``), without installing anything.

Rules are only ever loaded from such a path, never found by looking around the scanned
repository: a path is code the user chose to run. A path is one of:

* a Semgrep YAML file (``.yaml``/``.yml``): its rules;
* a Python file: its ``PACK``, or else every rule class it defines;
* a pack project (a directory whose ``pyproject.toml`` declares ``prodready_lint.rules``
  entry points): each entry point's pack, imported from the directory as if installed;
* a package (a directory holding ``__init__.py``): its ``PACK``;
* any other directory: the Python files and Semgrep YAML files directly in it (names
  starting with ``_``, ``.`` or ``test_`` are left out) as one pack named after it.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import re
import sys
import tomllib
import types
from pathlib import Path

from prodready_lint.errors import ScanError
from prodready_lint.registry import ENTRY_POINT_GROUP, InstalledPack
from prodready_lint.sdk.rule import Rule, RuleDefinitionError, RulePack
from prodready_lint.sdk.semgrep import semgrep_rules

__all__ = ["LOCAL_VERSION", "load_local_pack"]

LOCAL_VERSION = "local"
_YAML = (".yaml", ".yml")


def _pack_name(path: Path) -> str:
    """A pack name from a file or directory name: ``Acme_Rules.py`` -> ``acme-rules``."""
    stem = path.stem if path.is_file() else path.name
    name = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return name if name[:1].isalpha() else f"local-{name or 'rules'}"


def _problem(path: str, error: BaseException) -> ScanError:
    if isinstance(error, RuleDefinitionError):
        reason = str(error)
    else:
        reason = f"{type(error).__name__}: {error}"
    return ScanError("", "rule-pack", f"cannot load rules from {path}: {reason}")


def _import_file(path: Path) -> types.ModuleType:
    """Import one Python file under a name of its own (so two ``rules.py`` never clash);
    importing the same file again reuses the module."""
    digest = hashlib.blake2b(str(path).encode("utf-8", "surrogateescape"), digest_size=4).hexdigest()
    name = f"_prodready_local_{re.sub(r'[^A-Za-z0-9_]', '_', path.stem)}_{digest}"
    module = sys.modules.get(name)
    if module is not None and getattr(module, "__file__", None) == str(path):
        return module
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _module_rules(module: types.ModuleType) -> tuple[type[Rule], ...]:
    return tuple(
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Rule)
        and value.__module__ == module.__name__
        and "id" in value.__dict__
    )


def _import_from(directory: Path, module_name: str) -> types.ModuleType:
    """Import ``module_name`` with ``directory`` first on the path, as an installed pack
    would be imported."""
    entry = str(directory)
    if entry not in sys.path:
        sys.path.insert(0, entry)
    importlib.invalidate_caches()
    return importlib.import_module(module_name)


def _entry_points(directory: Path) -> list[str]:
    try:
        with open(directory / "pyproject.toml", "rb") as handle:
            project = tomllib.load(handle).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return []
    group = project.get("entry-points", {}).get(ENTRY_POINT_GROUP, {})
    return [str(value) for _, value in sorted(group.items())] if isinstance(group, dict) else []


def _pack_from(value: object, where: str) -> RulePack:
    if isinstance(value, types.ModuleType):
        value = getattr(value, "PACK", None)
    if not isinstance(value, RulePack):
        raise RuleDefinitionError(f"{where} must be a RulePack, got {type(value).__name__}")
    return value


def _files_under(directory: Path) -> list[str]:
    """The directories and source files a local pack's results depend on."""
    out = [str(directory)]
    for current, directories, files in os.walk(directory):
        directories[:] = [d for d in directories if not d.startswith(".") and d != "__pycache__"]
        out.append(current)
        out.extend(os.path.join(current, f) for f in files if f.endswith((".py", *_YAML)))
    return sorted(set(out))


def _directory_pack(directory: Path) -> RulePack:
    rules: list[type[Rule]] = []
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith(("_", ".", "test_")) or not entry.is_file():
            continue
        if entry.suffix in _YAML:
            rules.extend(semgrep_rules(entry))
        elif entry.suffix == ".py":
            module = _import_file(entry)
            pack = getattr(module, "PACK", None)
            rules.extend(pack.rules if isinstance(pack, RulePack) else _module_rules(module))
    if not rules:
        raise RuleDefinitionError(f"{directory} holds no rules (Python rule modules or Semgrep YAML files)")
    return RulePack(_pack_name(directory), LOCAL_VERSION, tuple(rules))


def _load(path: Path) -> tuple[RulePack, list[str]]:
    if path.is_file():
        if path.suffix in _YAML:
            return RulePack(_pack_name(path), LOCAL_VERSION, semgrep_rules(path)), [str(path)]
        if path.suffix != ".py":
            raise RuleDefinitionError("expected a Python file, a Semgrep YAML file or a directory")
        module = _import_file(path)
        pack = getattr(module, "PACK", None)
        if isinstance(pack, RulePack):
            return pack, [str(path)]
        rules = _module_rules(module)
        if not rules:
            raise RuleDefinitionError("it defines no PACK and no rule class")
        return RulePack(_pack_name(path), LOCAL_VERSION, rules), [str(path)]
    entries = _entry_points(path) if (path / "pyproject.toml").is_file() else []
    if entries:
        if len(entries) > 1:
            raise RuleDefinitionError("it declares several prodready_lint.rules entry points; name one package")
        module_name, _, attribute = entries[0].partition(":")
        base = path / "src" if (path / "src" / module_name.partition(".")[0]).exists() else path
        module = _import_from(base, module_name.strip())
        value = getattr(module, attribute.strip()) if attribute else module
        return _pack_from(value, f"entry point {entries[0]!r}"), _files_under(path)
    if (path / "__init__.py").is_file():
        module = _import_from(path.parent, path.name)
        return _pack_from(module, f"{path.name}.PACK"), _files_under(path)
    return _directory_pack(path), _files_under(path)


def load_local_pack(path: str | os.PathLike) -> tuple[InstalledPack | None, ScanError | None]:
    """The pack at ``path`` (see the module docstring), or the reason it cannot be loaded."""
    shown = os.fspath(path)
    resolved = Path(os.path.abspath(shown))
    if not resolved.exists():
        return None, ScanError("", "rule-pack", f"cannot load rules from {shown}: no such file or directory")
    try:
        pack, files = _load(resolved)
    except Exception as error:
        return None, _problem(shown, error)
    local = InstalledPack(
        pack.name,
        pack.version,
        pack.rules,
        pack.description,
        pack.api_version,
        code_files=tuple(files),
        source=str(resolved),
    )
    return local, None
