"""What a SQL statement does, in terms that do not depend on the parser that read it.

Rules of the migrations family ask "is this a ``CREATE INDEX`` without ``CONCURRENTLY``",
"does this ``ALTER TABLE`` add a column with a volatile default", "is this ``DELETE``
missing a ``WHERE``". A :class:`StatementSummary` answers those from a statement's parse tree, or
from its tokens where the parser reads a Postgres form only as an opaque command. When
``analyzed`` is false nothing but ``kind`` is known, and a rule must treat the statement
as "could not analyze", never as safe.

Names are folded the way the dialect folds unquoted identifiers (Postgres: lower case),
so ``Users`` and ``users`` compare equal and ``"Users"`` does not.
"""

from __future__ import annotations

import enum

import attrs

from .model import Span

__all__ = [
    "ActionKind",
    "AlterAction",
    "ColumnSpec",
    "ConstraintSpec",
    "ConstraintType",
    "DropSpec",
    "IndexSpec",
    "ObjectName",
    "StatementKind",
    "StatementSummary",
    "Volatility",
]


class StatementKind(enum.StrEnum):
    """What a statement is, from its parse tree or, failing that, its leading keywords."""

    CREATE_TABLE = "create_table"
    CREATE_INDEX = "create_index"
    CREATE_VIEW = "create_view"  # views and materialized views
    CREATE_FUNCTION = "create_function"  # functions and procedures
    CREATE_TRIGGER = "create_trigger"
    CREATE_TYPE = "create_type"
    CREATE_SEQUENCE = "create_sequence"
    CREATE_SCHEMA = "create_schema"
    CREATE_EXTENSION = "create_extension"
    CREATE = "create"  # any other CREATE
    ALTER_TABLE = "alter_table"  # including ALTER TABLE ... RENAME
    ALTER = "alter"  # ALTER of anything but a table (index, type, sequence, view, ...)
    RENAME = "rename"  # MySQL's RENAME TABLE
    DROP_TABLE = "drop_table"
    DROP_INDEX = "drop_index"
    DROP = "drop"  # any other DROP
    TRUNCATE = "truncate"
    DELETE = "delete"
    UPDATE = "update"
    INSERT = "insert"
    MERGE = "merge"
    SELECT = "select"
    COPY = "copy"
    COMMENT = "comment"
    GRANT = "grant"
    REVOKE = "revoke"
    SET = "set"
    BEGIN = "begin"
    COMMIT = "commit"
    ROLLBACK = "rollback"
    SAVEPOINT = "savepoint"
    DO = "do"
    CALL = "call"
    LOCK = "lock"
    VACUUM = "vacuum"
    ANALYZE = "analyze"
    REINDEX = "reindex"
    REFRESH = "refresh"  # REFRESH MATERIALIZED VIEW
    EXPLAIN = "explain"
    OTHER = "other"


class ActionKind(enum.StrEnum):
    """One action of an ``ALTER TABLE``."""

    ADD_COLUMN = "add_column"
    DROP_COLUMN = "drop_column"
    ALTER_COLUMN_TYPE = "alter_column_type"
    SET_NOT_NULL = "set_not_null"
    DROP_NOT_NULL = "drop_not_null"
    SET_DEFAULT = "set_default"
    DROP_DEFAULT = "drop_default"
    ADD_CONSTRAINT = "add_constraint"
    VALIDATE_CONSTRAINT = "validate_constraint"
    DROP_CONSTRAINT = "drop_constraint"
    RENAME_COLUMN = "rename_column"
    RENAME_CONSTRAINT = "rename_constraint"
    RENAME_TABLE = "rename_table"
    OTHER = "other"  # a known action the summary does not detail (OWNER TO, SET SCHEMA, ENABLE TRIGGER, ...)


class ConstraintType(enum.StrEnum):
    """What a table constraint added or dropped by a statement is."""

    FOREIGN_KEY = "foreign_key"
    CHECK = "check"
    UNIQUE = "unique"
    PRIMARY_KEY = "primary_key"
    EXCLUDE = "exclude"
    OTHER = "other"


class Volatility(enum.StrEnum):
    """How often an expression's value can change, as Postgres classifies functions.

    A column added with a ``VOLATILE`` default makes Postgres rewrite the table (the value
    is computed per row); ``IMMUTABLE`` and ``STABLE`` defaults (literals, ``now()``) are
    computed once. ``UNKNOWN``: it calls a function the catalogue does not list (one the
    project or an extension defines), which may be volatile.
    """

    IMMUTABLE = "immutable"
    STABLE = "stable"
    VOLATILE = "volatile"
    UNKNOWN = "unknown"

    @property
    def may_rewrite(self) -> bool:
        """Whether a default of this volatility may make ``ADD COLUMN`` rewrite the table."""
        return self in (Volatility.VOLATILE, Volatility.UNKNOWN)


