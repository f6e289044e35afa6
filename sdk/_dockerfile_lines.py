"""Physical lines to logical instructions, by BuildKit's rules, keeping every source offset.

BuildKit reads a Dockerfile line by line:

* parser directives (``# syntax=``, ``# escape=``, ``# check=``) count only at the very top,
  before any instruction, comment or blank line; a directive may not repeat;
* a line whose first non-blank character is ``#`` is a comment; ``#`` anywhere else is text;
* a line ending in the escape character (``\\``, or a backtick after ``# escape=```),
  optionally followed by spaces or tabs, continues on the next line, unless the escape
  character is itself escaped; comment lines and blank lines inside a continuation are
  skipped; leading whitespace of continuation lines is kept;
* the heredoc bodies of an instruction follow its last line, each up to a line that is
  exactly its delimiter (after leading tabs, for ``<<-``).

The joined text of an instruction is what BuildKit parses; :class:`LogicalLine` maps any
offset in it back to the source, so spans stay exact across continuation lines.
"""

from __future__ import annotations

import bisect
import re

from ._shell_lex import SPACE
from .model import Span

__all__ = ["DockerfileSyntaxError", "HeredocBody", "LineScanner", "LogicalLine", "RawComment", "RawDirective"]

DEFAULT_ESCAPE = "\\"
MAX_LINE_BYTES = 65535  # bufio.Scanner's token limit, which BuildKit does not raise
_NEWLINE = re.compile(r"\r\n|\r|\n")  # the SDK's line breaks (SourceFile.lines)
_DIRECTIVE = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*")
_DIRECTIVES = ("syntax", "escape", "check")


def _utf8_length(text: str, start: int, end: int) -> int:
    return len(text[start:end].encode("utf-8", "surrogatepass"))


class DockerfileSyntaxError(Exception):
    """BuildKit would refuse the file: a one-line message and the 1-based line."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class RawComment:
    """A comment line: where its ``#`` starts and its line ends, and the text after ``#``."""

    __slots__ = ("end", "line", "start", "text")

    def __init__(self, line: int, start: int, end: int, text: str) -> None:
        self.line, self.start, self.end, self.text = line, start, end, text


class RawDirective:
    """A parser directive: its lower-case name, its value and their offsets."""

    __slots__ = ("end", "line", "name", "start", "value", "value_end", "value_start")

    def __init__(self, name: str, value: str, line: int, start: int, end: int, value_start: int) -> None:
        self.name, self.value, self.line = name, value, line
        self.start, self.end = start, end
        self.value_start, self.value_end = value_start, value_start + len(value)


class HeredocBody:
    """The lines of one heredoc body and its terminator line."""

    __slots__ = ("body_span", "content", "end_line", "end_offset")

    def __init__(self, content: str, body_span: Span | None, end_line: int, end_offset: int) -> None:
        self.content = content
        self.body_span = body_span  # None when the body is empty
        self.end_line, self.end_offset = end_line, end_offset  # the terminator line and its end offset


class LogicalLine:
    """One instruction's text with continuations joined, and the way back to the source.

    ``text`` is built from pieces of source lines; ``span(a, b)`` is the source span of
    ``text[a:b]`` (across continuation lines), ``position(i)`` the line and column of
    ``text[i]`` and ``source(i)`` its offset in the source.
    """

    __slots__ = ("_columns", "_lines", "_origins", "_starts", "end_line", "start_line", "text")

    def __init__(self, source_text: str, pieces: list[tuple[int, int, int, int]], start_line: int, end_line: int):
        """``pieces`` are (start, stop, line number, offset of that line's start) in the source."""
        self._starts: list[int] = []
        self._origins: list[int] = []
        self._lines: list[int] = []
        self._columns: list[int] = []
        parts = []
        length = 0
        for start, stop, line, line_start in pieces:
            self._starts.append(length)
            self._origins.append(start)
            self._lines.append(line)
            self._columns.append(start - line_start + 1)
            parts.append(source_text[start:stop])
            length += stop - start
        self.text = "".join(parts)
        self.start_line = start_line
        self.end_line = end_line

    def _piece(self, index: int) -> int:
        if len(self._starts) == 1:
            return 0
        return max(bisect.bisect_right(self._starts, index) - 1, 0)

    def source(self, index: int) -> int:
        if not self._starts:
            return 0
        piece = self._piece(index)
        return self._origins[piece] + index - self._starts[piece]

    def position(self, index: int) -> tuple[int, int]:
        """The 1-based line and column of ``text[index]``."""
        if not self._starts:
            return self.start_line, 1
        piece = self._piece(index)
        return self._lines[piece], self._columns[piece] + index - self._starts[piece]

    def span(self, start: int, stop: int) -> Span:
        """The source span of ``text[start:stop]``; an empty range gives one column, as
        :meth:`SourceFile.span_from_offsets` does."""
        line, column = self.position(start)
        if stop <= start:
            return Span(line, column, line, column + 1)
        end_line, end_column = self.position(stop - 1)
        return Span(line, column, end_line, end_column + 1)


