"""Database migrations read statically: Alembic revisions, Django migrations and SQL files.

:func:`read_migration` turns a file into a :class:`Migration`, or ``None`` when the file
is not one. It recognises

* **Alembic** revisions: a module assigning ``revision`` and ``down_revision`` and
  defining ``upgrade()`` (and, normally, ``downgrade()``);
* **Django** migrations: a ``class Migration(migrations.Migration)`` with ``operations``
  (the app is the directory above ``migrations/``, the number the file name's prefix);
* SQL files of **golang-migrate** (``NNN_name.up.sql`` / ``.down.sql``), **Flyway**
  (``V<n>__name.sql``, undo ``U<n>__name.sql``, repeatable ``R__name.sql``), **dbmate**
  (``-- migrate:up`` / ``-- migrate:down`` sections), **goose** (``-- +goose Up`` /
  ``Down``), **sql-migrate** (``-- +migrate Up`` / ``Down``) and plain SQL files in a
  ``migrations`` directory or named ``NNN_*.sql``.

A migration's forward :attr:`Migration.operations` are one list of :class:`Operation`
records whatever the framework: ``op.drop_column("orders", "note")``, Django's
``RemoveField("order", "note")`` and ``ALTER TABLE orders DROP COLUMN note`` in a SQL file
or in ``op.execute(...)`` / ``RunSQL(...)`` (parsed with :func:`~.sql.parse_sql`, spans at
the statement inside the string) all become an :attr:`OpKind.DROP_COLUMN` with its table,
column and exact span. Statements of a backward direction (``downgrade()``, ``.down.sql``,
Flyway undo files, the ``migrate:down`` section) are never in ``operations``.

Nothing is imported or run: no database, no Django settings, no Alembic environment.
"""

from __future__ import annotations

import ast
import contextlib
import enum
import re
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from .errors import LoadError
from .files import PythonFile, SourceFile
from .model import Span

__all__ = [
    "FieldChange",
    "Migration",
    "MigrationFormat",
    "OpKind",
    "Operation",
    "django_column_type",
    "migration_format",
    "read_migration",
    "sql_operations",
    "volatile_sql",
]


class MigrationFormat(enum.StrEnum):
    """The migration tool a file is written for, from its layout and content."""

    ALEMBIC = "alembic"
    DJANGO = "django"
    GOLANG_MIGRATE = "golang-migrate"
    FLYWAY = "flyway"
    DBMATE = "dbmate"
    GOOSE = "goose"  # goose, and sql-migrate's -- +migrate Up / Down
    SQL = "sql"  # a plain SQL file in a migrations directory


class OpKind(enum.StrEnum):
    """What a migration operation does to the schema or the data."""

    CREATE_TABLE = "create_table"
    DROP_TABLE = "drop_table"
    ADD_COLUMN = "add_column"
    DROP_COLUMN = "drop_column"
    ALTER_COLUMN_TYPE = "alter_column_type"
    SET_NOT_NULL = "set_not_null"
    RENAME_COLUMN = "rename_column"
    RENAME_TABLE = "rename_table"
    CREATE_INDEX = "create_index"
    DROP_INDEX = "drop_index"  # never destructive; judged only for CONCURRENTLY in a transaction
    ADD_CONSTRAINT = "add_constraint"  # foreign key or check constraint
    TRUNCATE = "truncate"
    DELETE = "delete"
    UPDATE = "update"
    RUN_PYTHON = "run_python"  # Django RunPython
    RUN_SQL = "run_sql"  # Django RunSQL (its statements also appear as operations)
    UNANALYZED = "unanalyzed"  # a SQL statement the parser could not read


@attrs.frozen(slots=True)
class Operation:
    """One forward operation of a migration.

    ``via`` says how it was written (``op.drop_column``, ``RemoveField``, ``SQL``);
    ``table`` and ``column`` are as written (Django: the model name in lower case);
    ``name`` the index or constraint name, or the new name of a rename. For
    :attr:`OpKind.ADD_COLUMN`: ``not_null``, ``has_default`` and ``volatile_default``;
    for indexes ``concurrently``; for constraints ``constraint_type`` (``foreign_key`` or
    ``check``) and ``not_valid``; for ``DELETE``/``UPDATE`` ``has_where``; for
    ``RunPython``/``RunSQL`` ``reversible``. ``in_transaction`` says the operation runs
    inside a transaction block as far as the file can tell (an atomic Django migration,
    Alembic outside ``autocommit_block()``, SQL inside ``BEGIN``, a dbmate or goose
    file without its no-transaction marker); rules may also assume it. ``statement`` is
    the SQL statement an operation was read from, when it was.
    """

    kind: OpKind
    span: Span
    via: str
    table: str | None = None
    column: str | None = None
    name: str | None = None
    not_null: bool = False
    has_default: bool = False
    volatile_default: bool = False
    concurrently: bool = False
    constraint_type: str | None = None
    not_valid: bool = False
    has_where: bool | None = None
    reversible: bool | None = None
    in_transaction: bool = False
    statement: Any = attrs.field(default=None, eq=False, repr=False)

    @property
    def from_sql(self) -> bool:
        return self.statement is not None


@attrs.frozen(slots=True)
class FieldChange:
    """What a Django migration does to one model field, for replaying a history.

    ``action`` is ``create`` (a field of ``CreateModel``), ``add``, ``alter``, ``remove``,
    ``rename`` (``new_name`` set), ``delete_model`` or ``rename_model`` (``name`` is
    ``None``; ``new_name`` the new model name). ``type`` is the field class's name
    (``BigIntegerField``) and ``null`` whether ``null=True``. Model names are lower case.
    """

    action: str
    model: str
    name: str | None
    span: Span
    type: str | None = None
    null: bool = False
    new_name: str | None = None

    @property
    def column_type(self) -> str | None:
        """The Postgres column type family the field class maps to (``varchar`` for
        ``CharField``, ``SlugField`` and ``EmailField``), or the class name when unknown."""
        return django_column_type(self.type)


_DJANGO_TYPES = {
    "varchar": ("CharField", "SlugField", "EmailField", "URLField", "FilePathField", "FileField", "ImageField"),
    "text": ("TextField",),
    "integer": ("IntegerField", "PositiveIntegerField", "AutoField"),
    "bigint": ("BigIntegerField", "PositiveBigIntegerField", "BigAutoField"),
    "smallint": ("SmallIntegerField", "PositiveSmallIntegerField", "SmallAutoField"),
    "boolean": ("BooleanField", "NullBooleanField"),
    "timestamptz": ("DateTimeField",),
    "numeric": ("DecimalField",),
    "double": ("FloatField",),
    "jsonb": ("JSONField",),
    "foreign_key": ("ForeignKey", "OneToOneField", "TreeForeignKey", "ParentalKey"),
}
_DJANGO_TYPE_OF = {name: family for family, names in _DJANGO_TYPES.items() for name in names}


