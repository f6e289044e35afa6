"""The readiness report: verdict by tier, blockers with evidence, checklist, attestations."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
from prodready_lint.rules import PACK
from prodready_lint.sdk import FileKind, Rule, Severity, Span
from prodready_lint.sdk.checklist import CHECKLIST

from prodready_lint import scan
from prodready_lint.report import build, render
from prodready_lint.report.attestations import Attestation, Attestations, read
from prodready_lint.report.tiers import blocks
from prodready_lint.reporters.json_report import as_dict
from tests.conftest import git_init, run_cli, write_tree

SCHEMA = Path(__file__).resolve().parents[1] / "prodready_lint/reporters/schemas/readiness-report-v1.json"
TODAY = dt.date(2026, 6, 1)
EPOCH = {"SOURCE_DATE_EPOCH": "1780272000"}  # 2026-06-01

CLIENT = """\
import requests


def rates(currency):
    return requests.get(f"https://rates.internal/{currency}", timeout=5)
"""


def _flagging_rule(slug: str, rule_id: str, wanted=frozenset({FileKind.PYTHON})) -> type[Rule]:
    """A rule for ``slug`` that flags lines holding ``FLAG``: stands in for a family."""

    class Flag(Rule):
        __doc__ = f"""Flags FLAG for {slug}.

        ## What it does
        Reports lines holding the word FLAG.

        ## Why is this bad?
        It stands for a {slug} problem.

        ## Example
        ```python
        x = "FLAG"
        ```

        ## Use instead
        ```python
        x = "fine"
        ```
        """

        id = rule_id
        name = f"flag-{slug}"
        summary = f"a {slug} problem"
        checklist = (slug,)
        severity = Severity.HIGH
        kinds = frozenset(wanted)
        triggers = ("FLAG",)

        def check(self, file, ctx) -> None:
            for number, line in enumerate(file.text.splitlines(), 1):
                if "FLAG" in line:
                    ctx.report(Span(number, line.index("FLAG") + 1), f"FLAG for {slug}")

    return Flag


def _assess(repo: Path, tier: int, rules=(), **kwargs) -> dict:
    result = scan(repo, rules=list(rules), cache=False)
    return build(as_dict(result), str(repo), tier=tier, today=TODAY, **kwargs)


def test_a_clean_repository_at_tier_2_is_ready(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "clean"), {"app/client.py": CLIENT})
    stand_ins = [
        _flagging_rule(slug, f"TST90{n}") for n, slug in enumerate(("secrets", "sql-injection", "pii-logging"))
    ]
    report = _assess(repo, 2, stand_ins)
    assert report["verdict"] == "READY", report["verdict_reasons"]
    assert report["blockers"] == [] and report["issues"] == []
    # the same repository with only the installed rules: READY once every item that blocks
    # at tier 2 has a rule, and until then CONDITIONAL for that reason only
    process = run_cli("report", ".", "--tier", "2", "--format", "json", "--no-cache", cwd=repo)
    assert process.returncode == 0, process.stderr
    installed = json.loads(process.stdout)
    covered = {slug for rule in PACK.rules for slug in rule.metadata().checklist}
    missing = [slug for slug in CHECKLIST if blocks(slug, 2) and slug not in covered]
    if missing:
        assert installed["verdict"] == "CONDITIONAL"
        assert installed["verdict_reasons"] == [f"blocking items no installed rule checks: {', '.join(missing)}"]
    else:
        assert installed["verdict"] == "READY", installed["verdict_reasons"]


def _every_family(base: Path) -> Path:
    """A repository holding every built-in rule's documented bad example, each in a
    folder of its own: findings in every family that has landed."""
    files = {}
    for rule in PACK.rules:
        meta = rule.metadata()
        for index, example in enumerate(meta.docs.bad):
            for file in example:
                files[f"{meta.id}/{index}/{file.filename}"] = file.code
    return write_tree(git_init(base), files)


def test_the_report_names_every_blocker_of_every_family(tmp_path: Path) -> None:
    repo = _every_family(tmp_path / "repo")
    result = scan(repo, cache=False)
    # every family has findings (a repository rule may be satisfied by another example's
    # files, so not necessarily every rule)
    family = re.compile(r"^[A-Z]+")
    assert {family.match(f.rule_id).group() for f in result.findings} == {
        family.match(rule.metadata().id).group() for rule in PACK.rules
    }
    report = build(as_dict(result), str(repo), tier=0, today=TODAY)
    assert report["verdict"] == "NOT READY"
    jsonschema.validate(report, json.loads(SCHEMA.read_text(encoding="utf-8")))
    blocking = [f for f in result.findings if f.severity != Severity.INFO and any(blocks(s, 0) for s in f.checklist)]
    assert blocking, "tier 0 blocks every failed auto item"
    evidence = {(b["rule"], e["path"], e["line"]) for b in report["blockers"] for e in b["evidence"]}
    assert {(f.rule_id, f.path, f.line) for f in blocking} <= evidence
    markdown = render(report, "markdown")
    html = render(report, "html")
    for number, blocker in enumerate(report["blockers"], 1):
        assert blocker["id"] == f"BLOCK-{number:03d}"
        assert f"### {blocker['id']}: {blocker['title']}" in markdown
        assert f'id="{blocker["id"]}"' in html
        for item in blocker["evidence"]:
            assert f"`{item['path']}:{item['line']}`" in markdown
            assert f"#L{item['line']}" in html
        assert blocker["remediation"] and blocker["item"] in CHECKLIST
    assert "**Overall Status:** 🔴 NOT READY" in markdown
    assert len(report["action_items"]["P0"]) == len(report["blockers"])


def test_what_blocks_depends_on_the_tier(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"client.py": CLIENT.replace(", timeout=5", "")})
    security = _flagging_rule("secrets", "TST901")
    write_tree(repo, {"settings.py": 'API_KEY = "FLAG"\n'})
    by_tier = {tier: _assess(repo, tier, [security]) for tier in (0, 1, 2)}
    rules = {
        tier: ({b["rule"] for b in r["blockers"]}, {i["rule"] for i in r["issues"]}) for tier, r in by_tier.items()
    }
    assert rules[0] == ({"TMO001", "TST901"}, set())
    assert rules[1] == ({"TST901"}, {"TMO001"})  # Reliability warns at tier 1
    assert rules[2] == ({"TST901"}, {"TMO001"})
    assert all(r["verdict"] == "NOT READY" for r in by_tier.values())
    timeouts = next(i for i in by_tier[2]["checklist"] if i["item"] == "timeouts")
    assert timeouts["status"] == "failed"


def test_not_applicable_is_neither_pass_nor_fail(tmp_path: Path) -> None:
    encryption = _flagging_rule("encryption", "TST902", wanted={FileKind.TERRAFORM})
    repo = write_tree(git_init(tmp_path / "repo"), {"client.py": CLIENT})
    item = next(i for i in _assess(repo, 1, [encryption])["checklist"] if i["item"] == "encryption")
    assert (item["status"], item["reason"]) == ("not applicable", "nothing in the repository for its rules to check")
    write_tree(repo, {"main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'})  # no built-in encryption finding
    item = next(i for i in _assess(repo, 1, [encryption])["checklist"] if i["item"] == "encryption")
    assert item["status"] == "passed"
    statuses = {i["status"] for i in _assess(repo, 1, [encryption])["checklist"]}
    assert {"passed", "signal only", "needs attestation"} <= statuses
    # a scan saved without the file kinds it saw: nothing is taken as not applicable
    older = as_dict(scan(tmp_path / "repo", rules=[encryption], cache=False))
    del older["stats"]["file_kinds"]
    assert not any(i["status"] == "not applicable" for i in build(older, str(repo), tier=1)["checklist"])


def test_attestations_are_recorded_read_and_go_stale(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"client.py": CLIENT})
    done = run_cli("attest", "on-call", "--by", "Dana Reyes", "--note", 'rotation "payments"', cwd=repo, env=EPOCH)
    assert done.returncode == 0, done.stderr
    run_cli("attest", "slo", "--by", "Sam", "--date", "2025-01-10", cwd=repo)
    text = (repo / "prodready.toml").read_text(encoding="utf-8")
    assert "[attestations.on-call]" in text and "date = 2026-06-01" in text
    assert text.startswith("# Who confirmed which checklist item")
    attestations = read(repo / "prodready.toml")
    assert [(a.item, a.by) for a in attestations.entries] == [("on-call", "Dana Reyes"), ("slo", "Sam")]
    report = _assess(repo, 1)
    items = {i["item"]: i for i in report["checklist"]}
    assert items["on-call"]["status"] == "passed" and items["on-call"]["attestation"]["note"] == 'rotation "payments"'
    assert items["slo"]["status"] == "needs attestation" and items["slo"]["attestation"]["stale"]
    assert "stale" in items["slo"]["reason"] and report["attestations"]["stale"] == ["slo"]
    assert items["incident-response"]["status"] == "needs attestation"
    longer = Attestations(1000, attestations.entries)
    assert next(i for i in _assess(repo, 1, attestations=longer)["checklist"] if i["item"] == "slo")["status"] == (
        "passed"
    )
    markdown = render(report, "markdown")
    assert "| `slo` | Sam | 2025-01-10 | ⚠️ stale |" in markdown
    bad = run_cli("attest", "Not A Slug", "--by", "x", cwd=repo)
    assert bad.returncode == 2


COMMENTED = """\
# Readiness sign-offs for the payments service.
# Ask the platform lead before removing one.
max-age-days = 90   # the audit wants them quarterly

