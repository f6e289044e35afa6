"""The command line: ``prodready-lint scan``, ``rules`` and ``rule``; for pack authors,
``new-rule`` and ``test-rules``.

Exit codes: 0 nothing at or above the severity threshold, 1 findings, 2 usage or
configuration error, 3 no findings but some files could not be analyzed (``--exit-zero``
turns 1 and 3 into 0). The report goes to stdout (or ``--output``); problems go to
stderr, one line each.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from prodready_lint import _version
from prodready_lint.budget import default_jobs

if TYPE_CHECKING:  # pragma: no cover
    from prodready_lint.errors import ScanError
    from prodready_lint.sdk.model import Severity

# The engine is imported only when a run needs it: a warm run replays its last report.
FORMATS = ("text", "json", "sarif")

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_FILE_ERRORS, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 3, 130, 143


def _selectors(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _severity(text: str) -> Severity:
    from prodready_lint.sdk.model import Severity

    try:
        return Severity.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("--jobs must be 0 (all CPUs) or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prodready-lint",
        description="Audit a repository for production-readiness gaps.",
        epilog="Run 'prodready-lint scan --help' for the scan options.",
    )
    parser.add_argument("--version", action="version", version=f"prodready-lint {_version.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser(
        "scan",
        help="scan files and directories (default: the current directory)",
        description="Scan files and directories for production-readiness gaps.",
        epilog="Exit codes: 0 clean, 1 findings at or above the threshold, 2 usage or configuration error, "
        "3 no findings but some files could not be analyzed.",
    )
    run.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    run.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    run.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    run.add_argument(
        "--select",
        action="append",
        metavar="SELECTORS",
        help="run only these rules: ids, id prefixes, rule names or checklist slugs, comma-separated "
        "(replaces the configured selection)",
    )
    run.add_argument(
        "--ignore", action="append", metavar="SELECTORS", help="skip these rules (added to the configured ignores)"
    )
    run.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help=f"worker processes (default: 0 = all available CPUs, here {default_jobs()})",
    )
    run.add_argument(
        "--no-cache", action="store_true", help="analyze every file, neither reading nor writing the cache"
    )
    run.add_argument("--cache-dir", metavar="DIR", help="cache directory (default: ROOT/.prodready-cache)")
    run.add_argument(
        "--config", metavar="FILE", help="a pyproject.toml or standalone TOML config (default: discovered)"
    )
    run.add_argument(
        "--severity-threshold",
        type=_severity,
        metavar="LEVEL",
        help="lowest severity that fails the run: info, low, medium, high, critical (default: low)",
    )
    run.add_argument(
        "-q", "--quiet", action="store_true", help="print findings only: no source lines, summary or progress"
    )
    run.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings or unanalyzable files"
    )
    run.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour the text report (default: auto)"
    )
    run.add_argument("--no-progress", action="store_true", help="never draw the progress bar")
    run.add_argument("--root", metavar="DIR", help="report paths relative to DIR (default: the git work tree or .)")
    run.add_argument("--debug", action="store_true", help="print the traceback of every rule that crashed")
    _add_rules_options(run)

    rules = commands.add_parser(
        "rules",
        help="list the rules: installed, local (--rules) and configured",
        description="List every rule with its pack, the pack's version, checklist slugs and severity.",
    )
    rules.add_argument("--format", choices=("text", "json"), default="text")
    _add_rules_options(rules, config=True)

    rule = commands.add_parser("rule", help="show a rule's documentation", description="Show a rule's documentation.")
    rule.add_argument("rule_id", metavar="ID")
    _add_rules_options(rule, config=True)

    new_rule = commands.add_parser(
        "new-rule",
        help="scaffold a rule (docs, examples, an annotated fixture) in a new or existing pack",
        description="Scaffold a rule with its documentation, examples and an annotated fixture, into a new "
        "pack or an existing one.",
    )
    new_rule.add_argument("name", metavar="NAME", help="the rule's kebab-case name, e.g. celery-task-time-limit")
    new_rule.add_argument(
        "--kind",
        required=True,
        choices=("python", "yaml", "dockerfile", "terraform", "sql", "repo"),
        help="python, dockerfile, terraform or sql: a rule on that file kind; yaml: a Semgrep rule; "
        "repo: a repository rule",
    )
    new_rule.add_argument("--pack", default=".", metavar="DIR", help="the pack's directory (default: .)")
    new_rule.add_argument("--id", dest="rule_id", metavar="ID", help="the rule id (default: the next free one)")
    new_rule.add_argument("--prefix", metavar="PREFIX", help="a new pack's vendor id prefix, e.g. ACME")

    test_rules = commands.add_parser(
        "test-rules",
        help="check a pack's documentation examples and fixtures, and its Semgrep tests",
        description="Run every rule of a pack on its documentation examples and its annotated fixtures "
        "(and 'semgrep test' on its Semgrep rules) and print every mismatch.",
    )
    test_rules.add_argument("path", metavar="PATH", help="the pack: a directory or file, as for --rules")
    return parser


def _add_rules_options(parser: argparse.ArgumentParser, config: bool = False) -> None:
    parser.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PATH",
        help="load a local pack: a directory or file of Python or Semgrep YAML rules (repeatable)",
    )
    if config:
        parser.add_argument("--config", metavar="FILE", help="a pyproject.toml or TOML config (default: discovered)")


_REPEATED_PROBLEMS = 10


def _on_terminal() -> bool:
    try:
        return sys.stdout.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _print_errors(errors: Sequence[ScanError], debug: bool = False) -> None:
    for error in errors:
        sys.stderr.write(_error_lines(error, debug))


def _write(text: str, output: str | None) -> bool:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return True
    try:
        directory = os.path.dirname(os.path.abspath(output))
        os.makedirs(directory, exist_ok=True)
        with open(output, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
    except OSError as error:
        print(f"prodready-lint: cannot write {output}: {error.strerror}", file=sys.stderr)
        return False
    return True


def _replay_directory(args: argparse.Namespace) -> str | None:
    """Where the cache (and the kept report of the last run) lives, found without the
    engine: --cache-dir, $PRODREADY_LINT_CACHE_DIR, the configuration's cache-dir, or
    ROOT/.prodready-cache."""
    if args.cache_dir:
        return os.path.abspath(args.cache_dir)
    if os.environ.get("PRODREADY_LINT_CACHE_DIR"):
        return os.path.abspath(os.environ["PRODREADY_LINT_CACHE_DIR"])
    from pathlib import Path

    from prodready_lint.roots import find_root

    paths = [Path(p) for p in args.paths] or [Path(".")]
    root = Path(os.path.abspath(args.root)) if args.root else find_root(paths)
    configured = _configured_cache_dir(args, paths, root)
    if configured is False:
        return None  # a configuration that cannot be read: no replay, the scan reports it
    return configured or str(root / ".prodready-cache")


def _configured_cache_dir(args: argparse.Namespace, paths, root) -> str | bool | None:
    """The cache-dir the configuration sets (absolute), None when it sets none, False
    when the configuration cannot be read here."""
    import tomllib
    from pathlib import Path

    def table_of(path: Path):
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
        tool = data.get("tool")
        nested = tool.get("prodready-lint") if isinstance(tool, dict) else None
        if path.name == "pyproject.toml" or (nested is not None and set(data) == {"tool"}):
            return nested
        return data

    try:
        if args.config:
            candidates = [Path(args.config)]
        else:
            directories = [
                os.path.abspath(p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))) for p in paths
            ]
            start = Path(os.path.commonpath(directories))
            candidates = []
            for directory in (start, *start.parents):
                candidates.append(directory / "pyproject.toml")
                if directory == root or root not in directory.parents:
                    break
        for candidate in candidates:
            if not candidate.is_file():
                continue
            table = table_of(candidate)
            if table is None:
                continue
            value = table.get("cache-dir")
            return os.path.abspath(os.path.join(candidate.parent, value)) if isinstance(value, str) else None
    except (OSError, ValueError):
        return False
    return None


def _emit(kept: dict, output: str | None, seconds: float | None = None) -> int:
    """Print a run's output: problems first, then the report (or write it to a file)."""
    from prodready_lint.memo import render_seconds

    report = kept["report"] if seconds is None else render_seconds(kept["report"], seconds)
    sys.stderr.write(kept["before"])
    if not _write(report, output):
        return EXIT_USAGE
    sys.stderr.write(kept["after"])
    sys.stderr.flush()
    return int(kept["exit"])


