"""Northwind Traders' production-readiness rules: an example third-party pack."""

from pathlib import Path

from prodready_lint.sdk import RulePack, semgrep_rules

from .celery_tasks import CeleryTaskWithoutTimeLimit
from .dockerfile import ImageWithoutHealthcheck
from .runbooks import ServiceWithoutRunbook

# new-rule: imports

HERE = Path(__file__).parent

RULES = (
    CeleryTaskWithoutTimeLimit,
    ImageWithoutHealthcheck,
    ServiceWithoutRunbook,
    *semgrep_rules(HERE / "no_print.yaml"),
    # new-rule: rules
)

PACK = RulePack("northwind", "1.2.0", RULES, "Northwind Traders' production-readiness rules", api_version="1.1")
