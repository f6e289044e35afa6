"""HLT002: a Kubernetes workload whose containers lack a readiness or liveness probe."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import Confidence, Context, FileKind, RepoContext, RepoRule, Repository, Severity

from ._common import CHECKLIST, K8S_TRIGGERS, PROBED_KINDS, collect_facts, span_of

_PURPOSE = {
    "readinessProbe": "traffic only reaches a ready pod",
    "livenessProbe": "a hung process is restarted",
}


class WorkloadWithoutProbes(RepoRule):
    """A Deployment, StatefulSet or DaemonSet container without a readiness or liveness probe.

    ## What it does
    Checks every container of every Deployment, StatefulSet and DaemonSet in the
    repository's manifests (plain files, multi-document YAML, Kustomize bases, rendered
    Helm output) for a `readinessProbe` and a `livenessProbe`, and reports the container
    that lacks either, at its `- name:` line. Any probe handler counts: `httpGet`,
    `tcpSocket`, `grpc` or `exec`. Init containers are exempt, and so is a container
    without an `image` (a Kustomize patch); a probe a Kustomize patch elsewhere in the
    repository adds to the same workload's container counts.

    ## Why is this bad?
    Without a readiness probe a pod receives traffic as soon as its process starts,
    before it has connected to its database or warmed its caches, and keeps receiving it
    when it can no longer serve: rollouts drop requests. Without a liveness probe a
    deadlocked process is never restarted. Kubernetes only knows what the probes tell it.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: orders
    spec:
      selector:
        matchLabels: {app: orders}
      template:
        metadata:
          labels: {app: orders}
        spec:
          containers:
            - name: orders
              image: registry.example.com/orders:1.4.2
              ports:
                - containerPort: 8000
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: orders
    spec:
      selector:
        matchLabels: {app: orders}
      template:
        metadata:
          labels: {app: orders}
        spec:
          containers:
            - name: orders
              image: registry.example.com/orders:1.4.2
              ports:
                - containerPort: 8000
              readinessProbe:
                httpGet: {path: /readyz, port: 8000}
              livenessProbe:
                httpGet: {path: /healthz, port: 8000}
    ```

    ## Notes
    Jobs, CronJobs and bare Pods run to completion or are not managed by a controller
    and are not checked. Helm templates are not analyzed (render them with
    `helm template` into the scanned tree to check a chart).
    """

    id = "HLT002"
    name = "workload-without-probes"
    summary = "Kubernetes workload container has no readiness or liveness probe"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (754,)  # improper check for unusual or exceptional conditions
    kinds = frozenset({FileKind.YAML})
    collect_triggers = K8S_TRIGGERS
    references = (
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
    )

    def collect(self, file: Any, ctx: Context) -> Any:
        facts = collect_facts(file, python=False, yaml=True, docker=False)
        return {"workloads": facts["workloads"]} if facts and facts.get("workloads") else None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        # probes each (kind, workload, container) has anywhere: a Kustomize patch may add them
        present: dict[tuple, set[str]] = {}
        for data in repo.facts.values():
            for workload in (data or {}).get("workloads", ()):
                for container in workload["containers"]:
                    key = (workload["kind"], workload["name"], container["name"])
                    bucket = present.setdefault(key, set())
                    bucket.update(k for k, v in container["probes"].items() if v and v.get("type"))
        for path, data in sorted(repo.facts.items()):
            for workload in (data or {}).get("workloads", ()):
                if workload["kind"] not in PROBED_KINDS:
                    continue
                for container in workload["containers"]:
                    if container["image"] is None:  # a patch, or an image set elsewhere
                        continue
                    have = present.get((workload["kind"], workload["name"], container["name"]), set())
                    for probe in ("readinessProbe", "livenessProbe"):
                        if probe in have:
                            continue
                        # One finding per missing probe, as Checkov and kube-score count them:
                        # each is its own fix and its own suppression.
                        ctx.report(
                            path,
                            span_of(container["span"]),
                            f"container {container['name']!r} of {workload['kind']} {workload['name']!r} has no "
                            f"{probe}; add one ({_PURPOSE[probe]}: httpGet on the service's health route, or "
                            "tcpSocket, grpc or exec)",
                        )
