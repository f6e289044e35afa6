"""CTR012: CPU and memory requests and a memory limit, one judgement per container
(checklist ``resource-limits``).

CTR011 (requests) was merged into CTR012: a container that lacks both its requests and
its memory limit is one finding that names everything it lacks.
"""

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

# What a container needs: (label, the field to set, the fields any of which settle it).
# A limit without a request counts as the request: the API server copies it.
_CPU_REQUEST = ("CPU request", "requests.cpu", ("requests.cpu", "limits.cpu"))
_MEMORY_REQUEST = ("memory request", "requests.memory", ("requests.memory", "limits.memory"))
_MEMORY_LIMIT = ("memory limit", "limits.memory", ("limits.memory",))
_CPU_LIMIT = ("CPU limit", "limits.cpu", ("limits.cpu",))


def _written(resources: Any, field: str) -> bool:
    section, key = field.split(".")
    return _set(_section(resources, section), key)


def _lacks(
    resources: Any, wanted: tuple[tuple[str, str, tuple[str, ...]], ...]
) -> list[tuple[str, str, tuple[str, ...]]]:
    """What of ``wanted`` the ``resources`` mapping leaves unset."""
    return [item for item in wanted if not any(_written(resources, f) for f in item[2])]


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _what(lacking: list[tuple[str, str, tuple[str, ...]]]) -> str:
    return _names([label for label, _, _ in lacking])


def _fix(lacking: list[tuple[str, str, tuple[str, ...]]]) -> str:
    return "set " + _names([f"resources.{field}" for _, field, _ in lacking])


def _why(lacking: list[tuple[str, str, tuple[str, ...]]]) -> str:
    reasons = []
    if any("request" in label for label, _, _ in lacking):
        reasons.append("the scheduler cannot place it by what it uses")
    if _MEMORY_LIMIT in lacking:
        reasons.append("a leak grows until the node runs out of memory")
    if _CPU_LIMIT in lacking:
        reasons.append("it can take every idle CPU")
    return " and ".join(reasons)


def _values_owner(path: tuple[str, ...]) -> str:
    owner = ".".join(path[:-1])
    return f"'{owner}'" if owner else "the chart"


class ContainerResources(WorkloadRule):
    """A container without CPU and memory requests and a memory limit.

    ## What it does
    Checks every Kubernetes container (init containers included) for
    `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory`,
    and every Compose service for a memory limit (`deploy.resources.limits.memory` or
    `mem_limit`): one finding per container or service, naming everything it lacks. A
    limit without a request counts as the request, as the API server copies it. In Helm
    values files, a container-shaped `resources` mapping that lacks them (the scaffold's
    `resources: {}`) is reported with low confidence, unless a `resourcesPreset` beside
    it names a preset the chart renders (Bitnami).

    ## Why is this bad?
    The scheduler places pods by their requests: a pod that requests nothing lands on
    nodes that cannot run it, is evicted first under memory pressure (QoS class
    `BestEffort`) and makes capacity planning and autoscaling on utilization
    meaningless. Without a memory limit a leaking process grows until the node runs out
    of memory, and the kernel's OOM killer then picks victims among its neighbours too.

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
    Reported at the container's `- name:` line or the Compose service's name. CPU
    limits are off by default: they throttle a container even when the node has idle
    CPU, which hurts latency more than the noisy neighbour they prevent; CPU requests
    are what share CPU fairly. Teams that want them set `require-cpu-limit = true`, and
    a missing CPU limit (`resources.limits.cpu`, `deploy.resources.limits.cpus` or
    `cpus`) is then named in the same finding. Compose has no requests worth checking
    (`deploy.resources.reservations` only matters to Swarm); an override file of the
    same directory that sets the limit settles the base file's service. Defaults a
    `LimitRange` would apply are not taken into account. A Kustomize patch is judged
    only for what it writes; an overlay that writes everything a base's container
    lacks settles its finding. This rule replaces CTR011
    (`container-without-resource-requests`), whose requests it now reports.
    """

    id = "CTR012"
    name = "container-without-resources"
    summary = "container lacks CPU and memory requests or a memory limit"
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

    def _wanted(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        wanted = (_CPU_REQUEST, _MEMORY_REQUEST, _MEMORY_LIMIT)
        return (*wanted, _CPU_LIMIT) if self.settings["require-cpu-limit"] else wanted

    def judge_container(
        self, file: YamlFile, workload: Workload, container: Container, ctx: Context
    ) -> Iterator[Missing]:
        lacking = _lacks(container.node.get("resources"), self._wanted())
        if not lacking:
            return
        yield Missing(
            container.span,
            f"{describe_container(workload, container)} has no {_what(lacking)}: {_why(lacking)}; {_fix(lacking)}",
            tuple(
                tuple(container_paths(workload, container, *(f"resources.{f}" for f in any_of)))
                for _, _, any_of in lacking
            ),
        )

    def judge_other(self, file: YamlFile, ctx: Context) -> None:
        if not is_helm_values(file.path):
            return
        for path, field in values_resources(file):
            lacking = _lacks(field.value, self._wanted())
            if lacking:
                ctx.report(
                    field.key_span,
                    f"Helm values set no {_what(lacking)} for {_values_owner(path)}; {_fix(lacking)} in the values "
                    "the release is installed with",
                    confidence=Confidence.LOW,
                )

    def collect(self, file: YamlFile, ctx: Context) -> Any:
        facts = super().collect(file, ctx) or {}
        services = []
        for service in compose_services_of(file):
            limits_field = service.resource_limits
            limits = limits_field.value if limits_field is not None and isinstance(limits_field.value, dict) else {}
            entry: dict[str, Any] = {"name": service.name, "span": service.span, "sets": []}
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
        wanted = ("memory", "cpu") if self.settings["require-cpu-limit"] else ("memory",)
        for path, facts in sorted(repo.facts.items()):
            for service in facts.get("compose", ()):
                if not service["judge"]:
                    continue
                given = sets.get((posixpath.dirname(path), service["name"]), set())
                lacking = [key for key in wanted if key not in given]
                if not lacking:
                    continue
                fields = _names([f"deploy.resources.limits.{_COMPOSE_LIMITS[key][0]}" for key in lacking])
                ctx.report(
                    path,
                    service["span"],
                    f"compose service {service['name']!r} has no {_names([f'{key} limit' for key in lacking])}; "
                    f"set {fields}" + (" (or mem_limit)" if "memory" in lacking else ""),
                )
