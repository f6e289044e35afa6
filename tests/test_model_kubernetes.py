"""Kubernetes helpers: objects, workloads of every kind, containers with their effective
security context, and label selectors as the API server matches them."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from prodready_lint.sdk import Span
from prodready_lint.sdk.kubernetes import (
    ContainerRole,
    LabelSelector,
    SelectorRequirement,
    kube_objects,
    selector_of,
    workloads,
)
from prodready_lint.sdk.yaml_loader import load_yaml

MANIFESTS = """\
# Payments API
apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments
  namespace: shop
  labels:
    app: payments
  annotations:
    owner: team-payments
spec:
  replicas: 3
  selector:
    matchLabels:
      app: payments
    matchExpressions:
      - {key: tier, operator: In, values: [backend, api]}
  template:
    metadata:
      labels:
        app: payments
        tier: backend
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        fsGroup: 2000
        seccompProfile:
          type: RuntimeDefault
      initContainers:
        - name: migrate
          image: acme/payments:2.1.0
          securityContext:
            runAsUser: 0
            runAsNonRoot: false
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
          restartPolicy: Always
      containers:
        - name: api
          image: acme/payments:2.1.0   # the app
          securityContext:
            allowPrivilegeEscalation: false
            privileged: no
            readOnlyRootFilesystem: true
            runAsUser:
            capabilities:
              drop: [ALL]
      ephemeralContainers:
        - name: debugger
          image: busybox:1.36
---
apiVersion: v1
kind: Service
metadata:
  name: payments
  namespace: shop
spec:
  selector:
    app: payments
  ports:
    - port: 80
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: payments, namespace: shop}
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: payments}
---
# not an object: no apiVersion
kind: Note
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings}
  - apiVersion: v1
    kind: Secret
    metadata:
      name: token
"""


def test_objects_of_a_multi_document_file_and_of_a_list() -> None:
    file = load_yaml("deploy/payments.yaml", MANIFESTS)
    objects = list(kube_objects(file))
    assert [(o.kind, o.name, o.namespace, o.document) for o in objects] == [
        ("Deployment", "payments", "shop", 0),
        ("Service", "payments", "shop", 1),
        ("PodDisruptionBudget", "payments", "shop", 2),
        ("ConfigMap", "settings", None, 4),
        ("Secret", "token", None, 4),
    ]
    deployment = objects[0]
    assert (deployment.api_version, deployment.group) == ("apps/v1", "apps")
    assert deployment.labels == {"app": "payments"}
    assert deployment.annotations == {"owner": "team-payments"}
    assert deployment.node is file.documents[0]
    assert deployment.span == Span(2, 1, 2, 20)  # the object's first line, not the comment above
    assert objects[1].annotations == {} and objects[1].group == ""
    assert objects[2].span == Span(64, 1, 64, 22)
    assert objects[4].span == Span(81, 5, 81, 19)  # an item of the List


def test_a_deployment_workload_with_all_its_parts() -> None:
    file = load_yaml("deploy/payments.yaml", MANIFESTS)
    (workload,) = workloads(file)
    assert (workload.kind, workload.name, workload.namespace) == ("Deployment", "payments", "shop")
    assert workload.pod_spec is file.documents[0]["spec"]["template"]["spec"]
    assert workload.template_labels == {"app": "payments", "tier": "backend"}
    assert workload.replicas is not None and workload.replicas.value == 3
    assert workload.replicas.span == Span(12, 13, 12, 14)
    assert workload.selector == LabelSelector(
        {"app": "payments"}, (SelectorRequirement("tier", "In", ("backend", "api")),)
    )
    assert workload.selector.span == Span(14, 5, 17, 58)
    assert workload.selector.matches(workload.template_labels)
    assert workload.pod_security_context["fsGroup"] == 2000

    containers = workload.containers
    assert [(c.name, c.role, c.index) for c in containers] == [
        ("migrate", ContainerRole.INIT, 0),
        ("proxy", ContainerRole.INIT, 1),
        ("api", ContainerRole.REGULAR, 0),
        ("debugger", ContainerRole.EPHEMERAL, 0),
    ]
    migrate, proxy, api, debugger = containers
    assert migrate.is_init and not migrate.is_sidecar and proxy.is_sidecar and debugger.is_ephemeral
    assert api.span == Span(40, 11, 40, 20)  # the `- name: api` line
    assert api.image is not None and api.image.value == "acme/payments:2.1.0"
    assert api.image.span == Span(41, 18, 41, 37) and api.image.key_span == Span(41, 11, 41, 16)
    assert api.field("securityContext").key_span == Span(42, 11, 42, 26)
    assert debugger.security_context.node is None


def test_the_effective_security_context_inherits_pod_fields_and_the_container_wins() -> None:
    file = load_yaml("deploy/payments.yaml", MANIFESTS)
    migrate, proxy, api, _ = next(workloads(file)).containers

    # the container's own values win, and say so
    assert migrate.security_context.run_as_user == 0
    assert migrate.security_context.get("runAsUser").source == "container"
    assert migrate.security_context.get("runAsUser").span == Span(34, 24, 34, 25)
    assert migrate.security_context.run_as_non_root is False

    # a container without its own inherits the pod's container-level fields, pointing at the pod
    inherited = proxy.security_context
    assert inherited.run_as_non_root is True and inherited.get("runAsNonRoot").inherited
    assert inherited.get("runAsNonRoot").span == Span(25, 23, 25, 27)
    assert inherited.get("runAsNonRoot").key_span == Span(25, 9, 25, 21)
    assert inherited.value("seccompProfile") == {"type": "RuntimeDefault"}
    assert "fsGroup" not in inherited  # pod-wide, not a container setting
    assert inherited.privileged is None and inherited.allow_privilege_escalation is None

    # a null container value leaves the pod's; `no` is false as Kubernetes reads it
    context = api.security_context
    assert context.run_as_user == 1000 and context.get("runAsUser").source == "pod"
    assert context.privileged is False and context.get("privileged").value == "no"
    assert context.allow_privilege_escalation is False and context.read_only_root_filesystem is True
    assert context.value("capabilities") == {"drop": ["ALL"]}
    assert context.get("capabilities").source == "container"
    assert list(context.settings) == [
        "runAsNonRoot",
        "runAsUser",
        "seccompProfile",
        "allowPrivilegeEscalation",
        "privileged",
        "readOnlyRootFilesystem",
        "capabilities",
    ]


def test_container_only_fields_are_never_inherited_from_the_pod() -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: tool, labels: {app: tool}}
spec:
  securityContext:
    privileged: true
    allowPrivilegeEscalation: true
    readOnlyRootFilesystem: false
    capabilities: {add: [NET_ADMIN]}
    runAsGroup: 3000
  containers:
    - name: tool
      image: acme/tool:1.0
"""
    (pod,) = workloads(load_yaml("pod.yaml", text))
    context = pod.containers[0].security_context
    assert list(context.settings) == ["runAsGroup"]
    assert pod.template_labels == {"app": "tool"} and pod.selector is None and pod.replicas is None


