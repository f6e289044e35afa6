"""The PII-logging family: fixtures checked exactly, docs examples, vocabulary, options."""

from __future__ import annotations

from pathlib import Path

import pytest
from prodready_lint.rules import pii_logging
from prodready_lint.rules.pii_logging._common import sensitive_kind
from prodready_lint.sdk.testing import assert_examples, assert_fixture

import prodready_lint

FIXTURES = Path(__file__).parent / "fixtures" / "pii_logging"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.name)
def test_fixture_matches_markers_exactly(fixture: Path) -> None:
    assert_fixture(fixture, select=["pii-logging"])


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(pii_logging.RULES)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("email", "an email address"),
        ("userEmail", "an email address"),
        ("email_count", None),
        ("email_template_name", None),
        ("has_phone", None),
        ("phone_number", "a phone number"),
        ("session_id", None),
        ("sessionid", "a session cookie"),
        ("user_id", None),
        ("ip_address", None),
        ("billing_address", "a postal address"),
        ("next_page_token", None),
        ("refresh_token", "an auth token"),
        ("token_type", None),
        ("card_last4", None),
        ("card_brand", None),
        ("API_KEY", "a secret"),
        ("cache_key", None),
        ("hashed_password", "a password"),
        ("masked_email", None),
    ],
)
def test_vocabulary(name: str, kind: str | None) -> None:
    assert sensitive_kind(name) == kind


def test_options_add_names_and_masking_helpers(tmp_path: Path) -> None:
    source = tmp_path / "svc.py"
    source.write_text(
        "import logging\nlog = logging.getLogger(__name__)\n"
        "def f(user, loyalty_number):\n"
        "    log.info('n %s', loyalty_number)\n"
        "    log.info('e %s', pseudo(user.email))\n",
        encoding="utf-8",
    )
    config = {"rules": {"LOG001": {"sensitive-names": ["loyalty_number"], "masking-helpers": ["pseudo"]}}}
    result = prodready_lint.scan([source], config=config, select=["LOG001"], cache=False, root=tmp_path)
    assert [(f.line, f.rule_id) for f in result.findings] == [(4, "LOG001")]
    assert "`loyalty_number`" in result.findings[0].message
