"""A third-party rule pack, written only against prodready_lint.sdk.

The tests install it through a real ``prodready_lint.rules`` entry point. It covers
what the built-in timeouts family does not: YAML with exact key positions, plain-text
files, and a repository rule that holds Kubernetes probes against the service's routes.
"""

from __future__ import annotations

from collections.abc import Mapping

from prodready_lint.sdk import (
    Confidence,
    Context,
    DockerfileFile,
    FileKind,
    PythonFile,
    RepoContext,
    RepoRule,
    Repository,
    Rule,
    RulePack,
    Severity,
    SourceFile,
    Span,
    YamlFile,
    literal,
)


def _containers(document):
    if not isinstance(document, Mapping) or document.get("kind") not in ("Deployment", "StatefulSet", "DaemonSet"):
        return []
    spec = document.get("spec", {}).get("template", {}).get("spec", {})
    return [c for c in spec.get("containers", []) or [] if isinstance(c, Mapping)]


class ContainerWithoutLimits(Rule):
    """A Kubernetes container without CPU and memory limits.

    ## What it does
    Checks Deployments, StatefulSets and DaemonSets for containers that set no
    `resources.limits.cpu` or `resources.limits.memory`.

    ## Why is this bad?
    A container without limits can starve its neighbours on the node.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      template:
        spec:
          containers:
            - name: api
              image: acme/api:1.4.2
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      template:
        spec:
          containers:
            - name: api
              image: acme/api:1.4.2
              resources:
                limits: {cpu: 500m, memory: 256Mi}
    ```
    """

    id = "ACME001"
    name = "container-without-limits"
    summary = "Kubernetes container has no CPU or memory limit"
    checklist = ("resource-limits",)
    severity = Severity.HIGH
    kinds = frozenset({FileKind.YAML})
    triggers = ("containers",)

    def check(self, file: YamlFile, ctx: Context) -> None:
        for document in file.documents:
            for container in _containers(document):
                limits = (container.get("resources") or {}).get("limits") or {}
                missing = [key for key in ("cpu", "memory") if key not in limits]
                if missing:
                    name = container.get("name", "?")
                    ctx.report(
                        file.span_of(container, "name"), f"container {name!r} has no {' or '.join(missing)} limit"
                    )


class ImageWithoutTag(Rule):
    """A Dockerfile base image without a pinned tag.

    ## What it does
    Checks `FROM` lines whose image has no tag or uses `latest`.

    ## Why is this bad?
    The build changes whenever the upstream image does.

    ## Example
    ```dockerfile
    FROM python:latest
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12.7-slim
    ```
    """

    id = "ACME002"
    name = "image-without-tag"
    summary = "Dockerfile base image is not pinned"
    checklist = ("image-pinning",)
    severity = Severity.LOW
    confidence = Confidence.HIGH
    kinds = frozenset({FileKind.DOCKERFILE})
    triggers = ("from",)
    triggers_ignore_case = True

    def check(self, file: DockerfileFile, ctx: Context) -> None:
        for stage in file.stages:
            image = stage.image
            if stage.base_stage is not None or image is None or image.is_scratch:
                continue  # built on an earlier stage, or on nothing
            if image.is_untagged or image.is_latest:
                ctx.report(stage.from_instruction.base.span, f"base image {stage.base_resolved!r} is not pinned")


class ProbeWithoutRoute(RepoRule):
    """A Kubernetes probe that checks a path the service does not serve.

    ## What it does
    Collects the HTTP routes declared in Python code (`@app.get("/path")`,
    `@app.route("/path")`) and the `httpGet` paths of liveness and readiness probes,
    and reports probes whose path no route serves.

    ## Why is this bad?
    The probe fails from the first deployment and the pods never become ready.

    ## Example
    ```python title="app/main.py"
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/healthz")
    def health():
        return {"ok": True}
    ```

    ```yaml title="deploy/api.yaml"
    apiVersion: apps/v1
    kind: Deployment
    spec:
      template:
        spec:
          containers:
            - name: api
              readinessProbe:
                httpGet: {path: /ready, port: 8080}
    ```

    ## Use instead
    ```python title="app/main.py"
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/healthz")
    def health():
        return {"ok": True}
    ```

    ```yaml title="deploy/api.yaml"
    apiVersion: apps/v1
    kind: Deployment
    spec:
      template:
        spec:
          containers:
            - name: api
              readinessProbe:
                httpGet: {path: /healthz, port: 8080}
    ```
    """

    id = "ACME100"
    name = "probe-without-route"
    summary = "Kubernetes probe path is not served by any route"
    checklist = ("health-endpoints",)
    severity = Severity.HIGH
    kinds = frozenset({FileKind.PYTHON, FileKind.YAML})
    collect_triggers = ("Probe", "route", ".get(")

    def collect(self, file: SourceFile, ctx: Context):
        if isinstance(file, PythonFile):
            routes = []
            for function in file.functions:
                for decorator in function.decorators:
                    call = getattr(decorator, "call", None)
                    if call is not None and call.method in ("get", "route", "api_route") and call.args:
                        path = literal(call.args[0])
                        if isinstance(path, str):
                            routes.append(path)
            return {"routes": routes} if routes else None
        probes = []
        for document in file.documents:
            for container in _containers(document):
                for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                    http_get = (container.get(probe) or {}).get("httpGet")
                    if isinstance(http_get, Mapping) and "path" in http_get:
                        span = file.span_of(http_get, "path")
                        probes.append(
                            {"path": http_get["path"], "probe": probe, "line": span.line, "column": span.column}
                        )
        return {"probes": probes} if probes else None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        served = {route for facts in repo.facts.values() for route in facts.get("routes", [])}
        for path, facts in sorted(repo.facts.items()):
            for probe in facts.get("probes", []):
                if probe["path"] not in served:
                    at = Span(probe["line"], probe["column"], probe["line"], probe["column"] + 4)
                    ctx.report(path, at, f"{probe['probe']} checks {probe['path']}, which no route serves")


PACK = RulePack("acme", "1.0.0", (ContainerWithoutLimits, ImageWithoutTag, ProbeWithoutRoute), "ACME's house rules")
