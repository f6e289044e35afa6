"""The SQL-injection family: fixtures checked exactly, docs examples, messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from prodready_lint.rules import sql_injection
from prodready_lint.sdk.testing import assert_examples, assert_fixture

import prodready_lint

FIXTURES = Path(__file__).parent / "fixtures" / "sql_injection"


@pytest.mark.parametrize("fixture", [*sorted(FIXTURES.glob("*.py")), FIXTURES / "alembic"], ids=lambda p: p.name)
def test_fixture_matches_markers_exactly(fixture: Path) -> None:
    assert_fixture(fixture, select=["sql-injection"])


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(sql_injection.RULES)


def test_message_names_the_part_the_variable_and_the_fix(tmp_path: Path) -> None:
    source = tmp_path / "repo.py"
    source.write_text(
        "def find(cur, email, sort):\n"
        "    q = 'SELECT id FROM users WHERE email = '\n"
        "    q += f\"'{email}'\"\n"
        "    cur.execute(q)\n",
        encoding="utf-8",
    )
    result = prodready_lint.scan([source], config={}, select=["SQL"], cache=False, root=tmp_path)
    [finding] = result.findings
    assert (finding.rule_id, finding.line) == ("SQL001", 4)
    assert "`email` via `q`" in finding.message and "parameters" in finding.message


def test_allow_listed_identifiers_are_low_confidence(tmp_path: Path) -> None:
    source = tmp_path / "repo.py"
    source.write_text(
        "ORDERS = {'name', 'age'}\n"
        "def find(cur, order):\n"
        "    if order not in ORDERS:\n"
        "        raise ValueError(order)\n"
        "    cur.execute(f'SELECT * FROM users ORDER BY {order}')\n",
        encoding="utf-8",
    )
    result = prodready_lint.scan([source], config={}, select=["SQL"], cache=False, root=tmp_path)
    [finding] = result.findings
    assert finding.confidence.value == "low" and "allow-list" in finding.message
