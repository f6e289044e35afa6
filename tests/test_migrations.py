"""The migrations family: fixture repositories checked exactly, docs examples, the SDK's
migration model, and the options."""

from __future__ import annotations

from pathlib import Path

import pytest
from prodready_lint.rules import migrations
from prodready_lint.sdk import MigrationFormat, OpKind, load, migration_format, read_migration
from prodready_lint.sdk.testing import assert_examples, assert_fixture

import prodready_lint

FIXTURES = Path(__file__).parent / "fixtures" / "migrations"


@pytest.mark.parametrize("fixture", sorted(p for p in FIXTURES.iterdir()), ids=lambda p: p.name)
def test_fixture_matches_markers_exactly(fixture: Path) -> None:
    assert_fixture(fixture, select=["MIG"])


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(migrations.RULES)


ALEMBIC = '''\
import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = "a1"


def upgrade():
    op.execute(
        """
        UPDATE accounts SET tier = 'free' WHERE tier IS NULL;
        DELETE FROM sessions;
        """
    )
    op.drop_column("accounts", "fax")


def downgrade():
    op.drop_table("accounts_archive")
'''


def test_alembic_revision_model_and_sql_statements_reported_at_their_call() -> None:
    migration = read_migration(load("migrations/versions/b2_cleanup.py", ALEMBIC))
    assert migration is not None and migration.format is MigrationFormat.ALEMBIC
    assert (migration.revision, migration.parents) == ("b2", ("a1",))
    assert migration.parents_span.line == 5 and migration.downgrade_span.line == 18
    kinds = [(op.kind, op.table, op.column, op.span.line, op.span.column) for op in migration.operations]
    assert kinds == [
        (OpKind.UPDATE, "accounts", None, 9, 5),
        (OpKind.DELETE, "sessions", None, 9, 5),
        (OpKind.DROP_COLUMN, "accounts", "fax", 15, 5),
    ]
    assert not migration.downgrade_empty


def test_scan_reports_the_statement_line_inside_op_execute(tmp_path: Path) -> None:
    path = tmp_path / "migrations" / "versions" / "b2_cleanup.py"
    path.parent.mkdir(parents=True)
    path.write_text(ALEMBIC, encoding="utf-8")
    result = prodready_lint.scan([tmp_path], config={}, select=["MIG"], cache=False, root=tmp_path)
    found = [(f.rule_id, f.line, f.location.column) for f in result.findings]
    assert found == [("MIG005", 9, 5), ("MIG003", 15, 5)]
    assert "sessions" in result.findings[0].message
    assert "'fax'" in result.findings[1].message and "'accounts'" in result.findings[1].message


def test_django_migration_model() -> None:
    text = (
        "from django.db import migrations, models\n\n"
        "class Migration(migrations.Migration):\n"
        "    atomic = False\n"
        "    replaces = [('shop', '0001_initial')]\n"
        "    dependencies = [('shop', '0001_initial'), ('auth', '0012_alter_user')]\n"
        "    operations = [migrations.RemoveField('order', 'note')]\n"
    )
    migration = read_migration(load("shop/migrations/0002_squashed.py", text))
    assert migration.format is MigrationFormat.DJANGO
    assert (migration.app, migration.number, migration.atomic) == ("shop", 2, False)
    assert migration.parents == ("shop.0001_initial", "auth.0012_alter_user")
    assert migration.replaces == ("shop.0001_initial",)
    assert [(op.kind, op.table, op.column) for op in migration.operations] == [(OpKind.DROP_COLUMN, "order", "note")]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("db/migrations/000001_init.up.sql", MigrationFormat.GOLANG_MIGRATE),
        ("db/migrations/000001_init.down.sql", MigrationFormat.GOLANG_MIGRATE),
        ("src/main/resources/db/migration/V2_1__add.sql", MigrationFormat.FLYWAY),
        ("sql/U3__undo.sql", MigrationFormat.FLYWAY),
        ("migrations/0007_cleanup.sql", MigrationFormat.SQL),
        ("db/20240101_add.sql", MigrationFormat.SQL),
        ("scripts/report.sql", None),
    ],
)
def test_migration_format_from_path(path: str, expected: MigrationFormat | None) -> None:
    assert migration_format(path) is expected


def test_down_files_have_no_forward_operations() -> None:
    migration = read_migration(load("db/migrations/000001_init.down.sql", "DROP TABLE accounts;"))
    assert migration.direction == "down" and migration.operations == ()
    flyway = read_migration(load("sql/U1__init.sql", "DROP TABLE accounts;"))
    assert flyway.direction == "down" and flyway.operations == ()


def _scan_sql(tmp_path: Path, name: str, sql: str, settings: dict) -> list[tuple[str, int]]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sql, encoding="utf-8")
    config = {"rules": settings} if settings else {}
    result = prodready_lint.scan([path], config=config, select=["MIG"], cache=False, root=tmp_path)
    return [(f.rule_id, f.line) for f in result.findings]


def test_pg_version_option_flags_any_default_before_11(tmp_path: Path) -> None:
    sql = "ALTER TABLE accounts ADD COLUMN locale text NOT NULL DEFAULT 'en';\n"
    assert _scan_sql(tmp_path, "migrations/V1__locale.sql", sql, {}) == []
    old = _scan_sql(tmp_path, "migrations/V1__locale.sql", sql, {"MIG011": {"pg-version": 10}})
    assert old == [("MIG011", 1)]


def test_assume_in_transaction_option(tmp_path: Path) -> None:
    sql = "CREATE INDEX CONCURRENTLY accounts_tier_idx ON accounts (tier);\n"
    assert _scan_sql(tmp_path, "migrations/V3__idx.sql", sql, {}) == []
    assumed = _scan_sql(tmp_path, "migrations/V3__idx.sql", sql, {"MIG016": {"assume-in-transaction": True}})
    assert assumed == [("MIG016", 1)]


def test_unparsable_sql_in_python_is_could_not_analyze_never_safe(tmp_path: Path) -> None:
    path = tmp_path / "migrations" / "versions" / "c3.py"
    path.parent.mkdir(parents=True)
    path.write_text(
        'from alembic import op\n\nrevision = "c3"\ndown_revision = "b2"\n\n\ndef upgrade():\n'
        '    op.execute("ALTER TABLE events SPLIT PARTITION p0 INTO (PARTITION p1, PARTITION p2)")\n\n\n'
        "def downgrade():\n"
        '    op.execute("SELECT 1")\n',
        encoding="utf-8",
    )
    result = prodready_lint.scan([tmp_path], config={}, select=["MIG"], cache=False, root=tmp_path)
    assert [(f.rule_id, f.line) for f in result.findings] == [("MIG017", 8)]
    assert "could not analyze" in result.findings[0].message
