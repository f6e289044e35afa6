"""The library entry point: ``prodready_lint.scan(paths, ...)`` -> :class:`ScanResult`.

A scan: find the configuration, load rule packs and select rules, discover files,
serve unchanged files from the cache, analyze the rest in parallel, run repository
rules over the collected facts, and return sorted, immutable results. Nothing a file
contains can stop it: problems become entries in ``errors``.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import stat
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from prodready_lint.analysis import FileResult, FileTask, WorkerSpec, decode, decode_facts, finalize
from prodready_lint.budget import Budget, default_jobs
from prodready_lint.cache import ResultCache, Signature, default_cache_dir, signature_of
from prodready_lint.config import Config, discover_config, parse_config, read_config_file
from prodready_lint.discovery import Target, discover, find_root, relative_path
from prodready_lint.errors import ScanError, SourceError
from prodready_lint.registry import RuleSet, load_packs, resolve_rules
from prodready_lint.sdk.audit import AuditRequest
from prodready_lint.sdk.model import FileKind, Finding, Severity
from prodready_lint.sdk.rule import (
    Evidence,
    FileInfo,
    RepoContext,
    Report,
    RepoRule,
    Repository,
    Rule,
    RuleMetadata,
    RulePack,
)

__all__ = ["InventoryEntry", "ScanResult", "Stats", "scan", "scan_and_watch"]

log = logging.getLogger(__name__)

_FILES_PER_WORKER = 24  # fewer files per worker and starting another costs more than it saves


@attrs.frozen(slots=True)
class Stats:
    """Counts for one scan. Every file seen is exactly one of parsed (analyzed), skipped
    (no rule applied or none of their triggers occur: only checked to be well-formed) or
    failed (see ``errors``), whether the result was computed now or reused: ``files_cached``
    says how many of them came from the cache. ``jobs`` is the number of processes that
    analyzed files (0 when every result came from the cache). ``file_kinds`` counts the
    files seen by kind: what the readiness report reads to tell an item with nothing to
    check (no Terraform for encryption) from one that passed."""

    files_seen: int
    files_parsed: int
    files_skipped: int
    files_cached: int
    files_failed: int
    files_excluded: int
    rules: int
    jobs: int
    seconds: float
    file_kinds: tuple[tuple[str, int], ...] = ()  # (kind, files of that kind scanned), sorted


@attrs.frozen(slots=True)
class InventoryEntry:
    """Data a repository rule published about the repository (see
    :meth:`~prodready_lint.sdk.RepoContext.publish`): ``rules`` are the ids of the rules
    that published it (several when they published equal data), ``data`` is JSON data."""

    rules: tuple[str, ...]
    data: Any = attrs.field(eq=False)


@attrs.frozen(slots=True)
class ScanResult:
    """What a scan found.

    ``findings`` are the active findings and ``suppressed`` the ones silenced by an
    inline ``prodready: ignore``, both sorted by path, line, column and rule.
    ``errors`` lists what could not be analyzed and why, and configuration and usage
    problems. ``notes`` lists what is worth knowing but no problem (files recognised and
    deliberately skipped, such as Helm templates; a capped ``jobs``); they never change
    the exit code. ``rules`` is the metadata of every rule that ran. ``scope`` says what
    narrowed the findings, when something did (``new since baseline FILE``, ``on lines
    changed since REF``; see :mod:`prodready_lint.scope`). ``evidence`` lists
    the readiness signals repository rules found (metrics, tracing, a SIGTERM handler...),
    with where; what the dependency audit could not cover is in ``errors``, as
    ``could-not-audit``.
    ``inventory`` maps a name to what repository rules published under it (the web
    services they found, with their routes...), sorted by name.
    """

    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    errors: tuple[ScanError, ...]
    stats: Stats
    rules: tuple[RuleMetadata, ...]
    root: str
    config: Config
    notes: tuple[ScanError, ...] = ()
    scope: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    inventory: Mapping[str, InventoryEntry] = attrs.field(factory=lambda: MappingProxyType({}), eq=False)

    def failing(self, threshold: Severity | None = None) -> tuple[Finding, ...]:
        """Active findings at or above ``threshold`` (the configured one by default)."""
        limit = threshold or self.config.severity_threshold
        return tuple(f for f in self.findings if f.severity >= limit)

    def exit_code(self, *, threshold: Severity | None = None, exit_zero: bool = False) -> int:
        """0 clean, 1 findings at or above the threshold, 2 configuration or usage
        problems, 3 no findings but some files could not be analyzed. ``exit_zero``
        turns 1 and 3 into 0."""
        if any(error.is_config for error in self.errors):
            return 2
        if exit_zero:
            return 0
        if self.failing(threshold):
            return 1
        return 3 if self.errors else 0


def _load_config(config: Config | Mapping[str, Any] | str | os.PathLike | None, start: Path, root: Path):
    if config is None:
        return discover_config(start, root)
    if isinstance(config, Config):
        return config, []
    if isinstance(config, Mapping):
        return parse_config(config, source="configuration", base_dir=str(root))
    return read_config_file(Path(config))


def _common_directory(paths: Sequence[Path]) -> Path:
    """The directory holding every target: where the configuration is looked up from, so
    the order of the targets (pre-commit sorts them) never changes the configuration."""
    directories = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))) for p in paths]
    return Path(os.path.commonpath(directories))


def _relative_to(root: Path, error: ScanError) -> ScanError:
    """Report a problem in a file under the root with the root-relative path."""
    if error.path and os.path.isabs(error.path):
        relpath = relative_path(error.path, str(root))
        if not relpath.startswith("/"):
            return attrs.evolve(error, path=relpath)
    return error


def _human_size(size: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def _content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# Memory a parsed file takes per byte of source, measured on the standard library
# (``ast`` plus the facts): a file whose estimate exceeds the per-file memory budget is
# refused before anything is spent on it.
_MEMORY_PER_BYTE = {FileKind.PYTHON: 130}


def _failed(relpath: str, kind: str, message: str) -> FileResult:
    return FileResult(relpath, "failed", errors=(ScanError(relpath, kind, message),))


class _Feeder:
    """Finds each candidate file's result in the cache by its stat signature, else reads
    it once, finds it by content hash, and yields what is left as tasks."""

    def __init__(
        self, targets: Sequence[Target], ruleset: RuleSet, config: Config, cache: ResultCache | None, budget: Budget
    ):
        self.targets = targets
        self.ruleset = ruleset
        self.config = config
        self.cache = cache
        self.budget = budget
        self.ready: list[FileResult] = []  # produced without a worker: cached, skipped, failed
        self.cached: set[str] = set()
        self.keys: dict[str, tuple[str, tuple[str, ...], Signature]] = {}

    def _refuse(self, target: Target, size: int) -> FileResult | None:
        limit = self.config.max_file_size
        if size > limit:
            message = (
                f"file is {_human_size(size)}, over the {_human_size(limit)} limit; raise max-file-size to analyze it"
            )
            return _failed(target.relpath, "too-large", message)
        factor = _MEMORY_PER_BYTE.get(target.kind)
        if factor and size * factor > self.budget.memory:
            message = (
                f"too large to analyze: {_human_size(size)} of {target.kind} needs about "
                f"{_human_size(size * factor)} of memory, over the {_human_size(self.budget.memory)} budget "
                "per file (raise file-memory to analyze it)"
            )
            return _failed(target.relpath, "too-large", message)
        return None

    def tasks(self) -> Iterator[FileTask]:
        limit = self.config.max_file_size
        cache = self.cache
        for target in self.targets:
            relpath = target.relpath
            rule_ids = self.ruleset.rules_for(relpath, target.kind)
            if not rule_ids:
                self.ready.append(FileResult(relpath, "skipped"))
                continue
            try:
                info = os.stat(target.abspath)
            except OSError as error:
                self.ready.append(_failed(relpath, "unreadable", f"cannot read: {error.strerror or error}"))
                continue
            if not stat.S_ISREG(info.st_mode):
                what = _SPECIAL_FILES.get(stat.S_IFMT(info.st_mode), "not a regular file")
                self.ready.append(_failed(relpath, "unreadable", f"{what}, not a regular file; not read"))
                continue
            refused = self._refuse(target, info.st_size)
            if refused is not None:
                self.ready.append(refused)
                continue
            signature = signature_of(info)
            if cache is not None:
                hit = cache.lookup(relpath, signature, rule_ids)
                if hit is not None:
                    self.cached.add(relpath)
                    self.ready.append(hit)
                    continue
            try:
                with open(target.abspath, "rb") as handle:
                    data = handle.read(limit + 1)
            except OSError as error:
                self.ready.append(_failed(relpath, "unreadable", f"cannot read: {error.strerror or error}"))
                continue
            if len(data) > limit:
                self.ready.append(_failed(relpath, "too-large", "file grew past max-file-size while being read"))
                continue
            digest = _content_hash(data)
            if cache is not None:
                hit = cache.get(relpath, digest, rule_ids, signature)
                if hit is not None:
                    self.cached.add(relpath)
                    self.ready.append(hit)
                    continue
            self.keys[relpath] = (digest, rule_ids, signature)
            yield FileTask(relpath, target.kind, rule_ids, data, digest)


_SPECIAL_FILES = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _analyze(
    spec: WorkerSpec,
    feeder: _Feeder,
    jobs: int,
    result_cache: ResultCache | None,
    progress: Callable[[int, int], None] | None,
    budget: Budget,
) -> tuple[dict[str, FileResult], int]:
    """Every target's result: from the cache, from the feeder (skipped or unreadable),
    or from the workers; fresh results are written to the cache as they arrive. Also
    how many processes analyzed (0 when nothing needed analysis)."""
    used = 0
    results: dict[str, FileResult] = {}
    total = len(feeder.targets)

    def record(result: FileResult) -> None:
        results[result.relpath] = result
        if progress is not None:
            progress(len(results), total)

    tasks = feeder.tasks()
    first = next(tasks, None)
    try:
        if first is not None:  # only now is a process pool worth its imports
            from prodready_lint.parallel import can_dispatch, run_tasks

            used = jobs
            if not can_dispatch(spec):
                log.warning("rules made at run time cannot be sent to worker processes; analyzing in this process")
                used = 1
            fresh = run_tasks(spec, itertools.chain((first,), tasks), jobs, budget)
        else:
            fresh = iter(())
        for result in fresh:
            while feeder.ready:
                record(feeder.ready.pop())
            record(result)
            if result_cache is not None and result.relpath in feeder.keys:
                digest, rule_ids, signature = feeder.keys[result.relpath]
                result_cache.put(result.relpath, digest, rule_ids, result, signature)
        while feeder.ready:
            record(feeder.ready.pop())
    finally:
        if result_cache is not None:
            result_cache.save()  # also when interrupted: what was finished is kept
    return results, used


def _run_repo_rules(
    ruleset: RuleSet,
    everything: Sequence[Target],
    results: Mapping[str, FileResult],
    settings: Mapping[str, Mapping[str, Any]],
    audit: AuditRequest | None = None,
) -> tuple[list[Finding], list[ScanError], list[Evidence], dict[str, InventoryEntry]]:
    """Run each repository rule's judgement over what it collected from every file.
    ``everything`` is every file the scan discovered, whatever its kind; ``audit`` is
    what rules see as ``ctx.audit`` (the dependency audit was asked for). Also returns
    the evidence the rules recorded and what they published (see
    :meth:`RepoContext.publish`)."""
    repo_rules = [r for r in ruleset.rules if issubclass(r, RepoRule)]
    if not repo_rules:
        return [], [], [], {}
    inventory: dict[str, InventoryEntry] = {}
    files = tuple(FileInfo(t.relpath, t.kind) for t in everything)
    by_path = {t.relpath: t for t in everything}
    reports: list[Report] = []
    errors: list[ScanError] = []
    evidence: list[Evidence] = []
    for rule_class in repo_rules:
        meta = rule_class.metadata()
        facts = {
            path: decode_facts(value)
            for path, result in sorted(results.items())
            for rule_id, value in result.facts
            if rule_id == meta.id
        }
        sink: list[Report] = []
        found: list[Evidence] = []
        problems: list[tuple[str, int, str]] = []
        published: dict[str, Any] = {}
        context = RepoContext(
            meta,
            settings.get(meta.id, {}),
            sink,
            published,
            audit=audit,
            evidence=found,
            problems=problems,
        )
        try:
            rule_class(settings.get(meta.id, {})).check_repo(Repository(files, facts), context)
        except Exception as error:
            errors.append(
                ScanError(
                    "",
                    "rule-crash",
                    f"rule {meta.id} crashed: {type(error).__name__}: {error}",
                    detail=traceback.format_exc(),
                )
            )
            continue
        reports.extend(r for r in sink if not ruleset.ignores(r.path, r.rule_id))
        evidence.extend(found)
        errors.extend(ScanError(path, "could-not-audit", message, line) for path, line, message in problems)
        for name, data in published.items():
            entry = inventory.get(name)
            if entry is None:
                inventory[name] = InventoryEntry((meta.id,), data)
            elif entry.data == data:
                inventory[name] = InventoryEntry((*entry.rules, meta.id), data)
            else:
                errors.append(
                    ScanError(
                        "",
                        "rule-error",
                        f"rule {meta.id} published inventory {name!r} with other data than "
                        f"{', '.join(entry.rules)}; keeping the first",
                    )
                )
    findings: list[Finding] = []
    metas = {r.metadata().id: r.metadata() for r in ruleset.rules}
    by_file: dict[str, list[Report]] = {}
    for report in reports:
        by_file.setdefault(report.path, []).append(report)
    for path, file_reports in sorted(by_file.items()):
        target = by_path.get(path)
        try:
            if target is None:
                raise SourceError("not-found", "a repository rule reported on a file outside the scan")
            data = Path(target.abspath).read_bytes()
            text = decode(data, target.kind)
        except (OSError, SourceError) as error:
            errors.append(ScanError(path, "rule-error", f"cannot report repository findings here: {error}"))
            continue
        findings.extend(finalize(file_reports, data, text, metas, ruleset.severities, errors))
    return findings, errors, evidence, dict(sorted(inventory.items()))


def _merge(results: dict[str, FileResult], semgrep: Mapping[str, FileResult]) -> dict[str, FileResult]:
    """Each file's native result with its Semgrep findings and problems added; a file only
    Semgrep rules read counts as parsed."""
    merged = dict(results)
    for relpath, extra in semgrep.items():
        native = merged.get(relpath)
        if native is None:
            continue
        status = native.status
        if status == "skipped" and extra.status == "parsed":
            status = "parsed"
        merged[relpath] = attrs.evolve(
            native, status=status, findings=native.findings + extra.findings, errors=native.errors + extra.errors
        )
    return merged


def _paths(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """One path given as a string is one path, not its characters."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        return [Path(os.fsdecode(paths))]
    return [Path(os.fsdecode(p)) for p in paths] or [Path(".")]


