"""Configuration: the ``[tool.prodready-lint]`` table, standalone files, discovery, problems.

The scanned project is a small inventory service whose ``service.py`` makes four
calls without a timeout: ``redis.Redis()`` (TMO006), ``requests.get()`` (TMO001),
``socket.create_connection()`` (TMO004) and ``.post()`` on a session made by the
project's own ``make_session()`` (TMO001 only when that factory is declared).
Which rule ids show up on which lines proves which settings were applied.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import prodready_lint
from prodready_lint import Config, ConfigError, Severity, load_config
from prodready_lint.config import DEFAULT_MAX_FILE_SIZE, discover_config, parse_config
from tests.conftest import run_cli, write_tree

SERVICE = '''"""Stock levels, reservations and the ledger feed."""

import socket

import redis
import requests

from inventory.http import make_session

cache = redis.Redis(host="cache.internal", port=6379)


def fetch_stock(url):
    return requests.get(url)


def open_ledger(addr):
    return socket.create_connection(addr)


def push_reservation(url, payload):
    session = make_session()
    return session.post(url, json=payload)
'''
REDIS_LINE, GET_LINE, SOCKET_LINE, SESSION_LINE = 10, 14, 18, 23

HTTP = '''"""HTTP plumbing shared by the inventory service."""

import requests


def make_session():
    session = requests.Session()
    session.headers["User-Agent"] = "inventory/1.4"
    return session
'''

PROJECT = '[project]\nname = "inventory"\nversion = "1.4.0"\nrequires-python = ">=3.11"\n'


def service_repo(repo: Path, tool_table: str | None = None, **extra: str) -> Path:
    """The inventory service, with ``tool_table`` as its [tool.prodready-lint] table."""
    files = {
        "inventory/__init__.py": "",
        "inventory/service.py": SERVICE,
        "inventory/http.py": HTTP,
        **extra,
    }
    pyproject = PROJECT
    if tool_table is not None:
        pyproject += "\n[tool.prodready-lint]\n" + tool_table
    files["pyproject.toml"] = pyproject
    return write_tree(repo, files)


def scan(*paths: str | Path, **kwargs) -> prodready_lint.ScanResult:
    kwargs.setdefault("cache", False)
    return prodready_lint.scan(list(paths) or ["."], **kwargs)


def found(result: prodready_lint.ScanResult, path: str = "inventory/service.py") -> list[tuple[int, str]]:
    """(line, rule id) of the active findings in one file."""
    return [(f.line, f.rule_id) for f in result.findings if f.path == path]


def problems(result: prodready_lint.ScanResult) -> list[str]:
    return [e.message for e in result.errors if e.kind == "config"]


ALL_THREE = [(REDIS_LINE, "TMO006"), (GET_LINE, "TMO001"), (SOCKET_LINE, "TMO004")]


def test_defaults_without_any_configuration(repo: Path, monkeypatch) -> None:
    service_repo(repo)
    monkeypatch.chdir(repo)

    result = scan()

    assert result.errors == ()
    assert found(result) == ALL_THREE
    assert result.config == Config(base_dir=str(repo))
    assert result.config.max_file_size == DEFAULT_MAX_FILE_SIZE == 10 * 1024 * 1024
    assert {f.severity for f in result.findings} == {Severity.MEDIUM}


def test_every_key_is_parsed(repo: Path) -> None:
    service_repo(
        repo,
        'select = ["timeouts"]\n'
        'ignore = ["TMO006", "grpc-call-without-timeout"]\n'
        'exclude = ["/generated/", "*_pb2.py"]\n'
        "respect-gitignore = false\n"
        'severity-threshold = "high"\n'
        'max-file-size = "2MB"\n'
        'cache-dir = ".cache/prodready"\n'
        "\n"
        "[tool.prodready-lint.per-file-ignores]\n"
        '"scripts/*.py" = ["TMO001"]\n'
        '"tests/**" = ["timeouts"]\n'
        "\n"
        "[tool.prodready-lint.rules.TMO001]\n"
        'session-factories = ["inventory.http.make_session"]\n'
        "\n"
        "[tool.prodready-lint.rules.TMO004]\n"
        'severity = "high"\n',
    )

    config = load_config(repo / "pyproject.toml")

    assert config.select == ("timeouts",)
    assert config.ignore == ("TMO006", "grpc-call-without-timeout")
    assert config.exclude == ("/generated/", "*_pb2.py")
    assert config.respect_gitignore is False
    assert config.severity_threshold is Severity.HIGH
    assert config.max_file_size == 2_000_000
    assert config.cache_dir == ".cache/prodready"
    assert config.per_file_ignores == (("scripts/*.py", ("TMO001",)), ("tests/**", ("timeouts",)))
    assert {k: dict(v) for k, v in config.rules.items()} == {
        "TMO001": {"session-factories": ("inventory.http.make_session",)},
        "TMO004": {"severity": "high"},
    }
    assert config.source == str(repo / "pyproject.toml")
    assert config.base_dir == str(repo)
    # the lenient reader sees the same settings and no problem
    table_config, found_problems = discover_config(repo / "inventory", repo)
    assert found_problems == []
    assert table_config == config


def test_every_key_is_applied(repo: Path, monkeypatch) -> None:
    service_repo(
        repo,
        'select = ["timeouts"]\n'
        'ignore = ["TMO006"]\n'
        'exclude = ["/generated/"]\n'
        "respect-gitignore = false\n"
        'severity-threshold = "high"\n'
        'max-file-size = "2KB"\n'
        'cache-dir = ".cache/prodready"\n'
        "\n"
        "[tool.prodready-lint.per-file-ignores]\n"
        '"scripts/*.py" = ["TMO001"]\n'
        "\n"
        "[tool.prodready-lint.rules.TMO001]\n"
        'session-factories = ["inventory.http.make_session"]\n'
        "\n"
        "[tool.prodready-lint.rules.TMO004]\n"
        'severity = "high"\n',
        **{
            ".gitignore": "scratch/\n",
            "scratch/probe.py": "import requests\n\nrequests.get('https://inventory.internal/health')\n",
            "generated/openapi_client.py": "import requests\n\nrequests.get('https://api.internal/')\n",
            "scripts/backfill.py": SERVICE,
            "inventory/fixtures.py": "STOCK = " + repr(list(range(1000))) + "\n",  # over 2 KB
        },
    )
    monkeypatch.chdir(repo)

    result = scan(cache=True)

    assert problems(result) == []
    # ignore (no TMO006), session-factories (the session.post line), rules.TMO004.severity
    assert found(result) == [(GET_LINE, "TMO001"), (SOCKET_LINE, "TMO004"), (SESSION_LINE, "TMO001")]
    assert {(f.rule_id, f.severity) for f in result.findings if f.path == "inventory/service.py"} == {
        ("TMO001", Severity.MEDIUM),
        ("TMO004", Severity.HIGH),
    }
    # per-file-ignores: scripts/ keeps only the socket finding
    assert found(result, "scripts/backfill.py") == [(SOCKET_LINE, "TMO004")]
    # exclude and respect-gitignore
    assert found(result, "generated/openapi_client.py") == []
    assert found(result, "scratch/probe.py") == [(3, "TMO001")]
    # max-file-size
    assert [(e.path, e.kind) for e in result.errors] == [("inventory/fixtures.py", "too-large")]
    # severity-threshold: only the high TMO004 findings fail the run
    assert {f.rule_id for f in result.failing()} == {"TMO004"}
    assert result.exit_code() == 1
    # cache-dir, relative to the config file's directory
    assert (repo / ".cache" / "prodready").is_dir()
    assert any((repo / ".cache" / "prodready").rglob("*.sqlite"))
    assert not (repo / ".prodready-cache").exists()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('select = ["TMO001"]\n', [(GET_LINE, "TMO001")]),
        ('select = ["TMO00"]\n', ALL_THREE),
        ('select = ["socket-without-timeout", "TMO006"]\n', [(REDIS_LINE, "TMO006"), (SOCKET_LINE, "TMO004")]),
        ('ignore = ["TMO004"]\n', [(REDIS_LINE, "TMO006"), (GET_LINE, "TMO001")]),
        (
            'select = ["timeouts"]\nignore = ["redis-without-socket-timeout"]\n',
            [(GET_LINE, "TMO001"), (SOCKET_LINE, "TMO004")],
        ),
    ],
)
def test_select_and_ignore_choose_the_rules(repo: Path, monkeypatch, table: str, expected) -> None:
    service_repo(repo, table)
    monkeypatch.chdir(repo)

    result = scan()

    assert result.errors == ()
    assert found(result) == expected


def test_a_selection_that_selects_nothing_is_a_usage_error_not_a_silent_green(repo: Path, monkeypatch) -> None:
    service_repo(repo, 'select = ["TMO"]\nignore = ["TMO0"]\n')
    monkeypatch.chdir(repo)
    result = scan()
    assert [(e.kind, e.message) for e in result.errors] == [
        ("usage", "the rule selection selects no rule: nothing would be checked")
    ]
    assert result.exit_code() == 2 and result.exit_code(exit_zero=True) == 2


def test_command_line_select_replaces_and_ignore_adds(repo: Path) -> None:
    service_repo(repo, 'select = ["TMO001", "TMO006"]\nignore = ["TMO006"]\n')

    configured = run_cli("scan", "--no-cache", "--format", "json", cwd=repo)
    replaced = run_cli("scan", "--no-cache", "--format", "json", "--select", "TMO004,TMO006", cwd=repo)
    added = run_cli("scan", "--no-cache", "--format", "json", "--ignore", "TMO001", cwd=repo)

    def ids(done) -> list[str]:
        assert done.returncode in (0, 1), done.stderr
        return [f["rule_id"] for f in json.loads(done.stdout)["findings"]]

    assert ids(configured) == ["TMO001"]
    assert ids(replaced) == ["TMO004"]  # the configured ignore still applies
    # TMO001 was all that was left: ignoring it too leaves nothing to check
    assert added.returncode == 2
    assert "the rule selection selects no rule" in added.stderr


def test_per_file_ignores_with_globs(repo: Path, monkeypatch) -> None:
    service_repo(
        repo,
        "[tool.prodready-lint.per-file-ignores]\n"
        '"scripts/*.py" = ["requests-without-timeout"]\n'
        '"tests/**" = ["ALL"]\n'
        '"**/legacy_*.py" = ["TMO004", "TMO006"]\n'
        '"inventory/http.py" = ["TMO"]\n',
        **{
            "scripts/backfill.py": SERVICE,
            "scripts/nightly/reindex.py": SERVICE,
            "tests/integration/test_stock.py": SERVICE,
            "inventory/legacy_sync.py": SERVICE,
            "tools/legacy/legacy_export.py": SERVICE,
        },
    )
    monkeypatch.chdir(repo)

    result = scan()

    assert problems(result) == []
    assert found(result) == ALL_THREE
    assert found(result, "scripts/backfill.py") == [(REDIS_LINE, "TMO006"), (SOCKET_LINE, "TMO004")]
    # "scripts/*.py" is anchored and * does not cross a slash
    assert found(result, "scripts/nightly/reindex.py") == ALL_THREE
    assert found(result, "tests/integration/test_stock.py") == []
    assert found(result, "inventory/legacy_sync.py") == [(GET_LINE, "TMO001")]
    assert found(result, "tools/legacy/legacy_export.py") == [(GET_LINE, "TMO001")]


def test_per_file_ignores_are_relative_to_the_config_directory(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            "services/inventory/pyproject.toml": PROJECT
            + '\n[tool.prodready-lint.per-file-ignores]\n"/inventory/service.py" = ["TMO006"]\n',
            "services/inventory/inventory/__init__.py": "",
            "services/inventory/inventory/service.py": SERVICE,
            "services/inventory/inventory/http.py": HTTP,
        },
    )
    monkeypatch.chdir(repo)

    result = scan("services/inventory")

    assert found(result, "services/inventory/inventory/service.py") == [(GET_LINE, "TMO001"), (SOCKET_LINE, "TMO004")]


def test_rule_severity_override_shows_on_findings_and_in_the_report(repo: Path, monkeypatch) -> None:
    service_repo(
        repo,
        'severity-threshold = "high"\n\n[tool.prodready-lint.rules.TMO004]\nseverity = "critical"\n'
        '\n[tool.prodready-lint.rules.TMO001]\nseverity = "LOW"\n',
    )
    monkeypatch.chdir(repo)

    result = scan()

    assert [(f.rule_id, f.severity) for f in result.findings] == [
        ("TMO006", Severity.MEDIUM),
        ("TMO001", Severity.LOW),
        ("TMO004", Severity.CRITICAL),
    ]
    assert result.exit_code() == 1
    done = run_cli("scan", "--no-cache", "--ignore", "TMO004", cwd=repo)
    assert done.returncode == 0, done.stdout  # what is left is below the threshold
    assert "TMO001 requests.get() has no timeout" in done.stdout
    assert "[low]" in done.stdout
    done = run_cli("scan", "--no-cache", cwd=repo)
    assert done.returncode == 1
    assert "[critical]" in done.stdout


def test_session_factories_option_is_passed_to_the_rule(repo: Path, monkeypatch) -> None:
    service_repo(repo, 'select = ["TMO001"]\n')
    monkeypatch.chdir(repo)
    assert found(scan()) == [(GET_LINE, "TMO001")]

    option = 'select = ["TMO001"]\n[tool.prodready-lint.rules.TMO001]\nsession-factories = ["inventory.http.{}"]\n'
    service_repo(repo, option.format("make_session"))
    result = scan()
    assert found(result) == [(GET_LINE, "TMO001"), (SESSION_LINE, "TMO001")]
    message = next(f.message for f in result.findings if f.line == SESSION_LINE)
    assert message.startswith("session.post() (a requests Session) has no timeout")

    service_repo(repo, option.format("make_client"))  # a name that is not the factory
    assert found(scan()) == [(GET_LINE, "TMO001")]


# -- problems ----------------------------------------------------------------------------


def test_unknown_key_gets_a_suggestion_and_is_not_applied(repo: Path, monkeypatch) -> None:
    service_repo(
        repo,
        'respect_gitignore = false\nexlude = ["inventory/"]\nline-length = 100\nselect = ["TMO001"]\n',
        **{".gitignore": "scratch/\n", "scratch/probe.py": SERVICE},
    )
    monkeypatch.chdir(repo)

    result = scan()

    assert problems(result) == [  # sorted, like every list of problems
        "unknown key 'exlude' (did you mean 'exclude'?)",
        "unknown key 'line-length'; known keys: cache-dir, exclude, file-kinds, file-memory, file-timeout, ignore, max-file-size, per-file-ignores, "
        "respect-gitignore, rules, select, severity-threshold",
        "unknown key 'respect_gitignore' (did you mean 'respect-gitignore'?)",
    ]
    assert found(result) == [(GET_LINE, "TMO001")]  # select applied, exlude not
    assert found(result, "scratch/probe.py") == []  # still respecting .gitignore
    assert result.exit_code() == 2


def test_unknown_rule_options_and_ids(repo: Path, monkeypatch) -> None:
    service_repo(
        repo,
        "[tool.prodready-lint.rules.TMO001]\n"
        'severity = "high"\n'
        "retries = 3\n"
        'session-factories = "inventory.http.make_session"\n'
        "[tool.prodready-lint.rules.TMO404]\n"
        'severity = "low"\n'
        "[tool.prodready-lint.rules.TMO004]\n"
        'severity = "urgent"\n',
    )
    monkeypatch.chdir(repo)

    result = scan()

    assert sorted(problems(result)) == sorted(
        [
            "rules.TMO001: unknown option 'retries' (options: severity, session-factories)",
            "rules.TMO001.session-factories: expected list[str], got str 'inventory.http.make_session'; "
            "using the default",
            "rules.TMO404: no installed rule has this id",
            "rules.TMO004.severity: 'urgent' is not one of: info, low, medium, high, critical",
        ]
    )
    # what was valid still applies, the rest falls back to the defaults
    assert [(f.line, f.rule_id, f.severity) for f in result.findings] == [
        (REDIS_LINE, "TMO006", Severity.MEDIUM),
        (GET_LINE, "TMO001", Severity.HIGH),
        (SOCKET_LINE, "TMO004", Severity.MEDIUM),
    ]


def test_bad_values_are_one_problem_each_and_the_rest_still_applies(repo: Path, monkeypatch) -> None:
    service_repo(
        repo,
        'select = "TMO001"\n'
        "max-file-size = -5\n"
        'severity-threshold = "urgent"\n'
        'ignore = ["TMO006"]\n'
        'exclude = ["/scripts/"]\n',
        **{"scripts/backfill.py": SERVICE},
    )
    monkeypatch.chdir(repo)

    result = scan()

    assert [(e.path, e.kind) for e in result.errors] == [("pyproject.toml", "config")] * 3
    assert problems(result) == [
        'max-file-size: expected a positive size such as 10000000 or "10MB", got -5; using the default',
        "select: expected a list of strings, got the string 'TMO001' (write ['TMO001']); using the default",
        "severity-threshold: 'urgent' is not one of: info, low, medium, high, critical; using the default",
    ]
    assert result.config.select is None
    assert result.config.max_file_size == DEFAULT_MAX_FILE_SIZE
    assert result.config.severity_threshold is Severity.LOW
    # the scan completed with the valid settings: every rule but the ignored one, no scripts/
    assert found(result) == [(GET_LINE, "TMO001"), (SOCKET_LINE, "TMO004")]
    assert {f.path for f in result.findings} == {"inventory/service.py"}
    assert result.exit_code() == 2

    done = run_cli("scan", "--no-cache", cwd=repo)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"prodready-lint: pyproject.toml: config: {m}" for m in problems(result)]
    assert "inventory/service.py:14:12: TMO001" in done.stdout


def test_wrong_types_for_tables_and_lists(repo: Path, monkeypatch) -> None:
    service_repo(
        repo,
        'per-file-ignores = { "scripts/*.py" = "TMO001" }\n'
        'rules = { TMO004 = "high", TMO001 = { severity = "high" } }\n'
        'respect-gitignore = "no"\n'
        "cache-dir = []\n"
        'exclude = ["", "build/"]\n',
    )
    monkeypatch.chdir(repo)

    result = scan()

    assert problems(result) == [
        "cache-dir: expected a directory path, got []; using the default",
        "exclude: expected a list of non-empty strings, got ['', 'build/']; using the default",
        "per-file-ignores: for 'scripts/*.py': expected a list of strings, got the string 'TMO001' "
        "(write ['TMO001']); using the default",
        "respect-gitignore: expected true or false, got 'no'; using the default",
        "rules.TMO004: expected a table like [tool.prodready-lint.rules.TMO004], got 'high'; ignored",
    ]
    assert result.config.cache_dir is None
    # the valid rule table in the same key still applies
    assert [(f.rule_id, f.severity) for f in result.findings] == [
        ("TMO006", Severity.MEDIUM),
        ("TMO001", Severity.HIGH),
        ("TMO004", Severity.MEDIUM),
    ]


def test_invalid_toml_is_one_problem_and_defaults_apply(repo: Path, monkeypatch) -> None:
    service_repo(repo)
    (repo / "pyproject.toml").write_text(PROJECT + '\n[tool.prodready-lint]\nselect = ["TMO001"\nignore = []\n')
    monkeypatch.chdir(repo)

    result = scan()

    assert [(e.path, e.kind) for e in result.errors] == [("pyproject.toml", "config")]
    assert result.errors[0].message.startswith("invalid TOML: ")
    assert result.errors[0].message.endswith("; using the defaults")
    assert found(result) == ALL_THREE

    done = run_cli("scan", "--no-cache", cwd=repo)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert "config: invalid TOML" in done.stderr


def test_config_option_with_a_standalone_toml_file(repo: Path) -> None:
    service_repo(
        repo,
        'select = ["TMO001"]\n',  # ignored: an explicit file replaces the discovered one
        **{
            "ci/prodready.toml": '# CI profile\nselect = ["TMO004", "TMO006"]\nseverity-threshold = "high"\n'
            '\n[rules.TMO006]\nseverity = "high"\n',
        },
    )

    done = run_cli("scan", "--no-cache", "--format", "json", "--config", "ci/prodready.toml", cwd=repo)

    report = json.loads(done.stdout)
    assert done.stderr == ""
    assert [(f["rule_id"], f["severity"]) for f in report["findings"]] == [("TMO006", "high"), ("TMO004", "medium")]
    assert done.returncode == 1


def test_config_option_with_a_pyproject_without_the_table(repo: Path) -> None:
    service_repo(repo, 'select = ["TMO001"]\n', **{"tools/pyproject.toml": "[tool.black]\nline-length = 100\n"})

    done = run_cli("scan", "--no-cache", "--format", "json", "--config", "tools/pyproject.toml", cwd=repo)

    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "prodready-lint: tools/pyproject.toml: config: tools/pyproject.toml has no [tool.prodready-lint] table"
    ]
    report = json.loads(done.stdout)
    assert sorted(f["rule_id"] for f in report["findings"]) == ["TMO001", "TMO004", "TMO006"]  # defaults


def test_nearest_pyproject_with_the_table_is_found_from_a_nested_path(repo: Path, monkeypatch) -> None:
    write_tree(
        repo,
        {
            "pyproject.toml": '[tool.prodready-lint]\nselect = ["TMO001"]\n',
            # a package's own pyproject without our table does not stop the search
            "services/payments/pyproject.toml": '[project]\nname = "payments"\nversion = "0.3.0"\n',
            "services/payments/src/payments/__init__.py": "",
            "services/payments/src/payments/gateway.py": SERVICE,
            "services/orders/pyproject.toml": (
                '[project]\nname = "orders"\n\n[tool.prodready-lint]\nselect = ["TMO004"]\n'
            ),
            "services/orders/src/orders/client.py": SERVICE,
        },
    )
    (repo.parent / "pyproject.toml").write_text('[tool.prodready-lint]\nselect = ["TMO006"]\n')  # above the root
    monkeypatch.chdir(repo / "services" / "payments")

    payments = scan("src/payments")
    assert payments.config.source == str(repo / "pyproject.toml")
    assert [f.rule_id for f in payments.findings] == ["TMO001"]

    monkeypatch.chdir(repo)
    orders = scan("services/orders/src")
    assert orders.config.source == str(repo / "services/orders/pyproject.toml")
    assert orders.config.base_dir == str(repo / "services/orders")
    assert [f.rule_id for f in orders.findings] == ["TMO004"]

    (repo / "pyproject.toml").unlink()
    nothing = scan("services/payments/src")
    assert nothing.config.source is None  # not the file above the repository
    assert sorted(f.rule_id for f in nothing.findings) == ["TMO001", "TMO004", "TMO006"]


def test_load_config_is_strict(tmp_path: Path) -> None:
    bad = write_tree(
        tmp_path,
        {
            "pyproject.toml": PROJECT
            + '\n[tool.prodready-lint]\nselect = "TMO001"\nmax-file-size = "huge"\nsevirity-threshold = "high"\n'
        },
    )

    with pytest.raises(ConfigError) as raised:
        load_config(bad / "pyproject.toml")

    assert [p.message for p in raised.value.problems] == [
        "select: expected a list of strings, got the string 'TMO001' (write ['TMO001']); using the default",
        "max-file-size: expected a positive size such as 10000000 or \"10MB\", got 'huge'; using the default",
        "unknown key 'sevirity-threshold' (did you mean 'severity-threshold'?)",
    ]
    assert all(p.kind == "config" and p.path == str(bad / "pyproject.toml") for p in raised.value.problems)
    for problem in raised.value.problems:
        assert problem.message in str(raised.value)

    write_tree(tmp_path, {"tools/pyproject.toml": PROJECT, "broken.toml": "select = [\n"})
    with pytest.raises(ConfigError, match="has no \\[tool.prodready-lint\\] table"):
        load_config(tmp_path / "tools" / "pyproject.toml")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(tmp_path / "broken.toml")
    with pytest.raises(ConfigError, match="cannot read the configuration"):
        load_config(tmp_path / "missing.toml")

    good = write_tree(tmp_path / "ok", {"prodready.toml": 'select = ["TMO001"]\nmax-file-size = "1KiB"\n'})
    config = load_config(good / "prodready.toml")
    assert (config.select, config.max_file_size) == (("TMO001",), 1024)
    assert config.base_dir == str(good)


# -- max-file-size ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ("10MB", 10_000_000),
        ("1KiB", 1024),
        (4096, 4096),
        ("1.5 MB", 1_500_000),
        ("512kb", 512_000),
        ("64k", 64_000),
        ("2MiB", 2 * 1024 * 1024),
        ("1G", 1_000_000_000),
        ("300", 300),
    ],
)
def test_max_file_size_forms(value, size: int) -> None:
    config, found_problems = parse_config({"max-file-size": value})
    assert found_problems == []
    assert config.max_file_size == size


@pytest.mark.parametrize("value", ["ten megabytes", "10 XB", "-1MB", 0, -5, True, 1.5, "0.0001KB", ["10MB"]])
def test_max_file_size_bad_values(value) -> None:
    config, found_problems = parse_config({"max-file-size": value}, source="pyproject.toml")
    assert [p.kind for p in found_problems] == ["config"]
    assert found_problems[0].message.startswith("max-file-size: expected a positive size")
    assert config.max_file_size == DEFAULT_MAX_FILE_SIZE


def test_file_over_max_file_size_is_reported_and_the_others_are_scanned(repo: Path, monkeypatch) -> None:
    generated = (
        '"""Generated from the warehouse catalogue."""\n\nimport requests\n\nSKUS = [\n'
        + "".join(f'    "SKU-{n:06d}",\n' for n in range(200))
        + "]\nrequests.get('https://catalogue.internal/')\n"
    )
    assert len(generated.encode()) > 1024
    service_repo(repo, 'max-file-size = "1KiB"\n', **{"inventory/catalogue.py": generated})
    monkeypatch.chdir(repo)

    result = scan()

    assert [(e.path, e.kind) for e in result.errors] == [("inventory/catalogue.py", "too-large")]
    assert "max-file-size" in result.errors[0].message
    assert found(result) == ALL_THREE  # service.py is under the limit (it is 537 bytes)
    assert found(result, "inventory/catalogue.py") == []
    assert result.stats.files_failed == 1
    assert result.stats.files_seen == 4

    service_repo(repo, "max-file-size = 100000\n")
    assert found(scan(), "inventory/catalogue.py") == [(len(generated.splitlines()), "TMO001")]


def test_mapping_config_through_the_api(repo: Path, monkeypatch) -> None:
    service_repo(repo, 'select = ["TMO006"]\n')
    monkeypatch.chdir(repo)

    result = scan(config={"select": ["TMO004"], "rules": {"TMO004": {"severity": "high"}}})

    assert [(f.rule_id, f.severity) for f in result.findings] == [("TMO004", Severity.HIGH)]
    assert result.config.base_dir == str(repo)
    with pytest.raises(TypeError):
        result.config.rules["TMO004"]["severity"] = "low"  # frozen, like the rest of the config
