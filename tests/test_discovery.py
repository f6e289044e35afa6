"""File discovery: .gitignore and excludes with git semantics, file kinds, symbolic links.

Every test builds a small repository on disk and runs a real scan (or the CLI). Each
Python file below is a tiny HTTP client calling ``requests.get`` without a timeout, so
a file that was discovered and analyzed shows up as a TMO001 finding on its path.
Where git itself can tell which files it ignores, the tests ask it too.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prodready_lint.sdk.model import FileKind

import prodready_lint
from prodready_lint.discovery import discover
from prodready_lint.filekinds import classify
from tests.conftest import run_cli, write_tree


def client(service: str) -> str:
    """A module calling one internal service without a timeout (one TMO001 finding)."""
    return (
        f'"""Client for the {service} service."""\n'
        "\n"
        "import requests\n"
        "\n"
        f'BASE_URL = "https://{service}.internal"\n'
        "\n"
        "\n"
        "def fetch(path):\n"
        '    return requests.get(f"{BASE_URL}/{path}")\n'
    )


PYPROJECT_HEAD = '[project]\nname = "inventory"\nversion = "1.4.0"\n\n'


def scan(*paths: str | os.PathLike, **kwargs) -> prodready_lint.ScanResult:
    kwargs.setdefault("cache", False)
    return prodready_lint.scan(list(paths) or ["."], **kwargs)


def flagged(result: prodready_lint.ScanResult) -> list[str]:
    """The files a scan analyzed and found the missing timeout in."""
    return sorted({f.path for f in result.findings})


def errors_of(result: prodready_lint.ScanResult) -> list[tuple[str, str]]:
    return sorted((e.path, e.kind) for e in result.errors)


def _git_env(tmp_home: Path) -> dict[str, str]:
    """git without any user or system configuration (no global excludes file either)."""
    tmp_home.mkdir(exist_ok=True)
    return {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_home),
        "XDG_CONFIG_HOME": str(tmp_home / ".config"),
    }


def git_untracked(repo: Path) -> list[str]:
    """What git itself lists as untracked and not ignored (every file here is untracked)."""
    out = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "-z"],
        cwd=repo,
        env=_git_env(repo.parent / "git-home"),
        capture_output=True,
        check=True,
    ).stdout.decode()
    return sorted(p for p in out.split("\0") if p)


def git_ignores(repo: Path, relpath: str) -> bool:
    done = subprocess.run(
        ["git", "check-ignore", "--quiet", "--no-index", relpath],
        cwd=repo,
        env=_git_env(repo.parent / "git-home"),
        capture_output=True,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode == 0


def discovered(repo: Path, *paths: str, **kwargs) -> list[str]:
    """Every file discovery returns (all kinds), as root-relative paths."""
    found = discover([repo / p for p in (paths or (".",))], repo, **kwargs)
    return [t.relpath for t in found.files]


# -- .gitignore -----------------------------------------------------------------------


def test_gitignore_negation_anchoring_and_directory_patterns_match_git(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            ".gitignore": (
                "# build output\n"
                "build/\n"
                "dist/\n"
                "# generated gRPC stubs, except the health check we vendor\n"
                "*_pb2.py\n"
                "!health_pb2.py\n"
                "/local_settings.py\n"
            ),
            "inventory/api.py": client("inventory"),
            "inventory/health_pb2.py": client("health"),
            "inventory/orders_pb2.py": client("orders"),
            "inventory/local_settings.py": client("settings"),
            "local_settings.py": client("local"),
            "build/lib/inventory/api.py": client("inventory"),
            "dist/inventory-1.4.0/setup.py": client("dist"),
            # a file named like an ignored directory pattern is not a directory
            "scripts/build": "#!/bin/sh\nexec python -m build\n",
        },
    )
    monkeypatch.chdir(repo)

    result = scan(".")

    assert flagged(result) == ["inventory/api.py", "inventory/health_pb2.py", "inventory/local_settings.py"]
    assert result.stats.files_seen == 3
    assert result.errors == ()
    # discovery agrees with git file for file (all kinds, .gitignore itself included)
    assert discovered(repo) == git_untracked(repo)
    assert "scripts/build" in discovered(repo)


def test_deeper_gitignore_overrides_shallower_one(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            ".gitignore": "*_pb2.py\nscratch/\n",
            "services/orders/orders_pb2.py": client("orders"),
            "services/orders/scratch/try_retry.py": client("orders"),
            # billing commits its stubs and its scratch area ...
            "services/billing/.gitignore": "!*_pb2.py\n!scratch/\n",
            "services/billing/invoice_pb2.py": client("invoices"),
            "services/billing/scratch/replay.py": client("billing"),
            # ... but not the legacy ones, one level deeper
            "services/billing/legacy/.gitignore": "*_pb2.py\n",
            "services/billing/legacy/ledger_pb2.py": client("ledger"),
            "services/billing/legacy/ledger.py": client("ledger"),
        },
    )
    monkeypatch.chdir(repo)

    result = scan(".")

    assert flagged(result) == [
        "services/billing/invoice_pb2.py",
        "services/billing/legacy/ledger.py",
        "services/billing/scratch/replay.py",
    ]
    assert discovered(repo) == git_untracked(repo)


def test_git_info_exclude_is_honoured_and_gitignore_can_override_it(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            ".gitignore": "!keep.local.py\n",
            "notes/ideas.py": client("ideas"),
            "tools/debug.local.py": client("debug"),
            "tools/keep.local.py": client("keep"),
            "tools/deploy.py": client("deploy"),
        },
    )
    (repo / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("# personal ignores\nnotes/\n*.local.py\n")
    monkeypatch.chdir(repo)

    result = scan(".")

    assert flagged(result) == ["tools/deploy.py", "tools/keep.local.py"]
    assert discovered(repo) == git_untracked(repo)


def test_respect_gitignore_false_scans_ignored_files_but_keeps_default_excludes(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            "pyproject.toml": PYPROJECT_HEAD + "[tool.prodready-lint]\nrespect-gitignore = false\n",
            ".gitignore": "generated/\n*_pb2.py\n",
            "app.py": client("app"),
            "generated/openapi_client.py": client("openapi"),
            "orders_pb2.py": client("orders"),
            ".venv/lib/python3.11/site-packages/requests/api.py": client("pypi"),
        },
    )
    (repo / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("app.py\n")
    monkeypatch.chdir(repo)

    result = scan(".")

    assert result.config.respect_gitignore is False
    assert flagged(result) == ["app.py", "generated/openapi_client.py", "orders_pb2.py"]
    # and with the setting left alone, the same tree honours both ignore files
    (repo / "pyproject.toml").write_text(PYPROJECT_HEAD)
    assert flagged(scan(".")) == []


# -- excludes ----------------------------------------------------------------------------


def test_default_excludes_skip_tool_and_dependency_directories(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            "app/main.py": client("app"),
            ".venv/lib/python3.11/site-packages/requests/api.py": client("pypi"),
            "venv/bin/activate_this.py": client("venv"),
            "node_modules/node-gyp/gyp/pylib/gyp/input.py": client("gyp"),
            ".tox/py311/lib/python3.11/site-packages/six.py": client("tox"),
            "app/__pycache__/main.cpython-311.pyc": b"\xa7\r\r\n\x00\x00\x00\x00",
            "src/inventory.egg-info/PKG-INFO": "Metadata-Version: 2.1\nName: inventory\n",
            "src/inventory.egg-info/top_level.txt": "inventory\n",
            ".mypy_cache/3.11/app/main.data.json": "{}\n",
            ".terraform/modules/modules.json": '{"Modules": []}\n',
            "infra/main.tf": 'resource "aws_s3_bucket" "assets" {}\n',
        },
    )
    monkeypatch.chdir(repo)

    assert flagged(scan(".")) == ["app/main.py", "infra/main.tf"]  # the bucket is the AWS rules' finding
    assert discovered(repo) == ["app/main.py", "infra/main.tf"]


def test_negated_exclude_brings_a_default_exclude_back(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            # deploy/venv/ is the project's own code that builds virtualenvs on hosts
            "pyproject.toml": PYPROJECT_HEAD + '[tool.prodready-lint]\nexclude = ["!deploy/venv/"]\n',
            "deploy/venv/bootstrap.py": client("artifacts"),
            "venv/lib/python3.11/site-packages/urllib3/poolmanager.py": client("pypi"),
            "app.py": client("app"),
        },
    )
    monkeypatch.chdir(repo)

    assert flagged(scan(".")) == ["app.py", "deploy/venv/bootstrap.py"]
    (repo / "pyproject.toml").write_text(PYPROJECT_HEAD + "[tool.prodready-lint]\n")
    assert flagged(scan(".")) == ["app.py"]


def test_exclude_patterns_are_anchored_at_the_config_directory(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            "services/api/pyproject.toml": (
                PYPROJECT_HEAD
                + '[tool.prodready-lint]\nexclude = ["/migrations/", "*_generated.py", "tests/fixtures/"]\n'
            ),
            "services/api/handlers/orders.py": client("orders"),
            "services/api/migrations/0001_initial.py": client("migrations"),
            "services/api/handlers/client_generated.py": client("generated"),
            "services/api/tests/fixtures/fake_upstream.py": client("upstream"),
            "services/api/handlers/migrations/readme.py": client("nested"),
            # outside the config's directory, none of its patterns apply
            "services/worker/migrations/0001_initial.py": client("worker"),
            "services/worker/client_generated.py": client("worker"),
        },
    )
    monkeypatch.chdir(repo)

    # One configuration per run: scanning two projects at once takes it explicitly.
    result = scan("services/api", "services/worker", config="services/api/pyproject.toml")

    assert result.config.source == "services/api/pyproject.toml"
    assert flagged(result) == [
        "services/api/handlers/migrations/readme.py",
        "services/api/handlers/orders.py",
        "services/worker/client_generated.py",
        "services/worker/migrations/0001_initial.py",
    ]


def test_default_excludes_still_apply_outside_a_config_in_a_subdirectory(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            "ci/prodready.toml": 'exclude = ["/fixtures/"]\n',
            "ci/fixtures/slow_upstream.py": client("slow"),
            "ci/smoke.py": client("smoke"),
            "app/main.py": client("app"),
            "fixtures/seed.py": client("seed"),
            ".venv/lib/python3.11/site-packages/requests/sessions.py": client("pypi"),
            "frontend/node_modules/node-gyp/gyp/gyp_main.py": client("gyp"),
        },
    )
    monkeypatch.chdir(repo)

    result = scan(".", config="ci/prodready.toml")

    assert result.errors == ()
    assert flagged(result) == ["app/main.py", "ci/smoke.py", "fixtures/seed.py"]


def test_explicit_files_obey_excludes_and_are_counted(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            "pyproject.toml": PYPROJECT_HEAD + '[tool.prodready-lint]\nexclude = ["legacy/"]\n',
            ".gitignore": "*_pb2.py\nbuild/\n",
            "app/main.py": client("app"),
            "app/orders_pb2.py": client("orders"),
            "legacy/batch.py": client("batch"),
            ".venv/lib/python3.11/site-packages/requests/api.py": client("pypi"),
            # build/ is ignored: git never reads build/.gitignore, so its negation has no effect
            "build/.gitignore": "!*.py\n",
            "build/lib/app/main.py": client("app"),
        },
    )
    monkeypatch.chdir(repo)
    named = [
        "app/main.py",
        "app/orders_pb2.py",
        "legacy/batch.py",
        ".venv/lib/python3.11/site-packages/requests/api.py",
        "build/lib/app/main.py",
    ]

    result = scan(*named)

    assert flagged(result) == ["app/main.py"]
    assert result.stats.files_seen == 1
    assert result.stats.files_excluded == 4
    assert git_ignores(repo, "build/lib/app/main.py")
    assert git_ignores(repo, "app/orders_pb2.py")
    assert not git_ignores(repo, "app/main.py")

    done = run_cli("scan", "--no-cache", "--format", "json", *named, cwd=repo)
    report = json.loads(done.stdout)
    assert report["stats"]["files_excluded"] == 4
    assert [f["location"]["path"] for f in report["findings"]] == ["app/main.py"]
    assert done.returncode == 1, done.stderr


def test_explicitly_named_ignored_directory_is_scanned(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            ".gitignore": "experiments/\n",
            "pyproject.toml": PYPROJECT_HEAD + '[tool.prodready-lint]\nexclude = ["sandbox/"]\n',
            "app.py": client("app"),
            "experiments/load_test.py": client("load"),
            "experiments/.gitignore": "results/\n",
            "experiments/results/run_42.py": client("results"),
            "experiments/.venv/lib/python3.11/site-packages/locust/main.py": client("pypi"),
            "sandbox/try_redis.py": client("sandbox"),
        },
    )
    monkeypatch.chdir(repo)

    assert flagged(scan(".")) == ["app.py"]
    # named: walked, though its own .gitignore and the default excludes still apply inside
    assert flagged(scan("experiments")) == ["experiments/load_test.py"]
    assert flagged(scan("sandbox")) == ["sandbox/try_redis.py"]

    done = run_cli("scan", "--no-cache", "experiments", cwd=repo)
    assert done.returncode == 1, done.stderr
    assert "experiments/load_test.py:9:12: TMO001" in done.stdout


# -- paths and order ---------------------------------------------------------------------


def test_output_is_sorted_and_identical_between_runs(repo: Path, monkeypatch) -> None:
    names = [
        "zeta/client.py",
        "alpha/b.py",
        "alpha/a.py",
        "Beta.py",
        "alpha/sub/c.py",
        "mid.py",
        "alpha_beta.py",
        "alpha-beta.py",  # "-" sorts before "/": a depth-first walk alone gets this wrong
    ]
    for name in names:  # created out of order on purpose
        write_tree(repo, {name: client(Path(name).stem.lower())})
    os.symlink("gone.py", repo / "mid_link.py")
    os.symlink("missing.py", repo / "alpha/x.py")
    monkeypatch.chdir(repo)

    first = scan(".")
    second = scan(".", jobs=2)

    expected = sorted(names)
    assert flagged(first) == expected
    assert [f.path for f in first.findings] == expected
    assert first.findings == second.findings
    assert first.errors == second.errors
    assert [e.path for e in first.errors] == ["alpha/x.py", "mid_link.py"]
    found = discover([repo], repo)
    assert [t.relpath for t in found.files] == sorted(t.relpath for t in found.files)


def test_paths_are_repository_relative_posix_from_anywhere(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            "services/api/handlers/orders.py": client("orders"),
            "services/api/app.py": client("app"),
            "README.md": "# inventory\n",
        },
    )

    done = run_cli("scan", "--no-cache", "--format", "json", ".", cwd=repo / "services" / "api")
    report = json.loads(done.stdout)
    assert report["root"] == str(repo)
    paths = [f["location"]["path"] for f in report["findings"]]
    assert paths == ["services/api/app.py", "services/api/handlers/orders.py"]

    monkeypatch.chdir(repo.parent)
    result = scan(str(repo / "services" / "api" / "handlers"))  # absolute argument
    assert result.root == str(repo)
    assert flagged(result) == ["services/api/handlers/orders.py"]
    assert all("\\" not in f.path and not os.path.isabs(f.path) for f in result.findings)


def test_nonexistent_path_is_a_usage_error(repo: Path, monkeypatch) -> None:
    write_tree(repo, {"app.py": client("app")})
    monkeypatch.chdir(repo)

    result = scan("app.py", "srv/handlers.py")

    assert errors_of(result) == [("srv/handlers.py", "not-found")]
    assert flagged(result) == ["app.py"]  # the rest of the scan still ran
    assert result.exit_code() == 2

    done = run_cli("scan", "--no-cache", "app.py", "srv/handlers.py", cwd=repo)
    assert done.returncode == 2
    assert "prodready-lint: srv/handlers.py: not-found: no such file or directory" in done.stderr.splitlines()
    assert "app.py:9:12: TMO001" in done.stdout


# -- file kinds --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relpath", "kind"),
    [
        ("app/main.py", FileKind.PYTHON),
        ("stubs/requests.pyi", FileKind.PYTHON),
        ("Dockerfile", FileKind.DOCKERFILE),
        ("docker/Dockerfile.prod", FileKind.DOCKERFILE),
        ("docker/api.Dockerfile", FileKind.DOCKERFILE),
        ("Containerfile", FileKind.DOCKERFILE),
        ("infra/main.tf", FileKind.TERRAFORM),
        ("infra/prod.tfvars", FileKind.TERRAFORM),
        ("infra/main.tf.json", FileKind.TERRAFORM),
        (".env", FileKind.ENV),
        (".env.production", FileKind.ENV),
        ("config/worker.env", FileKind.ENV),
        ("requirements.txt", FileKind.REQUIREMENTS),
        ("requirements-dev.txt", FileKind.REQUIREMENTS),
        ("requirements/base.txt", FileKind.REQUIREMENTS),
        ("requirements/prod.in", FileKind.REQUIREMENTS),
        ("constraints.txt", FileKind.REQUIREMENTS),
        ("test-requirements.txt", FileKind.REQUIREMENTS),
        ("dev_requirements.txt", FileKind.REQUIREMENTS),
        ("k8s.yaml", FileKind.YAML),
        ("deploy/k8s/deployment.yml", FileKind.YAML),
        ("openapi.JSON", FileKind.JSON),
        ("pyproject.toml", FileKind.TOML),
        ("db/migrations/001_orders.sql", FileKind.SQL),
        ("setup.cfg", FileKind.INI),
        ("tox.ini", FileKind.INI),
        ("scripts/deploy.sh", FileKind.SHELL),
        ("docs/notes.txt", FileKind.OTHER),
        (".envrc", FileKind.OTHER),
        ("Makefile", FileKind.BUILD),
        ("ci/Jenkinsfile", FileKind.BUILD),
        ("build/rules.mk", FileKind.BUILD),
        ("justfile", FileKind.BUILD),
        (".gitignore", FileKind.OTHER),
    ],
)
def test_classify(relpath: str, kind: FileKind) -> None:
    assert classify(relpath) is kind


def test_discovery_classifies_a_real_tree_and_filters_by_kind(repo: Path) -> None:
    files = {
        "Dockerfile": "FROM python:3.12-slim\n",
        "docker/Dockerfile.prod": "FROM python:3.12-slim AS runtime\n",
        "infra/main.tf": 'resource "aws_sqs_queue" "orders" {}\n',
        ".env": "DATABASE_URL=postgres://localhost/inventory\n",
        ".env.production": "LOG_LEVEL=info\n",
        "requirements-dev.txt": "pytest==8.2.0\n",
        "requirements/base.txt": "requests==2.32.3\n",
        "deploy/k8s.yaml": "apiVersion: apps/v1\nkind: Deployment\n",
        "app/main.py": client("app"),
    }
    write_tree(repo, files)

    found = discover([repo], repo)
    kinds = {t.relpath: t.kind for t in found.files}
    assert kinds == {
        "Dockerfile": FileKind.DOCKERFILE,
        "app/main.py": FileKind.PYTHON,
        "deploy/k8s.yaml": FileKind.YAML,
        "docker/Dockerfile.prod": FileKind.DOCKERFILE,
        ".env": FileKind.ENV,
        ".env.production": FileKind.ENV,
        "infra/main.tf": FileKind.TERRAFORM,
        "requirements-dev.txt": FileKind.REQUIREMENTS,
        "requirements/base.txt": FileKind.REQUIREMENTS,
    }
    # Every file is listed whatever is wanted (repository rules see them all); what is
    # wanted only decides which broken links are worth an error.
    os.symlink("missing.env", repo / "broken.env")
    os.symlink("missing.sql", repo / "broken.sql")
    only = discover([repo], repo, wanted=frozenset({FileKind.DOCKERFILE, FileKind.ENV}))
    assert [t.relpath for t in only.files] == sorted(files)
    assert [(e.path, e.kind) for e in only.errors] == [("broken.env", "broken-symlink")]
    assert all(Path(t.abspath).is_file() and Path(t.abspath).is_absolute() for t in found.files)


# -- symbolic links ----------------------------------------------------------------------


def test_symlinked_file_inside_the_tree_is_analyzed_once_under_its_own_path(repo: Path, tmp_path: Path) -> None:
    write_tree(repo, {"config/settings.py": client("settings"), "app.py": client("app")})
    write_tree(tmp_path / "shared-libs", {"retry_client.py": client("retry")})
    os.symlink("config/settings.py", repo / "a_settings.py")  # sorts before its target
    os.symlink("../config/settings.py", repo / "config" / "z_settings.py")
    os.symlink(tmp_path / "shared-libs" / "retry_client.py", repo / "retry_client.py")  # outside the tree

    result = scan(repo)

    assert flagged(result) == ["app.py", "config/settings.py", "retry_client.py"]
    assert len(result.findings) == 3
    assert result.errors == ()


def test_directory_symlink_to_a_sibling_is_not_reported_twice(repo: Path) -> None:
    write_tree(repo, {"packages/billing/client.py": client("billing"), "packages/billing/models.py": client("models")})
    os.symlink("packages/billing", repo / "billing")  # sorts before packages/
    os.symlink("billing", repo / "packages" / "billing_compat")

    result = scan(repo)

    assert flagged(result) == ["packages/billing/client.py", "packages/billing/models.py"]
    assert len(result.findings) == 2
    assert result.errors == ()
    assert result.stats.files_seen == 2


def test_directory_symlink_to_an_ancestor_is_one_loop_error(repo: Path) -> None:
    write_tree(repo, {"pkg/core.py": client("core"), "pkg/utils/http.py": client("http"), "zz_last.py": client("z")})
    os.symlink("../..", repo / "pkg" / "utils" / "root")
    os.symlink(".", repo / "pkg" / "self")

    result = scan(repo)

    assert errors_of(result) == [("pkg/self", "symlink-loop"), ("pkg/utils/root", "symlink-loop")]
    assert flagged(result) == ["pkg/core.py", "pkg/utils/http.py", "zz_last.py"]  # the walk completed
    assert result.exit_code() == 1


def test_broken_symlink_is_an_error_and_the_rest_is_scanned(repo: Path) -> None:
    write_tree(repo, {"app.py": client("app")})
    os.symlink("generated/x_impl.py", repo / "x.py")
    os.symlink("nowhere", repo / "notes.txt")  # not a kind any rule reads: nothing to say

    result = scan(repo)

    assert errors_of(result) == [("x.py", "broken-symlink")]
    assert "generated/x_impl.py" in result.errors[0].message
    assert flagged(result) == ["app.py"]

    (repo / "app.py").unlink()
    only_errors = scan(repo)
    assert flagged(only_errors) == []
    assert only_errors.exit_code() == 3


def test_two_link_loop_is_reported_as_a_loop(repo: Path) -> None:
    write_tree(repo, {"app.py": client("app")})
    os.symlink("b.py", repo / "a.py")
    os.symlink("a.py", repo / "b.py")

    result = scan(repo)

    assert errors_of(result) == [("a.py", "symlink-loop"), ("b.py", "symlink-loop")]
    assert flagged(result) == ["app.py"]

    done = run_cli("scan", "--no-cache", "a.py", cwd=repo)
    assert done.returncode == 3
    assert done.stderr.splitlines() == [
        "prodready-lint: a.py: symlink-loop: symbolic link loop: the link never resolves"
    ]


def test_scanning_through_a_symlinked_checkout_keeps_the_configuration(repo: Path, tmp_path: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            "pyproject.toml": (
                PYPROJECT_HEAD + "[tool.prodready-lint]\n"
                'exclude = ["/vendor/"]\n'
                '[tool.prodready-lint.per-file-ignores]\n"scripts/*.py" = ["TMO001"]\n'
            ),
            "app.py": client("app"),
            "vendor/patched_requests.py": client("vendor"),
            "scripts/backfill.py": client("backfill"),
            ".venv/lib/python3.11/site-packages/requests/api.py": client("pypi"),
        },
    )
    os.symlink(repo, tmp_path / "checkout")
    monkeypatch.chdir(tmp_path)

    through_link = scan("checkout")
    direct = scan("repo")

    assert flagged(direct) == ["app.py"]
    assert flagged(through_link) == ["app.py"]


# -- unreadable directories --------------------------------------------------------------

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


def _without_permission_overrides() -> None:
    """Run in the child before exec: a root process ignores permission bits through its
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH capabilities; dropping them from the
    bounding set makes the exec'd program obey the bits like any other user."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def test_unreadable_directory_is_reported_and_the_rest_is_scanned(repo: Path) -> None:
    # chmod 000 stops a normal user, but not root (tests often run as root in CI
    # containers): the scan runs in a child process that gives up root's permission
    # overrides, so the mode bits apply in both cases.
    write_tree(
        repo,
        {
            "app.py": client("app"),
            "secrets/vault_client.py": client("vault"),
            "reports/monthly.py": client("reports"),
        },
    )
    (repo / "secrets").chmod(0)
    (repo / "reports" / "monthly.py").chmod(0)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "prodready_lint", "scan", "--no-cache", "--format", "json", "."],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_without_permission_overrides,
        )
    finally:
        (repo / "secrets").chmod(0o755)
        (repo / "reports" / "monthly.py").chmod(0o644)
    report = json.loads(done.stdout)
    assert [(e["path"], e["kind"]) for e in report["errors"]] == [
        ("reports/monthly.py", "unreadable"),
        ("secrets", "unreadable"),
    ]
    assert "Permission denied" in report["errors"][1]["message"]
    assert [f["location"]["path"] for f in report["findings"]] == ["app.py"]
    assert done.returncode == 1
    assert "prodready-lint: secrets: unreadable: cannot list directory: Permission denied" in done.stderr
