"""Terminal behaviour: when to use colour, and a progress bar for long scans.

Colour follows the NO_COLOR / FORCE_COLOR conventions and is never used in a pipe.
The progress bar is drawn on stderr only when stderr is a terminal, only once a scan
has run for half a second, and is erased before the report is printed.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from typing import TextIO


def use_colour(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return _isatty(stream) and os.environ.get("TERM") != "dumb"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ProgressBar:
    """``progress(done, total)`` callback drawing ``[=====>    ] 812/1804 files``."""

    def __init__(self, stream: TextIO = sys.stderr, delay: float = 0.5, interval: float = 0.1) -> None:
        self.stream = stream
        self.enabled = _isatty(stream)
        self.started = time.monotonic()
        self.delay = delay
        self.interval = interval
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if now - self.started < self.delay or (now - self.last < self.interval and done < total):
            return
        self.last = now
        width = max(10, min(40, shutil.get_terminal_size((80, 20)).columns - 30))
        filled = int(width * done / total)
        bar = "=" * filled + (">" if filled < width else "") + " " * max(0, width - filled - 1)
        self.stream.write(f"\r[{bar}] {done}/{total} files")
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.drawn = False
