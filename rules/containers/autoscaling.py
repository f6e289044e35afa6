"""K8S004-K8S006: HorizontalPodAutoscaler bounds and metrics (checklist ``autoscaling``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prodready_lint.sdk import (
    Confidence,
    Context,
    KubeObject,
    Option,
    Rule,
    Severity,
    Span,
    YamlFile,
    YamlMapping,
    kube_objects,
    scale_target,
)

from ._common import YAML, describe_object, key_value_span

HPA_DOCS = "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"


def _hpas(file: YamlFile) -> Iterator[tuple[KubeObject, YamlMapping]]:
    for obj in kube_objects(file):
        if obj.kind == "HorizontalPodAutoscaler" and obj.group == "autoscaling" and obj.spec is not None:
            yield obj, obj.spec


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _target(obj: KubeObject) -> str:
    target = scale_target(obj)
    return f" (scaling {target[0]} {target[1]!r})" if target else ""


class HpaMinReplicasTooLow(Rule):
    """A HorizontalPodAutoscaler that may scale its workload down to one replica.

    ## What it does
    Checks HorizontalPodAutoscalers for `minReplicas` below `min-replicas` (2; a tier-0
    service sets 3). A missing `minReplicas` is the 1 Kubernetes defaults to.

    ## Why is this bad?
    At quiet times the autoscaler shrinks the workload to `minReplicas`: with one
    replica left, a restart, deploy or node drain is an outage until a new pod is ready.

    ## Example
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: api
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
      minReplicas: 1
      maxReplicas: 10
      metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    ```

    ## Use instead
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: api
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
      minReplicas: 2
      maxReplicas: 10
      metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    ```
    """

    id = "K8S004"
    name = "hpa-min-replicas-too-low"
    summary = "HorizontalPodAutoscaler minReplicas is below 2"
    checklist = ("autoscaling", "high-availability")
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    kinds = YAML
    triggers = ("HorizontalPodAutoscaler",)
    options = (
        Option("min-replicas", "int", 2, "The fewest replicas an autoscaler may leave (3 for a tier-0 service)."),
    )
    references = (HPA_DOCS,)

    def check(self, file: YamlFile, ctx: Context) -> None:
        least = self.settings["min-replicas"]
        for obj, spec in _hpas(file):
            if "minReplicas" in spec and spec.get("minReplicas") is not None:
                value = _int(spec.get("minReplicas"))
                if value is None or value >= least:
                    continue
                at: Span = key_value_span(spec, "minReplicas")
                what = f"minReplicas: {value}"
            else:
                at, what = obj.span, "no minReplicas (which means 1)"
            ctx.report(
                at,
                f"{describe_object(obj)}{_target(obj)} sets {what}: at quiet times one pod is left and any restart "
                f"is an outage; set minReplicas: {least}",
            )


class HpaWithoutMetrics(Rule):
    """A HorizontalPodAutoscaler that declares no metric to scale on.

    ## What it does
    Checks `autoscaling/v2` HorizontalPodAutoscalers for a non-empty `metrics` list
    and `autoscaling/v1` ones for `targetCPUUtilizationPercentage`.

    ## Why is this bad?
    Without metrics the autoscaler falls back to 80% average CPU utilization, a default
    nobody chose: a memory-bound or queue-driven service never scales, and a latency-
    sensitive one scales too late. Say what the service should scale on.

    ## Example
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: worker
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
      minReplicas: 2
      maxReplicas: 20
    ```

    ## Use instead
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: worker
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
      minReplicas: 2
      maxReplicas: 20
      metrics:
        - type: Resource
          resource: {name: memory, target: {type: Utilization, averageUtilization: 75}}
    ```
    """

    id = "K8S005"
    name = "hpa-without-metrics"
    summary = "HorizontalPodAutoscaler declares no metrics"
    checklist = ("autoscaling",)
    severity = Severity.LOW
    confidence = Confidence.HIGH
    kinds = YAML
    triggers = ("HorizontalPodAutoscaler",)
    references = (HPA_DOCS,)

    def check(self, file: YamlFile, ctx: Context) -> None:
        for obj, spec in _hpas(file):
            if obj.api_version == "autoscaling/v1":
                if spec.get("targetCPUUtilizationPercentage") is not None:
                    continue
                at, what = obj.span, "no targetCPUUtilizationPercentage"
            else:
                metrics = spec.get("metrics")
                if metrics:
                    continue
                at = key_value_span(spec, "metrics") if "metrics" in spec else obj.span
                what = "an empty metrics list" if "metrics" in spec else "no metrics"
            ctx.report(
                at,
                f"{describe_object(obj)}{_target(obj)} has {what}, so it scales on the 80% CPU default; declare the "
                "metrics the service should scale on",
            )


class HpaCannotScale(Rule):
    """A HorizontalPodAutoscaler whose `maxReplicas` is not above its `minReplicas`.

    ## What it does
    Checks HorizontalPodAutoscalers for `maxReplicas` less than or equal to
    `minReplicas` (1 when not written).

    ## Why is this bad?
    The autoscaler can never add a replica: under load the service saturates while the
    HPA reports it is at its maximum. It is usually a copy-paste or an environment
    override gone wrong.

    ## Example
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: search
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: search}
      minReplicas: 3
      maxReplicas: 3
      metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
    ```

    ## Use instead
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: search
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: search}
      minReplicas: 3
      maxReplicas: 12
      metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
    ```
    """

    id = "K8S006"
    name = "hpa-max-not-above-min"
    summary = "HorizontalPodAutoscaler maxReplicas is not above minReplicas"
    checklist = ("autoscaling",)
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    kinds = YAML
    triggers = ("HorizontalPodAutoscaler",)
    references = (HPA_DOCS,)

    def check(self, file: YamlFile, ctx: Context) -> None:
        for obj, spec in _hpas(file):
            high = _int(spec.get("maxReplicas"))
            raw_low = spec.get("minReplicas")
            low = 1 if raw_low is None else _int(raw_low)
            if high is None or low is None or high > low:
                continue
            ctx.report(
                key_value_span(spec, "maxReplicas"),
                f"{describe_object(obj)}{_target(obj)} sets maxReplicas: {high} with minReplicas: {low}, so it can "
                "never add a replica; raise maxReplicas above minReplicas",
            )
