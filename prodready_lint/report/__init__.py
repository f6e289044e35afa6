"""The readiness report: a verdict for a tier, in Markdown, JSON or HTML.

:func:`build` judges a JSON scan result (``scan --format json``) against the checklist
(:mod:`.model`) with the repository's header (:mod:`.project`) and attestations
(:mod:`.attestations`); :func:`render` writes the one assessment in any format, so
every format holds the same content.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

__all__ = ["FORMATS", "build", "render"]

FORMATS = ("markdown", "json", "html")


def build(
    scan: Mapping[str, Any],
    repository: str,
    *,
    tier: int,
    attestations=None,
    name: str | None = None,
    today=None,
) -> dict[str, Any]:
    """The assessment of ``scan`` for the repository at ``repository`` at ``tier``."""
    from prodready_lint.report.attestations import FILE_NAME, read
    from prodready_lint.report.model import assess
    from prodready_lint.report.project import commit, describe, report_date

    if attestations is None:
        attestations = read(os.path.join(repository, FILE_NAME))
    application, version = describe(repository)
    return assess(
        scan,
        tier=tier,
        attestations=attestations,
        today=today or report_date(),
        application=name or application,
        version=version,
        commit=commit(repository),
    )


def render(report: Mapping[str, Any], fmt: str = "markdown", *, link_base: str | None = None) -> str:
    if fmt == "markdown":
        from prodready_lint.report.markdown import render as markdown

        return markdown(report)
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        from prodready_lint.report.html import render as html

        return html(report, link_base=link_base)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
