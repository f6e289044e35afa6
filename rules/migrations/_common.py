"""What the migrations rules share: the forward operations of a migration file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from prodready_lint.sdk import (
    FileKind,
    Migration,
    MigrationFormat,
    OpKind,
    Option,
    Repository,
    SourceFile,
    read_migration,
)
from prodready_lint.sdk import MigrationOperation as Operation

DATA = ("migrations",)
LOCKS = ("zero-downtime-migrations",)
KINDS = frozenset({FileKind.PYTHON, FileKind.SQL})
CWE_DATA_LOSS = (664,)  # data lost beyond recovery: the table, its rows, its column

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


def django_history_fact(file: SourceFile) -> Any:
    """What a repository rule collects from a Django migration to replay its app's field
    history: the field changes, in order, with their spans."""
    migration = read_migration(file)
    if migration is None or migration.format is not MigrationFormat.DJANGO or not migration.fields:
        return None
    return {
        "app": file.path.rsplit("/", 2)[0] if file.path.count("/") >= 2 else "",
        "number": migration.number if migration.number is not None else -1,
        "squashed": bool(migration.replaces),
        "initial": migration.initial,
        "created": sorted(migration.created_tables()),
        "fields": [
            [change.action, change.model, change.name, change.type, change.null, change.new_name, change.span]
            for change in migration.fields
        ],
    }


def django_alterations(repo: Repository) -> Iterator[tuple[str, list, list]]:
    """Replay each Django app's migrations in order and yield ``(path, alter, before)``
    for every ``AlterField`` of a field whose earlier definition is known: ``alter`` and
    ``before`` are ``[action, model, name, type, null, new_name, span]`` rows. Squashed
    migrations are skipped (the migrations they replace tell the history); alterations
    in initial migrations or of models created in the same migration are not yielded."""
    apps: dict[str, list[tuple[int, str, dict]]] = {}
    for path, fact in repo.facts.items():
        if fact and "fields" in fact and not fact["squashed"]:
            apps.setdefault(fact["app"], []).append((fact["number"], path, fact))
    for migrations in apps.values():
        state: dict[tuple[str, str], list] = {}
        for _, path, fact in sorted(migrations, key=lambda item: (item[0], item[1])):
            created = set(fact["created"])
            for row in fact["fields"]:
                action, model, name, _, _, new_name, _ = row
                key = (model, name)
                if action in ("create", "add"):
                    state[key] = row
                elif action == "alter":
                    before = state.get(key)
                    if before is not None and not fact["initial"] and model not in created:
                        yield path, row, before
                    state[key] = row
                elif action == "remove":
                    state.pop(key, None)
                elif action == "rename" and key in state:
                    state[(model, new_name)] = state.pop(key)
                elif action == "delete_model":
                    for other in [k for k in state if k[0] == model]:
                        del state[other]
                elif action == "rename_model" and new_name:
                    for other in [k for k in state if k[0] == model]:
                        state[(new_name, other[1])] = state.pop(other)


# Triggers. A Python file is analyzed only when it is an Alembic revision or names a Django
# operation the rule judges; a SQL file (and SQL inside Python) when it holds the
# statement. Words common in ordinary code ("add", "drop", "update") are never triggers
# on their own: they would make every Python file parsed.
ALEMBIC = "down_revision"
DJANGO_HISTORY = ("migrations.migration", "(migration)")  # every Django migration, lower-cased
ALTER_TABLE = re.compile(r"alter\s+table", re.I)
DROP_TABLE = re.compile(r"drop\s+table", re.I)
CREATE_INDEX = re.compile(r"create\s+(?:unique\s+)?index", re.I)
TRUNCATE = re.compile(r"truncate\s+(?:table\s+|only\s+)?[\w\"]", re.I)
DELETE_OR_UPDATE = re.compile(r"delete\s+from\b|update\s+[\w\".]+\s+set\b", re.I)
RENAME_TABLE = re.compile(r"rename\s+table", re.I)
ANY_JUDGED = re.compile(
    r"alter\s+table|drop\s+\w|create\s+(?:unique\s+)?index|create\s+table|truncate\s|delete\s+from|"
    r"update\s+[\w\".]+\s+set\b|rename\s+table",
    re.I,
)
