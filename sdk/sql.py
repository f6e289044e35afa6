"""The model of a SQL file: its statements, comments and client commands, each with its span.

Loading a file only splits it (:mod:`.sql_lexer`, fast, and the only step that can fail:
an unterminated quote or comment is a :class:`~.errors.LoadError`). Each statement is
parsed by sqlglot on first use (:mod:`.sql_reader`): ``statement.tree`` is sqlglot's
expression, ``statement.summary`` the parser-independent :class:`~.sql_summary.StatementSummary`
the migrations family reads. A statement that does not parse is kept, with
``parsed=False`` and the parser's ``error``; when ``analyzed`` is false, rules must treat
it as "could not analyze", never as safe.

``parse_sql`` reads SQL found elsewhere (``op.execute("...")`` in a migration, Django's
``RunSQL``) with spans already placed where the text starts in its file.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import attrs

from .errors import LoadError
from .files import SourceFile
from .model import FileKind, Span
from .sql_lexer import DIALECTS, RawStatement, SqlLexError, lex_sql
from .sql_summary import ObjectName, StatementKind, StatementSummary

if TYPE_CHECKING:  # sqlglot is imported when a statement is first read, not with the rules
    from .sql_reader import Reading

__all__ = ["ClientCommand", "SqlComment", "SqlFile", "SqlStatement", "load_sql", "parse_sql"]

_NEWLINE = re.compile(r"\r\n|\r|\n")


class _Positions:
    """Turns offsets into spans, for a text that starts at ``line``:``column`` of its file."""

    __slots__ = ("_starts", "column", "line", "text")

    def __init__(self, text: str, line: int = 1, column: int = 1) -> None:
        self.text = text
        self.line = line
        self.column = column
        self._starts: list[int] | None = None

    def span(self, start: int, end: int) -> Span:
        if self._starts is None:
            self._starts = [0] + [match.end() for match in _NEWLINE.finditer(self.text)]
        starts = self._starts
        line = bisect.bisect_right(starts, start) - 1
        end_line = bisect.bisect_right(starts, max(start, end - 1)) - 1 if end > start else line
        column = start - starts[line] + 1
        end_column = end - starts[end_line] + 1 if end > start else column + 1
        if line == 0:
            column += self.column - 1
        if end_line == 0:
            end_column += self.column - 1
        return Span(line + self.line, column, end_line + self.line, end_column)

    def line_of(self, offset: int) -> int:
        return self.span(offset, offset).line


@attrs.frozen(slots=True)
class SqlComment:
    """A ``--``, ``#`` or ``/* */`` comment, kept because migration tools read annotations
    in them (``-- +goose NO TRANSACTION``, ``-- migrate:up``). ``text`` includes the markers."""

    span: Span
    text: str

    @property
    def body(self) -> str:
        """The comment without its markers, stripped."""
        text = self.text
        if text.startswith("/*"):
            return text[2:-2].strip()
        return text[2:].strip() if text.startswith("--") else text[1:].strip()


@attrs.frozen(slots=True)
class ClientCommand:
    """A command for the client, not SQL: a psql meta-command (``\\connect db``,
    ``\\set ON_ERROR_STOP on``) or the mysql client's ``DELIMITER``."""

    span: Span
    text: str

    @property
    def name(self) -> str:
        """``connect`` for ``\\connect db``, ``delimiter`` for ``DELIMITER //``."""
        words = self.text.lstrip("\\").split(maxsplit=1)
        return words[0].lower() if words else ""

    @property
    def argument(self) -> str:
        words = self.text.lstrip("\\").split(maxsplit=1)
        return words[1].strip() if len(words) > 1 else ""


