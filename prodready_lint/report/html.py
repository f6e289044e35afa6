"""The assessment as one self-contained HTML page: inline CSS and SVG, no script, no
network, no external asset. The verdict comes first; category scores are a bar chart;
blockers and issues are grouped by category with their evidence linked to the files;
the layout is one column on a phone and tables scroll inside their own box.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import quote

__all__ = ["render"]

_VERDICT_CLASS = {"READY": "ready", "CONDITIONAL": "conditional", "NOT READY": "not-ready"}
_CATEGORY_LABEL = {"ready": "Ready", "issues": "Issues", "blocked": "Blocked"}
_STATUS_CLASS = {
    "passed": "passed",
    "failed": "failed",
    "not applicable": "na",
    "signal only": "signal",
    "needs attestation": "attest",
}
_EVIDENCE_SHOWN = 50
_SIGNAL_EVIDENCE_SHOWN = 10


def _status(entry: dict) -> tuple[str, str]:
    """An item's status pill: its class and text; a signal the repository shows is seen."""
    if entry["status"] == "signal only" and entry.get("signal") == "seen":
        return "seen", "signal seen"
    return _STATUS_CLASS[entry["status"]], entry["status"]


_CSS = """
:root{--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
main{max-width:960px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.25rem;margin-top:2em;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem}
.meta{color:var(--muted);margin:0;padding:0;list-style:none}.meta li{display:inline-block;margin-right:1em}
.verdict{border-radius:10px;padding:14px 18px;margin:16px 0;color:#fff;font-size:1.6rem;font-weight:700}
.verdict small{display:block;font-size:.95rem;font-weight:400}
.verdict.ready{background:var(--ok)}.verdict.conditional{background:var(--warn)}.verdict.not-ready{background:var(--bad)}
.scope{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px}
.table{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--bg)}
.pill{display:inline-block;border-radius:999px;padding:0 .6em;font-size:.85rem;font-weight:600;white-space:nowrap}
.pill.ready,.pill.passed{background:#dafbe1;color:var(--ok)}
.pill.issues,.pill.signal,.pill.attest{background:#fff8c5;color:var(--warn)}
.pill.blocked,.pill.failed{background:#ffebe9;color:var(--bad)}.pill.na{background:var(--bg);color:var(--muted)}
.pill.seen{background:#ddf4ff;color:#0550ae}
.card.seen{border-left-color:#0969da}
.card{border:1px solid var(--line);border-left:6px solid var(--warn);border-radius:6px;padding:8px 12px;margin:10px 0}
.card.block{border-left-color:var(--bad)}
.card h4{margin:.2em 0;font-size:1rem}
.card ul{padding-left:1.2em;margin:.4em 0}.card li{overflow-wrap:anywhere}
code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
a{color:#0969da}
svg{max-width:100%;height:auto;display:block}
.chart text{font:15px system-ui,sans-serif;fill:var(--ink)}
.check{list-style:none;padding-left:0}.check li::before{content:"\\2610  "}.check li.met::before{content:"\\2611  "}
details summary{cursor:pointer}
footer{color:var(--muted);font-size:.85rem;margin-top:3em}
@media (max-width:600px){body{font-size:15px}main{padding:10px}.verdict{font-size:1.3rem}
th,td{padding:4px 5px}table{font-size:.85rem}}
"""


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _prose(text: str) -> str:
    """Escaped text with `code` spans shown as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(text))


def _link(evidence: dict, link_base: str | None) -> str:
    path = evidence["path"]
    href = (link_base or "") + quote(path, safe="/") + f"#L{evidence['line']}"
    return f'<a href="{_e(href)}"><code>{_e(path)}:{evidence["line"]}</code></a>'


def _chart(summary: list[dict]) -> str:
    """Category scores as horizontal bars, drawn in SVG (scales with the page)."""
    row, label, width = 30, 110, 220
    height = row * len(summary) + 10
    parts = [
        f'<svg class="chart" role="img" aria-label="Category scores out of 10" viewBox="0 0 {label + width + 60} '
        f'{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    colours = {"ready": "#1a7f37", "issues": "#bf8700", "blocked": "#cf222e"}
    for index, entry in enumerate(summary):
        y = 5 + index * row
        score = entry["score"]
        parts.append(f'<text x="0" y="{y + 18}">{_e(entry["category"])}</text>')
        parts.append(f'<rect x="{label}" y="{y + 4}" width="{width}" height="18" rx="3" fill="#eaeef2"/>')
        if score is not None:
            bar = width * score // 10
            parts.append(
                f'<rect x="{label}" y="{y + 4}" width="{bar}" height="18" rx="3" fill="{colours[entry["status"]]}"/>'
            )
        text = "n/a" if score is None else f"{score}/10"
        parts.append(f'<text x="{label + width + 8}" y="{y + 18}">{text}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _header(report: dict) -> list[str]:
    app = report["application"]
    title = app["name"] + (f" {app['version']}" if app["version"] else "")
    meta = [f"Evaluated {_e(report['date'])}", f"Tier {report['tier']}: {_e(report['tier_means'])}"]
    if report["commit"]:
        meta.append(f"Commit <code>{_e(report['commit'][:12])}</code>")
    verdict = report["verdict"]
    out = [
        f"<h1>Production Readiness Report: {_e(title)}</h1>",
        '<ul class="meta">' + "".join(f"<li>{m}</li>" for m in meta) + "</ul>",
        f'<div id="verdict" class="verdict {_VERDICT_CLASS[verdict]}" data-verdict="{_e(verdict)}">'
        f"{_e(verdict)}<small>{_e('; '.join(report['verdict_reasons']))}</small></div>",
    ]
    if report["scope"]:
        out.append(f'<p class="scope">Only findings {_e(" and ".join(report["scope"]))} are counted.</p>')
    return out


def _summary(report: dict) -> list[str]:
    rows = "".join(
        f'<tr><td>{_e(r["category"])}</td><td><span class="pill {r["status"]}">{_CATEGORY_LABEL[r["status"]]}'
        f"</span></td><td>{r['blockers']}</td><td>{r['issues']}</td><td>{r['needs_attestation']}</td>"
        f"<td>{'n/a' if r['score'] is None else str(r['score']) + '/10'}</td></tr>"
        for r in report["summary"]
    )
    return [
        "<h2>Executive summary</h2>",
        _chart(report["summary"]),
        '<div class="table"><table><thead><tr><th>Category</th><th>Status</th><th>Blockers</th><th>Issues</th>'
        f"<th>To attest</th><th>Score</th></tr></thead><tbody>{rows}</tbody></table></div>",
    ]


def _card(entry: dict, link_base: str | None) -> str:
    kind = "block" if entry["id"].startswith("BLOCK") else "issue"
    shown = entry["evidence"][:_EVIDENCE_SHOWN]
    items = "".join(f"<li>{_link(e, link_base)}: {_e(e['message'])}</li>" for e in shown)
    more = len(entry["evidence"]) - len(shown)
    if more:
        items += f"<li>... and {more} more (the JSON report lists them all)</li>"
    help_link = f' <a href="{_e(entry["help_uri"])}">Reference</a>' if entry.get("help_uri") else ""
    return (
        f'<div class="card {kind}" id="{_e(entry["id"])}"><h4>{_e(entry["id"])}: {_e(entry["title"])}</h4>'
        f"<div><code>{_e(entry['item'])}</code> &middot; {_e(entry['severity'])} &middot; "
        f"{_e(entry['rule'])} {_e(entry['rule_name'])}</div>"
        f"<ul>{items}</ul><div><strong>Remediation:</strong> {_prose(entry['remediation'])}{help_link}</div></div>"
    )


def _findings(report: dict, link_base: str | None) -> list[str]:
    out = ["<h2>Blockers and issues</h2>"]
    for title, entries in (
        ("Blockers (must fix before launch)", report["blockers"]),
        ("Issues (should fix, can launch)", report["issues"]),
    ):
        out.append(f"<h3>{title}: {len(entries)}</h3>")
        if not entries:
            out.append("<p>None.</p>")
        categories = list(dict.fromkeys(e["category"] for e in entries))
        for category in categories:
            out.append(f"<h4>{_e(category)}</h4>")
            out.extend(_card(e, link_base) for e in entries if e["category"] == category)
    return out


def _checklist(report: dict) -> list[str]:
    out = ["<h2>The full checklist</h2>"]
    for row in report["summary"]:
        score = "n/a" if row["score"] is None else f"{row['score']}/10"
        rows = "".join(
            f"<tr><td><code>{_e(i['item'])}</code><br>{_e(i['proves'])}</td>"
            f'<td><span class="pill {_status(i)[0]}">{_e(_status(i)[1])}</span></td>'
            f"<td>{_e(i['reason'])}</td></tr>"
            for i in report["checklist"]
            if i["category"] == row["category"]
        )
        out.append(
            f'<details><summary>{_e(row["category"])} ({score})</summary><div class="table"><table><thead><tr>'
            f"<th>Item</th><th>Status</th><th>Why</th></tr></thead><tbody>{rows}</tbody></table></div></details>"
        )
    return out


def _signals(report: dict, link_base: str | None) -> list[str]:
    """Where the repository shows each signal item, linked: evidence, not proof."""
    seen = [e for e in report["checklist"] if e.get("signal") == "seen"]
    if not seen:
        return []
    out = [
        '<h2 id="signals">Signals seen in the repository</h2>',
        "<p>Evidence, not proof: what the code and configuration show for each signal item. A person confirms "
        "it with <code>prodready-lint attest ITEM --by NAME</code>.</p>",
    ]
    for entry in seen:
        state = "confirmed" if entry["status"] == "passed" else "seen"
        shown = entry["evidence"][:_SIGNAL_EVIDENCE_SHOWN]
        items = "".join(f"<li>{_link(e, link_base)}: {_e(e['message'])}</li>" for e in shown)
        more = len(entry["evidence"]) - len(shown)
        if more:
            items += f"<li>... and {more} more (the JSON report lists them all)</li>"
        out.append(
            f'<div class="card seen" id="signal-{_e(entry["item"])}"><h4><code>{_e(entry["item"])}</code>: '
            f"{_e(state)}</h4><div>{_e(entry['proves'])}</div><ul>{items}</ul></div>"
        )
    return out


def _attestations(report: dict) -> list[str]:
    data = report["attestations"]
    rows = []
    for entry in report["checklist"]:
        confirmed = entry["attestation"]
        if confirmed:
            state = "stale" if confirmed["stale"] else "current"
            rows.append(
                f"<tr><td><code>{_e(entry['item'])}</code></td><td>{_e(confirmed['by'])}</td>"
                f"<td>{_e(confirmed['date'])}</td><td>{state}</td><td>{_e(confirmed['note'])}</td></tr>"
            )
        elif entry["kind"] == "attest" or (entry["kind"] == "auto" and entry["status"] == "needs attestation"):
            rows.append(
                f"<tr><td><code>{_e(entry['item'])}</code></td><td></td><td></td><td>not attested</td>"
                f"<td>{_e(entry['reason'])}</td></tr>"
            )
    return [
        "<h2>Attestations</h2>",
        f"<p>Read from <code>{_e(data['source'])}</code>; older than {data['max_age_days']} days is stale. "
        "Record one with <code>prodready-lint attest ITEM --by NAME</code>.</p>",
        '<div class="table"><table><thead><tr><th>Item</th><th>Confirmed by</th><th>Date</th><th>Status</th>'
        f"<th>Note</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>",
    ]


def _closing(report: dict, link_base: str | None) -> list[str]:
    out = ["<h2>Go/no-go criteria</h2>"]
    for level, title in (("must", "Must have"), ("should", "Should have"), ("nice", "Nice to have")):
        rows = [c for c in report["go_no_go"] if c["level"] == level]
        out.append(f'<h3>{title}</h3><ul class="check">')
        out.extend(f'<li class="{"met" if c["met"] else ""}">{_e(c["criterion"])}</li>' for c in rows)
        out.append("</ul>")
    out.append("<h2>Action items</h2>")
    for priority, title in (
        ("P0", "P0: must fix before production"),
        ("P1", "P1: should fix soon"),
        ("P2", "P2: nice to have"),
    ):
        actions = report["action_items"][priority]
        out.append(f"<h3>{title}: {len(actions)}</h3>")
        if not actions:
            out.append("<p>None.</p>")
            continue
        out.append("<ol>")
        for action in actions:
            files = ", ".join(f"<code>{_e(f)}</code>" for f in action["files"][:10])
            anchor = f'<a href="#{_e(action["id"])}">{_e(action["id"])}</a>' if action["files"] else _e(action["id"])
            out.append(
                f"<li><strong>{anchor}</strong>: {_e(action['title'])}" + (f"<br>{files}" if files else "") + "</li>"
            )
        out.append("</ol>")
    if report["problems"]:
        out.append("<h2>Files that could not be analyzed</h2><ul>")
        for p in report["problems"]:
            where = p["path"] + (f":{p['line']}" if p["line"] else "")
            out.append(f"<li><code>{_e(where)}</code> {_e(p['kind'])}: {_e(p['message'])}</li>")
        out.append("</ul>")
    return out


def render(report: dict, *, link_base: str | None = None) -> str:
    app = report["application"]
    body = _header(report) + _summary(report) + _findings(report, link_base) + _checklist(report)
    body += _signals(report, link_base)
    body += _attestations(report) + _closing(report, link_base)
    tool = report.get("tool") or {}
    body.append(f"<footer>prodready-lint {_e(tool.get('version', ''))} &middot; {_e(report['schema'])}</footer>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">'
        f"<title>{_e(report['verdict'])}: {_e(app['name'])} readiness</title><style>{_CSS}</style></head>\n"
        "<body><main>\n" + "\n".join(body) + "\n</main></body></html>\n"
    )
