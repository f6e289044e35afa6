"""prodready-lint: audit a repository for production-readiness gaps.

The public API is what this module exports::

    import prodready_lint
    result = prodready_lint.scan(["src"], config={"select": ["TMO"]})
    for finding in result.findings:
        print(finding.location, finding.rule_id, finding.message)

Rules are written against :mod:`prodready_lint.sdk`. Everything else in the package
is private and may change without notice.
"""

import importlib.util as _util
import os as _os

# In a source checkout that was never installed, sdk/ and rules/ sit beside this
# package (installed, they are prodready_lint/sdk and prodready_lint/rules). Only then
# is the checkout added to the package path.
_checkout = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
if _util.find_spec(__name__ + ".sdk") is None and _os.path.isfile(_os.path.join(_checkout, "sdk", "rule.py")):
    __path__.append(_checkout)

from typing import TYPE_CHECKING as _TYPE_CHECKING  # noqa: E402

from ._version import __version__  # noqa: E402

# The public names are imported on first use, so that `prodready-lint --version`, and a
# warm run that replays its last report, never pay for the engine.
_PUBLIC = {
    "Confidence": "sdk.model",
    "Config": "config",
    "ConfigError": "errors",
    "Finding": "sdk.model",
    "InventoryEntry": "api",
    "Location": "sdk.model",
    "RuleMetadata": "sdk.rule",
    "ScanError": "errors",
    "ScanResult": "api",
    "Severity": "sdk.model",
    "Span": "sdk.model",
    "Stats": "api",
    "Suppression": "sdk.model",
    "load_config": "config",
    "scan": "api",
}

if _TYPE_CHECKING:  # pragma: no cover - what static tools see
    from .api import InventoryEntry, ScanResult, Stats, scan
    from .config import Config, load_config
    from .errors import ConfigError, ScanError
    from .sdk.model import Confidence, Finding, Location, Severity, Span, Suppression
    from .sdk.rule import RuleMetadata


def __getattr__(name: str):
    import importlib

    module = _PUBLIC.get(name)
    if module is None:
        if name.startswith("_"):
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        try:  # a submodule, as `prodready_lint.api` would be after `import prodready_lint.api`
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Confidence",
    "Config",
    "ConfigError",
    "Finding",
    "InventoryEntry",
    "Location",
    "RuleMetadata",
    "ScanError",
    "ScanResult",
    "Severity",
    "Span",
    "Stats",
    "Suppression",
    "__version__",
    "load_config",
    "scan",
]
