"""MIG002-MIG005: forward migrations that destroy data."""

from __future__ import annotations

from prodready_lint.sdk import Context, OpKind, Rule, Severity, SourceFile

from ._common import (
    ALEMBIC,
    ALTER_TABLE,
    CWE_DATA_LOSS,
    DATA,
    DELETE_OR_UPDATE,
    DROP_TABLE,
    KINDS,
    TRUNCATE,
    column_of,
    operations,
    where,
)


def by_statement(file: SourceFile, kind: OpKind) -> list:
    """The operations of one kind that touch existing tables, grouped by the statement or
    call they come from (``DROP TABLE a, b`` is one finding naming both)."""
    groups: dict = {}
    for migration, op in operations(file, kind):
        if not migration.created_before(op):
            groups.setdefault(op.span, []).append(op)
    return list(groups.items())


def tables(ops: list) -> str:
    names = [op.table for op in ops if op.table]
    if len(ops) == 1:
        return where(ops[0])
    return "tables " + ", ".join(repr(name) for name in names) if names else "tables"


class MigrationDropsTable(Rule):
    """A forward migration drops a table.

    ## What it does
    Checks forward migrations for dropped tables: Alembic `op.drop_table()`, Django
    `DeleteModel`, and `DROP TABLE` in SQL migration files, `op.execute()` and `RunSQL`.
    Only the forward direction counts: Alembic `downgrade()`, `.down.sql` files, Flyway
    undo files and dbmate's `migrate:down` section are never flagged.

    ## Why is this bad?
    The rows are gone the moment the migration runs. Rolling the deployment back does
    not bring them back, and the previous release, still serving traffic during the
    deploy, fails on the missing table.

    ## Example
    ```python
    from alembic import op

    revision = "b7c1"
    down_revision = "a3f0"


    def upgrade():
        op.drop_table("legacy_orders")


    def downgrade():
        pass
    ```

    ## Use instead
    ```python
    from alembic import op

    revision = "b7c1"
    down_revision = "a3f0"


    def upgrade():
        op.rename_table("legacy_orders", "legacy_orders_retired")


    def downgrade():
        op.rename_table("legacy_orders_retired", "legacy_orders")
    ```

    ## Notes
    A table created earlier in the same migration may be dropped. Stop reading the
    table in one release, archive it, and drop it in a later migration once nothing
    needs it.
    """

    id = "MIG002"
    name = "migration-drops-table"
    summary = "forward migration drops a table"
    checklist = DATA
    severity = Severity.HIGH
    cwe = CWE_DATA_LOSS
    kinds = KINDS
    triggers = (ALEMBIC, "deletemodel", DROP_TABLE)
    triggers_ignore_case = True
    references = ("https://squawkhq.com/docs/ban-drop-table",)

    def check(self, file: SourceFile, ctx: Context) -> None:
        for span, ops in by_statement(file, OpKind.DROP_TABLE):
            ctx.report(
                span,
                f"{ops[0].via} drops {tables(ops)}: {'their' if len(ops) > 1 else 'its'} data cannot be restored "
                "by a rollback; stop using it first, archive it, and drop it in a later release",
            )


class MigrationDropsColumn(Rule):
    """A forward migration drops a column.

    ## What it does
    Checks forward migrations for dropped columns: Alembic `op.drop_column()` (also
    `batch_op.drop_column()` inside `batch_alter_table`), Django `RemoveField`, and
    `ALTER TABLE ... DROP COLUMN` in SQL files, `op.execute()` and `RunSQL`.

    ## Why is this bad?
    The column's data is lost, and the release still running during the deploy (and
    any release you roll back to) fails when it reads or writes the column.

    ## Example
    ```sql title="db/migrations/000042_drop_note.up.sql"
    ALTER TABLE orders DROP COLUMN note;
    ```

    ## Use instead
    ```sql title="db/migrations/000042_drop_note.up.sql"
    ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;
    ```

    ## Notes
    Dropping indexes and constraints is not flagged, nor a column added earlier in the
    same migration. Deploy code that no longer uses the column first (Django:
    `SeparateDatabaseAndState` removing the field from the state only), then drop it in a
    later release.
    """

    id = "MIG003"
    name = "migration-drops-column"
    summary = "forward migration drops a column"
    checklist = DATA
    severity = Severity.HIGH
    cwe = CWE_DATA_LOSS
    kinds = KINDS
    triggers = (ALEMBIC, "removefield", ALTER_TABLE)
    triggers_ignore_case = True
    references = ("https://squawkhq.com/docs/ban-drop-column",)

    def check(self, file: SourceFile, ctx: Context) -> None:
        for migration, op in operations(file, OpKind.DROP_COLUMN):
            if migration.created_before(op):
                continue
            ctx.report(
                op.span,
                f"{op.via} drops {column_of(op)}: its data cannot be restored by a rollback; "
                "stop reading and writing it in one release and drop it in a later one",
            )