def django_column_type(field_class: str | None) -> str | None:
    """The column type family of a Django field class name (``None`` for ``None``)."""
    if field_class is None:
        return None
    return _DJANGO_TYPE_OF.get(field_class, field_class)


@attrs.frozen(slots=True)
class Migration:
    """One migration file.

    ``revision`` identifies it (Alembic's revision id, Django's ``app.name``, a SQL file's
    version); ``parents`` are the revisions it follows (Alembic ``down_revision``, Django
    dependencies within the app), declared at ``parents_span``. ``direction`` is ``up``
    for forward files and ``down`` for files that only undo (``.down.sql``, Flyway undo).
    ``operations`` are the forward operations in source order. For Alembic,
    ``upgrade_span``/``downgrade_span`` locate the functions and ``downgrade_empty`` says
    ``downgrade()`` does nothing (empty, ``pass``, ``...``, a docstring, or raising
    ``NotImplementedError``); ``upgrade_empty`` likewise (merge revisions). For Django,
    ``app``, ``number``, ``replaces`` (squashed migrations) and ``atomic``.
    """

    format: MigrationFormat
    path: str
    direction: str = "up"
    revision: str | None = None
    parents: tuple[str, ...] = ()
    parents_span: Span | None = None
    span: Span | None = None
    operations: tuple[Operation, ...] = ()
    atomic: bool = True
    app: str | None = None
    number: int | None = None
    replaces: tuple[str, ...] = ()
    branch_labels: tuple[str, ...] = ()
    upgrade_span: Span | None = None
    downgrade_span: Span | None = None
    upgrade_empty: bool = False
    downgrade_empty: bool = False
    no_transaction: bool = False  # the file declares that it runs outside a transaction
    initial: bool = False  # a Django migration with initial = True: it creates the app's schema
    fields: tuple[FieldChange, ...] = ()  # Django: field changes in order, for replaying a history

    def created_tables(self) -> set[str]:
        """Tables (Django: models) the migration creates, lower-cased."""
        return {op.table.lower() for op in self.operations if op.kind is OpKind.CREATE_TABLE and op.table}

    def table_created_before(self, operation: Operation) -> bool:
        """Whether ``operation``'s table was created earlier in the same migration."""
        table = (operation.table or "").lower()
        for op in self.operations:
            if op is operation:
                return False
            if op.kind is OpKind.CREATE_TABLE and (op.table or "").lower() == table:
                return True
        return False

    def created_before(self, operation: Operation) -> bool:
        """Whether ``operation``'s table, or its column, was created earlier in the same
        migration (so dropping, indexing or altering it touches no existing data)."""
        table = (operation.table or "").lower()
        column = (operation.column or "").lower()
        for op in self.operations:
            if op is operation:
                return False
            if (op.table or "").lower() != table:
                continue
            if op.kind is OpKind.CREATE_TABLE:
                return True
            if column and op.kind is OpKind.ADD_COLUMN and (op.column or "").lower() == column:
                return True
            if op.kind is OpKind.RENAME_TABLE and (op.name or "").lower() == table:
                return False
        return False


# --- file formats ---------------------------------------------------------------------

_GOLANG = re.compile(r"^\d+_.+\.(up|down)\.sql$", re.I)
_FLYWAY = re.compile(r"^([VUR])(\d[\w.]*)?__.+\.sql$")
_NUMBERED = re.compile(r"^\d+[_-].*\.sql$", re.I)
_DBMATE = re.compile(r"^--\s*migrate:(up|down)\b(.*)$", re.I | re.M)
_GOOSE = re.compile(r"^--\s*\+(goose|migrate)\s+(up|down|no\s+transaction|statementbegin|statementend)\b", re.I | re.M)


