"""How much a scan may spend: worker processes, and time and memory per file.

Kept apart from the process pool so that a warm run, which analyzes nothing, never
imports multiprocessing.
"""

from __future__ import annotations

import os
from typing import NamedTuple

__all__ = ["Budget", "default_jobs"]


class Budget(NamedTuple):
    """Per-file limits: seconds of analysis, and bytes of memory a worker may add."""

    seconds: float = 60.0
    memory: int = 2 * 10**9


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
