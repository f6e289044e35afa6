"""K8S001-K8S003: replicas, disruption budgets and spreading (checklist ``high-availability``).

All three are repository rules: the HorizontalPodAutoscaler that scales a Deployment,
the PodDisruptionBudget that protects it and the overlay that raises its replicas are
usually in other files.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from prodready_lint.sdk import (
    Confidence,
    Context,
    KubeObject,
    LabelSelector,
    Option,
    RepoContext,
    RepoRule,
    Repository,
    Severity,
    Span,
    Workload,
    YamlFile,
    YamlMapping,
    YamlSequence,
    kube_objects,
    scale_target,
    workloads,
)

from ._common import KUSTOMIZE_TRIGGERS, YAML, Patches, collect_patches

CHECKLIST = ("high-availability",)
HA_KINDS = frozenset({"Deployment", "StatefulSet", "Rollout", "DeploymentConfig"})
TRIGGERS = ("Deployment", "StatefulSet", "Rollout", "HorizontalPodAutoscaler", "ScaledObject", "PodDisruptionBudget")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _selects_own(terms: Any, labels: Mapping[str, Any], namespace: str | None, *, nested: bool = False) -> bool | None:
    """Whether any term's ``labelSelector`` selects the pod's own labels, in its own
    namespace when the term names namespaces (``None`` when there are no terms)."""
    if not isinstance(terms, YamlSequence) or not terms:
        return None
    for term in terms:
        if nested and isinstance(term, YamlMapping):
            term = term.get("podAffinityTerm")
        if not isinstance(term, YamlMapping):
            continue
        selector = LabelSelector.parse(term.get("labelSelector"))
        if selector is None or selector.empty or not selector.matches(labels):
            continue
        namespaces = term.get("namespaces")
        elsewhere = isinstance(namespaces, YamlSequence) and namespaces and namespace not in namespaces
        if elsewhere and namespace is not None:
            continue
        return True
    return False


def _spread(workload: Workload) -> dict[str, Any]:
    """How the workload spreads its pods: ``ok``, ``missing``, or ``mismatch`` (with the
    span of the setting whose selector misses the workload's own pods)."""
    spec = workload.pod_spec
    labels = workload.template_labels
    namespace = workload.namespace
    if spec is None:
        return {"state": "missing"}
    wrong: Span | None = None
    affinity = spec.get("affinity")
    anti = affinity.get("podAntiAffinity") if isinstance(affinity, YamlMapping) else None
    if isinstance(anti, YamlMapping):
        verdicts = [
            _selects_own(anti.get("requiredDuringSchedulingIgnoredDuringExecution"), labels, namespace),
            _selects_own(anti.get("preferredDuringSchedulingIgnoredDuringExecution"), labels, namespace, nested=True),
        ]
        if any(verdicts):
            return {"state": "ok"}
        if any(v is False for v in verdicts):
            wrong = affinity.key_span("podAntiAffinity")
    elif anti is not None:
        return {"state": "ok"}  # a template or a variable: not known to be missing
    constraints = spec.get("topologySpreadConstraints")
    if isinstance(constraints, YamlSequence) and constraints:
        verdict = _selects_own(constraints, labels, namespace)
        if verdict:
            return {"state": "ok"}
        wrong = wrong or spec.key_span("topologySpreadConstraints")
    elif constraints is not None and not isinstance(constraints, YamlSequence):
        return {"state": "ok"}
    if wrong is not None:
        return {"state": "mismatch", "span": wrong}
    return {"state": "missing"}


def _workload_fact(workload: Workload) -> dict[str, Any]:
    replicas = workload.replicas
    value: int | str | None = None
    span = None
    if replicas is not None and replicas.value is not None:
        value = _int(replicas.value)
        if value is None:
            value = "?"  # a template or a variable
        span = Span(replicas.key_span.line, replicas.key_span.column, replicas.span.end_line, replicas.span.end_column)
    return {
        "kind": workload.kind,
        "name": workload.name,
        "namespace": workload.namespace,
        "span": workload.span,
        "replicas": value,
        "replicas_span": span,
        "partial": workload.partial,
        "incomplete": workload.incomplete,
        "labels": {str(k): str(v) for k, v in workload.template_labels.items()},
        "spread": _spread(workload),
        "pod_path": workload.pod_spec_path,
    }


def _scaler_fact(obj: KubeObject) -> dict[str, Any] | None:
    target = scale_target(obj)
    if target is None:
        return None
    spec = obj.spec or {}
    if obj.kind == "ScaledObject":
        low, high = _int(spec.get("minReplicaCount")), _int(spec.get("maxReplicaCount"))
        low, high = (0 if low is None else low), (100 if high is None else high)
    else:
        low, high = _int(spec.get("minReplicas")), _int(spec.get("maxReplicas"))
        low = 1 if low is None else low
    return {"kind": target[0], "name": target[1], "namespace": obj.namespace, "min": low, "max": high}


def collect_cluster(file: YamlFile) -> dict[str, Any] | None:
    """Workloads, autoscalers, disruption budgets and patches of a file, as facts."""
    facts: dict[str, Any] = {}
    patches = collect_patches(file)
    if patches:
        facts["patches"] = patches
    if "kustomization" in patches:
        return facts
    found = [_workload_fact(w) for w in workloads(file) if w.kind in HA_KINDS]
    if found:
        facts["workloads"] = found
    scalers, budgets = [], []
    for obj in kube_objects(file):
        if obj.kind in ("HorizontalPodAutoscaler", "ScaledObject"):
            scaler = _scaler_fact(obj)
            if scaler is not None:
                scalers.append(scaler)
        elif obj.kind == "PodDisruptionBudget" and obj.group == "policy":
            selector = LabelSelector.parse(obj.spec.get("selector")) if obj.spec is not None else None
            budgets.append({"namespace": obj.namespace, "selector": selector.to_json() if selector else None})
    if scalers:
        facts["scalers"] = scalers
    if budgets:
        facts["budgets"] = budgets
    return facts or None


def _same_namespace(a: str | None, b: str | None) -> bool:
    """Namespaces match, or one is not written (Kustomize or ``kubectl -n`` sets it)."""
    return a is None or b is None or a == b


class Cluster:
    """The workloads, autoscalers and budgets of a repository, with its patches."""

    def __init__(self, repo: Repository) -> None:
        self.workloads: list[tuple[str, dict[str, Any]]] = []
        self.scalers: list[dict[str, Any]] = []
        self.budgets: list[dict[str, Any]] = []
        for path, facts in sorted(repo.facts.items()):
            if not isinstance(facts, Mapping):
                continue
            self.workloads.extend((path, w) for w in facts.get("workloads", ()))
            self.scalers.extend({**s, "path": path} for s in facts.get("scalers", ()))
            self.budgets.extend({**b, "path": path} for b in facts.get("budgets", ()))
        self.patches = Patches(repo)
        self._builds: dict[str, frozenset[str]] = {}
        for path, workload in self.workloads:  # a file a kustomization applies as a patch holds fragments
            if workload["incomplete"] and self.patches.is_patch_file(path):
                workload["partial"] = True

    def builds(self, path: str) -> frozenset[str]:
        """The kustomizations that build from the file at ``path``."""
        found = self._builds.get(path)
        if found is None:
            tree = self.patches.tree
            found = frozenset(k for k in tree.kustomizations if path in tree.includes(k))
            self._builds[path] = found
        return found

    def together(self, a: Mapping[str, Any], a_path: str, b: Mapping[str, Any], b_path: str) -> bool:
        """Two objects can live in one namespace: the same one is written, or one is
        not written and, when a kustomization builds that one (and sets its
        namespace), the same kustomization builds the other."""
        if not _same_namespace(a["namespace"], b["namespace"]):
            return False
        if (a["namespace"] is None) == (b["namespace"] is None):
            return True
        unset = a_path if a["namespace"] is None else b_path
        other = b_path if unset == a_path else a_path
        builds = self.builds(unset)
        return not builds or bool(builds & self.builds(other))

    def scalers_of(self, workload: Mapping[str, Any], path: str) -> list[dict[str, Any]]:
        return [
            s
            for s in self.scalers
            if s["kind"] == workload["kind"]
            and s["name"] == workload["name"]
            and self.together(s, s["path"], workload, path)
        ]

    def patched_replicas(self, path: str, workload: Mapping[str, Any]) -> list[int]:
        out = []
        for patch in self.patches.for_object(path, workload["kind"], workload["name"]):
            value = _int(patch.values.get("spec.replicas"))
            if value is not None:
                out.append(value)
        return out

    def most_replicas(self, path: str, workload: Mapping[str, Any]) -> int:
        """The most replicas the workload can run: as written (1 when not), raised by an
        overlay, or up to its autoscaler's maximum."""
        written = workload["replicas"]
        counts = [1 if written is None else written if isinstance(written, int) else 0]
        counts += self.patched_replicas(path, workload)
        counts += [s["max"] for s in self.scalers_of(workload, path) if isinstance(s["max"], int)]
        return max(counts)

    def whole(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for path, workload in self.workloads:
            if not workload["partial"]:
                yield path, workload


def _labels_text(labels: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) or "no labels"


class _ClusterRule(RepoRule):
    kinds = YAML
    collect_triggers = TRIGGERS + KUSTOMIZE_TRIGGERS

    def collect(self, file: YamlFile, ctx: Context) -> Any:
        return collect_cluster(file)


class WorkloadSingleReplica(_ClusterRule):
    """A Deployment or StatefulSet that runs a single replica.

    ## What it does
    Checks Deployments, StatefulSets and Argo Rollouts for `spec.replicas` below
    `min-replicas` (2; a tier-0 service sets 3), a missing `replicas` counting as the 1
    Kubernetes defaults to, unless a HorizontalPodAutoscaler (or a KEDA `ScaledObject`)
    anywhere in the repository scales the workload.

    ## Why is this bad?
    With one replica every deploy, node drain, eviction or crash is an outage: nothing
    serves while the pod restarts or is rescheduled. Two replicas on different nodes
    survive the loss of one.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: checkout
    spec:
      replicas: 1
      selector:
        matchLabels: {app: checkout}
      template:
        metadata:
          labels: {app: checkout}
        spec:
          containers:
            - name: checkout
              image: acme/checkout:2.4.0
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: checkout
    spec:
      replicas: 3
      selector:
        matchLabels: {app: checkout}
      template:
        metadata:
          labels: {app: checkout}
        spec:
          containers:
            - name: checkout
              image: acme/checkout:2.4.0
    ```

    ## Notes
    Reported at `replicas` when it is written, else at the object's first line. A
    Kustomize overlay or component that raises `replicas` for the workload settles its
    base's finding; an overlay that writes `replicas: 1` is itself reported. `replicas: 0`
    (a workload switched off) and values that are still templates are not judged. An
    autoscaler matches the workload by kind, name and namespace; an object without a
    namespace matches any, unless a kustomization builds it and not the other.
    """

    id = "K8S001"
    name = "workload-single-replica"
    summary = "Deployment or StatefulSet runs fewer than 2 replicas and no autoscaler scales it"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    options = (Option("min-replicas", "int", 2, "The fewest replicas a workload may run (3 for a tier-0 service)."),)
    references = ("https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#replicas",)

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        cluster = Cluster(repo)
        least = self.settings["min-replicas"]
        for path, workload in cluster.workloads:
            written = workload["replicas"]
            if written == "?" or (workload["partial"] and written is None) or cluster.scalers_of(workload, path):
                continue
            count = 1 if written is None else written
            if count == 0 or count >= least:
                continue
            if not workload["partial"] and any(r >= least for r in cluster.patched_replicas(path, workload)):
                continue
            where = "spec.replicas is not set, which means 1" if written is None else f"replicas: {count}"
            ctx.report(
                path,
                workload["replicas_span"] or workload["span"],
                f"{_describe(workload)} runs {count} replica ({where}) and no HorizontalPodAutoscaler scales it: a "
                f"restart, deploy or node drain takes it down; set replicas: {least} or more, or add an HPA with "
                f"minReplicas: {least}",
            )


def _describe(workload: Mapping[str, Any]) -> str:
    return f"{workload['kind']} {workload['name']!r}" if workload["name"] else workload["kind"]


class WorkloadWithoutDisruptionBudget(_ClusterRule):
    """A replicated workload that no PodDisruptionBudget protects.

    ## What it does
    Checks every Deployment, StatefulSet and Argo Rollout that runs 2 or more replicas
    (as written, raised by an overlay, or up to its autoscaler's maximum) for a
    PodDisruptionBudget anywhere in the repository, in the same namespace, whose
    selector selects the workload's pods: every `matchLabels` pair and every
    `matchExpressions` requirement must hold for the pod template's labels.

    ## Why is this bad?
    Voluntary disruptions (node drains for upgrades, cluster-autoscaler scale-downs)
    evict pods without regard for the service: without a budget, a drain can evict
    every replica at once, and the redundancy the replicas paid for is gone exactly
    when the cluster is being changed.

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
          labels: {app: api, tier: backend}
        spec:
          containers:
            - name: api
              image: acme/api:1.4.2
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata:
      name: api
    spec:
      maxUnavailable: 1
      selector:
        matchLabels: {app: api, tier: frontend}
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
          labels: {app: api, tier: backend}
        spec:
          containers:
            - name: api
              image: acme/api:1.4.2
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata:
      name: api
    spec:
      maxUnavailable: 1
      selector:
        matchLabels: {app: api}
    ```

    ## Notes
    Reported at the workload's first line. An object without a namespace matches any
    namespace (Kustomize or `kubectl -n` sets it), except that one a kustomization
    builds matches a namespaced object only when the same kustomization builds both.
    """

    id = "K8S002"
    name = "workload-without-pdb"
    summary = "replicated workload has no PodDisruptionBudget selecting its pods"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    references = ("https://kubernetes.io/docs/tasks/run-application/configure-pdb/",)

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        cluster = Cluster(repo)
        selectors = [
            (budget, LabelSelector.parse(budget["selector"]))
            for budget in cluster.budgets
            if budget["selector"] is not None
        ]
        for path, workload in cluster.whole():
            count = cluster.most_replicas(path, workload)
            if count < 2:
                continue
            labels = workload["labels"]
            if any(
                selector is not None
                and cluster.together(budget, budget["path"], workload, path)
                and selector.matches(labels)
                for budget, selector in selectors
            ):
                continue
            ctx.report(
                path,
                workload["span"],
                f"{_describe(workload)} runs up to {count} replicas but no PodDisruptionBudget selects its pods "
                f"({_labels_text(labels)}): a node drain can evict them all at once; add a PodDisruptionBudget with "
                "maxUnavailable: 1 selecting them",
            )


class WorkloadWithoutSpread(_ClusterRule):
    """A replicated workload whose pods may all land on one node or zone.

    ## What it does
    Checks every Deployment, StatefulSet and Argo Rollout that runs 2 or more replicas
    for pod anti-affinity (`affinity.podAntiAffinity`, required or preferred) or
    `topologySpreadConstraints` whose label selector selects the workload's own pods.

    ## Why is this bad?
    The scheduler packs pods where they fit: without a spreading rule all replicas can
    run on one node, and that node's failure (or one zone's) takes the whole service
    down. A rule whose selector misses the workload's own labels spreads nothing.

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
      replicas: 3
      selector:
        matchLabels: {app: api}
      template:
        metadata:
          labels: {app: api}
        spec:
          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: ScheduleAnyway
              labelSelector:
                matchLabels: {app: api}
          containers:
            - name: api
              image: acme/api:1.4.2
    ```

    ## Notes
    A missing rule is reported at the workload's first line; a rule that selects other
    pods at its key. An overlay or component that adds the rule settles its base's
    finding.
    """

    id = "K8S003"
    name = "workload-without-spread"
    summary = "replicated workload has no pod anti-affinity or topology spread"
    checklist = CHECKLIST
    severity = Severity.LOW
    confidence = Confidence.HIGH
    references = (
        "https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/",
        "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity",
    )

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        cluster = Cluster(repo)
        for path, workload in cluster.whole():
            spread = workload["spread"]
            if spread["state"] == "ok":
                continue
            count = cluster.most_replicas(path, workload)
            if count < 2:
                continue
            pod = workload["pod_path"]
            needs = [f"{pod}.affinity.podAntiAffinity", f"{pod}.topologySpreadConstraints"]
            if cluster.patches.writes(path, workload["kind"], workload["name"], [needs]):
                continue
            if spread["state"] == "mismatch":
                ctx.report(
                    path,
                    spread["span"],
                    f"{_describe(workload)}'s spreading rule does not select its own pods "
                    f"({_labels_text(workload['labels'])}), so it spreads nothing; give its labelSelector the pod "
                    "template's labels",
                )
                continue
            ctx.report(
                path,
                workload["span"],
                f"{_describe(workload)} runs up to {count} replicas with no pod anti-affinity or "
                "topologySpreadConstraints: they can all land on one node or zone; spread them with "
                "topologySpreadConstraints over topology.kubernetes.io/zone and kubernetes.io/hostname",
            )
