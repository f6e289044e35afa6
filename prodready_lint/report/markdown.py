"""The assessment as Markdown, in the shape of the readiness audits it comes from."""

from __future__ import annotations

from typing import Any

__all__ = ["render"]

VERDICT_MARK = {"READY": "🟢 READY", "CONDITIONAL": "🟡 CONDITIONAL", "NOT READY": "🔴 NOT READY"}
CATEGORY_MARK = {"ready": "🟢 Ready", "issues": "🟡 Issues", "blocked": "🔴 Blocked"}
STATUS_MARK = {
    "passed": "✅ passed",
    "failed": "❌ failed",
    "not applicable": "➖ not applicable",
    "signal only": "📡 signal only",
    "needs attestation": "✍️ needs attestation",
}
EVIDENCE_SHOWN = 20
SIGNAL_EVIDENCE_SHOWN = 5


def status_mark(entry: dict) -> str:
    """An item's status as shown: a signal the repository shows is marked seen."""
    if entry["status"] == "signal only" and entry.get("signal") == "seen":
        return "📡 signal seen"
    return STATUS_MARK[entry["status"]]


def _cell(text: Any) -> str:
    """Text safe inside a table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _where(evidence: dict) -> str:
    return f"{evidence['path']}:{evidence['line']}"


def _header(report: dict) -> list[str]:
    app = report["application"]
    name = app["name"] + (f" {app['version']}" if app["version"] else "")
    lines = [
        f"# Production Readiness Report: {name}",
        "",
        f"**Evaluated:** {report['date']}  ",
        f"**Application:** {app['name']}  ",
        f"**Version:** {app['version'] or 'unknown'}  ",
        f"**Criticality:** Tier {report['tier']} ({report['tier_means']})  ",
    ]
    if report["commit"]:
        lines.append(f"**Commit:** `{report['commit']}`  ")
    if report["scope"]:
        lines.append(f"**Scope:** findings {'; '.join(report['scope'])}  ")
    tool = report.get("tool") or {}
    lines.append(f"**Evaluator:** prodready-lint {tool.get('version', '')}".rstrip())
    return lines


def _summary(report: dict) -> list[str]:
    lines = [
        "",
        "## Executive Summary",
        "",
        "| Category | Status | Blockers | Issues | To attest | Score |",
        "|----------|--------|----------|--------|-----------|-------|",
    ]
    for row in report["summary"]:
        score = "n/a" if row["score"] is None else f"{row['score']}/10"
        lines.append(
            f"| {row['category']} | {CATEGORY_MARK[row['status']]} | {row['blockers']} | {row['issues']} "
            f"| {row['needs_attestation']} | {score} |"
        )
    lines += [
        "",
        f"**Overall Status:** {VERDICT_MARK[report['verdict']]} ({'; '.join(report['verdict_reasons'])})",
    ]
    if report["scope"]:
        lines += ["", f"Only findings {' and '.join(report['scope'])} are counted."]
    return lines


def _entry_table(title: str, entries: list[dict]) -> list[str]:
    lines = ["", f"### {title}", ""]
    if not entries:
        return [*lines, "None."]
    lines += [
        "| ID | Category | Item | Issue | Severity | Evidence |",
        "|----|----------|------|-------|----------|----------|",
    ]
    for entry in entries:
        count = len(entry["evidence"])
        where = _where(entry["evidence"][0]) + (f" (+{count - 1} more)" if count > 1 else "")
        lines.append(
            f"| {entry['id']} | {entry['category']} | `{entry['item']}` | {_cell(entry['title'])} "
            f"| {entry['severity']} | {_cell(where)} |"
        )
    return lines


def _entry_details(entry: dict) -> list[str]:
    lines = [
        "",
        f"### {entry['id']}: {entry['title']}",
        "",
        f"**Category:** {entry['category']}  ",
        f"**Checklist item:** `{entry['item']}`  ",
        f"**Severity:** {entry['severity']}  ",
        f"**Rule:** {entry['rule']}" + (f" ({entry['rule_name']})" if entry["rule_name"] else ""),
        "",
        "**Evidence:**",
        "",
    ]
    shown = entry["evidence"][:EVIDENCE_SHOWN]
    lines += [f"- `{_cell(_where(e))}`: {_cell(e['message'])}" for e in shown]
    if len(entry["evidence"]) > len(shown):
        lines.append(f"- ... and {len(entry['evidence']) - len(shown)} more (the JSON report lists them all)")
    lines += ["", f"**Remediation:** {entry['remediation']}"]
    if entry.get("help_uri"):
        lines.append(f"See {entry['help_uri']}.")
    return lines


def _checklist(report: dict) -> list[str]:
    lines = ["", "## Category Scores and the Full Checklist"]
    for row in report["summary"]:
        score = "n/a" if row["score"] is None else f"{row['score']}/10"
        lines += ["", f"### {row['category']} ({score})", "", "| Item | Status | Why |", "|------|--------|-----|"]
        for entry in report["checklist"]:
            if entry["category"] == row["category"]:
                lines.append(
                    f"| `{entry['item']}`: {_cell(entry['proves'])} | {status_mark(entry)} | {_cell(entry['reason'])} |"
                )
    return lines


def _signals(report: dict) -> list[str]:
    """Where the repository shows each signal item: ``path:line`` and what was seen."""
    seen = [e for e in report["checklist"] if e.get("signal") == "seen"]
    if not seen:
        return []
    lines = [
        "",
        "## Signals Seen in the Repository",
        "",
        "Evidence, not proof: what the code and configuration show for each signal item. "
        "A person confirms it with `prodready-lint attest ITEM --by NAME`.",
    ]
    for entry in seen:
        state = "confirmed" if entry["status"] == "passed" else "seen"
        lines += ["", f"### `{entry['item']}` ({state}): {_cell(entry['proves'])}", ""]
        shown = entry["evidence"][:SIGNAL_EVIDENCE_SHOWN]
        lines += [f"- `{_cell(_where(e))}`: {_cell(e['message'])}" for e in shown]
        if len(entry["evidence"]) > len(shown):
            lines.append(f"- ... and {len(entry['evidence']) - len(shown)} more (the JSON report lists them all)")
    return lines


def _attestations(report: dict) -> list[str]:
    data = report["attestations"]
    lines = ["", "## Attestations", ""]
    lines.append(
        f"Read from `{data['source']}`; a confirmation older than {data['max_age_days']} days is stale. "
        "Record one with `prodready-lint attest ITEM --by NAME`."
    )
    lines += ["", "| Item | Confirmed by | Date | Status | Note |", "|------|--------------|------|--------|------|"]
    for entry in report["checklist"]:
        if entry["kind"] == "auto" and not entry["attestation"] and entry["status"] != "needs attestation":
            continue
        confirmed = entry["attestation"]
        if confirmed:
            state = "⚠️ stale" if confirmed["stale"] else "current"
            lines.append(
                f"| `{entry['item']}` | {_cell(confirmed['by'])} | {confirmed['date']} | {state} "
                f"| {_cell(confirmed['note'])} |"
            )
        elif entry["kind"] != "signal":
            lines.append(f"| `{entry['item']}` | | | ☐ not attested | {_cell(entry['reason'])} |")
    if data["unknown"]:
        lines += ["", f"Not checklist items (ignored): {', '.join(f'`{u}`' for u in data['unknown'])}."]
    return lines


def _closing(report: dict) -> list[str]:
    lines = ["", "## Go/No-Go Criteria"]
    titles = {"must": "Must Have (Launch Blockers)", "should": "Should Have (Launch with Risk)", "nice": "Nice to Have"}
    for level, title in titles.items():
        rows = [c for c in report["go_no_go"] if c["level"] == level]
        if rows:
            lines += ["", f"### {title}"]
            lines += [f"- [{'x' if c['met'] else ' '}] {c['criterion']}" for c in rows]
    lines += ["", "## Action Items"]
    titles = {
        "P0": "P0: Must fix before production (blockers)",
        "P1": "P1: Should fix soon (warnings)",
        "P2": "P2: Nice to have",
    }
    for priority, title in titles.items():
        lines += ["", f"### {title}", ""]
        actions = report["action_items"][priority]
        if not actions:
            lines.append("None.")
        for number, action in enumerate(actions, 1):
            lines.append(f"{number}. **{action['id']}: {_cell(action['title'])}**")
            lines.append(f"   - Checklist item: `{action['item']}`")
            if action["files"]:
                shown = action["files"][:10]
                more = f" (+{len(action['files']) - len(shown)} more)" if len(action["files"]) > len(shown) else ""
                lines.append(f"   - Files: {', '.join(shown)}{more}")
    if report["problems"]:
        lines += ["", "## Files That Could Not Be Analyzed", ""]
        for problem in report["problems"]:
            where = problem["path"] + (f":{problem['line']}" if problem["line"] else "")
            lines.append(f"- `{_cell(where) or '(run)'}` {problem['kind']}: {_cell(problem['message'])}")
    return lines


def render(report: dict) -> str:
    lines = _header(report) + _summary(report)
    lines += ["", "## Blockers and Issues"]
    lines += _entry_table("Blockers (Must Fix Before Launch)", report["blockers"])
    lines += _entry_table("Issues (Should Fix, Can Launch)", report["issues"])
    for entry in report["blockers"] + report["issues"]:
        lines += _entry_details(entry)
    lines += _checklist(report) + _signals(report) + _attestations(report) + _closing(report)
    return "\n".join(lines) + "\n"
