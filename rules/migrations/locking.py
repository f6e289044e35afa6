"""MIG010-MIG016: Postgres operations that lock or rewrite busy tables during a deploy."""

from __future__ import annotations

from typing import Any, ClassVar

from prodready_lint.sdk import (
    Context,
    Migration,
    OpKind,
    RepoContext,
    RepoRule,
    Repository,
    Rule,
    Severity,
    SourceFile,
    django_column_type,
)
from prodready_lint.sdk import MigrationOperation as Operation

from ._common import (
    ALEMBIC,
    ALTER_TABLE,
    ASSUME_IN_TRANSACTION,
    CREATE_INDEX,
    DJANGO_HISTORY,
    KINDS,
    LOCKS,
    PG_VERSION,
    RENAME_TABLE,
    column_of,
    django_alterations,
    django_history_fact,
    operations,
    where,
)

_NO_COLUMN = frozenset({"ManyToManyField", "GenericRelation", "TaggableManager", "ParentalManyToManyField"})


# Django column type families whose changes are judged (a foreign key's column type
# depends on its target; custom field classes are unknown), and changes Postgres makes
# without a rewrite (varchar to text is binary-coercible).
_KNOWN_TYPES = frozenset(
    {"varchar", "text", "integer", "bigint", "smallint", "boolean", "timestamptz", "numeric", "double", "jsonb"}
)
_NO_REWRITE = frozenset({("varchar", "text")})


def _existing(migration: Migration, op: Operation) -> bool:
    """The operation acts on a table that existed before this migration (not one it
    creates, nor one created by a Django initial migration, which builds the schema)."""
    return not migration.initial and not migration.table_created_before(op)


class _PerOperation:
    """What MIG010-MIG016 share: each forward operation of ``operation_kinds`` (on a table
    that existed before its migration, unless ``existing_tables_only`` is off) is judged
    by ``message``, and reported at the operation when it returns one."""

    operation_kinds: ClassVar[tuple[OpKind, ...]] = ()
    existing_tables_only: ClassVar[bool] = True

    def message(self, migration: Migration, op: Operation) -> str | None:
        raise NotImplementedError

    def report_operations(self, file: SourceFile, ctx: Context) -> None:
        for migration, op in operations(file, *self.operation_kinds):
            if self.existing_tables_only and not _existing(migration, op):
                continue
            message = self.message(migration, op)
            if message is not None:
                ctx.report(op.span, message)


class _OperationRule(_PerOperation, Rule):
    """Base of the per-file locking rules (not itself a rule: it declares no id)."""

    def check(self, file: SourceFile, ctx: Context) -> None:
        self.report_operations(file, ctx)


class _ReplayedRule(_PerOperation, RepoRule):
    """Base of the locking rules that also judge each Django ``AlterField`` against the
    field it replaces, replaying the app's migration history (not itself a rule)."""

    # Alembic and SQL operations, and every Django migration (the history is replayed)
    collect_triggers = (ALEMBIC, *DJANGO_HISTORY, ALTER_TABLE)
    triggers_ignore_case = True

    def collect(self, file: SourceFile, ctx: Context) -> Any:
        self.report_operations(file, ctx)
        return django_history_fact(file)

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        for path, alter, before in django_alterations(repo):
            message = self.alteration_message(alter, before)
            if message is not None:
                ctx.report(path, alter[6], message)

    def alteration_message(self, alter: list[Any], before: list[Any]) -> str | None:
        """The finding for an ``AlterField`` (``alter``) of the field ``before`` it, or None.
        Both are the history's field facts: app, model, field, class, null, ..., span."""
        raise NotImplementedError


