"""The readiness assessment: a scan's findings judged against the checklist at a tier.

:func:`assess` turns a JSON scan result (what ``scan --format json`` writes, so CI can
scan once and report from the file) into one plain, JSON-ready dict that every renderer
reads, so Markdown, JSON and HTML always hold the same content. Nothing in it depends on
anything but its inputs: the same scan, tier, attestations and header give the same
assessment. Its JSON form is described by ``reporters/schemas/readiness-report-v1.json``.

Each checklist item gets one status:

* ``failed``: an ``auto`` item with findings;
* ``passed``: an ``auto`` item that installed rules check, with files of a kind they
  read, and no findings; or any item a person confirmed and whose confirmation is
  fresh;
* ``not applicable``: an ``auto`` item whose rules found nothing of a kind they read
  (encryption with no Terraform): neither a pass nor a fail;
* ``signal only``: a ``signal`` item nobody confirmed: code shows hints, not proof. Its
  ``signal`` says whether the repository shows it: ``seen`` when rules recorded evidence
  for it (the scan's ``evidence``: a metrics library imported, a SIGTERM handler, a
  runbook), cited as ``path:line`` and what was seen; ``not seen`` otherwise (a finding
  such as "no metrics found" is then an issue);
* ``needs attestation``: an ``attest`` item with no fresh confirmation, or an ``auto``
  item no installed rule checks.

The verdict is NOT READY with any blocker; else CONDITIONAL when an item that would
block at the tier is checked by no installed rule (and nobody confirmed it), when some
files could not be analyzed (the evidence is incomplete) or, at tiers 0 and 1, when
issues remain or items need attestation; else READY. At tier 2 the rest are
recommendations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from prodready_lint.report.attestations import Attestations
from prodready_lint.report.tiers import CATEGORY_ORDER, TIER_NAMES, blocks, item
from prodready_lint.sdk.checklist import CHECKLIST

__all__ = ["SCHEMA", "assess"]

SCHEMA = "prodready-lint/readiness-report/1"

PASSED, FAILED, NOT_APPLICABLE, SIGNAL, ATTEST = (
    "passed",
    "failed",
    "not applicable",
    "signal only",
    "needs attestation",
)
READY, CONDITIONAL, NOT_READY = "READY", "CONDITIONAL", "NOT READY"

_SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
_POINTS = {PASSED: 1.0, FAILED: 0.0, SIGNAL: 0.5, ATTEST: 0.0}
SEEN, NOT_SEEN = "seen", "not seen"
# a signal item's points: (seen, hints against it) -> points
_SIGNAL_POINTS = {(True, False): 1.0, (True, True): 0.75, (False, False): 0.5, (False, True): 0.25}


def _category_rank(category: str) -> tuple[int, str]:
    return (CATEGORY_ORDER.index(category), "") if category in CATEGORY_ORDER else (len(CATEGORY_ORDER), category)


def _slugs(scan: Mapping[str, Any]) -> list[str]:
    """Every checklist item: the built-in ones, then third-party slugs the rules declare."""
    extra = {slug for rule in scan.get("rules", ()) for slug in rule.get("checklist", ()) if slug not in CHECKLIST}
    extra |= {slug for f in scan.get("findings", ()) for slug in f.get("checklist", ()) if slug not in CHECKLIST}
    extra |= {slug for e in scan.get("evidence", ()) for slug in e.get("checklist", ()) if slug not in CHECKLIST}
    return [*CHECKLIST, *sorted(extra)]


def _group_findings(findings, tier: int) -> dict[tuple[str, str, bool], list[dict]]:
    """Findings by (slug, rule, blocking): a finding goes to the first of its slugs that
    blocks at the tier, else to its first slug."""
    groups: dict[tuple[str, str, bool], list[dict]] = defaultdict(list)
    for finding in findings:
        slugs = list(finding.get("checklist") or ["unclassified"])
        blocking = finding["severity"] != "info" and any(blocks(s, tier) for s in slugs)
        slug = next((s for s in slugs if blocks(s, tier)), slugs[0]) if blocking else slugs[0]
        groups[(slug, finding["rule_id"], blocking)].append(finding)
    return groups


def _entry(slug: str, rule_id: str, findings: list[dict], rules: Mapping[str, dict]) -> dict[str, Any]:
    rule = rules.get(rule_id, {})
    entry_item = item(slug)
    severity = max((f["severity"] for f in findings), key=_SEVERITY_RANK.__getitem__)
    summary = rule.get("summary") or findings[0]["message"]
    remediation = f"{summary}: fix each place listed (`prodready-lint rule {rule_id}` shows what to write instead)."
    evidence = [
        {
            "path": f["location"]["path"],
            "line": f["location"]["line"],
            "column": f["location"]["column"],
            "message": f["message"],
            "severity": f["severity"],
        }
        for f in sorted(findings, key=lambda f: (f["location"]["path"], f["location"]["line"], f["location"]["column"]))
    ]
    return {
        "title": summary,
        "rule": rule_id,
        "rule_name": rule.get("name", ""),
        "item": slug,
        "category": entry_item.category,
        "severity": severity,
        "evidence": evidence,
        "remediation": remediation,
        "help_uri": rule.get("help_uri"),
    }


def _evidence_by_slug(scan: Mapping[str, Any]) -> dict[str, list[dict]]:
    """What the rules recorded as evidence (``scan --format json`` ``evidence``), by
    checklist item: the service's own files first (see ``_aside``), each group in path and line
    order; none in a scan saved without it."""
    by_slug: dict[str, list[dict]] = defaultdict(list)
    for recorded in scan.get("evidence", ()):
        location = recorded.get("location") or {}
        if not location.get("path"):
            continue
        cited = {
            "path": location["path"],
            "line": location.get("line") or 1,
            "column": location.get("column") or 1,
            "message": recorded.get("message", ""),
            "rule": recorded.get("rule_id", ""),
        }
        for slug in recorded.get("checklist") or ():
            by_slug[slug].append(cited)
    for cited in by_slug.values():
        cited.sort(key=lambda e: (_aside(e["path"]), e["path"], e["line"], e["column"], e["rule"], e["message"]))
    return by_slug


# Paths whose evidence is cited after the rest: tests, docs, examples and hidden tool
# folders show a library in use, the service's own code and configuration show it wired.
_ASIDE = re.compile(r"(^|/)(tests?|testing|docs?|examples?|samples?|fixtures?|\.(?!github/|gitlab)[^/]+)/")


def _aside(path: str) -> bool:
    return bool(_ASIDE.search(path))


def _where(cited: dict) -> str:
    return f"{cited['path']}:{cited['line']}"


def _ordered(entries: list[dict]) -> list[dict]:
    return sorted(
        entries,
        key=lambda e: (-_SEVERITY_RANK[e["severity"]], _category_rank(e["category"]), e["item"], e["rule"]),
    )


def _item_status(
    slug: str,
    findings_by_slug: Mapping[str, list[dict]],
    rules_by_slug: Mapping[str, list[dict]],
    evidence_by_slug: Mapping[str, list[dict]],
    kinds_seen: set[str] | None,
    attestations: Attestations,
    today: dt.date,
) -> dict[str, Any]:
    entry = item(slug)
    found = findings_by_slug.get(slug, [])
    rules = rules_by_slug.get(slug, [])
    evidence = evidence_by_slug.get(slug, [])
    confirmed = attestations.get(slug)
    stale = confirmed is not None and attestations.is_stale(confirmed, today)
    attestation = None
    if confirmed is not None:
        attestation = {"by": confirmed.by, "date": confirmed.date.isoformat(), "note": confirmed.note, "stale": stale}
    if entry.kind == "auto":
        if found:
            status, reason = FAILED, f"{len(found)} finding{'' if len(found) == 1 else 's'}"
        elif not rules:
            status, reason = ATTEST, "no installed rule checks it"
            if confirmed is not None and not stale:
                status, reason = PASSED, "confirmed by a person"
        elif kinds_seen is not None and not any(
            kind in kinds_seen for rule in rules for kind in rule.get("kinds", kinds_seen)
        ):
            status, reason = NOT_APPLICABLE, "nothing in the repository for its rules to check"
        else:
            status, reason = PASSED, f"checked by {len(rules)} rule{'' if len(rules) == 1 else 's'}, no findings"
    elif confirmed is not None and not stale:
        status, reason = PASSED, "confirmed by a person"
    elif entry.kind == "signal":
        status = SIGNAL
        hints = f"{len(found)} hint{'' if len(found) == 1 else 's'}"
        if evidence:
            first = evidence[0]
            more = f" (+{len(evidence) - 1} more)" if len(evidence) > 1 else ""
            reason = f"seen: {_where(first)} {first['message']}{more}"
            if found:
                reason += f"; {hints} against it"
        else:
            reason = f"not seen: {hints} in the code" if found else "to be confirmed"
    else:
        status, reason = ATTEST, "no confirmation on record"
    if stale and status != PASSED:
        reason = f"confirmation by {confirmed.by} on {confirmed.date.isoformat()} is stale"
    extra: dict[str, Any] = {}
    if entry.kind == "signal":
        extra["signal"] = SEEN if evidence else NOT_SEEN
    if evidence:
        extra["evidence"] = evidence
    return {
        "item": slug,
        "category": entry.category,
        "kind": entry.kind,
        "proves": entry.proves,
        "status": status,
        "reason": reason,
        "findings": len(found),
        "rules": sorted(rule["id"] for rule in rules),
        "attestation": attestation,
        **extra,
    }


def _score(items: list[dict]) -> int | None:
    counted = [i for i in items if i["status"] != NOT_APPLICABLE]
    if not counted:
        return None
    points = sum(
        _SIGNAL_POINTS[(i.get("signal") == SEEN, bool(i["findings"]))]
        if i["status"] == SIGNAL
        else _POINTS[i["status"]]
        for i in counted
    )
    return int(10 * points / len(counted) + 0.5)


def _action(entry: dict, priority: str) -> dict[str, Any]:
    files = sorted({e["path"] for e in entry["evidence"]})
    return {"priority": priority, "id": entry["id"], "title": entry["title"], "item": entry["item"], "files": files}


def assess(
    scan: Mapping[str, Any],
    *,
    tier: int,
    attestations: Attestations,
    today: dt.date,
    application: str,
    version: str = "",
    commit: str = "",
) -> dict[str, Any]:
    """The assessment of a JSON scan result (``scan --format json``) at ``tier``."""
    if tier not in TIER_NAMES:
        raise ValueError(f"tier must be one of {sorted(TIER_NAMES)}, got {tier!r}")
    rules = {rule["id"]: rule for rule in scan.get("rules", ())}
    findings = list(scan.get("findings", ()))
    counted = scan.get("stats", {}).get("file_kinds")  # None in a scan saved by an older version: unknown
    kinds_seen = None if counted is None else {kind for kind, count in counted.items() if count}
    findings_by_slug: dict[str, list[dict]] = defaultdict(list)
    for finding in findings:
        for slug in finding.get("checklist") or ["unclassified"]:
            findings_by_slug[slug].append(finding)
    rules_by_slug: dict[str, list[dict]] = defaultdict(list)
    for rule in rules.values():
        for slug in rule.get("checklist", ()):
            rules_by_slug[slug].append(rule)

    evidence_by_slug = _evidence_by_slug(scan)

    slugs = _slugs(scan)
    if "unclassified" in findings_by_slug:
        slugs.append("unclassified")
    items = [
        _item_status(s, findings_by_slug, rules_by_slug, evidence_by_slug, kinds_seen, attestations, today)
        for s in slugs
    ]

    blockers, issues = [], []
    for (slug, rule_id, blocking), group in _group_findings(findings, tier).items():
        (blockers if blocking else issues).append(_entry(slug, rule_id, group, rules))
    blockers, issues = _ordered(blockers), _ordered(issues)
    for number, entry in enumerate(blockers, 1):
        entry["id"] = f"BLOCK-{number:03d}"
    for number, entry in enumerate(issues, 1):
        entry["id"] = f"ISSUE-{number:03d}"

    pending = [i for i in items if i["status"] == ATTEST]
    problems = [
        {"path": e.get("path", ""), "line": e.get("line"), "kind": e["kind"], "message": e["message"]}
        for e in scan.get("errors", ())
    ]
    strict = tier < 2
    categories = []
    by_category: dict[str, list[dict]] = defaultdict(list)
    for entry in items:
        by_category[entry["category"]].append(entry)
    for category in sorted(by_category, key=_category_rank):
        in_category = by_category[category]
        count = sum(1 for b in blockers if b["category"] == category)
        warnings = sum(1 for i in issues if i["category"] == category)
        waiting = sum(1 for i in in_category if i["status"] == ATTEST)
        if count:
            status = "blocked"
        elif warnings or (strict and waiting):
            status = "issues"
        else:
            status = "ready"
        categories.append(
            {
                "category": category,
                "status": status,
                "blockers": count,
                "issues": warnings,
                "needs_attestation": waiting,
                "score": _score(in_category),
                "items": len(in_category),
            }
        )

    unchecked = [i["item"] for i in items if i["status"] == ATTEST and i["kind"] == "auto" and blocks(i["item"], tier)]
    reasons = []
    if blockers:
        verdict = NOT_READY
        reasons.append(f"{len(blockers)} blocker{'' if len(blockers) == 1 else 's'} at tier {tier}")
    else:
        if unchecked:
            reasons.append(f"blocking items no installed rule checks: {', '.join(unchecked)}")
        if problems:
            reasons.append(
                f"{len(problems)} file problem{'' if len(problems) == 1 else 's'}: the evidence is incomplete"
            )
        if strict and issues:
            reasons.append(f"{len(issues)} issue{'' if len(issues) == 1 else 's'} to fix")
        if strict and pending:
            reasons.append(f"{len(pending)} item{'' if len(pending) == 1 else 's'} need attestation")
        verdict = CONDITIONAL if reasons else READY
        if not reasons:
            reasons.append(f"no blocker at tier {tier}")

    high = [i for i in issues if _SEVERITY_RANK[i["severity"]] >= _SEVERITY_RANK["high"]]
    actions = {
        "P0": [_action(b, "P0") for b in blockers],
        "P1": [_action(i, "P1") for i in high],
        "P2": [_action(i, "P2") for i in issues if i not in high],
    }
    for entry in pending:
        attest_action = {
            "priority": "P1" if strict else "P2",
            "id": entry["item"],
            "title": f"Confirm {entry['item']}: {entry['proves']} ({entry['reason']})",
            "item": entry["item"],
            "files": [],
        }
        actions[attest_action["priority"]].append(attest_action)

    stale = [i["item"] for i in items if i["attestation"] and i["attestation"]["stale"]]
    go_no_go = [
        {"level": "must", "criterion": "All BLOCK items resolved", "met": not blockers},
        {"level": "must", "criterion": "Every file analyzed (no file problems)", "met": not problems},
        {
            "level": "must" if strict else "should",
            "criterion": "Manual items attested and current (on-call, incident response, SLOs, load testing, ...)",
            "met": not pending,
        },
        {"level": "should", "criterion": "High and critical issues resolved", "met": not high},
        {
            "level": "should",
            "criterion": "Signal items seen in the code or confirmed (retries, breakers, logging, metrics, tracing, "
            "runbooks, ...)",
            "met": not any(i["status"] == SIGNAL and i.get("signal") != SEEN for i in items),
        },
        {"level": "nice", "criterion": "Remaining issues resolved", "met": not issues},
    ]
    return {
        "schema": SCHEMA,
        "application": {"name": application, "version": version},
        "date": today.isoformat(),
        "tier": tier,
        "tier_means": TIER_NAMES[tier],
        "commit": commit,
        "scope": list(scan.get("scope", ())),
        "verdict": verdict,
        "verdict_reasons": reasons,
        "summary": categories,
        "blockers": blockers,
        "issues": issues,
        "checklist": items,
        "attestations": {
            "source": attestations.source,
            "max_age_days": attestations.max_age_days,
            "stale": stale,
            "unknown": sorted(e.item for e in attestations.entries if e.item not in slugs),
        },
        "action_items": actions,
        "go_no_go": go_no_go,
        "problems": problems,
        "tool": scan.get("tool", {}),
    }
