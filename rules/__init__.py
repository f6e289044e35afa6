"""The built-in rule packs, written only against :mod:`prodready_lint.sdk`.

Exposed as one :class:`~prodready_lint.sdk.RulePack` through the
``prodready_lint.rules`` entry point named ``builtin``, like any third-party pack.
"""

from importlib.metadata import PackageNotFoundError, version

from prodready_lint.sdk import RulePack

from . import health, timeouts


def _version() -> str:
    """The installed distribution's version (a source checkout never installed has none)."""
    try:
        return version("prodready-lint")
    except PackageNotFoundError:
        return "0+unknown"


PACK = RulePack(
    name="builtin",
    version=_version(),
    rules=(*timeouts.RULES, *health.RULES),
    description="prodready-lint's built-in production-readiness rules",
)

__all__ = ["PACK"]
