"""Split SQL text into statements, comments and client commands, as the database's own client does.

A SQL parser sees one statement at a time; what separates statements is decided by the
client that runs the file (psql, the mysql client, the sqlite3 shell), and parsers get it
wrong around comments, quoting and function bodies. sqlglot's tokenizer reads the quoting
correctly but keeps no comment positions, has no psql meta-commands (``\\connect``), no
``COPY ... FROM stdin`` data, no ``BEGIN ATOMIC`` bodies and no ``DELIMITER``, and cannot
say on which line an unterminated dollar quote started; sqlparse splits too, but without
nested comments or positions, and as slowly as sqlglot parses. So this module is the
smallest lexer that finds statement boundaries exactly, following each client's rules:

* Postgres (psql): ``--`` and nested ``/* */`` comments; ``'...'`` with ``''``;
  ``E'...'`` with backslash escapes; ``"..."`` identifiers; dollar quotes ``$tag$...$tag$``;
  a ``;`` inside parentheses, or inside the ``BEGIN ... END`` of a ``CREATE FUNCTION`` or
  ``CREATE PROCEDURE`` body, does not end the statement; backslash meta-commands run to the
  end of the line (``\\g`` and its variants also end the statement); ``COPY ... FROM stdin``
  is followed by data up to a line ``\\.``.
* MySQL: ``#``, ``-- `` and ``/* */`` comments; ``'...'`` and ``"..."`` strings with
  backslash escapes; backquoted identifiers; the client's ``DELIMITER`` command.
* SQLite: ``--`` and ``/* */`` comments; ``"..."``, ``[...]`` and backquoted identifiers;
  a ``CREATE TRIGGER`` runs to the ``; END;`` that closes its body (as ``sqlite3_complete``).

Only what separates statements is read: the text between those constructs is skipped by
one regular-expression search, so a 5 MB ``INSERT`` costs one pass over its quotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import attrs

__all__ = ["DIALECTS", "LexedSql", "RawStatement", "SqlLexError", "lex_sql"]

DIALECTS = ("postgres", "mysql", "sqlite")

#: How many leading words of a statement are kept (enough for ``CREATE OR REPLACE
#: MATERIALIZED VIEW``, ``CREATE UNIQUE INDEX CONCURRENTLY``, ``COMMIT WORK AND CHAIN``).
LEADING_WORDS = 6

# Identifier characters: Postgres and MySQL also allow ``$`` after the first character and
# treat every non-ASCII character as a letter.
_IDENT_CHAR = r"A-Za-z0-9_$\x80-\U0010ffff"
_NOT_AFTER_IDENT = rf"(?<![{_IDENT_CHAR}])"
_WORD = rf"{_NOT_AFTER_IDENT}[A-Za-z_\x80-\U0010ffff][{_IDENT_CHAR}]*"

# Bodies of quoted constructs, matched from their opening character. Each alternative has
# one way to match, so an unterminated one fails in linear time.
_STANDARD_STRING = re.compile(r"'[^']*(?:''[^']*)*'")
_BACKSLASH_STRING = re.compile(r"'[^'\\]*(?:(?:\\.|'')[^'\\]*)*'", re.DOTALL)
_BACKSLASH_DQ_STRING = re.compile(r'"[^"\\]*(?:(?:\\.|"")[^"\\]*)*"', re.DOTALL)
_QUOTED_IDENT = re.compile(r'"[^"]*(?:""[^"]*)*"')
_BACKTICK_IDENT = re.compile(r"`[^`]*(?:``[^`]*)*`")
_BRACKET_IDENT = re.compile(r"\[[^\]]*\]")
_COMMENT_MARKS = re.compile(r"/\*|\*/")
_COPY_END = re.compile(r"^\\\.[ \t]*\r?$", re.MULTILINE)

# psql meta-commands that send the query buffer, and so end the statement.
_SENDING_META = frozenset({"g", "gx", "gset", "gexec", "gdesc", "crosstabview", "watch"})


class SqlLexError(Exception):
    """Text that cannot be split into statements: an unterminated quote or comment."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@attrs.frozen(slots=True)