class MigrationTruncatesTable(Rule):
    """A forward migration empties a table with `TRUNCATE`.

    ## What it does
    Checks SQL migration files, `op.execute()` and `RunSQL` for `TRUNCATE`.

    ## Why is this bad?
    Every row is deleted at once, under an `ACCESS EXCLUSIVE` lock, and no down
    migration can bring the rows back.

    ## Example
    ```sql title="migrations/V7__reset_sessions.sql"
    TRUNCATE sessions;
    ```

    ## Use instead
    ```sql title="migrations/V7__reset_sessions.sql"
    DELETE FROM sessions WHERE expires_at < now();
    ```
    """

    id = "MIG004"
    name = "migration-truncates-table"
    summary = "forward migration truncates a table"
    checklist = DATA
    severity = Severity.HIGH
    cwe = CWE_DATA_LOSS
    kinds = KINDS
    triggers = (ALEMBIC, TRUNCATE)
    triggers_ignore_case = True
    references = ("https://www.postgresql.org/docs/current/sql-truncate.html",)

    def check(self, file: SourceFile, ctx: Context) -> None:
        for span, ops in by_statement(file, OpKind.TRUNCATE):
            ctx.report(
                span,
                f"TRUNCATE empties {tables(ops)}: the rows cannot be restored by a rollback; "
                "delete only the rows you mean to, or archive the table first",
            )


class DeleteOrUpdateWithoutWhere(Rule):
    """A forward migration deletes or updates every row of a table.

    ## What it does
    Checks SQL migration files, `op.execute()` and `RunSQL` for `DELETE` and `UPDATE`
    without a `WHERE` clause.

    ## Why is this bad?
    A `DELETE` without `WHERE` removes every row; an `UPDATE` without `WHERE`
    overwrites every row, in one transaction that locks them all. Neither can be
    undone by a down migration.

    ## Example
    ```sql title="db/migrations/20240611_reset_flags.sql"
    UPDATE accounts SET beta = false;
    ```

    ## Use instead
    ```sql title="db/migrations/20240611_reset_flags.sql"
    UPDATE accounts SET beta = false WHERE beta IS NULL;
    ```

    ## Notes
    A table created earlier in the same migration is not flagged. Backfills of large
    tables belong in batches outside the migration.
    """

    id = "MIG005"
    name = "delete-or-update-without-where"
    summary = "forward migration deletes or updates every row of a table"
    checklist = DATA
    severity = Severity.HIGH
    cwe = CWE_DATA_LOSS
    kinds = KINDS
    triggers = (ALEMBIC, DELETE_OR_UPDATE)
    triggers_ignore_case = True
    references = (
        "https://www.postgresql.org/docs/current/sql-delete.html",
        "https://www.postgresql.org/docs/current/sql-update.html",
    )

    def check(self, file: SourceFile, ctx: Context) -> None:
        for migration, op in operations(file, OpKind.DELETE, OpKind.UPDATE):
            if op.has_where is not False or migration.created_before(op):
                continue
            verb = "DELETE" if op.kind is OpKind.DELETE else "UPDATE"
            effect = "deletes" if verb == "DELETE" else "overwrites"
            ctx.report(
                op.span,
                f"{verb} without WHERE {effect} every row of {where(op)}; "
                "add a WHERE clause for the rows you mean, or back the data up first",
            )