def _selectors(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Selectors as the CLI reads them: a string is a comma-separated list, not characters."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    return tuple(part.strip() for item in items for part in str(item).split(",") if part.strip())


def _usage_result(root: Path, cfg: Config, message: str, path: str = "") -> ScanResult:
    return ScanResult(
        findings=(),
        suppressed=(),
        errors=(ScanError(path, "usage", message),),
        stats=Stats(0, 0, 0, 0, 0, 0, 0, 0, 0.0),
        rules=(),
        root=str(root),
        config=cfg,
    )


def scan(
    paths: str | os.PathLike | Sequence[str | os.PathLike] = (".",),
    *,
    config: Config | Mapping[str, Any] | str | os.PathLike | None = None,
    select: str | Sequence[str] | None = None,
    ignore: str | Sequence[str] = (),
    jobs: int | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    root: str | os.PathLike | None = None,
    rules: Sequence[type[Rule]] = (),
    installed_rules: bool = True,
    rule_paths: Sequence[str | os.PathLike] = (),
    progress: Callable[[int, int], None] | None = None,
    audit_deps: bool | None = None,
    audit_data: str | os.PathLike | None = None,
    audit_timeout: float | None = None,
) -> ScanResult:
    """Scan ``paths`` (files or directories; one path may be given as a string) and
    return a :class:`ScanResult`.

    ``config`` is a :class:`Config`, a dict shaped like the ``[tool.prodready-lint]``
    table, or a path to a pyproject.toml / TOML file; by default the nearest
    pyproject.toml with that table at or above the directory holding all ``paths``.
    ``select`` replaces the configured selection and ``ignore`` adds to it (a string is a
    comma-separated list, as on the command line). ``jobs`` defaults to the number of
    CPUs available and is capped at that and at the number of files. ``rules`` adds rule
    classes to the installed packs, or replaces them when ``installed_rules`` is false;
    ``rule_paths`` loads local packs (files or directories of Python and Semgrep YAML
    rules, as ``--rules`` does), in addition to the configuration's ``rules = [...]``.
    ``progress(done, total)`` is called as files complete. ``root`` (default: the git
    work tree or the working directory) is what reported paths are relative to; every
    path scanned must be inside it. ``audit_deps`` turns the dependency audit on (it
    queries a vulnerability service; off unless asked for, here or in the configuration),
    ``audit_data`` points it at an offline OSV data file instead (and turns it on), and
    ``audit_timeout`` bounds it in seconds.
    """
    return scan_and_watch(
        paths,
        config=config,
        select=select,
        ignore=ignore,
        jobs=jobs,
        cache=cache,
        cache_dir=cache_dir,
        root=root,
        rules=rules,
        installed_rules=installed_rules,
        rule_paths=rule_paths,
        progress=progress,
        audit_deps=audit_deps,
        audit_data=audit_data,
        audit_timeout=audit_timeout,
    )[0]


def scan_and_watch(
    paths: str | os.PathLike | Sequence[str | os.PathLike] = (".",),
    *,
    config: Config | Mapping[str, Any] | str | os.PathLike | None = None,
    select: str | Sequence[str] | None = None,
    ignore: str | Sequence[str] = (),
    jobs: int | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    root: str | os.PathLike | None = None,
    rules: Sequence[type[Rule]] = (),
    installed_rules: bool = True,
    rule_paths: Sequence[str | os.PathLike] = (),
    progress: Callable[[int, int], None] | None = None,
    audit_deps: bool | None = None,
    audit_data: str | os.PathLike | None = None,
    audit_timeout: float | None = None,
) -> tuple[ScanResult, tuple[str, ...]]:
    """:func:`scan`, and every path whose change could change the result (the
    directories listed, ignore and configuration files, the files analyzed, the rule
    packs' and the engine's code): what the command line watches to replay a warm run."""
    started = time.perf_counter()
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0):
        raise ValueError(f"jobs must be 0 (all CPUs) or a positive number of processes, got {jobs!r}")
    targets_in = _paths(paths)
    if root is not None:
        root_path = Path(os.path.abspath(os.fsdecode(root)))
        if not root_path.is_dir():
            what = "does not exist" if not os.path.lexists(root_path) else "is not a directory"
            return _usage_result(root_path, Config(), f"--root {os.fsdecode(root)} {what}", os.fsdecode(root)), ()
        root_path = root_path.resolve()
    else:
        root_path = find_root(targets_in)
    cfg, problems = _load_config(config, _common_directory(targets_in), root_path)
    cfg = _with_audit(cfg, audit_deps, audit_data, audit_timeout)
    errors: list[ScanError] = [_relative_to(root_path, p) for p in problems]
    notes: list[ScanError] = []

    if root is not None:
        inside = []
        for target in targets_in:
            relpath = relative_path(os.path.abspath(target), str(root_path))
            if relpath.startswith("/") and not relative_path(os.path.realpath(target), str(root_path)).startswith("/"):
                relpath = ""
            if relpath.startswith("/"):
                errors.append(
                    ScanError(str(target), "usage", f"outside the root {root_path}; paths are reported relative to it")
                )
            else:
                inside.append(target)
        targets_in = inside

    local = (*cfg.rule_paths, *(os.path.abspath(os.fspath(p)) for p in rule_paths))
    if installed_rules or local:
        packs, pack_problems = load_packs(rules, local, installed=installed_rules)
        errors.extend(pack_problems)
    else:
        packs = [RulePack("extra", "0", tuple(rules))]
    ruleset, rule_problems = resolve_rules(
        packs, cfg, root_path, select=_selectors(select), ignore=_selectors(ignore) or ()
    )
    errors.extend(_relative_to(root_path, p) for p in rule_problems)
    if not ruleset.rules and ruleset.available and not rule_problems:
        errors.append(ScanError("", "usage", "the rule selection selects no rule: nothing would be checked"))

    base = Path(cfg.base_dir) if cfg.base_dir else root_path
    found = discover(
        targets_in,
        root_path,
        excludes=cfg.exclude,
        exclude_base=base,
        respect_gitignore=cfg.respect_gitignore,
        wanted=ruleset.kinds,
        file_kinds=cfg.file_kinds,
    )
    errors.extend(found.errors)
    notes.extend(found.notes)
    kinds = ruleset.kinds
    targets = tuple(t for t in found.files if t.kind in kinds)

    result_cache = None
    if cache and ruleset.rules:
        directory = (
            Path(cache_dir) if cache_dir else (base / cfg.cache_dir if cfg.cache_dir else default_cache_dir(root_path))
        )
        result_cache = ResultCache(directory, ruleset.digest)

    usable = default_jobs()
    wanted_jobs = jobs if jobs else usable
    run_jobs = max(1, min(wanted_jobs, usable, len(targets) // _FILES_PER_WORKER or 1))
    if jobs and jobs > usable:
        notes.append(ScanError("", "notice", f"jobs={jobs} capped at {usable}, the CPUs this process may use"))
    semgrep = None
    if ruleset.semgrep_rules:  # only now is semgrep worth importing or starting
        from prodready_lint.semgrep_scan import SemgrepScan

        semgrep = SemgrepScan(
            ruleset,
            targets,
            result_cache.directory if result_cache is not None else None,
            timeout=cfg.file_timeout,
            max_bytes=cfg.max_file_size,
            jobs=run_jobs,
        )
        semgrep.start()
    spec = WorkerSpec(
        rules=ruleset.native_rules,
        settings={k: dict(v) for k, v in ruleset.settings.items()},
        severities=dict(ruleset.severities),
    )
    budget = Budget(seconds=cfg.file_timeout, memory=cfg.file_memory)
    feeder = _Feeder(targets, ruleset, cfg, result_cache, budget)
    results, used_jobs = _analyze(spec, feeder, run_jobs, result_cache, progress, budget)
    if semgrep is not None:
        semgrep_results, semgrep_errors = semgrep.finish()
        results = _merge(results, semgrep_results)
        errors.extend(semgrep_errors)

    findings: list[Finding] = []
    for result in results.values():
        findings.extend(result.findings)
        errors.extend(result.errors)
    if ruleset.per_file_ignores:  # what repository rules reported while collecting
        findings = [f for f in findings if not ruleset.ignores(f.path, f.rule_id)]
    repo_findings, repo_errors, evidence, inventory = _run_repo_rules(
        ruleset, found.files, results, ruleset.settings, _audit_request(cfg, root_path)
    )
    findings.extend(repo_findings)
    errors.extend(repo_errors)

    findings.sort(key=lambda f: f.sort_key)
    unreadable_config = {e.path for e in errors if e.kind == "config" and e.message.startswith("invalid TOML")}
    if unreadable_config:  # a broken pyproject.toml is one problem, not also a file that failed to parse
        errors = [e for e in errors if e.path not in unreadable_config or e.is_config]
    errors = sorted(set(errors), key=lambda e: (not e.is_config, e.path, e.line or 0, e.kind, e.message))
    notes += [e for e in errors if e.is_note]
    errors = [e for e in errors if not e.is_note]
    statuses = [r.status for r in results.values()]
    stats = Stats(
        files_seen=len(targets),
        files_parsed=statuses.count("parsed"),
        files_skipped=statuses.count("skipped"),
        files_cached=len(feeder.cached),
        files_failed=statuses.count("failed"),
        files_excluded=found.excluded,
        rules=len(ruleset.rules),
        jobs=used_jobs,
        seconds=round(time.perf_counter() - started, 3),
        file_kinds=tuple(sorted(Counter(t.kind.value for t in targets).items())),
    )
    result = ScanResult(
        findings=tuple(f for f in findings if not f.suppressed),
        suppressed=tuple(f for f in findings if f.suppressed),
        errors=tuple(errors),
        stats=stats,
        rules=ruleset.metadata,
        root=str(root_path),
        config=cfg,
        notes=tuple(sorted(set(notes), key=lambda e: (e.path, e.kind, e.message))),
        evidence=tuple(sorted(evidence, key=lambda e: (e.rule_id, e.path, e.span.line, e.span.column, e.message))),
        inventory=MappingProxyType(inventory),
    )
    return result, _watched(found, targets, targets_in, cfg, root_path, ruleset)


def _with_audit(
    cfg: Config, audit_deps: bool | None, audit_data: str | os.PathLike | None, audit_timeout: float | None
) -> Config:
    """The configuration with the audit settings given as arguments (they win)."""
    changes: dict[str, Any] = {}
    if audit_deps is not None:
        changes["audit_deps"] = bool(audit_deps)
    if audit_data is not None:
        changes["audit_data"] = os.path.abspath(os.fsdecode(audit_data))
        changes["audit_deps"] = True
    if audit_timeout is not None:
        if isinstance(audit_timeout, bool) or not isinstance(audit_timeout, (int, float)) or audit_timeout <= 0:
            raise ValueError(f"audit_timeout must be a positive number of seconds, got {audit_timeout!r}")
        changes["audit_timeout"] = float(audit_timeout)
    return attrs.evolve(cfg, **changes) if changes else cfg


def _audit_request(cfg: Config, root: Path) -> AuditRequest | None:
    """What repository rules see as ``ctx.audit``: ``None`` unless the audit was asked for."""
    if not cfg.audit_deps and not cfg.audit_data:
        return None
    data = cfg.audit_data
    if data and not os.path.isabs(data):
        data = os.path.join(cfg.base_dir or str(root), data)
    return AuditRequest(timeout=cfg.audit_timeout, service_url=cfg.audit_service_url, data_file=data)


def _watched(found, targets, targets_in, cfg: Config, root: Path, ruleset: RuleSet) -> tuple[str, ...]:
    """What a replay of this scan must find unchanged (see :func:`scan_and_watch`)."""
    paths = set(found.watched)
    paths.update(t.abspath for t in targets)
    paths.update(os.path.abspath(p) for p in targets_in)
    if cfg.source:
        paths.add(os.path.abspath(cfg.source))
    start = _common_directory(targets_in) if targets_in else root
    for directory in (start, *start.parents):  # where a configuration file may appear
        # The candidate file, not its directory: a directory's mtime moves with every file
        # created beside it (logs, editors' temporary files), which says nothing here.
        paths.add(str(directory / "pyproject.toml"))
        if directory == root or root not in directory.parents:
            break
    paths.update(ruleset.code_files)
    # Where packs are installed (a new distribution changes its directory), but neither
    # the scanned repository, whose own files discovery watches already, nor the working
    # directory `python -m` puts first on sys.path (logs and editors' files change it;
    # packs are installed into site-packages, and a pack's code is watched as code_files).
    inside = str(root) + os.sep
    skip = (str(root), os.getcwd())
    paths.update(
        p for p in map(os.path.abspath, sys.path) if os.path.isdir(p) and p not in skip and not p.startswith(inside)
    )
    return tuple(sorted(paths))