def migration_format(path: str, text: str = "") -> MigrationFormat | None:
    """The migration layout a SQL file belongs to, from its name, directory and markers;
    ``None`` when the file does not look like a migration."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if _GOLANG.match(name) or name.lower().endswith((".up.sql", ".down.sql")):
        return MigrationFormat.GOLANG_MIGRATE
    if _FLYWAY.match(name):
        return MigrationFormat.FLYWAY
    if text and _DBMATE.search(text):
        return MigrationFormat.DBMATE
    if text and _GOOSE.search(text):
        return MigrationFormat.GOOSE
    folders = path.replace("\\", "/").lower().split("/")[:-1]
    if _NUMBERED.match(name) or any("migrat" in folder for folder in folders) or "migrat" in name.lower():
        return MigrationFormat.SQL
    return None


# --- SQL -------------------------------------------------------------------------------

_JUDGED_KINDS = frozenset(
    {"alter_table", "create_index", "drop_table", "truncate", "delete", "update", "rename", "create_table"}
)


_MATTERS = re.compile(
    r"\s*(?:alter|drop|truncate|delete|update|rename|with|create\s+(?:unique\s+)?index"
    r"|create\s+(?:(?:global|local|temporary|temp|unlogged|or\s+replace)\s+)*table)\b",
    re.I,
)


def _may_matter(text: str) -> bool:
    """Whether a statement's leading keywords make it one migrations are judged on (the
    rest are never handed to the parser)."""
    return _MATTERS.match(text) is not None


def sql_operations(statements: Iterable[Any], *, in_transaction: bool = False, via: str = "SQL") -> list[Operation]:
    """The operations of SQL statements (:class:`~.sql.SqlStatement`). A statement of a
    kind migrations are judged on that the parser could not read becomes an
    :attr:`OpKind.UNANALYZED` operation. ``in_transaction`` marks every operation as run
    in a transaction (besides statements inside an explicit ``BEGIN``)."""
    out: list[Operation] = []
    for statement in statements:
        if not _may_matter(statement.text):
            continue  # SELECT, INSERT, GRANT, CREATE FUNCTION...: never parsed
        summary = statement.summary
        kind = str(summary.kind)
        tx = in_transaction or statement.in_transaction
        common = {"via": via, "in_transaction": tx, "statement": statement}
        if not summary.analyzed:
            if kind in _JUDGED_KINDS or kind == "other":
                out.append(Operation(OpKind.UNANALYZED, statement.span, **common))
            continue
        table = _known(summary.table.name) if summary.table is not None else None
        span = statement.span
        if kind == "create_table":
            out.append(Operation(OpKind.CREATE_TABLE, span, table=table, **common))
        elif kind == "drop_table":
            for name in summary.drop.names if summary.drop else ():
                out.append(Operation(OpKind.DROP_TABLE, span, table=_known(name.name), **common))
        elif kind == "drop_index":
            drop = summary.drop
            out.append(
                Operation(
                    OpKind.DROP_INDEX,
                    span,
                    name=drop.names[0].name if drop and drop.names else None,
                    concurrently=bool(drop and drop.concurrently) or summary.concurrently,
                    **common,
                )
            )
        elif kind == "truncate":
            for name in summary.tables or ((summary.table,) if summary.table else ()):
                out.append(Operation(OpKind.TRUNCATE, span, table=_known(name.name), **common))
        elif kind in ("delete", "update"):
            out.append(
                Operation(
                    OpKind.DELETE if kind == "delete" else OpKind.UPDATE,
                    span,
                    table=table,
                    has_where=summary.has_where,
                    **common,
                )
            )
        elif kind == "create_index":
            index = summary.index
            out.append(
                Operation(
                    OpKind.CREATE_INDEX,
                    span,
                    table=table,
                    name=index.name if index else None,
                    concurrently=summary.concurrently or bool(index and index.concurrently),
                    **common,
                )
            )
        elif kind == "rename":
            out.append(Operation(OpKind.RENAME_TABLE, span, table=table, **common))
        elif kind == "alter_table":
            out.extend(_alter_operations(summary, table, statement, common))
    return out


def _known(name: str | None) -> str | None:
    """A name as written, or ``None`` for a placeholder of formatted SQL (``{table}``)."""
    return None if name is None or not name.strip("_") else name


def _alter_operations(summary: Any, table: str | None, statement: Any, common: dict) -> Iterator[Operation]:
    single = len(summary.actions) == 1
    for action in summary.actions:
        kind = str(action.kind)
        # A finding points at its statement's first line (where a reader and a labelled
        # review look), running to the end of the clause when the statement holds several.
        span = (
            statement.span
            if single
            else Span(statement.span.line, statement.span.column, action.span.end_line, action.span.end_column)
        )
        if kind == "add_column" and action.column_def is not None:
            column = action.column_def
            yield Operation(
                OpKind.ADD_COLUMN,
                span,
                table=table,
                column=column.name,
                not_null=column.not_null or column.primary_key,
                has_default=column.default is not None or column.serial or column.generated is not None,
                volatile_default=column.volatile_default,
                **common,
            )
            if column.references is not None:
                yield Operation(
                    OpKind.ADD_CONSTRAINT,
                    span,
                    table=table,
                    column=column.name,
                    constraint_type="foreign_key",
                    **common,
                )
        elif kind == "drop_column":
            yield Operation(OpKind.DROP_COLUMN, span, table=table, column=action.column, **common)
        elif kind == "alter_column_type":
            yield Operation(OpKind.ALTER_COLUMN_TYPE, span, table=table, column=action.column, **common)
        elif kind == "set_not_null":
            yield Operation(OpKind.SET_NOT_NULL, span, table=table, column=action.column, **common)
        elif kind == "rename_column":
            yield Operation(
                OpKind.RENAME_COLUMN, span, table=table, column=action.column, name=action.new_name, **common
            )
        elif kind == "rename_table":
            yield Operation(OpKind.RENAME_TABLE, span, table=table, name=action.new_name, **common)
        elif kind == "add_constraint" and action.constraint is not None:
            constraint = action.constraint
            if str(constraint.type) in ("foreign_key", "check"):
                yield Operation(
                    OpKind.ADD_CONSTRAINT,
                    span,
                    table=table,
                    name=constraint.name,
                    constraint_type=str(constraint.type),
                    not_valid=constraint.not_valid,
                    **common,
                )


_FUNCTION_CALL = re.compile(r"([A-Za-z_][\w.]*)\s*\(")


def volatile_sql(expression: str) -> bool:
    """Whether a SQL default expression may be computed per row: it calls a volatile
    function (``gen_random_uuid()``, ``random()``, ``nextval()``) or one whose volatility
    is unknown (user-defined)."""
    from .sql_functions import IMMUTABLE, KEYWORD_FUNCTIONS, STABLE, VOLATILE

    for match in _FUNCTION_CALL.finditer(expression):
        name = match.group(1).rsplit(".", 1)[-1].lower()
        if name in VOLATILE:
            return True
        if name not in IMMUTABLE and name not in STABLE and name not in KEYWORD_FUNCTIONS and name != "cast":
            return True
    return False


def _read_sql(file: SourceFile) -> Migration | None:
    text = file.text
    fmt = migration_format(file.path, text)
    if fmt is None:
        return None
    name = file.path.replace("\\", "/").rsplit("/", 1)[-1]
    direction = "up"
    if (fmt is MigrationFormat.GOLANG_MIGRATE and name.lower().endswith(".down.sql")) or (
        fmt is MigrationFormat.FLYWAY and name.startswith("U")
    ):
        direction = "down"
    statements = list(getattr(file, "statements", ()))
    if "{{" in text and _TEMPLATE.search(text):
        statements = _untemplated(text, statements)
    no_transaction = False
    in_transaction = False
    if fmt in (MigrationFormat.DBMATE, MigrationFormat.GOOSE):
        statements, no_transaction = _up_section(file, statements, fmt)
        in_transaction = not no_transaction
    elif fmt is MigrationFormat.GOLANG_MIGRATE:
        # golang-migrate sends a file as one multi-statement query: Postgres runs it as
        # one implicit transaction block.
        in_transaction = len(statements) > 1
    revision = None
    match = re.match(r"^[VU]?(\d[\d._]*)", name)
    if match:
        revision = match.group(1).rstrip("._")
    operations = tuple(sql_operations(statements, in_transaction=in_transaction)) if direction == "up" else ()
    first = statements[0].span if statements else None
    return Migration(
        fmt,
        file.path,
        direction=direction,
        revision=revision,
        span=first,
        operations=operations,
        atomic=in_transaction,
        no_transaction=no_transaction,
    )


_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.S)


def _untemplated(text: str, statements: list) -> list:
    """The statements of a SQL file holding template expressions (Go templates, Jinja:
    ``ALTER TABLE {{ .Namespace }}.users``), read with each expression replaced by an
    identifier of the same length, so that positions stay exact."""
    from .sql import parse_sql

    plain = _TEMPLATE.sub(lambda match: re.sub(r"[^\n]", "x", match.group()), text)
    try:
        return list(parse_sql(plain))
    except LoadError:
        return statements


def _up_section(file: SourceFile, statements: list, fmt: MigrationFormat) -> tuple[list, bool]:
    """The statements of the up section of a dbmate or goose file, and whether it runs
    outside a transaction."""
    markers = []  # (line, 'up'|'down'|'notx')
    for comment in getattr(file, "comments", ()):
        body = comment.body.lower()
        if fmt is MigrationFormat.DBMATE and body.startswith("migrate:"):
            word = body[len("migrate:") :].split(None, 1)
            direction = word[0] if word else ""
            if direction in ("up", "down"):
                markers.append((comment.span.line, direction))
                if direction == "up" and re.search(r"transaction\s*:\s*false", body):
                    markers.append((comment.span.line, "notx"))
        elif fmt is MigrationFormat.GOOSE and body.startswith(("+goose", "+migrate")):
            rest = body.split()[1:]
            if rest[:1] == ["up"]:
                markers.append((comment.span.line, "up"))
                if "notransaction" in rest:  # sql-migrate: -- +migrate Up notransaction
                    markers.append((comment.span.line, "notx"))
            elif rest[:1] == ["down"]:
                markers.append((comment.span.line, "down"))
            elif rest[:2] == ["no", "transaction"]:
                markers.append((comment.span.line, "notx"))
    no_transaction = any(kind == "notx" for _, kind in markers)
    sections = sorted((line, kind) for line, kind in markers if kind in ("up", "down"))
    if not sections:
        return statements, no_transaction
    up = []
    for statement in statements:
        current = None
        for line, kind in sections:
            if line <= statement.span.line:
                current = kind
        if current == "up":
            up.append(statement)
    return up, no_transaction


# --- Python ------------------------------------------------------------------------------

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_NOT_A_MIGRATION = object()


def read_migration(file: SourceFile) -> Migration | None:
    """The migration a file holds (Python or SQL), or ``None``; computed once per file."""
    try:
        cached = _CACHE.get(file)
    except TypeError:
        cached = None
    if cached is not None:
        return None if cached is _NOT_A_MIGRATION else cached
    if isinstance(file, PythonFile):
        migration = _read_python(file)
    elif str(getattr(file, "kind", "")) == "sql":
        migration = _read_sql(file)
    else:
        migration = None
    with contextlib.suppress(TypeError):
        _CACHE[file] = _NOT_A_MIGRATION if migration is None else migration
    return migration


def _read_python(file: PythonFile) -> Migration | None:
    tree = file.tree
    if tree is None:
        import contextlib

        with contextlib.suppress(SyntaxError, ValueError, RecursionError, MemoryError):
            tree = ast.parse(file.text)
    if tree is None:
        return None
    text = file.text
    if "down_revision" in text:
        migration = _AlembicReader(file, tree).read()
        if migration is not None:
            return migration
    if "Migration" in text and "operations" in text:
        return _DjangoReader(file, tree).read()
    return None


def _str(node: ast.AST | None) -> str | None:
    """A string literal's value; ``op.f("ix_name")`` (Alembic's naming helper) counts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "f" and node.args:
        return _str(node.args[0])
    return None


