"""The terminal report: ``path:line:col: ID message`` with the source line, per file.

Colour only when the caller says so (a TTY, never a pipe); the text is otherwise
identical, so CI logs and pipes get plain, stable lines.
"""

from __future__ import annotations

from collections import Counter

from prodready_lint.api import ScanResult
from prodready_lint.sdk.model import Finding, Severity
from prodready_lint.textsafe import printable

_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RED = "\033[31m"
_YELLOW = "\033[33m"
_BLUE = "\033[34m"
_CYAN = "\033[36m"
_SEVERITY_COLOUR = {
    Severity.CRITICAL: _RED + _BOLD,
    Severity.HIGH: _RED,
    Severity.MEDIUM: _YELLOW,
    Severity.LOW: _BLUE,
    Severity.INFO: _DIM,
}


class _Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour and text else text


def _caret(snippet: str, finding: Finding) -> tuple[str, str]:
    """The snippet with tabs expanded, and a ^^^ line under the flagged part."""
    span = finding.location.span
    start = max(span.column - 1, 0)
    end = span.end_column - 1 if span.end_line == span.line else len(snippet.rstrip())
    end = max(min(end, len(snippet.rstrip())), start + 1)
    prefix = snippet[:start].expandtabs(4)
    marked = snippet[start:end].expandtabs(4)
    return snippet.expandtabs(4).rstrip(), " " * len(prefix) + "^" * max(len(marked), 1)


def render_finding(finding: Finding, style: _Style, show_source: bool = True) -> list[str]:
    loc = finding.location
    head = (
        f"{style(printable(loc.path), _BOLD)}:{loc.line}:{loc.column}: "
        f"{style(finding.rule_id, _CYAN + _BOLD)} {printable(finding.message)} "
        f"{style('[' + finding.severity.value + ']', _SEVERITY_COLOUR[finding.severity])}"
    )
    lines = [head]
    if show_source and finding.snippet.strip():
        source, caret = _caret(finding.snippet, finding)
        source = printable(source)
        gutter = str(loc.line)
        lines.append(style(f"{gutter:>6} | ", _DIM) + source)
        lines.append(style(f"{'':>6} | ", _DIM) + style(caret, _SEVERITY_COLOUR[finding.severity]))
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _problem_counts(result: ScanResult) -> list[str]:
    """What went wrong, counted the way the stderr listing shows it."""
    files: set[str] = set()
    directories = rules = config = usage = 0
    for error in result.errors:
        if error.is_usage:
            usage += 1
        elif error.is_config:
            config += 1
        elif error.kind in ("rule-crash", "rule-error"):
            rules += 1
        elif error.kind == "unreadable" and error.message.startswith("cannot list directory"):
            directories += 1
        else:
            files.add(error.path)
    parts = []
    if files:
        parts.append(f"{_plural(len(files), 'file')} could not be analyzed")
    if directories:
        parts.append(f"{directories} director{'y' if directories == 1 else 'ies'} could not be read")
    if rules:
        parts.append(_plural(rules, "rule error"))
    if config:
        parts.append(_plural(config, "configuration problem"))
    if usage:
        parts.append(_plural(usage, "usage problem"))
    return parts


def summary_lines(result: ScanResult, style: _Style) -> list[str]:
    stats = result.stats
    findings = result.findings
    out = []
    if findings:
        counts = Counter(f.severity for f in findings)
        by_severity = ", ".join(
            style(f"{counts[s]} {s.value}", _SEVERITY_COLOUR[s]) for s in sorted(counts, reverse=True)
        )
        files = len({f.path for f in findings})
        out.append(f"Found {_plural(len(findings), 'finding')} in {_plural(files, 'file')} ({by_severity}).")
        rules = Counter(f.rule_id for f in findings)
        top = ", ".join(f"{rule_id} x{count}" for rule_id, count in rules.most_common(5))
        out.append(f"By rule: {top}{', ...' if len(rules) > 5 else ''}. Details: prodready-lint rule <ID>")
    else:
        out.append(style("No findings.", _BOLD))
    if result.suppressed:
        out.append(f"{_plural(len(result.suppressed), 'finding')} suppressed by inline comments.")
    if result.scope:
        out.append(f"Only findings {' and '.join(result.scope)} are reported.")
    problems = _problem_counts(result)
    if problems:
        out.append(style(f"{', '.join(problems)} (listed on stderr).", _YELLOW))
    skipped = [n for n in result.notes if n.kind == "skipped"]
    if skipped:
        out.append(f"{_plural(len(skipped), 'file')} recognised and skipped (listed on stderr).")
    parts = [f"{stats.files_parsed} analyzed", f"{stats.files_cached} cached", f"{stats.files_skipped} not needed"]
    if stats.files_failed:
        parts.append(f"{stats.files_failed} failed")
    excluded = f", {stats.files_excluded} excluded" if stats.files_excluded else ""
    out.append(
        f"Scanned {_plural(stats.files_seen, 'file')} ({', '.join(parts)}{excluded}) "
        f"with {_plural(stats.rules, 'rule')} in {stats.seconds:.2f}s."
    )
    return out


def render(result: ScanResult, *, colour: bool = False, quiet: bool = False, show_source: bool = True) -> str:
    """The whole report; ``quiet`` leaves only the finding lines."""
    style = _Style(colour)
    lines: list[str] = []
    previous_path = None
    for finding in result.findings:
        if previous_path is not None and finding.path != previous_path and show_source and not quiet:
            lines.append("")
        previous_path = finding.path
        lines.extend(render_finding(finding, style, show_source=show_source and not quiet))
    if not quiet:
        if lines:
            lines.append("")
        lines.extend(summary_lines(result, style))
    return "\n".join(lines) + ("\n" if lines else "")
