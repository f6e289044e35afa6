"""The dependencies family (checklist slugs ``dependency-vulnerabilities``,
``dependency-pinning``): known vulnerabilities through pip-audit, unpinned requirements,
and CI without a dependency scanner."""

from .audit import VulnerableDependency
from .ci_scan import NoDependencyScanInCi
from .pinning import UnpinnedDependency

RULES = (VulnerableDependency, UnpinnedDependency, NoDependencyScanInCi)

__all__ = [rule.__name__ for rule in RULES] + ["RULES"]