class CreateIndexNonConcurrently(_OperationRule):
    """An index built without `CONCURRENTLY`.

    ## What it does
    Checks `CREATE INDEX` without `CONCURRENTLY` in SQL migrations, `op.execute()` and
    `RunSQL`; Alembic `op.create_index()` without `postgresql_concurrently=True`; and
    Django `AddIndex` (rather than `AddIndexConcurrently`).

    ## Why is this bad?
    A plain `CREATE INDEX` holds a `SHARE` lock on the table until the index is built:
    every `INSERT`, `UPDATE` and `DELETE` waits, for minutes on a large table.

    ## Example
    ```sql title="db/migrations/000051_orders_customer_idx.up.sql"
    CREATE INDEX orders_customer_id_idx ON orders (customer_id);
    ```

    ## Use instead
    ```sql title="db/migrations/000051_orders_customer_idx.up.sql"
    CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
    ```

    ## Notes
    An index on a table created in the same migration is not flagged: the table is
    empty and nothing else uses it yet; nor are Django initial and squashed migrations.
    `CONCURRENTLY` cannot run in a transaction block (MIG016): in Alembic wrap it in
    `op.get_context().autocommit_block()`, in
    Django use `AddIndexConcurrently` in a migration with `atomic = False`.
    """

    id = "MIG010"
    name = "create-index-non-concurrently"
    summary = "index created without CONCURRENTLY locks writes to the table"
    checklist = LOCKS
    severity = Severity.MEDIUM
    kinds = KINDS
    triggers = (ALEMBIC, "addindex", CREATE_INDEX)
    triggers_ignore_case = True
    cwe = (667,)
    references = (
        "https://squawkhq.com/docs/require-concurrent-index-creation",
        "https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY",
    )

    operation_kinds = (OpKind.CREATE_INDEX,)

    def message(self, migration: Migration, op: Operation) -> str | None:
        if op.concurrently:
            return None
        index = f"index {op.name!r}" if op.name else "an index"
        if op.from_sql:
            fix = "use CREATE INDEX CONCURRENTLY, outside a transaction block"
        elif op.via.startswith("AddIndex"):
            fix = "use AddIndexConcurrently (django.contrib.postgres.operations) in a migration with atomic = False"
        else:
            fix = "pass postgresql_concurrently=True inside `with op.get_context().autocommit_block():`"
        return f"{op.via} builds {index} on {where(op)} while blocking its writes; {fix}"


class AddNotNullColumnWithoutDefault(_OperationRule):
    """A `NOT NULL` column added without a default, or with a default that rewrites the table.

    ## What it does
    Checks added columns (SQL `ADD COLUMN`, Alembic `op.add_column()`, Django
    `AddField`) that are `NOT NULL` with no default (Alembic: no `server_default`;
    Django: no `default`/`db_default` and no `null=True`), and columns added with a
    volatile default (`gen_random_uuid()`, `random()`, a serial type) which rewrite
    the table. Before PostgreSQL 11 (`pg-version`), any default rewrites the table.

    ## Why is this bad?
    Adding a `NOT NULL` column without a default fails on any table with rows, and the
    old release, which does not write the column, fails its inserts. A rewrite holds an
    `ACCESS EXCLUSIVE` lock on the table for as long as copying it takes.

    ## Example
    ```sql title="db/migrations/000060_accounts_tier.up.sql"
    ALTER TABLE accounts ADD COLUMN tier text NOT NULL;
    ```

    ## Use instead
    ```sql title="db/migrations/000060_accounts_tier.up.sql"
    ALTER TABLE accounts ADD COLUMN tier text NOT NULL DEFAULT 'free';
    ```

    ## Notes
    Alembic's `default=` is applied by SQLAlchemy in Python, not by the database: only
    `server_default=` counts. For a volatile value, add the column nullable, backfill
    in batches, then set `NOT NULL` with a validated check constraint. Django adds a
    `blank=True` string field with `DEFAULT ''` and an `auto_now` field with the current
    time, so those are not flagged. A table created in the same migration is not flagged, nor a Django
    initial migration (`initial = True`: it builds the schema) or squashed migration
    (`replaces`: it runs only where the migrations it replaces never ran).
    """

    id = "MIG011"
    name = "add-not-null-column-without-default"
    summary = "NOT NULL column added without a default (or with one that rewrites the table)"
    checklist = LOCKS
    severity = Severity.HIGH
    kinds = KINDS
    triggers = (ALEMBIC, "addfield", ALTER_TABLE)
    triggers_ignore_case = True
    options = (PG_VERSION,)
    cwe = (667,)
    references = (
        "https://squawkhq.com/docs/adding-required-field",
        "https://squawkhq.com/docs/adding-field-with-default",
    )

    operation_kinds = (OpKind.ADD_COLUMN,)

    def message(self, migration: Migration, op: Operation) -> str | None:
        target = column_of(op)
        if op.not_null and not op.has_default:
            return (
                f"{op.via} adds NOT NULL {target} without a default: it fails on a table with rows and "
                "breaks the old release's inserts; add it nullable (or with a constant default), backfill, "
                "then make it NOT NULL"
            )
        if op.has_default and (op.volatile_default or self.settings["pg-version"] < 11):
            why = (
                "a volatile default"
                if op.volatile_default
                else f"a default before PostgreSQL 11 (pg-version {self.settings['pg-version']})"
            )
            return (
                f"{op.via} adds {target} with {why}: Postgres rewrites the whole table under an ACCESS "
                "EXCLUSIVE lock; add the column without it, backfill in batches, then set the default"
            )
        return None


