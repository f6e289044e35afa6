"""Every Northwind rule behaves as its documentation and fixtures say (the SDK harness)."""

from pathlib import Path

from northwind_rules import PACK
from prodready_lint.sdk import API_VERSION
from prodready_lint.sdk.testing import assert_pack

FIXTURES = Path(__file__).parent / "fixtures"


def test_every_rule_behaves_as_documented():
    assert_pack(PACK, FIXTURES)


def test_the_pack_targets_this_sdk():
    assert PACK.api_version == API_VERSION
    assert {rule.metadata().id[:3] for rule in PACK.rules} == {"NWD"}
