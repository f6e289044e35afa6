"""Per-rule options: declared by a rule, set by users in ``[tool.prodready-lint.rules.ID]``."""

from __future__ import annotations

import re
from typing import Any

import attrs

__all__ = ["Option"]

_TYPES = {"bool": bool, "int": int, "float": float, "str": str, "list[str]": list}
_OPTION_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _check_name(instance: Any, attribute: attrs.Attribute, value: str) -> None:
    if not _OPTION_NAME.match(value):
        raise ValueError(f"option name {value!r} must be kebab-case, like 'extra-factories'")


def _check_type(instance: Any, attribute: attrs.Attribute, value: str) -> None:
    if value not in _TYPES:
        raise ValueError(f"option type {value!r} must be one of {', '.join(_TYPES)}")


@attrs.frozen(slots=True)
class Option:
    """One setting a rule accepts.

    ``type`` is one of ``"bool"``, ``"int"``, ``"float"``, ``"str"`` or ``"list[str]"``;
    list values are stored as tuples so options stay immutable and hashable.
    """

    name: str = attrs.field(validator=_check_name)
    type: str = attrs.field(validator=_check_type)
    default: Any
    help: str

    def coerce(self, value: Any) -> Any:
        """Validate a configured value; raise ``ValueError`` with a readable reason."""
        if self.type == "bool":
            if isinstance(value, bool):
                return value
        elif self.type == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif self.type == "float":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
        elif self.type == "str":
            if isinstance(value, str):
                return value
        elif self.type == "list[str]" and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ValueError(f"expected {self.type}, got {type(value).__name__} {value!r}")

    @property
    def default_value(self) -> Any:
        return tuple(self.default) if self.type == "list[str]" else self.default
