"""The per-file view a rule receives: path, kind, text and, per kind, parsed structure.

The engine builds these; rules only read them. Parsing happens once per file and the
expensive parts (Python facts, the LibCST tree) are computed on first use, so a file no
rule asks about costs nothing beyond reading it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .model import FileKind, Span
from .python import Assignment, Call, ClassDef, FunctionDef, Value

if TYPE_CHECKING:  # pragma: no cover
    import libcst

    from .yaml_model import YamlFile

__all__ = [
    "PythonFacts",
    "PythonFile",
    "SourceFile",
    "TextFile",
    "YamlFile",
    "load_python",
    "load_text",
    "load_yaml",
    "split_lines",
]

_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Split on the newlines Python's tokenizer counts (\\n, \\r\\n, \\r) and no others,
    so line numbers agree with parsers (``str.splitlines`` also splits on form feeds)."""
    return _NEWLINE.split(text)


class SourceFile:
    """A file as rules see it. ``path`` is repository-relative and POSIX."""

    kind: FileKind = FileKind.OTHER

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path}>"

    @cached_property
    def lines(self) -> list[str]:
        """The file's lines without line endings; ``lines[0]`` is line 1."""
        return split_lines(self.text)

    def line(self, number: int) -> str:
        """Line ``number`` (1-based), or ``""`` past the end."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        for match in _NEWLINE.finditer(self.text):
            starts.append(match.end())
        return starts

    def span_from_offsets(self, start: int, end: int) -> Span:
        """A span from character offsets into ``text`` (end exclusive)."""
        import bisect

        starts = self._line_starts
        line = bisect.bisect_right(starts, start) - 1
        end_line = bisect.bisect_right(starts, max(start, end - 1)) - 1 if end > start else line
        end_col = end - starts[end_line] + 1 if end > start else start - starts[line] + 2
        return Span(line + 1, start - starts[line] + 1, end_line + 1, end_col)


class TextFile(SourceFile):
    """A file of a kind with no structure of its own (shell scripts, anything else): its
    text and lines."""

    def __init__(self, path: str, text: str, kind: FileKind = FileKind.OTHER) -> None:
        super().__init__(path, text)
        self.kind = kind


def load_text(path: str, text: str) -> TextFile:
    from .kinds import classify

    return TextFile(path, text, classify(path))


def load_build(path: str, text: str) -> TextFile:
    """A CI or build script (Jenkinsfile, Makefile, justfile), whatever its name."""
    return TextFile(path, text, FileKind.BUILD)


class PythonFacts:
    """What the engine knows about a Python file (see :mod:`prodready_lint.sdk.python`).

    ``imports`` maps every name bound by an import anywhere in the file to the qualified
    name it refers to (conflicting bindings are left out; a call through such a name
    still lists every alternative in ``Call.qualnames``); ``imported_modules`` lists
    every module imported; ``calls`` holds every call in source order; ``assignments``
    every assignment in the order the code runs (:class:`~prodready_lint.sdk.python.Assignment`);
    ``functions`` every function and method, with its parameters; ``classes`` every
    class definition; ``constants`` the module-level names bound exactly once to a
    literal-like value. Aliases of modules resolve to the real module (``six.moves.http_client``
    to ``http.client``, ``requests.packages.urllib3`` to ``urllib3``). The engine
    computes each on first use.
    """

    imports: Mapping[str, str]
    imported_modules: frozenset[str]
    calls: tuple[Call, ...]
    assignments: tuple[Assignment, ...]
    functions: tuple[FunctionDef, ...]
    classes: tuple[ClassDef, ...]
    constants: Mapping[str, Value]


class PythonFile(SourceFile):
    """A Python module.

    ``tree`` is the ``ast`` tree, or ``None`` when the file uses syntax newer than the
    running interpreter and was parsed with LibCST instead; prefer the facts
    (``calls``, ``imports``, ...), which exist either way. ``cst`` is the lossless LibCST
    tree, built on first use (it is roughly ten times slower to build than ``tree``).
    """

    kind = FileKind.PYTHON

    def __init__(self, path: str, text: str, tree: ast.Module | None = None) -> None:
        super().__init__(path, text)
        self.tree = tree

    @cached_property
    def facts(self) -> PythonFacts:
        from prodready_lint.python import facts_for

        return facts_for(self)

    @cached_property
    def cst(self) -> libcst.Module:
        from prodready_lint.python import cst_for

        return cst_for(self)

    @property
    def calls(self) -> tuple[Call, ...]:
        return self.facts.calls

    @property
    def imports(self) -> Mapping[str, str]:
        return self.facts.imports

    @property
    def imported_modules(self) -> frozenset[str]:
        return self.facts.imported_modules

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        return self.facts.assignments

    @property
    def functions(self) -> tuple[FunctionDef, ...]:
        return self.facts.functions

    @property
    def classes(self) -> tuple[ClassDef, ...]:
        return self.facts.classes

    @property
    def constants(self) -> Mapping[str, Value]:
        return self.facts.constants

    def column(self, line: int, byte_offset: int) -> int:
        """The 1-based character column of a UTF-8 byte offset (``ast``'s col_offset) on ``line``."""
        return character_column(self.line(line), byte_offset)

    def span_of(self, node: ast.AST) -> Span:
        """The span of an ``ast`` node, with columns in characters."""
        line = node.lineno  # type: ignore[attr-defined]
        end_line = getattr(node, "end_lineno", None) or line
        col = self.column(line, node.col_offset)  # type: ignore[attr-defined]
        end_offset = getattr(node, "end_col_offset", None)
        end_col = self.column(end_line, end_offset) if end_offset is not None else col + 1
        if (end_line, end_col) <= (line, col):
            end_line, end_col = line, col + 1
        return Span(line, col, end_line, end_col)


def character_column(text: str, byte_offset: int) -> int:
    """The 1-based character column of a UTF-8 byte offset (``ast``'s col_offset) in a
    line's ``text``."""
    if text.isascii():
        return byte_offset + 1
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1


def load_python(path: str, text: str) -> PythonFile:
    """Parse a module with ``ast`` (LibCST for syntax newer than the interpreter);
    :class:`LoadError` when neither accepts it."""
    from prodready_lint.python import parse_python

    return parse_python(path, text)


def load_yaml(path: str, text: str) -> YamlFile:
    """Load a YAML file (see :mod:`prodready_lint.sdk.yaml_loader`)."""
    from .yaml_loader import load_yaml as load

    return load(path, text)


def __getattr__(name: str) -> Any:
    # YamlFile lives in .yaml_model, which builds on SourceFile above: imported on first use
    if name == "YamlFile":
        from .yaml_model import YamlFile

        return YamlFile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
