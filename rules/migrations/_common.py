"""What the migrations rules share: the forward operations of a migration file."""

from __future__ import annotations

from collections.abc import Iterator

from prodready_lint.sdk import FileKind, Migration, OpKind, Option, SourceFile, read_migration
from prodready_lint.sdk import MigrationOperation as Operation

DATA = ("migrations",)
LOCKS = ("zero-downtime-migrations",)
KINDS = frozenset({FileKind.PYTHON, FileKind.SQL})
CWE_DATA_LOSS = (404,)

ASSUME_IN_TRANSACTION = Option(
    "assume-in-transaction",
    "bool",
    False,
    "Assume every SQL migration file runs inside a transaction (as squawk's --assume-in-transaction).",
)
PG_VERSION = Option(
    "pg-version",
    "int",
    16,
    "The major version of the target PostgreSQL (as squawk's --pg-version); before 11, any default rewrites.",
)


def forward(file: SourceFile) -> tuple[Migration | None, tuple[Operation, ...]]:
    """The migration a file holds and its forward operations: none for a down file, nor
    for a squashed Django migration (it runs only on databases that applied none of the
    migrations it replaces, which were judged themselves)."""
    migration = read_migration(file)
    if migration is None or migration.direction != "up" or migration.replaces:
        return migration, ()
    return migration, migration.operations


def operations(file: SourceFile, *kinds: OpKind) -> Iterator[tuple[Migration, Operation]]:
    migration, ops = forward(file)
    for op in ops:
        if op.kind in kinds:
            yield migration, op


def where(op: Operation, django_model: bool = True) -> str:
    """How a message names the table an operation acts on."""
    if django_model and not op.from_sql and op.via[:1].isupper():
        return f"model {op.table!r}"
    return f"table {op.table!r}" if op.table else "the table"


def column_of(op: Operation) -> str:
    name = where(op)
    return f"column {op.column!r} of {name}" if op.column else name
