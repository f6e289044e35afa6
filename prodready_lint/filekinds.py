"""Classify files by name into the kinds rules declare (no file is opened to do it).

The patterns live in the SDK's registry of kinds (:mod:`prodready_lint.sdk.kinds`).
"""

from prodready_lint.sdk.kinds import classify

__all__ = ["classify"]
