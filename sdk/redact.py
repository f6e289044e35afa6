"""Redaction: how a secret value is shown anywhere prodready-lint writes text."""

from __future__ import annotations

__all__ = ["MASK", "redact"]

MASK = "*"


def redact(value: str, keep: int = 4) -> str:
    """Mask a secret, keeping a short prefix only when the value is long enough that the
    prefix gives nothing away (``AKIAIOSFODNN7EXAMPLE`` -> ``AKIA****************``).

    The result has the value's length so redacted source lines keep their columns.
    """
    if len(value) < 12:
        keep = 0
    keep = min(keep, len(value) // 4)
    return value[:keep] + MASK * (len(value) - keep)
