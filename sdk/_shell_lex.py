"""The shell-word rules BuildKit applies to Dockerfile arguments: quotes, escapes and ``$VAR`` forms.

BuildKit runs its own small shell lexer (not a real shell) to expand variables in ``FROM``,
``ENV``, ``ARG`` and ``LABEL`` values and to find heredoc markers (``<<EOF``) in ``RUN``,
``COPY`` and ``ADD``. This module follows the same rules so the model agrees with what
``docker build`` does:

* ``'...'`` keeps everything literally; ``"..."`` keeps everything except ``$`` expansions
  and the escape character before ``"``, ``$`` or itself;
* outside quotes the escape character (``\\`` or, under ``# escape=```, a backtick) takes
  the next character literally;
* ``$NAME``, ``${NAME}`` and ``${NAME:-word}``, ``-``, ``:+``, ``+``, ``:?``, ``?``,
  ``#``, ``##``, ``%``, ``%%``, ``/``, ``//`` expand; a name nobody defined expands to
  nothing, or, in *keep* mode (no environment given), stays as written.

Errors (an unterminated quote, ``${`` without ``}``) raise :class:`ShellSyntaxError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["SPACE", "ShellSyntaxError", "Word", "expand", "split_raw_words", "words", "words_keeping_quotes"]

# Go's unicode.IsSpace: the Unicode White_Space property.
SPACE = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a")
SPACE = SPACE | frozenset("\u2028\u2029\u202f\u205f\u3000")
_SPECIAL_PARAMS = frozenset("@*#?-$!0")
_HEREDOC_BLANKS = frozenset(" \t\r")

Word = tuple[str, int, int]  # text, start offset, end offset (exclusive) in the lexed string


class ShellSyntaxError(ValueError):
    """The text breaks BuildKit's shell-word rules (BuildKit fails the build with it)."""


class _NoWords:
    """Stands in for :class:`_Words` when only the joined result is wanted."""

    __slots__ = ()

    def add_char(self, char: str, at: int) -> None:
        pass

    add_raw = add_string = add_char

    def finish(self, at: int) -> list[Word]:
        return []


class _Words:
    """Splits the lexer's output into words on unquoted whitespace, remembering where each began."""

    __slots__ = ("buffer", "in_word", "start", "words")

    def __init__(self) -> None:
        self.buffer: list[str] = []
        self.in_word = False
        self.start = 0
        self.words: list[Word] = []

    def add_char(self, char: str, at: int) -> None:
        if char in SPACE:
            if self.in_word and self.buffer:
                self.flush(at)
        else:
            self.add_raw(char, at)

    def add_raw(self, text: str, at: int) -> None:
        if not self.buffer:
            self.start = at
        self.buffer.append(text)
        self.in_word = True

    def add_string(self, text: str, at: int) -> None:
        for char in text:
            self.add_char(char, at)

    def flush(self, at: int) -> None:
        joined = "".join(self.buffer)
        if joined:
            self.words.append((joined, self.start, at))
        self.buffer = []
        self.in_word = False

    def finish(self, at: int) -> list[Word]:
        if self.buffer:
            self.flush(at)
        return self.words


