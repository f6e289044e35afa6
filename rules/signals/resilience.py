"""Resilience signals: retries with backoff, circuit breakers, graceful shutdown, rate limiting."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import FileKind, PythonFile, Severity, literal

from ._base import ANCHOR_TRIGGERS, SignalRule

_PYTHON_AND_DEPS = frozenset({FileKind.PYTHON, FileKind.REQUIREMENTS, FileKind.TOML, FileKind.DOCKERFILE})


class RetriesWithBackoff(SignalRule):
    """Retries use exponential backoff.

    ## What it does
    Records where the repository retries with backoff as evidence for the
    `retries-backoff` checklist item: tenacity, backoff, stamina, urllib3's `Retry` with a
    `backoff_factor` (also through requests' `HTTPAdapter(max_retries=...)`), and Celery
    tasks with `retry_backoff`. A service that shows none of it gets one informational
    finding at its project file; fixed-sleep retry loops are SIG005.

    ## Why is this bad?
    Calls to other services fail transiently; without retries every blip is an error, and
    retries without backoff turn a struggling dependency into an outage.

    ## Example
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["python", "-m", "worker"]
    ```
    ```python title="worker/__main__.py"
    import requests

    requests.get("https://rates.internal/today", timeout=5)
    ```

    ## Use instead
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["python", "-m", "worker"]
    ```
    ```python title="worker/__main__.py"
    import requests
    from tenacity import retry, stop_after_attempt, wait_exponential


    @retry(stop=stop_after_attempt(5), wait=wait_exponential(max=30))
    def rates():
        return requests.get("https://rates.internal/today", timeout=5)
    ```

    ## Notes
    A signal: one retry library in use does not mean every call is retried.
    """

    id = "SIG004"
    name = "retries-backoff-signal"
    summary = "retries with backoff in use (signal)"
    checklist = ("retries-backoff",)
    severity = Severity.INFO
    cwe = (754,)
    references = ("https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/",)
    kinds = _PYTHON_AND_DEPS
    signal = "retries with backoff"
    modules = {"tenacity": "tenacity", "backoff": "backoff", "stamina": "stamina"}
    calls = {
        "urllib3.util.retry.Retry": "urllib3 Retry with backoff",
        "urllib3.util.Retry": "urllib3 Retry with backoff",
        "urllib3.Retry": "urllib3 Retry with backoff",
        "requests.packages.urllib3.util.retry.Retry": "urllib3 Retry with backoff",
        "requests.adapters.Retry": "urllib3 Retry with backoff",
        "httpx.AsyncHTTPTransport": "httpx transport retries",
        "httpx.HTTPTransport": "httpx transport retries",
    }
    packages = {"tenacity": "tenacity", "backoff": "backoff", "stamina": "stamina"}
    collect_triggers = (*ANCHOR_TRIGGERS, "tenacity", "backoff", "stamina", "Retry", "retries")
    missing = (
        "no retries with backoff found: transient failures of dependencies become errors; retry idempotent calls "
        "with exponential backoff and a bound (tenacity, backoff, urllib3 Retry)"
    )

    def accept_call(self, call: Any) -> bool:
        if call.method is None and "Transport" in (call.qualname or ""):
            return call.keyword("retries") is not None
        factor = call.keyword("backoff_factor")
        return factor is not None and literal(factor) not in (0, 0.0)

    def extra_evidence(self, file: Any) -> list[list[Any]]:
        if not isinstance(file, PythonFile) or "retry_backoff" not in file.text:
            return []
        for call in file.calls:
            value = call.keyword("retry_backoff")
            if value is not None and literal(value) not in (False, 0, None):
                return [[call.span, "Celery task retry_backoff"]]
        return []


class CircuitBreaker(SignalRule):
    """External dependencies are wrapped in a circuit breaker.

    ## What it does
    Records circuit breakers as evidence for the `circuit-breakers` checklist item:
    pybreaker, circuitbreaker, aiobreaker, purgatory, or these declared as dependencies,
    and Istio `outlierDetection` / Envoy `circuit_breakers` in manifests. A service that
    shows none of it gets one informational finding at its project file.

    ## Why is this bad?
    When a dependency hangs, callers without a breaker keep waiting on it until their
    own workers are exhausted, and the failure spreads.

    ## Example
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "api.wsgi"]
    ```
    ```python title="api/wsgi.py"
    from api.app import app as application
    ```

    ## Use instead
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["gunicorn", "api.wsgi"]
    ```
    ```python title="api/wsgi.py"
    import pybreaker

    from api.app import app as application

    payments_breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)
    ```

    ## Notes
    A signal: a breaker library in use does not mean every dependency is behind one.
    """

    id = "SIG006"
    name = "circuit-breaker-signal"
    summary = "circuit breaker in use (signal)"
    checklist = ("circuit-breakers",)
    severity = Severity.INFO
    cwe = (400,)
    references = ("https://martinfowler.com/bliki/CircuitBreaker.html",)
    kinds = frozenset({*_PYTHON_AND_DEPS, FileKind.YAML})
    text_kinds = frozenset({FileKind.YAML})
    signal = "circuit breaker"
    modules = {
        "pybreaker": "pybreaker",
        "circuitbreaker": "circuitbreaker",
        "aiobreaker": "aiobreaker",
        "purgatory": "purgatory",
    }
    packages = {"pybreaker": "pybreaker", "circuitbreaker": "circuitbreaker", "aiobreaker": "aiobreaker"}
    text = {
        r"^\s*outlierDetection\s*:": "Istio outlier detection",
        r"^\s*circuit_breakers\s*:": "Envoy circuit breakers",
    }
    collect_triggers = (*ANCHOR_TRIGGERS, "breaker", "purgatory", "outlierDetection", "circuit_breakers")
    missing = (
        "no circuit breaker found: a hanging dependency can exhaust this service's workers; wrap calls to other "
        "services in a breaker (pybreaker, circuitbreaker) or configure one in the mesh"
    )


class GracefulShutdown(SignalRule):
    """The service shuts down gracefully.

    ## What it does
    Records graceful-shutdown handling as evidence for the `graceful-shutdown` checklist
    item: `signal.signal(signal.SIGTERM, ...)` and `loop.add_signal_handler(SIGTERM, ...)`,
    gunicorn's `graceful_timeout` (or `--graceful-timeout`), uvicorn's
    `timeout_graceful_shutdown`, Kubernetes `preStop` hooks and
    `terminationGracePeriodSeconds`, and `STOPSIGNAL` in Dockerfiles. A service that shows
    none of it gets one informational finding at its project file.

    ## Why is this bad?
    On every deploy the orchestrator sends SIGTERM and, after a grace period, SIGKILL: a
    process that does not finish its in-flight requests and jobs drops them.

    ## Example
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["python", "-m", "consumer"]
    ```
    ```python title="consumer/__main__.py"
    while True:
        handle_next_message()
    ```

    ## Use instead
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["python", "-m", "consumer"]
    ```
    ```python title="consumer/__main__.py"
    import signal

    stopping = False


    def stop(signum, frame):
        global stopping
        stopping = True


    signal.signal(signal.SIGTERM, stop)
    while not stopping:
        handle_next_message()
    ```

    ## Notes
    A signal: web servers such as gunicorn and uvicorn drain on SIGTERM by default, so a
    web service may shut down gracefully with none of this written down.
    """

    id = "SIG007"
    name = "graceful-shutdown-signal"
    summary = "graceful shutdown handled (signal)"
    checklist = ("graceful-shutdown",)
    severity = Severity.INFO
    cwe = (404,)
    references = ("https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/",)
    kinds = frozenset({FileKind.PYTHON, FileKind.DOCKERFILE, FileKind.YAML, FileKind.SHELL, FileKind.TOML})
    text_kinds = frozenset({FileKind.YAML, FileKind.DOCKERFILE, FileKind.SHELL})
    signal = "graceful shutdown"
    calls = {}
    text = {
        r"^\s*preStop\s*:": "Kubernetes preStop hook",
        r"^\s*terminationGracePeriodSeconds\s*:": "Kubernetes termination grace period",
        r"--graceful-timeout\b|--timeout-graceful-shutdown\b": "server graceful timeout",
        r"^\s*STOPSIGNAL\b": "Dockerfile STOPSIGNAL",
        r"^\s*stop_grace_period\s*:": "compose stop_grace_period",
    }
    collect_triggers = (
        *ANCHOR_TRIGGERS,
        "SIGTERM",
        "graceful",
        "preStop",
        "terminationGracePeriodSeconds",
        "STOPSIGNAL",
        "stop_grace_period",
    )
    missing = (
        "no graceful shutdown found: on deploy, SIGTERM can drop in-flight requests and jobs; handle SIGTERM, "
        "set the server's graceful timeout and a preStop hook"
    )

    def python_evidence(self, file: PythonFile) -> list[list[Any]]:
        out = []
        for call in file.calls:
            if call.qualname in ("signal.signal",) or call.method == "add_signal_handler":
                first = call.argument("signalnum", 0) if call.qualname == "signal.signal" else call.argument("sig", 0)
                names = getattr(first, "qualnames", ()) or ()
                text = getattr(first, "dotted", None) or getattr(first, "id", "") or ""
                if any(n.endswith("SIGTERM") for n in names) or str(text).endswith("SIGTERM"):
                    out.append([call.span, f"SIGTERM handler ({call.callee})"])
                    break
        if "graceful" in file.text:
            for assignment in file.assignments:
                if assignment.scope == "module" and assignment.target.name in (
                    "graceful_timeout",
                    "timeout_graceful_shutdown",
                ):
                    out.append([assignment.span, f"server {assignment.target.name}"])
                    break
            for call in file.calls:
                if call.keyword("timeout_graceful_shutdown") is not None:
                    out.append([call.span, "uvicorn timeout_graceful_shutdown"])
                    break
        return out


class RateLimiting(SignalRule):
    """Public endpoints are rate limited.

    ## What it does
    Records rate limiting as evidence for the `rate-limiting` checklist item: slowapi,
    Flask-Limiter, django-ratelimit, fastapi-limiter, limits, Django REST framework
    throttling (`DEFAULT_THROTTLE_CLASSES`, `throttle_classes`), or these declared as
    dependencies; nginx `limit_req`, ingress-nginx `limit-rps`/`limit-connections`
    annotations and Kong/Envoy rate-limit plugins in configuration. A service that shows
    none of it gets one informational finding at its project file.

    ## Why is this bad?
    Without limits one client (a buggy script, a scraper, a credential-stuffing attack)
    can take the service's whole capacity.

    ## Example
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["uvicorn", "api.main:app"]
    ```
    ```python title="api/main.py"
    from fastapi import FastAPI

    app = FastAPI()
    ```

    ## Use instead
    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    CMD ["uvicorn", "api.main:app"]
    ```
    ```python title="api/main.py"
    from fastapi import FastAPI
    from slowapi import Limiter
    from slowapi.util import get_remote_address

    app = FastAPI()
    app.state.limiter = Limiter(key_func=get_remote_address)
    ```

    ## Notes
    A signal: limits at an API gateway outside the repository are invisible here.
    """

    id = "SIG008"
    name = "rate-limiting-signal"
    summary = "rate limiting in place (signal)"
    checklist = ("rate-limiting",)
    severity = Severity.INFO
    cwe = (770,)
    references = ("https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/",)
    kinds = frozenset({*_PYTHON_AND_DEPS, FileKind.YAML, FileKind.INI})
    text_kinds = frozenset({FileKind.YAML, FileKind.INI})
    signal = "rate limiting"
    modules = {
        "slowapi": "slowapi",
        "flask_limiter": "Flask-Limiter",
        "django_ratelimit": "django-ratelimit",
        "ratelimit": "django-ratelimit",
        "fastapi_limiter": "fastapi-limiter",
        "limits": "limits",
        "aiolimiter": "aiolimiter",
    }
    packages = {
        "slowapi": "slowapi",
        "flask-limiter": "Flask-Limiter",
        "django-ratelimit": "django-ratelimit",
        "fastapi-limiter": "fastapi-limiter",
        "limits": "limits",
    }
    text = {
        r"^\s*limit_req(_zone)?\b": "nginx limit_req",
        r"nginx\.ingress\.kubernetes\.io/limit-(rps|rpm|connections)": "ingress-nginx rate limit",
        r"^\s*-?\s*name:\s*rate-limiting\b": "Kong rate-limiting plugin",
        r"envoy\.filters\.http\.(local_)?ratelimit": "Envoy rate limit filter",
    }
    collect_triggers = (
        *ANCHOR_TRIGGERS,
        "slowapi",
        "limiter",
        "Limiter",
        "ratelimit",
        "limits",
        "throttl",
        "THROTTL",
        "limit_req",
        "limit-r",
        "limit-connections",
        "rate-limiting",
    )
    missing = (
        "no rate limiting found: one client can take the service's whole capacity; limit public endpoints "
        "(slowapi, Flask-Limiter, DRF throttling) or at the ingress"
    )

    def extra_evidence(self, file: Any) -> list[list[Any]]:
        if not isinstance(file, PythonFile) or ("THROTTLE" not in file.text and "throttle_classes" not in file.text):
            return []
        for assignment in file.assignments:
            target = assignment.target
            if target.name == "throttle_classes" or target.key == "DEFAULT_THROTTLE_CLASSES":
                return [[assignment.span, "Django REST framework throttling"]]
            if target.name == "REST_FRAMEWORK" and "DEFAULT_THROTTLE_CLASSES" in file.text:
                return [[assignment.span, "Django REST framework throttling"]]
        return []
