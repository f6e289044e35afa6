"""The dependencies family: the pip-audit audit against a local fake OSV service (never
the network), the unreachable service, the offline data file, pinning and CI scanners."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prodready_lint.rules import dependencies
from prodready_lint.sdk import AuditRequest, audit_packages, declared_dependencies, load
from prodready_lint.sdk.testing import assert_examples, assert_fixture

import prodready_lint
from tests.conftest import git_init, run_cli, write_tree
from tests.osv_fake import FIXTURE, fake_osv

FIXTURES = Path(__file__).parent / "fixtures" / "dependencies"
UNREACHABLE = "http://127.0.0.1:9/v1/query"  # the discard port: nothing listens there


def _repo(tmp_path: Path, files: dict[str, str], url: str | None = None) -> Path:
    config = '[tool.prodready-lint]\nselect = ["DEP001"]\n'
    if url:
        config += f'audit-service-url = "{url}"\naudit-timeout = 10\n'
    write_tree(tmp_path, {"pyproject.toml": config, **files})
    return git_init(tmp_path)


def test_requests_2_19_0_names_cve_2018_18074_through_the_cli(tmp_path: Path) -> None:
    with fake_osv() as (url, queries):
        repo = _repo(tmp_path, {"requirements.txt": "flask==3.0.3\nrequests==2.19.0  # pinned\n"}, url)
        done = run_cli("scan", "--audit-deps", "--format", "json", ".", cwd=repo)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    [finding] = report["findings"]
    assert finding["rule_id"] == "DEP001"
    assert finding["location"]["path"] == "requirements.txt"
    assert finding["location"]["line"] == 2
    assert "CVE-2018-18074" in finding["message"] and "PYSEC-2018-28" in finding["message"]
    assert "upgrade to 2.20.0" in finding["message"]
    assert finding["checklist"] == ["dependency-vulnerabilities"]
    assert report["errors"] == []
    assert sorted(q["package"]["name"] for q in queries) == ["flask", "requests"]


def test_without_audit_deps_nothing_is_queried(tmp_path: Path) -> None:
    with fake_osv() as (url, queries):
        repo = _repo(tmp_path, {"requirements.txt": "requests==2.19.0\n"}, url)
        result = prodready_lint.scan([repo], root=repo, cache=False)
    assert queries == []
    assert result.findings == () and result.errors == ()


def test_unreachable_service_is_could_not_audit_never_clean(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"requirements.txt": "requests==2.19.0\n"}, UNREACHABLE)
    done = run_cli("scan", "--audit-deps", "--format", "json", ".", cwd=repo)
    report = json.loads(done.stdout)
    assert report["findings"] == []
    [error] = report["errors"]
    assert error["kind"] == "could-not-audit" and error["path"] == "requirements.txt" and error["line"] == 1
    assert error["message"].startswith("could not audit: requests 2.19.0: ")
    assert "cannot be reached" in error["message"]
    assert done.returncode == 3 and report["exit_code"] == 3
    assert "No findings." not in done.stdout

    sarif = json.loads(run_cli("scan", "--audit-deps", "--format", "sarif", ".", cwd=repo).stdout)
    [note] = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "could-not-audit"
    assert note["message"]["text"].startswith("could-not-audit: could not audit: requests 2.19.0")
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert sarif["runs"][0]["results"] == []

    text = run_cli("scan", "--audit-deps", "--no-progress", ".", cwd=repo)
    assert "could not be audited" in text.stdout and text.returncode == 3


def test_audited_runs_are_never_replayed(tmp_path: Path) -> None:
    with fake_osv() as (url, queries):
        repo = _repo(tmp_path, {"requirements.txt": "requests==2.19.0\n"}, url)
        for _ in range(2):
            assert run_cli("scan", "--audit-deps", ".", cwd=repo).returncode == 1
    assert len(queries) == 2


def test_offline_osv_data_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"requirements.txt": "requests==2.19.0\nurllib3==1.24.1\nflask==0.12\n"})
    done = run_cli("scan", "--audit-data", str(FIXTURE), "--format", "json", ".", cwd=repo)
    report = json.loads(done.stdout)
    found = {(f["location"]["line"], f["message"].split(" has ")[0]) for f in report["findings"]}
    assert found == {(1, "requests 2.19.0"), (2, "urllib3 1.24.1")}  # the flask advisory is withdrawn
    [requests_finding] = [f for f in report["findings"] if f["location"]["line"] == 1]
    assert "CVE-2018-18074" in requests_finding["message"]  # GHSA record merged as an alias, once
    assert report["errors"] == []


def test_offline_file_that_cannot_be_read_is_could_not_audit(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"requirements.txt": "requests==2.19.0\n", "osv.data": "not json at all {"})
    result = prodready_lint.scan([repo], root=repo, cache=False, audit_data=repo / "osv.data")
    [error] = result.errors
    assert error.kind == "could-not-audit" and "cannot read the OSV data file" in error.message
    assert result.exit_code() == 3


def test_lock_files_are_audited_and_cover_manifest_ranges(tmp_path: Path) -> None:
    files = {
        "service/pyproject.toml": '[project]\nname = "svc"\ndependencies = ["requests>=2"]\n',
        "service/poetry.lock": '[[package]]\nname = "requests"\nversion = "2.19.0"\n\n[[package]]\nname = "idna"\nversion = "2.7"\n',
        "tools/requirements.txt": "urllib3>=1.24\n",
    }
    with fake_osv() as (url, _):
        repo = _repo(tmp_path, files, url)
        result = prodready_lint.scan([repo], root=repo, cache=False, audit_deps=True)
    assert [(f.path, f.line) for f in result.findings] == [("service/poetry.lock", 2)]
    assert [(e.path, e.line, e.kind) for e in result.errors] == [("tools/requirements.txt", 1, "could-not-audit")]
    assert "urllib3>=1.24 is not pinned" in result.errors[0].message


def test_service_errors_and_timeouts_become_reasons() -> None:
    with fake_osv() as (url, _):
        bad = AuditRequest(timeout=5, service_url=url.replace("/v1/query", "/nope"))
        outcome = audit_packages([("requests", "2.19.0")], bad)[("requests", "2.19.0")]
    assert not outcome.audited and "HTTP 400" in outcome.error
    with fake_osv() as (url, _):
        outcome = audit_packages([("Requests", "2.19.0"), ("requests", "2.19.0")], AuditRequest(service_url=url))
    assert list(outcome) == [("requests", "2.19.0")]
    [vulnerability] = outcome[("requests", "2.19.0")].vulnerabilities
    assert vulnerability.cves == ("CVE-2018-18074",) and vulnerability.fixed_in == ("2.20.0",)


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("requirements.txt", "requests==2.19.0\nflask>=2\n-e .\n", [("requests", "2.19.0", 1), ("flask", None, 2)]),
        (
            "pyproject.toml",
            '[project]\nname = "x"\ndependencies = [\n  "Django==4.2.1",\n  "celery[redis]>=5",\n]\n'
            '[project.optional-dependencies]\nweb = ["gunicorn==22.0.0"]\n'
            '[tool.poetry.dependencies]\npython = "^3.11"\nhttpx = "0.27.0"\nrich = "^13"\n',
            [
                ("django", "4.2.1", 4),
                ("celery", None, 5),
                ("gunicorn", "22.0.0", 8),
                ("httpx", "0.27.0", 11),
                ("rich", None, 12),
            ],
        ),
        ("uv.lock", '[[package]]\nname = "anyio"\nversion = "4.4.0"\n', [("anyio", "4.4.0", 2)]),
        (
            "Pipfile.lock",
            '{\n  "_meta": {},\n  "default": {\n    "requests": {\n      "version": "==2.19.0"\n    }\n  },\n  "develop": {}\n}\n',
            [("requests", "2.19.0", 4)],
        ),
        (
            "Pipfile",
            '[packages]\nrequests = "==2.19.0"\nflask = "*"\n',
            [("requests", "2.19.0", 2), ("flask", None, 3)],
        ),
    ],
)
def test_declared_dependencies_read_every_format(path: str, text: str, expected: list) -> None:
    found = declared_dependencies(load(path, text))
    assert [(d.name, d.version, d.span.line) for d in found] == expected


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(dependencies.RULES, audit_data=FIXTURE)


@pytest.mark.parametrize("fixture", sorted(p for p in FIXTURES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_fixture_matches_markers_exactly(fixture: Path) -> None:
    assert_fixture(fixture, select=["DEP002", "DEP003"])
