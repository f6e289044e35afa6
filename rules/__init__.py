"""The built-in rule packs, written only against :mod:`prodready_lint.sdk`.

Exposed as one :class:`~prodready_lint.sdk.RulePack` through the
``prodready_lint.rules`` entry point named ``builtin``, like any third-party pack.
"""

from prodready_lint.sdk import RulePack

from prodready_lint._version import __version__

from . import timeouts

PACK = RulePack(
    name="builtin",
    version=__version__,
    rules=(*timeouts.RULES,),
    description="prodready-lint's built-in production-readiness rules",
)

__all__ = ["PACK"]