def _strings(node: ast.AST | None) -> tuple[str, ...]:
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return tuple(s for s in (_str(item) for item in node.elts) if s is not None)
    value = _str(node)
    return (value,) if value else ()


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        parts.append(_dotted(node.func) + "()")
    else:
        return ""
    return ".".join(reversed(parts))


def _last(node: ast.AST) -> str:
    return _dotted(node).rsplit(".", 1)[-1]


def _arg(call: ast.Call, position: int | None, name: str | None) -> ast.AST | None:
    if name is not None:
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword.value
    if position is not None and position < len(call.args):
        node = call.args[position]
        if not isinstance(node, ast.Starred):
            return node
    return None


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _does_nothing(body: Sequence[ast.stmt], functions: dict | None = None, seen: frozenset = frozenset()) -> bool:
    """An empty function body: ``pass``, ``...``, a docstring, ``raise NotImplementedError``,
    or calls of module functions (``functions``) that themselves do nothing."""
    for statement in body:
        if isinstance(statement, ast.Pass):
            continue
        if (
            functions
            and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Name)
            and statement.value.func.id in functions
            and statement.value.func.id not in seen
        ):
            name = statement.value.func.id
            if _does_nothing(functions[name].body, functions, seen | {name}):
                continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring, a bare string or ...
        if isinstance(statement, ast.Raise) and statement.exc is not None:
            target = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
            if _last(target) in ("NotImplementedError", "NotImplemented"):
                continue
        return False
    return True


class _Strings:
    """Module-level names bound once to a string (``SQL = \"\"\"...\"\"\"``)."""

    def __init__(self, tree: ast.Module) -> None:
        seen: dict[str, ast.AST | None] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target, value = statement.targets[0], statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                target, value = statement.target, statement.value
            else:
                continue
            if isinstance(target, ast.Name):
                seen[target.id] = value if target.id not in seen else None
        self.values = {name: node for name, node in seen.items() if node is not None}

    def resolve(self, node: ast.AST | None) -> ast.AST | None:
        if isinstance(node, ast.Name) and node.id in self.values:
            return self.values[node.id]
        return node


