"""Value objects shared by rules, the engine and the reporters.

Everything here is immutable (attrs, frozen, slots) so findings can cross process
boundaries, be cached and be compared for equality without surprises.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

__all__ = [
    "Confidence",
    "FileKind",
    "Finding",
    "Location",
    "Severity",
    "Span",
    "Suppression",
]


class _Ranked(enum.Enum):
    """An enum whose members compare by declaration order."""

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)

    def __lt__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank >= other.rank

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, text: str) -> Any:
        """Look a member up by its value, case-insensitively; ValueError names the choices."""
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            choices = ", ".join(m.value for m in cls)
            raise ValueError(f"{text!r} is not one of: {choices}") from None


class Severity(_Ranked):
    """How much harm a finding can do in production, lowest first."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def security_severity(self) -> str:
        """The number GitHub code scanning expects in ``properties.security-severity``."""
        return {"info": "0.0", "low": "3.0", "medium": "5.5", "high": "8.0", "critical": "9.5"}[self.value]

    @property
    def sarif_level(self) -> str:
        return {"info": "note", "low": "note", "medium": "warning", "high": "error", "critical": "error"}[self.value]


class Confidence(_Ranked):
    """How sure the rule is that the finding is real, lowest first."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class FileKind(enum.Enum):
    """What the engine classified a file as; rules declare the kinds they read."""

    PYTHON = "python"
    YAML = "yaml"
    JSON = "json"
    TOML = "toml"
    DOCKERFILE = "dockerfile"
    TERRAFORM = "terraform"
    SQL = "sql"
    ENV = "env"
    INI = "ini"
    REQUIREMENTS = "requirements"
    SHELL = "shell"
    PEM = "pem"
    BUILD = "build"  # CI and build scripts that are not YAML: Jenkinsfile, Makefile, justfile
    OTHER = "other"

    def __str__(self) -> str:
        return self.value


def _positive(instance: Any, attribute: attrs.Attribute, value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be >= 1, got {value}")


@attrs.frozen(slots=True, order=True)
class Span:
    """A region of a file: 1-based lines and columns, the end column exclusive (as in SARIF).

    Columns count Unicode code points, not bytes.
    """

    line: int = attrs.field(validator=_positive)
    column: int = attrs.field(default=1, validator=_positive)
    end_line: int = attrs.field(default=0)
    end_column: int = attrs.field(default=0)

    def __attrs_post_init__(self) -> None:
        if self.end_line == 0:
            object.__setattr__(self, "end_line", self.line)
        if self.end_column == 0:
            object.__setattr__(self, "end_column", self.column if self.end_line != self.line else self.column + 1)
        if (self.end_line, self.end_column) < (self.line, self.column):
            raise ValueError(f"span ends before it starts: {self!r}")


@attrs.frozen(slots=True, order=True)
class Location:
    """Where a finding is: a repository-relative POSIX path and a span in it."""

    path: str
    span: Span

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    @property
    def end_line(self) -> int:
        return self.span.end_line

    @property
    def end_column(self) -> int:
        return self.span.end_column

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@attrs.frozen(slots=True)
class Suppression:
    """An in-source ``# prodready: ignore[ID] -- reason`` that silenced a finding."""

    line: int
    reason: str | None = None


@attrs.frozen(slots=True)
class Finding:
    """One problem found by one rule at one place.

    ``fingerprint`` is stable when lines move (rule, path, the flagged code and its
    occurrence number), for baselines. ``line_hash`` is GitHub code scanning's
    ``primaryLocationLineHash``. ``snippet`` is the first flagged source line with any
    secret redacted; no other field ever carries source text.
    """

    rule_id: str
    message: str
    severity: Severity
    confidence: Confidence
    location: Location
    checklist: tuple[str, ...]
    fingerprint: str
    line_hash: str
    snippet: str
    suppression: Suppression | None = None

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule_id, self.message)
