"""Load rule packs and decide which rules run, with which options, on which files.

Packs come from the ``prodready_lint.rules`` entry-point group, the built-in pack
included, so third-party packs are loaded exactly like ours. A pack that fails to
import, or a rule id that two packs claim, is reported and the rest keeps working.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import json
import os
import sys
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import pathspec

from prodready_lint import _version
from prodready_lint.config import Config
from prodready_lint.discovery import Anchor, anchor
from prodready_lint.errors import ScanError
from prodready_lint.sdk.model import FileKind, Severity
from prodready_lint.sdk.rule import Rule, RuleDefinitionError, RuleMetadata, RulePack
from prodready_lint.sdk.semgrep import SemgrepRule
from prodready_lint.sdk.versioning import API_VERSION, incompatibility
from prodready_lint.selectors import matches, matches_any

__all__ = ["ENTRY_POINT_GROUP", "RuleSet", "load_packs", "resolve_rules"]

ENTRY_POINT_GROUP = "prodready_lint.rules"
BUILTIN = "builtin"


@attrs.frozen(slots=True)
class InstalledPack(RulePack):
    """A pack as the engine loaded it: with the distribution that provides it (for error
    messages and for the cache key) when it came through an entry point, or the path it
    was loaded from (``--rules``, ``rules = [...]``) when it is local. ``code_files`` are
    what its results depend on beyond its rules' modules (a local pack's directories
    too: a file added there may be a new rule)."""

    distribution: str = ""
    entry_point: str = ""
    code_files: tuple[str, ...] = ()
    source: str = ""


def _as_pack(name: str, obj: Any) -> RulePack:
    if isinstance(obj, RulePack):
        return obj
    if isinstance(obj, types.ModuleType) and isinstance(getattr(obj, "PACK", None), RulePack):
        return obj.PACK
    if isinstance(obj, (list, tuple)):
        return RulePack(name, "0", tuple(obj))
    raise RuleDefinitionError(f"entry point {name!r} must point at a RulePack, got {type(obj).__name__}")


def _installed(pack: RulePack, dist: importlib.metadata.Distribution | None, entry: str) -> InstalledPack:
    files: tuple[str, ...] = ()
    name = ""
    if dist is not None:
        name = f"{dist.metadata['Name']} {dist.version}"
        located = []
        for file in dist.files or ():
            if file.suffix == ".py":
                path = str(file.locate())
                if os.path.isfile(path):
                    located.append(path)
        files = tuple(sorted(located))
    return InstalledPack(
        pack.name,
        pack.version,
        pack.rules,
        pack.description,
        pack.api_version,
        distribution=name,
        entry_point=entry,
        code_files=files,
    )


def _builtin_pack() -> RulePack:
    module = importlib.import_module("prodready_lint.rules")
    return module.PACK


def _refusal(pack: RulePack) -> ScanError | None:
    """A pack written for an SDK API this engine does not provide is refused whole."""
    reason = incompatibility(pack.api_version, API_VERSION)
    if reason is None:
        return None
    return ScanError("", "rule-pack", f"rule pack {pack.name!r} {pack.version} ({_origin(pack)}) is refused: {reason}")


def _add(packs: list[RulePack], pack: RulePack, problems: list[ScanError]) -> None:
    """Keep ``pack`` unless its API is not provided or its name is taken (both reported)."""
    refused = _refusal(pack)
    if refused is not None:
        problems.append(refused)
        return
    taken = next((p for p in packs if p.name == pack.name), None)
    if taken is not None:
        if isinstance(taken, InstalledPack) and taken.distribution and taken.distribution == pack.distribution:
            return  # one distribution seen twice on the path
        if isinstance(taken, InstalledPack) and taken.source and taken.source == pack.source:
            return  # one local pack named twice
        problems.append(
            ScanError(
                "",
                "rule-pack",
                f"two rule packs are named {pack.name!r}: {_origin(taken)} and {_origin(pack)}; "
                "ignoring the second one (rename one of the packs)",
            )
        )
        return
    packs.append(pack)


def load_packs(
    extra: Iterable[type[Rule]] = (), local: Iterable[str] = (), *, installed: bool = True
) -> tuple[list[RulePack], list[ScanError]]:
    """Every installed pack (built-in first, then by entry-point name), then the local
    packs at ``local`` paths (in the order given), plus ``extra`` rules given through the
    library API as a pack named ``extra``. Two packs of the same name are an error naming
    both; the first one is kept. ``installed=False`` leaves the installed packs out."""
    packs: list[RulePack] = []
    problems: list[ScanError] = []
    if installed:
        _load_installed(packs, problems)
    local = tuple(local)
    if local:
        from prodready_lint.local_packs import load_local_pack

        for path in local:
            pack, problem = load_local_pack(path)
            if problem is not None:
                problems.append(problem)
            if pack is not None:
                _add(packs, pack, problems)
    extra = tuple(extra)
    if extra:
        try:
            packs.append(RulePack("extra", "0", extra))
        except RuleDefinitionError as error:
            problems.append(ScanError("", "rule-pack", str(error)))
    return packs, problems


def _load_installed(packs: list[RulePack], problems: list[ScanError]) -> None:
    entry_points = sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    names = {ep.name for ep in entry_points}
    if BUILTIN not in names:  # a source checkout that was never installed
        packs.append(_installed(_builtin_pack(), None, ""))
    for ep in sorted(entry_points, key=lambda e: (e.name != BUILTIN, e.name)):
        try:
            pack = _installed(_as_pack(ep.name, ep.load()), ep.dist, ep.name)
        except Exception as error:
            problems.append(
                ScanError(
                    "", "rule-pack", f"cannot load rule pack {ep.name!r} ({ep.value}): {type(error).__name__}: {error}"
                )
            )
            continue
        _add(packs, pack, problems)


def _origin(pack: RulePack) -> str:
    if isinstance(pack, InstalledPack) and pack.distribution:
        return f"distribution {pack.distribution} (entry point {pack.entry_point!r})"
    if isinstance(pack, InstalledPack) and pack.source:
        return f"local pack {pack.source}"
    return f"pack {pack.name} {pack.version}"


def _file_digest(path: str) -> str:
    """A source file's identity for the cache key: its stat signature (size and
    modification and change times in nanoseconds), which every edit changes, at a
    fraction of the cost of reading and hashing it on every run."""
    try:
        info = os.stat(path)
    except OSError:
        return ""
    return f"{info.st_size}-{info.st_mtime_ns}-{info.st_ctime_ns}"


def _package_files(directory: str) -> list[str]:
    """Every module of a package directory, subpackages included (directories holding
    an ``__init__.py``)."""
    out: list[str] = []
    stack = [directory]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".py") and entry.is_file():
                out.append(entry.path)
            elif (
                entry.is_dir()
                and entry.name != "__pycache__"
                and os.path.isfile(os.path.join(entry.path, "__init__.py"))
            ):
                stack.append(entry.path)
    return out


def _pack_code(pack: RulePack) -> list[str]:
    """The source files whose change can change what a pack's rules report: every module
    of the top-level packages its rules live in (so a helper module a rule imports, even
    lazily, counts), single-module rules' own files, and the ``.py`` files of the
    distribution that installed the pack."""
    files: set[str] = set(pack.code_files) if isinstance(pack, InstalledPack) else set()
    packages_done: set[str] = set()  # many rules share one top-level package: list it once
    for rule in pack.rules:
        if issubclass(rule, SemgrepRule):
            files.add(rule.semgrep_file)
            continue
        top = rule.__module__.partition(".")[0]
        module = sys.modules.get(top)
        if top in packages_done:
            continue
        if getattr(module, "__path__", None) is None:
            source = _rule_source(rule)
            if source:
                files.add(source)
            continue
        packages_done.add(top)
        prefix = top + "."
        packages = [
            module,
            *(m for n, m in list(sys.modules.items()) if n.startswith(prefix) and hasattr(m, "__path__")),
        ]
        directories = sorted({os.path.join(d, "") for package in packages for d in getattr(package, "__path__", ())})
        scanned: list[str] = []  # _package_files recurses: a subpackage inside one is listed already
        for directory in directories:
            if any(directory.startswith(done) for done in scanned):
                continue
            if os.path.isfile(os.path.join(directory, "__init__.py")):
                files.update(_package_files(directory.rstrip(os.sep)))
                scanned.append(directory)
    return sorted(files)


def _pack_digest(pack: RulePack, files: list[str]) -> str:
    parts = [pack.name, pack.version, *(f"{path}:{_file_digest(path)}" for path in files)]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest()


def _rule_source(rule: type[Rule]) -> str | None:
    """The file a rule class was defined in; None for rules made at run time (notebooks)."""
    path = getattr(sys.modules.get(rule.__module__), "__file__", None)
    return path if path and path.endswith(".py") and os.path.isfile(path) else None


def _engine_files() -> list[str]:
    here = Path(__file__).resolve().parent
    sdk = Path(sys.modules[RulePack.__module__].__file__).resolve().parent
    return sorted({*_package_files(str(here)), *_package_files(str(sdk))})


def _engine_digest(files: list[str]) -> str:
    """Changes whenever the analysis code itself changes (not only on version bumps)."""
    return hashlib.blake2b("".join(_file_digest(f) for f in files).encode(), digest_size=12).hexdigest()


@attrs.frozen(slots=True)
class RuleSet:
    """The rules that run in this scan, their settings and a digest for the cache."""

    rules: tuple[type[Rule], ...]
    settings: Mapping[str, Mapping[str, Any]]
    severities: Mapping[str, Severity]
    per_file_ignores: tuple[tuple[pathspec.GitIgnoreSpec, tuple[str, ...]], ...]
    ignore_anchor: Anchor
    root: str
    digest: str
    available: tuple[RuleMetadata, ...]  # every installed rule, with its pack name
    code_files: tuple[str, ...] = ()  # the engine's and the chosen packs' source files
    _by_kind: dict[tuple[FileKind, bool], tuple[str, ...]] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    @property
    def kinds(self) -> frozenset[FileKind]:
        out: set[FileKind] = set()
        for rule in self.rules:
            out |= rule.metadata().kinds
        return frozenset(out)

    @property
    def metadata(self) -> tuple[RuleMetadata, ...]:
        chosen = {rule.metadata().id for rule in self.rules}
        return tuple(meta for meta in self.available if meta.id in chosen)

    def rules_for(self, relpath: str, kind: FileKind) -> tuple[str, ...]:
        """Ids of the rules to run on one file: those reading its kind, less the file
        rules a per-file-ignore turns off there. Repository rules always collect (their
        reports are filtered instead, see :meth:`ignores`)."""
        return self._for(relpath, kind, native=True)

    def semgrep_rules_for(self, relpath: str, kind: FileKind) -> tuple[str, ...]:
        """Ids of the Semgrep rules to run on one file (less those a per-file-ignore
        turns off there); they run in one ``semgrep`` process, never in the workers."""
        return self._for(relpath, kind, native=False)

    @property
    def native_rules(self) -> tuple[type[Rule], ...]:
        """The rules the workers run: every rule but the Semgrep ones."""
        return tuple(r for r in self.rules if not issubclass(r, SemgrepRule))

    @property
    def semgrep_rules(self) -> tuple[type[Rule], ...]:
        return tuple(r for r in self.rules if issubclass(r, SemgrepRule))

    def _for(self, relpath: str, kind: FileKind, native: bool) -> tuple[str, ...]:
        key = (kind, native)
        ids = self._by_kind.get(key)
        if ids is None:
            rules = self.native_rules if native else self.semgrep_rules
            ids = self._by_kind[key] = tuple(r.metadata().id for r in rules if kind in r.metadata().kinds)
        dropped = self._ignored_selectors(relpath) if ids else ()
        if not dropped:
            return ids
        metas = [self._meta(rule_id) for rule_id in ids]
        return tuple(m.id for m in metas if m.repo_level or not matches_any(dropped, m))

    def ignores(self, relpath: str, rule_id: str) -> bool:
        """Whether a per-file-ignore drops ``rule_id``'s reports on ``relpath``."""
        dropped = self._ignored_selectors(relpath)
        return bool(dropped) and matches_any(dropped, self._meta(rule_id))

    def _ignored_selectors(self, relpath: str) -> tuple[str, ...]:
        if not self.per_file_ignores:
            return ()
        path = self.ignore_anchor.local(relpath)
        if path is None:
            return ()
        dropped: list[str] = []
        for spec, selectors in self.per_file_ignores:
            if spec.match_file(path):
                dropped.extend(selectors)
        return tuple(dropped)

    def _meta(self, rule_id: str) -> RuleMetadata:
        for meta in self.available:
            if meta.id == rule_id:
                return meta
        raise KeyError(rule_id)