@attrs.frozen(slots=True)
class SqlStatement:
    """One SQL statement: exact ``span`` and ``text`` (without the terminating ``;``).

    ``index`` is its position in the file (0-based); ``in_transaction`` says it runs inside
    an explicit ``BEGIN``/``START TRANSACTION`` block (the closing ``COMMIT`` does too, the
    opening ``BEGIN`` does not); ``terminated`` that a ``;`` (or the client's delimiter)
    ended it; ``data_span`` is the data after a ``COPY ... FROM stdin``.

    Parsed on first use: ``tree`` (sqlglot's expression, or ``None``), ``tokens``
    (sqlglot's), ``parsed``, ``error`` and ``error_span`` (why it is not parsed),
    ``summary`` with the shortcuts ``kind``, ``table`` and ``analyzed``.
    """

    span: Span
    text: str
    index: int
    dialect: str
    in_transaction: bool = False
    terminated: bool = True
    data_span: Span | None = None
    _raw: RawStatement = attrs.field(default=None, eq=False, repr=False)
    _positions: _Positions = attrs.field(default=None, eq=False, repr=False)

    @cached_property
    def _reading(self) -> Reading:
        from .sql_reader import read_statement

        raw, positions = self._raw, self._positions
        sql = self.text
        for start, end in raw.blanks:
            sql = sql[: start - raw.start] + " " * (end - start) + sql[end - raw.start :]
        offset = raw.start
        return read_statement(
            sql,
            self.dialect,
            raw.words,
            raw.depth,
            lambda start, end: positions.span(offset + start, offset + end),
            self.dialect == "postgres",
        )

    @property
    def tree(self) -> Any:
        """sqlglot's expression for the statement (an ``exp.Command`` when sqlglot read it
        only as an opaque command), or ``None`` when it did not parse."""
        return self._reading.tree

    @property
    def tokens(self) -> tuple[Any, ...]:
        """sqlglot's tokens (offsets relative to ``text``; see :meth:`span_of`)."""
        return self._reading.tokens

    @property
    def parsed(self) -> bool:
        """Whether the parser built a statement tree (not an error, not an opaque command)."""
        return self._reading.parsed

    @property
    def error(self) -> str | None:
        """Why the statement is not parsed, in one line; ``None`` when it is."""
        return self._reading.error

    @property
    def error_span(self) -> Span | None:
        """Where the parser stopped, when it says; else ``None`` (report at ``span``)."""
        offsets = self._reading.error_offsets
        if offsets is None:
            return None
        return self._positions.span(self._raw.start + offsets[0], self._raw.start + offsets[1])

    @property
    def summary(self) -> StatementSummary:
        return self._reading.summary

    @property
    def kind(self) -> StatementKind:
        return self._reading.summary.kind

    @property
    def table(self) -> ObjectName | None:
        return self._reading.summary.table

    @property
    def analyzed(self) -> bool:
        """Whether the summary is complete; when false only ``kind`` is known."""
        return self._reading.summary.analyzed

    def span_of(self, item: Any) -> Span:
        """The span of one of :attr:`tokens`, or of a tree node: sqlglot records positions
        on identifiers and literals, so a node spans the positioned nodes inside it (from
        ``a`` to ``7`` for ``a = 7``). The statement's span when nothing is positioned."""
        start = getattr(item, "start", None)
        end = getattr(item, "end", None)
        if not isinstance(start, int) and hasattr(item, "walk"):
            metas = [node.meta for node in item.walk() if isinstance(node.meta.get("start"), int)]
            if metas:
                start = min(meta["start"] for meta in metas)
                end = max(meta["end"] for meta in metas)
        if not isinstance(start, int) or not isinstance(end, int):
            return self.span
        return self._positions.span(self._raw.start + start, self._raw.start + end + 1)