class AlterColumnType(_ReplayedRule):
    """A column's type changed in place.

    ## What it does
    Checks `ALTER TABLE ... ALTER COLUMN ... TYPE` in SQL migrations, `op.execute()` and
    `RunSQL`, Alembic `op.alter_column(..., type_=...)`, and Django `AlterField` whose
    field class maps to another column type than the field had before (the app's
    migration history is replayed to know it: `IntegerField` to `BigIntegerField` is
    flagged; `CharField` to `SlugField` or `TextField`, a new `max_length`, foreign keys
    and custom field classes are not).

    ## Why is this bad?
    Most type changes rewrite the table and its indexes under an `ACCESS EXCLUSIVE`
    lock: reads and writes stop until it finishes. The old release may also not
    understand the new type.

    ## Example
    ```python
    import sqlalchemy as sa
    from alembic import op

    revision = "e2f3"
    down_revision = "d1e2"


    def upgrade():
        op.alter_column("events", "payload", type_=sa.JSON(), existing_type=sa.Text())


    def downgrade():
        op.alter_column("events", "payload", type_=sa.Text(), existing_type=sa.JSON())
    ```

    ## Use instead
    ```python
    import sqlalchemy as sa
    from alembic import op

    revision = "e2f3"
    down_revision = "d1e2"


    def upgrade():
        op.add_column("events", sa.Column("payload_json", sa.JSON(), nullable=True))


    def downgrade():
        op.drop_column("events", "payload_json")
    ```

    ## Notes
    Add a new column, write both, backfill in batches, switch reads, then drop the old
    column in a later release. A table created in the same migration is not flagged, nor a Django
    initial migration (`initial = True`: it builds the schema) or squashed migration
    (`replaces`: it runs only where the migrations it replaces never ran).
    """

    id = "MIG012"
    name = "alter-column-type"
    summary = "column type changed in place (table rewrite under an exclusive lock)"
    checklist = LOCKS
    severity = Severity.MEDIUM
    kinds = KINDS
    cwe = (667,)
    references = ("https://squawkhq.com/docs/changing-column-type",)

    operation_kinds = (OpKind.ALTER_COLUMN_TYPE,)

    def message(self, migration: Migration, op: Operation) -> str | None:
        return (
            f"{op.via} changes the type of {column_of(op)}: Postgres may rewrite the table under an "
            "ACCESS EXCLUSIVE lock; add a new column, backfill it in batches and switch to it"
        )

    def alteration_message(self, alter: list[Any], before: list[Any]) -> str | None:
        old, new = django_column_type(before[3]), django_column_type(alter[3])
        if old == new or old not in _KNOWN_TYPES or new not in _KNOWN_TYPES or (old, new) in _NO_REWRITE:
            return None
        return (
            f"AlterField changes column {alter[2]!r} of model {alter[1]!r} from {before[3]} to {alter[3]}: "
            "Postgres may rewrite the table under an ACCESS EXCLUSIVE lock; add a new field, backfill it "
            "in batches and switch to it"
        )


class AddConstraintValidated(_OperationRule):
    """A foreign key or check constraint added and validated in one step.

    ## What it does
    Checks `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY` / `CHECK` without
    `NOT VALID`, `ADD COLUMN ... REFERENCES`, Alembic `op.create_foreign_key()` /
    `op.create_check_constraint()`, and Django `AddConstraint` with a `CheckConstraint`.

    ## Why is this bad?
    Validating scans the whole table while holding a lock that blocks writes (a foreign
    key locks the referenced table too).

    ## Example
    ```sql title="db/migrations/000070_orders_customer_fk.up.sql"
    ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
        FOREIGN KEY (customer_id) REFERENCES customers (id);
    ```

    ## Use instead
    ```sql title="db/migrations/000070_orders_customer_fk.up.sql"
    ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
        FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
    ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
    ```

    ## Notes
    `NOT VALID` takes the lock only briefly; the later `VALIDATE CONSTRAINT` scans
    without blocking writes. A table created in the same migration is not flagged, nor a Django
    initial migration (`initial = True`: it builds the schema) or squashed migration
    (`replaces`: it runs only where the migrations it replaces never ran).
    """

    id = "MIG013"
    name = "add-constraint-validated"
    summary = "foreign key or check constraint added without NOT VALID"
    checklist = LOCKS
    severity = Severity.MEDIUM
    kinds = KINDS
    triggers = (ALEMBIC, "addconstraint", ALTER_TABLE)
    triggers_ignore_case = True
    cwe = (667,)
    references = (
        "https://squawkhq.com/docs/adding-foreign-key-constraint",
        "https://squawkhq.com/docs/constraint-missing-not-valid",
    )

    operation_kinds = (OpKind.ADD_CONSTRAINT,)

    def message(self, migration: Migration, op: Operation) -> str | None:
        if op.not_valid:
            return None
        what = "a foreign key" if op.constraint_type == "foreign_key" else "a check constraint"
        if op.name:
            what += f" {op.name!r}"
        return (
            f"{op.via} adds {what} on {where(op)} and validates it at once, blocking writes while it scans; "
            "add it NOT VALID, then VALIDATE CONSTRAINT in a separate step"
        )