[tool.other]  # a table that is none of our business
keep = ['single', "quotes"]

# SLOs live in the Grafana folder "payments"
[attestations.slo]
by = 'Sam'        # product owner
date = 2026-01-10
note = "99.9% monthly"

[attestations."on-call"]
by = "Dana Reyes"  # primary
date = 2026-03-02
"""


def test_attest_keeps_the_teams_comments_and_formatting(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "prodready.toml").write_text(COMMENTED, encoding="utf-8")
    done = run_cli("attest", "load-testing", "--by", "Lee", "--date", "2026-05-20", "--note", "k6, 10x", cwd=repo)
    assert done.returncode == 0, done.stderr
    text = (repo / "prodready.toml").read_text(encoding="utf-8")
    assert text.startswith(COMMENTED)  # untouched, the new item appended
    assert text[len(COMMENTED) :] == '\n[attestations.load-testing]\nby = "Lee"\ndate = 2026-05-20\nnote = "k6, 10x"\n'
    # attesting again an item already there replaces its values in place: comments and position stay
    again = run_cli("attest", "slo", "--by", "Kim", "--date", "2026-06-01", cwd=repo)
    assert again.returncode == 0, again.stderr
    text = (repo / "prodready.toml").read_text(encoding="utf-8")
    expected = COMMENTED.replace("by = 'Sam'        # product owner", 'by = "Kim"        # product owner')
    expected = expected.replace('date = 2026-01-10\nnote = "99.9% monthly"\n', "date = 2026-06-01\n")
    assert text.startswith(expected), text
    attestations = read(repo / "prodready.toml")
    assert attestations.max_age_days == 90
    assert [(a.item, a.by, a.date.isoformat(), a.note) for a in attestations.entries] == [
        ("load-testing", "Lee", "2026-05-20", "k6, 10x"),
        ("on-call", "Dana Reyes", "2026-03-02", ""),
        ("slo", "Kim", "2026-06-01", ""),
    ]


def test_attest_edits_inline_tables_and_windows_line_endings_and_refuses_broken_files(tmp_path: Path) -> None:
    from prodready_lint.report.attestations import AttestationError, write

    inline = tmp_path / "inline.toml"
    inline.write_bytes(b'# sign-offs\r\n[attestations]\r\nslo = { by = "Sam", date = 2026-01-10 }  # q1\r\n')
    write(inline, Attestation("slo", "Kim", dt.date(2026, 6, 1)))
    write(inline, Attestation("on-call", "Dana", dt.date(2026, 6, 2), 'rotation "payments"'))
    raw = inline.read_bytes()
    assert raw.startswith(b"# sign-offs\r\n[attestations]\r\n") and b"# q1" in raw
    assert [(a.item, a.by, a.note) for a in read(inline).entries] == [
        ("on-call", "Dana", 'rotation "payments"'),
        ("slo", "Kim", ""),
    ]
    broken = tmp_path / "broken.toml"
    broken.write_text("# hand-edited\n[attestations.slo\nby = 1\n", encoding="utf-8")
    with pytest.raises(AttestationError, match="not valid TOML"):
        write(broken, Attestation("slo", "Kim", dt.date(2026, 6, 1)))
    assert broken.read_text(encoding="utf-8") == "# hand-edited\n[attestations.slo\nby = 1\n"  # left as it was
    # a file without a final newline, and a new file, get a well-formed table
    bare = tmp_path / "bare.toml"
    bare.write_text("max-age-days = 30", encoding="utf-8")
    write(bare, Attestation("slo", "Kim", dt.date(2026, 6, 1)))
    assert read(bare).max_age_days == 30 and read(bare).get("slo") is not None
    fresh = tmp_path / "fresh.toml"
    write(fresh, Attestation("slo", "Kim", dt.date(2026, 6, 1)))
    assert fresh.read_text(encoding="utf-8").splitlines()[1:] == [
        "max-age-days = 180",
        "",
        "[attestations.slo]",
        'by = "Kim"',
        "date = 2026-06-01",
    ]


def test_the_report_is_reproducible_and_the_same_from_a_saved_scan(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"client.py": CLIENT.replace(", timeout=5", "")})
    outputs = {}
    for fmt in ("markdown", "json", "html"):
        first = run_cli("report", ".", "--format", fmt, "--no-cache", cwd=repo, env=EPOCH)
        second = run_cli("report", ".", "--format", fmt, cwd=repo, env=EPOCH)
        assert first.returncode == 0 and first.stdout == second.stdout, fmt
        outputs[fmt] = first.stdout
    assert run_cli("scan", ".", "--format", "json", "-o", "scan.json", "--exit-zero", cwd=repo).returncode == 0
    (repo / "scan.json").rename(tmp_path / "scan.json")
    saved = run_cli("report", ".", "--from", str(tmp_path / "scan.json"), "--format", "json", cwd=repo, env=EPOCH)
    assert saved.stdout == outputs["json"]
    document = json.loads(outputs["json"])
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert document["date"] == "2026-06-01" and document["verdict"] == "CONDITIONAL"
    assert document["application"]["name"] == "repo"
    # the same content in every format
    for entry in document["issues"]:
        assert entry["id"] in outputs["markdown"] and entry["id"] in outputs["html"]


OBSERVED_SERVICE = {
    "pyproject.toml": """\
