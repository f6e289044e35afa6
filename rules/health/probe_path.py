"""HLT003: a probe or health check requests a path the service it checks does not serve."""

from __future__ import annotations

import posixpath
from typing import Any

from prodready_lint.sdk import Confidence, Context, FileKind, RepoContext, RepoRule, Repository, Severity

from ._common import (
    CHECKLIST,
    PYTHON_TRIGGERS,
    collect_facts,
    describe_health,
    directories,
    health_paths,
    image_base,
    is_sample,
    probe_port_verdict,
    service_for,
    service_label,
    services,
    span_of,
)

# Images of infrastructure a repository deploys beside its own code: never its service
_INFRASTRUCTURE = frozenset(
    """nginx nginx-unprivileged openresty httpd apache caddy traefik envoy haproxy redis valkey memcached postgres
    postgresql mysql mariadb mongo mongodb rabbitmq kafka zookeeper elasticsearch opensearch kibana grafana
    prometheus alertmanager loki tempo jaeger otel opentelemetry-collector busybox alpine curlimages minio consul
    vault etcd clickhouse cassandra influxdb nats localstack mailhog mailpit keycloak pgbouncer pgadmin4 adminer
    selenium flower""".split()  # noqa: SIM905 - a word list reads better than 60 strings
)


class ProbePathNotServed(RepoRule):
    """A probe or health check requests a path the service it checks does not serve.

    ## What it does
    Holds every HTTP health check of the repository against the routes of the service it
    checks: a Kubernetes `httpGet` probe (or an `exec` probe that curls), a Compose
    `healthcheck` and a Dockerfile `HEALTHCHECK` that `curl` or `wget` a path on their
    own container. The check is matched to its service by the repository's layout: the
    build context or Dockerfile directory holding the service's code, the service
    directory holding the manifest, the image, workload or container named like the
    service's directory, or the only service of the repository. When no match is
    certain, or the service may serve the path through a route the analysis cannot
    follow, nothing is reported.

    The finding is at the probed path. Trailing slashes are compared the way the
    service's framework treats them (Flask and Django redirect `/health` to `/health/`,
    which a probe follows; FastAPI and Starlette answer both; aiohttp answers only the
    path as written), and Django's `APPEND_SLASH` is read from its settings.

    ## Why is this bad?
    A probe on a path the application does not serve fails with 404 on every pod:
    Kubernetes never marks the pods ready (a rollout hangs) or restarts them in a loop,
    and Compose reports the container unhealthy so services that depend on it never
    start. Probe paths drift when routes are renamed (`/health` becomes `/healthz`),
    prefixes are added, or a manifest is copied from another service.

    ## Example
    ```python title="orders/app.py"
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/health")
    def health():
        return {"status": "ok"}
    ```

    ```yaml title="orders/deploy/deployment.yaml"
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: orders
    spec:
      template:
        spec:
          containers:
            - name: orders
              image: registry.example.com/orders:1.4.2
              readinessProbe:
                httpGet:
                  path: /healthz
                  port: 8000
              livenessProbe:
                tcpSocket: {port: 8000}
    ```

    ## Use instead
    ```python title="orders/app.py"
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/health")
    def health():
        return {"status": "ok"}
    ```

    ```yaml title="orders/deploy/deployment.yaml"
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: orders
    spec:
      template:
        spec:
          containers:
            - name: orders
              image: registry.example.com/orders:1.4.2
              readinessProbe:
                httpGet:
                  path: /health
                  port: 8000
              livenessProbe:
                tcpSocket: {port: 8000}
    ```

    A check is held against the service's routes only on the port the service listens
    on. The port is resolved the way the orchestrator resolves it (a named port through
    the container's `ports`), and compared with the port the server is told to listen on
    (`--port 8000`, `--bind 0.0.0.0:8000`, `runserver 0.0.0.0:8000` in the container's
    command or arguments, a `PORT` variable, the Compose `command`, the Dockerfile's
    `CMD`). A probe on another port, or on a port declared under a metrics or admin name
    (`metrics`, `admin`, `management`...), checks another listener (a Prometheus exporter,
    an admin server) whose routes the analysis does not know, and is not judged; so is a
    probe whose port cannot be resolved with certainty (a port name no declared port
    has, a number none of the declared ports has).

    ## Notes
    Images of well-known infrastructure (nginx, Redis, Postgres...) are never matched to
    the repository's service. Health checks that request another host are not checked.
    """

    id = "HLT003"
    name = "probe-path-not-served"
    summary = "probe or health check requests a path its service does not serve"
    checklist = CHECKLIST
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    cwe = (754,)  # improper check for unusual or exceptional conditions
    kinds = frozenset({FileKind.PYTHON, FileKind.YAML, FileKind.DOCKERFILE})
    collect_triggers = (*PYTHON_TRIGGERS, "httpGet:", "healthcheck:", "HEALTHCHECK", "exec:")
    references = (
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        "https://docs.docker.com/reference/compose-file/services/#healthcheck",
        "https://docs.docker.com/reference/dockerfile/#healthcheck",
    )

    def collect(self, file: Any, ctx: Context) -> Any:
        facts = collect_facts(file, python=True, yaml=True, docker=True)
        if not facts:
            return None
        if "web" in facts:
            return facts
        keep: dict[str, Any] = {}
        if facts.get("workloads"):
            keep["workloads"] = facts["workloads"]
        if facts.get("compose"):
            keep["compose"] = facts["compose"]
        if facts.get("healthcheck") is not None:
            keep["dockerfile"] = facts
        return keep or None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        found = list(services(repo))
        if not found:
            return
        words = health_paths(self.settings)
        folders = directories(repo)
        # the repository's own images: with more than one, "the only service" is no match
        images = {
            image_base(container["image"])
            for data in repo.facts.values()
            for workload in (data or {}).get("workloads", ())
            for container in workload["containers"]
            if container["image"]
        }
        own_images = {i for i in images if i and i not in _INFRASTRUCTURE}
        for path, data in sorted(repo.facts.items()):
            if not data or is_sample(path):
                continue
            for workload in data.get("workloads", ()):
                for container in workload["containers"]:
                    image = image_base(container["image"])
                    if image in _INFRASTRUCTURE:
                        continue
                    for probe_name, probe in container["probes"].items():
                        if not probe or probe.get("path") is None:
                            continue
                        service = service_for(
                            found,
                            location=path,
                            names=(image, workload["name"], container["name"]),
                            directories=folders,
                            only=len(own_images) <= 1,
                        )
                        if service is None or not self._reaches(probe, container):
                            continue
                        self._judge(
                            ctx, path, probe, service, words, f"{probe_name} of container {container['name']!r}"
                        )
            for compose in data.get("compose", ()):
                check = compose.get("healthcheck")
                if not check or check.get("path") is None:
                    continue
                image = image_base(compose["image"])
                if compose["context"] is None and (image in _INFRASTRUCTURE or not image):
                    continue
                service = service_for(
                    found,
                    location=path,
                    names=(image, compose["name"]),
                    context=compose["context"],
                    directories=folders,
                    only=False,
                )
                if service is None or not self._reaches(check, compose):
                    continue
                self._judge(ctx, path, check, service, words, f"health check of Compose service {compose['name']!r}")
            docker = data.get("dockerfile")
            if docker and docker["healthcheck"] and docker["healthcheck"].get("path") is not None:
                service = service_for(found, location=path, context=posixpath.dirname(path), directories=folders)
                if service is None or not self._reaches(docker["healthcheck"], docker):
                    continue
                self._judge(ctx, path, docker["healthcheck"], service, words, "HEALTHCHECK")

    @staticmethod
    def _reaches(check: dict, deployed: dict) -> bool:
        """The probe's port is the application's, or nothing says otherwise."""
        declared = deployed["declared_ports"] if "declared_ports" in deployed else deployed.get("ports") or ()
        verdict, _number = probe_port_verdict(check.get("port"), declared, deployed.get("listen") or ())
        return verdict == "app"

    @staticmethod
    def _judge(ctx: RepoContext, path: str, check: dict, service: Any, words: frozenset[str], what: str) -> None:
        if service is None:
            return
        probed = check["path"]
        if service.serves(probed) != "no":
            return
        ctx.report(
            path,
            span_of(check.get("path_span") or check.get("span")),
            f"{what}: probe path {probed} is not served by {service_label(service)}; "
            f"{describe_health(service, words)}. Point the probe at a route the service serves",
        )
