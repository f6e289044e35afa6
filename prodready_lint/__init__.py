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

from ._version import __version__  # noqa: E402
from .api import ScanResult, Stats, scan  # noqa: E402
from .config import Config, load_config  # noqa: E402
from .errors import ConfigError, ScanError  # noqa: E402
from .sdk.model import Confidence, Finding, Location, Severity, Span, Suppression  # noqa: E402
from .sdk.rule import RuleMetadata  # noqa: E402

__all__ = [
    "Confidence",
    "Config",
    "ConfigError",
    "Finding",
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