WORKLOAD_KINDS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:16"}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - name: agent
          image: datadog/agent:7
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec: {containers: [{name: rs, image: "nginx:1.27"}]}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  replicas: 1
  selector: {app: rc}
  template:
    metadata: {labels: {app: rc}}
    spec: {containers: [{name: rc, image: "nginx:1.27"}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "acme/migrate:3"}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec:
          securityContext: {runAsNonRoot: true}
          containers:
            - name: report
              image: acme/report:1.2
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 5
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "acme/web:9"}]
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: by-ref}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
---
apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata: {name: not-a-batch-job}
spec:
  tasks: []
"""


def test_every_workload_kind_yields_its_pod_spec_selector_replicas_and_containers() -> None:
    file = load_yaml("deploy/all.yaml", WORKLOAD_KINDS)
    found = {w.name: w for w in workloads(file)}
    assert list(found) == ["db", "agent", "rs", "rc", "migrate", "report", "web", "by-ref"]
    summary = {
        name: (
            w.kind,
            w.replicas.value if w.replicas else None,
            [c.name for c in w.containers],
            [c.image.value for c in w.containers],
            dict(w.template_labels),
        )
        for name, w in found.items()
    }
    assert summary == {
        "db": ("StatefulSet", 2, ["db"], ["postgres:16"], {"app": "db"}),
        "agent": ("DaemonSet", None, ["agent"], ["datadog/agent:7"], {"app": "agent"}),
        "rs": ("ReplicaSet", None, ["rs"], ["nginx:1.27"], {"app": "rs"}),
        "rc": ("ReplicationController", 1, ["rc"], ["nginx:1.27"], {"app": "rc"}),
        "migrate": ("Job", None, ["migrate"], ["acme/migrate:3"], {}),
        "report": ("CronJob", None, ["report"], ["acme/report:1.2"], {"app": "report"}),
        "web": ("Rollout", 5, ["web"], ["acme/web:9"], {"app": "web"}),
        "by-ref": ("Rollout", None, [], [], {}),
    }
    # the CronJob's pod is under spec.jobTemplate.spec.template
    report = found["report"]
    assert report.pod_spec is file.documents[5]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert report.containers[0].security_context.run_as_non_root is True
    assert report.containers[0].span == Span(64, 15, 64, 27)
    # a flow-style container is reported at its mapping, which is one line
    assert found["db"].containers[0].span == Span(10, 20, 10, 52)
    # selectors: LabelSelector form, the ReplicationController's plain map, none for a Job
    assert found["rc"].selector == LabelSelector({"app": "rc"})
    assert found["migrate"].selector is None
    assert found["web"].selector.matches({"app": "web", "pod-template-hash": "abc"})
    assert found["by-ref"].pod_spec is None


def test_replicas_span_points_at_the_value() -> None:
    file = load_yaml("deploy/all.yaml", WORKLOAD_KINDS)
    web = next(w for w in workloads(file) if w.name == "web")
    assert web.replicas.span == Span(71, 13, 71, 14) and web.replicas.key_span == Span(71, 3, 71, 11)


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ({"app": "api", "tier": "backend", "track": "stable"}, True),
        ({"app": "api", "tier": "frontend", "track": "stable"}, False),  # In fails
        ({"app": "api", "tier": "backend", "track": "canary"}, False),  # NotIn fails
        ({"app": "api", "tier": "backend"}, True),  # NotIn holds for a missing label
        ({"app": "api", "tier": "backend", "track": "stable", "legacy": "1"}, False),  # DoesNotExist
        ({"tier": "backend", "track": "stable"}, False),  # matchLabels fails
        ({"app": "web", "tier": "backend"}, False),
    ],
)
def test_label_selectors_and_every_requirement(labels: dict, expected: bool) -> None:
    text = """\
