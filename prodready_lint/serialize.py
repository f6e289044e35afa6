"""Findings and errors to and from plain dicts: one format for the cache and JSON output."""

from __future__ import annotations

from typing import Any

from prodready_lint.errors import ScanError
from prodready_lint.sdk.model import Confidence, Finding, Location, Severity, Span, Suppression


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    span = finding.location.span
    return {
        "rule_id": finding.rule_id,
        "message": finding.message,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "location": {
            "path": finding.location.path,
            "line": span.line,
            "column": span.column,
            "end_line": span.end_line,
            "end_column": span.end_column,
        },
        "checklist": list(finding.checklist),
        "fingerprint": finding.fingerprint,
        "line_hash": finding.line_hash,
        "snippet": finding.snippet,
        "suppression": (
            {"line": finding.suppression.line, "reason": finding.suppression.reason} if finding.suppression else None
        ),
    }


def finding_from_dict(data: dict[str, Any]) -> Finding:
    location = data["location"]
    suppression = data.get("suppression")
    return Finding(
        rule_id=data["rule_id"],
        message=data["message"],
        severity=Severity(data["severity"]),
        confidence=Confidence(data["confidence"]),
        location=Location(
            location["path"],
            Span(location["line"], location["column"], location["end_line"], location["end_column"]),
        ),
        checklist=tuple(data["checklist"]),
        fingerprint=data["fingerprint"],
        line_hash=data["line_hash"],
        snippet=data["snippet"],
        suppression=Suppression(suppression["line"], suppression["reason"]) if suppression else None,
    )


def error_to_dict(error: ScanError) -> dict[str, Any]:
    out = {"path": error.path, "kind": error.kind, "message": error.message, "line": error.line}
    if error.detail:
        out["traceback"] = error.detail
    return out


def error_from_dict(data: dict[str, Any]) -> ScanError:
    return ScanError(data["path"], data["kind"], data["message"], data.get("line"), data.get("traceback"))


def evidence_to_dict(evidence) -> dict[str, Any]:
    span = evidence.span
    return {
        "rule_id": evidence.rule_id,
        "message": evidence.message,
        "location": {
            "path": evidence.path,
            "line": span.line,
            "column": span.column,
            "end_line": span.end_line,
            "end_column": span.end_column,
        },
        "checklist": list(evidence.checklist),
    }