[project]
name = "orders"
version = "1.4.0"
dependencies = [
    "fastapi==0.115.0",
    "prometheus-client==0.21.0",
    "structlog==24.4.0",
]
""",
    "orders/main.py": """\
import signal

import structlog
from fastapi import FastAPI
from prometheus_client import Counter, make_asgi_app

structlog.configure(processors=[structlog.processors.JSONRenderer()])
log = structlog.get_logger()
ORDERS = Counter("orders_created_total", "Orders created")

app = FastAPI()
app.mount("/metrics", make_asgi_app())


def _drain(signum, frame):
    log.info("draining")


signal.signal(signal.SIGTERM, _drain)
""",
    "Dockerfile": """\
FROM python:3.12-slim
COPY . /srv
CMD ["gunicorn", "orders.main:app", "-k", "uvicorn.workers.UvicornWorker", "--graceful-timeout", "30"]
""",
    "docs/runbooks/orders.md": "# Orders runbook\n\nHigh error rate: check the payments dashboard.\n",
    "docs/examples/custom_metric.py": "from prometheus_client import Histogram\n",
}


def test_signals_the_repository_shows_are_cited_and_marked_seen(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), OBSERVED_SERVICE)
    process = run_cli("report", ".", "--format", "json", "--no-cache", cwd=repo, env=EPOCH)
    assert process.returncode in (0, 1), process.stderr
    document = json.loads(process.stdout)
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    items = {i["item"]: i for i in document["checklist"]}
    metrics = items["metrics"]
    assert (metrics["status"], metrics["signal"]) == ("signal only", "seen")
    assert {"path": "orders/main.py", "line": 5, "rule": "SIG002"}.items() <= metrics["evidence"][0].items()
    assert "Prometheus client" in metrics["evidence"][0]["message"]
    # the service's own files first, docs and tests after
    assert [e["path"] for e in metrics["evidence"]] == [
        "orders/main.py",
        "pyproject.toml",
        "docs/examples/custom_metric.py",
    ]
    assert metrics["reason"].startswith("seen: orders/main.py:5 metrics: Prometheus client (prometheus_client)")
    logging = items["structured-logging"]
    assert logging["signal"] == "seen" and ("orders/main.py", 7) in {
        (e["path"], e["line"]) for e in logging["evidence"]
    }
    shutdown = items["graceful-shutdown"]
    assert {(e["path"], e["line"]) for e in shutdown["evidence"]} >= {("Dockerfile", 3), ("orders/main.py", 19)}
    assert items["runbooks"]["evidence"][0]["path"] == "docs/runbooks/orders.md"
    # a seen signal is never an issue; a signal the repository lacks is, and says so
    flagged = {entry["item"] for entry in document["issues"] + document["blockers"]}
    assert not flagged & {"metrics", "structured-logging", "graceful-shutdown", "runbooks"}
    tracing = items["tracing"]
    assert (tracing["signal"], tracing["reason"]) == ("not seen", "not seen: 1 hint in the code")
    assert "evidence" not in tracing and "tracing" in flagged
    assert "signal" not in items["timeouts"]  # auto items carry no signal state
    observability = next(row for row in document["summary"] if row["category"] == "Observability")
    assert observability["score"] == 7  # metrics, logging seen (1 each), tracing not seen (0.25), alerting (0.5)

    markdown = render(document, "markdown")
    assert "| `metrics`: the service exposes metrics (Prometheus client, OpenTelemetry) | 📡 signal seen |" in markdown
    assert "| `tracing`: distributed tracing configured (OpenTelemetry) | 📡 signal only | not seen" in markdown
    signals = markdown.split("## Signals Seen in the Repository", 1)[1].split("## Attestations", 1)[0]
    assert "### `metrics` (seen)" in signals and "### `tracing`" not in signals
    assert "- `orders/main.py:5`: metrics: Prometheus client (prometheus_client)" in signals
    assert "- `Dockerfile:3`: graceful shutdown: server graceful timeout" in signals

    html = render(document, "html", link_base="https://git.example/orders/blob/abc/")
    assert '<span class="pill seen">signal seen</span>' in html
    assert (
        '<a href="https://git.example/orders/blob/abc/orders/main.py#L5"><code>orders/main.py:5</code></a>: '
        "metrics: Prometheus client (prometheus_client)" in html
    )
    assert 'id="signal-graceful-shutdown"' in html and 'id="signal-tracing"' not in html

    # a person's confirmation makes a seen signal passed; its evidence is still cited
    confirmed = _assess(
        repo, 1, attestations=Attestations(entries=(Attestation("metrics", "Dana", dt.date(2026, 5, 1)),))
    )
    metrics = next(i for i in confirmed["checklist"] if i["item"] == "metrics")
    assert (metrics["status"], metrics["signal"]) == ("passed", "seen") and metrics["evidence"]
    assert "### `metrics` (confirmed)" in render(confirmed, "markdown")
    criterion = next(c for c in confirmed["go_no_go"] if c["criterion"].startswith("Signal items"))
    assert not criterion["met"]  # tracing is neither seen nor confirmed
    # a scan saved without evidence (an older version): nothing is seen, nothing breaks
    older = as_dict(scan(repo, cache=False))
    del older["evidence"]
    assert {i.get("signal") for i in build(older, str(repo), tier=1)["checklist"]} == {None, "not seen"}


def test_the_header_reads_the_project_metadata_and_commit(tmp_path: Path) -> None:
    repo = write_tree(
        git_init(tmp_path / "repo"),
        {"pyproject.toml": '[project]\nname = "payments-api"\nversion = "2.3.1"\n', "client.py": CLIENT},
    )
    report = _assess(repo, 1)
    assert report["application"] == {"name": "payments-api", "version": "2.3.1"}
    assert report["commit"] == ""  # no commit yet
    markdown = render(report, "markdown")
    assert markdown.startswith("# Production Readiness Report: payments-api 2.3.1\n")
    assert "**Criticality:** Tier 1" in markdown and "**Evaluated:** 2026-06-01" in markdown
    for heading in (
        "## Executive Summary",
        "## Blockers and Issues",
        "## Category Scores and the Full Checklist",
        "## Attestations",
        "## Go/No-Go Criteria",
        "## Action Items",
        "### P0:",
        "### P1:",
        "### P2:",
    ):
        assert heading in markdown


def test_a_report_against_a_baseline_says_new_since_baseline(tmp_path: Path) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"client.py": CLIENT.replace(", timeout=5", "")})
    assert run_cli("scan", ".", "--write-baseline", "base.json", cwd=repo).returncode == 0
    process = run_cli("report", ".", "--tier", "0", "--baseline", "base.json", cwd=repo)
    assert process.returncode == 0, process.stderr
    assert "**Scope:** findings new since baseline base.json" in process.stdout
    assert re.search(r"### Blockers \(Must Fix Before Launch\)\n\nNone\.", process.stdout)
    not_ready = run_cli("report", ".", "--tier", "0", cwd=repo)
    assert not_ready.returncode == 1 and "🔴 NOT READY" in not_ready.stdout
    strict = run_cli("report", ".", "--tier", "1", "--fail-on", "conditional", cwd=repo)
    assert strict.returncode == 1 and "🟡 CONDITIONAL" in strict.stdout


def test_third_party_slugs_get_an_item_of_their_own(tmp_path: Path) -> None:
    custom = _flagging_rule("feature-flags", "TST903")
    repo = write_tree(git_init(tmp_path / "repo"), {"flags.py": 'MODE = "FLAG"\n'})
    report = _assess(repo, 0, [custom])
    assert [(b["rule"], b["item"], b["category"]) for b in report["blockers"]] == [
        ("TST903", "feature-flags", "Custom")
    ]
    assert report["summary"][-1]["category"] == "Custom"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_untrusted_text_cannot_break_the_markup(tmp_path: Path, fmt: str) -> None:
    repo = write_tree(git_init(tmp_path / "repo"), {"client.py": CLIENT})
    report = _assess(repo, 1, attestations=Attestations(entries=(Attestation("on-call", "<b>x|y</b>", TODAY),)))
    text = render(report, fmt)
    assert "<b>x" not in text if fmt == "html" else "x\\|y" in text
