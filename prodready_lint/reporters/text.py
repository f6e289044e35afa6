"""The terminal report: ``path:line:col: ID message`` with the source line, per file.

Colour only when the caller says so (a TTY, never a pipe); the text is otherwise
identical, so CI logs and pipes get plain, stable lines.
"""

from __future__ import annotations

from collections import Counter

from prodready_lint.api import ScanResult
from prodready_lint.sdk.model import Finding, Severity

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
        f"{style(loc.path, _BOLD)}:{loc.line}:{loc.column}: "
        f"{style(finding.rule_id, _CYAN + _BOLD)} {finding.message} "
        f"{style('[' + finding.severity.value + ']', _SEVERITY_COLOUR[finding.severity])}"
    )
    lines = [head]
    if show_source and finding.snippet.strip():
        source, caret = _caret(finding.snippet, finding)
        gutter = str(loc.line)
        lines.append(style(f"{gutter:>6} | ", _DIM) + source)
        lines.append(style(f"{'':>6} | ", _DIM) + style(caret, _SEVERITY_COLOUR[finding.severity]))
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


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
    file_errors = [e for e in result.errors if not e.is_config]
    config_errors = [e for e in result.errors if e.is_config]
    if file_errors:
        out.append(style(f"{_plural(len(file_errors), 'file')} could not be analyzed (listed on stderr).", _YELLOW))
    if config_errors:
        out.append(style(f"{_plural(len(config_errors), 'configuration problem')} (listed on stderr).", _RED))
    if result.notes:
        out.append(f"{_plural(len(result.notes), 'file')} recognised and skipped (listed on stderr).")
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
