"""Read one statement with sqlglot: its tree, its tokens, and the :class:`StatementSummary` rules query.

sqlglot parses each statement (the lexer has already split them). Its tree decides
whether the statement was understood: a statement node means parsed; an opaque
``Command`` (what sqlglot falls back to for Postgres forms it does not know, such as
``VALIDATE CONSTRAINT`` or a PL/pgSQL ``CREATE FUNCTION``), an error, or a bare expression
(sqlglot reads ``START TRANSACTION`` as a column alias) means not parsed. The summary's
text and spans come from the tokens (see :mod:`.sql_tokens`); for a statement the parser
did not understand, the forms the migrations family needs (``ALTER TABLE`` actions,
``CREATE INDEX``, ``DROP``, ``TRUNCATE``) are read from the tokens alone and everything
else is left unanalyzed.

Two guards keep a pathological statement from costing the scan: statements longer than
:data:`MAX_STATEMENT_CHARS` are not parsed (sqlglot spends about half a second of CPU
and builds some 25,000 tokens per 100,000 characters of ``INSERT``), nor statements nested
deeper than :data:`MAX_NESTING` parentheses (sqlglot recurses per level and reaches
Python's recursion limit before 200; deeper nesting without parentheses, such as
``CASE`` in ``CASE``, ends in a ``RecursionError`` that is caught).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.tokens import Token

from .model import Span
from .sql_summarize import CREATE_MODIFIERS, TRANSACTION_CONTROL, summarize
from .sql_summary import StatementKind, StatementSummary
from .sql_tokens import sqlglot_dialect

__all__ = ["MAX_NESTING", "MAX_STATEMENT_CHARS", "Reading", "kind_from_words", "read_statement"]

MAX_STATEMENT_CHARS = 100_000
MAX_NESTING = 100

K = StatementKind
SpanOf = Callable[[int, int], Span]


class _NoCommandFallbackWarnings(logging.Filter):
    """sqlglot logs a warning for every statement it reads as an opaque command; the model
    reports that on the statement instead of on the scan's stderr."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Falling back to parsing as a 'Command'" not in record.getMessage()


logging.getLogger("sqlglot").addFilter(_NoCommandFallbackWarnings())


@attrs.frozen(slots=True)
class Reading:
    """What reading one statement gave: ``error`` and its statement-relative offsets
    are set whenever ``tree`` is not a parsed statement."""

    tree: Any
    tokens: tuple[Token, ...]
    parsed: bool
    error: str | None
    error_offsets: tuple[int, int] | None
    summary: StatementSummary


def read_statement(sql: str, dialect: str, words: Sequence[str], depth: int, span_of: SpanOf, fold: bool) -> Reading:
    """Parse ``sql`` (one statement) and summarise it; never raises for bad SQL."""
    kind = kind_from_words(words)
    if len(sql) > MAX_STATEMENT_CHARS:
        message = f"statement too long to analyze ({len(sql)} characters; the limit is {MAX_STATEMENT_CHARS})"
        return Reading(None, (), False, message, None, StatementSummary(kind, analyzed=kind in TRANSACTION_CONTROL))
    if depth > MAX_NESTING:
        message = f"statement nested too deeply to analyze ({depth} levels of parentheses; the limit is {MAX_NESTING})"
        return Reading(None, (), False, message, None, StatementSummary(kind, analyzed=kind in TRANSACTION_CONTROL))
    tokens: list[Token] = []
    tree: Any = None
    error: str | None = None
    offsets: tuple[int, int] | None = None
    try:
        tokens = sqlglot_dialect(dialect).tokenize(sql)
        trees = [node for node in sqlglot_dialect(dialect).parser().parse(tokens, sql) if node is not None]
    except ParseError as problem:
        error, offsets = _parse_error(problem, sql)
    except RecursionError:
        error = "statement nested too deeply to analyze"
    except Exception as problem:  # sqlglot's tokenizer and parser raise many types on bad input
        first = str(problem).strip().splitlines()
        error = f"the SQL parser failed: {first[0] if first else type(problem).__name__}"
    else:
        if len(trees) != 1:
            error = f"the SQL parser read {len(trees)} statements here"
        else:
            tree = trees[0]
            if isinstance(tree, exp.Command):
                error = "the SQL parser reads this statement only as an opaque command"
            elif not _is_statement(tree):
                error = "the SQL parser does not read this as a statement"
    parsed = error is None
    if parsed:
        kind = kind_from_tree(tree)
    summary = summarize(kind, tokens, sql, span_of=span_of, fold=fold, parsed=parsed, tree=tree, dialect=dialect)
    return Reading(tree, tuple(tokens), parsed, error, offsets, summary)


_TOKEN_REPR = re.compile(
    r"<Token token_type: TokenType\.\w+, text: (.*?), line: \d+, col: \d+, start: \d+, end: \d+, comments: \[.*?\]>"
)