class _Reader:
    def __init__(self, file: PythonFile, tree: ast.Module) -> None:
        self.file = file
        self.tree = tree
        self.strings = _Strings(tree)
        self._tables: dict[str, str] | None = None
        self.committed = False  # an op.execute("COMMIT") ended the transaction

    def span(self, node: ast.AST) -> Span:
        return self.file.span_of(node)

    def head_span(self, node: ast.AST) -> Span:
        """The first line of a statement (a ``def`` or ``class`` line, not its body)."""
        span = self.span(node)
        line = self.file.line(span.line)
        return Span(span.line, span.column, span.line, max(len(line) + 1, span.column + 1))

    def sql_of(self, node: ast.AST | None, *, in_transaction: bool, via: str, fallback: Span) -> list[Operation]:
        """The operations of SQL given as a string literal (or ``text("...")``, or a
        module constant); dynamic SQL gives none."""
        original = node
        node = self.strings.resolve(node)
        if isinstance(node, ast.Call) and _last(node.func) in ("text", "TextClause") and node.args:
            original = node.args[0]
            node = self.strings.resolve(node.args[0])
        sql = _str(node)
        formatted = False
        if sql is None:
            shaped = self._formatted(node)
            if shaped is None:
                if isinstance(node, ast.Call):
                    return self._expression(node, in_transaction=in_transaction, via=via)
                return []
            sql, literal = shaped
            formatted = True
            if original is node:  # "...".format(x) written in the call: positions from its literal
                original = literal
            node = literal
        if not sql.strip():
            return []
        from .sql import parse_sql

        line, column, _exact = self._literal_start(node, sql)
        try:
            statements = parse_sql(sql, line=line, column=column)
        except LoadError:
            return [Operation(OpKind.UNANALYZED, fallback, via=via, in_transaction=in_transaction)]
        if "`" in sql and any(not statement.analyzed for statement in statements):
            with contextlib.suppress(LoadError):  # backquoted names: SQL written for MySQL
                statements = parse_sql(sql, line=line, column=column, dialect="mysql")
        operations = sql_operations(statements, in_transaction=in_transaction, via=via)
        if formatted:  # a statement its placeholders make unreadable is dynamic, not unknown
            operations = [op for op in operations if op.kind is not OpKind.UNANALYZED]
        # Every operation of SQL run from Python is reported at the call that runs it
        # (``op.execute(``, ``migrations.RunSQL(``): the operation's line, whichever line
        # of a long string the statement starts on.
        return [attrs.evolve(op, span=fallback) for op in operations]

    def _expression(self, call: ast.Call, *, in_transaction: bool, via: str) -> list[Operation]:
        """A SQLAlchemy Core ``UPDATE`` or ``DELETE`` (``accounts.update().values(...)``,
        ``sa.delete(accounts)``), with or without ``.where()``."""
        methods = []
        calls = []
        node: ast.AST = call
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            methods.append(node.func.attr)
            calls.append(node)
            node = node.func.value
        verb = table_node = None
        if calls and methods[-1] in ("update", "delete") and calls[-1].args:
            verb, table_node = methods[-1], calls[-1].args[0]  # sa.update(accounts)
        elif "update" in methods or "delete" in methods:
            verb = "update" if "update" in methods else "delete"
            table_node = node  # accounts.update()
        elif isinstance(node, ast.Call) and _last(node.func) in ("update", "delete") and node.args:
            verb, table_node = _last(node.func), node.args[0]  # update(accounts), imported
        if verb is None:
            return []
        has_where = "where" in methods or "filter" in methods or "filter_by" in methods
        if isinstance(node, ast.Call) and (_arg(node, 1, "whereclause") is not None):
            has_where = True
        kind = OpKind.UPDATE if verb == "update" else OpKind.DELETE
        table = self._table_name(table_node)
        return [Operation(kind, self.span(call), via, table=table, has_where=has_where, in_transaction=in_transaction)]

    def _table_name(self, node: ast.AST | None) -> str | None:
        """The name of a table object: ``sa.table("accounts", ...)``, ``Table("accounts",
        metadata, ...)`` or a name bound to one anywhere in the module."""
        if isinstance(node, ast.Name):
            if self._tables is None:
                self._tables = {}
                for statement in ast.walk(self.tree):
                    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                        target, value = statement.targets[0], statement.value
                        if isinstance(target, ast.Name) and isinstance(value, ast.Call):
                            name = self._table_name(value)
                            if name:
                                self._tables[target.id] = name
            return self._tables.get(node.id)
        if isinstance(node, ast.Call) and _last(node.func) in ("table", "Table"):
            return _str(_arg(node, 0, "name"))
        return None

    def _literal_body(self, node: ast.AST) -> tuple[int, int, str, str] | None:
        """The line and column where a string literal's text starts, its text as written
        in the source, and its prefix (``r``, ``f``...)."""
        line = node.lineno
        source = self.file.line(line)
        offset = self.file.column(line, node.col_offset) - 1
        match = _QUOTE.match(source, offset)
        if match is None:
            return None
        prefix = source[offset : match.start(1)].lower()
        start = match.end()
        end_line = getattr(node, "end_lineno", line)
        quote = match.group(1)
        if end_line == line:
            body = source[start : self.file.column(line, node.end_col_offset) - 1 - len(quote)]
        else:
            lines = [source[start:]] + [self.file.line(n) for n in range(line + 1, end_line + 1)]
            lines[-1] = lines[-1][: self.file.column(end_line, node.end_col_offset) - 1 - len(quote)]
            body = "\n".join(lines)
        return line, start + 1, body, prefix

    def _literal_start(self, node: ast.AST, value: str) -> tuple[int, int, bool]:
        """Where the text of a string literal starts, and whether offsets in it map exactly."""
        found = self._literal_body(node)
        if found is None:
            return node.lineno, self.file.column(node.lineno, node.col_offset), False
        line, column, body, _ = found
        return line, column, body == value

    def _formatted(self, node: ast.AST) -> tuple[str, ast.AST] | None:
        """SQL built by formatting (``f"DROP TABLE {name}"``, ``"...{}".format(x)``,
        ``"... %s" % x``) with each placeholder replaced by underscores of its length, so
        that the statement's shape can be read and positions stay exact; and the literal
        it was read from."""
        if isinstance(node, ast.JoinedStr):
            found = self._literal_body(node)
            if found is None or "\\" in found[2]:
                return None
            return _PLACEHOLDER.sub(_blank, found[2].replace("{{", "((").replace("}}", "))")), node
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and _str(node.func.value) is not None
        ):
            return _PLACEHOLDER.sub(_blank, _str(node.func.value)), node.func.value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _str(node.left) is not None:
            return _PERCENT.sub(_blank, _str(node.left)), node.left
        return None


_QUOTE = re.compile(r"""[rRbBuUfF]{0,2}('''|\"\"\"|'|")""")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_PERCENT = re.compile(r"%(?:\([^)]*\))?[sdif]")


def _blank(match: re.Match) -> str:
    return "_" * len(match.group())


