"""Rule selectors, shared by --select/--ignore, per-file-ignores and inline suppressions.

A selector is ``ALL``, a rule id or id prefix (``TMO001``, ``TMO``), a rule name
(``requests-without-timeout``), a checklist slug (``timeouts``) or a pack name
(``acme``).
"""

from __future__ import annotations

from prodready_lint.sdk.rule import RuleMetadata


def matches(selector: str, meta: RuleMetadata) -> bool:
    selector = selector.strip()
    if selector == "ALL":
        return True
    if selector[:1].isupper():
        return meta.id.startswith(selector.upper())
    return selector == meta.name or selector in meta.checklist or selector == meta.pack


def matches_any(selectors: tuple[str, ...] | list[str], meta: RuleMetadata) -> bool:
    return any(matches(s, meta) for s in selectors)
