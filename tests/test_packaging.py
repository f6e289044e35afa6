"""Packaging: sdk/ and rules/ install as prodready_lint.sdk and prodready_lint.rules."""

from __future__ import annotations

import tomllib

import prodready_lint
from tests.conftest import ROOT

MAPPING = {"prodready_lint": "prodready_lint", "prodready_lint.sdk": "sdk", "prodready_lint.rules": "rules"}


def test_every_package_directory_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["package-dir"] == MAPPING
    on_disk = set()
    for package, directory in MAPPING.items():
        for init in (ROOT / directory).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / directory).parts
            if all(part.isidentifier() for part in parts):  # sdk/example-pack is a project of its own
                on_disk.add(".".join((package, *parts)))
    assert set(config["packages"]) == on_disk


def test_the_example_pack_is_not_part_of_the_distribution() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert (ROOT / "sdk" / "example-pack" / "pyproject.toml").is_file()
    assert not any("example" in package or "northwind" in package for package in config["packages"])
    assert not any("example" in pattern for patterns in config["package-data"].values() for pattern in patterns)


def test_public_api_is_what_the_package_exports() -> None:
    assert set(prodready_lint.__all__) >= {"scan", "ScanResult", "Finding", "Config", "load_config", "Severity"}
    for name in prodready_lint.__all__:
        assert hasattr(prodready_lint, name), name


def test_builtin_pack_is_registered_as_an_entry_point() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert scripts["entry-points"]["prodready_lint.rules"] == {"builtin": "prodready_lint.rules:PACK"}
    assert scripts["scripts"] == {"prodready-lint": "prodready_lint.cli:main"}
