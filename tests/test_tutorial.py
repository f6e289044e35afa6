"""docs/writing-a-pack.md, followed for real: every `$` command is run in order from an
empty directory and every file shown with a path is written, offline (the wheel's
build backend comes from virtualenv's embedded wheels), in a virtual environment of its
own that sees this one's packages: the pack installs there, never here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests._wheelhouse import _best_seed_wheel
from tests.conftest import ROOT

try:
    from packaging.requirements import Requirement
except ImportError:  # pragma: no cover
    from pip._vendor.packaging.requirements import Requirement

TUTORIAL = ROOT / "docs" / "writing-a-pack.md"
_BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_TITLE = re.compile(r'title="([^"]+)"')


def steps(text: str) -> list[tuple[str, str]]:
    """("run", command) and ("write", path + NUL + content) in the order of the page."""
    out = []
    for language, info, body in _BLOCK.findall(text):
        title = _TITLE.search(info)
        if title:
            out.append(("write", f"{title.group(1)}\0{body}"))
        elif language == "console":
            out += [("run", line[2:]) for line in body.splitlines() if line.startswith("$ ")]
    return out


def environment(base: Path) -> dict[str, str]:
    wheels = base / "wheels"
    wheels.mkdir()
    seed = _best_seed_wheel(Requirement("setuptools>=69"))
    if seed is None:
        pytest.skip("no embedded setuptools wheel to build the pack offline")
    shutil.copy(seed, wheels)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (site / "this-environment.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PRODREADY_LINT_", "VIRTUAL_ENV"))}
    env.update(
        PATH=os.pathsep.join([str(venv / "bin"), str(Path(sys.executable).parent), env.get("PATH", "")]),
        PYTHONPATH=str(site),  # this environment's prodready-lint sees what is installed there
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheels),
        PIP_NO_DEPS="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PRODREADY_LINT_CACHE_DIR=str(base / "cache"),
    )
    return env


def test_the_tutorial_works_as_written(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = environment(tmp_path)
    cwd = work
    outputs: list[tuple[str, str]] = []
    for action, value in steps(TUTORIAL.read_text(encoding="utf-8")):
        if action == "write":
            path, _, content = value.partition("\0")
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_text(content, encoding="utf-8")
            continue
        marker = tmp_path / "cwd"
        script = f"{value}\nstatus=$?\npwd > {marker}\nexit $status"
        result = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
        expected = 1 if value.startswith("prodready-lint scan") else 0  # a scan with findings exits 1
        assert result.returncode == expected, f"$ {value}\n{result.stdout}{result.stderr}"
        outputs.append((value, result.stdout))
        cwd = Path(marker.read_text(encoding="utf-8").strip())

    checked = [out for command, out in outputs if command.startswith("prodready-lint test-rules")]
    assert len(checked) == 3 and all("all rules behave as documented" in out for out in checked)
    assert "2 rules of pack acme 0.1.0, 2 fixtures, 1 Semgrep tests" in checked[-1]
    local, installed = (out for command, out in outputs if command.startswith("prodready-lint scan"))
    for report in (local, installed):
        assert "jobs.py:5:5: ACME002 print() in service code" in report
        assert "jobs.py:6:5: ACME001 subprocess.run() has no timeout" in report
    listing = dict(outputs)["prodready-lint rules"].splitlines()
    assert any(line.split()[:4] == ["ACME001", "subprocess-without-timeout", "acme", "0.1.0"] for line in listing)
