"""The SDK's API version, and which packs it can run.

``API_VERSION`` is ``MAJOR.MINOR``. A minor release only adds to the SDK (new models,
facts, helpers), so a pack written for ``1.0`` runs on every ``1.x``; a pack written for
a newer minor than this SDK may use names it lacks, and a new major may change or remove
names. A pack declares the version it was written for in ``RulePack(api_version=...)``.
"""

from __future__ import annotations

import re

__all__ = ["API_VERSION", "FIRST_API_VERSION", "incompatibility", "parse_api_version"]

API_VERSION = "1.1"
# What a pack that declares nothing was written for: the first versioned API.
FIRST_API_VERSION = "1.0"

_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


def parse_api_version(text: str) -> tuple[int, int]:
    """``"1.1"`` -> ``(1, 1)``; ``ValueError`` naming the expected shape otherwise."""
    match = _VERSION.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"api_version {text!r} must be MAJOR.MINOR, like {API_VERSION!r}")
    return int(match.group(1)), int(match.group(2))


def incompatibility(declared: str, provided: str = API_VERSION) -> str | None:
    """Why a pack written for ``declared`` cannot run on ``provided``, or None."""
    major, minor = parse_api_version(declared)
    have_major, have_minor = parse_api_version(provided)
    if major != have_major:
        return f"it was written for SDK API {declared}, and this prodready-lint provides API {provided}"
    if minor > have_minor:
        return (
            f"it was written for SDK API {declared}, newer than the API {provided} this prodready-lint provides; "
            "upgrade prodready-lint"
        )
    return None
