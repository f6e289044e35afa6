"""The production-readiness checklist: the slugs rules declare, their categories and tiers.

Rules give evidence for checklist items and declare their slugs; the slugs travel with
every finding (JSON, SARIF tags) and drive the readiness report. Third-party rules may
declare new slugs: any kebab-case word is accepted, the ones below are the built-in items.
"""

from __future__ import annotations

import re

import attrs

__all__ = ["CHECKLIST", "TIERS", "ChecklistItem", "is_valid_slug"]

_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@attrs.frozen(slots=True)
class ChecklistItem:
    """One item of the checklist.

    ``kind`` is ``auto`` (code and config can prove it), ``signal`` (code can show a strong
    hint) or ``attest`` (only a person can confirm it).
    """

    slug: str
    category: str
    proves: str
    kind: str


CHECKLIST: dict[str, ChecklistItem] = {
    item.slug: item
    for item in (
        ChecklistItem(
            "secrets",
            "Security",
            "no credential literals in code, config, .env, IaC, Dockerfiles, compose, k8s manifests",
            "auto",
        ),
        ChecklistItem(
            "sql-injection",
            "Security",
            "SQL reaches the driver parameterized, never built by f-string/%/format/+ from variables",
            "auto",
        ),
        ChecklistItem(
            "pii-logging",
            "Security",
            "log calls carry no PII or secrets (emails, passwords, tokens, card numbers, whole request bodies/headers, whole user objects)",
            "auto",
        ),
        ChecklistItem(
            "dependency-vulnerabilities",
            "Security",
            "pinned dependencies have no known vulnerabilities (pip-audit); a scanner runs in CI",
            "auto",
        ),
        ChecklistItem(
            "debug-disabled",
            "Security",
            "no debug mode in production config (Flask/Django/FastAPI debug, Werkzeug debugger)",
            "auto",
        ),
        ChecklistItem(
            "tls",
            "Security",
            "TLS verification never disabled (`verify=False`), HTTPS listeners / ingress TLS, HTTP redirects to HTTPS",
            "auto",
        ),
        ChecklistItem(
            "cors-csrf", "Security", "no wildcard CORS with credentials; CSRF protection not switched off", "auto"
        ),
        ChecklistItem(
            "rate-limiting",
            "Security",
            "public endpoints have rate limiting (limiter library or gateway config)",
            "signal",
        ),
        ChecklistItem("container-nonroot", "Security", "images and pods run as a non-root user", "auto"),
        ChecklistItem(
            "container-hardening",
            "Security",
            "no privileged/host namespaces, read-only root fs, capabilities dropped",
            "auto",
        ),
        ChecklistItem(
            "network-exposure", "Security", "no admin ports or data stores open to 0.0.0.0/0; no public buckets", "auto"
        ),
        ChecklistItem(
            "encryption", "Security", "storage, databases and queues encrypted at rest; TLS in transit", "auto"
        ),
        ChecklistItem(
            "secrets-management",
            "Security",
            "secrets come from a secret store (secretKeyRef, vault, SSM), not literal env values",
            "auto",
        ),
        ChecklistItem(
            "timeouts",
            "Reliability",
            "every external call (HTTP, DB, cache, SMTP, sockets, gRPC) has a finite timeout",
            "auto",
        ),
        ChecklistItem(
            "retries-backoff",
            "Reliability",
            "retries use exponential backoff with a bound, not fixed sleeps or unbounded loops",
            "signal",
        ),
        ChecklistItem(
            "circuit-breakers", "Reliability", "external dependencies are wrapped in a breaker or fallback", "signal"
        ),
        ChecklistItem(
            "health-endpoints",
            "Reliability",
            "each service serves a health/readiness route; orchestrators probe it (k8s probes, compose/Docker HEALTHCHECK) and the probed path exists",
            "auto",
        ),
        ChecklistItem(
            "graceful-shutdown",
            "Reliability",
            "SIGTERM handled / server graceful timeout / preStop and terminationGracePeriod set",
            "signal",
        ),
        ChecklistItem(
            "resource-limits", "Reliability", "CPU and memory requests and limits on every container", "auto"
        ),
        ChecklistItem(
            "high-availability",
            "Reliability",
            "replicas >= 2 (tier 0: 3), PodDisruptionBudget, spread across zones, multi-AZ data stores",
            "auto",
        ),
        ChecklistItem("autoscaling", "Reliability", "HPA / autoscaling group configured with sane bounds", "auto"),
        ChecklistItem(
            "error-handling", "Reliability", "no silently swallowed exceptions around external calls", "auto"
        ),
        ChecklistItem(
            "migrations",
            "Data safety",
            "migrations are reversible and non-destructive (no dropped tables/columns without a plan, no empty downgrade, no RunPython/RunSQL without reverse)",
            "auto",
        ),
        ChecklistItem(
            "zero-downtime-migrations",
            "Deployment",
            "migrations do not lock or rewrite busy tables (Postgres: CREATE INDEX without CONCURRENTLY, NOT NULL column without default, column type change, validating constraints inline)",
            "auto",
        ),
        ChecklistItem(
            "backups",
            "Data safety",
            "automated backups with retention, versioning, point-in-time recovery in IaC",
            "auto",
        ),
        ChecklistItem(
            "deletion-protection", "Data safety", "deletion protection / prevent_destroy on stateful resources", "auto"
        ),
        ChecklistItem(
            "structured-logging", "Observability", "logging is configured (JSON/structured), log levels sane", "signal"
        ),
        ChecklistItem(
            "metrics", "Observability", "the service exposes metrics (Prometheus client, OpenTelemetry)", "signal"
        ),
        ChecklistItem("tracing", "Observability", "distributed tracing configured (OpenTelemetry)", "signal"),
        ChecklistItem(
            "alerting", "Observability", "alert rules exist (PrometheusRule, CloudWatch alarms, ...)", "signal"
        ),
        ChecklistItem("ci-pipeline", "Deployment", "a CI pipeline runs the tests and a security scan", "signal"),
        ChecklistItem(
            "image-pinning",
            "Deployment",
            "base and deployed images pinned by version or digest, never `latest`",
            "auto",
        ),
        ChecklistItem("dependency-pinning", "Deployment", "dependencies locked / pinned", "auto"),
        ChecklistItem("rollback", "Deployment", "rollback procedure documented; migrations have downgrades", "signal"),
        ChecklistItem("runbooks", "Operations", "runbooks exist for the service", "signal"),
        ChecklistItem("on-call", "Operations", "on-call rotation and escalation defined", "attest"),
        ChecklistItem("incident-response", "Operations", "incident process, status page, post-mortems", "attest"),
        ChecklistItem("slo", "Operations", "availability and latency targets defined and monitored", "attest"),
        ChecklistItem("load-testing", "Performance", "load tested at expected and 10x traffic", "attest"),
    )
}

TIERS: dict[str, str] = {
    "tier-0": "core revenue: every failed auto item blocks",
    "tier-1": "important: security and data-safety failures block, the rest warn",
    "tier-2": "internal: only secrets, SQL injection and PII in logs block",
}


def is_valid_slug(slug: str) -> bool:
    """A slug is a kebab-case word: lowercase letters and digits joined by single hyphens."""
    return bool(_SLUG.match(slug))