def _parse_error(problem: ParseError, sql: str) -> tuple[str, tuple[int, int] | None]:
    """One readable line from sqlglot's error, and where it points in the statement."""
    details = problem.errors[0] if problem.errors else {}
    description = _TOKEN_REPR.sub(lambda m: repr(m.group(1)), str(details.get("description") or problem))
    description = description.strip().splitlines()[0] if description.strip() else "syntax error"
    highlight = details.get("highlight") or ""
    line, column = details.get("line"), details.get("col")
    if not isinstance(line, int) or not isinstance(column, int) or line < 1:
        return description, None
    starts = [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", sql)]
    if line > len(starts):
        return description, None
    end = min(len(sql), starts[line - 1] + column)
    start = max(starts[line - 1], end - max(1, len(highlight)))
    if highlight and highlight not in description:
        description = f"{description} near {highlight!r}"
    return description, (start, end)


_STATEMENT_TYPES: tuple[type, ...] = (
    exp.DDL,
    exp.DML,
    exp.Query,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Set,
    exp.Comment,
    exp.Grant,
    exp.Revoke,
    exp.Use,
    exp.Describe,
    exp.Pragma,
    exp.Copy,
    exp.Analyze,
    exp.Alter,
    exp.Drop,
    exp.TruncateTable,
)


def _is_statement(tree: Any) -> bool:
    return isinstance(tree, _STATEMENT_TYPES)


_CREATE_KINDS = {
    "TABLE": K.CREATE_TABLE,
    "INDEX": K.CREATE_INDEX,
    "VIEW": K.CREATE_VIEW,
    "FUNCTION": K.CREATE_FUNCTION,
    "PROCEDURE": K.CREATE_FUNCTION,
    "TRIGGER": K.CREATE_TRIGGER,
    "TYPE": K.CREATE_TYPE,
    "DOMAIN": K.CREATE_TYPE,
    "SEQUENCE": K.CREATE_SEQUENCE,
    "SCHEMA": K.CREATE_SCHEMA,
    "EXTENSION": K.CREATE_EXTENSION,
}
_TREE_KINDS: tuple[tuple[type, StatementKind], ...] = (
    (exp.TruncateTable, K.TRUNCATE),
    (exp.Delete, K.DELETE),
    (exp.Update, K.UPDATE),
    (exp.Insert, K.INSERT),
    (exp.Merge, K.MERGE),
    (exp.Query, K.SELECT),
    (exp.Comment, K.COMMENT),
    (exp.Grant, K.GRANT),
    (exp.Revoke, K.REVOKE),
    (exp.Set, K.SET),
    (exp.Transaction, K.BEGIN),
    (exp.Commit, K.COMMIT),
    (exp.Rollback, K.ROLLBACK),
    (exp.Copy, K.COPY),
    (exp.Describe, K.EXPLAIN),
    (exp.Analyze, K.ANALYZE),
)


def kind_from_tree(tree: Any) -> StatementKind:
    if isinstance(tree, exp.Create):
        return _CREATE_KINDS.get(str(tree.args.get("kind") or "").upper(), K.CREATE)
    if isinstance(tree, exp.Alter):
        return K.ALTER_TABLE if str(tree.args.get("kind") or "").upper() == "TABLE" else K.ALTER
    if isinstance(tree, exp.Drop):
        object_kind = str(tree.args.get("kind") or "").upper()
        if object_kind == "TABLE":
            return K.DROP_TABLE
        return K.DROP_INDEX if object_kind == "INDEX" else K.DROP
    for node_type, kind in _TREE_KINDS:
        if isinstance(tree, node_type):
            return kind
    return K.OTHER


_WORD_KINDS = {
    "truncate": K.TRUNCATE,
    "delete": K.DELETE,
    "update": K.UPDATE,
    "insert": K.INSERT,
    "replace": K.INSERT,
    "merge": K.MERGE,
    "select": K.SELECT,
    "values": K.SELECT,
    "copy": K.COPY,
    "comment": K.COMMENT,
    "grant": K.GRANT,
    "revoke": K.REVOKE,
    "set": K.SET,
    "reset": K.SET,
    "begin": K.BEGIN,
    "commit": K.COMMIT,
    "end": K.COMMIT,
    "rollback": K.ROLLBACK,
    "abort": K.ROLLBACK,
    "savepoint": K.SAVEPOINT,
    "release": K.SAVEPOINT,
    "do": K.DO,
    "call": K.CALL,
    "lock": K.LOCK,
    "vacuum": K.VACUUM,
    "analyze": K.ANALYZE,
    "analyse": K.ANALYZE,
    "reindex": K.REINDEX,
    "refresh": K.REFRESH,
    "explain": K.EXPLAIN,
    "rename": K.RENAME,
}


def kind_from_words(words: Sequence[str]) -> StatementKind:
    """The kind named by a statement's leading keywords (lower case), for statements the
    parser did not understand: the keywords that open a statement say what it is."""
    words = list(words)
    if not words:
        return K.OTHER
    first = words[0]
    if first == "start" and words[1:2] == ["transaction"]:
        return K.BEGIN
    if first == "create":
        for word in words[1:]:
            if word not in CREATE_MODIFIERS:
                return _CREATE_KINDS.get(word.upper(), K.CREATE)
        return K.CREATE
    if first == "alter":
        rest = [word for word in words[1:] if word not in ("online", "ignore")]
        return K.ALTER_TABLE if rest[:1] == ["table"] else K.ALTER
    if first == "drop":
        if words[1:2] == ["table"]:
            return K.DROP_TABLE
        return K.DROP_INDEX if words[1:2] == ["index"] else K.DROP
    return _WORD_KINDS.get(first, K.OTHER)
