"""Read a statement's :class:`~.sql_summary.StatementSummary` from sqlglot's tokens (and tree).

Text and spans come from the tokens (:mod:`.sql_tokens`), which carry exact offsets and
spell types and defaults as written. For a parsed statement the tree has already
confirmed its shape; for one sqlglot read only as an opaque command or rejected, the
forms the migrations family needs (``ALTER TABLE`` actions, ``CREATE TABLE``, ``CREATE
INDEX``, ``DROP``, ``TRUNCATE``, ``LOCK``, ``REFRESH``, names of created objects) are read
from the tokens alone, and a shape the reader does not know leaves the statement
unanalyzed rather than guessed. ``DELETE``, ``UPDATE``, ``INSERT`` and ``MERGE`` are read
from the tree only: a CTE or a subquery can hold a ``WHERE`` that is not the statement's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

from .model import Span
from .sql_functions import volatility_of
from .sql_summary import (
    ActionKind,
    AlterAction,
    ColumnSpec,
    ConstraintSpec,
    ConstraintType,
    DropSpec,
    IndexSpec,
    ObjectName,
    StatementKind,
    StatementSummary,
)
from .sql_tokens import Cursor, expand_keywords, is_name, split_top_level, sqlglot_dialect, word_of

__all__ = ["CREATE_MODIFIERS", "TRANSACTION_CONTROL", "summarize"]

K = StatementKind
SpanOf = Callable[[int, int], Span]

CREATE_MODIFIERS = frozenset(
    {"or", "replace", "temp", "temporary", "unlogged", "global", "local", "unique", "materialized", "recursive",
     "constraint", "trusted", "procedural", "definer", "algorithm", "sql", "security", "fulltext", "spatial",
     "virtual"}
)  # fmt: skip


def summarize(
    kind: StatementKind,
    tokens: Sequence[Token],
    sql: str,
    *,
    span_of: SpanOf,
    fold: bool,
    parsed: bool,
    tree: Any,
    dialect: str,
) -> StatementSummary:
    """The summary of one statement of ``kind``; never raises for bad SQL."""
    return _Summarizer(tuple(tokens), sql, span_of, fold, parsed, tree, dialect).summary(kind)


# Kinds whose meaning is all in their leading keywords; sqlglot reads some of them as
# expressions (START TRANSACTION as a column alias, SAVEPOINT, ABORT).
TRANSACTION_CONTROL = frozenset({K.BEGIN, K.COMMIT, K.ROLLBACK, K.SAVEPOINT})

# Words that end a column's type or a DEFAULT expression (Postgres's DEFAULT takes a
# b_expr, which has no NOT, IS, COLLATE or AND at its top level).
_COLUMN_CLAUSES = frozenset(
    {"CONSTRAINT", "NOT", "NULL", "DEFAULT", "GENERATED", "PRIMARY", "UNIQUE", "CHECK", "REFERENCES", "COLLATE",
     "COMPRESSION", "STORAGE", "DEFERRABLE", "INITIALLY", "AUTO_INCREMENT", "AUTOINCREMENT", "COMMENT", "ON",
     "FIRST", "AFTER", "AS", "VISIBLE", "INVISIBLE", "SRID"}
)  # fmt: skip
_TYPE_END = _COLUMN_CLAUSES | {"CHARACTER", "CHARSET"}
_TABLE_CONSTRAINTS = frozenset({"CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "FOREIGN", "EXCLUDE"})
_SERIAL_TYPES = frozenset({"SERIAL", "SERIAL2", "SERIAL4", "SERIAL8", "SMALLSERIAL", "BIGSERIAL"})
# ALTER TABLE actions that are known but not detailed (Postgres, then MySQL).
_OTHER_ACTIONS = frozenset(
    {"OWNER", "ENABLE", "DISABLE", "SET", "RESET", "ATTACH", "DETACH", "CLUSTER", "INHERIT", "NO", "OF", "NOT",
     "REPLICA", "FORCE", "ALGORITHM", "LOCK", "ENGINE", "CONVERT", "DEFAULT", "CHARACTER", "CHARSET", "COLLATE",
     "AUTO_INCREMENT", "COMMENT", "ORDER", "ROW_FORMAT", "DISCARD", "IMPORT", "TRUNCATE", "COALESCE", "REORGANIZE",
     "EXCHANGE", "ANALYZE", "CHECK", "OPTIMIZE", "REBUILD", "REPAIR", "REMOVE", "PARTITION", "KEY_BLOCK_SIZE"}
)  # fmt: skip
_OBJECT_PHRASES = (
    ("FOREIGN", "DATA", "WRAPPER"),
    ("TEXT", "SEARCH", "CONFIGURATION"),
    ("TEXT", "SEARCH", "DICTIONARY"),
    ("TEXT", "SEARCH", "PARSER"),
    ("TEXT", "SEARCH", "TEMPLATE"),
    ("MATERIALIZED", "VIEW"),
    ("FOREIGN", "TABLE"),
    ("EVENT", "TRIGGER"),
    ("ACCESS", "METHOD"),
    ("OPERATOR", "CLASS"),
    ("OPERATOR", "FAMILY"),
    ("USER", "MAPPING"),
    ("LARGE", "OBJECT"),
)


def _command_tokens(tokens: Sequence[Token], sql: str, dialect: str) -> Sequence[Token]:
    """sqlglot's tokenizer keeps the rest of a command statement (``LOCK``, ``REFRESH``,
    ``REINDEX``, ``VACUUM``, ``DO``, ...) as one string; tokenize that rest too."""
    if len(tokens) != 2 or tokens[1].token_type != TokenType.STRING:
        return tokens
    if tokens[0].token_type not in sqlglot_dialect(dialect).tokenizer_class.COMMANDS:
        return tokens
    base = sql.find(tokens[1].text, tokens[0].end + 1)
    if base < 0:
        return tokens
    try:
        rest = sqlglot_dialect(dialect).tokenize(sql[base:])
    except Exception:  # the rest need not be valid for the tokenizer
        return tokens
    shifted = [
        Token(token.token_type, token.text, token.line, token.col, token.start + base, token.end + base)
        for token in rest
    ]
    return [tokens[0], *shifted]


class _Unreadable(Exception):
    """The tokens do not have a shape the summary knows."""


class _Summarizer:
    """Builds a :class:`StatementSummary` from one statement's tokens (and tree, when parsed)."""

    def __init__(
        self, tokens: tuple[Token, ...], sql: str, span_of: SpanOf, fold: bool, parsed: bool, tree: Any, dialect: str
    ):
        self.tokens = expand_keywords(_command_tokens(tokens, sql, dialect), sql)
        self.sql = sql
        self.span_of = span_of
        self.fold = fold
        self.parsed = parsed
        self.tree = tree

    def summary(self, kind: StatementKind) -> StatementSummary:
        reader = _READERS.get(kind)
        if reader is None:
            return StatementSummary(
                kind, analyzed=self.parsed or kind in TRANSACTION_CONTROL or self.opaque_with_kind(kind)
            )
        if not self.tokens:
            return StatementSummary(kind)
        if not self.parsed and not isinstance(self.tree, exp.Command) and kind not in _STRICT_READERS:
            # The parser rejected the statement: only readers that consume every token may
            # stand in for it (an opaque command is a form sqlglot does not know; an error
            # is as likely to be a real syntax error).
            return StatementSummary(kind, analyzed=kind in TRANSACTION_CONTROL)
        try:
            return reader(self, kind)
        except (_Unreadable, RecursionError):
            return StatementSummary(kind)

    def opaque_with_kind(self, kind: StatementKind) -> bool:
        """sqlglot reads some statements only as commands by design (DO, VACUUM, CALL): for a
        kind whose summary holds nothing else, knowing the kind is knowing all of it."""
        return isinstance(self.tree, exp.Command) and kind is not K.OTHER

    # -- helpers ------------------------------------------------------------------------

    def text(self, tokens: Sequence[Token]) -> str:
        return self.sql[tokens[0].start : tokens[-1].end + 1] if tokens else ""

    def span(self, tokens: Sequence[Token]) -> Span:
        return self.span_of(tokens[0].start, tokens[-1].end + 1)

    def ident(self, token: Token) -> str:
        if token.token_type == TokenType.IDENTIFIER or not self.fold:
            return token.text
        return token.text.lower()

    def object_name(self, parts: Sequence[Token] | None) -> ObjectName:
        if not parts:
            raise _Unreadable
        names = [self.ident(part) for part in parts]
        catalog = names[-3] if len(names) >= 3 else None
        schema = names[-2] if len(names) >= 2 else None
        return ObjectName(names[-1], schema, catalog, self.span(parts))

    def column_names(self, group: Sequence[Token] | None) -> tuple[str, ...]:
        if not group:
            return ()
        names = []
        for part in split_top_level(group):
            names.append(self.ident(part[0]) if len(part) == 1 and is_name(part[0]) else self.text(part))
        return tuple(names)

    def name_of(self, cursor: Cursor) -> ObjectName:
        return self.object_name(cursor.name_tokens())

    def single_name(self, cursor: Cursor) -> str:
        token = cursor.next()
        if not is_name(token):
            raise _Unreadable
        assert token is not None
        return self.ident(token)

    @staticmethod
    def object_type(cursor: Cursor) -> str:
        for phrase in _OBJECT_PHRASES:
            if cursor.accept(*phrase):
                return " ".join(phrase).lower()
        word = cursor.word()
        if word is None:
            raise _Unreadable
        cursor.next()
        return word.lower()

    # -- statements ---------------------------------------------------------------------

    def alter_table(self, kind: StatementKind) -> StatementSummary:
        cursor = Cursor(self.tokens)
        if not cursor.accept("ALTER"):
            raise _Unreadable
        while cursor.accept_any("ONLINE", "IGNORE"):
            pass
        if not cursor.accept("TABLE"):
            raise _Unreadable
        if_exists = cursor.accept("IF", "EXISTS")
        cursor.accept("ONLY")
        table = self.name_of(cursor)
        if cursor.peek() is not None and cursor.peek().token_type == TokenType.STAR:  # type: ignore[union-attr]
            cursor.next()
        segments = split_top_level(cursor.rest())
        if not segments:
            raise _Unreadable
        actions = []
        analyzed = True
        for segment in segments:
            action = self.action(segment)
            if action is None:
                analyzed = False
                action = AlterAction(ActionKind.OTHER, self.span(segment), self.text(segment), from_tokens=True)
            actions.append(action)
        return StatementSummary(
            kind, analyzed, table=table, tables=(table,), if_exists=if_exists, actions=tuple(actions)
        )

    def action(self, segment: list[Token]) -> AlterAction | None:
        """One ``ALTER TABLE`` action, or ``None`` when its shape is not one the summary knows."""
        cursor = Cursor(segment)
        fields: dict[str, Any] = {}
        try:
            kind = self._action(cursor, fields)
        except _Unreadable:
            return None
        return AlterAction(kind, self.span(segment), self.text(segment), from_tokens=not self.parsed, **fields)

    def _action(self, cursor: Cursor, fields: dict[str, Any]) -> ActionKind:
        A = ActionKind
        if cursor.accept("ADD"):
            if cursor.word() in _TABLE_CONSTRAINTS:
                fields["constraint"] = self.table_constraint(cursor)
                fields["name"] = fields["constraint"].name
                return A.ADD_CONSTRAINT
            if cursor.word() in ("INDEX", "KEY", "FULLTEXT", "SPATIAL", "PARTITION"):
                return A.OTHER
            cursor.accept("COLUMN")
            fields["if_not_exists"] = cursor.accept("IF", "NOT", "EXISTS")
            column = self.column_def(cursor)
            fields["column_def"] = column
            fields["column"] = column.name
            return A.ADD_COLUMN
        if cursor.accept("DROP"):
            if cursor.accept("CONSTRAINT") or cursor.accept("FOREIGN", "KEY") or cursor.accept("CHECK"):
                fields["if_exists"] = cursor.accept("IF", "EXISTS")
                fields["name"] = self.single_name(cursor)
                fields["cascade"] = self.drop_behaviour(cursor)
                return A.DROP_CONSTRAINT
            if cursor.word() in ("INDEX", "KEY", "PRIMARY", "PARTITION"):
                return A.OTHER
            cursor.accept("COLUMN")
            fields["if_exists"] = cursor.accept("IF", "EXISTS")
            fields["column"] = self.single_name(cursor)
            fields["cascade"] = self.drop_behaviour(cursor)
            return A.DROP_COLUMN
        if cursor.accept("ALTER"):
            if cursor.word() in ("CONSTRAINT", "INDEX", "CHECK"):
                return A.OTHER
            cursor.accept("COLUMN")
            fields["column"] = self.single_name(cursor)
            if cursor.accept("SET", "DATA", "TYPE") or cursor.accept("TYPE"):
                type_tokens = cursor.until(frozenset({"COLLATE", "USING"}))
                if not type_tokens:
                    raise _Unreadable
                fields["type"] = self.text(type_tokens)
                if cursor.accept("COLLATE"):
                    cursor.name_tokens()
                if cursor.accept("USING"):
                    using = cursor.rest()
                    if not using:
                        raise _Unreadable
                    fields["using"] = self.text(using)
                self.expect_end(cursor)
                return A.ALTER_COLUMN_TYPE
            if cursor.accept("SET", "NOT", "NULL"):
                self.expect_end(cursor)
                return A.SET_NOT_NULL
            if cursor.accept("DROP", "NOT", "NULL"):
                self.expect_end(cursor)
                return A.DROP_NOT_NULL
            if cursor.accept("SET", "DEFAULT"):
                default = cursor.rest()
                if not default:
                    raise _Unreadable
                fields["default"] = self.text(default)
                fields["default_volatility"] = volatility_of(default)
                return A.SET_DEFAULT
            if cursor.accept("DROP", "DEFAULT"):
                self.expect_end(cursor)
                return A.DROP_DEFAULT
            if cursor.done:
                raise _Unreadable
            return A.OTHER
        if cursor.accept("VALIDATE", "CONSTRAINT"):
            fields["name"] = self.single_name(cursor)
            self.expect_end(cursor)
            return A.VALIDATE_CONSTRAINT
        if cursor.accept("RENAME"):
            if cursor.accept_any("TO", "AS"):
                fields["new_name"] = self.single_name(cursor)
                self.expect_end(cursor)
                return A.RENAME_TABLE
            if cursor.word() in ("INDEX", "KEY"):
                return A.OTHER
            constraint = cursor.accept("CONSTRAINT")
            if not constraint:
                cursor.accept("COLUMN")
            old = self.single_name(cursor)
            if not cursor.accept("TO"):
                raise _Unreadable
            fields["new_name"] = self.single_name(cursor)
            self.expect_end(cursor)
            if constraint:
                fields["name"] = old
                return A.RENAME_CONSTRAINT
            fields["column"] = old
            return A.RENAME_COLUMN
        if cursor.accept("MODIFY"):
            cursor.accept("COLUMN")
            column = self.column_def(cursor)
            fields.update(column=column.name, column_def=column, type=column.type)
            return A.ALTER_COLUMN_TYPE
        if cursor.accept("CHANGE"):
            cursor.accept("COLUMN")
            fields["column"] = self.single_name(cursor)
            column = self.column_def(cursor)
            fields.update(column_def=column, type=column.type, new_name=column.name)
            return A.ALTER_COLUMN_TYPE
        if cursor.word() in _OTHER_ACTIONS:
            return A.OTHER
        raise _Unreadable

    @staticmethod
    def drop_behaviour(cursor: Cursor) -> bool:
        cascade = cursor.accept_any("CASCADE", "RESTRICT") == "CASCADE"
        _Summarizer.expect_end(cursor)
        return cascade

    @staticmethod
    def expect_end(cursor: Cursor) -> None:
        if not cursor.done:
            raise _Unreadable

    def column_def(self, cursor: Cursor) -> ColumnSpec:
        """``name type [clauses]`` up to the end of the cursor's tokens."""
        name_token = cursor.next()
        if not is_name(name_token):
            raise _Unreadable
        assert name_token is not None
        type_tokens = (
            cursor.until(_TYPE_END, at_least=1) if not cursor.done and cursor.word() not in _COLUMN_CLAUSES else []
        )
        type_text = self.text(type_tokens) if type_tokens else None
        fields: dict[str, Any] = {
            "serial": bool(type_tokens) and len(type_tokens) == 1 and word_of(type_tokens[0]) in _SERIAL_TYPES
        }
        while not cursor.done:
            self.column_clause(cursor, fields)
        return ColumnSpec(self.ident(name_token), self.span([name_token]), type_text, **fields)

    def column_clause(self, cursor: Cursor, fields: dict[str, Any]) -> None:
        if cursor.accept("CONSTRAINT"):
            self.single_name(cursor)
        elif cursor.accept("NOT", "NULL"):
            fields["not_null"] = True
        elif cursor.accept("NULL") or cursor.accept("NOT", "DEFERRABLE") or cursor.accept("DEFERRABLE"):
            pass
        elif cursor.accept("INITIALLY"):
            cursor.accept_any("DEFERRED", "IMMEDIATE")
        elif cursor.accept("DEFAULT"):
            default = cursor.until(_COLUMN_CLAUSES, at_least=1)
            if not default:
                raise _Unreadable
            fields["default"] = self.text(default)
            fields["default_volatility"] = volatility_of(default)
        elif cursor.accept("GENERATED"):
            if not (cursor.accept("ALWAYS") or cursor.accept("BY", "DEFAULT")) or not cursor.accept("AS"):
                raise _Unreadable
            if cursor.accept("IDENTITY"):
                fields["generated"] = "identity"
                cursor.skip_group()
            else:
                self.generated_expression(cursor, fields)
        elif cursor.accept("AS"):
            self.generated_expression(cursor, fields)
        elif cursor.accept("PRIMARY", "KEY"):
            fields["primary_key"] = True
            cursor.until(_COLUMN_CLAUSES)
        elif cursor.accept("UNIQUE"):
            fields["unique"] = True
            cursor.until(_COLUMN_CLAUSES - {"NOT", "NULL"})
        elif cursor.accept("CHECK"):
            if cursor.skip_group() is None:
                raise _Unreadable
            cursor.accept("NO", "INHERIT")
        elif cursor.accept("REFERENCES"):
            fields["references"] = self.name_of(cursor)
            cursor.skip_group()
            self.reference_actions(cursor)
        elif cursor.accept("COLLATE"):
            if cursor.name_tokens() is None:
                raise _Unreadable
        elif cursor.accept_any("COMPRESSION", "STORAGE", "SRID"):
            cursor.next()
        elif cursor.accept_any("AUTO_INCREMENT", "AUTOINCREMENT", "FIRST", "VISIBLE", "INVISIBLE"):
            if cursor.word(-1) in ("AUTO_INCREMENT", "AUTOINCREMENT"):
                fields["serial"] = True
        elif cursor.accept_any("AFTER", "COMMENT"):
            cursor.next()
        elif cursor.accept("ON", "UPDATE"):
            cursor.until(_COLUMN_CLAUSES, at_least=1)
        elif cursor.accept("CHARACTER", "SET") or cursor.accept("CHARSET"):
            cursor.next()
        else:
            raise _Unreadable

    @staticmethod
    def generated_expression(cursor: Cursor, fields: dict[str, Any]) -> None:
        if cursor.skip_group() is None:
            raise _Unreadable
        fields["generated"] = "stored" if cursor.accept("STORED") or cursor.accept("PERSISTENT") else "virtual"
        cursor.accept("VIRTUAL")

    @staticmethod
    def reference_actions(cursor: Cursor) -> None:
        while True:
            if cursor.accept("MATCH"):
                cursor.next()
            elif cursor.accept("ON"):
                if not cursor.accept_any("DELETE", "UPDATE"):
                    raise _Unreadable
                if cursor.accept("SET"):
                    cursor.next()
                    cursor.skip_group()
                elif cursor.accept("NO", "ACTION"):
                    pass
                elif not cursor.accept_any("CASCADE", "RESTRICT"):
                    raise _Unreadable
            else:
                return

    def table_constraint(self, cursor: Cursor) -> ConstraintSpec:
        tokens = cursor.rest()
        not_valid = len(tokens) >= 2 and word_of(tokens[-2]) == "NOT" and word_of(tokens[-1]) == "VALID"
        if not_valid:
            tokens = tokens[:-2]
        inner = Cursor(tokens)
        name = self.single_name(inner) if inner.accept("CONSTRAINT") else None
        fields: dict[str, Any] = {"name": name, "not_valid": not_valid}
        if inner.accept("CHECK"):
            group = inner.skip_group()
            if not group:
                raise _Unreadable
            fields["expression"] = self.text(group)
            return ConstraintSpec(ConstraintType.CHECK, **fields)
        if inner.accept("UNIQUE") or inner.accept("PRIMARY", "KEY"):
            kind = ConstraintType.UNIQUE if inner.word(-1) == "UNIQUE" else ConstraintType.PRIMARY_KEY
            inner.accept("NULLS", "NOT", "DISTINCT") or inner.accept("NULLS", "DISTINCT")
            self.skip_index_name(inner)
            if inner.accept("USING", "INDEX"):
                fields["using_index"] = self.single_name(inner)
            else:
                group = inner.skip_group()
                if group is None:
                    raise _Unreadable
                fields["columns"] = self.column_names(group)
            return ConstraintSpec(kind, **fields)
        if inner.accept("FOREIGN", "KEY"):
            self.skip_index_name(inner)
            group = inner.skip_group()
            if group is None or not inner.accept("REFERENCES"):
                raise _Unreadable
            fields["columns"] = self.column_names(group)
            fields["references"] = self.name_of(inner)
            return ConstraintSpec(ConstraintType.FOREIGN_KEY, **fields)
        if inner.accept("EXCLUDE"):
            return ConstraintSpec(ConstraintType.EXCLUDE, **fields)
        raise _Unreadable

    @staticmethod
    def skip_index_name(cursor: Cursor) -> None:
        """MySQL: ``UNIQUE [KEY|INDEX] [name] (...)``, ``FOREIGN KEY [name] (...)``."""
        cursor.accept_any("KEY", "INDEX")
        if is_name(cursor.peek()) and cursor.word() not in ("USING", "NULLS"):
            cursor.next()

    def create_table(self, kind: StatementKind) -> StatementSummary:
        cursor = Cursor(self.tokens)
        cursor.accept("CREATE")
        while cursor.accept_any("OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "VIRTUAL"):
            pass
        if not cursor.accept("TABLE"):
            raise _Unreadable
        if_not_exists = cursor.accept("IF", "NOT", "EXISTS")
        table = self.name_of(cursor)
        columns: list[ColumnSpec] = []
        constraints: list[ConstraintSpec] = []
        group = cursor.skip_group()
        for element in split_top_level(group or []):
            inner = Cursor(element)
            if inner.word() in _TABLE_CONSTRAINTS:
                constraints.append(self.table_constraint(inner))
            elif inner.word() in ("LIKE", "INDEX", "KEY", "FULLTEXT", "SPATIAL", "PERIOD"):
                continue
            else:
                columns.append(self.column_def(inner))
        return StatementSummary(
            kind,
            True,
            table=table,
            tables=(table,),
            name=table,
            if_not_exists=if_not_exists,
            columns=tuple(columns),
            constraints=tuple(constraints),
        )

    def create_index(self, kind: StatementKind) -> StatementSummary:
        cursor = Cursor(self.tokens)
        cursor.accept("CREATE")
        unique = cursor.accept("UNIQUE")
        cursor.accept_any("FULLTEXT", "SPATIAL")
        if not cursor.accept("INDEX"):
            raise _Unreadable
        concurrently = cursor.accept("CONCURRENTLY")
        if_not_exists = cursor.accept("IF", "NOT", "EXISTS")
        name = None if cursor.word() == "ON" else self.name_of(cursor)
        using = None
        if cursor.accept("USING"):
            using = (cursor.word() or "").lower() or None
            cursor.next()
        if not cursor.accept("ON"):
            raise _Unreadable
        cursor.accept("ONLY")
        table = self.name_of(cursor)
        if cursor.accept("USING"):
            using = (cursor.word() or "").lower() or None
            cursor.next()
        group = cursor.skip_group()
        if group is None:
            raise _Unreadable
        columns = tuple(self.text(part) for part in split_top_level(group))
        rest = cursor.rest()
        where = None
        depth = 0
        for index, token in enumerate(rest):
            if token.token_type == TokenType.L_PAREN:
                depth += 1
            elif token.token_type == TokenType.R_PAREN:
                depth -= 1
            elif depth == 0 and word_of(token) == "WHERE" and rest[index + 1 :]:
                where = self.text(rest[index + 1 :])
                break
        index_spec = IndexSpec(
            name.name if name else None, table, unique, concurrently, if_not_exists, columns, where, using
        )
        return StatementSummary(
            kind,
            True,
            table=table,
            tables=(table,),
            name=name,
            if_not_exists=if_not_exists,
            index=index_spec,
            concurrently=concurrently,
        )

    def drop(self, kind: StatementKind) -> StatementSummary:
        cursor = Cursor(self.tokens)
        cursor.accept("DROP")
        object_type = self.object_type(cursor)
        concurrently = cursor.accept("CONCURRENTLY")
        if_exists = cursor.accept("IF", "EXISTS")
        names = [self.name_of(cursor)]
        cursor.skip_group()
        while cursor.peek() is not None and cursor.peek().token_type == TokenType.COMMA:  # type: ignore[union-attr]
            cursor.next()
            names.append(self.name_of(cursor))
            cursor.skip_group()
        table = None
        if cursor.accept("ON"):
            table = self.name_of(cursor)
        cascade = cursor.accept_any("CASCADE", "RESTRICT") == "CASCADE"
        self.expect_end(cursor)
        spec = DropSpec(object_type, tuple(names), if_exists, cascade, concurrently)
        tables = tuple(names) if object_type == "table" else ((table,) if table else ())
        return StatementSummary(
            kind,
            True,
            table=tables[0] if tables else None,
            tables=tables,
            name=names[0],
            if_exists=if_exists,
            drop=spec,
            concurrently=concurrently,
        )

    def truncate(self, kind: StatementKind) -> StatementSummary:
        cursor = Cursor(self.tokens)
        cursor.accept("TRUNCATE")
        cursor.accept("TABLE")
        tables = []
        while True:
            cursor.accept("ONLY")
            tables.append(self.name_of(cursor))
            if cursor.peek() is not None and cursor.peek().token_type == TokenType.STAR:  # type: ignore[union-attr]
                cursor.next()
            if cursor.peek() is None or cursor.peek().token_type != TokenType.COMMA:  # type: ignore[union-attr]
                break
            cursor.next()
        if cursor.accept_any("RESTART", "CONTINUE") and not cursor.accept("IDENTITY"):
            raise _Unreadable
        cursor.accept_any("CASCADE", "RESTRICT")
        self.expect_end(cursor)
        return StatementSummary(kind, True, table=tables[0], tables=tuple(tables))

    def dml(self, kind: StatementKind) -> StatementSummary:
        """DELETE, UPDATE, INSERT, MERGE: read from the tree only (a CTE or a subquery can
        hold a WHERE that is not the statement's own)."""
        if not self.parsed:
            return StatementSummary(kind)
        target = self.tree.this
        if isinstance(target, exp.Schema):
            target = target.this
        table = self.table_name(target) if isinstance(target, exp.Table) else None
        has_where = self.tree.args.get("where") is not None if kind in (K.DELETE, K.UPDATE) else None
        return StatementSummary(kind, True, table=table, tables=(table,) if table else (), has_where=has_where)

    def table_name(self, table: exp.Table) -> ObjectName | None:
        parts = [part for part in (table.args.get("catalog"), table.args.get("db"), table.this) if part is not None]
        if not all(isinstance(part, exp.Identifier) for part in parts):
            return None
        names = [part.this if part.quoted or not self.fold else part.this.lower() for part in parts]
        metas = [part.meta for part in parts if "start" in part.meta]
        span = self.span_of(metas[0]["start"], metas[-1]["end"] + 1) if len(metas) == len(parts) else None
        catalog = names[-3] if len(names) >= 3 else None
        schema = names[-2] if len(names) >= 2 else None
        return ObjectName(names[-1], schema, catalog, span)

    def named_object(self, kind: StatementKind) -> StatementSummary:
        """CREATE/ALTER/COMMENT ON of anything but a table or an index: the object's name,
        and the table a trigger is on."""
        cursor = Cursor(self.tokens)
        verb = cursor.accept_any("CREATE", "ALTER", "COMMENT", "REFRESH", "REINDEX", "LOCK")
        if verb is None:
            raise _Unreadable
        if verb == "COMMENT" and not cursor.accept("ON"):
            raise _Unreadable
        if verb == "CREATE":
            while cursor.word() is not None and cursor.word().lower() in CREATE_MODIFIERS - {"materialized"}:  # type: ignore[union-attr]
                cursor.next()
        if verb == "REINDEX":
            cursor.skip_group()
        if verb == "LOCK":
            cursor.accept("TABLE")
            return self.lock(cursor, kind)
        self.object_type(cursor)
        concurrently = cursor.accept("CONCURRENTLY")
        if_not_exists = cursor.accept("IF", "NOT", "EXISTS")
        if_exists = cursor.accept("IF", "EXISTS")
        name = self.name_of(cursor)
        table = None
        if kind is K.CREATE_TRIGGER:
            while not cursor.done and not cursor.accept("ON"):
                cursor.next()
            table = self.name_of(cursor) if is_name(cursor.peek()) else None
        return StatementSummary(
            kind,
            True,
            table=table,
            tables=(table,) if table else (),
            name=name,
            if_exists=if_exists,
            if_not_exists=if_not_exists,
            concurrently=concurrently,
        )

    def lock(self, cursor: Cursor, kind: StatementKind) -> StatementSummary:
        tables = []
        while True:
            cursor.accept("ONLY")
            tables.append(self.name_of(cursor))
            if cursor.peek() is not None and cursor.peek().token_type == TokenType.STAR:  # type: ignore[union-attr]
                cursor.next()
            if cursor.peek() is None or cursor.peek().token_type != TokenType.COMMA:  # type: ignore[union-attr]
                break
            cursor.next()
        return StatementSummary(kind, True, table=tables[0], tables=tuple(tables))


# Readers that consume every token of the statement, so they may read one sqlglot rejected.
_STRICT_READERS = frozenset({K.DROP_TABLE, K.DROP_INDEX, K.DROP, K.TRUNCATE})

_READERS: dict[StatementKind, Callable[[_Summarizer, StatementKind], StatementSummary]] = {
    K.ALTER_TABLE: _Summarizer.alter_table,
    K.CREATE_TABLE: _Summarizer.create_table,
    K.CREATE_INDEX: _Summarizer.create_index,
    K.DROP_TABLE: _Summarizer.drop,
    K.DROP_INDEX: _Summarizer.drop,
    K.DROP: _Summarizer.drop,
    K.TRUNCATE: _Summarizer.truncate,
    K.DELETE: _Summarizer.dml,
    K.UPDATE: _Summarizer.dml,
    K.INSERT: _Summarizer.dml,
    K.MERGE: _Summarizer.dml,
    K.CREATE_VIEW: _Summarizer.named_object,
    K.CREATE_FUNCTION: _Summarizer.named_object,
    K.CREATE_TRIGGER: _Summarizer.named_object,
    K.CREATE_TYPE: _Summarizer.named_object,
    K.CREATE_SEQUENCE: _Summarizer.named_object,
    K.CREATE_SCHEMA: _Summarizer.named_object,
    K.CREATE_EXTENSION: _Summarizer.named_object,
    K.CREATE: _Summarizer.named_object,
    K.ALTER: _Summarizer.named_object,
    K.COMMENT: _Summarizer.named_object,
    K.REFRESH: _Summarizer.named_object,
    K.REINDEX: _Summarizer.named_object,
    K.LOCK: _Summarizer.named_object,
}