class RawStatement:
    """One statement's extent: from its first to its last significant character.

    ``words`` are its first unquoted words, lower-cased; ``blanks`` the ranges of
    meta-commands inside it (not SQL); ``depth`` its deepest parenthesis nesting;
    ``data`` the range of the ``COPY ... FROM stdin`` data that follows it.
    """

    start: int
    end: int
    terminated: bool
    words: tuple[str, ...]
    blanks: tuple[tuple[int, int], ...] = ()
    depth: int = 0
    data: tuple[int, int] | None = None


@attrs.frozen(slots=True)
class LexedSql:
    """The statements, comments and client commands (offset ranges) of a text, in order."""

    statements: tuple[RawStatement, ...]
    comments: tuple[tuple[int, int], ...]
    commands: tuple[tuple[int, int], ...]


@attrs.frozen(slots=True)
class _Rules:
    nested_comments: bool = False
    dollar_quotes: bool = False
    escape_strings: bool = False  # E'...' (Postgres)
    backslash_strings: bool = False  # '...' and "..." with backslash escapes (MySQL)
    hash_comments: bool = False
    dash_needs_space: bool = False  # MySQL: "--" starts a comment only before whitespace
    backticks: bool = False
    brackets: bool = False
    meta_commands: bool = False  # psql
    delimiter_command: bool = False  # mysql client
    parens_hold_semicolons: bool = False  # psql
    function_bodies: bool = False  # psql: BEGIN ... END in CREATE FUNCTION / PROCEDURE
    trigger_bodies: bool = False  # sqlite: CREATE TRIGGER ... END;


_RULES = {
    "postgres": _Rules(
        nested_comments=True,
        dollar_quotes=True,
        escape_strings=True,
        meta_commands=True,
        parens_hold_semicolons=True,
        function_bodies=True,
    ),
    "mysql": _Rules(
        backslash_strings=True, hash_comments=True, dash_needs_space=True, backticks=True, delimiter_command=True
    ),
    "sqlite": _Rules(backticks=True, brackets=True, trigger_bodies=True),
}


@lru_cache(maxsize=32)
def _pattern(dialect: str, delimiter: str, words: bool) -> re.Pattern[str]:
    """The search for the next construct that matters; ``words`` also finds bare words."""
    rules = _RULES[dialect]
    parts = []
    if delimiter != ";":
        parts.append(f"(?P<delimiter>{re.escape(delimiter)})")
    parts.append(r"(?P<dash>--(?=[\s\x00-\x1f]|\Z)[^\n\r]*)" if rules.dash_needs_space else r"(?P<dash>--[^\n\r]*)")
    if rules.hash_comments:
        parts.append(r"(?P<hash>\#[^\n\r]*)")
    parts.append(r"(?P<block>/\*)")
    # Quoted tokens match whole; their opening character alone means it is never closed.
    if rules.escape_strings:
        parts.append(rf"(?P<quoted_e>{_NOT_AFTER_IDENT}[eE]{_BACKSLASH_STRING.pattern})")
        parts.append(rf"(?P<open_e>{_NOT_AFTER_IDENT}[eE]')")
    string = _BACKSLASH_STRING if rules.backslash_strings else _STANDARD_STRING
    double = _BACKSLASH_DQ_STRING if rules.backslash_strings else _QUOTED_IDENT
    parts.append(f"(?P<quoted_s>{string.pattern})|(?P<open_s>')")
    parts.append(f'(?P<quoted_d>{double.pattern})|(?P<open_d>")')
    if rules.backticks:
        parts.append(f"(?P<quoted_b>{_BACKTICK_IDENT.pattern})|(?P<open_b>`)")
    if rules.brackets:
        parts.append(f"(?P<quoted_k>{_BRACKET_IDENT.pattern})|(?P<open_k>\\[)")
    if rules.dollar_quotes:
        parts.append(rf"(?P<dollar>{_NOT_AFTER_IDENT}\$(?:[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_\x80-\U0010ffff]*)?\$)")
    if delimiter == ";":
        parts.append(r"(?P<semicolon>;)")
    parts.append(r"(?P<open>\()")
    parts.append(r"(?P<close>\))")
    if rules.meta_commands:
        parts.append(r"(?P<meta>\\)")
    if words:
        parts.append(f"(?P<word>{_WORD})")
    return re.compile("|".join(parts), re.DOTALL)


def lex_sql(text: str, dialect: str = "postgres") -> LexedSql:
    """Split ``text``; :class:`SqlLexError` for an unterminated quote or comment."""
    if dialect not in _RULES:
        raise ValueError(f"unknown SQL dialect {dialect!r}; dialects: {', '.join(DIALECTS)}")
    return _Lexer(text, dialect).run()


