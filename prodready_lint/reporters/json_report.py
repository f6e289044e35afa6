"""The JSON report, schema version 1 (``schemas/report-v1.json`` describes it).

Additive changes (new optional fields) keep version 1; anything else bumps it.
"""

from __future__ import annotations

import json
from typing import Any

from prodready_lint import _version
from prodready_lint.api import ScanResult
from prodready_lint.serialize import error_to_dict, evidence_to_dict, finding_to_dict
from prodready_lint.textsafe import json_safe

SCHEMA_VERSION = 1


def rule_dict(meta) -> dict[str, Any]:
    """A rule's metadata as the JSON report (and `prodready-lint rules --format json`) show it."""
    return {
        "id": meta.id,
        "name": meta.name,
        "summary": meta.summary,
        "severity": meta.severity.value,
        "confidence": meta.confidence.value,
        "checklist": list(meta.checklist),
        "category": meta.category,
        "cwe": [f"CWE-{n}" for n in meta.cwe],
        "pack": meta.pack,
        "pack_version": meta.pack_version,
        "help_uri": meta.help_uri,
        "kinds": sorted(kind.value for kind in meta.kinds),
    }


def as_dict(result: ScanResult, *, threshold=None, exit_zero: bool = False) -> dict[str, Any]:
    stats = result.stats
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "prodready-lint", "version": _version.__version__},
        "root": result.root,
        "exit_code": result.exit_code(threshold=threshold, exit_zero=exit_zero),
        "findings": [finding_to_dict(f) for f in result.findings],
        "suppressed": [finding_to_dict(f) for f in result.suppressed],
        "errors": [error_to_dict(e) for e in result.errors],
        "notes": [error_to_dict(e) for e in result.notes],
        "evidence": [evidence_to_dict(e) for e in result.evidence],
        "stats": {
            "files_seen": stats.files_seen,
            "files_parsed": stats.files_parsed,
            "files_skipped": stats.files_skipped,
            "files_cached": stats.files_cached,
            "files_failed": stats.files_failed,
            "files_excluded": stats.files_excluded,
            "rules": stats.rules,
            "jobs": stats.jobs,
            "seconds": stats.seconds,
            "file_kinds": dict(stats.file_kinds),
        },
        "scope": list(result.scope),
        "rules": [rule_dict(meta) for meta in result.rules],
        "packs": _packs(result.rules),
    }
    if result.inventory:  # optional: only when a repository rule published something
        document["inventory"] = {
            name: {"rules": list(entry.rules), "data": entry.data} for name, entry in result.inventory.items()
        }
    return document


def _packs(rules) -> list[dict[str, str]]:
    """The packs whose rules ran, with their versions (the built-in pack included)."""
    seen: dict[str, str] = {}
    for meta in rules:
        seen.setdefault(meta.pack, meta.pack_version)
    return [{"name": name, "version": version} for name, version in sorted(seen.items())]


def render(result: ScanResult, *, threshold=None, exit_zero: bool = False) -> str:
    document = json_safe(as_dict(result, threshold=threshold, exit_zero=exit_zero))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
