"""The migrations family (checklist slugs ``migrations`` and ``zero-downtime-migrations``):
migrations that lose data, cannot be rolled back, or lock busy tables during a deploy.

Alembic, Django, golang-migrate, Flyway, dbmate, goose and plain SQL migration files are
read statically through :mod:`prodready_lint.sdk.migrations`."""

from .destructive import DeleteOrUpdateWithoutWhere, MigrationDropsColumn, MigrationDropsTable, MigrationTruncatesTable
from .history import MultipleMigrationHeads, UnanalyzableMigrationStatement, UpMigrationWithoutDown
from .locking import (
    AddConstraintValidated,
    AddNotNullColumnWithoutDefault,
    AlterColumnType,
    ConcurrentlyInTransaction,
    CreateIndexNonConcurrently,
    RenameColumnOrTable,
    SetNotNull,
)
from .reversibility import AlembicEmptyDowngrade, RunPythonWithoutReverse, RunSqlWithoutReverse

RULES = (
    AlembicEmptyDowngrade,
    MigrationDropsTable,
    MigrationDropsColumn,
    MigrationTruncatesTable,
    DeleteOrUpdateWithoutWhere,
    RunPythonWithoutReverse,
    RunSqlWithoutReverse,
    UpMigrationWithoutDown,
    MultipleMigrationHeads,
    CreateIndexNonConcurrently,
    AddNotNullColumnWithoutDefault,
    AlterColumnType,
    AddConstraintValidated,
    SetNotNull,
    RenameColumnOrTable,
    ConcurrentlyInTransaction,
    UnanalyzableMigrationStatement,
)

__all__ = [rule.__name__ for rule in RULES] + ["RULES"]
