"""The example third-party pack under sdk/example-pack, installed with pip into a
temporary environment (offline: setuptools comes from virtualenv's embedded wheels) and
found through its entry point: listed, documented, tested by its own harness, and its
findings (a Python rule, a Dockerfile rule, a repository rule and a Semgrep rule) in
text, JSON and SARIF."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests._wheelhouse import _best_seed_wheel
from tests.conftest import FIXTURES, ROOT, run_cli

try:
    from packaging.requirements import Requirement
except ImportError:  # pragma: no cover
    from pip._vendor.packaging.requirements import Requirement

EXAMPLE_PACK = ROOT / "sdk" / "example-pack"
SERVICE = FIXTURES / "northwind"
EXPECTED = {
    ("orders/app/worker.py", 7, "NWD001"),
    ("orders/app/worker.py", 8, "NWD004"),
    ("orders/Dockerfile", 1, "NWD002"),
    ("orders/Dockerfile", 1, "NWD003"),
}


def pip_install(project: Path, site: Path, base: Path) -> None:
    """``pip install --target site project``, offline: no index, no configuration, the
    build backend from virtualenv's embedded wheels."""
    wheels = base / "wheels"
    wheels.mkdir()
    seed = _best_seed_wheel(Requirement("setuptools>=69"))
    if seed is None:
        pytest.skip("no embedded setuptools wheel to build the pack offline")
    shutil.copy(seed, wheels)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheels))
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(project)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a Python that has the example pack installed."""
    base = tmp_path_factory.mktemp("example-pack")
    source = base / "source"
    shutil.copytree(EXAMPLE_PACK, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    pip_install(source, base / "site", base)
    return {"PYTHONPATH": str(base / "site")}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("service") / "service"
    shutil.copytree(SERVICE, target)
    return target


def test_the_installed_pack_is_discovered_and_listed(installed, tmp_path) -> None:
    listing = run_cli("rules", cwd=tmp_path, env=installed)
    assert listing.returncode == 0, listing.stderr
    rows = {line.split()[0]: line.split() for line in listing.stdout.splitlines()[1:]}
    for rule_id, name in (
        ("NWD001", "celery-task-without-time-limit"),
        ("NWD002", "image-without-healthcheck"),
        ("NWD003", "service-without-runbook"),
        ("NWD004", "print-in-service"),
    ):
        assert rows[rule_id][1:4] == [name, "northwind", "1.2.0"], rows[rule_id]
    docs = run_cli("rule", "NWD004", cwd=tmp_path, env=installed)
    assert "Pack: northwind 1.2.0" in docs.stdout and "## Use instead" in docs.stdout


def test_its_findings_appear_in_text_json_and_sarif(installed, service) -> None:
    args = ("scan", str(service), "--root", str(service), "--select", "northwind", "--no-progress")
    report = json.loads(run_cli(*args, "--format", "json", cwd=service, env=installed).stdout)
    found = {(f["location"]["path"], f["location"]["line"], f["rule_id"]) for f in report["findings"]}
    assert found == EXPECTED, report["errors"]
    assert {"name": "northwind", "version": "1.2.0"} in report["packs"]
    nwd004 = next(f for f in report["findings"] if f["rule_id"] == "NWD004")
    assert nwd004["checklist"] == ["structured-logging"] and nwd004["severity"] == "medium"

    text = run_cli(*args, cwd=service, env=installed)
    assert text.returncode == 1
    assert "orders/app/worker.py:8:5: NWD004 print() in service code" in text.stdout
    assert "orders/Dockerfile:1:1: NWD003 the service in orders has no RUNBOOK.md" in text.stdout

    sarif = json.loads(run_cli(*args, "--format", "sarif", cwd=service, env=installed).stdout)
    run = sarif["runs"][0]
    assert [(e["name"], e["version"]) for e in run["tool"]["extensions"]] == [("northwind", "1.2.0")]
    assert {r["ruleId"] for r in run["results"]} == {"NWD001", "NWD002", "NWD003", "NWD004"}
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "NWD004")
    assert "external/cwe/cwe-778" in rule["properties"]["tags"]


def test_its_own_tests_pass_with_the_sdk_harness(installed) -> None:
    checked = run_cli("test-rules", str(EXAMPLE_PACK), cwd=ROOT, env=installed)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "4 rules of pack northwind 1.2.0, 4 fixtures, 1 Semgrep tests" in checked.stdout
