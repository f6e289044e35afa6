"""The built-in rule packs, written only against :mod:`prodready_lint.sdk`.

Exposed as one :class:`~prodready_lint.sdk.RulePack` through the
``prodready_lint.rules`` entry point named ``builtin``, like any third-party pack.
"""

from importlib.metadata import PackageNotFoundError, version

from prodready_lint.sdk import RulePack

from . import aws, containers, health, migrations, secrets, timeouts
from .app_settings import RULES as APP_SETTINGS_RULES
from .dependencies import RULES as DEPENDENCY_RULES
from .pii_logging import RULES as PII_LOGGING_RULES
from .signals import RULES as SIGNAL_RULES
from .sql_injection import RULES as SQL_INJECTION_RULES


def _version() -> str:
    """The installed distribution's version (a source checkout never installed has none)."""
    try:
        return version("prodready-lint")
    except PackageNotFoundError:
        return "0+unknown"


PACK = RulePack(
    name="builtin",
    version=_version(),
    rules=(
        *timeouts.RULES,
        *secrets.RULES,
        *containers.RULES,
        *aws.RULES,
        *DEPENDENCY_RULES,
        *SIGNAL_RULES,
        *APP_SETTINGS_RULES,
        *health.RULES,
        *migrations.RULES,
        *SQL_INJECTION_RULES,
        *PII_LOGGING_RULES,
    ),
    description="prodready-lint's built-in production-readiness rules",
)

__all__ = ["PACK"]
