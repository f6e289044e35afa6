"""``prodready-lint report`` and ``prodready-lint attest``.

``report`` exits 0 when the verdict is READY or CONDITIONAL (``--fail-on conditional``
makes CONDITIONAL exit 1 too), 1 when NOT READY, 2 on a usage or configuration problem.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

__all__ = ["add_commands", "run"]

REPORT_FORMATS = ("markdown", "json", "html")
EXIT_OK, EXIT_NOT_READY, EXIT_USAGE = 0, 1, 2


def _tier(text: str) -> int:
    if text not in ("0", "1", "2"):
        raise argparse.ArgumentTypeError("tier must be 0, 1 or 2")
    return int(text)


def add_commands(commands) -> None:
    from prodready_lint.cli import _jobs, _narrowing_options

    report = commands.add_parser(
        "report",
        help="write a readiness assessment (Markdown, JSON or HTML) with a verdict for a tier",
        description="Scan (or read a saved JSON scan) and write a production-readiness assessment: "
        "the verdict for a tier, blockers and issues with evidence, category scores, the full checklist, "
        "attestations, go/no-go criteria and P0/P1/P2 action items.",
        epilog="Exit codes: 0 READY or CONDITIONAL, 1 NOT READY (or CONDITIONAL with --fail-on conditional), "
        "2 usage or configuration error.",
    )
    report.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    report.add_argument("--tier", type=_tier, default=1, help="criticality tier 0, 1 or 2 (default: 1)")
    report.add_argument("--format", choices=REPORT_FORMATS, default="markdown", help="default: markdown")
    report.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    report.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help="read a saved 'scan --format json' result instead of scanning (the first PATH is still the "
        "repository the header and attestations are read from)",
    )
    report.add_argument(
        "--attestations", metavar="FILE", help="the attestation file (default: prodready.toml in the first PATH)"
    )
    report.add_argument("--name", help="the application's name (default: the project metadata or directory)")
    report.add_argument(
        "--link-base",
        metavar="URL",
        help="prefix of evidence links in HTML, e.g. https://github.com/ORG/REPO/blob/COMMIT/ (default: relative)",
    )
    report.add_argument(
        "--fail-on",
        choices=("not-ready", "conditional"),
        default="not-ready",
        help="the verdict that makes the exit code 1 (default: not-ready)",
    )
    report.add_argument("--config", metavar="FILE", help="a pyproject.toml or standalone TOML config")
    report.add_argument("--no-cache", action="store_true", help="analyze every file without the cache")
    report.add_argument("--cache-dir", metavar="DIR", help="cache directory (default: ROOT/.prodready-cache)")
    report.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N", help="worker processes (default: all)")
    report.add_argument("--root", metavar="DIR", help="report paths relative to DIR (default: the git work tree)")
    _narrowing_options(report)

    attest = commands.add_parser(
        "attest",
        help="record that a person confirmed a manual checklist item",
        description="Record in prodready.toml that NAME confirmed a checklist item (on-call, incident-response, "
        "slo, load-testing, or any other item) on a date.",
    )
    attest.add_argument("item", metavar="ITEM", help="a checklist slug, e.g. on-call")
    attest.add_argument("--by", required=True, metavar="NAME", help="who confirmed it")
    attest.add_argument("--date", metavar="YYYY-MM-DD", help="when (default: today, UTC)")
    attest.add_argument("--note", default="", help="what was confirmed, or where it is documented")
    attest.add_argument("--file", metavar="FILE", help="the attestation file (default: ./prodready.toml)")


def _problem(message: str) -> int:
    print(f"prodready-lint: {message}", file=sys.stderr)
    return EXIT_USAGE


def _attest(args: argparse.Namespace) -> int:
    import datetime as dt

    from prodready_lint.report.attestations import FILE_NAME, Attestation, AttestationError, write
    from prodready_lint.report.project import report_date
    from prodready_lint.sdk.checklist import CHECKLIST, is_valid_slug

    slug = args.item.strip()
    if not is_valid_slug(slug):
        return _problem(f"{slug!r} is not a checklist item (a kebab-case slug such as on-call)")
    if slug not in CHECKLIST:
        print(f"prodready-lint: note: {slug} is not a built-in checklist item; recorded anyway", file=sys.stderr)
    try:
        date = dt.date.fromisoformat(args.date) if args.date else report_date()
    except ValueError:
        return _problem(f"--date must be YYYY-MM-DD, got {args.date!r}")
    if not args.by.strip():
        return _problem("--by must name who confirmed it")
    path = args.file or FILE_NAME
    try:
        write(path, Attestation(slug, args.by.strip(), date, args.note.strip()))
    except AttestationError as error:
        return _problem(str(error))
    print(f"prodready-lint: {slug} attested by {args.by.strip()} on {date.isoformat()} in {path}", file=sys.stderr)
    return EXIT_OK


def _scan_dict(args: argparse.Namespace) -> dict | str:
    """The JSON scan result the report reads: from --from, or from a scan run now."""
    if args.from_file:
        try:
            with open(args.from_file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as error:
            return f"cannot read the scan result {args.from_file}: {getattr(error, 'strerror', None) or error}"
        if not isinstance(data, dict) or data.get("schema_version") != 1 or "findings" not in data:
            return f"{args.from_file} is not a 'prodready-lint scan --format json' result"
        if args.baseline or args.changed_since or args.write_baseline:
            return "--baseline, --write-baseline and --changed-since apply to a scan; give them to 'scan' with --from"
        return data
    from prodready_lint.api import scan
    from prodready_lint.cli import _print_errors, narrow
    from prodready_lint.reporters.json_report import as_dict

    result = scan(
        args.paths,
        config=args.config,
        jobs=args.jobs,
        cache=not args.no_cache,
        cache_dir=args.cache_dir,
        root=args.root,
    )
    config_problems = [e for e in result.errors if e.is_config]
    if config_problems:
        _print_errors(config_problems)
        return "the scan could not run as asked"
    narrowed = narrow(result, args)
    if isinstance(narrowed, str):
        return narrowed
    return as_dict(narrowed)


def _report(args: argparse.Namespace) -> int:
    from prodready_lint.cli import _write
    from prodready_lint.report import build
    from prodready_lint.report.attestations import FILE_NAME, AttestationError, read

    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        return _problem(f"{missing[0]}: no such file or directory")
    scanned = _scan_dict(args)
    if isinstance(scanned, str):
        return _problem(scanned)
    first = args.paths[0]
    repository = first if os.path.isdir(first) else os.path.dirname(os.path.abspath(first))
    attestation_file = args.attestations or os.path.join(repository, FILE_NAME)
    try:
        attestations = read(attestation_file)
    except AttestationError as error:
        return _problem(str(error))
    shown_name = os.path.relpath(attestation_file) if not args.attestations else args.attestations
    report = build(scanned, repository, tier=args.tier, attestations=attestations, name=args.name)
    report["attestations"]["source"] = shown_name.replace(os.sep, "/")
    from prodready_lint.report import render

    text = render(report, args.format, link_base=args.link_base)
    if not _write(text, args.output):
        return EXIT_USAGE
    if args.output:
        print(f"prodready-lint: wrote the {args.format} report ({report['verdict']}) to {args.output}", file=sys.stderr)
    failing = ("NOT READY",) if args.fail_on == "not-ready" else ("NOT READY", "CONDITIONAL")
    return EXIT_NOT_READY if report["verdict"] in failing else EXIT_OK


def run(args: argparse.Namespace) -> int:
    return _attest(args) if args.command == "attest" else _report(args)
