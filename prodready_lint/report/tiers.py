"""Which failed checklist items block a launch at which tier.

The policy is the checklist's own (``sdk/checklist.py``, from the seeds): at tier 0
every failed ``auto`` item blocks; at tier 1 failed ``auto`` items of the Security and
Data safety categories block and the rest warn; at tier 2 only secrets, SQL injection
and PII in logs block. ``signal`` and ``attest`` items never block: a hint is not proof
of a failure, and a missing sign-off is a condition, not a defect. A finding of
severity ``info`` never blocks: it is a note, whatever its item.
"""

from __future__ import annotations

from prodready_lint.sdk.checklist import CHECKLIST, TIERS, ChecklistItem

__all__ = ["CATEGORY_ORDER", "TIER_NAMES", "blocks", "item"]

TIER_NAMES = {int(name.split("-")[1]): text for name, text in TIERS.items()}

_BLOCKING_CATEGORIES = {1: frozenset({"Security", "Data safety"})}
_BLOCKING_SLUGS = {2: frozenset({"secrets", "sql-injection", "pii-logging"})}

# The order categories first appear in the checklist, then third-party ones.
CATEGORY_ORDER: tuple[str, ...] = tuple(dict.fromkeys(entry.category for entry in CHECKLIST.values()))


def item(slug: str) -> ChecklistItem:
    """The checklist item of a slug; a slug a third-party rule declared is an ``auto``
    item of the ``Custom`` category."""
    return CHECKLIST.get(slug) or ChecklistItem(slug, "Custom", "declared by a third-party rule", "auto")


def blocks(slug: str, tier: int) -> bool:
    """Whether a failed item blocks at ``tier``."""
    entry = item(slug)
    if entry.kind != "auto":
        return False
    if tier == 0:
        return True
    if tier in _BLOCKING_CATEGORIES:
        return entry.category in _BLOCKING_CATEGORIES[tier]
    return slug in _BLOCKING_SLUGS.get(tier, frozenset())
