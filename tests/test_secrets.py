"""The secrets family: fixtures checked exactly, docs examples, redaction, options and bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from prodready_lint.rules import secrets
from prodready_lint.sdk import Severity
from prodready_lint.sdk.secrets import (
    credential_kind,
    find_tokens,
    is_example_path,
    is_test_path,
    looks_like_secret,
    url_passwords,
)
from prodready_lint.sdk.testing import assert_examples, assert_fixture

import prodready_lint
from tests.conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "secrets"


def _fixture_secrets() -> set[str]:
    """The text of every secret span the family marks in the fixtures (read in-process)."""
    from prodready_lint.rules.secrets._analysis import analyze
    from prodready_lint.sdk import LoadError, load

    values = set()
    for path in FIXTURES.rglob("*"):
        if not path.is_file():
            continue
        try:
            model = load(path.relative_to(FIXTURES).as_posix(), path.read_text(encoding="utf-8"))
        except LoadError:
            continue
        for candidate in analyze(model):
            span = candidate.secret
            if span.line == span.end_line:
                values.add(model.line(span.line)[span.column - 1 : span.end_column - 1].strip("\"'"))
    docs = "".join(rule.metadata().documentation() for rule in secrets.RULES)  # public text: in SARIF rule help
    return {value for value in values if len(value) >= 6 and value not in docs}


def test_fixtures_match_markers_exactly() -> None:
    assert_fixture(FIXTURES, select=["SEC"])


def test_labelled_corpus_matches_markers_exactly() -> None:
    assert_fixture(FIXTURES.parents[1] / "corpora" / "secrets", select=["SEC"])


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(secrets.RULES)


def test_every_rule_is_in_the_builtin_pack_with_its_slugs() -> None:
    from prodready_lint.rules import PACK

    ids = {rule.metadata().id for rule in PACK.rules}
    assert {"SEC001", "SEC002", "SEC003", "SEC004", "SEC005"} <= ids
    assert "secrets-management" in secrets.SecretOutsideStore.metadata().checklist


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_no_secret_value_in_any_output(tmp_path: Path, fmt: str) -> None:
    known = _fixture_secrets()
    assert len(known) > 20, known
    out = tmp_path / f"report.{fmt}"
    done = run_cli(
        "scan", str(FIXTURES), "--root", str(FIXTURES), "--select", "SEC", "--format", fmt, "-o", str(out), cwd=tmp_path
    )
    assert done.returncode == 1, done.stderr
    assert not any(value in done.stderr + done.stdout for value in known)
    report = out.read_text(encoding="utf-8")
    leaked = sorted(value for value in known if value in report)
    assert not leaked, leaked
    if fmt == "json":
        findings = json.loads(report)["findings"]
        assert len(findings) > 40
        assert all("****" in finding["message"] for finding in findings)


def test_findings_in_tests_are_low_and_the_option_raises_them(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_api.py").write_text('PASSWORD = "Pa55-for-tests"\n', encoding="utf-8")
    (tmp_path / "app.py").write_text('PASSWORD = "Pa55-for-prod"\n', encoding="utf-8")
    result = prodready_lint.scan([tmp_path], config={}, select=["SEC"], cache=False, root=tmp_path)
    severities = {f.path: f.severity for f in result.findings}
    assert severities == {"tests/test_api.py": Severity.LOW, "app.py": Severity.HIGH}
    config = {"rules": {"SEC001": {"test-severity": "medium"}}}
    result = prodready_lint.scan([tmp_path], config=config, select=["SEC"], cache=False, root=tmp_path)
    assert {f.path: f.severity for f in result.findings}["tests/test_api.py"] == Severity.MEDIUM


def test_detect_secrets_pragma_and_our_suppression(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        'A = "ghp_EXAMPLEexampleEXAMPLEexample11111111"  # pragma: allowlist secret\n'
        "# pragma: allowlist nextline secret\n"
        'B = "ghp_EXAMPLEexampleEXAMPLEexample22222222"\n'
        'C = "ghp_EXAMPLEexampleEXAMPLEexample33333333"  # prodready: ignore[SEC002]\n'
        'D = "ghp_EXAMPLEexampleEXAMPLEexample44444444"\n',
        encoding="utf-8",
    )
    result = prodready_lint.scan([tmp_path], config={}, select=["SEC"], cache=False, root=tmp_path)
    assert [(f.rule_id, f.line) for f in result.findings] == [("SEC002", 5)]
    assert [(f.rule_id, f.line) for f in result.suppressed] == [("SEC002", 4)]


def test_example_and_lock_files_are_not_read(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text("DB_PASSWORD=Xk2mP9vQ4tL8\n", encoding="utf-8")
    (tmp_path / ".env.sample").write_text("DB_PASSWORD=Xk2mP9vQ4tL8\n", encoding="utf-8")
    (tmp_path / "package-lock.json").write_text('{"token": "Xk2mP9vQ4tL8abcdef"}\n', encoding="utf-8")
    result = prodready_lint.scan([tmp_path], config={}, select=["SEC"], cache=False, root=tmp_path)
    assert not result.findings


def test_hostile_lines_stay_fast() -> None:
    # a 5 MB single line full of prefilter hits, and one 982-character token-like line
    text = ('{"k": "eyJhbGciOiJIUzI1NiJ9xx' + "A" * 40 + '", ') * 60000
    start = time.perf_counter()
    find_tokens(text[:5_000_000])
    find_tokens("eyJ" + "a" * 982)
    url_passwords("postgres://" + "a:" * 300_000 + "@h")
    assert time.perf_counter() - start < 5


def test_minified_bundle_and_big_json_scan(tmp_path: Path) -> None:
    bundle = "var a=1;" * 150_000 + 'var k="AKIAIOSFODNN7EXAMPLE";'
    (tmp_path / "deploy.sh").write_text(bundle, encoding="utf-8")
    (tmp_path / "data.json").write_text(json.dumps({"rows": ["x" * 50] * 20000, "password": "Js0n-Pa55-word"}))
    start = time.perf_counter()
    result = prodready_lint.scan([tmp_path], config={}, select=["SEC"], cache=False, root=tmp_path, jobs=1)
    assert time.perf_counter() - start < 20
    assert sorted((f.path, f.rule_id) for f in result.findings) == [("data.json", "SEC004"), ("deploy.sh", "SEC002")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DB_PASSWORD", "password"),
        ("stripeApiKey", "API key"),
        ("client_secret", "client secret"),
        ("SECRET_KEY", "secret key"),
        ("aws_secret_access_key", "access key"),
        ("db_pass", "password"),
        ("GITHUB_TOKEN", "token"),
        ("PASSWORD_FIELD", None),
        ("password_reset_url", None),
        ("TOKEN_HEADER", None),
        ("publishable_key", None),
        ("secret_name", None),
        ("existingSecret", None),
        ("userPasswordKey", None),
        ("passenger", None),
        ("next_page_token", None),
        ("eos_token", None),
        ("keyboard", None),
    ],
)
def test_credential_names(name: str, expected: str | None) -> None:
    found = credential_kind(name)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("value", "secret"),
    [
        ("hunter2-prod", True),
        ("Xk2mP9vQ4tL8", True),
        ("changeme", True),
        ("", False),
        ("${DB_PASSWORD}", False),
        ("{{ .Values.db.password }}", False),
        ("%(password)s", False),
        ("$(DB_PASSWORD)", False),
        ("<your-api-key>", False),
        ("xxxxxxxx", False),
        ("TODO", False),
        ("dummy-password", False),
        ("example", False),
        ("DB_PASSWORD", False),
        ("db_password", False),
        ("/run/secrets/db_password", False),
        ("https://auth.example.com/token", False),
        ("django.contrib.auth.hashers.Argon2PasswordHasher", False),
        ("Enter your password", False),
        ("(?:key|pass)\\s*=", False),
        ("12345678", False),
        ("abcdefgh", False),
    ],
)
def test_secret_values(value: str, secret: bool) -> None:
    assert looks_like_secret(value, "password") is secret


def test_weak_names_need_entropy() -> None:
    assert not looks_like_secret("orders-items", "key", strong=False)
    assert looks_like_secret("q8W3kZv1M2x9C7b6N5a4", "key", strong=False)


def test_url_passwords() -> None:
    assert [p.host for p in url_passwords("postgresql://app:s3cr3t-pw@db/app")] == ["db"]
    assert [p.user for p in url_passwords("redis://:c4che-pw@cache:6379/0")] == [""]
    for text in (
        "postgresql://app:${DB_PASSWORD}@db/app",
        "postgresql://app:{password}@db/app",
        "postgresql://user:password@localhost/db",
        "postgresql://app@db/app",
    ):
        assert url_passwords(text) == [], text


def test_tokens_and_their_offsets() -> None:
    text = 'key = "AKIAIOSFODNN7EXAMPLE" and pk_live_51HxExampleExampleExample00'
    [token] = find_tokens(text)
    assert token.kind == "AWS access key"
    assert text[token.start : token.end] == "AKIAIOSFODNN7EXAMPLE"
    assert [
        t.kind for t in find_tokens("github_pat_11EXAMPLE0EXAMPLEexample_EXAMPLEexampleEXAMPLEexampleEXAMPLE00")
    ] == ["GitHub fine-grained token"]


def test_paths() -> None:
    assert is_test_path("tests/unit/test_api.py") and is_test_path("pkg/conftest.py") and is_test_path("api_test.py")
    assert is_test_path("aggregator/tests.py") and not is_test_path("app/contests.py")
    assert not is_test_path("app/testimonials.py")
    assert (
        is_example_path(".env.example") and is_example_path("config.sample.yaml") and is_example_path(".env.template")
    )
    assert not is_example_path("example.py") and not is_example_path(".env")


def test_one_finding_per_literal_across_the_delivery_rules(tmp_path: Path) -> None:
    """A literal at a delivery point is the delivery rule's (CTR015, AWS019); a value that
    proves itself a credential (token, key, URL password) is the secrets rules', there too."""
    (tmp_path / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: api\n          image: acme/api:1.0.0\n          env:\n"
        "            - {name: DB_PASSWORD, value: Xk2mP9vQ4tL8}\n"
        "            - {name: DATABASE_URL, value: 'postgresql://api:Xk2mP9vQ4tL8@db/api'}\n"
        "            - {name: STRIPE_API_KEY, value: sk_live_EXAMPLEexampleEXAMPLE789}\n",
        encoding="utf-8",
    )
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  api:\n    image: acme/api:1.0.0\n    environment:\n"
        "      REDIS_PASSWORD: s3cr3t-v4lue-x\n      REDIS_URL: redis://:Xk2mP9vQ4tL8@cache:6379/0\n",
        encoding="utf-8",
    )
    (tmp_path / "main.tf").write_text(
        'locals {\n  reports_password = "Rep0rts-Pa55-2024"\n}\n'
        'resource "aws_db_instance" "orders" {\n  password = "Orders-2024-prod"\n}\n'
        'resource "aws_rds_cluster" "reports" {\n  master_password = local.reports_password\n}\n'
        'resource "aws_mq_broker" "events" {\n  user {\n    password = "Mq-Br0ker-Pa55"\n  }\n}\n'
        'provider "github" {\n  token = "ghp_EXAMPLEexampleEXAMPLEexample11111111"\n}\n',
        encoding="utf-8",
    )
    (tmp_path / "stack.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n'
        "    Properties:\n      MasterUsername: orders\n      MasterUserPassword: Cfn-Pa55-2024x\n",
        encoding="utf-8",
    )
    result = prodready_lint.scan([tmp_path], config={}, select=["SEC", "CTR015", "AWS019"], cache=False, root=tmp_path)
    found = sorted((f.path, f.line, f.rule_id) for f in result.findings)
    assert found == [
        ("deploy.yaml", 11, "CTR015"),
        ("deploy.yaml", 12, "SEC003"),
        ("deploy.yaml", 13, "SEC002"),
        ("docker-compose.yml", 5, "CTR015"),
        ("docker-compose.yml", 6, "SEC003"),
        ("main.tf", 2, "SEC004"),
        ("main.tf", 5, "AWS019"),
        ("main.tf", 12, "AWS019"),
        ("main.tf", 16, "SEC002"),
        ("stack.yaml", 7, "AWS019"),
    ], found
