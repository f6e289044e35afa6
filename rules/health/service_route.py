"""HLT001: a web service that serves no health or readiness route."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import Confidence, Context, FileKind, Option, RepoContext, RepoRule, Repository, Severity

from ._common import CHECKLIST, PYTHON_TRIGGERS, collect_facts, health_paths, service_label, services


class ServiceWithoutHealthRoute(RepoRule):
    """A web service that serves no health or readiness route.

    ## What it does
    Finds every web service of the repository (a Flask, Quart, FastAPI, Starlette,
    aiohttp, Falcon, Sanic, Litestar, Tornado, Bottle or Pyramid app that is not mounted
    into another app, and every Django project through its root URLconf), follows its
    routes across modules (blueprints and their `url_prefix`, routers included with a
    prefix, sub-applications, `include()` of URLconfs, application factories) and
    reports the service when none of them is a health or readiness route: `/health`,
    `/healthz`, `/ready`, `/readyz`, `/live`, `/livez`, `/ping`, `/-/health`, `/status`,
    `/healthcheck` (`/health-check`, `/health_check`), `/liveness`, `/readiness` (as the
    service serves them, prefixes included: `/api/v1/health` is not one; add such a
    path with the `health-paths` option), or their sub-routes (`/healthz/ready`). The
    routes of a wired health library (flask-healthz, py-healthcheck, fastapi-health,
    django-health-check, django-watchman) are held against the same list at the path
    the service serves them under: `path("health/", include("health_check.urls"))`
    serves `/health/` and counts, `path("ops/health/", ...)` or flask-healthz
    registered with `url_prefix="/api/healthz"` do not, unless configured.

    The finding is on the app's constructor call (for Django, on the root URLconf's
    `urlpatterns`). Apps built in tests, documentation and examples are not services;
    a library or a command-line tool builds no app and gets nothing.

    ## Why is this bad?
    An orchestrator can only route traffic to an instance that is ready and restart one
    that is stuck if the service answers a cheap probe. Without one, Kubernetes,
    load balancers and Compose fall back to "the process is running", so a service
    that has lost its database, deadlocked or not finished starting keeps receiving
    requests. A business route that happens to contain the word (`/health-records/{id}`)
    or a path in a comment does not count.

    ## Example
    ```python title="orders/app.py"
    from flask import Flask

    app = Flask(__name__)


    @app.get("/orders/<int:order_id>")
    def order(order_id):
        return {"id": order_id}
    ```

    ## Use instead
    ```python title="orders/app.py"
    from flask import Flask

    app = Flask(__name__)


    @app.get("/orders/<int:order_id>")
    def order(order_id):
        return {"id": order_id}


    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}
    ```

    ## Notes
    A route whose path the code computes (`@app.get(settings.HEALTH_PATH)`), a router
    from a package outside the repository and a middleware answering a health path
    before routing give the benefit of the doubt, and so does an app with no route found
    at all (an app built for a worker's context, or routes registered in ways the
    analysis does not follow). The services found, with their
    framework, app file and routes, are in the JSON report's `inventory` under
    `web-services`.
    """

    id = "HLT001"
    name = "service-without-health-route"
    summary = "web service serves no health or readiness route"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (754,)  # improper check for unusual or exceptional conditions
    kinds = frozenset({FileKind.PYTHON})
    collect_triggers = PYTHON_TRIGGERS
    options = (
        Option(
            "health-paths",
            "list[str]",
            (),
            "More paths that count as health routes, as the service serves them: "
            "e.g. ['/api/v1/health', '/heartbeat'].",
        ),
    )
    references = (
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        "https://microservices.io/patterns/observability/health-check-api.html",
    )

    def collect(self, file: Any, ctx: Context) -> Any:
        return collect_facts(file, python=True, yaml=False, docker=False)

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        found = services(repo)
        ctx.publish("web-services", [s.to_json() for s in found])
        words = health_paths(self.settings)
        for service in found:
            if service.may_have_health_route(words) or not service.routes:
                continue  # no route at all: an app made for a worker's context, or routes not followed
            shown = sorted({r.path for r in service.routes})
            served = ", ".join(shown[:5]) + (" ..." if len(shown) > 5 else "") if shown else "no route found"
            ctx.report(
                service.file,
                service.span,
                f"{service.framework} service {service.name!r} in {service_label(service)} serves no health or "
                f"readiness route (routes: {served}); add a cheap GET /healthz (liveness) and /readyz "
                "(readiness) for probes",
            )