class _Lexer:
    """One pass over ``text``. ``env`` None means *keep* mode: names stay as written."""

    def __init__(
        self,
        text: str,
        escape: str,
        env: Mapping[str, str] | None,
        *,
        raw_quotes: bool = False,
        raw_escapes: bool = False,
        split: bool = True,
    ) -> None:
        self.split = split
        self.text = text
        self.pos = 0
        self.escape = escape
        self.env = env
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.unresolved: list[str] = []
        self.used: list[str] = []

    # -- scanning ---------------------------------------------------------------------------
    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def next(self) -> str:
        if self.pos >= len(self.text):
            return ""
        char = self.text[self.pos]
        self.pos += 1
        return char

    def lookup(self, name: str) -> str | None:
        if self.env is None:
            return None
        value = self.env.get(name)
        seen = self.unresolved if value is None else self.used
        if name not in seen:
            seen.append(name)
        return value

    # -- the grammar ------------------------------------------------------------------------
    def run(self, stop: str, raw_escapes: bool) -> tuple[str, list[Word]]:
        """Process until ``stop`` (consumed) or the end; '' stops only at the end."""
        saved, self.raw_escapes = self.raw_escapes, raw_escapes
        try:
            return self._run(stop)
        finally:
            self.raw_escapes = saved

    def _run(self, stop: str) -> tuple[str, list[Word]]:
        result: list[str] = []
        words = _Words() if self.split else _NoWords()
        while self.pos < len(self.text):
            char = self.text[self.pos]
            at = self.pos
            if stop and char == stop:
                self.pos += 1
                return "".join(result), words.finish(at)
            if char == "$":
                piece = self.dollar()
                result.append(piece)
                words.add_string(piece, at)
            elif char == "<":
                piece = self.possible_heredoc()
                result.append(piece)
                words.add_raw(piece, at)
            elif char == "'":
                piece = self.single_quoted()
                result.append(piece)
                words.add_raw(piece, at)
            elif char == '"':
                piece = self.double_quoted()
                result.append(piece)
                words.add_raw(piece, at)
            else:
                self.pos += 1
                if char == self.escape:
                    if self.raw_escapes:
                        words.add_raw(char, at)
                        result.append(char)
                    char = self.next()
                    if not char:
                        break
                    words.add_raw(char, at)
                else:
                    words.add_char(char, at)
                result.append(char)
        if stop:
            raise ShellSyntaxError(f"unexpected end of statement while looking for matching {stop}")
        return "".join(result), words.finish(self.pos)

    def single_quoted(self) -> str:
        opening = self.next()
        out = [opening] if self.raw_quotes else []
        while True:
            char = self.next()
            if not char:
                raise ShellSyntaxError("unexpected end of statement while looking for matching single-quote")
            if char == "'":
                if self.raw_quotes:
                    out.append(char)
                return "".join(out)
            out.append(char)

    def double_quoted(self) -> str:
        opening = self.next()
        out = [opening] if self.raw_quotes else []
        while True:
            char = self.peek()
            if not char:
                raise ShellSyntaxError("unexpected end of statement while looking for matching double-quote")
            if char == '"':
                self.next()
                if self.raw_quotes:
                    out.append(char)
                return "".join(out)
            if char == "$":
                out.append(self.dollar())
                continue
            char = self.next()
            if char == self.escape:
                if self.raw_escapes:
                    out.append(char)
                following = self.peek()
                if not following:
                    continue
                if following in ('"', "$", self.escape):
                    char = self.next()
            out.append(char)

    def possible_heredoc(self) -> str:
        self.next()
        if self.peek() != "<":
            return "<"
        self.next()
        blanks = []
        while self.peek() and self.peek() in _HEREDOC_BLANKS:
            blanks.append(self.next())
        return "<<" + "".join(blanks)

    def name(self) -> str:
        chars: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if not chars and char.isdecimal():
                while self.peek() and self.peek().isdecimal():
                    chars.append(self.next())
                return "".join(chars)
            if not chars and char in _SPECIAL_PARAMS:
                self.pos += 1
                return char
            if not (char.isalpha() or char.isdecimal() or char == "_"):
                break
            self.pos += 1
            chars.append(char)
        return "".join(chars)

    def dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.name()
            if not name:
                return "$"
            value = self.lookup(name)
            return f"${name}" if value is None and self.env is None else value or ""
        self.next()
        following = self.peek()
        if not following:
            raise ShellSyntaxError("syntax error: missing '}'")
        if following in "{}:":
            raise ShellSyntaxError("syntax error: bad substitution")
        name = self.name()
        op = self.next()
        if op == "}":
            value = self.lookup(name)
            return f"${{{name}}}" if value is None and self.env is None else value or ""
        if op == "/":
            return self.replace(name)
        null_is_unset = op == ":"
        modifier = op
        if null_is_unset:
            op = self.next()
            modifier += op
        elif not op:
            raise ShellSyntaxError("syntax error: missing '}'")
        elif op not in ("+", "-", "?", "#", "%"):
            raise ShellSyntaxError(f"unsupported modifier ({op}) in substitution")
        pattern_op = op in ("#", "%")
        if null_is_unset and pattern_op:
            raise ShellSyntaxError(f"unsupported modifier ({modifier}) in substitution")
        try:
            word, _ = self.run("}", pattern_op)
        except ShellSyntaxError:
            if not self.peek():
                raise ShellSyntaxError("syntax error: missing '}'") from None
            raise
        value = self.lookup(name)
        if value is None and self.env is None:
            return f"${{{name}{modifier}{word}}}"
        unset = value is None or (null_is_unset and value == "")
        if op == "-":
            return word if unset else value or ""
        if op == "+":
            return "" if unset else word
        if op == "?":
            if value is None or (null_is_unset and value == ""):
                raise ShellSyntaxError(f"{name}: {word or 'is not allowed to be unset'}")
            return value
        if op in ("#", "%"):
            return _trim(value or "", word, op)
        raise ShellSyntaxError(f"unsupported modifier ({modifier}) in substitution")

    def replace(self, name: str) -> str:
        replace_all = self.peek() == "/"
        if replace_all:
            self.next()
        try:
            pattern, _ = self.run("/", True)
        except ShellSyntaxError:
            if not self.peek():
                raise ShellSyntaxError("syntax error: missing '/' in ${}") from None
            raise
        try:
            replacement, _ = self.run("}", True)
        except ShellSyntaxError:
            if not self.peek():
                raise ShellSyntaxError("syntax error: missing '}'") from None
            raise
        value = self.lookup(name)
        if value is None and self.env is None:
            return f"${{{name}/{pattern}/{replacement}}}"
        regex = _pattern_regex(pattern, greedy=True)
        return regex.sub(lambda _: replacement, value or "", count=0 if replace_all else 1)