def _scan(args: argparse.Namespace, argv: Sequence[str]) -> int:
    started = time.perf_counter()
    replay_directory = key = None
    if not args.no_cache:
        from prodready_lint import memo

        replay_directory = _replay_directory(args)
        if replay_directory is not None:
            key = memo.invocation_key(list(argv))
            kept = memo.load(replay_directory, key)
            if kept is not None:
                return _emit(kept, args.output, time.perf_counter() - started)

    from prodready_lint.api import scan_and_watch
    from prodready_lint.terminal import ProgressBar

    _configure_logging()
    missing_targets = [p for p in args.paths if not os.path.lexists(p)]
    progress = None
    # pre-commit (which sets PRE_COMMIT=1) shows hook output only when the hook is done.
    if not args.quiet and not args.no_progress and not os.environ.get("PRE_COMMIT"):
        progress = ProgressBar(sys.stderr)
    try:
        result, watched = scan_and_watch(
            args.paths,
            config=args.config,
            select=_selectors(args.select),
            ignore=_selectors(args.ignore) or (),
            jobs=args.jobs,
            cache=not args.no_cache,
            cache_dir=args.cache_dir,
            root=args.root,
            rule_paths=args.rules,
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.clear()
    code = result.exit_code(threshold=args.severity_threshold, exit_zero=args.exit_zero)
    if missing_targets and not any(e.kind == "not-found" for e in result.errors):
        code = EXIT_USAGE
    outcome = _compose(result, args, code)
    status = _emit(outcome, args.output)
    if status == code and key is not None and _replayable(result):
        import attrs

        from prodready_lint import memo

        warm = attrs.evolve(result.stats, files_cached=result.stats.files_seen, jobs=0, seconds=memo.SECONDS)
        memo.record(replay_directory, key, watched, _compose(attrs.evolve(result, stats=warm), args, code))
    return status


def _replayable(result) -> bool:
    """A run worth replaying: nothing in it depended on chance (a worker killed, a time
    budget) or on something missing that may appear."""
    transient = {"crash", "timeout", "unreadable", "not-found", "usage", "too-large", "semgrep"}
    return not any(e.kind in transient for e in result.errors)


def _compose(result, args: argparse.Namespace, code: int) -> dict:
    """What a run prints, as text: problems before the report, the report, notices after."""
    from prodready_lint.reporters import render
    from prodready_lint.terminal import use_colour

    colour = args.format == "text" and args.output is None and use_colour(args.color, sys.stdout)
    report = render(
        result,
        args.format,
        colour=colour,
        quiet=args.quiet,
        threshold=args.severity_threshold,
        exit_zero=args.exit_zero,
    )
    before = [_error_lines(error, args.debug) for error in result.errors]
    if not args.quiet:
        before += [f"prodready-lint: note: {note}\n" for note in result.notes]
    after = []
    if result.errors and args.format == "text" and not args.quiet and _on_terminal():
        # On a terminal the problems printed first have scrolled away above the report.
        shown = result.errors[:_REPEATED_PROBLEMS]
        more = len(result.errors) - len(shown)
        lines = [f"  {error}" for error in shown] + ([f"  ... and {more} more above"] if more else [])
        after.append("Problems:\n" + "\n".join(lines) + "\n")
    if args.output and not args.quiet:
        count = len(result.findings)
        findings = f"{count} finding{'' if count == 1 else 's'}"
        after.append(f"prodready-lint: wrote {args.format} report with {findings} to {args.output}\n")
    return {"before": "".join(before), "report": report, "after": "".join(after), "exit": code}


def _error_lines(error, debug: bool) -> str:
    text = f"prodready-lint: {error}\n"
    if debug and error.detail:
        text += "  " + error.detail.rstrip().replace("\n", "\n  ") + "\n"
    return text


def _installed_rules(args: argparse.Namespace):
    """Every rule a scan from here could run: installed packs, the configuration's local
    packs and ``--rules``."""
    from pathlib import Path

    from prodready_lint.config import discover_config, read_config_file
    from prodready_lint.registry import load_packs, resolve_rules
    from prodready_lint.roots import find_root

    here = Path(os.getcwd())
    if args.config:
        cfg, problems = read_config_file(Path(args.config))
    else:
        cfg, problems = discover_config(here, find_root([here]))
    local = (*cfg.rule_paths, *(os.path.abspath(p) for p in args.rules))
    packs, more = load_packs(local=local)
    ruleset, rest = resolve_rules(packs, cfg, here)
    _print_errors(problems + more + [p for p in rest if p.kind != "config"])
    return ruleset.available


def _table(rows: list[list[str]]) -> str:
    """Rows in columns as wide as their widest cell, whatever the lengths; the last column
    is left ragged."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "".join(
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]]).rstrip() + "\n"
        for row in rows
    )


def _rules(args: argparse.Namespace) -> int:
    metas = _installed_rules(args)
    if args.format == "json":
        from prodready_lint.reporters.json_report import rule_dict

        print(json.dumps([rule_dict(meta) for meta in metas], indent=2))
        return EXIT_OK
    rows = [["ID", "NAME", "PACK", "VERSION", "SEVERITY", "CHECKLIST", "SUMMARY"]]
    for meta in metas:
        rows.append(
            [
                meta.id,
                meta.name,
                meta.pack,
                meta.pack_version,
                meta.severity.value,
                ",".join(meta.checklist),
                meta.summary,
            ]
        )
    sys.stdout.write(_table(rows))
    return EXIT_OK


def _rule(args: argparse.Namespace) -> int:
    wanted = args.rule_id.strip()
    for meta in _installed_rules(args):
        if wanted in (meta.id, meta.name):
            cwe = ", ".join(f"CWE-{n}" for n in meta.cwe)
            facts = [meta.severity.value, f"confidence {meta.confidence.value}", ", ".join(meta.checklist)]
            if cwe:
                facts.append(cwe)
            print(f"# {meta.id} {meta.name} ({'; '.join(facts)})")
            print(f"Pack: {meta.pack} {meta.pack_version}\n")
            print(meta.documentation(), end="")
            return EXIT_OK
    print(f"prodready-lint: no installed rule is called {wanted!r}; see 'prodready-lint rules'", file=sys.stderr)
    return EXIT_USAGE


class _Terminated(KeyboardInterrupt):
    """SIGTERM, stopping the scan the way Ctrl-C does."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def _safe_streams() -> None:
    """Whatever a report holds, writing it never fails on encoding (invalid UTF-8 file
    names are escaped by the reporters; this is the last line of defence)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")


def _configure_logging() -> None:
    import logging

    logging.basicConfig(level=logging.WARNING, format="prodready-lint: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    _safe_streams()
    with contextlib.suppress(ValueError):  # not in the main thread
        signal.signal(signal.SIGTERM, _on_sigterm)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "scan":
            return _scan(args, sys.argv[1:] if argv is None else list(argv))
        _configure_logging()
        if args.command == "rules":
            return _rules(args)
        if args.command == "new-rule":
            from prodready_lint.scaffold import new_rule

            return new_rule(args.name, args.kind, args.pack, rule_id=args.rule_id, prefix=args.prefix)
        if args.command == "test-rules":
            from prodready_lint.pack_check import run_pack_tests

            return run_pack_tests(args.path)
        return _rule(args)
    except _Terminated:
        print("prodready-lint: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("prodready-lint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (| head): exit quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
