"""Hostile input: whatever the repository or the caller throws at it, the scan finishes,
says what happened in one line, keeps the rest of its results and exits as documented."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prodready_lint.rules.timeouts import RequestsWithoutTimeout
from prodready_lint.sdk import Context, PythonFile, Rule, Severity, Span

import prodready_lint
from tests.conftest import SHARED, run_cli, write_tree
from tests.hostile_corpus import CASES, SERVICE, SERVICE_FINDING, WITHOUT_OVERRIDES, Case, build

CAN_DROP_OVERRIDES = os.geteuid() != 0 or shutil.which("setpriv") is not None


def scan_case(directory: Path, case: Case, *extra: str, fmt: str = "json") -> subprocess.CompletedProcess:
    options = [a.replace("{root}", str(directory)) for a in case.args]
    command = [sys.executable, "-m", "prodready_lint", "scan", ".", *case.paths, "--root", ".", "--format", fmt]
    command += ["--no-progress", "--cache-dir", str(directory.parent / f"{case.name}-cache"), *options, *extra]
    if os.geteuid() == 0:
        command = [*WITHOUT_OVERRIDES, *command]
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    started = time.monotonic()
    proc = subprocess.run(command, cwd=directory, env=env, capture_output=True, timeout=case.seconds + 60)
    proc.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    return proc


@pytest.mark.skipif(not CAN_DROP_OVERRIDES, reason="running as root without setpriv: permissions cannot bite")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_hostile_case_keeps_every_promise(case: Case, tmp_path: Path) -> None:
    directory = build(tmp_path, case)
    proc = scan_case(directory, case)
    stderr = proc.stderr.decode("utf-8")  # valid UTF-8, whatever the file names
    stdout = proc.stdout.decode("utf-8")
    assert proc.elapsed < case.seconds, f"{case.name} took {proc.elapsed:.1f} s"
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == case.exit, stderr
    report = json.loads(stdout)
    errors = {(e["path"], e["kind"]) for e in report["errors"]}
    assert errors == set(case.errors), stderr
    problem_lines = [line for line in stderr.splitlines() if not line.startswith("prodready-lint: note:")]
    for path, kind in case.errors:
        assert any(f": {kind}: " in line or line.startswith(f"prodready-lint: {kind}: ") for line in problem_lines)
        if path:
            assert any(line.startswith(f"prodready-lint: {path}") for line in problem_lines), stderr
    found = {(f["location"]["path"], f["location"]["line"], f["rule_id"]) for f in report["findings"]}
    if case.finding:
        assert SERVICE_FINDING in found
    for note in case.notes:
        assert note in stderr


def test_a_line_with_sixteen_thousand_findings_is_linear(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "many-findings-on-one-line")
    proc = scan_case(build(tmp_path, case), case)
    report = json.loads(proc.stdout)
    flood = [f for f in report["findings"] if f["location"]["path"] == "flood.py"]
    assert len(flood) == 16_000
    assert len({f["fingerprint"] for f in flood}) == 16_000  # each occurrence its own
    assert all(len(f["snippet"]) <= 401 for f in flood)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_names_that_are_not_utf8_or_hold_a_newline_never_break_a_report(tmp_path: Path, fmt: str) -> None:
    case = next(c for c in CASES if c.name == "odd-file-names")
    directory = build(tmp_path, case)
    out = tmp_path / f"report.{fmt}"
    proc = scan_case(directory, case, "-o", str(out), fmt=fmt)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr
    text = out.read_bytes().decode("utf-8")  # valid UTF-8
    if fmt == "text":
        lines = [line for line in text.splitlines() if re.search(r":5:16: TMO001 ", line)]
        assert len(lines) == 6  # one line per finding: the newline in a name is escaped
        assert any(line.startswith("caf\\xe9\\xff.py:5:") for line in lines)
        assert any(line.startswith("new\\nline.py:5:") for line in lines)
    elif fmt == "json":
        paths = {f["location"]["path"] for f in json.loads(text)["findings"]}
        assert {"caf\\xe9\\xff.py", "new\nline.py", "tab\there.py", "-dash.py", " space .py", "service.py"} == paths
    else:
        sarif = json.loads(text)
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
        assert "new%0Aline.py" in uris and len(uris) == 5
        notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert any("caf\\xe9\\xff.py:5:" in n["message"]["text"] for n in notes)
        if (SHARED / "tools" / "check_sarif.py").is_file():
            check = subprocess.run(
                [sys.executable, str(SHARED / "tools" / "check_sarif.py"), str(out), "--repo-root", str(directory)],
                capture_output=True,
                text=True,
            )
            assert check.returncode == 0, check.stdout + check.stderr


# -- the cache -------------------------------------------------------------------------


def _cache_file(cache: Path) -> Path:
    (found,) = cache.glob("*.sqlite")
    return found


def _findings(result) -> list[tuple]:
    return [(f.path, f.line, f.rule_id, f.message, f.fingerprint) for f in result.findings]


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE files SET result = '42'",
        'UPDATE files SET result = \'{"s": "parsed", "f": {}}\'',
        "UPDATE files SET result = '[\"parsed\"]'",
        'UPDATE files SET result = \'{"s": "parsed", "f": [{"rule_id": 7}]}\'',
        "UPDATE files SET size = 'many', mtime_ns = NULL",
        "UPDATE files SET checksum = 'forged'",
        "DROP TABLE files",
        "CREATE TABLE extra (x)",
    ],
)
def test_a_structurally_wrong_cache_never_changes_results_or_crashes(repo: Path, damage: str) -> None:
    write_tree(repo, {"service.py": SERVICE, "lib/util.py": "import os\n", "broken.py": "def f(:\n"})
    cache = repo / ".cache"
    fresh = prodready_lint.scan([repo], cache=False)
    prodready_lint.scan([repo], cache_dir=cache)
    with sqlite3.connect(_cache_file(cache)) as db:
        db.execute(damage)
    for _ in range(2):  # the damaged run, then the one after it
        again = prodready_lint.scan([repo], cache_dir=cache)
        assert _findings(again) == _findings(fresh) and again.errors == fresh.errors


def test_a_truncated_cache_file_is_rebuilt(repo: Path) -> None:
    write_tree(repo, {"service.py": SERVICE})
    cache = repo / ".cache"
    prodready_lint.scan([repo], cache_dir=cache)
    path = _cache_file(cache)
    path.write_bytes(path.read_bytes()[:1000])
    assert [f.rule_id for f in prodready_lint.scan([repo], cache_dir=cache).findings] == ["TMO001"]
    assert prodready_lint.scan([repo], cache_dir=cache).stats.files_cached == 1


def test_concurrent_scans_share_one_cache(repo: Path) -> None:
    write_tree(repo, {f"pkg/m{i}.py": SERVICE for i in range(120)})
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "prodready_lint",
                "scan",
                str(repo),
                "--format",
                "json",
                "-q",
                "--cache-dir",
                str(repo / ".c"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    reports = [json.loads(out) for out, _ in outputs]
    assert all(len(r["findings"]) == 120 for r in reports)
    assert all(b"Traceback" not in err for _, err in outputs)
    warm = prodready_lint.scan([repo], cache_dir=repo / ".c")
    assert warm.stats.files_cached == 120


def test_touch_costs_a_hash_and_a_same_size_edit_is_never_missed(repo: Path) -> None:
    write_tree(repo, {"service.py": SERVICE})
    cache = repo / ".cache"
    prodready_lint.scan([repo], cache_dir=cache)
    os.utime(repo / "service.py")  # touched: the signature changes, the content does not
    assert prodready_lint.scan([repo], cache_dir=cache).stats.files_cached == 1
    stat = (repo / "service.py").stat()
    same_size = SERVICE.replace("rates.internal", "rates.external")
    assert len(same_size) == len(SERVICE)
    (repo / "service.py").write_text(same_size, encoding="utf-8")
    os.utime(repo / "service.py", ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    edited = prodready_lint.scan([repo], cache_dir=cache)
    assert "rates.external" in edited.findings[0].snippet


# -- processes -------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _slow_repository(repo: Path) -> None:
    body = SERVICE + "".join(
        f"\ndef handler_{i}(x):\n    return requests.post(x, json={{'i': {i}}})\n" for i in range(400)
    )
    write_tree(repo, {f"svc/module_{i}.py": body for i in range(300)})


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_a_stopped_scan_leaves_no_worker_behind_and_the_next_one_resumes(repo: Path, sig, code) -> None:
    _slow_repository(repo)
    cache = repo / ".c"
    proc = subprocess.Popen(
        [sys.executable, "-m", "prodready_lint", "scan", str(repo), "-q", "--jobs", "2", "--cache-dir", str(cache)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (workers and list(cache.glob("*.sqlite"))):
        workers |= _children(proc.pid)
        time.sleep(0.05)
    time.sleep(1.0)
    workers |= _children(proc.pid)
    assert workers, "the scan started no worker"
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code and b"Traceback" not in stderr
    deadline = time.monotonic() + 10
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(workers)
    resumed = prodready_lint.scan([repo], cache_dir=cache)
    assert resumed.stats.files_cached > 0  # what the stopped scan finished was kept
    assert len(resumed.findings) == 300 * 401


# -- the caller ------------------------------------------------------------------------


def test_library_inputs_are_read_like_the_command_line(repo: Path, monkeypatch) -> None:
    write_tree(repo, {"src/service.py": SERVICE, "src/db.py": "import socket\nsocket.create_connection(('db', 5))\n"})
    monkeypatch.chdir(repo)
    result = prodready_lint.scan("src", select="TMO001")
    assert result.errors == () and [f.path for f in result.findings] == ["src/service.py"]
    assert [m.id for m in result.rules] == ["TMO001"]
    assert {m.id for m in prodready_lint.scan("src", select="TMO001,TMO004").rules} == {"TMO001", "TMO004"}
    for jobs in (-1, 1.5, True):
        with pytest.raises(ValueError, match="jobs must be 0"):
            prodready_lint.scan("src", jobs=jobs)


def test_the_root_is_checked_before_anything_is_written(tmp_path: Path, repo: Path) -> None:
    write_tree(repo, {"service.py": SERVICE, "src/app.py": SERVICE})
    missing = tmp_path / "nowhere"
    proc = run_cli("scan", "--root", str(missing), cwd=repo)
    assert proc.returncode == 2 and f"--root {missing} does not exist" in proc.stderr and not missing.exists()
    proc = run_cli("scan", "--root", "service.py", cwd=repo)
    assert proc.returncode == 2 and "--root service.py is not a directory" in proc.stderr
    proc = run_cli("scan", ".", "--root", "src", cwd=repo)
    assert proc.returncode == 2 and "outside the root" in proc.stderr
    assert "/" not in "".join(line.split(":")[0] for line in proc.stdout.splitlines() if "TMO001" in line)


def test_a_standalone_configuration_may_hold_the_pyproject_table(tmp_path: Path, repo: Path) -> None:
    write_tree(repo, {"service.py": SERVICE, "vendored/lib.py": SERVICE})
    config = tmp_path / "ci" / "prodready.toml"
    write_tree(config.parent, {"prodready.toml": '[tool.prodready-lint]\nexclude = ["vendored/"]\n'})
    result = prodready_lint.scan([repo], config=config, cache=False)
    assert result.errors == () and [f.path for f in result.findings] == ["service.py"]


def test_excludes_of_a_configuration_above_the_root_apply(tmp_path: Path) -> None:
    write_tree(tmp_path, {"prodready.toml": 'exclude = ["services/api/generated/"]\n'})
    api = tmp_path / "services" / "api"
    write_tree(api, {"client.py": SERVICE, "generated/stub.py": SERVICE})
    result = prodready_lint.scan([api], root=api, config=tmp_path / "prodready.toml", cache=False)
    assert [f.path for f in result.findings] == ["client.py"]


def test_a_warm_run_counts_the_same_failures_as_a_cold_one(repo: Path) -> None:
    write_tree(repo, {"service.py": SERVICE, "broken.py": "def f(:\n", "bad.py": b"x = '\xff'\n"})
    cold = prodready_lint.scan([repo], cache_dir=repo / ".c")
    warm = prodready_lint.scan([repo], cache_dir=repo / ".c")
    assert (cold.stats.files_failed, warm.stats.files_failed, warm.stats.files_cached) == (2, 2, 3)
    assert len(warm.errors) == 2


def test_words_say_what_happened(repo: Path) -> None:
    write_tree(repo, {"service.py": SERVICE, "deploy/values.yaml": "replicas: 2\n".encode("utf-16")})
    proc = run_cli("scan", ".", "missing.py", "--no-cache", cwd=repo)
    assert "prodready-lint: missing.py: not-found: no such file or directory" in proc.stderr
    assert "1 usage problem" in proc.stdout and "configuration problem" not in proc.stdout
    assert "values.yaml" not in proc.stderr  # UTF-16 with a byte-order mark is read, not called binary


class MarksPassword(Rule):
    """Marks a password literal as a secret.

    ## What it does
    Finds `password="..."` keyword arguments.

    ## Why is this bad?
    Credentials in code leak.

    ## Example
    ```python
    connect(password="hunter2-prod")
    ```

    ## Use instead
    ```python
    connect(password=os.environ["DB_PASSWORD"])
    ```
    """

    id = "TPWD001"
    name = "password-literal"
    summary = "password literal"
    checklist = ("secrets",)
    severity = Severity.HIGH
    triggers = ("password", "auth")

    def check(self, file: PythonFile, ctx: Context) -> None:
        for number, line in enumerate(file.lines, 1):
            start = line.find('"S3cret')
            if start >= 0:
                end = line.index('"', start + 1)
                secret = Span(number, start + 2, number, end + 1)
                ctx.report(secret, "password literal", secrets=(secret,))


def test_a_secret_marked_by_one_rule_is_hidden_from_every_finding_on_its_line(repo: Path, tmp_path: Path) -> None:
    source = 'import requests\n\nresp = requests.get(url, auth=("admin", "S3cretValue!2024"))\n'
    write_tree(repo, {"client.py": source})
    result = prodready_lint.scan(
        [repo], rules=[MarksPassword, RequestsWithoutTimeout], installed_rules=False, cache_dir=tmp_path / "c"
    )
    assert sorted(f.rule_id for f in result.findings) == ["TMO001", "TPWD001"]
    for finding in result.findings:
        assert "S3cretValue" not in finding.snippet and "S3cretValue" not in finding.message
    stored = b"".join(p.read_bytes() for p in (tmp_path / "c").rglob("*") if p.is_file())
    assert b"TMO001" in stored and b"S3cretValue" not in stored


def test_problems_are_repeated_after_the_summary_on_a_terminal(repo: Path) -> None:
    write_tree(repo, {"service.py": SERVICE, "broken.py": "def f(:\n"})
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(repo)
        os.execv(sys.executable, [sys.executable, "-m", "prodready_lint", "scan", "--no-cache", "--color", "never"])
    output = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.waitpid(pid, 0)
    text = output.decode("utf-8").replace("\r\n", "\n")
    summary = text.index("could not be analyzed")
    assert "Problems:\n  broken.py:1: syntax:" in text[summary:]
