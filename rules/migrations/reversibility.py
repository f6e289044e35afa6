"""MIG001, MIG006, MIG007: migrations that cannot be rolled back."""

from __future__ import annotations

from prodready_lint.sdk import Context, FileKind, MigrationFormat, OpKind, PythonFile, Rule, Severity

from ._common import DATA, operations, read_migration


class AlembicEmptyDowngrade(Rule):
    """An Alembic revision whose `downgrade()` does nothing.

    ## What it does
    Checks Alembic revision files for a `downgrade()` that is empty: only `pass`, `...`,
    a docstring or comments, or one that raises `NotImplementedError`, while
    `upgrade()` changes something.

    ## Why is this bad?
    `alembic downgrade` then reports success while leaving the schema as the upgrade
    left it: the previous release runs against a schema it does not know, and the next
    `upgrade` fails on objects that already exist.

    ## Example
    ```python
    import sqlalchemy as sa
    from alembic import op

    revision = "4c1d2e"
    down_revision = "9a0b7f"


    def upgrade():
        op.add_column("orders", sa.Column("coupon", sa.String(32), nullable=True))


    def downgrade():
        pass
    ```

    ## Use instead
    ```python
    import sqlalchemy as sa
    from alembic import op

    revision = "4c1d2e"
    down_revision = "9a0b7f"


    def upgrade():
        op.add_column("orders", sa.Column("coupon", sa.String(32), nullable=True))


    def downgrade():
        op.drop_column("orders", "coupon")
    ```

    ## Notes
    Merge revisions, whose `upgrade()` is empty too, are not flagged.
    """

    id = "MIG001"
    name = "alembic-empty-downgrade"
    summary = "Alembic downgrade() does nothing"
    checklist = (*DATA, "rollback")
    severity = Severity.MEDIUM
    kinds = frozenset({FileKind.PYTHON})
    triggers = ("down_revision",)
    cwe = (703,)
    references = ("https://alembic.sqlalchemy.org/en/latest/tutorial.html#downgrading",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        migration = read_migration(file)
        if migration is None or migration.format is not MigrationFormat.ALEMBIC or migration.upgrade_empty:
            return
        if migration.downgrade_span is not None and migration.downgrade_empty:
            ctx.report(
                migration.downgrade_span,
                f"downgrade() of revision {migration.revision!r} does nothing: rolling back leaves the schema "
                "as upgrade() left it; undo each operation of upgrade() in reverse order",
            )
        elif migration.downgrade_span is None and migration.upgrade_span is not None:
            ctx.report(
                migration.upgrade_span,
                f"revision {migration.revision!r} has no downgrade(): it cannot be rolled back; "
                "add a downgrade() that undoes upgrade()",
            )


class RunPythonWithoutReverse(Rule):
    """Django `RunPython` without a reverse function.

    ## What it does
    Checks Django migrations for `migrations.RunPython(forwards)` without a reverse
    function, given second or as `reverse_code=`, or with `reverse_code=None`.

    ## Why is this bad?
    Django refuses to unapply the migration (`IrreversibleError`), so neither this
    migration nor any before it can be rolled back.

    ## Example
    ```python title="shop/migrations/0012_backfill_totals.py"
    from django.db import migrations


    def backfill(apps, schema_editor):
        Order = apps.get_model("shop", "Order")
        Order.objects.filter(total__isnull=True).update(total=0)


    class Migration(migrations.Migration):
        dependencies = [("shop", "0011_order_total")]
        operations = [migrations.RunPython(backfill)]
    ```

    ## Use instead
    ```python title="shop/migrations/0012_backfill_totals.py"
    from django.db import migrations


    def backfill(apps, schema_editor):
        Order = apps.get_model("shop", "Order")
        Order.objects.filter(total__isnull=True).update(total=0)


    class Migration(migrations.Migration):
        dependencies = [("shop", "0011_order_total")]
        operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
    ```

    ## Notes
    `RunPython.noop` counts as a reverse: it says that undoing needs nothing.
    """

    id = "MIG006"
    name = "runpython-without-reverse"
    summary = "Django RunPython without reverse_code"
    checklist = (*DATA, "rollback")
    severity = Severity.MEDIUM
    kinds = frozenset({FileKind.PYTHON})
    triggers = ("RunPython",)
    cwe = (703,)
    references = ("https://docs.djangoproject.com/en/stable/ref/migration-operations/#runpython",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        for _, op in operations(file, OpKind.RUN_PYTHON):
            if not op.reversible:
                ctx.report(
                    op.span,
                    "RunPython has no reverse function: the migration cannot be unapplied; pass reverse_code= "
                    "(migrations.RunPython.noop when undoing needs nothing)",
                )


class RunSqlWithoutReverse(Rule):
    """Django `RunSQL` without `reverse_sql`.

    ## What it does
    Checks Django migrations for `migrations.RunSQL(sql)` without `reverse_sql`, or with
    `reverse_sql=None`.

    ## Why is this bad?
    Django refuses to unapply the migration, so the app cannot be rolled back past it.

    ## Example
    ```python title="shop/migrations/0013_order_search.py"
    from django.db import migrations


    class Migration(migrations.Migration):
        dependencies = [("shop", "0012_backfill_totals")]
        operations = [
            migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm"),
        ]
    ```

    ## Use instead
    ```python title="shop/migrations/0013_order_search.py"
    from django.db import migrations


    class Migration(migrations.Migration):
        dependencies = [("shop", "0012_backfill_totals")]
        operations = [
            migrations.RunSQL(
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                reverse_sql="DROP EXTENSION IF EXISTS pg_trgm",
            ),
        ]
    ```

    ## Notes
    `reverse_sql=migrations.RunSQL.noop` counts as a reverse.
    """

    id = "MIG007"
    name = "runsql-without-reverse"
    summary = "Django RunSQL without reverse_sql"
    checklist = (*DATA, "rollback")
    severity = Severity.MEDIUM
    kinds = frozenset({FileKind.PYTHON})
    triggers = ("RunSQL",)
    cwe = (703,)
    references = ("https://docs.djangoproject.com/en/stable/ref/migration-operations/#runsql",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        for _, op in operations(file, OpKind.RUN_SQL):
            if not op.reversible:
                ctx.report(
                    op.span,
                    "RunSQL has no reverse_sql: the migration cannot be unapplied; pass reverse_sql= "
                    "(migrations.RunSQL.noop when undoing needs nothing)",
                )