class LineScanner:
    """Reads a Dockerfile's text as BuildKit does; call :meth:`next_instruction` until None,
    and :meth:`read_heredoc` for each heredoc an instruction opens."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.escape = DEFAULT_ESCAPE
        self.comments: list[RawComment] = []
        self.directives: list[RawDirective] = []
        self._directives_done = False
        self._starts: list[int] = [0]
        self._ends: list[int] = []
        for match in _NEWLINE.finditer(text):
            self._ends.append(match.start())
            self._starts.append(match.end())
        self._ends.append(len(text))
        self.line_starts = list(self._starts)  # true line starts, for columns
        if text.startswith("\ufeff"):
            self._starts[0] = 1  # BuildKit drops a byte-order mark
        self._index = 0

    # -- lines ------------------------------------------------------------------------------
    def _take(self) -> tuple[int, int, int]:
        """The next physical line as (1-based number, start offset, end offset)."""
        index = self._index
        self._index += 1
        start, end = self._starts[index], self._ends[index]
        if end - start > MAX_LINE_BYTES // 4 and _utf8_length(self.text, start, end) > MAX_LINE_BYTES:
            raise DockerfileSyntaxError(f"the line is longer than {MAX_LINE_BYTES} bytes, BuildKit's limit", index + 1)
        return index + 1, start, end

    def _skip_space(self, start: int, end: int) -> int:
        text = self.text
        while start < end and text[start] in SPACE:
            start += 1
        return start

    def _continued(self, start: int, end: int) -> tuple[int, bool]:
        """Where the line's content ends, and whether it ends in a line continuation."""
        text, escape = self.text, self.escape
        stop = end
        while stop > start and text[stop - 1] in " \t":
            stop -= 1
        if stop > start and text[stop - 1] == escape and (stop - 1 == start or text[stop - 2] != escape):
            return stop - 1, True
        return end, False

    # -- directives and comments ------------------------------------------------------------
    def _directive(self, number: int, start: int, end: int) -> bool:
        """Read a parser directive on a top line; False once directives are over."""
        text = self.text
        if start >= end or text[start] != "#":
            self._directives_done = True
            return False
        body = self._skip_space(start + 1, end)
        match = _DIRECTIVE.fullmatch(text, body, end)
        name = match.group(1).lower() if match else ""
        if name not in _DIRECTIVES:
            self._directives_done = True
            return False
        if any(d.name == name for d in self.directives):
            raise DockerfileSyntaxError(f"only one {name} parser directive can be used", number)
        value = match.group(2)
        if name == "escape":
            if value not in ("\\", "`"):
                raise DockerfileSyntaxError(f"invalid escape token {value!r}: it must be \\ or `", number)
            self.escape = value
        self.directives.append(RawDirective(name, value, number, start, end, match.start(2)))
        return True

    def _comment(self, number: int, start: int, end: int) -> None:
        self.comments.append(RawComment(number, start, end, self.text[start + 1 : end].strip()))

    def span(self, line: int, start: int, end: int) -> Span:
        """The span of source offsets ``start``-``end`` on one line (1-based ``line``)."""
        base = self.line_starts[line - 1]
        return Span(line, start - base + 1, line, max(end, start + 1) - base + 1)

    # -- instructions -----------------------------------------------------------------------
    def next_instruction(self) -> LogicalLine | None:
        """The next instruction's joined text, or None at the end of the file."""
        text = self.text
        count = len(self._starts)
        while self._index < count:
            number, start, end = self._take()
            start = self._skip_space(start, end)
            if not self._directives_done and self._directive(number, start, end):
                continue
            if start < end and text[start] == "#":
                self._comment(number, start, end)
                continue
            if start == end:
                continue
            stop, continued = self._continued(start, end)
            starts = self.line_starts
            pieces = [(start, stop, number, starts[number - 1])] if stop > start else []
            last_line = number
            while continued and self._index < count:
                last_line, line_start, line_end = self._take()
                first = self._skip_space(line_start, line_end)
                if first < line_end and text[first] == "#":
                    self._comment(last_line, first, line_end)
                    continue
                if first == line_end:
                    continue  # an empty continuation line: BuildKit skips it (with a warning)
                stop, continued = self._continued(line_start, line_end)
                if stop > line_start:
                    pieces.append((line_start, stop, last_line, line_start))
            return LogicalLine(text, pieces, number, last_line)
        return None

    def read_heredoc(self, name: str, chomp: bool, opened: str, line: int) -> HeredocBody:
        """Consume one heredoc body up to its terminator line. ``opened`` (the marker as
        written) and ``line`` (where the instruction starts) are for the error message."""
        text = self.text
        body: list[str] = []
        first: tuple[int, int] | None = None  # (line, offset) of the body's start
        last: tuple[int, int] | None = None
        while self._index < len(self._starts):
            number, start, end = self._take()
            candidate = text[start:end]
            if (candidate.lstrip("\t") if chomp else candidate) == name:
                body_span = None
                if first is not None and last is not None:
                    end_column = last[1] - self.line_starts[last[0] - 1] + 1
                    body_span = Span(first[0], 1, last[0], max(end_column, 1 if last[0] > first[0] else 2))
                return HeredocBody("".join(body), body_span, number, end)
            body.append(candidate + "\n")
            if first is None:
                first = (number, start)
            last = (number, end)
        raise DockerfileSyntaxError(
            f"unterminated heredoc {opened} started on line {line}: no line reads {name!r}", line
        )
