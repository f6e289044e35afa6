"""What the application-settings rules share: which files are tests or development
settings, literal truth of a value, and where a decorator is written."""

from __future__ import annotations

import re
from typing import Any

from prodready_lint.sdk import NOT_LITERAL, PythonFile, Span, literal

# Tests, docs and examples are not what production runs.
_NOT_SERVED = re.compile(
    r"(^|/)(tests?|testing|test_[^/]*\.py|[^/]*_tests?\.py|conftest\.py|docs?|examples?|samples?)(/|$)"
)
# Settings modules that say they are for development, tests or CI.
_DEV_SETTINGS = re.compile(
    r"(^|[/_.-])(dev|develop|development|local|locals|test|tests|testing|ci|debug)([/_.-]|$)",
    re.IGNORECASE,
)
_TRUE_STRINGS = frozenset({"1", "true", "yes", "on", "t", "y"})


def not_served(path: str) -> bool:
    """Tests, documentation and examples: not production code."""
    return bool(_NOT_SERVED.search(path))


def development_settings(path: str) -> bool:
    """A settings module named for development, tests or CI (``settings/dev.py``)."""
    return bool(_DEV_SETTINGS.search(path.rsplit(".", 1)[0]))


def settings_module(path: str) -> bool:
    """A module that holds settings: ``settings.py``, ``settings/prod.py``,
    ``config.py``, ``conf/base.py``, ``production.py``."""
    return bool(re.search(r"(^|/)[^/]*(settings|config|conf|configuration)[^/]*(/|\.py$)|(^|/)prod[^/]*\.py$", path))


def is_true(value: Any) -> bool:
    """A literal True (``True``, ``1``, ``"true"``), following names bound to constants."""
    python = literal(value)
    if python is NOT_LITERAL:
        return False
    if isinstance(python, bool):
        return python
    if isinstance(python, int):
        return python == 1
    return isinstance(python, str) and python.strip().lower() in _TRUE_STRINGS


def is_false(value: Any) -> bool:
    python = literal(value)
    if isinstance(python, bool):
        return not python
    if isinstance(python, int) and not isinstance(python, bool):
        return python == 0
    return isinstance(python, str) and python.strip().lower() in ("0", "false", "no", "off", "f", "n")


def decorator_span(file: PythonFile, def_line: int, name: str) -> Span | None:
    """The line of ``@name`` (or ``@module.name(...)``) above the ``def`` at ``def_line``."""
    lines = file.lines
    pattern = re.compile(rf"^\s*@\s*([\w.]+\.)?{re.escape(name)}\b")
    number = def_line - 1
    while number >= 1:
        text = lines[number - 1]
        if pattern.match(text):
            start = len(text) - len(text.lstrip()) + 1
            return Span(number, start, number, len(text.rstrip()) + 1)
        stripped = text.strip()
        inside = not stripped or stripped.startswith(("@", "#", ")")) or stripped.endswith(",")
        if not inside:
            break
        number -= 1
    return None
