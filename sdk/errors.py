"""The one error type every file loader raises: what could not be read, and where.

Loaders turn any parser failure into a :class:`LoadError` (never a parser's own
exception), so a rule author's unit test and the engine handle bad input the same way:
one clear line, and the scan goes on.
"""

from __future__ import annotations

__all__ = ["LoadError", "SkipFile"]


class LoadError(Exception):
    """A file could not be loaded as its kind.

    ``kind`` is a stable word for tooling (``syntax``, ``encoding``, ``yaml``,
    ``dockerfile``, ``hcl``, ``sql``, ``toml``, ``too-complex``, ...); ``line`` is
    1-based when known.
    """

    def __init__(self, kind: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class SkipFile(LoadError):
    """Not an error: the file is recognised but deliberately not analyzed (a Helm
    template is not YAML until rendered). Reported as a note that never changes the
    exit code."""