class _AlembicReader(_Reader):
    functions: dict[str, ast.FunctionDef]
    entered: set[str]

    def read(self) -> Migration | None:
        values: dict[str, tuple[ast.AST, ast.stmt]] = {}
        functions: dict[str, ast.FunctionDef] = {}
        for statement in self.tree.body:
            if isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        values[target.id] = (statement.value, statement)
            elif (
                isinstance(statement, ast.AnnAssign)
                and statement.value is not None
                and isinstance(statement.target, ast.Name)
            ):
                values[statement.target.id] = (statement.value, statement)
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions[statement.name] = statement
        if "revision" not in values or "down_revision" not in values or "upgrade" not in functions:
            return None
        revision = _str(values["revision"][0])
        down_node, down_statement = values["down_revision"]
        parents = _strings(down_node)
        labels = _strings(values["branch_labels"][0]) if "branch_labels" in values else ()
        upgrade = functions["upgrade"]
        downgrade = functions.get("downgrade")
        operations: list[Operation] = []
        self.functions = functions
        self.entered = {"upgrade", "downgrade"}
        self._walk(upgrade.body, operations, {}, in_transaction=True)
        return Migration(
            MigrationFormat.ALEMBIC,
            self.file.path,
            revision=revision,
            parents=parents,
            parents_span=self.head_span(down_statement),
            span=self.head_span(values["revision"][1]),
            operations=tuple(operations),
            branch_labels=labels,
            upgrade_span=self.head_span(upgrade),
            downgrade_span=self.head_span(downgrade) if downgrade is not None else None,
            upgrade_empty=_does_nothing(upgrade.body, functions),
            downgrade_empty=downgrade is not None and _does_nothing(downgrade.body, functions),
        )

    def _walk(self, body: Iterable[ast.AST], out: list[Operation], batches: dict[str, str], in_transaction: bool):
        for node in body:
            if isinstance(node, (ast.With, ast.AsyncWith)):
                inner = dict(batches)
                tx = in_transaction
                for item in node.items:
                    expr = item.context_expr
                    if isinstance(expr, ast.Call):
                        name = _last(expr.func)
                        if name == "batch_alter_table":
                            table = _str(_arg(expr, 0, "table_name"))
                            if isinstance(item.optional_vars, ast.Name):
                                inner[item.optional_vars.id] = table or "?"
                        elif name == "autocommit_block":
                            tx = False
                        self._call(expr, out, batches, in_transaction)
                self._walk(node.body, out, inner, tx)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            elif isinstance(node, ast.Call):
                self._call(node, out, batches, in_transaction)
                self._walk(ast.iter_child_nodes(node), out, batches, in_transaction)
                helper = node.func.id if isinstance(node.func, ast.Name) else None
                if helper in self.functions and helper not in self.entered:
                    # schema_upgrades(), data_upgrades(): module functions upgrade() calls
                    self.entered.add(helper)
                    self._walk(self.functions[helper].body, out, batches, in_transaction)
            else:
                self._walk(ast.iter_child_nodes(node), out, batches, in_transaction)

    def _call(self, call: ast.Call, out: list[Operation], batches: dict[str, str], tx: bool) -> None:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        method = func.attr
        receiver = _dotted(func.value)
        batch_table = batches.get(receiver) if isinstance(func.value, ast.Name) else None
        if batch_table is None and receiver != "op" and not receiver.endswith(".op"):
            if method == "execute":  # op.get_bind().execute(...), connection.execute(...)
                out.extend(
                    self.sql_of(
                        _arg(call, 0, None), in_transaction=tx, via=f"{receiver}.execute", fallback=self.span(call)
                    )
                )
            return
        via = f"{receiver}.{method}"
        span = self.span(call)
        shift = 1 if batch_table is None else 0  # batch operations take no table argument

        def table_at(position: int, name: str = "table_name") -> str | None:
            if batch_table is not None:
                return batch_table
            return _str(_arg(call, position, name))

        if method == "execute":
            sql = _str(self.strings.resolve(_arg(call, 0, "sqltext")))
            if sql is not None and sql.strip().rstrip(";").strip().upper() in ("COMMIT", "END"):
                self.committed = True  # the old trick: end Alembic's transaction by hand
            tx = tx and not self.committed
            out.extend(self.sql_of(_arg(call, 0, "sqltext"), in_transaction=tx, via=via, fallback=span))
        elif method == "create_table":
            out.append(Operation(OpKind.CREATE_TABLE, span, via, table=_str(_arg(call, 0, "table_name"))))
        elif method == "drop_table":
            out.append(Operation(OpKind.DROP_TABLE, span, via, table=_str(_arg(call, 0, "table_name"))))
        elif method == "drop_column":
            column = _str(_arg(call, shift, "column_name"))
            out.append(Operation(OpKind.DROP_COLUMN, span, via, table=table_at(0), column=column))
        elif method == "add_column":
            self._add_column(call, out, span, via, table_at(0), _arg(call, shift, "column"))
        elif method == "alter_column":
            self._alter_column(call, out, span, via, table_at(0), _str(_arg(call, shift, "column_name")))
        elif method == "create_index":
            table = batch_table if batch_table is not None else _str(_arg(call, 1, "table_name"))
            out.append(
                Operation(
                    OpKind.CREATE_INDEX,
                    span,
                    via,
                    table=table,
                    name=_str(_arg(call, 0, "index_name")),
                    concurrently=_is_true(_arg(call, None, "postgresql_concurrently")),
                    in_transaction=tx and not self.committed,
                )
            )
        elif method == "drop_index":
            out.append(
                Operation(
                    OpKind.DROP_INDEX,
                    span,
                    via,
                    table=batch_table if batch_table is not None else _str(_arg(call, None, "table_name")),
                    name=_str(_arg(call, 0, "index_name")),
                    concurrently=_is_true(_arg(call, None, "postgresql_concurrently")),
                    in_transaction=tx and not self.committed,
                )
            )
        elif method == "rename_table":
            old = _str(_arg(call, 0, "old_table_name"))
            out.append(Operation(OpKind.RENAME_TABLE, span, via, table=old, name=_str(_arg(call, 1, "new_table_name"))))
        elif method in ("create_foreign_key", "create_check_constraint"):
            table = (
                batch_table
                if batch_table is not None
                else _str(_arg(call, 1, "source_table" if "foreign" in method else "table_name"))
            )
            kind = "foreign_key" if method == "create_foreign_key" else "check"
            not_valid = _is_true(_arg(call, None, "postgresql_not_valid"))
            out.append(
                Operation(
                    OpKind.ADD_CONSTRAINT,
                    span,
                    via,
                    table=table,
                    name=_str(_arg(call, 0, "constraint_name")),
                    constraint_type=kind,
                    not_valid=not_valid,
                )
            )

    def _add_column(self, call, out, span, via, table, column) -> None:
        if not isinstance(column, ast.Call) or _last(column.func) != "Column":
            return
        name = _str(_arg(column, 0, "name"))
        nullable = _arg(column, None, "nullable")
        primary = _is_true(_arg(column, None, "primary_key"))
        not_null = (isinstance(nullable, ast.Constant) and nullable.value is False) or (primary and nullable is None)
        default = _arg(column, None, "server_default")
        has_default = default is not None and not _is_none(default)
        volatile = False
        if has_default:
            volatile = self._volatile_default(default)
        out.append(
            Operation(
                OpKind.ADD_COLUMN,
                span,
                via,
                table=table,
                column=name,
                not_null=not_null,
                has_default=has_default,
                volatile_default=volatile,
            )
        )
        for item in column.args[1:]:
            if isinstance(item, ast.Call) and _last(item.func) == "ForeignKey":
                out.append(
                    Operation(OpKind.ADD_CONSTRAINT, span, via, table=table, column=name, constraint_type="foreign_key")
                )

    def _volatile_default(self, node: ast.AST) -> bool:
        """Whether a ``server_default`` is computed per row by the database: SQL text
        (``sa.text("gen_random_uuid()")``, ``literal_column``) or a ``func.`` call that is
        volatile. Other Python expressions are computed once, in Python."""
        node = self.strings.resolve(node)
        if isinstance(node, ast.Call):
            name = _last(node.func)
            if name in ("text", "literal_column", "TextClause") and node.args:
                value = _str(self.strings.resolve(node.args[0]))
                return value is not None and volatile_sql(value)
            if ".func." in f".{_dotted(node.func)}":
                return volatile_sql(name + "()")
        return False

    def _alter_column(self, call, out, span, via, table, column) -> None:
        type_ = _arg(call, None, "type_")
        if type_ is not None and not _is_none(type_) and not _no_rewrite(_arg(call, None, "existing_type"), type_):
            out.append(Operation(OpKind.ALTER_COLUMN_TYPE, span, via, table=table, column=column))
        nullable = _arg(call, None, "nullable")
        existing = _arg(call, None, "existing_nullable")
        if (
            isinstance(nullable, ast.Constant)
            and nullable.value is False
            and not (isinstance(existing, ast.Constant) and existing.value is False)
        ):
            out.append(Operation(OpKind.SET_NOT_NULL, span, via, table=table, column=column))
        new_name = _str(_arg(call, None, "new_column_name"))
        if new_name is not None:
            out.append(Operation(OpKind.RENAME_COLUMN, span, via, table=table, column=column, name=new_name))