class SqlFile(SourceFile):
    """A SQL file: ``statements`` in order, ``comments``, ``commands`` (client commands such
    as psql's ``\\connect``), all with exact spans; ``dialect`` is how it was read."""

    kind = FileKind.SQL

    def __init__(
        self,
        path: str,
        text: str,
        statements: Sequence[SqlStatement],
        comments: Sequence[SqlComment],
        commands: Sequence[ClientCommand],
        dialect: str = "postgres",
    ) -> None:
        super().__init__(path, text)
        self.statements = tuple(statements)
        self.comments = tuple(comments)
        self.commands = tuple(commands)
        self.dialect = dialect

    def of_kind(self, *kinds: StatementKind | str) -> Iterator[SqlStatement]:
        """The statements of the given kinds, in order (parses them to learn their kind)."""
        wanted = {StatementKind(kind) for kind in kinds}
        return (statement for statement in self.statements if statement.kind in wanted)

    def statement_at(self, line: int) -> SqlStatement | None:
        """The statement that covers ``line``, if any."""
        for statement in self.statements:
            if statement.span.line <= line <= statement.span.end_line:
                return statement
        return None


def load_sql(path: str, text: str, *, dialect: str = "postgres") -> SqlFile:
    """Split a SQL file into statements (Postgres by default; ``mysql``, ``sqlite``).
    :class:`LoadError` for an unterminated quote, dollar quote or comment."""
    positions = _Positions(text)
    statements, comments, commands = _read(text, dialect, positions)
    return SqlFile(path, text, statements, comments, commands, dialect)


def parse_sql(text: str, *, line: int = 1, column: int = 1, dialect: str = "postgres") -> tuple[SqlStatement, ...]:
    """The statements of SQL found inside another file, spans placed as if ``text``
    started at ``line``:``column`` there (exact when the text was written without escape
    sequences). :class:`LoadError` as for :func:`load_sql`."""
    if line < 1 or column < 1:
        raise ValueError("line and column are 1-based")
    statements, _, _ = _read(text, dialect, _Positions(text, line, column))
    return statements


def _read(
    text: str, dialect: str, positions: _Positions
) -> tuple[tuple[SqlStatement, ...], tuple[SqlComment, ...], tuple[ClientCommand, ...]]:
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}; dialects: {', '.join(DIALECTS)}")
    try:
        lexed = lex_sql(text, dialect)
    except SqlLexError as problem:
        line = positions.line_of(problem.offset)
        raise LoadError("sql", f"{problem.message} started on line {line}", line) from None
    except (RecursionError, MemoryError, ValueError) as problem:
        raise LoadError("sql", f"could not split the SQL into statements: {type(problem).__name__}") from None
    statements = []
    inside = False
    for index, raw in enumerate(lexed.statements):
        effect = _transaction_effect(raw.words)
        in_transaction = inside
        if effect == "begin":
            inside = True
        elif effect == "end":
            inside = False
        data = positions.span(*raw.data) if raw.data else None
        statements.append(
            SqlStatement(
                positions.span(raw.start, raw.end),
                text[raw.start : raw.end],
                index,
                dialect,
                in_transaction,
                raw.terminated,
                data,
                raw,
                positions,
            )
        )
    comments = tuple(SqlComment(positions.span(start, end), text[start:end]) for start, end in lexed.comments)
    commands = tuple(ClientCommand(positions.span(start, end), text[start:end]) for start, end in lexed.commands)
    return tuple(statements), comments, commands


def _transaction_effect(words: Sequence[str]) -> str | None:
    """``begin`` or ``end`` when a statement opens or closes an explicit transaction block.

    ``COMMIT AND CHAIN`` starts the next one at once; ``ROLLBACK TO SAVEPOINT`` and
    ``COMMIT PREPARED`` do not end the current one.
    """
    words = list(words)
    if not words:
        return None
    first, rest = words[0], [word for word in words[1:] if word not in ("work", "transaction")]
    if first == "begin" or (first == "start" and words[1:2] == ["transaction"]):
        return "begin"
    if first in ("commit", "end", "rollback", "abort"):
        if rest[:1] in (["to"], ["prepared"]) or rest[:2] == ["and", "chain"]:
            return None
        return "end"
    if first == "prepare" and words[1:2] == ["transaction"]:
        return "end"
    return None