class SetNotNull(_ReplayedRule):
    """`SET NOT NULL` on an existing column.

    ## What it does
    Checks `ALTER COLUMN ... SET NOT NULL` in SQL migrations, `op.execute()` and `RunSQL`,
    Alembic `op.alter_column(..., nullable=False)`, and Django `AlterField` that drops
    `null=True` from a field that had it (the app's migration history is replayed).

    ## Why is this bad?
    Postgres scans the whole table to check for nulls while holding an `ACCESS
    EXCLUSIVE` lock: reads and writes stop until the scan ends.

    ## Example
    ```sql title="db/migrations/000080_email_required.up.sql"
    ALTER TABLE users ALTER COLUMN email SET NOT NULL;
    ```

    ## Use instead
    ```sql title="db/migrations/000080_email_required.up.sql"
    ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
    ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
    ```

    ## Notes
    From PostgreSQL 12, `SET NOT NULL` skips the scan when a validated
    `CHECK (column IS NOT NULL)` exists: add it `NOT VALID`, validate it, then set
    `NOT NULL` and drop the check. A table created in the same migration is not flagged, nor a Django
    initial migration (`initial = True`: it builds the schema) or squashed migration
    (`replaces`: it runs only where the migrations it replaces never ran).
    """

    id = "MIG014"
    name = "set-not-null"
    summary = "SET NOT NULL on an existing column scans the table under an exclusive lock"
    checklist = LOCKS
    severity = Severity.MEDIUM
    kinds = KINDS
    cwe = (667,)
    references = ("https://squawkhq.com/docs/adding-not-nullable-field",)

    operation_kinds = (OpKind.SET_NOT_NULL,)

    def message(self, migration: Migration, op: Operation) -> str | None:
        return (
            f"{op.via} sets NOT NULL on {column_of(op)}: Postgres scans the table under an ACCESS "
            "EXCLUSIVE lock; add CHECK (... IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL"
        )

    def alteration_message(self, alter: list[Any], before: list[Any]) -> str | None:
        if not before[4] or alter[4] or alter[3] in _NO_COLUMN:
            return None
        return (
            f"AlterField makes column {alter[2]!r} of model {alter[1]!r} NOT NULL: Postgres scans the "
            "table under an ACCESS EXCLUSIVE lock; add a CheckConstraint (IS NOT NULL) with "
            "AddConstraintNotValid, validate it, then drop null=True"
        )