_TEXT_TYPES = frozenset({"Text", "TEXT", "UnicodeText", "CITEXT"})
_VARCHAR_TYPES = frozenset({"String", "VARCHAR", "Unicode", "NVARCHAR"})


def _string_type(node: ast.AST) -> tuple[str, int | None] | None:
    """``("text", None)`` or ``("varchar", length)`` for a SQLAlchemy string type."""
    target = node.func if isinstance(node, ast.Call) else node
    name = _last(target)
    if name in _TEXT_TYPES:
        return "text", None
    if name in _VARCHAR_TYPES:
        length = _arg(node, 0, "length") if isinstance(node, ast.Call) else None
        if isinstance(length, ast.Constant) and isinstance(length.value, int):
            return "varchar", length.value
        return "varchar", None
    return None


def _no_rewrite(existing: ast.AST | None, new: ast.AST) -> bool:
    """Whether Alembic's ``alter_column(existing_type=..., type_=...)`` leaves the column
    as it is or changes it without a rewrite: the same type, or a string type widened
    (``VARCHAR(n)`` to a longer ``VARCHAR``, ``VARCHAR`` or ``TEXT``; ``TEXT`` to ``VARCHAR``)."""
    if existing is None:
        return False
    if ast.dump(existing) == ast.dump(new):
        return True
    old_type, new_type = _string_type(existing), _string_type(new)
    if old_type is None or new_type is None:
        return False
    new_length = new_type[1]
    if new_length is None:
        return True
    return old_type[0] == "varchar" and old_type[1] is not None and new_length >= old_type[1]


_DJANGO_NUMBER = re.compile(r"^(\d+)_")


def _lower(value: str | None) -> str | None:
    return value.lower() if value else value


def _field_change(action: str, model: str, name: str | None, field: ast.AST | None, span: Span) -> FieldChange:
    if not isinstance(field, ast.Call):
        return FieldChange(action, model, name, span)
    return FieldChange(action, model, name, span, type=_last(field.func), null=_is_true(_arg(field, None, "null")))


# fields that add no column (many-to-many tables, generic relations, tag managers)
_NO_COLUMN_FIELDS = frozenset(
    {
        "ManyToManyField",
        "GenericRelation",
        "GenericForeignKey",
        "TaggableManager",
        "ClusterTaggableManager",
        "ParentalManyToManyField",
        "SortedManyToManyField",
    }
)
# fields whose empty value is not "" (Django adds a blank=True string field with DEFAULT '')
_NO_EMPTY_STRING = re.compile(
    r"(Integer|Float|Decimal|Boolean|Date|Time|Duration|UUID|Key|OneToOne|Json|JSON|Array|Range|Binary|IP)"
)


