"""Problems that stop one file (or one setting) from being analyzed, never the whole scan."""

from __future__ import annotations

import attrs

from prodready_lint.sdk.errors import LoadError

__all__ = ["ConfigError", "ScanError", "SourceError"]


@attrs.frozen(slots=True)
class ScanError:
    """Something the scan could not do, and why.

        ``kind`` is a stable word for tooling: ``syntax``, ``encoding``, ``binary``,
        ``too-large``, ``unreadable``, ``broken-symlink``, ``symlink-loop``, ``not-found``,
        ``yaml`` (and each loader's own word: ``dockerfile``, ``hcl``, ``sql``, ...),
        ``too-complex``, ``timeout``, ``rule-crash`` (``detail`` holds the traceback),
        ``rule-error`` (a rule reported something impossible, such as a span outside the
        file), ``crash`` (the worker process died), ``config``, ``rule-pack``, ``semgrep`` (semgrep is
    missing or failed, or rejected a rule: the message names the rules that did not run),
    ``usage``; and
        the notes ``skipped`` and ``notice``, which are not problems.
        ``path`` is repository-relative (empty for problems not tied to a file).
    """

    path: str
    kind: str
    message: str
    line: int | None = None
    detail: str | None = attrs.field(default=None, eq=False)  # a rule crash's traceback

    @property
    def is_note(self) -> bool:
        """Not a problem: a file recognised and deliberately skipped (a Helm template),
        or a notice about the run (a capped number of jobs)."""
        return self.kind in ("skipped", "notice")

    @property
    def is_config(self) -> bool:
        """Configuration and usage problems: they make the CLI exit with 2."""
        return self.kind in ("config", "rule-pack", "semgrep", "not-found", "usage")

    @property
    def is_usage(self) -> bool:
        """A problem with how the scan was asked for (a missing path, an empty selection)."""
        return self.kind in ("not-found", "usage")

    def __str__(self) -> str:
        from prodready_lint.textsafe import printable

        path = printable(self.path)
        where = f"{path}:{self.line}: " if path and self.line else f"{path}: " if path else ""
        return f"{where}{self.kind}: {printable(self.message)}"


# Reading or parsing a file failed; becomes a :class:`ScanError`. The engine raises the
# SDK's own error type, so loaders written against the SDK need nothing from here.
SourceError = LoadError


class ConfigError(Exception):
    """Raised by :func:`prodready_lint.load_config` for a configuration that cannot be used."""

    def __init__(self, problems: list[ScanError]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
