"""The command line: ``prodready-lint scan``, ``rules`` and ``rule``.

Exit codes: 0 nothing at or above the severity threshold, 1 findings, 2 usage or
configuration error, 3 no findings but some files could not be analyzed (``--exit-zero``
turns 1 and 3 into 0). The report goes to stdout (or ``--output``); problems go to
stderr, one line each.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence

from prodready_lint import _version
from prodready_lint.api import scan
from prodready_lint.budget import default_jobs
from prodready_lint.errors import ScanError
from prodready_lint.reporters import FORMATS, render
from prodready_lint.sdk.model import Severity
from prodready_lint.terminal import ProgressBar, use_colour

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_FILE_ERRORS, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 3, 130, 143


def _selectors(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _severity(text: str) -> Severity:
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

    rules = commands.add_parser("rules", help="list the installed rules", description="List the installed rules.")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    rule = commands.add_parser("rule", help="show a rule's documentation", description="Show a rule's documentation.")
    rule.add_argument("rule_id", metavar="ID")
    return parser


_REPEATED_PROBLEMS = 10


def _on_terminal() -> bool:
    try:
        return sys.stdout.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _print_errors(errors: Sequence[ScanError], debug: bool = False) -> None:
    for error in errors:
        print(f"prodready-lint: {error}", file=sys.stderr)
        if debug and error.detail:
            print("  " + error.detail.rstrip().replace("\n", "\n  "), file=sys.stderr)


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


def _scan(args: argparse.Namespace) -> int:
    missing_targets = [p for p in args.paths if not os.path.lexists(p)]
    progress = None
    # pre-commit (which sets PRE_COMMIT=1) shows hook output only when the hook is done.
    if not args.quiet and not args.no_progress and not os.environ.get("PRE_COMMIT"):
        progress = ProgressBar(sys.stderr)
    try:
        result = scan(
            args.paths,
            config=args.config,
            select=_selectors(args.select),
            ignore=_selectors(args.ignore) or (),
            jobs=args.jobs,
            cache=not args.no_cache,
            cache_dir=args.cache_dir,
            root=args.root,
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.clear()
    threshold = args.severity_threshold
    colour = args.format == "text" and args.output is None and use_colour(args.color, sys.stdout)
    report = render(result, args.format, colour=colour, quiet=args.quiet, threshold=threshold, exit_zero=args.exit_zero)
    _print_errors(result.errors, debug=args.debug)
    if not args.quiet:
        for note in result.notes:
            print(f"prodready-lint: note: {note}", file=sys.stderr)
    if not _write(report, args.output):
        return EXIT_USAGE
    if result.errors and args.format == "text" and not args.quiet and _on_terminal():
        # On a terminal the problems printed first have scrolled away above the report.
        shown = result.errors[:_REPEATED_PROBLEMS]
        more = len(result.errors) - len(shown)
        lines = [f"  {error}" for error in shown] + ([f"  ... and {more} more above"] if more else [])
        print("Problems:\n" + "\n".join(lines), file=sys.stderr)
    if args.output and not args.quiet:
        count = len(result.findings)
        findings = f"{count} finding{'' if count == 1 else 's'}"
        print(f"prodready-lint: wrote {args.format} report with {findings} to {args.output}", file=sys.stderr)
    if missing_targets and not any(e.kind == "not-found" for e in result.errors):
        return EXIT_USAGE
    return result.exit_code(threshold=threshold, exit_zero=args.exit_zero)


def _installed_rules():
    from prodready_lint.config import Config
    from prodready_lint.registry import load_packs, resolve_rules

    packs, problems = load_packs()
    ruleset, more = resolve_rules(packs, Config(), os.getcwd())
    _print_errors(problems + more)
    return ruleset.available


def _rules(args: argparse.Namespace) -> int:
    metas = _installed_rules()
    if args.format == "json":
        from prodready_lint.reporters.json_report import rule_dict

        print(json.dumps([rule_dict(meta) for meta in metas], indent=2))
        return EXIT_OK
    width = max((len(m.name) for m in metas), default=4)
    for meta in metas:
        print(
            f"{meta.id:<8} {meta.name:<{width}}  {meta.severity.value:<8} {','.join(meta.checklist):<12} {meta.summary}"
        )
    return EXIT_OK


def _rule(args: argparse.Namespace) -> int:
    wanted = args.rule_id.strip()
    for meta in _installed_rules():
        if wanted in (meta.id, meta.name):
            cwe = ", ".join(f"CWE-{n}" for n in meta.cwe)
            facts = [meta.severity.value, f"confidence {meta.confidence.value}", ", ".join(meta.checklist)]
            if cwe:
                facts.append(cwe)
            print(f"# {meta.id} {meta.name} ({'; '.join(facts)})\n")
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


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="prodready-lint: %(message)s")
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
            return _scan(args)
        if args.command == "rules":
            return _rules(args)
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
