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
    except RecursionError:
        raise SourceError("too-complex", "expressions nest too deeply to parse") from None
    except (ValueError, MemoryError) as error:
        raise SourceError("syntax", f"cannot parse: {type(error).__name__}: {error}") from None
    return PythonFile(path, text, tree)


def _parse_newer_syntax(path: str, text: str, error: SyntaxError) -> PythonFile:
    import libcst

    try:
        module = libcst.parse_module(text)
    except (libcst.ParserSyntaxError, RecursionError, ValueError):
        line = error.lineno or None
        raise SourceError("syntax", f"syntax error: {error.msg}", line) from None
    file = PythonFile(path, text, None)
    file.__dict__["cst"] = module  # already built: keep it
    return file
