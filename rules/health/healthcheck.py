"""HLT004: a Compose service or a serving Dockerfile without a health check."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from prodready_lint.sdk import Confidence, Context, FileKind, RepoContext, RepoRule, Repository, Severity

from ._common import (
    CHECKLIST,
    COMPOSE_TRIGGERS,
    DOCKERFILE_TRIGGERS,
    K8S_TRIGGERS,
    collect_facts,
    has_kubernetes,
    is_sample,
    span_of,
)

_SERVER = re.compile(
    r"\b(?:gunicorn|uvicorn|hypercorn|daphne|waitress-serve|granian|uwsgi|flask\s+run|runserver|fastapi\s+run)\b",
    re.IGNORECASE,
)


# services that run tests, load or one-off tasks, not a server to keep healthy
_NOT_A_SERVER = re.compile(
    r"test|e2e|playwright|cypress|selenium|locust|load-?gen|migrat|seed|setup|init\b|prestart|docs?\b|storybook",
    re.IGNORECASE,
)


_CI_FILE = re.compile(r"(?:^|/)\.?ci/|(?:^|/)\.github/|test|e2e|cypress|playwright", re.IGNORECASE)


class ContainerWithoutHealthcheck(RepoRule):
    """A Compose service or a serving Dockerfile has no health check.

    ## What it does
    In a repository deployed without Kubernetes (no workload manifest, Helm chart or
    Kustomize file), reports each Compose service without a `healthcheck` (built from
    the repository, unless the Dockerfile it builds has a `HEALTHCHECK`, or run from an
    image: databases and caches too, since `depends_on: condition: service_healthy`
    needs one), and each Dockerfile whose final stage serves HTTP (`EXPOSE`, or a web
    server in `CMD`/`ENTRYPOINT`) without a `HEALTHCHECK`, unless a Compose service that
    builds it declares its own health check. Services that run tests, migrations or
    one-off tasks, and Compose files of CI jobs and end-to-end tests, are left out. The
    finding is on the Compose service's name, or on the final stage's `FROM`.

    ## Why is this bad?
    Without a health check Docker and Compose only know whether the process runs:
    `depends_on: condition: service_healthy` cannot wait for the service, `restart`
    policies never act on a hung server, and `docker ps` shows a broken container as
    up. Kubernetes ignores `HEALTHCHECK` and has probes instead, so repositories that
    deploy there are left to the probe rule.

    ## Example
    ```yaml title="docker-compose.yml"
    services:
      api:
        build: .
        ports:
          - "8000:8000"
    ```

    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    COPY . /app
    CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
    ```

    ## Use instead
    ```yaml title="docker-compose.yml"
    services:
      api:
        build: .
        ports:
          - "8000:8000"
        healthcheck:
          test: ["CMD", "curl", "-fsS", "http://localhost:8000/healthz"]
          interval: 10s
          retries: 3
    ```

    ```dockerfile title="Dockerfile"
    FROM python:3.12-slim
    COPY . /app
    CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
    ```

    ## Notes
    Services that only run an image (a database, a cache) are not checked: their
    health check belongs to whoever runs them. `HEALTHCHECK NONE` and
    `healthcheck: {disable: true}` are deliberate choices and are not reported.
    """

    id = "HLT004"
    name = "container-without-healthcheck"
    summary = "Compose service or serving Dockerfile has no health check"
    checklist = CHECKLIST
    severity = Severity.LOW
    confidence = Confidence.MEDIUM
    cwe = (754,)  # improper check for unusual or exceptional conditions
    kinds = frozenset({FileKind.YAML, FileKind.DOCKERFILE})
    collect_triggers = (*K8S_TRIGGERS, *COMPOSE_TRIGGERS, *DOCKERFILE_TRIGGERS)
    references = (
        "https://docs.docker.com/reference/compose-file/services/#healthcheck",
        "https://docs.docker.com/reference/dockerfile/#healthcheck",
    )

    def collect(self, file: Any, ctx: Context) -> Any:
        facts = collect_facts(file, python=False, yaml=True, docker=True)
        if not facts:
            return None
        if "kube_objects" in facts or "compose" in facts:
            return {"workloads": bool(facts.get("workloads")), "compose": facts.get("compose", [])}
        return {"dockerfile": facts}

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        if has_kubernetes(repo):
            return
        docker = {path: data["dockerfile"] for path, data in repo.facts.items() if data and data.get("dockerfile")}
        built: set[str] = set()
        # Compose merges the files of a project (docker-compose.yml and its override):
        # a service is judged once, over every file that defines it
        groups: dict[tuple[str, str], list[tuple[str, dict]]] = {}
        for path, data in sorted(repo.facts.items()):
            if not data or is_sample(path):
                continue
            for service in data.get("compose") or ():
                groups.setdefault((posixpath.dirname(path), service["name"]), []).append((path, service))
        covered: set[str] = set()  # Dockerfiles whose Compose service has its own healthcheck
        for entries in groups.values():
            entries.sort(key=lambda e: (e[1]["context"] is None, "override" in e[0].rsplit("/", 1)[-1], e[0]))
            path, first = entries[0]
            context = first["context"]
            if _NOT_A_SERVER.search(f"{first['name']} {first['dockerfile'] or ''} {first.get('command') or ''}"):
                continue
            if _CI_FILE.search(path):  # the stack a CI job or an end-to-end test brings up
                continue
            image = None
            if context is not None:
                dockerfile = posixpath.normpath(posixpath.join(context or ".", first["dockerfile"] or "Dockerfile"))
                built.add(dockerfile)
                image = docker.get(dockerfile)
            own = any(e["healthcheck"] is not None and not e["healthcheck"]["inherits"] for _, e in entries)
            if own and context is not None:
                covered.add(dockerfile)
            if own or (image and image["healthcheck"] is not None):
                continue
            where = f"built from {context or '.'}" if context is not None else "an image"
            ctx.report(
                path,
                span_of(first["span"]),
                f"Compose service {first['name']!r} ({where}) has no healthcheck"
                + (" and its Dockerfile no HEALTHCHECK" if context is not None else "")
                + ": Compose cannot tell a hung container from a healthy one; add a healthcheck "
                '(a web service: test: ["CMD", "curl", "-fsS", "http://localhost:PORT/healthz"]; a database or '
                "worker: its own readiness command)",
            )
        for path, facts in sorted(docker.items()):
            if path in covered or is_sample(path) or facts["healthcheck"] is not None:
                continue
            if not (facts["expose"] or facts["server"]):
                continue
            ctx.report(
                path,
                span_of(facts["span"]),
                f"the image built by {path} serves HTTP but has no HEALTHCHECK; add one that requests the "
                "service's health route (HEALTHCHECK CMD curl -fsS http://localhost:PORT/healthz || exit 1)",
            )
