"""Application settings (`auto` checklist items): debug mode, TLS verification, CORS
with credentials, CSRF protection; fixtures checked exactly and docs examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from prodready_lint.rules import app_settings
from prodready_lint.sdk.testing import assert_examples, assert_fixture

FIXTURES = Path(__file__).parent / "fixtures" / "app_settings"


@pytest.mark.parametrize("fixture", sorted(p for p in FIXTURES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_fixture_matches_markers_exactly(fixture: Path) -> None:
    assert_fixture(fixture, select=["APP"])


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(app_settings.RULES)
