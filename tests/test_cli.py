"""The command line and its three report formats, run for real as a subprocess."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from prodready_lint.fingerprints import github_line_hashes
from tests.conftest import ROOT, run_cli, write_tree

SCHEMA = ROOT / "prodready_lint" / "reporters" / "schemas" / "report-v1.json"

CLIENT = """\
import requests
import smtplib

SMTP_HOST = "smtp.internal"


def fetch_rates(currency):
    response = requests.get(f"https://rates.internal/{currency}")
    return response.json()


def send(message):
    with smtplib.SMTP(SMTP_HOST, 587) as smtp:  # prodready: ignore[TMO005] -- relay is on localhost
        smtp.send_message(message)
"""

WORKER = """\
import socket


def connect(address):
    return socket.create_connection(address)
"""


@pytest.fixture
def project(repo: Path) -> Path:
    return write_tree(repo, {"app/client.py": CLIENT, "app/worker.py": WORKER, "app/clean.py": "x = 1\n"})


def test_text_report_lines_source_and_summary(project: Path) -> None:
    proc = run_cli("scan", cwd=project)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        "app/client.py:8:16: TMO001 requests.get() has no timeout: requests waits for the server forever "
        "by default; pass timeout=(connect, read) in seconds [medium]"
    )
    assert lines[1] == '     8 |     response = requests.get(f"https://rates.internal/{currency}")'
    call = 'requests.get(f"https://rates.internal/{currency}")'
    assert lines[2] == "       |                " + "^" * len(call)
    assert lines[3] == ""  # a blank line between files
    assert lines[4].startswith("app/worker.py:5:12: TMO004 socket.create_connection() has no timeout")
    summary = "\n".join(lines[-4:])
    assert "Found 2 findings in 2 files (2 medium)." in summary
    assert "1 finding suppressed by inline comments." in summary
    assert "Scanned 3 files" in summary
    assert "\x1b[" not in proc.stdout and "\r" not in proc.stderr  # plain text in pipes


def test_quiet_prints_only_finding_lines(project: Path) -> None:
    proc = run_cli("scan", "-q", cwd=project)
    assert [line.split(":")[0] for line in proc.stdout.splitlines()] == ["app/client.py", "app/worker.py"]


def test_colour_is_forced_and_refused(project: Path) -> None:
    assert "\x1b[" in run_cli("scan", "--color", "always", cwd=project).stdout
    assert "\x1b[" in run_cli("scan", cwd=project, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run_cli("scan", "--color", "never", cwd=project, env={"FORCE_COLOR": "1"}).stdout


def _run_in_terminal(args: list[str], cwd: Path) -> str:
    """Run the CLI attached to a pseudo-terminal and return everything it drew."""
    controller, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen(
        [sys.executable, "-m", "prodready_lint", *args], cwd=cwd, stdout=terminal, stderr=terminal, env=env
    )
    os.close(terminal)
    chunks = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 1)
        if ready:
            try:
                data = os.read(controller, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


def test_terminal_gets_colour_and_a_progress_bar_on_long_scans(tmp_path: Path) -> None:
    corpus = ROOT / "tests" / "corpora" / "timeouts"
    big = tmp_path / "big"
    for copy in range(30):
        shutil.copytree(corpus, big / f"service{copy}")
    output = _run_in_terminal(["scan", str(big), "--no-cache", "--jobs", "1"], tmp_path)
    assert "\x1b[" in output  # colour on a TTY
    assert "\r[" in output and " files" in output  # the progress bar was drawn
    assert "\r\x1b[K" in output  # and erased before the report


def test_json_report_matches_its_schema(project: Path) -> None:
    proc = run_cli("scan", "--format", "json", cwd=project)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    jsonschema.validate(report, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert report["exit_code"] == 1
    assert [f["rule_id"] for f in report["findings"]] == ["TMO001", "TMO004"]
    assert report["suppressed"][0]["suppression"] == {"line": 13, "reason": "relay is on localhost"}
    assert report["stats"]["files_seen"] == 3


def test_json_is_identical_whatever_the_jobs(tmp_path: Path) -> None:
    corpus = ROOT / "tests" / "corpora" / "timeouts"
    reports = []
    for jobs in ("1", "2"):
        proc = run_cli("scan", str(corpus), "--format", "json", "--jobs", jobs, "--no-cache", cwd=tmp_path)
        report = json.loads(proc.stdout)
        report.pop("stats")
        reports.append(report)
    assert reports[0] == reports[1]
    assert len(reports[0]["findings"]) > 200


def test_sarif_passes_the_github_code_scanning_check(project: Path, shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.sarif"
    proc = run_cli("scan", "--format", "sarif", "--output", str(out), cwd=project)
    assert proc.returncode == 1 and proc.stdout == ""
    assert f"wrote sarif report with 2 findings to {out}" in proc.stderr
    check = subprocess.run(
        [sys.executable, str(shared_dir / "tools" / "check_sarif.py"), str(out), "--repo-root", str(project)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    assert "OK: 0 problems, 3 results checked" in check.stdout


def test_sarif_shape(project: Path) -> None:
    sarif = json.loads(run_cli("scan", "--format", "sarif", cwd=project).stdout)
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.as_uri() + "/"
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert {f"TMO{n:03d}" for n in range(1, 12)} <= set(rules)  # and every other built-in family
    tmo001 = rules["TMO001"]
    assert tmo001["properties"]["security-severity"] == "5.5"
    assert "external/cwe/cwe-1088" in tmo001["properties"]["tags"] and "timeouts" in tmo001["properties"]["tags"]
    assert "## Why is this bad?" in tmo001["help"]["markdown"] and "WHY IS THIS BAD?" in tmo001["help"]["text"]
    results = {r["ruleId"]: r for r in run["results"]}
    location = results["TMO001"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app/client.py", "uriBaseId": "%SRCROOT%"}
    call = 'requests.get(f"https://rates.internal/{currency}")'
    assert location["region"] == {"startLine": 8, "startColumn": 16, "endLine": 8, "endColumn": 16 + len(call)}
    data = (project / "app" / "client.py").read_bytes()
    assert results["TMO001"]["partialFingerprints"]["primaryLocationLineHash"] == github_line_hashes(data, [8])[8]
    assert results["TMO005"]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "relay is on localhost"}
    ]
    assert "suppressions" not in results["TMO004"]


def test_paths_with_spaces_are_uri_encoded(repo: Path, tmp_path: Path) -> None:
    write_tree(repo, {"my service/client.py": WORKER})
    sarif = json.loads(run_cli("scan", "--format", "sarif", cwd=repo).stdout)
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20service/client.py"


@pytest.mark.parametrize(
    "args, code",
    [
        ((), 1),
        (("--exit-zero",), 0),
        (("--severity-threshold", "high"), 0),
        (("--severity-threshold", "medium"), 1),
        (("--select", "TMO002,TMO003"), 0),
        (("--ignore", "TMO001", "--ignore", "TMO004"), 0),
        (("--select", "NOPE999"), 2),
        (("--format", "xml"), 2),
        (("--jobs", "-1"), 2),
        (("--config", "missing.toml"), 2),
        (("no/such/dir",), 2),
    ],
)
def test_exit_codes(project: Path, args: tuple[str, ...], code: int) -> None:
    proc = run_cli("scan", *args, cwd=project)
    assert proc.returncode == code, (proc.stdout, proc.stderr)


def test_output_file_and_bad_output_path(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "scan.json"
    proc = run_cli("scan", "--format", "json", "-o", str(target), cwd=project)
    assert json.loads(target.read_text(encoding="utf-8"))["exit_code"] == 1
    blocked = project / "app" / "clean.py" / "report.json"  # a file in the way of the directory
    proc = run_cli("scan", "-o", str(blocked), cwd=project)
    assert proc.returncode == 2 and "cannot write" in proc.stderr


def test_no_cache_leaves_nothing_behind(project: Path) -> None:
    cache = project / "cache-here"
    run_cli("scan", "--no-cache", "--cache-dir", str(cache), cwd=project)
    assert not cache.exists()
    run_cli("scan", "--cache-dir", str(cache), cwd=project)
    assert (cache / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    assert any(cache.glob("*.sqlite"))


def test_rules_and_rule_commands(tmp_path: Path) -> None:
    listing = run_cli("rules", cwd=tmp_path)
    assert listing.returncode == 0
    header, *lines = listing.stdout.splitlines()
    assert header.split() == ["ID", "NAME", "PACK", "VERSION", "SEVERITY", "CHECKLIST", "SUMMARY"]
    ids = [line.split()[0] for line in lines]
    assert [i for i in ids if i.startswith("TMO")] == [f"TMO{n:03d}" for n in range(1, 12)]
    as_json = {rule["id"]: rule for rule in json.loads(run_cli("rules", "--format", "json", cwd=tmp_path).stdout)}
    assert as_json["TMO001"]["cwe"] == ["CWE-1088"]
    docs = run_cli("rule", "TMO001", cwd=tmp_path)
    assert docs.stdout.startswith("# TMO001 requests-without-timeout (medium; confidence high; timeouts; CWE-1088)")
    for heading in (
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## Options",
        "## References",
    ):
        assert heading in docs.stdout
    assert run_cli("rule", "requests-without-timeout", cwd=tmp_path).stdout == docs.stdout
    unknown = run_cli("rule", "NOPE1", cwd=tmp_path)
    assert unknown.returncode == 2 and "no installed rule" in unknown.stderr
    assert run_cli(cwd=tmp_path).returncode == 2  # no command: help on stderr
    version = run_cli("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("prodready-lint ")


def test_the_rules_listing_aligns_its_columns_whatever_the_lengths() -> None:
    from prodready_lint.cli import _table

    rows = [
        ["ID", "NAME", "PACK", "CHECKLIST", "SUMMARY"],
        ["A01", "x", "a-very-long-pack-name", "timeouts,zero-downtime-migrations,secrets-management", "one"],
        ["LONGPREFIX0001", "a-rule-with-a-long-name", "p", "slo", "two"],
    ]
    lines = _table(rows).splitlines()
    for column in ("NAME", "PACK", "CHECKLIST", "SUMMARY"):
        start = lines[0].index(column)
        assert all(line[start - 2 : start] == "  " and line[start] != " " for line in lines), column
