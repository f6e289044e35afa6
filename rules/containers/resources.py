"""CTR011-CTR012: CPU and memory requests and limits (checklist ``resource-limits``)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from prodready_lint.sdk import (
    Confidence,
    Container,
    Context,
    Option,
    RepoContext,
    Repository,
    Severity,
    Workload,
    YamlFile,
    YamlMapping,
    is_helm_values,
    values_resources,
)

from ._common import (
    CWE_RESOURCES,
    KUSTOMIZE_TRIGGERS,
    Missing,
    WorkloadRule,
    compose_services_of,
    container_paths,
    describe_container,
    is_fragment,
)

CHECKLIST = ("resource-limits",)
MANAGE_RESOURCES = "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"
TRIGGERS = (*KUSTOMIZE_TRIGGERS, "containers", "services")


def _section(resources: Any, key: str) -> YamlMapping | None:
    section = resources.get(key) if isinstance(resources, YamlMapping) else None
    return section if isinstance(section, YamlMapping) else None


def _set(section: YamlMapping | None, key: str) -> bool:
    return section is not None and section.get(key) not in (None, "")


_COMPOSE_LIMITS = {"memory": ("memory", "mem_limit"), "cpu": ("cpus", "cpus")}


def _values_owner(path: tuple[str, ...]) -> str:
    owner = ".".join(path[:-1])
    return f"'{owner}'" if owner else "the chart"


class ContainerWithoutRequests(WorkloadRule):
    """A container that requests no CPU or no memory.

    ## What it does
    Checks every Kubernetes container (init containers included) for
    `resources.requests.cpu` and `resources.requests.memory`; one finding per container
    naming what is missing. A limit without a request counts as the request, as the
    API server copies it. In Helm values files, a container-shaped `resources` mapping
    without requests (the scaffold's `resources: {}`) is reported with low confidence,
    unless a `resourcesPreset` beside it names a preset the chart renders (Bitnami).

    ## Why is this bad?
    The scheduler places pods by their requests: a pod that requests nothing lands on
    nodes that cannot run it, is evicted first under memory pressure (QoS class
    `BestEffort`) and makes capacity planning and autoscaling on utilization
    meaningless.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      replicas: 3
      selector:
        matchLabels: {app: api}
      template:
        metadata:
          labels: {app: api}
        spec:
          containers:
            - name: api
              image: acme/api:1.4.2
              resources:
                limits: {memory: 512Mi}
                requests: {memory: 256Mi}
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      replicas: 3
      selector:
        matchLabels: {app: api}
      template:
        metadata:
          labels: {app: api}
        spec:
          containers:
            - name: api
              image: acme/api:1.4.2
              resources:
                limits: {memory: 512Mi}
                requests: {cpu: 250m, memory: 256Mi}
    ```

    ## Notes
    Reported at the container's `- name:` line. Defaults a `LimitRange` would apply
    are not taken into account. A Kustomize patch is judged only for what it writes;
    an overlay that adds the requests settles its base's finding. Compose has no
    requests worth checking (`deploy.resources.reservations` only matters to Swarm).
    """

    id = "CTR011"
    name = "container-without-resource-requests"
    summary = "container requests no CPU or memory"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE_RESOURCES
    collect_triggers = TRIGGERS
    references = (MANAGE_RESOURCES,)

    def judge_container(
        self, file: YamlFile, workload: Workload, container: Container, ctx: Context
    ) -> Iterator[Missing]:
        resources = container.node.get("resources")
        requests, limits = _section(resources, "requests"), _section(resources, "limits")
        missing = [key for key in ("cpu", "memory") if not _set(requests, key) and not _set(limits, key)]
        if not missing:
            return
        what = " and ".join(f"{key} request" for key in missing)
        yield Missing(
            container.span,
            f"{describe_container(workload, container)} has no {what}, so the scheduler cannot place it by "
            f"what it uses; set resources.requests.{' and .'.join(missing)}",
            tuple(
                tuple(container_paths(workload, container, f"resources.requests.{key}", f"resources.limits.{key}"))
                for key in missing
            ),
        )

    def judge_other(self, file: YamlFile, ctx: Context) -> None:
        if not is_helm_values(file.path):
            return
        for path, field in values_resources(file):
            requests, limits = _section(field.value, "requests"), _section(field.value, "limits")
            missing = [key for key in ("cpu", "memory") if not _set(requests, key) and not _set(limits, key)]
            if missing:
                ctx.report(
                    field.key_span,
                    f"Helm values set no {' and '.join(f'{key} request' for key in missing)} for "
                    f"{_values_owner(path)}; set resources.requests.{' and .'.join(missing)} in the values the "
                    "release is installed with",
                    confidence=Confidence.LOW,
                )


class ContainerWithoutLimits(WorkloadRule):
    """A container or Compose service without a memory limit.

    ## What it does
    Checks every Kubernetes container (init containers included) for
    `resources.limits.memory`, and every Compose service for
    `deploy.resources.limits.memory` or `mem_limit`. With the `require-cpu-limit`
    option, a missing CPU limit (`resources.limits.cpu`, `deploy.resources.limits.cpus`
    or `cpus`) is reported too, as a finding of its own. In Helm values files, a
    container-shaped `resources` mapping without a memory limit is reported with low
    confidence, unless a `resourcesPreset` beside it names a preset the chart renders.

    ## Why is this bad?
    Without a memory limit a leaking process grows until the node runs out of memory,
    and the kernel's OOM killer then picks victims among its neighbours too. A limit
    confines the damage to the container that leaks.

    ## Example
    ```yaml
    services:
      worker:
        image: acme/worker:2.0.0
    ```

    ## Use instead
    ```yaml
    services:
      worker:
        image: acme/worker:2.0.0
        deploy:
          resources:
            limits:
              memory: 512M
    ```

    ## Notes
    CPU limits are off by default: they throttle a container even when the node has
    idle CPU, which hurts latency more than the noisy neighbour they prevent; CPU
    requests (CTR011) are what share CPU fairly. Teams that want them set
    `require-cpu-limit = true`. Missing limits are reported at the container's
    `- name:` line or the Compose service's name.
    """

    id = "CTR012"
    name = "container-without-memory-limit"
    summary = "container or Compose service has no memory limit"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE_RESOURCES
    collect_triggers = TRIGGERS
    options = (
        Option(
            "require-cpu-limit",
            "bool",
            False,
            "Also report containers and Compose services without a CPU limit (off: CPU limits throttle).",
        ),
    )
    references = (MANAGE_RESOURCES, "https://docs.docker.com/reference/compose-file/deploy/#resources")

    def _wanted(self) -> tuple[str, ...]:
        return ("memory", "cpu") if self.settings["require-cpu-limit"] else ("memory",)

    def judge_container(
        self, file: YamlFile, workload: Workload, container: Container, ctx: Context
    ) -> Iterator[Missing]:
        limits = _section(container.node.get("resources"), "limits")
        for key in self._wanted():
            if _set(limits, key):
                continue
            advice = (
                "a leak grows until the node runs out of memory" if key == "memory" else "it can take every idle CPU"
            )
            yield Missing.at_container(
                workload,
                container,
                f"has no {key} limit: {advice}; set resources.limits.{key}",
                f"resources.limits.{key}",
            )

    def judge_other(self, file: YamlFile, ctx: Context) -> None:
        if is_helm_values(file.path):
            for path, field in values_resources(file):
                limits = _section(field.value, "limits")
                for key in self._wanted():
                    if not _set(limits, key):
                        ctx.report(
                            field.key_span,
                            f"Helm values set no {key} limit for {_values_owner(path)}; set resources.limits.{key} "
                            "in the values the release is installed with",
                            confidence=Confidence.LOW,
                        )
            return

    def collect(self, file: YamlFile, ctx: Context) -> Any:
        facts = super().collect(file, ctx) or {}
        services = []
        for service in compose_services_of(file):
            limits_field = service.resource_limits
            limits = limits_field.value if limits_field is not None and isinstance(limits_field.value, dict) else {}
            entry: dict[str, Any] = {"name": service.name, "span": service.span, "sets": [], "judge": True}
            for key, (deploy_key, legacy_key) in _COMPOSE_LIMITS.items():
                if limits.get(deploy_key) not in (None, "") or service.node.get(legacy_key) not in (None, ""):
                    entry["sets"].append(key)
            entry["judge"] = not is_fragment(service) and "extends" not in service.node
            services.append(entry)
        if services:
            facts["compose"] = services
        return facts or None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        super().check_repo(repo, ctx)
        # Compose files of one directory make one project: an override file that sets the
        # limit for a service settles the base file's finding.
        sets: dict[tuple[str, str], set[str]] = {}
        for path, facts in repo.facts.items():
            for service in facts.get("compose", ()):
                sets.setdefault((posixpath.dirname(path), service["name"]), set()).update(service["sets"])
        for path, facts in sorted(repo.facts.items()):
            for service in facts.get("compose", ()):
                if not service["judge"]:
                    continue
                given = sets.get((posixpath.dirname(path), service["name"]), set())
                for key in self._wanted():
                    if key in given:
                        continue
                    deploy_key = _COMPOSE_LIMITS[key][0]
                    ctx.report(
                        path,
                        service["span"],
                        f"compose service {service['name']!r} has no {key} limit; set "
                        f"deploy.resources.limits.{deploy_key}" + (" (or mem_limit)" if key == "memory" else ""),
                    )
