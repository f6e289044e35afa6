"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

What GitHub needs beyond the schema (and what ``shared/tools/check_sarif.py`` checks):
one run; repository-relative POSIX URIs against ``%SRCROOT%``;
``partialFingerprints.primaryLocationLineHash`` computed with GitHub's own algorithm
(so alerts are tracked across commits without the upload action recomputing them);
rule short and full descriptions and help in text and Markdown; ``security-severity``
as a string; at most 20 tags per rule. Suppressed findings are included with an
``inSource`` suppression so the alert shows as dismissed, not as fixed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from prodready_lint import _version
from prodready_lint.api import ScanResult
from prodready_lint.sdk.model import Confidence, Finding
from prodready_lint.sdk.rule import RuleMetadata
from prodready_lint.textsafe import json_safe, printable

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/prodready-lint/prodready-lint"
_MAX_TAGS = 20
_PRECISION = {Confidence.HIGH: "high", Confidence.MEDIUM: "medium", Confidence.LOW: "low"}


def _uri(path: str) -> dict[str, str]:
    """A file's URI: percent-encoded from the name's bytes, so a name that is not UTF-8
    (or holds a newline) still gives a valid URI."""
    if path.startswith("/"):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(os.fsencode(path), safe="/"), "uriBaseId": "%SRCROOT%"}


def _full_description(meta: RuleMetadata) -> str:
    text = (meta.docs.section("What it does") or meta.summary).strip()
    paragraph = text.split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def _plain(markdown: str) -> str:
    """Markdown without headings' hashes and code fences, for consumers that show text."""
    text = re.sub(r"^## (.+)$", lambda m: m.group(1).upper(), markdown, flags=re.MULTILINE)
    return re.sub(r"^```[^\n]*\n?", "", text, flags=re.MULTILINE)


def _tags(meta: RuleMetadata) -> list[str]:
    tags = [*meta.checklist, meta.category.lower()]
    if meta.category == "Security":
        tags.append("security")
    tags += [f"external/cwe/cwe-{n}" for n in meta.cwe]
    tags += list(meta.tags)
    unique: list[str] = []
    for tag in tags:
        if tag not in unique:
            unique.append(tag)
    return unique[:_MAX_TAGS]


def rule_descriptor(meta: RuleMetadata) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": _full_description(meta)},
        "help": {"text": _plain(meta.documentation()), "markdown": meta.documentation()},
        "defaultConfiguration": {"level": meta.severity.sarif_level},
        "properties": {
            "tags": _tags(meta),
            "precision": _PRECISION[meta.confidence],
            "security-severity": meta.severity.security_severity,
            "problem.severity": meta.severity.sarif_level if meta.severity.sarif_level != "note" else "recommendation",
        },
    }
    if meta.help_uri:
        descriptor["helpUri"] = meta.help_uri
    return descriptor


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    span = finding.location.span
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index[finding.rule_id],
        "level": finding.severity.sarif_level,
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _uri(finding.path),
                    "region": {
                        "startLine": span.line,
                        "startColumn": span.column,
                        "endLine": span.end_line,
                        "endColumn": span.end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {"prodreadyFingerprint/v1": finding.fingerprint},
        "properties": {
            "severity": finding.severity.value,
            "confidence": finding.confidence.value,
            "checklist": list(finding.checklist),
        },
    }
    if finding.line_hash:
        result["partialFingerprints"]["primaryLocationLineHash"] = finding.line_hash
    if finding.suppression is not None:
        suppression: dict[str, Any] = {"kind": "inSource", "status": "accepted"}
        if finding.suppression.reason:
            suppression["justification"] = finding.suppression.reason
        result["suppressions"] = [suppression]
    return result


def _addressable(path: str) -> bool:
    """Whether code scanning can point at the file: its name must be UTF-8 (a URI is
    decoded as UTF-8, so a name that is not cannot be named by any URI it reads)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unaddressable(finding: Finding) -> dict[str, Any]:
    """A finding in a file whose name is not UTF-8, kept as a notification: nothing is
    lost, and the results GitHub reads all point at files it can find."""
    where = f"{printable(finding.path)}:{finding.line}:{finding.location.column}"
    return {
        "level": finding.severity.sarif_level,
        "message": {
            "text": f"{finding.rule_id} at {where}: {finding.message} "
            "(reported here because the file name is not valid UTF-8, which code scanning cannot address)"
        },
        "descriptor": {"id": finding.rule_id},
    }


def pack_components(rules: list[RuleMetadata]) -> list[dict[str, Any]]:
    """Every third-party pack whose rules ran, as a SARIF tool extension (the built-in
    rules belong to the driver)."""
    seen: dict[str, str] = {}
    for meta in rules:
        if meta.pack and meta.pack not in ("builtin", "extra"):
            seen.setdefault(meta.pack, meta.pack_version)
    return [
        {"name": name, "version": version, "properties": {"rules": sorted(m.id for m in rules if m.pack == name)}}
        for name, version in sorted(seen.items())
    ]


def as_dict(result: ScanResult) -> dict[str, Any]:
    ordered = sorted(result.rules, key=lambda m: m.id)
    index = {meta.id: i for i, meta in enumerate(ordered)}
    findings = sorted((*result.findings, *result.suppressed), key=lambda f: f.sort_key)
    notifications = [_unaddressable(f) for f in findings if not _addressable(f.path)]
    findings = [f for f in findings if _addressable(f.path)]
    for error in result.errors:
        note: dict[str, Any] = {
            "level": "error" if error.is_config else "warning",
            "message": {"text": f"{error.kind}: {error.message}"},
            "descriptor": {"id": error.kind},
        }
        if error.path and not error.is_config:
            location: dict[str, Any] = {"physicalLocation": {"artifactLocation": _uri(error.path)}}
            if error.line:
                location["physicalLocation"]["region"] = {"startLine": error.line}
            note["locations"] = [location]
        notifications.append(note)
    root_uri = Path(result.root).as_uri().rstrip("/") + "/"
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "prodready-lint",
                        "version": _version.__version__,
                        "semanticVersion": _version.__version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(meta) for meta in ordered],
                    },
                    "extensions": pack_components(ordered),
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
                "columnKind": "unicodeCodePoints",
                "automationDetails": {"id": "prodready-lint/"},
                "invocations": [
                    {
                        "executionSuccessful": not any(e.is_config for e in result.errors),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": [_result(finding, index) for finding in findings],
            }
        ],
    }


def render(result: ScanResult) -> str:
    return json.dumps(json_safe(as_dict(result)), indent=2, ensure_ascii=False) + "\n"
