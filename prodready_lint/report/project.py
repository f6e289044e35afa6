"""What the report's header names: the application, its version, the commit, the date."""

from __future__ import annotations

import configparser
import datetime as dt
import os
import re
import subprocess
import tomllib

__all__ = ["commit", "describe", "report_date"]


def report_date() -> dt.date:
    """Today (UTC), or the date of ``SOURCE_DATE_EPOCH`` when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def _from_pyproject(directory: str) -> tuple[str, str] | None:
    try:
        with open(os.path.join(directory, "pyproject.toml"), "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    project = data.get("project")
    if isinstance(project, dict) and isinstance(project.get("name"), str):
        version = project.get("version")
        return project["name"], version if isinstance(version, str) else ""
    poetry = data.get("tool", {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    if isinstance(poetry, dict) and isinstance(poetry.get("name"), str):
        version = poetry.get("version")
        return poetry["name"], version if isinstance(version, str) else ""
    return None


def _from_setup_cfg(directory: str) -> tuple[str, str] | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(os.path.join(directory, "setup.cfg"), encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return None
    if parser.has_option("metadata", "name"):
        version = parser.get("metadata", "version", fallback="")
        return parser.get("metadata", "name"), "" if version.startswith("attr:") else version
    return None


def _from_package_json(directory: str) -> tuple[str, str] | None:
    import json

    try:
        with open(os.path.join(directory, "package.json"), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        return data["name"], str(data.get("version", ""))
    return None


def describe(directory: str) -> tuple[str, str]:
    """``(name, version)`` from the project metadata (pyproject.toml, setup.cfg,
    package.json), else the directory's name and no version."""
    for reader in (_from_pyproject, _from_setup_cfg, _from_package_json):
        found = reader(directory)
        if found:
            return found
    return os.path.basename(os.path.abspath(directory)) or "repository", ""


_SHA = re.compile(r"^[0-9a-f]{40,64}$")


def commit(directory: str) -> str:
    """The checked-out commit, with ``-dirty`` when tracked files changed; empty outside git."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=directory, capture_output=True, text=True, timeout=30, check=False
        )
        if head.returncode != 0 or not _SHA.match(head.stdout.strip()):
            return ""
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    dirty = "-dirty" if status.returncode == 0 and status.stdout.strip() else ""
    return head.stdout.strip() + dirty
