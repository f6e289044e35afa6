"""Parse Python files and compute their facts.

``ast`` is the hot path: it is C-speed and enough for facts. When it rejects a file,
LibCST gets a chance, because it parses syntax newer than the running interpreter
(PEP 695, 701, 750, 758); only if both fail is the file reported as a syntax error.
The lossless LibCST tree is otherwise built only when a rule asks for ``file.cst``.
"""

from __future__ import annotations

import ast
import functools
import warnings

from prodready_lint.errors import SourceError
from prodready_lint.sdk.files import PythonFacts, PythonFile, character_column

from .front_ast import lower_ast
from .resolve import build_facts

__all__ = ["cst_for", "facts_for", "parse_python"]


def facts_for(file: PythonFile) -> PythonFacts:
    """The facts of a parsed file, from whichever tree it has (``ast`` when the running
    interpreter parsed it, LibCST otherwise)."""
    try:
        if file.tree is not None:
            # The facts keep the column function for spans computed later: it holds the
            # lines, not the file, so the file and its tree are freed without a cycle.
            return build_facts(lower_ast(file.tree, functools.partial(_column, file.lines)))
        from .front_cst import lower_cst

        return build_facts(lower_cst(file.cst))
    except RecursionError:
        raise SourceError("too-complex", "expressions nest too deeply to analyze") from None


def _column(lines: list[str], line: int, byte_offset: int) -> int:
    return character_column(lines[line - 1] if 0 < line <= len(lines) else "", byte_offset)


def cst_for(file: PythonFile):  # -> libcst.Module
    import libcst

    try:
        return libcst.parse_module(file.text)
    except libcst.ParserSyntaxError as error:
        raise SourceError("syntax", f"LibCST cannot parse the file: {error.message}", error.raw_line) from None


def parse_python(path: str, text: str) -> PythonFile:
    """Parse a module; raise :class:`SourceError` when neither parser accepts it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes etc.
            tree = ast.parse(text, filename=path, type_comments=False)
    except SyntaxError as error:
        return _parse_newer_syntax(path, text, error)
    except (RecursionError, MemoryError):
        # CPython's parser gives up on very deep nesting (100,000 unary minuses) with an
        # empty MemoryError; the file is not wrong, just beyond any analysis.
        raise SourceError("too-complex", "expressions nest too deeply to parse") from None
    except ValueError as error:  # source with NUL bytes and the like
        raise SourceError("syntax", f"cannot parse: {error}") from None
    return PythonFile(path, text, tree)


# SyntaxError messages that mean Python 2 source, which no newer Python parses either:
# trying LibCST on those is wasted time.
_PYTHON2 = (
    "Missing parentheses in call to",
    "leading zeros in decimal integer literals",
    "invalid hexadecimal literal",
)
# CPython refuses more than 200 nested brackets and 100 indentation levels in every
# version; LibCST's native parser can crash (segfault) far beyond that, so a file past
# these limits is never handed to it.
_MAX_BRACKETS = 200
_MAX_INDENT = 100


def _too_deep(text: str) -> str | None:
    """Why LibCST must not see the text, or None: a cheap scan of bracket depth and
    indentation (brackets inside strings count too, which only errs on the safe side)."""
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif char in ")]}":
            depth -= 1
    if deepest > _MAX_BRACKETS:
        return f"brackets nest {deepest} deep (Python allows {_MAX_BRACKETS})"
    widest = max((len(line) - len(line.lstrip(" \t")) for line in text.splitlines()), default=0)
    if widest > _MAX_INDENT * 8:
        return f"a line is indented {widest} columns"
    return None


def _parse_newer_syntax(path: str, text: str, error: SyntaxError) -> PythonFile:
    line = error.lineno or None
    if any(marker in (error.msg or "") for marker in _PYTHON2):
        raise SourceError("syntax", f"syntax error: {error.msg} (Python 2 source?)", line)
    deep = _too_deep(text)
    if deep is not None:
        raise SourceError("too-complex", f"{deep}, too deep to analyze ({error.msg})", line)
    import libcst

    try:
        module = libcst.parse_module(text)
    except (libcst.ParserSyntaxError, RecursionError, ValueError, MemoryError):
        raise SourceError("syntax", f"syntax error: {error.msg}", line) from None
    file = PythonFile(path, text, None)
    file.__dict__["cst"] = module  # already built: keep it
    return file