class _Lexer:
    """One pass over the text; the state of the statement being read lives on the instance."""

    def __init__(self, text: str, dialect: str) -> None:
        self.text = text
        self.dialect = dialect
        self.rules = _RULES[dialect]
        self.delimiter = ";"
        self.statements: list[RawStatement] = []
        self.comments: list[tuple[int, int]] = []
        self.commands: list[tuple[int, int]] = []
        self._reset()

    def _reset(self) -> None:
        self.start = -1  # first significant offset of the current statement, -1 before it
        self.last = -1  # end of its last significant character
        self.words: list[str] = []
        self.blanks: list[tuple[int, int]] = []
        self.depth = 0
        self.max_depth = 0
        self.begin_depth = 0  # psql: BEGIN/CASE ... END nesting in a function body
        self.body: str | None = None  # "function", "trigger" or "copy" once the words say so
        self.trigger_state = "body"  # sqlite: "semi" after a ;, "end" after ; END (see sqlite3_complete)
        self.copy_from = False  # the previous word was FROM (looking for FROM STDIN)
        self.copy_stdin = False

    def run(self) -> LexedSql:
        text = self.text
        handlers: dict[str, Callable[[re.Match[str]], int]] = {
            "delimiter": self._end_of_statement,
            "semicolon": self._semicolon,
            "dash": self._line_comment,
            "hash": self._line_comment,
            "block": self._block_comment,
            "open_e": self._unterminated,
            "open_s": self._unterminated,
            "open_d": self._unterminated,
            "open_b": self._unterminated,
            "open_k": self._unterminated,
            "dollar": self._dollar_quote,
            "meta": self._meta_command,
            "word": self._word,
        }
        pos = 0
        end = len(text)
        while True:
            wants_words = len(self.words) < LEADING_WORDS or self.body is not None
            match = _pattern(self.dialect, self.delimiter, wants_words).search(text, pos)
            gap_end = match.start() if match else end
            if gap_end > pos:
                # Text between constructs (numbers, operators, skipped words): significant unless blank.
                gap = text[pos:gap_end]
                stripped = gap.rstrip()
                if stripped:
                    if self.start < 0:
                        self.start = pos + len(gap) - len(gap.lstrip())
                    self.last = pos + len(stripped)
                    self.trigger_state = "body"
            if match is None:
                break
            kind = match.lastgroup or ""
            if kind.startswith("quoted") or kind == "open" or kind == "close":
                if self.start < 0:
                    self.start = match.start()
                self.last = pos = match.end()
                self.trigger_state = "body"
                if kind == "open":
                    self.depth += 1
                    if self.depth > self.max_depth:
                        self.max_depth = self.depth
                elif kind == "close" and self.depth:
                    self.depth -= 1
            else:
                pos = handlers[kind](match)
        if self.start >= 0:
            self._emit(terminated=False)
        return LexedSql(tuple(self.statements), tuple(self.comments), tuple(self.commands))

    # -- the statement being read -------------------------------------------------------

    def _significant(self, start: int, end: int, *, token: str = "other") -> None:
        if self.start < 0:
            self.start = start
        self.last = end
        if token == "semi":
            self.trigger_state = "semi"
        elif token == "end" and self.trigger_state == "semi":
            self.trigger_state = "end"
        else:
            self.trigger_state = "body"

    def _emit(self, *, terminated: bool) -> None:
        self.statements.append(
            RawStatement(self.start, self.last, terminated, tuple(self.words), tuple(self.blanks), self.max_depth)
        )
        self._reset()

    def _end_of_statement(self, match: re.Match[str]) -> int:
        copy_stdin = self.copy_stdin
        if self.start >= 0:
            self._emit(terminated=True)
        if copy_stdin:
            return self._copy_data(match.end())
        return match.end()

    def _semicolon(self, match: re.Match[str]) -> int:
        rules = self.rules
        held = (
            (rules.parens_hold_semicolons and self.depth > 0)
            or self.begin_depth > 0
            or (self.body == "trigger" and self.trigger_state != "end")
        )
        if held:
            self._significant(match.start(), match.end(), token="semi")
            return match.end()
        return self._end_of_statement(match)

    def _copy_data(self, pos: int) -> int:
        """psql reads the lines after ``COPY ... FROM stdin;`` as data, up to a line ``\\.``."""
        text = self.text
        newline = text.find("\n", pos)
        if newline < 0:
            return len(text)
        begin = newline + 1
        end_mark = _COPY_END.search(text, begin)
        end = end_mark.end() if end_mark else len(text)
        previous = self.statements[-1]
        self.statements[-1] = attrs.evolve(previous, data=(begin, end))
        return end

    # -- constructs ---------------------------------------------------------------------

    def _line_comment(self, match: re.Match[str]) -> int:
        self.comments.append((match.start(), match.end()))
        return match.end()

    def _block_comment(self, match: re.Match[str]) -> int:
        text = self.text
        if not self.rules.nested_comments:
            close = text.find("*/", match.end())
            if close < 0:
                raise SqlLexError("unterminated /* comment", match.start())
            end = close + 2
        else:
            depth, pos = 1, match.end()
            while depth:
                mark = _COMMENT_MARKS.search(text, pos)
                if mark is None:
                    raise SqlLexError("unterminated /* comment", match.start())
                depth += 1 if mark.group() == "/*" else -1
                pos = mark.end()
            end = pos
        self.comments.append((match.start(), end))
        return end

    def _unterminated(self, match: re.Match[str]) -> int:
        what = {"`": "quoted identifier", "[": "bracketed identifier"}.get(match.group()[-1], "quoted string")
        if match.group() == '"' and not self.rules.backslash_strings:
            what = "quoted identifier"
        raise SqlLexError(f"unterminated {what}", match.start())

    def _dollar_quote(self, match: re.Match[str]) -> int:
        tag = match.group()
        close = self.text.find(tag, match.end())
        if close < 0:
            raise SqlLexError(f"unterminated dollar-quoted string {tag}", match.start())
        self._significant(match.start(), close + len(tag))
        return close + len(tag)

    def _meta_command(self, match: re.Match[str]) -> int:
        """A psql backslash command: client-side, to the end of the line, never SQL."""
        text = self.text
        end = len(text)
        for stop in ("\n", "\r"):
            found = text.find(stop, match.end())
            if 0 <= found < end:
                end = found
        self.commands.append((match.start(), end))
        name = re.match(r"[A-Za-z]*", text[match.end() : end])
        if self.start >= 0:
            self.blanks.append((match.start(), end))
            if name and name.group().lower() in _SENDING_META:
                self._emit(terminated=True)
        return end

    def _word(self, match: re.Match[str]) -> int:
        word = match.group().lower()
        if self.start < 0 and self.rules.delimiter_command and word == "delimiter":
            return self._delimiter_command(match)
        if len(self.words) < LEADING_WORDS:
            self.words.append(word)
            self._notice_body()
        body = self.body
        if body == "function" and self.depth == 0:
            if word == "begin" or (word == "case" and self.begin_depth):
                self.begin_depth += 1
            elif word == "end" and self.begin_depth:
                self.begin_depth -= 1
        elif body == "copy" and self.depth == 0:
            if self.copy_from and word == "stdin":
                self.copy_stdin = True
            self.copy_from = word == "from"
        self._significant(match.start(), match.end(), token="end" if word == "end" else "other")
        return match.end()

    def _notice_body(self) -> None:
        """Decide from the leading words whether the statement has a body to follow."""
        words = self.words
        if self.body is not None:
            return
        if self.rules.function_bodies and (
            words[:2] in (["create", "function"], ["create", "procedure"])
            or words[:4] in (["create", "or", "replace", "function"], ["create", "or", "replace", "procedure"])
        ):
            self.body = "function"
        elif self.rules.trigger_bodies and (
            words[:2] == ["create", "trigger"]
            or words[:3] in (["create", "temp", "trigger"], ["create", "temporary", "trigger"])
        ):
            self.body = "trigger"
        elif self.rules.meta_commands and words[:1] == ["copy"]:
            self.body = "copy"

    def _delimiter_command(self, match: re.Match[str]) -> int:
        """The mysql client's ``DELIMITER //``: statements now end at ``//``."""
        text = self.text
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        argument = text[match.end() : end].split()
        if argument:
            self.delimiter = argument[0]
        self.commands.append((match.start(), end))
        return end
