"""Observability signals: structured logging, metrics, tracing."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import FileKind, PythonFile, Severity

from ._base import ANCHOR_TRIGGERS, SignalRule


class StructuredLogging(SignalRule):
    """Structured logging is configured.

    ## What it does
    Records where the repository configures logging (`logging.config.dictConfig` or
    `fileConfig`, Django's `LOGGING` setting) and where it uses a structured logging
    library (structlog, python-json-logger, ecs-logging, json-log-formatter, Loguru with
    `serialize=True`, or these declared as dependencies) as evidence for the
    `structured-logging` checklist item. A service (a repository with a Dockerfile, a
    compose file, a Procfile, a chart, `wsgi.py`/`asgi.py` or `manage.py`) that shows none
    of it gets one informational finding at its project file.

    ## Why is this bad?
    Unconfigured logging writes unlevelled plain text, or nothing: an incident then starts
    with grepping free text across hosts instead of querying fields.

    ## Example
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "shop.wsgi"]
    ```
    ```python title="shop/wsgi.py"
    import logging

    log = logging.getLogger(__name__)
    ```

    ## Use instead
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "shop.wsgi"]
    ```
    ```python title="shop/wsgi.py"
    import structlog

    structlog.configure(processors=[structlog.processors.JSONRenderer()])
    log = structlog.get_logger()
    ```

    ## Notes
    A signal, not a proof: the evidence (JSON output `evidence`, SARIF run property
    `prodready-lint/evidence`) says where logging is configured, and the readiness report
    cites it. Libraries (repositories that deploy nothing) never get the finding.
    """

    id = "SIG001"
    name = "structured-logging-signal"
    summary = "structured logging configured (signal)"
    checklist = ("structured-logging",)
    severity = Severity.INFO
    cwe = (778,)
    references = ("https://www.structlog.org/en/stable/logging-best-practices.html",)
    kinds = frozenset({FileKind.PYTHON, FileKind.REQUIREMENTS, FileKind.TOML, FileKind.DOCKERFILE})
    signal = "structured logging"
    modules = {
        "structlog": "structlog",
        "pythonjsonlogger": "python-json-logger",
        "json_log_formatter": "json-log-formatter",
        "ecs_logging": "ecs-logging",
        "json_logging": "json-logging",
    }
    calls = {
        "logging.config.dictConfig": "logging configured",
        "logging.config.fileConfig": "logging configured",
        "structlog.configure": "structlog configured",
    }
    packages = {
        "structlog": "structlog",
        "python-json-logger": "python-json-logger",
        "ecs-logging": "ecs-logging",
        "json-log-formatter": "json-log-formatter",
        "json-logging": "json-logging",
    }
    collect_triggers = (
        *ANCHOR_TRIGGERS,
        "structlog",
        "jsonlogger",
        "json_log",
        "json-log",
        "ecs_logging",
        "ecs-logging",
        "json_logging",
        "json-logging",
        "dictConfig",
        "fileConfig",
        "LOGGING",
        "serialize=True",
    )
    missing = (
        "no logging configuration found: the service logs unstructured text or nothing; configure logging "
        "(logging.config.dictConfig, Django LOGGING) with a JSON formatter such as structlog or python-json-logger"
    )

    def extra_evidence(self, file: Any) -> list[list[Any]]:
        if not isinstance(file, PythonFile) or ("LOGGING" not in file.text and "serialize" not in file.text):
            return []
        out = []
        for assignment in file.assignments:
            if assignment.scope == "module" and assignment.target.name == "LOGGING":
                out.append([assignment.span, "Django LOGGING setting"])
                break
        for call in file.calls:
            if call.method == "add" and "loguru" in file.imported_modules and call.keyword("serialize") is not None:
                out.append([call.span, "Loguru sink with serialize"])
                break
        return out


class MetricsExposed(SignalRule):
    """The service exposes metrics.

    ## What it does
    Records where the repository exports metrics as evidence for the `metrics` checklist
    item: prometheus_client and its framework integrations (prometheus-flask-exporter,
    django-prometheus, prometheus-fastapi-instrumentator, starlette-exporter),
    OpenTelemetry metrics, StatsD and DogStatsD clients, or these declared as
    dependencies; Prometheus `ServiceMonitor`/`PodMonitor` objects and
    `prometheus.io/scrape` annotations in manifests. A service that shows none of it gets
    one informational finding at its project file.

    ## Why is this bad?
    Without metrics nobody sees the error rate climb or the latency drift before users
    do, and alerts have nothing to fire on.

    ## Example
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["uvicorn", "orders.main:app"]
    ```
    ```python title="orders/main.py"
    from fastapi import FastAPI

    app = FastAPI()
    ```

    ## Use instead
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["uvicorn", "orders.main:app"]
    ```
    ```python title="orders/main.py"
    from fastapi import FastAPI
    from prometheus_fastapi_instrumentator import Instrumentator

    app = FastAPI()
    Instrumentator().instrument(app).expose(app)
    ```

    ## Notes
    A signal: importing a metrics library says metrics are exported, not that the right
    ones are. Libraries (repositories that deploy nothing) never get the finding.
    """

    id = "SIG002"
    name = "metrics-signal"
    summary = "metrics exported (signal)"
    checklist = ("metrics",)
    severity = Severity.INFO
    cwe = (778,)
    references = ("https://prometheus.github.io/client_python/",)
    kinds = frozenset({FileKind.PYTHON, FileKind.REQUIREMENTS, FileKind.TOML, FileKind.DOCKERFILE, FileKind.YAML})
    text_kinds = frozenset({FileKind.YAML})
    signal = "metrics"
    modules = {
        "prometheus_client": "Prometheus client",
        "prometheus_flask_exporter": "Prometheus Flask exporter",
        "django_prometheus": "django-prometheus",
        "prometheus_fastapi_instrumentator": "Prometheus FastAPI instrumentator",
        "starlette_exporter": "starlette-exporter",
        "starlette_prometheus": "starlette-prometheus",
        "aioprometheus": "aioprometheus",
        "opentelemetry.metrics": "OpenTelemetry metrics",
        "opentelemetry.sdk.metrics": "OpenTelemetry metrics",
        "statsd": "StatsD client",
        "datadog": "DogStatsD client",
        "markus": "markus metrics",
    }
    packages = {
        "prometheus-client": "Prometheus client",
        "prometheus-flask-exporter": "Prometheus Flask exporter",
        "django-prometheus": "django-prometheus",
        "prometheus-fastapi-instrumentator": "Prometheus FastAPI instrumentator",
        "starlette-exporter": "starlette-exporter",
        "aioprometheus": "aioprometheus",
        "opentelemetry-sdk": "OpenTelemetry SDK",
        "opentelemetry-exporter-prometheus": "OpenTelemetry Prometheus exporter",
        "statsd": "StatsD client",
        "datadog": "DogStatsD client",
    }
    text = {
        r"^\s*kind:\s*(ServiceMonitor|PodMonitor)\b": "Prometheus Operator scrape configuration",
        r"prometheus\.io/scrape[\"']?\s*:\s*[\"']?true": "Prometheus scrape annotation",
    }
    collect_triggers = (
        *ANCHOR_TRIGGERS,
        "prometheus",
        "opentelemetry",
        "statsd",
        "datadog",
        "ServiceMonitor",
        "PodMonitor",
        "markus",
    )
    missing = (
        "no metrics found: the service exports no Prometheus, OpenTelemetry or StatsD metrics; expose request rate, "
        "errors and latency (prometheus_client or an OpenTelemetry exporter)"
    )


class TracingConfigured(SignalRule):
    """Distributed tracing is configured.

    ## What it does
    Records where the repository sets up distributed tracing as evidence for the
    `tracing` checklist item: the OpenTelemetry SDK, tracer or instrumentation packages,
    ddtrace, Elastic APM, Jaeger and Zipkin clients, `sentry_sdk.init` with a
    `traces_sample_rate`, an `OTEL_EXPORTER_OTLP_ENDPOINT` in manifests, or
    `opentelemetry-instrument` in a Dockerfile. A service that shows none of it gets one
    informational finding at its project file.

    ## Why is this bad?
    Without traces a slow request across several services is a guess: nobody can say
    which hop spent the time or failed.

    ## Example
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "billing.wsgi"]
    ```
    ```python title="billing/wsgi.py"
    from billing.app import create_app

    application = create_app()
    ```

    ## Use instead
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["opentelemetry-instrument", "gunicorn", "billing.wsgi"]
    ```
    ```python title="billing/wsgi.py"
    from billing.app import create_app

    application = create_app()
    ```

    ## Notes
    A signal: Sentry counts only when it samples traces. Libraries (repositories that
    deploy nothing) never get the finding.
    """

    id = "SIG003"
    name = "tracing-signal"
    summary = "distributed tracing configured (signal)"
    checklist = ("tracing",)
    severity = Severity.INFO
    cwe = (778,)
    references = ("https://opentelemetry.io/docs/languages/python/",)
    kinds = frozenset({FileKind.PYTHON, FileKind.REQUIREMENTS, FileKind.TOML, FileKind.DOCKERFILE, FileKind.YAML})
    text_kinds = frozenset({FileKind.YAML, FileKind.DOCKERFILE})
    signal = "tracing"
    modules = {
        "opentelemetry.trace": "OpenTelemetry tracing",
        "opentelemetry.sdk.trace": "OpenTelemetry tracing",
        "opentelemetry.instrumentation": "OpenTelemetry instrumentation",
        "ddtrace": "Datadog tracing",
        "elasticapm": "Elastic APM",
        "jaeger_client": "Jaeger client",
        "py_zipkin": "Zipkin client",
    }
    calls = {"sentry_sdk.init": "Sentry performance tracing"}
    packages = {
        "opentelemetry-sdk": "OpenTelemetry SDK",
        "opentelemetry-distro": "OpenTelemetry distro",
        "opentelemetry-instrumentation": "OpenTelemetry instrumentation",
        "ddtrace": "Datadog tracing",
        "elastic-apm": "Elastic APM",
        "jaeger-client": "Jaeger client",
    }
    text = {
        r"OTEL_EXPORTER_OTLP(_TRACES)?_ENDPOINT": "OpenTelemetry exporter endpoint",
        r"opentelemetry-instrument\b": "OpenTelemetry auto-instrumentation",
        r"ddtrace-run\b": "Datadog auto-instrumentation",
    }
    collect_triggers = (
        *ANCHOR_TRIGGERS,
        "opentelemetry",
        "OTEL_",
        "ddtrace",
        "elasticapm",
        "elastic-apm",
        "jaeger",
        "zipkin",
        "traces_sample",
    )
    missing = (
        "no tracing found: requests cannot be followed across services; set up OpenTelemetry "
        "(opentelemetry-instrument, or the SDK with an OTLP exporter)"
    )

    def accept_call(self, call: Any) -> bool:
        return call.keyword("traces_sample_rate") is not None or call.keyword("traces_sampler") is not None