class _DjangoReader(_Reader):
    def read(self) -> Migration | None:
        for node in self.tree.body:
            if (
                isinstance(node, ast.ClassDef)
                and node.name == "Migration"
                and any(_last(base).endswith("Migration") for base in node.bases)
            ):
                return self._migration(node)
        return None

    def _migration(self, cls: ast.ClassDef) -> Migration | None:
        attributes: dict[str, tuple[ast.AST, ast.stmt]] = {}
        for statement in cls.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name):
                    attributes[target.id] = (statement.value, statement)
            elif (
                isinstance(statement, ast.AnnAssign)
                and statement.value is not None
                and isinstance(statement.target, ast.Name)
            ):
                attributes[statement.target.id] = (statement.value, statement)
        if "operations" not in attributes and "dependencies" not in attributes:
            return None
        parts = self.file.path.replace("\\", "/").split("/")
        filename = parts[-1].rsplit(".", 1)[0]
        app = parts[-3] if len(parts) >= 3 else None
        number_match = _DJANGO_NUMBER.match(filename)
        initial = _is_true(attributes.get("initial", (None, None))[0])
        atomic_node = attributes.get("atomic", (None, None))[0]
        atomic = not (isinstance(atomic_node, ast.Constant) and atomic_node.value is False)
        dependencies: list[str] = []
        deps_node, deps_statement = attributes.get("dependencies", (None, None))
        if isinstance(deps_node, (ast.List, ast.Tuple)):
            for item in deps_node.elts:
                if isinstance(item, (ast.Tuple, ast.List)) and len(item.elts) == 2:
                    label, name = _str(item.elts[0]), _str(item.elts[1])
                    if label is not None and name is not None:
                        dependencies.append(f"{label}.{name}")
        replaces: list[str] = []
        replaces_node = attributes.get("replaces", (None, None))[0]
        if isinstance(replaces_node, (ast.List, ast.Tuple)):
            for item in replaces_node.elts:
                if isinstance(item, (ast.Tuple, ast.List)) and len(item.elts) == 2:
                    label, name = _str(item.elts[0]), _str(item.elts[1])
                    if label is not None and name is not None:
                        replaces.append(f"{label}.{name}")
        operations: list[Operation] = []
        ops_node = self.strings.resolve(attributes.get("operations", (None, None))[0])
        if isinstance(ops_node, (ast.List, ast.Tuple)):
            self._operations(ops_node.elts, operations, atomic)
        return Migration(
            MigrationFormat.DJANGO,
            self.file.path,
            revision=f"{app}.{filename}",
            parents=tuple(dependencies),
            parents_span=self.head_span(deps_statement) if deps_statement is not None else self.head_span(cls),
            span=self.head_span(cls),
            operations=tuple(operations),
            atomic=atomic,
            app=app,
            number=int(number_match.group(1)) if number_match else None,
            replaces=tuple(replaces),
            initial=initial,
            fields=tuple(self._field_changes(ops_node.elts if isinstance(ops_node, (ast.List, ast.Tuple)) else ())),
        )

    def _field_changes(self, items: Iterable[ast.AST]) -> Iterator[FieldChange]:
        for item in items:
            if not isinstance(item, ast.Call):
                continue
            name = _last(item.func)
            span = self.span(item)
            if name == "SeparateDatabaseAndState":
                database = self.strings.resolve(_arg(item, None, "database_operations"))
                if isinstance(database, (ast.List, ast.Tuple)):
                    yield from self._field_changes(database.elts)
            elif name == "CreateModel":
                model = _lower(_str(_arg(item, 0, "name")))
                fields = _arg(item, 1, "fields")
                if model and isinstance(fields, (ast.List, ast.Tuple)):
                    for pair in fields.elts:
                        if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                            yield _field_change("create", model, _str(pair.elts[0]), pair.elts[1], self.span(pair))
            elif name in ("AddField", "AlterField"):
                model = _lower(_str(_arg(item, 0, "model_name")))
                if model:
                    action = "add" if name == "AddField" else "alter"
                    yield _field_change(action, model, _str(_arg(item, 1, "name")), _arg(item, 2, "field"), span)
            elif name == "RemoveField":
                model = _lower(_str(_arg(item, 0, "model_name")))
                if model:
                    yield FieldChange("remove", model, _str(_arg(item, 1, "name")), span)
            elif name == "RenameField":
                model = _lower(_str(_arg(item, 0, "model_name")))
                if model:
                    old, new = _str(_arg(item, 1, "old_name")), _str(_arg(item, 2, "new_name"))
                    yield FieldChange("rename", model, old, span, new_name=new)
            elif name == "DeleteModel":
                model = _lower(_str(_arg(item, 0, "name")))
                if model:
                    yield FieldChange("delete_model", model, None, span)
            elif name == "RenameModel":
                old = _lower(_str(_arg(item, 0, "old_name")))
                new = _lower(_str(_arg(item, 1, "new_name")))
                if old:
                    yield FieldChange("rename_model", old, None, span, new_name=new)

    def _operations(self, items: Iterable[ast.AST], out: list[Operation], atomic: bool) -> None:
        for item in items:
            if not isinstance(item, ast.Call):
                continue
            name = _last(item.func)
            span = self.span(item)
            if name == "SeparateDatabaseAndState":
                database = self.strings.resolve(_arg(item, None, "database_operations"))
                if database is None and item.args:
                    database = item.args[0]
                if isinstance(database, (ast.List, ast.Tuple)):
                    self._operations(database.elts, out, atomic)
                continue
            model = _str(_arg(item, 0, "model_name"))
            model = model.lower() if model else None
            if name == "CreateModel":
                table = _str(_arg(item, 0, "name"))
                out.append(Operation(OpKind.CREATE_TABLE, span, name, table=table.lower() if table else None))
            elif name == "DeleteModel":
                table = _str(_arg(item, 0, "name"))
                out.append(Operation(OpKind.DROP_TABLE, span, name, table=table.lower() if table else None))
            elif name == "RemoveField":
                out.append(Operation(OpKind.DROP_COLUMN, span, name, table=model, column=_str(_arg(item, 1, "name"))))
            elif name == "AddField":
                self._add_field(item, out, span, model)
            elif name == "RenameField":
                out.append(
                    Operation(
                        OpKind.RENAME_COLUMN,
                        span,
                        name,
                        table=model,
                        column=_str(_arg(item, 1, "old_name")),
                        name=_str(_arg(item, 2, "new_name")),
                    )
                )
            elif name == "RenameModel":
                old = _str(_arg(item, 0, "old_name"))
                new = _str(_arg(item, 1, "new_name"))
                out.append(
                    Operation(
                        OpKind.RENAME_TABLE, span, name, table=old.lower() if old else None, name=new and new.lower()
                    )
                )
            elif name == "AlterModelTable":
                table = _str(_arg(item, 0, "name"))
                new = _arg(item, 1, "table")
                if not _is_none(new):
                    out.append(
                        Operation(
                            OpKind.RENAME_TABLE, span, name, table=table.lower() if table else None, name=_str(new)
                        )
                    )
            elif name in ("AddIndex", "AddIndexConcurrently"):
                concurrently = name == "AddIndexConcurrently"
                index = _arg(item, 1, "index")
                index_name = _str(_arg(index, None, "name")) if isinstance(index, ast.Call) else None
                out.append(
                    Operation(
                        OpKind.CREATE_INDEX,
                        span,
                        name,
                        table=model,
                        name=index_name,
                        concurrently=concurrently,
                        in_transaction=atomic,
                    )
                )
            elif name == "RemoveIndexConcurrently":
                out.append(
                    Operation(
                        OpKind.DROP_INDEX,
                        span,
                        name,
                        table=model,
                        name=_str(_arg(item, 1, "name")),
                        concurrently=True,
                        in_transaction=atomic,
                    )
                )
            elif name in ("AddConstraint", "AddConstraintNotValid"):
                constraint = _arg(item, 1, "constraint")
                if isinstance(constraint, ast.Call) and _last(constraint.func) == "CheckConstraint":
                    out.append(
                        Operation(
                            OpKind.ADD_CONSTRAINT,
                            span,
                            name,
                            table=model,
                            name=_str(_arg(constraint, None, "name")),
                            constraint_type="check",
                            not_valid=name == "AddConstraintNotValid",
                        )
                    )
            elif name == "RunPython":
                reverse = _arg(item, 1, "reverse_code")
                out.append(
                    Operation(OpKind.RUN_PYTHON, span, name, reversible=reverse is not None and not _is_none(reverse))
                )
            elif name == "RunSQL":
                reverse = _arg(item, 1, "reverse_sql")
                out.append(
                    Operation(OpKind.RUN_SQL, span, name, reversible=reverse is not None and not _is_none(reverse))
                )
                given = _arg(item, 0, "sql")
                sql = self.strings.resolve(given)
                pieces = sql.elts if isinstance(sql, (ast.List, ast.Tuple)) else [given]
                for piece in pieces:
                    if isinstance(piece, (ast.Tuple, ast.List)) and piece.elts:
                        piece = piece.elts[0]  # (sql, params)
                    out.extend(self.sql_of(piece, in_transaction=atomic, via="RunSQL", fallback=span))

    def _add_field(self, item: ast.Call, out: list[Operation], span: Span, model: str | None) -> None:
        column = _str(_arg(item, 1, "name"))
        field = _arg(item, 2, "field")
        if not isinstance(field, ast.Call):
            return
        field_type = _last(field.func)
        if field_type in _NO_COLUMN_FIELDS:
            return
        null = _arg(field, None, "null")
        not_null = not _is_true(null) and not (null is not None and not isinstance(null, ast.Constant))
        if "Null" in field_type:  # NullCharField, NullBooleanField: nullable by definition
            not_null = False
        default = _arg(field, None, "default")
        db_default = _arg(field, None, "db_default")
        has_default = (default is not None and not _is_none(default)) or db_default is not None
        if not has_default:
            # Django adds the column with the field's effective default: '' for a blank
            # string field, the current time for auto_now / auto_now_add.
            blank_string = _is_true(_arg(field, None, "blank")) and not _NO_EMPTY_STRING.search(field_type)
            automatic = _is_true(_arg(field, None, "auto_now")) or _is_true(_arg(field, None, "auto_now_add"))
            has_default = blank_string or automatic
        out.append(
            Operation(
                OpKind.ADD_COLUMN,
                span,
                "AddField",
                table=model,
                column=column,
                not_null=not_null,
                has_default=has_default,
            )
        )