class RenameColumnOrTable(_OperationRule):
    """A column or table renamed.

    ## What it does
    Checks `ALTER TABLE ... RENAME COLUMN` / `RENAME TO` (and MySQL `RENAME TABLE`) in SQL
    migrations, `op.execute()` and `RunSQL`; Alembic `op.rename_table()` and
    `op.alter_column(..., new_column_name=...)`; Django `RenameField`, `RenameModel` and
    `AlterModelTable`.

    ## Why is this bad?
    The release still running during the deploy uses the old name: its queries fail
    until every instance has been replaced.

    ## Example
    ```python title="shop/migrations/0020_rename_sku.py"
    from django.db import migrations


    class Migration(migrations.Migration):
        dependencies = [("shop", "0019_product_sku")]
        operations = [
            migrations.RenameField("product", "sku", "stock_code"),
        ]
    ```

    ## Use instead
    ```python title="shop/migrations/0020_rename_sku.py"
    from django.db import migrations, models


    class Migration(migrations.Migration):
        dependencies = [("shop", "0019_product_sku")]
        operations = [
            migrations.AddField("product", "stock_code", models.CharField(max_length=32, null=True)),
        ]
    ```

    ## Notes
    Add the new column, write both, backfill, move reads, and drop the old one later
    (for a table: a view with the old name can bridge the deploy). In Django, renaming
    only the field while keeping `db_column` leaves the database as it is. A table
    created in the same migration is not flagged, nor a Django
    initial migration (`initial = True`: it builds the schema) or squashed migration
    (`replaces`: it runs only where the migrations it replaces never ran).
    """

    id = "MIG015"
    name = "rename-column-or-table"
    summary = "column or table renamed while the old release still uses the old name"
    checklist = LOCKS
    severity = Severity.MEDIUM
    kinds = KINDS
    triggers = (ALEMBIC, "renamefield", "renamemodel", "altermodeltable", ALTER_TABLE, RENAME_TABLE)
    triggers_ignore_case = True
    cwe = (703,)
    references = ("https://squawkhq.com/docs/renaming-column", "https://squawkhq.com/docs/renaming-table")

    operation_kinds = (OpKind.RENAME_COLUMN, OpKind.RENAME_TABLE)

    def message(self, migration: Migration, op: Operation) -> str | None:
        to = f" to {op.name!r}" if op.name else ""
        what = column_of(op) if op.kind is OpKind.RENAME_COLUMN else where(op)
        return (
            f"{op.via} renames {what}{to}: the release still running uses the old name and fails; "
            "add the new one, write both, backfill, and drop the old one in a later release"
        )


class ConcurrentlyInTransaction(_OperationRule):
    """`CONCURRENTLY` inside a transaction block.

    ## What it does
    Checks `CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` (and Django
    `AddIndexConcurrently` / `RemoveIndexConcurrently`, Alembic `create_index` /
    `drop_index` with `postgresql_concurrently=True`) that run in a transaction: in an atomic Django
    migration (no `atomic = False`), in an Alembic `upgrade()` outside
    `op.get_context().autocommit_block()`, after `BEGIN` in a SQL file, in a dbmate or
    goose migration without its no-transaction marker, or in a golang-migrate file
    sent as one multi-statement query.

    ## Why is this bad?
    Postgres refuses it ("cannot run inside a transaction block"): the deploy fails
    halfway through its migrations.

    ## Example
    ```python title="shop/migrations/0021_order_created_idx.py"
    from django.contrib.postgres.operations import AddIndexConcurrently
    from django.db import migrations, models


    class Migration(migrations.Migration):
        dependencies = [("shop", "0020_rename_sku")]
        operations = [
            AddIndexConcurrently("order", models.Index(fields=["created"], name="order_created_idx")),
        ]
    ```

    ## Use instead
    ```python title="shop/migrations/0021_order_created_idx.py"
    from django.contrib.postgres.operations import AddIndexConcurrently
    from django.db import migrations, models


    class Migration(migrations.Migration):
        atomic = False
        dependencies = [("shop", "0020_rename_sku")]
        operations = [
            AddIndexConcurrently("order", models.Index(fields=["created"], name="order_created_idx")),
        ]
    ```
    """

    id = "MIG016"
    name = "concurrently-in-transaction"
    summary = "CONCURRENTLY inside a transaction block fails"
    checklist = LOCKS
    severity = Severity.HIGH
    kinds = KINDS
    triggers = ("concurrently",)
    triggers_ignore_case = True
    options = (ASSUME_IN_TRANSACTION,)
    cwe = (703,)
    references = ("https://squawkhq.com/docs/ban-concurrent-index-creation-in-transaction",)

    operation_kinds = (OpKind.CREATE_INDEX, OpKind.DROP_INDEX)
    existing_tables_only = False  # Postgres refuses it on any table

    def message(self, migration: Migration, op: Operation) -> str | None:
        if not op.concurrently:
            return None
        assume = self.settings["assume-in-transaction"]
        if not (op.in_transaction or (assume and op.from_sql and not migration.no_transaction)):
            return None
        if op.via.startswith(("AddIndex", "RemoveIndex")):
            fix = "set atomic = False on the Migration class"
        elif op.from_sql and migration.format.value in ("dbmate", "goose", "golang-migrate", "sql", "flyway"):
            fix = "run it in a migration of its own, outside any transaction block"
        else:
            fix = "run it inside `with op.get_context().autocommit_block():`"
        verb = "builds an index" if op.kind is OpKind.CREATE_INDEX else "drops an index"
        return (
            f"{op.via} {verb} CONCURRENTLY{' on ' + where(op) if op.table else ''} inside a transaction "
            f"block, which Postgres refuses; {fix}"
        )