selector:
  matchLabels: {app: api}
  matchExpressions:
    - {key: tier, operator: In, values: [backend]}
    - {key: track, operator: NotIn, values: [canary]}
    - {key: tier, operator: Exists}
    - {key: legacy, operator: DoesNotExist}
"""
    selector = LabelSelector.parse(load_yaml("s.yaml", text).documents[0]["selector"])
    assert selector.matches(labels) is expected


def test_empty_unknown_and_typed_selectors() -> None:
    assert LabelSelector.parse({}).empty and LabelSelector.parse({}).matches({"anything": "x"})
    assert not LabelSelector.parse({"matchExpressions": [{"key": "a", "operator": "Near"}]}).matches({"a": "1"})
    # label values written as YAML numbers or booleans compare as the strings Kubernetes sees
    selector = LabelSelector.from_labels({"version": 2, "canary": True})
    assert selector.matches({"version": "2", "canary": "true"})
    assert LabelSelector.parse("not a mapping") is None and LabelSelector.from_labels(None) is None


def test_a_repository_rule_can_match_services_and_budgets_to_workloads_through_json_facts() -> None:
    file = load_yaml("deploy/payments.yaml", MANIFESTS)
    objects = {o.kind: o for o in kube_objects(file)}
    (workload,) = workloads(file)
    facts = json.loads(
        json.dumps(
            {
                "workload_labels": dict(workload.template_labels),
                "service": selector_of(objects["Service"]).to_json(),
                "budget": selector_of(objects["PodDisruptionBudget"]).to_json(),
            }
        )
    )
    assert LabelSelector.parse(facts["service"]).matches(facts["workload_labels"])
    assert LabelSelector.parse(facts["budget"]).matches(facts["workload_labels"])
    assert not LabelSelector.parse(facts["service"]).matches({"app": "ledger"})
    assert selector_of(objects["ConfigMap"]) is None


def test_a_service_without_a_selector_selects_nothing() -> None:
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: external}\nspec:\n  selector: {}\n  type: ExternalName\n"
    (service,) = kube_objects(load_yaml("svc.yaml", text))
    assert selector_of(service) is None


def test_a_network_policy_selects_with_its_pod_selector() -> None:
    text = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec:\n  podSelector: {}\n"
    (policy,) = kube_objects(load_yaml("np.yaml", text))
    assert selector_of(policy).empty and selector_of(policy).matches({"app": "any"})


def test_documents_that_are_not_objects_are_skipped() -> None:
    text = "---\n- a list\n---\nplain scalar\n---\napiVersion: 1\nkind: Pod\n---\nkind: Pod\n---\n"
    assert list(kube_objects(load_yaml("misc.yaml", text))) == []


# --- any shape -------------------------------------------------------------------------------

KEYS = st.sampled_from(
    [
        "apiVersion",
        "kind",
        "metadata",
        "name",
        "namespace",
        "labels",
        "annotations",
        "spec",
        "template",
        "jobTemplate",
        "selector",
        "matchLabels",
        "matchExpressions",
        "key",
        "operator",
        "values",
        "replicas",
        "containers",
        "initContainers",
        "ephemeralContainers",
        "image",
        "securityContext",
        "runAsUser",
        "runAsNonRoot",
        "privileged",
        "items",
        "podSelector",
        "restartPolicy",
        "workloadRef",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["v1", "apps/v1", "batch/v1", "argoproj.io/v1alpha1"]),
    st.sampled_from(["Deployment", "CronJob", "Pod", "List", "Service", "Rollout", "In", "Exists", "Always", "x"]),
)
SHAPES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=6)),
    max_leaves=15,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(KEYS, SHAPES, max_size=5), min_size=1, max_size=2))
def test_the_helpers_accept_any_shape_of_document(documents: list) -> None:
    file = load_yaml("deploy/any.yaml", yaml.dump_all(documents, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)))
    for obj in kube_objects(file):
        assert obj.span.line >= 1
        selector_of(obj)
    for workload in workloads(file):
        for container in workload.containers:
            context = container.security_context
            assert container.span.line >= 1
            assert context.privileged in (True, False, None) and context.run_as_non_root in (True, False, None)
            assert context.run_as_user is None or isinstance(context.run_as_user, int)
        if workload.selector is not None:
            again = LabelSelector.parse(workload.selector.to_json())
            assert again == workload.selector
            assert again.matches(workload.template_labels) == workload.selector.matches(workload.template_labels)
