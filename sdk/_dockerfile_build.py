"""Builds the Dockerfile model: BuildKit's per-instruction parsing and checks, with spans.

:class:`~._dockerfile_lines.LineScanner` yields each instruction's joined text; this module
splits it as BuildKit does (keyword, ``--flags``, then the arguments by the keyword's
rule: JSON or shell form, whitespace-separated words, ``key=value`` pairs), reads the
heredocs it opens, and refuses what BuildKit refuses, each time with one clear line.

BuildKit checks some things while parsing (malformed ``ENV``, a JSON array of non-strings)
and the rest when it turns the parse into instructions (an unknown keyword, ``FROM``
without an image, a missing argument). Both make ``docker build`` fail, so both are load
errors here, except inside ``ONBUILD``, where BuildKit only applies the first kind.
Flag names are not checked: every frontend release adds some (``COPY --exclude``,
``RUN --device``), and an unknown one is the build's business, not the model's.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from typing import Any

from ._dockerfile_lines import DockerfileSyntaxError, LineScanner, LogicalLine
from ._shell_lex import SPACE, ShellSyntaxError, expand, split_raw_words, words, words_keeping_quotes
from .dockerfile import (
    ArgInstruction,
    Comment,
    Directive,
    DockerfileFile,
    EnvInstruction,
    ExposeInstruction,
    Flag,
    FromInstruction,
    HealthcheckInstruction,
    Heredoc,
    Instruction,
    KeyValue,
    LabelInstruction,
    OnbuildInstruction,
    Port,
    UserInstruction,
    Word,
)
from .errors import LoadError, SkipFile
from .model import Span

__all__ = ["KEYWORDS", "parse_dockerfile"]

KEYWORDS = (
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
)
_BLANKS = frozenset("\t\v\f\r ")  # what BuildKit splits keywords and word lists on
# BuildKit scans flags and the HEALTHCHECK type byte by byte, so only ASCII whitespace separates them.
_ASCII_SPACE = frozenset("\t\n\v\f\r ")
_HEREDOC_KEYWORDS = frozenset({"ADD", "COPY", "RUN"})
_HEREDOC_WORD = re.compile(r"([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)")
_STAGE_NAME = re.compile(r"[a-z][a-z0-9-_.]*")
_PORT = re.compile(r"([0-9]+)(?:-([0-9]+))?(?:/([A-Za-z]+))?")
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)")
_DURATION_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "\u00b5s": 1e-6,
    "\u03bcs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
# Jinja/Go ({{ x }}, {% if %}), ERB (<% x %>) and placeholder (%%VERSION%%) template syntax.
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|<%.*?%>|%%[A-Za-z0-9_]+%%")
_JSON_SPACE = " \t\n\r"


class _Fail(Exception):
    """A BuildKit error at a logical-line offset; turned into a LoadError with its line."""

    def __init__(self, message: str, at: int) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


def _shown(text: str, limit: int = 48) -> str:
    """``text`` quoted for a one-line message: control characters escaped, long text cut."""
    shown = repr(text)
    if len(shown) <= limit:
        return shown
    cut = text[:limit]
    while len(repr(cut)) > limit - 3:
        cut = cut[:-1]
    return repr(cut)[:-1] + "...'"


def go_duration(text: str) -> float:
    """Seconds in a Go duration (``30s``, ``1m30s``, ``500ms``, ``0``); ValueError otherwise."""
    body = text[1:] if text[:1] in "+-" else text
    sign = -1.0 if text[:1] == "-" else 1.0
    if body == "0":
        return 0.0
    if not body:
        raise ValueError(text)
    total, position = 0.0, 0
    while position < len(body):
        match = _DURATION_PART.match(body, position)
        if match is None or match.group(1) in ("", "."):
            raise ValueError(text)
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        position = match.end()
    return sign * total


class _Builder:
    """One pass over a file: instructions in order, with their stage and heredocs."""

    def __init__(self, file: DockerfileFile, checks: bool = True) -> None:
        self.file = file
        self.checks = checks
        self.scanner = LineScanner(file.text)
        self.stage: int | None = None
        self.line: LogicalLine | None = None

    # -- positions --------------------------------------------------------------------------
    def span(self, start: int, stop: int) -> Span:
        assert self.line is not None
        return self.line.span(start, stop)

    def span_to(self, start: int, end: tuple[int, int]) -> Span:
        """From ``text[start]`` to ``end``, a (line, end column) pair."""
        assert self.line is not None
        line, column = self.line.position(start)
        return Span(line, column, *end)

    def word(self, start: int, stop: int, value: str | None = None) -> Word:
        assert self.line is not None
        return Word(self.line.text[start:stop] if value is None else value, self.span(start, stop))

    def line_of(self, at: int) -> int:
        assert self.line is not None
        return self.line.position(at)[0]

    # -- the file ---------------------------------------------------------------------------
    def run(self) -> tuple[Instruction, ...]:
        instructions = []
        while True:
            line = self.scanner.next_instruction()
            if line is None:
                return tuple(instructions)
            self.line = line
            try:
                instructions.append(self.instruction(line))
            except _Fail as failure:
                raise LoadError("dockerfile", failure.message, self.line_of(failure.at)) from None

    def instruction(self, line: LogicalLine) -> Instruction:
        text = line.text
        start, stop = 0, len(text)
        while start < stop and text[start] in SPACE:
            start += 1
        while stop > start and text[stop - 1] in SPACE:
            stop -= 1
        if start == stop:
            raise LoadError("dockerfile", "a line continuation with no instruction to continue", line.start_line)
        keyword = self.keyword_at(start, stop)
        if keyword == "FROM":
            self.stage = 0 if self.stage is None else self.stage + 1
        elif self.stage is None and keyword != "ARG" and self.checks:
            raise _Fail(f"{keyword} before the first FROM: only ARG may come before FROM", start)
        cls, fields = self.parse(start, stop, strict=self.checks)
        heredocs = self.heredocs(cls, fields, line)
        if heredocs:
            end = heredocs[1]
        else:
            end_line, end_column = line.position(stop - 1)
            end = (end_line, end_column + 1)
        fields["span"] = self.span_to(start, end)
        fields["heredocs"] = heredocs[0] if heredocs else ()
        fields["stage"] = self.stage
        if cls is OnbuildInstruction:
            trigger_cls, trigger_fields = fields["trigger"]
            trigger_start = trigger_fields["keyword_span"]
            trigger_span = Span(trigger_start.line, trigger_start.column, *end)
            trigger_fields.update(span=trigger_span, heredocs=fields["heredocs"], stage=self.stage)
            fields["trigger"] = trigger_cls(**trigger_fields)
        return cls(**fields)

    def keyword_at(self, start: int, stop: int) -> str:
        assert self.line is not None
        text = self.line.text
        end = start
        while end < stop and text[end] not in _BLANKS:
            end += 1
        word = text[start:end]
        keyword = word.upper()
        if keyword not in KEYWORDS and self.checks:
            close = difflib.get_close_matches(keyword, KEYWORDS, n=1, cutoff=0.75)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise _Fail(f"unknown instruction {_shown(word)}{hint}", start)
        return keyword

    # -- one instruction --------------------------------------------------------------------
    def parse(self, start: int, stop: int, *, strict: bool) -> tuple[type[Instruction], dict[str, Any]]:
        """The class and fields of the instruction in ``text[start:stop]`` (trimmed), without
        its span, stage and heredocs, which the caller adds."""
        assert self.line is not None
        text = self.line.text
        keyword_end = start
        while keyword_end < stop and text[keyword_end] not in _BLANKS:
            keyword_end += 1
        keyword = text[start:keyword_end].upper()
        rest = keyword_end
        while rest < stop and text[rest] in _BLANKS:
            rest += 1
        flags, args_start = self.flags(rest, stop)
        args_start = self.skip_space(args_start, stop)
        fields: dict[str, Any] = {
            "keyword": keyword,
            "arguments": text[args_start:stop],
            "keyword_span": self.span(start, keyword_end),
            "arguments_span": self.span(args_start, stop) if args_start < stop else None,
            "flags": tuple(flags),
        }
        handler = _HANDLERS.get(keyword)
        if handler is None:  # only inside ONBUILD, where BuildKit ignores what it does not know
            return Instruction, fields
        cls, extra = handler(self, keyword, args_start, stop, strict, fields)
        fields.update(extra)
        return cls, fields

    def fail(self, message: str, at: int) -> _Fail:
        return _Fail(message, at)

    # -- flags ------------------------------------------------------------------------------
    def flags(self, position: int, stop: int) -> tuple[list[Flag], int]:
        """BuildKit's builder flags: leading words that start with ``--``, quotes and escapes
        processed; a bare ``--`` ends them. Returns the flags and where the arguments start."""
        assert self.line is not None
        text, escape = self.line.text, self.scanner.escape
        flags: list[Flag] = []
        while True:
            while position < stop and text[position] in _ASCII_SPACE:
                position += 1
            if position == stop:
                return flags, stop
            if not (text[position] == "-" and position + 1 < stop and text[position + 1] == "-"):
                return flags, position
            begin = position
            chars: list[str] = []
            origins: list[int] = []
            quote = ""
            while position < stop:
                char = text[position]
                if not quote and char in _ASCII_SPACE:
                    break
                if not quote and char in "'\"":
                    quote = char
                    position += 1
                    continue
                if quote and char == quote:
                    quote = ""
                    position += 1
                    continue
                if char == escape:
                    if position + 1 == stop:
                        quote = ""
                        position += 1
                        continue
                    position += 1
                    char = text[position]
                chars.append(char)
                origins.append(position)
                position += 1
            word = "".join(chars)
            if word == "--":
                return flags, position
            body = word[2:]
            name, equals, value = body.partition("=")
            value_span = None
            if equals:
                value_start = origins[2 + len(name)] + 1
                value_span = self.span(value_start, position) if value_start < position else None
            flags.append(Flag(name, value if equals else None, self.span(begin, position), value_span))

    def skip_space(self, position: int, stop: int) -> int:
        assert self.line is not None
        text = self.line.text
        while position < stop and text[position] in SPACE:
            position += 1
        return position

    # -- argument splitting -----------------------------------------------------------------
    def blank_runs(self, start: int, stop: int, limit: int = 0) -> list[tuple[int, int]]:
        """Whitespace-separated words (BuildKit's ``[\\t\\v\\f\\r ]+`` split); with ``limit``,
        the last one runs to ``stop``."""
        assert self.line is not None
        text = self.line.text
        runs: list[tuple[int, int]] = []
        position = start
        while position < stop:
            while position < stop and text[position] in _BLANKS:
                position += 1
            if position == stop:
                break
            if limit and len(runs) == limit - 1:
                runs.append((position, stop))
                break
            begin = position
            while position < stop and text[position] not in _BLANKS:
                position += 1
            runs.append((begin, position))
        return runs

    def quoted_words(self, start: int, stop: int) -> list[tuple[str, int, int]]:
        """BuildKit's ``parseWords``: words split on unquoted whitespace, quotes and escapes
        kept as written (an escape character at the very end is dropped)."""
        assert self.line is not None
        text, escape = self.line.text, self.scanner.escape
        found: list[tuple[str, int, int]] = []
        position = start
        while position < stop:
            while position < stop and text[position] in SPACE:
                position += 1
            if position == stop:
                break
            begin = end = position
            chars: list[str] = []
            quote = ""
            while position < stop:
                char = text[position]
                if not quote:
                    if char in SPACE:
                        break
                    if char in "'\"":
                        quote = char
                    elif char == escape:
                        if position + 1 == stop:
                            position += 1
                            continue
                        chars.append(char)
                        position += 1
                        char = text[position]
                else:
                    if char == quote:
                        quote = ""
                    elif char == escape and quote != "'":
                        if position + 1 == stop:
                            quote = ""
                            position += 1
                            continue
                        chars.append(char)
                        position += 1
                        char = text[position]
                chars.append(char)
                position += 1
                end = position
            if chars:
                found.append(("".join(chars), begin, end))
        return found

    def json_items(self, keyword: str, start: int, stop: int) -> list[Word] | None:
        """The arguments as a JSON array of strings (exec form), or None when they are not
        valid JSON (BuildKit then takes the shell form). A valid array holding anything but
        strings is an error, as in BuildKit."""
        assert self.line is not None
        text = self.line.text
        start = self.skip_space(start, stop)
        if start >= stop or text[start] != "[":
            return None
        try:
            value = json.loads(text[start:stop], parse_constant=_not_json)
        except (ValueError, RecursionError):
            return None
        if not isinstance(value, list):
            return None
        if not all(isinstance(item, str) for item in value):
            raise self.fail(f"{keyword}: a JSON array (exec form) may hold only strings", start)
        items = []
        position = start
        for item in value:
            while text[position] != '"':
                position += 1
            end = position + 1
            while text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            items.append(Word(item, self.span(position, end + 1)))
            position = end + 1
        return items

    def value(self, raw: str) -> str:
        """A value as the build sees it, ``$VARS`` kept: quotes and escapes processed."""
        try:
            return expand(raw, self.scanner.escape)[0]
        except ShellSyntaxError:
            return raw

    # -- heredocs ---------------------------------------------------------------------------
    def heredocs(
        self, cls: type[Instruction], fields: dict[str, Any], line: LogicalLine
    ) -> tuple[tuple[Heredoc, ...], tuple[int, int]] | None:
        """Read the bodies of the heredocs the instruction opens; None if it opens none."""
        keyword, exec_args = fields["keyword"], fields.get("exec_args")
        if cls is OnbuildInstruction:
            keyword, exec_args = fields["trigger"][1]["keyword"], fields["trigger"][1].get("exec_args")
        if keyword not in _HEREDOC_KEYWORDS or exec_args is not None or "<<" not in line.text:
            return None
        try:
            found = split_raw_words(line.text)
        except ShellSyntaxError:
            return None  # BuildKit finds no heredocs in a line its shell lexer cannot read
        out: list[Heredoc] = []
        end: tuple[int, int] | None = None
        for text, start, stop in found:
            try:
                marker = heredoc_marker(text)
            except ShellSyntaxError as error:
                raise self.fail(f"invalid heredoc {_shown(text)}: {error}", start) from None
            if marker is None:
                continue
            name, chomp, expands, descriptor = marker
            marker_span = self.span(start, stop)
            body = self.scanner.read_heredoc(name, chomp, text, marker_span.line)
            out.append(
                Heredoc(name, body.content, marker_span, body.body_span, body.end_line, chomp, expands, descriptor)
            )
            end = (body.end_line, body.end_offset - self.scanner.line_starts[body.end_line - 1] + 1)
        return (tuple(out), end) if out and end is not None else None


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def heredoc_marker(word: str) -> tuple[str, bool, bool, int] | None:
    """(delimiter, chomp, expand, file descriptor) when ``word`` opens a heredoc
    (``<<EOF``, ``<<-'EOF'``, ``3<<EOF``), else None. ShellSyntaxError for a malformed one."""
    match = _HEREDOC_WORD.fullmatch(word)
    if match is None or not match.group(3):
        return None
    rest = match.group(3)
    names = words(rest)
    if len(names) != 1:
        return None
    raw = words_keeping_quotes(rest)
    if len(raw) != 1:
        raise ShellSyntaxError(f"internal lexing of heredoc produced inconsistent results: {rest}")
    expands = names[0].count("'") + names[0].count('"') == raw[0].count("'") + raw[0].count('"')
    descriptor = int(match.group(1)) if match.group(1) else 0
    return names[0], match.group(2) == "-", expands, descriptor


# -- per-keyword argument rules ---------------------------------------------------------------
Handler = Callable[[_Builder, str, int, int, bool, dict[str, Any]], tuple[type[Instruction], dict[str, Any]]]


def _required(b: _Builder, keyword: str, start: int, stop: int, strict: bool, exactly_one: bool = False) -> None:
    if strict and start >= stop:
        count = "exactly one argument" if exactly_one else "at least one argument"
        raise b.fail(f"{keyword} requires {count}", start)


def _shell_form(b: _Builder, keyword: str, start: int, stop: int, strict: bool, fields: dict[str, Any]):
    """RUN, CMD, ENTRYPOINT, SHELL: a JSON array (exec form) or one shell command."""
    items = b.json_items(keyword, start, stop)
    if items is not None:
        if strict and keyword == "SHELL" and not items:
            raise b.fail("SHELL requires at least one argument", start)
        return Instruction, {"exec_args": tuple(items), "words": tuple(items)}
    if strict and keyword == "SHELL":
        if start >= stop:
            raise b.fail("SHELL requires at least one argument", start)
        raise b.fail('SHELL requires the JSON form: SHELL ["executable", "parameters"]', start)
    return Instruction, {"words": (Word(fields["arguments"], fields["arguments_span"]),) if start < stop else ()}


def _list_form(b: _Builder, keyword: str, start: int, stop: int, strict: bool, fields: dict[str, Any]):
    """ADD, COPY, VOLUME: a JSON array or whitespace-separated words."""
    items = b.json_items(keyword, start, stop)
    exec_args = tuple(items) if items is not None else None
    found = tuple(items) if items is not None else tuple(b.word(s, e) for s, e in b.blank_runs(start, stop))
    if strict and keyword in ("ADD", "COPY"):
        if len(found) < 2:
            raise b.fail(f"{keyword} requires at least two arguments: the sources and a destination", start)
        destination = found[-1].value
        try:
            destination_is_heredoc = heredoc_marker(destination) is not None
        except ShellSyntaxError:
            destination_is_heredoc = False
        if destination_is_heredoc:
            raise b.fail(f"{keyword} cannot accept a heredoc as a destination", start)
    if strict and keyword == "VOLUME":
        if not found:
            raise b.fail("VOLUME requires at least one argument", start)
        if any(not item.value.strip() for item in found):
            raise b.fail("VOLUME specified can not be an empty string", start)
    return Instruction, {"exec_args": exec_args, "words": found}


def _single(b: _Builder, keyword: str, start: int, stop: int, strict: bool, fields: dict[str, Any]):
    """MAINTAINER, STOPSIGNAL, WORKDIR: the whole text is the one argument."""
    _required(b, keyword, start, stop, strict, exactly_one=True)
    return Instruction, {"words": (Word(fields["arguments"], fields["arguments_span"]),) if start < stop else ()}


def _user(b: _Builder, keyword: str, start: int, stop: int, strict: bool, fields: dict[str, Any]):
    _required(b, keyword, start, stop, strict, exactly_one=True)
    if start >= stop:
        return Instruction, {}
    assert b.line is not None
    text = b.line.text
    colon = text.find(":", start, stop)
    user_end = colon if colon >= 0 else stop
    group = b.word(colon + 1, stop) if colon >= 0 else None
    whole = Word(fields["arguments"], fields["arguments_span"])
    user = whole if colon < 0 else b.word(start, user_end)
    return UserInstruction, {"words": (whole,), "user": user, "group": group}


def _pairs(b: _Builder, keyword: str, start: int, stop: int, strict: bool, fields: dict[str, Any]):
    """ENV and LABEL: ``name=value ...``, or the legacy ``NAME the rest of the line``."""
    assert b.line is not None
    cls = EnvInstruction if keyword == "ENV" else LabelInstruction
    found = b.quoted_words(start, stop)
    if not found:
        _required(b, keyword, start, stop, strict)
        return cls, {}
    pairs: list[KeyValue] = []
    if "=" not in found[0][0]:
        runs = b.blank_runs(start, stop, limit=2)
        key_start, key_end = runs[0]
        key = b.line.text[key_start:key_end]
        if len(runs) < 2:
            raise b.fail(f"{keyword} {_shown(key)} has no value: write {keyword} {key}=value", key_start)
        value_start, value_end = runs[1]
        raw = b.line.text[value_start:value_end]
        pairs.append(
            KeyValue(
                key,
                b.value(raw),
                raw,
                b.span(key_start, key_end),
                b.span(value_start, value_end),
                b.span(key_start, value_end),
                legacy=True,
            )
        )
        return cls, {"pairs": tuple(pairs), "words": tuple(b.word(s, e) for s, e in runs)}
    words = []
    for text, word_start, word_end in found:
        key, equals, raw = text.partition("=")
        if not equals:
            raise b.fail(f"{keyword}: can't find = in {_shown(text)}; write name=value", word_start)
        if strict and not key:
            raise b.fail(f"{keyword} names can not be blank", word_start)
        value_start = word_start + len(key) + 1
        whole = b.span(word_start, word_end)
        key_span = b.span(word_start, word_start + len(key))
        value_span = b.span(value_start, max(word_end, value_start))
        pairs.append(KeyValue(key, b.value(raw), raw, key_span, value_span, whole))
        words.append(Word(text, whole))
    return cls, {"pairs": tuple(pairs), "words": tuple(words)}


def _arg(b: _Builder, keyword: str, start: int, stop: int, strict: bool, fields: dict[str, Any]):
    """ARG: ``NAME`` or ``NAME=default``, several per line."""
    found = b.quoted_words(start, stop)
    _required(b, keyword, start, stop, strict)
    pairs = []
    words = []
    for text, word_start, word_end in found:
        key, equals, raw = text.partition("=")
        if strict and equals and not key:
            raise b.fail("ARG names can not be blank", word_start)
        key_span = b.span(word_start, word_start + len(key))
        if equals:
            value_start = word_start + len(key) + 1
            value_span = b.span(value_start, max(word_end, value_start))
            whole = b.span(word_start, word_end)
            pairs.append(KeyValue(key, b.value(raw), raw, key_span, value_span, whole))
        else:
            whole = key_span
            pairs.append(KeyValue(key, None, None, key_span, None, key_span))
        words.append(Word(text, whole))
    return ArgInstruction, {"pairs": tuple(pairs), "words": tuple(words)}


def _from(b: _Builder, keyword: str, start: int, stop: int, strict: bool, fields: dict[str, Any]):
    """FROM: ``image`` or ``image AS name``."""
    runs = b.blank_runs(start, stop)
    found = tuple(b.word(s, e) for s, e in runs)
    if not runs:
        if strict:
            raise b.fail("FROM needs an image: FROM [--platform=...] image [AS name]", start)
        return Instruction, {}
    alias: Word | None = None
    if len(runs) == 3 and found[1].value.lower() == "as":
        alias = found[2]
        if strict and not _STAGE_NAME.fullmatch(alias.value.lower()):
            raise b.fail(
                f"invalid stage name {_shown(alias.value)}: it must start with a letter and hold only "
                "letters, digits, '-', '_' and '.'",
                runs[2][0],
            )
    elif len(runs) != 1 and strict:
        raise b.fail("FROM takes an image and an optional stage name: FROM image [AS name]", start)
    return FromInstruction, {"words": found, "base": found[0], "alias": alias}


def _expose(b: _Builder, keyword: str, start: int, stop: int, strict: bool, fields: dict[str, Any]):
    _required(b, keyword, start, stop, strict)
    found = tuple(b.word(s, e) for s, e in b.blank_runs(start, stop))
    ports = []
    for word in found:
        match = _PORT.fullmatch(word.value)
        if match:
            end = int(match.group(2)) if match.group(2) else None
            protocol = (match.group(3) or "tcp").lower()
            ports.append(Port(word.value, word.span, int(match.group(1)), end, protocol))
        else:
            _, slash, protocol = word.value.rpartition("/")
            ports.append(Port(word.value, word.span, None, None, protocol.lower() if slash else "tcp"))
    return ExposeInstruction, {"words": found, "ports": tuple(ports)}


_HEALTH_OPTIONS = {
    "interval": "interval",
    "timeout": "timeout",
    "start-period": "start_period",
    "start-interval": "start_interval",
}


def _healthcheck(b: _Builder, keyword: str, start: int, stop: int, strict: bool, fields: dict[str, Any]):
    """HEALTHCHECK NONE, or HEALTHCHECK [options] CMD command (exec or shell form)."""
    assert b.line is not None
    text = b.line.text
    _required(b, keyword, start, stop, strict)
    if start >= stop:
        return Instruction, {}
    test_end = start
    while test_end < stop and text[test_end] not in _ASCII_SPACE:
        test_end += 1
    command_start = test_end
    while command_start < stop and text[command_start] in _ASCII_SPACE:
        command_start += 1
    test = b.word(start, test_end)
    items = b.json_items(keyword, command_start, stop)
    command = b.word(command_start, stop) if command_start < stop else None
    result: dict[str, Any] = {"test": test, "command": command}
    result["exec_args"] = tuple(items) if items is not None else None
    result["words"] = (test, *(items if items is not None else ((command,) if command else ())))
    kind = test.value.upper()
    if kind == "NONE":
        if strict and command is not None:
            raise b.fail("HEALTHCHECK NONE takes no arguments", command_start)
        return HealthcheckInstruction, result
    if strict and kind != "CMD":
        raise b.fail(f"unknown HEALTHCHECK type {_shown(test.value)}: use CMD or NONE", start)
    if strict and (command is None or items == []):
        raise b.fail("HEALTHCHECK CMD needs a command", start)
    for flag in fields["flags"]:
        field = _HEALTH_OPTIONS.get(flag.name)
        if field is not None and flag.value:
            try:
                seconds = go_duration(flag.value)
            except ValueError:
                if not strict:
                    continue
                message = f"HEALTHCHECK --{flag.name}: {_shown(flag.value)} is not a duration like 30s"
                raise b.fail(message, start) from None
            if strict and seconds != 0 and seconds < 0.001:
                raise b.fail(f"HEALTHCHECK --{flag.name} cannot be less than 1ms", start)
            result[field] = seconds
        elif flag.name == "retries" and flag.value:
            if not re.fullmatch(r"[+-]?[0-9]{1,10}", flag.value) or not -(2**31) <= int(flag.value) < 2**31:
                if strict:
                    raise b.fail(f"HEALTHCHECK --retries: {_shown(flag.value)} is not a number", start)
                continue
            if strict and int(flag.value) < 0:
                raise b.fail(f"HEALTHCHECK --retries cannot be negative ({flag.value})", start)
            result["retries"] = int(flag.value)
    return HealthcheckInstruction, result


def _onbuild(b: _Builder, keyword: str, start: int, stop: int, strict: bool, fields: dict[str, Any]):
    """ONBUILD <instruction>: the trigger is parsed as BuildKit's parser does (no checks
    beyond its line parsers; unknown keywords are kept)."""
    assert b.line is not None
    _required(b, keyword, start, stop, strict)
    if start >= stop:
        return Instruction, {}
    trigger_end = start
    while trigger_end < stop and b.line.text[trigger_end] not in _BLANKS:
        trigger_end += 1
    trigger = b.line.text[start:trigger_end].upper()
    if trigger == "ONBUILD":
        raise b.fail("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", start)
    if trigger in ("FROM", "MAINTAINER"):
        raise b.fail(f"{trigger} isn't allowed as an ONBUILD trigger", start)
    parsed = b.parse(start, stop, strict=False)
    whole = Word(fields["arguments"], fields["arguments_span"])
    return OnbuildInstruction, {"words": (whole,), "trigger": parsed}


_HANDLERS: dict[str, Handler] = {
    "ADD": _list_form,
    "ARG": _arg,
    "CMD": _shell_form,
    "COPY": _list_form,
    "ENTRYPOINT": _shell_form,
    "ENV": _pairs,
    "EXPOSE": _expose,
    "FROM": _from,
    "HEALTHCHECK": _healthcheck,
    "LABEL": _pairs,
    "MAINTAINER": _single,
    "ONBUILD": _onbuild,
    "RUN": _shell_form,
    "SHELL": _shell_form,
    "STOPSIGNAL": _single,
    "USER": _user,
    "VOLUME": _list_form,
    "WORKDIR": _single,
}


def parse_dockerfile(
    file: DockerfileFile, *, checks: bool = True
) -> tuple[tuple[Instruction, ...], tuple[Comment, ...], tuple[Directive, ...], str]:
    """The instructions, comments, directives and escape character of ``file``'s text.
    ``checks=False`` applies only BuildKit's parser checks, not its instruction checks."""
    if file.path.rsplit("/", 1)[-1].endswith(".dockerignore"):
        raise SkipFile("dockerignore", "a .dockerignore file, not a Dockerfile")
    if "\x00" in file.text:
        at = file.text.index("\x00")
        line = file.span_from_offsets(at, at + 1).line
        raise LoadError("dockerfile", "binary content: a NUL character, which no Dockerfile holds", line)
    builder = _Builder(file, checks)
    try:
        try:
            instructions = builder.run()
        except DockerfileSyntaxError as error:
            raise LoadError("dockerfile", error.message, error.line) from None
    except LoadError as error:
        if _TEMPLATE.search(file.text):
            raise SkipFile(
                "template", f"a template, not a Dockerfile: {error.message}; check the rendered file", error.line
            ) from None
        raise
    scanner = builder.scanner
    span = scanner.span
    comments = tuple(Comment(c.line, c.text, span(c.line, c.start, c.end)) for c in scanner.comments)
    directives = tuple(
        Directive(d.name, d.value, span(d.line, d.start, d.end), span(d.line, d.value_start, d.value_end))
        for d in scanner.directives
    )
    return instructions, comments, directives, scanner.escape