def _pattern_regex(pattern: str, *, greedy: bool, anchored: bool = False) -> re.Pattern[str]:
    """A shell wildcard pattern (``*``, ``?``, ``\\`` escapes; no brackets) as a regex."""
    out = ["^"] if anchored else []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        index += 1
        if char == "*":
            out.append(".*" if greedy else ".*?")
        elif char == "?":
            out.append(".")
        elif char == "\\":
            if index < len(pattern) and pattern[index] in "}/":
                continue
            following = pattern[index] if index < len(pattern) else ""
            index += 1
            if following not in ("*", "?", "\\"):
                raise ShellSyntaxError(f"invalid pattern ({pattern}) in substitution: invalid escape '\\{following}'")
            out.append(re.escape(following))
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.DOTALL)


def _trim(value: str, word: str, op: str) -> str:
    """``${v#p}``/``${v##p}`` (prefix) and ``${v%p}``/``${v%%p}`` (suffix), shortest or longest."""
    greedy = word.startswith(op)
    if greedy:
        word = word[1:]
    if op == "#":
        match = _pattern_regex(word, greedy=greedy, anchored=True).search(value)
        return value[match.end() :] if match else value
    # A suffix: reverse both the value and the pattern (keeping escapes together).
    reversed_pattern: list[str] = []
    index = 0
    while index < len(word):
        if word[index] == "\\" and index + 1 < len(word):
            reversed_pattern.insert(0, word[index : index + 2])
            index += 2
        else:
            reversed_pattern.insert(0, word[index])
            index += 1
    match = _pattern_regex("".join(reversed_pattern), greedy=greedy, anchored=True).search(value[::-1])
    return value[::-1][match.end() :][::-1] if match else value


def expand(
    text: str, escape: str = "\\", env: Mapping[str, str] | None = None
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """``text`` as one word with quotes and escapes processed, the names it refers to that
    ``env`` lacks, and those it found. ``env=None`` keeps every ``$NAME`` as written (the
    literal value of an ``ENV`` default); with a mapping, names missing from it expand to
    nothing, as in BuildKit."""
    if "$" not in text and "'" not in text and '"' not in text and escape not in text:
        return text, (), ()
    lexer = _Lexer(text, escape, env, split=False)
    result, _ = lexer.run("", False)
    return result, tuple(lexer.unresolved), tuple(lexer.used)


def split_raw_words(text: str) -> list[Word]:
    """The words BuildKit sees when it looks for heredoc markers: quotes and escapes kept,
    ``$NAME`` kept, ``<<`` joined to the name after it. The escape character is always
    the backslash here, whatever the file's escape directive says (as in BuildKit)."""
    lexer = _Lexer(text, "\\", None, raw_quotes=True, raw_escapes=True)
    _, words = lexer.run("", True)
    return words


def words(text: str) -> list[str]:
    """``text`` split into words with quotes and escapes processed and ``$NAME`` kept."""
    lexer = _Lexer(text, "\\", None)
    _, found = lexer.run("", False)
    return [word for word, _, _ in found]


def words_keeping_quotes(text: str) -> list[str]:
    """As :func:`words`, but quote characters stay in the words."""
    lexer = _Lexer(text, "\\", None, raw_quotes=True)
    _, found = lexer.run("", False)
    return [word for word, _, _ in found]
