"""The library entry point: ``prodready_lint.scan(paths, ...)`` -> :class:`ScanResult`.

A scan: find the configuration, load rule packs and select rules, discover files,
serve unchanged files from the cache, analyze the rest in parallel, run repository
rules over the collected facts, and return sorted, immutable results. Nothing a file
contains can stop it: problems become entries in ``errors``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from prodready_lint.analysis import FileResult, FileTask, WorkerSpec, decode, decode_facts, finalize
from prodready_lint.cache import ResultCache, default_cache_dir
from prodready_lint.config import Config, discover_config, parse_config, read_config_file
from prodready_lint.discovery import Target, discover, find_root, relative_path
from prodready_lint.errors import ScanError, SourceError
from prodready_lint.parallel import can_dispatch, default_jobs, run_tasks
from prodready_lint.registry import RuleSet, load_packs, resolve_rules
from prodready_lint.sdk.model import Finding, Severity
from prodready_lint.sdk.rule import FileInfo, RepoContext, Report, RepoRule, Repository, Rule, RuleMetadata, RulePack

__all__ = ["ScanResult", "Stats", "scan"]

log = logging.getLogger(__name__)

_SMALL_SCAN = 48  # below this many files a process pool costs more than it saves


@attrs.frozen(slots=True)
class Stats:
    """Counts for one scan. Every file seen is exactly one of parsed (analyzed this run),
    skipped (no rule applied or none of their triggers occur: only checked to be
    well-formed), cached
    (result reused) or failed (see ``errors``)."""

    files_seen: int
    files_parsed: int
    files_skipped: int
    files_cached: int
    files_failed: int
    files_excluded: int
    rules: int
    jobs: int
    seconds: float


@attrs.frozen(slots=True)
class ScanResult:
    """What a scan found.

    ``findings`` are the active findings and ``suppressed`` the ones silenced by an
    inline ``prodready: ignore``, both sorted by path, line, column and rule.
    ``errors`` lists what could not be analyzed and why, and configuration problems.
    ``notes`` lists files recognised and deliberately skipped (Helm templates); they
    never change the exit code. ``rules`` is the metadata of every rule that ran.
    """

    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    errors: tuple[ScanError, ...]
    stats: Stats
    rules: tuple[RuleMetadata, ...]
    root: str
    config: Config
    notes: tuple[ScanError, ...] = ()

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


class _Feeder:
    """Reads candidate files once, answers from the cache, and yields the rest as tasks."""

    def __init__(self, targets: Sequence[Target], ruleset: RuleSet, config: Config, cache: ResultCache | None):
        self.targets = targets
        self.ruleset = ruleset
        self.config = config
        self.cache = cache
        self.ready: list[FileResult] = []  # produced without a worker: cached, skipped, failed
        self.cached: set[str] = set()
        self.keys: dict[str, tuple[str, tuple[str, ...]]] = {}

    def tasks(self) -> Iterator[FileTask]:
        limit = self.config.max_file_size
        for target in self.targets:
            rule_ids = self.ruleset.rules_for(target.relpath, target.kind)
            if not rule_ids:
                self.ready.append(FileResult(target.relpath, "skipped"))
                continue
            try:
                size = os.stat(target.abspath).st_size
                if size > limit:
                    message = (
                        f"file is {_human_size(size)}, over the {_human_size(limit)} limit; "
                        "raise max-file-size to analyze it"
                    )
                    self.ready.append(
                        FileResult(target.relpath, "failed", errors=(ScanError(target.relpath, "too-large", message),))
                    )
                    continue
                with open(target.abspath, "rb") as handle:
                    data = handle.read(limit + 1)
            except OSError as error:
                reason = error.strerror or str(error)
                self.ready.append(
                    FileResult(
                        target.relpath,
                        "failed",
                        errors=(ScanError(target.relpath, "unreadable", f"cannot read: {reason}"),),
                    )
                )
                continue
            if len(data) > limit:
                self.ready.append(
                    FileResult(
                        target.relpath,
                        "failed",
                        errors=(
                            ScanError(target.relpath, "too-large", "file grew past max-file-size while being read"),
                        ),
                    )
                )
                continue
            digest = _content_hash(data)
            if self.cache is not None:
                hit = self.cache.get(target.relpath, digest, rule_ids)
                if hit is not None:
                    self.cached.add(target.relpath)
                    self.ready.append(hit)
                    continue
            self.keys[target.relpath] = (digest, rule_ids)
            yield FileTask(target.relpath, target.kind, rule_ids, data, digest)


def _analyze(
    spec: WorkerSpec,
    feeder: _Feeder,
    jobs: int,
    result_cache: ResultCache | None,
    progress: Callable[[int, int], None] | None,
) -> dict[str, FileResult]:
    """Every target's result: from the cache, from the feeder (skipped or unreadable),
    or from the workers; fresh results are written to the cache."""
    results: dict[str, FileResult] = {}
    total = len(feeder.targets)

    def record(result: FileResult) -> None:
        results[result.relpath] = result
        if progress is not None:
            progress(len(results), total)

    for result in run_tasks(spec, feeder.tasks(), jobs):
        while feeder.ready:
            record(feeder.ready.pop())
        record(result)
        if result_cache is not None and result.relpath in feeder.keys:
            digest, rule_ids = feeder.keys[result.relpath]
            result_cache.put(result.relpath, digest, rule_ids, result)
    while feeder.ready:
        record(feeder.ready.pop())
    if result_cache is not None:
        result_cache.save()
    return results


def _run_repo_rules(
    ruleset: RuleSet,
    everything: Sequence[Target],
    results: Mapping[str, FileResult],
    settings: Mapping[str, Mapping[str, Any]],
) -> tuple[list[Finding], list[ScanError]]:
    """Run each repository rule's judgement over what it collected from every file.
    ``everything`` is every file the scan discovered, whatever its kind."""
    repo_rules = [r for r in ruleset.rules if issubclass(r, RepoRule)]
    if not repo_rules:
        return [], []
    files = tuple(FileInfo(t.relpath, t.kind) for t in everything)
    by_path = {t.relpath: t for t in everything}
    reports: list[Report] = []
    errors: list[ScanError] = []
    for rule_class in repo_rules:
        meta = rule_class.metadata()
        facts = {
            path: decode_facts(value)
            for path, result in sorted(results.items())
            for rule_id, value in result.facts
            if rule_id == meta.id
        }
        sink: list[Report] = []
        try:
            rule_class(settings.get(meta.id, {})).check_repo(
                Repository(files, facts), RepoContext(meta, settings.get(meta.id, {}), sink)
            )
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
    return findings, errors


def scan(
    paths: Sequence[str | os.PathLike] = (".",),
    *,
    config: Config | Mapping[str, Any] | str | os.PathLike | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    jobs: int | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    root: str | os.PathLike | None = None,
    rules: Sequence[type[Rule]] = (),
    installed_rules: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """Scan ``paths`` (files or directories) and return a :class:`ScanResult`.

    ``config`` is a :class:`Config`, a dict shaped like the ``[tool.prodready-lint]``
    table, or a path to a pyproject.toml / TOML file; by default the nearest
    pyproject.toml with that table at or above the directory holding all ``paths``.
    ``select`` replaces the configured selection and ``ignore`` adds to it. ``jobs`` defaults to the number of CPUs
    available. ``rules`` adds rule classes to the installed packs, or replaces them
    when ``installed_rules`` is false. ``progress(done, total)`` is called as files
    complete. ``root`` (default: the git work tree or the working directory) is what
    reported paths are relative to.
    """
    started = time.perf_counter()
    targets_in = [Path(p) for p in paths] or [Path(".")]
    root_path = Path(root).resolve() if root is not None else find_root(targets_in)
    cfg, problems = _load_config(config, _common_directory(targets_in), root_path)
    errors: list[ScanError] = [_relative_to(root_path, p) for p in problems]

    if installed_rules:
        packs, pack_problems = load_packs(rules)
        errors.extend(pack_problems)
    else:
        packs = [RulePack("extra", "0", tuple(rules))]
    ruleset, rule_problems = resolve_rules(
        packs, cfg, root_path, select=tuple(select) if select is not None else None, ignore=tuple(ignore)
    )
    errors.extend(_relative_to(root_path, p) for p in rule_problems)

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
    kinds = ruleset.kinds
    targets = tuple(t for t in found.files if t.kind in kinds)

    result_cache = None
    if cache and ruleset.rules:
        directory = (
            Path(cache_dir) if cache_dir else (base / cfg.cache_dir if cfg.cache_dir else default_cache_dir(root_path))
        )
        result_cache = ResultCache(directory, ruleset.digest)

    worker_jobs = default_jobs() if not jobs or jobs < 1 else jobs
    run_jobs = 1 if len(targets) < _SMALL_SCAN else worker_jobs
    spec = WorkerSpec(
        rules=ruleset.rules,
        settings={k: dict(v) for k, v in ruleset.settings.items()},
        severities=dict(ruleset.severities),
    )
    if run_jobs > 1 and not can_dispatch(spec):
        log.warning("rules made at run time cannot be sent to worker processes; analyzing in this process")
        run_jobs = 1
    feeder = _Feeder(targets, ruleset, cfg, result_cache)
    results = _analyze(spec, feeder, run_jobs, result_cache, progress)

    findings: list[Finding] = []
    for result in results.values():
        findings.extend(result.findings)
        errors.extend(result.errors)
    if ruleset.per_file_ignores:  # what repository rules reported while collecting
        findings = [f for f in findings if not ruleset.ignores(f.path, f.rule_id)]
    repo_findings, repo_errors = _run_repo_rules(ruleset, found.files, results, ruleset.settings)
    findings.extend(repo_findings)
    errors.extend(repo_errors)

    findings.sort(key=lambda f: f.sort_key)
    errors = sorted(set(errors), key=lambda e: (not e.is_config, e.path, e.line or 0, e.kind, e.message))
    notes = [e for e in errors if e.is_note]
    errors = [e for e in errors if not e.is_note]
    statuses = [r.status for path, r in results.items() if path not in feeder.cached]
    stats = Stats(
        files_seen=len(targets),
        files_parsed=statuses.count("parsed"),
        files_skipped=statuses.count("skipped"),
        files_cached=len(feeder.cached),
        files_failed=statuses.count("failed"),
        files_excluded=found.excluded,
        rules=len(ruleset.rules),
        jobs=run_jobs,
        seconds=round(time.perf_counter() - started, 3),
    )
    return ScanResult(
        findings=tuple(f for f in findings if not f.suppressed),
        suppressed=tuple(f for f in findings if f.suppressed),
        errors=tuple(errors),
        stats=stats,
        rules=ruleset.metadata,
        root=str(root_path),
        config=cfg,
        notes=tuple(notes),
    )