@attrs.frozen(slots=True)
class ObjectName:
    """A possibly schema-qualified name; ``str()`` gives ``schema.name``.

    Equality ignores ``span``, so names from different statements compare by value.
    """

    name: str
    schema: str | None = None
    catalog: str | None = None
    span: Span | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def qualified(self) -> str:
        return ".".join(part for part in (self.catalog, self.schema, self.name) if part)

    def __str__(self) -> str:
        return self.qualified


@attrs.frozen(slots=True)
class ColumnSpec:
    """A column definition (``CREATE TABLE``, ``ADD COLUMN``).

    ``type`` and ``default`` are SQL as the parser prints them in the file's dialect
    (``now()`` reads as ``CURRENT_TIMESTAMP``). ``default_volatility`` is ``None`` when
    there is no default. ``serial`` marks the serial types, whose implicit default is
    ``nextval()``; ``generated`` is ``"stored"``/``"virtual"`` for generated columns and
    ``"identity"`` for identity columns.
    """

    name: str
    span: Span = attrs.field(eq=False)
    type: str | None = None
    not_null: bool = False
    default: str | None = None
    default_volatility: Volatility | None = None
    generated: str | None = None
    serial: bool = False
    primary_key: bool = False
    unique: bool = False
    references: ObjectName | None = None

    @property
    def volatile_default(self) -> bool:
        """Every row gets its own computed value: a volatile default, a serial or identity
        column, or a default calling a function of unknown volatility."""
        if self.serial or self.generated == "identity":
            return True
        return self.default_volatility is not None and self.default_volatility.may_rewrite


@attrs.frozen(slots=True)
class ConstraintSpec:
    """A table constraint being added. ``not_valid``: added with ``NOT VALID``, so existing
    rows are not checked until ``VALIDATE CONSTRAINT``. ``using_index``: ``PRIMARY KEY`` or
    ``UNIQUE ... USING INDEX name`` (no index build)."""

    type: ConstraintType
    name: str | None = None
    columns: tuple[str, ...] = ()
    references: ObjectName | None = None
    expression: str | None = None
    not_valid: bool = False
    using_index: str | None = None


@attrs.frozen(slots=True)
class AlterAction:
    """One action of an ``ALTER TABLE``, with its exact ``span`` and source ``text``.

    ``column`` is the column acted on; ``column_def`` the definition of an added column;
    ``type``/``using`` the new type of an ``ALTER COLUMN ... TYPE``; ``default`` and
    ``default_volatility`` the expression of a ``SET DEFAULT``; ``constraint`` the added
    constraint; ``name`` the constraint validated, dropped or renamed; ``new_name`` the
    target of a rename. ``from_tokens`` says the action was read from the parser's tokens
    because its tree held only an opaque command.
    """

    kind: ActionKind
    span: Span = attrs.field(eq=False)
    text: str
    column: str | None = None
    column_def: ColumnSpec | None = None
    type: str | None = None
    using: str | None = None
    default: str | None = None
    default_volatility: Volatility | None = None
    constraint: ConstraintSpec | None = None
    name: str | None = None
    new_name: str | None = None
    if_exists: bool = False
    if_not_exists: bool = False
    cascade: bool = False
    from_tokens: bool = False


@attrs.frozen(slots=True)
class IndexSpec:
    """A ``CREATE INDEX``. ``name`` is ``None`` for an unnamed index; ``columns`` are the
    key expressions as SQL; ``where`` the predicate of a partial index; ``using`` the
    access method when given."""

    name: str | None
    table: ObjectName | None
    unique: bool = False
    concurrently: bool = False
    if_not_exists: bool = False
    columns: tuple[str, ...] = ()
    where: str | None = None
    using: str | None = None


@attrs.frozen(slots=True)
class DropSpec:
    """A ``DROP``: ``object_type`` is lower case (``table``, ``index``, ``view``, ``type``,
    ``materialized view``, ...)."""

    object_type: str
    names: tuple[ObjectName, ...]
    if_exists: bool = False
    cascade: bool = False
    concurrently: bool = False


@attrs.frozen(slots=True)
class StatementSummary:
    """What one statement does; see the module docstring.

    ``table`` is the table the statement acts on (created, altered, indexed, written,
    truncated); ``tables`` every table it names as a target (``TRUNCATE a, b``); ``name``
    the object created or altered when it is not a table (index, view, function, type).
    ``has_where`` is ``None`` outside ``DELETE``/``UPDATE``.
    """

    kind: StatementKind
    analyzed: bool = False
    table: ObjectName | None = None
    tables: tuple[ObjectName, ...] = ()
    name: ObjectName | None = None
    if_exists: bool = False
    if_not_exists: bool = False
    actions: tuple[AlterAction, ...] = ()
    columns: tuple[ColumnSpec, ...] = ()
    constraints: tuple[ConstraintSpec, ...] = ()
    index: IndexSpec | None = None
    drop: DropSpec | None = None
    has_where: bool | None = None
    concurrently: bool = False
