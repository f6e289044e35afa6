"""K8S009-K8S010: repository-level signals for the readiness report (``alerting``, ``autoscaling``).

A signal says whether a repository that deploys workloads also defines something the
checklist asks for anywhere: alert rules, autoscalers. It is one finding of severity
``info`` per repository when the thing is absent, reported at the first workload (by
path, then position) so it has a place in every output format, and never fails a run
at the default threshold. No finding means the evidence is present, or that the
repository deploys no workload (the rule then has nothing to say). The readiness
report reads these findings by rule id and checklist slug from the JSON output.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from typing import Any

from prodready_lint.sdk import (
    Confidence,
    Context,
    RepoContext,
    RepoRule,
    Repository,
    Severity,
    YamlFile,
    YamlMapping,
    YamlSequence,
    kube_objects,
    workloads,
)

from ._common import YAML

# (kind, API group) of objects that define alerts
ALERT_OBJECTS = frozenset(
    {
        ("PrometheusRule", "monitoring.coreos.com"),
        ("VMRule", "operator.victoriametrics.com"),
        ("DatadogMonitor", "datadoghq.com"),
        ("GrafanaAlertRuleGroup", "grafana.integreatly.org"),
        ("AlertRule", "monitoring.grafana.com"),
    }
)
SCALER_OBJECTS = frozenset(
    {
        ("HorizontalPodAutoscaler", "autoscaling"),
        ("ScaledObject", "keda.sh"),
        ("Service", "serving.knative.dev"),  # Knative services scale on requests by default
    }
)
SCALED_KINDS = frozenset({"Deployment", "StatefulSet", "Rollout", "DeploymentConfig"})
# Helm templates are skipped (not YAML until rendered): their file names still tell.
_ALERT_TEMPLATES = ("*prometheusrule*.y*ml", "*prometheus-rule*.y*ml", "*alert*rule*.y*ml", "*vmrule*.y*ml")
_SCALER_TEMPLATES = ("hpa.y*ml", "*-hpa.y*ml", "*_hpa.y*ml", "*horizontalpodautoscaler*.y*ml", "*scaledobject*.y*ml")


def _is_rule_file(document: Any) -> bool:
    """A Prometheus (or Loki, Thanos, Mimir, Grafana) rule file: ``groups`` whose
    ``rules`` hold at least one ``alert``."""
    if not isinstance(document, YamlMapping):
        return False
    groups = document.get("groups")
    if not isinstance(groups, YamlSequence):
        return False
    for group in groups:
        rules = group.get("rules") if isinstance(group, YamlMapping) else None
        if isinstance(rules, YamlSequence) and any(isinstance(r, YamlMapping) and "alert" in r for r in rules):
            return True
    return False


def _collect(file: YamlFile) -> dict[str, Any] | None:
    facts: dict[str, Any] = {}
    found = []
    for workload in workloads(file):
        if workload.partial:
            continue
        found.append({"kind": workload.kind, "name": workload.name, "span": workload.span})
    if found:
        facts["workloads"] = found
    for obj in kube_objects(file):
        if (obj.kind, obj.group) in ALERT_OBJECTS:
            facts["alerts"] = True
        if (obj.kind, obj.group) in SCALER_OBJECTS:
            facts["scalers"] = True
    if not facts.get("alerts") and any(_is_rule_file(d) for d in file.documents):
        facts["alerts"] = True
    return facts or None


def _template_named(repo: Repository, patterns: tuple[str, ...]) -> bool:
    for info in repo.files:
        parts = info.path.split("/")
        if "templates" in parts[:-1] and any(fnmatch.fnmatch(parts[-1].lower(), p) for p in patterns):
            return True
    return False


def _named(workloads: list[dict[str, Any]]) -> str:
    shown = ", ".join(f"{w['kind']} {w['name']!r}" if w["name"] else w["kind"] for w in workloads[:3])
    more = f" and {len(workloads) - 3} more" if len(workloads) > 3 else ""
    return shown + more


class _SignalRule(RepoRule):
    kinds = YAML
    severity = Severity.INFO
    confidence = Confidence.MEDIUM
    collect_triggers = ("kind", "groups")
    evidence = ""
    templates: tuple[str, ...] = ()
    relevant: frozenset[str] | None = None

    def collect(self, file: YamlFile, ctx: Context) -> Any:
        return _collect(file)

    def deployed(self, repo: Repository) -> tuple[bool, list[tuple[str, dict[str, Any]]]]:
        present = False
        found: list[tuple[str, dict[str, Any]]] = []
        for path, facts in sorted(repo.facts.items()):
            if not isinstance(facts, Mapping):
                continue
            present = present or bool(facts.get(self.evidence))
            for workload in facts.get("workloads", ()):
                if self.relevant is None or workload["kind"] in self.relevant:
                    found.append((path, workload))
        return present or _template_named(repo, self.templates), found


class NoAlertingRules(_SignalRule):
    """A repository that deploys workloads but defines no alert rules (signal).

    ## What it does
    Looks across the repository for alert definitions: `PrometheusRule` objects
    (Prometheus Operator), `VMRule`, `DatadogMonitor`, Grafana alert rule objects, and
    Prometheus-format rule files (`groups:` whose `rules:` hold an `alert:`; Loki,
    Thanos and Mimir use the same format), including Helm templates named after them.
    When the repository deploys Kubernetes workloads and defines none, it reports one
    finding of severity `info` at the first workload.

    ## Why is this bad?
    Without alerts, failures are found by users. A service going to production needs
    at least alerts on its error rate, latency and saturation, owned by the team that
    is paged.

    ## Example
    ```yaml title="deploy/api.yaml"
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      selector:
        matchLabels: {app: api}
      template:
        metadata:
          labels: {app: api}
        spec:
          containers:
            - name: api
              image: acme/api:1.4.2
    ```

    ## Use instead
    ```yaml title="deploy/api.yaml"
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      selector:
        matchLabels: {app: api}
      template:
        metadata:
          labels: {app: api}
        spec:
          containers:
            - name: api
              image: acme/api:1.4.2
    ```

    ```yaml title="deploy/alerts.yaml"
    apiVersion: monitoring.coreos.com/v1
    kind: PrometheusRule
    metadata:
      name: api
    spec:
      groups:
        - name: api
          rules:
            - alert: ApiHighErrorRate
              expr: sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) > 1
              for: 10m
    ```

    ## Notes
    A signal, not a defect: it never fails a run at the default severity threshold.
    The readiness report reads it from the JSON output: a finding of this rule marks
    the `alerting` item as missing; none, in a repository with workloads, as present.
    Alerts defined elsewhere (a monitoring repository, CloudWatch alarms in Terraform)
    are not seen; suppress the finding with the reason.
    """

    id = "K8S009"
    name = "kubernetes-without-alert-rules"
    summary = "repository deploys Kubernetes workloads but defines no alert rules (signal)"
    checklist = ("alerting",)
    evidence = "alerts"
    templates = _ALERT_TEMPLATES
    references = ("https://prometheus-operator.dev/docs/developer/alerting/",)

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        present, found = self.deployed(repo)
        if present or not found:
            return
        path, first = found[0]
        ctx.report(
            path,
            first["span"],
            f"the repository deploys {len(found)} workload{'s' if len(found) != 1 else ''} "
            f"({_named([w for _, w in found])}) but defines no alert rules (no PrometheusRule or Prometheus rule "
            "file): failures are found by users; add alerts on error rate, latency and saturation",
        )


class NoAutoscaler(_SignalRule):
    """A repository whose Deployments and StatefulSets no autoscaler scales (signal).

    ## What it does
    Looks across the repository for HorizontalPodAutoscalers, KEDA `ScaledObject`s and
    Knative Services (Helm templates named after them included). When the repository
    deploys Deployments, StatefulSets or Argo Rollouts and defines none, it reports one
    finding of severity `info` at the first of them.

    ## Why is this bad?
    Fixed replica counts are sized for one load: traffic peaks saturate the service and
    quiet hours pay for idle pods. An autoscaler with sane bounds (HPA rules K8S004 to
    K8S006) follows the load.

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
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      selector:
        matchLabels: {app: api}
      template:
        metadata:
          labels: {app: api}
        spec:
          containers:
            - name: api
              image: acme/api:1.4.2
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: api
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
      minReplicas: 3
      maxReplicas: 12
      metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    ```

    ## Notes
    A signal, not a defect: it never fails a run at the default severity threshold.
    The readiness report reads it from the JSON output (slug `autoscaling`).
    """

    id = "K8S010"
    name = "kubernetes-without-autoscaler"
    summary = "repository deploys Deployments or StatefulSets but no autoscaler (signal)"
    checklist = ("autoscaling",)
    evidence = "scalers"
    templates = _SCALER_TEMPLATES
    relevant = SCALED_KINDS
    references = ("https://kubernetes.io/docs/concepts/workloads/autoscaling/",)

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        present, found = self.deployed(repo)
        if present or not found:
            return
        path, first = found[0]
        ctx.report(
            path,
            first["span"],
            f"the repository deploys {len(found)} Deployment{'s' if len(found) != 1 else ''} or StatefulSets "
            f"({_named([w for _, w in found])}) but no HorizontalPodAutoscaler or KEDA ScaledObject scales any: "
            "capacity is fixed by hand; add an HPA with sane bounds where load varies",
        )
