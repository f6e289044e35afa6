"""A cursor over sqlglot's tokens of one statement, for reading summaries from them.

The summary takes its text and spans from the parser's tokens: they carry exact offsets
(the tree's nodes mostly do not) and spell types and defaults as written (the tree prints
``numeric`` as ``DECIMAL`` and ``now()`` as ``CURRENT_TIMESTAMP``). Words are compared
upper-case; strings, numbers and quoted identifiers are never words, so a string
``'DROP'`` can not be read as a keyword.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from sqlglot.dialects.dialect import Dialect
from sqlglot.tokens import Token, TokenType

__all__ = ["Cursor", "expand_keywords", "is_name", "split_top_level", "sqlglot_dialect", "word_of"]

# Token types that are literals or quoted names, never keywords (by name: older sqlglot
# versions lack some of them).
_LITERALS = frozenset(
    getattr(TokenType, name)
    for name in (
        "STRING",
        "NATIONAL_STRING",
        "BYTE_STRING",
        "HEX_STRING",
        "BIT_STRING",
        "RAW_STRING",
        "HEREDOC_STRING",
        "UNICODE_STRING",
        "NATIONAL_RAW_STRING",
        "NUMBER",
        "IDENTIFIER",
    )
    if hasattr(TokenType, name)
)
_WORD = re.compile(r"[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_$\x80-\U0010ffff]*")
_OPEN = frozenset({TokenType.L_PAREN, TokenType.L_BRACKET})
_CLOSE = frozenset({TokenType.R_PAREN, TokenType.R_BRACKET})


@lru_cache(maxsize=8)
def sqlglot_dialect(name: str) -> Dialect:
    """sqlglot's dialect object (``postgres``, ``mysql``, ``sqlite``), made once."""
    return Dialect.get_or_raise(name)


def expand_keywords(tokens: Sequence[Token], sql: str) -> list[Token]:
    """sqlglot reads ``PRIMARY KEY``, ``FOREIGN KEY``, ``DOUBLE PRECISION`` as one token;
    give each word its own token (and its own offsets), so words can be read one by one."""
    out: list[Token] = []
    for token in tokens:
        if " " not in token.text or token.token_type in _LITERALS:
            out.append(token)
            continue
        for word in re.finditer(r"\S+", sql[token.start : token.end + 1]):
            start = token.start + word.start()
            out.append(Token(TokenType.VAR, word.group(), token.line, token.col, start, start + len(word.group()) - 1))
    return out


def word_of(token: Token | None) -> str | None:
    """The upper-case word a token spells, or ``None`` for literals, quoted names, punctuation."""
    if token is None or token.token_type in _LITERALS or not _WORD.fullmatch(token.text):
        return None
    return token.text.upper()


def is_name(token: Token | None) -> bool:
    """Whether the token can be an identifier: a bare word or a quoted name."""
    return token is not None and (token.token_type == TokenType.IDENTIFIER or word_of(token) is not None)


def split_top_level(tokens: Sequence[Token], separator: TokenType = TokenType.COMMA) -> list[list[Token]]:
    """Split on ``separator`` outside parentheses and brackets (empty parts are dropped)."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        kind = token.token_type
        if kind in _OPEN:
            depth += 1
        elif kind in _CLOSE:
            depth = max(0, depth - 1)
        elif kind == separator and depth == 0:
            parts.append([])
            continue
        parts[-1].append(token)
    return [part for part in parts if part]


class Cursor:
    """Reads a token list left to right; every method that does not match consumes nothing."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.index = 0

    @property
    def done(self) -> bool:
        return self.index >= len(self.tokens)

    def peek(self, ahead: int = 0) -> Token | None:
        index = self.index + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def word(self, ahead: int = 0) -> str | None:
        return word_of(self.peek(ahead))

    def next(self) -> Token | None:
        token = self.peek()
        if token is not None:
            self.index += 1
        return token

    def accept(self, *words: str) -> bool:
        """Consume ``words`` if the next tokens spell them, in order."""
        for offset, expected in enumerate(words):
            if self.word(offset) != expected:
                return False
        self.index += len(words)
        return True

    def accept_any(self, *words: str) -> str | None:
        """Consume and return the next word if it is one of ``words``."""
        word = self.word()
        if word is not None and word in words:
            self.index += 1
            return word
        return None

    def name_tokens(self) -> list[Token] | None:
        """A possibly qualified name (``a``, ``s.a``, ``"S"."a"``): its name tokens, or ``None``."""
        if not is_name(self.peek()):
            return None
        parts = [self.tokens[self.index]]
        self.index += 1
        while self.peek() is not None and self.tokens[self.index].token_type == TokenType.DOT and is_name(self.peek(1)):
            parts.append(self.tokens[self.index + 1])
            self.index += 2
        return parts

    def skip_group(self) -> list[Token] | None:
        """Consume a parenthesised group and return the tokens inside it."""
        token = self.peek()
        if token is None or token.token_type != TokenType.L_PAREN:
            return None
        depth, start = 0, self.index
        while self.index < len(self.tokens):
            kind = self.tokens[self.index].token_type
            self.index += 1
            if kind in _OPEN:
                depth += 1
            elif kind in _CLOSE:
                depth -= 1
                if depth == 0:
                    return list(self.tokens[start + 1 : self.index - 1])
        self.index = start
        return None

    def rest(self) -> list[Token]:
        rest = list(self.tokens[self.index :])
        self.index = len(self.tokens)
        return rest

    def until(self, stop_words: frozenset[str], *, at_least: int = 0) -> list[Token]:
        """Consume tokens up to the next top-level word in ``stop_words`` (after ``at_least`` tokens)."""
        start, depth = self.index, 0
        while self.index < len(self.tokens):
            token = self.tokens[self.index]
            kind = token.token_type
            if kind in _OPEN:
                depth += 1
            elif kind in _CLOSE:
                depth = max(0, depth - 1)
            elif depth == 0 and self.index - start >= at_least and word_of(token) in stop_words:
                break
            self.index += 1
        return list(self.tokens[start : self.index])