def resolve_rules(
    packs: list[RulePack],
    config: Config,
    root: Path,
    *,
    select: tuple[str, ...] | None = None,
    ignore: tuple[str, ...] = (),
) -> tuple[RuleSet, list[ScanError]]:
    """Apply selection (CLI ``select`` replaces the config's, CLI ``ignore`` adds to it),
    validate per-rule settings, compile per-file-ignores."""
    problems: list[ScanError] = []
    where = config.source or "configuration"
    by_id: dict[str, tuple[type[Rule], RuleMetadata]] = {}
    pack_of: dict[str, RulePack] = {}
    for pack in packs:
        for rule in pack.rules:
            meta = attrs.evolve(rule.metadata(), pack=pack.name, pack_version=pack.version)
            if meta.id in by_id:
                problems.append(
                    ScanError(
                        "",
                        "rule-pack",
                        f"rule id {meta.id} from pack {pack.name!r} is already taken by pack "
                        f"{by_id[meta.id][1].pack!r}; ignoring the second one",
                    )
                )
                continue
            by_id[meta.id] = (rule, meta)
            pack_of[meta.id] = pack
    available = tuple(meta for _, meta in sorted(by_id.values(), key=lambda item: item[1].id))

    selectors = select if select is not None else config.select
    ignores = tuple(config.ignore) + tuple(ignore)
    for selector in (*(selectors or ()), *ignores, *(s for _, sel in config.per_file_ignores for s in sel)):
        if not any(matches(selector, meta) for meta in available):
            problems.append(
                ScanError(where, "config", f"unknown rule selector {selector!r}: it matches no installed rule")
            )

    chosen = []
    for meta in available:
        if selectors is not None and not matches_any(selectors, meta):
            continue
        if matches_any(ignores, meta):
            continue
        chosen.append(by_id[meta.id][0])

    settings: dict[str, Mapping[str, Any]] = {}
    severities: dict[str, Severity] = {}
    for rule_id, table in config.rules.items():
        if rule_id not in by_id:
            problems.append(ScanError(where, "config", f"rules.{rule_id}: no installed rule has this id"))
            continue
        meta = by_id[rule_id][1]
        declared = {option.name: option for option in meta.options}
        values: dict[str, Any] = {}
        for key, value in table.items():
            if key == "severity":
                try:
                    severities[rule_id] = (
                        Severity.parse(value) if isinstance(value, str) else Severity.parse(repr(value))
                    )
                except ValueError as error:
                    problems.append(ScanError(where, "config", f"rules.{rule_id}.severity: {error}"))
                continue
            option = declared.get(key)
            if option is None:
                known = ", ".join(["severity", *declared]) or "severity"
                problems.append(
                    ScanError(where, "config", f"rules.{rule_id}: unknown option {key!r} (options: {known})")
                )
                continue
            try:
                values[key] = option.coerce(value)
            except ValueError as error:
                problems.append(ScanError(where, "config", f"rules.{rule_id}.{key}: {error}; using the default"))
        settings[rule_id] = MappingProxyType(values)

    per_file = []
    for pattern, sel in config.per_file_ignores:
        per_file.append((pathspec.GitIgnoreSpec.from_lines([pattern]), sel))
    root_str = os.path.abspath(root)
    ignore_anchor = anchor(config.base_dir, root_str) if config.base_dir else Anchor()

    chosen.sort(key=lambda r: r.metadata().id)
    pack_digests: dict[str, str] = {}
    code_files = _engine_files()
    for pack in packs:  # a local pack's files and directories, chosen rules or not
        if isinstance(pack, InstalledPack) and pack.source:
            code_files += list(pack.code_files)
    engine = _engine_digest(code_files)
    for rule in chosen:
        pack = pack_of[rule.metadata().id]
        if pack.name not in pack_digests:
            files = _pack_code(pack)
            code_files += files
            pack_digests[pack.name] = _pack_digest(pack, files)
    digest_data = {
        "version": _version.__version__,
        "python": list(sys.version_info[:2]),
        "engine": engine,
        "packs": pack_digests,
        "rules": [[r.metadata().id, pack_of[r.metadata().id].name, f"{r.__module__}.{r.__qualname__}"] for r in chosen],
        "settings": {k: dict(v) for k, v in sorted(settings.items())},
        "severities": {k: v.value for k, v in sorted(severities.items())},
        "config": config.digest_data(),
    }
    digest = hashlib.sha256(json.dumps(digest_data, sort_keys=True, default=str).encode()).hexdigest()[:24]
    ruleset = RuleSet(
        rules=tuple(chosen),
        settings=MappingProxyType(settings),
        severities=MappingProxyType(severities),
        per_file_ignores=tuple(per_file),
        ignore_anchor=ignore_anchor,
        root=root_str,
        digest=digest,
        available=available,
        code_files=tuple(sorted(set(code_files))),
    )
    return ruleset, problems
