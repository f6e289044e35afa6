"""SDK helpers for deployment files: Kustomize, Helm values, credential names, Compose
interpolation, partial workloads and autoscaler targets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prodready_lint.sdk import (
    Kustomization,
    KustomizeTree,
    PatchTarget,
    Span,
    compose_interpolate,
    is_credential_name,
    is_helm_values,
    is_secret_reference,
    is_trivial_secret_value,
    kube_objects,
    kustomization,
    name_words,
    parse_inline_patch,
    patched_objects,
    scale_target,
    url_password,
    url_password_span,
    values_images,
    values_resources,
    workloads,
)
from prodready_lint.sdk.yaml_loader import load_yaml

KUSTOMIZATION = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources:
  - ../../base
  - pdb.yaml
  - github.com/acme/platform//monitoring?ref=v1.2.0
components:
  - ../../components/hardening
images:
  - name: acme/api
    newTag: 2.14.1
  - name: acme/worker
    newName: registry.example.com/acme/worker
  - name: acme/batch
    newTag: 1.2
patches:
  - path: resources.yaml
  - path: scale.yaml
    target: {kind: Deployment, name: api}
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 3
    target: {kind: Deployment}
patchesStrategicMerge:
  - legacy-patch.yaml
"""


def test_a_kustomization_is_read_with_its_resources_patches_and_images() -> None:
    found = kustomization(load_yaml("overlays/prod/kustomization.yaml", KUSTOMIZATION))
    assert found is not None and found.kind == "Kustomization" and found.namespace == "shop"
    assert found.resources[:2] == ("../../base", "pdb.yaml")
    assert [found.resolve(r) for r in found.resources] == ["base", "overlays/prod/pdb.yaml", None]
    assert found.resolve("../../../outside") is None
    assert [(p.path, p.target) for p in found.patches if p.path] == [
        ("resources.yaml", None),
        ("scale.yaml", PatchTarget("Deployment", "api")),
        ("legacy-patch.yaml", None),
    ]
    inline = [p for p in found.patches if p.inline]
    assert len(inline) == 1 and inline[0].target == PatchTarget("Deployment") and inline[0].span.line == 21
    assert [(i.name, i.new_tag, i.pins) for i in found.images] == [
        ("acme/api", "2.14.1", True),
        ("acme/worker", None, False),
        ("acme/batch", "1.2", True),
    ]
    assert Kustomization.from_json(found.to_json()).images == found.images


def test_only_kustomization_files_are_kustomizations() -> None:
    assert kustomization(load_yaml("base/kustomization.yml", "resources: [a.yaml]\n")) is not None
    component = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches: []\n"
    assert kustomization(load_yaml("components/x/anything.yaml", component)).kind == "Component"
    assert kustomization(load_yaml("deploy/app.yaml", "resources: [a.yaml]\n")) is None


def test_strategic_merge_patches_name_containers_by_name() -> None:
    patch = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          resources:
            limits: {memory: 1Gi}
"""
    (found,) = patched_objects(load_yaml("p.yaml", patch).documents)
    assert (found.kind, found.name) == ("Deployment", "api")
    assert found.writes("spec.template.spec.containers[api].resources.limits.memory")
    assert found.writes("spec.template.spec.containers[api]")
    assert not found.writes("spec.template.spec.containers[api].resources.requests")
    assert found.values["spec.replicas"] == 3
    (targeted,) = patched_objects(load_yaml("p.yaml", patch).documents, PatchTarget(kind="Deployment"))
    assert (targeted.kind, targeted.name) == ("Deployment", None)


def test_json_6902_patches_address_items_by_position() -> None:
    ops = """\
- op: add
  path: /spec/template/spec/containers/1/resources
  value: {requests: {cpu: 100m}}
- op: add
  path: /spec/template/spec/containers/-
  value: {name: proxy, image: envoyproxy/envoy:v1.32.1}
- op: remove
  path: /spec/template/spec/securityContext
- op: replace
  path: /metadata/annotations/acme.io~1owner
  value: payments
"""
    (found,) = patched_objects(load_yaml("ops.yaml", ops).documents, PatchTarget("Deployment", "api"))
    assert (found.kind, found.name) == ("Deployment", "api")
    assert found.writes("spec.template.spec.containers[#1].resources.requests.cpu")
    assert found.writes("spec.template.spec.containers[proxy].image")
    assert not found.writes("spec.template.spec.securityContext")
    assert found.writes("metadata.annotations.acme.io/owner")
    assert patched_objects(load_yaml("ops.yaml", ops).documents) == ()  # no target: nothing known


def test_inline_patches_parse_or_give_nothing() -> None:
    assert parse_inline_patch("k.yaml#0", "kind: Deployment\nmetadata: {name: a}\n")[0]["kind"] == "Deployment"
    assert parse_inline_patch("k.yaml#1", "a: [unclosed\n") == []


def _tree(files: dict[str, str]) -> KustomizeTree:
    found = {}
    for path, text in files.items():
        k = kustomization(load_yaml(path, text)) if text else None
        if k is not None:
            found[path] = k
    return KustomizeTree(found, files)


def test_a_tree_knows_what_each_kustomization_builds_from() -> None:
    tree = _tree(
        {
            "base/kustomization.yaml": "resources: [deploy.yaml, ../base]\n",  # a cycle adds nothing
            "base/deploy.yaml": "",
            "overlays/prod/kustomization.yaml": "resources: [../../base, pdb.yaml]\ncomponents: [../../c/ha]\n",
            "overlays/prod/pdb.yaml": "",
            "c/ha/kustomization.yaml": "kind: Component\napiVersion: kustomize.config.k8s.io/v1alpha1\n",
            "other/deploy.yaml": "",
        }
    )
    prod = tree.includes("overlays/prod/kustomization.yaml")
    assert {"base/deploy.yaml", "overlays/prod/pdb.yaml", "base/kustomization.yaml"} <= prod
    assert "other/deploy.yaml" not in prod
    assert "base/deploy.yaml" in tree.applies_to("c/ha/kustomization.yaml")  # a component changes its users' files


HELM_VALUES = """\
image:
  repository: acme/api
  tag: latest
worker:
  image: "acme/worker:1.0.0"
  resources: {}
sidecars:
  - name: proxy
    image: {repository: envoyproxy/envoy, tag: v1.32.1, digest: ""}
    resources:
      limits: {memory: 64Mi}
rbac:
  resources: [pods]
quota:
  resources:
    hard: {pods: "10"}
"""


def test_helm_values_files_images_and_resources() -> None:
    assert is_helm_values("charts/api/values.yaml") and is_helm_values("values-prod.yml")
    assert is_helm_values("env/prod-values.yaml") and is_helm_values("prod.values.yaml")
    assert not is_helm_values("deploy/valuesets.yaml") and not is_helm_values("values.json")
    file = load_yaml("values.yaml", HELM_VALUES)
    images = list(values_images(file))
    assert [(i.path, i.tag.value if i.tag else None, i.reference) for i in images] == [
        (("image",), "latest", None),
        (("worker", "image"), None, "acme/worker:1.0.0"),
        (("sidecars", "0", "image"), "v1.32.1", None),
    ]
    assert images[0].span == Span(1, 1, 1, 6)
    assert [(path, field.key_span.line) for path, field in values_resources(file)] == [
        (("worker", "resources"), 6),
        (("sidecars", "0", "resources"), 10),
    ]


@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("DB_PASSWORD", True),
        ("dbPassword", True),
        ("POSTGRES_PASSWORD", True),
        ("STRIPE_API_KEY", True),
        ("APIKey", True),
        ("JWT_SECRET", True),
        ("SECRET_KEY_BASE", True),
        ("GITHUB_TOKEN", True),
        ("REDIS_PASS", True),
        ("aws-secret-access-key", True),
        ("PASSWORD_FILE", False),
        ("TOKEN_TTL", False),
        ("SECRET_NAME", False),
        ("AWS_ACCESS_KEY_ID", False),
        ("PRIMARY_KEY", False),
        ("PUBLIC_KEY", False),
        ("PWD", False),
        ("KEY", False),
        ("LOG_LEVEL", False),
        ("POSTGRES_HOST_AUTH_METHOD", False),
        ("ETCD_INITIAL_CLUSTER_TOKEN", False),
        ("initial-cluster-token", False),
        ("ETCD_DISCOVERY_TOKEN", True),
    ],
)
def test_credential_names(name: str, credential: bool) -> None:
    assert is_credential_name(name) is credential


def test_name_words_split_every_convention() -> None:
    assert name_words("DB_PASSWORD") == name_words("dbPassword") == ["db", "password"]
    assert name_words("APIKey") == ["api", "key"]
    assert name_words("aws-secret-access-key") == ["aws", "secret", "access", "key"]


def test_url_passwords_and_where_they_are() -> None:
    assert url_password("postgres://app:s3cret@db:5432/shop") == "s3cret"
    assert url_password("redis://:hunter2@cache:6379/0") == "hunter2"
    assert url_password("postgres://app:${DB_PASSWORD}@db/shop") is None
    assert url_password("https://api.example.com/v1") is None
    value = "postgres://app:s3cret@db/shop"
    assert url_password_span(value, Span(4, 20, 4, 20 + len(value))) == Span(4, 35, 4, 41)


def test_secret_references_and_trivial_values() -> None:
    for reference in (
        "vault:secret/data/api#token",
        "ref+awssecrets://prod/api#token",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-abc",
        "projects/acme/secrets/api-token/versions/latest",
        "$(API_TOKEN)",
        "${API_TOKEN}",
        "/run/secrets/api_token",
        "{{ .Values.token }}",
    ):
        assert is_secret_reference(reference), reference
    assert not is_secret_reference("correct-horse-battery")
    assert all(is_trivial_secret_value(v) for v in ("", "true", "yes", 3600, "30s", None))
    assert not is_trivial_secret_value("hunter2")


def test_compose_interpolation_reads_defaults() -> None:
    assert compose_interpolate("traefik:${TAG:-latest}") == ("traefik:latest", ("TAG",))
    assert compose_interpolate("traefik:${TAG-v3.2}") == ("traefik:v3.2", ("TAG",))
    assert compose_interpolate("${REGISTRY}/api:1.0") == (None, ("REGISTRY",))
    assert compose_interpolate("api:$$literal") == ("api:$literal", ())
    assert compose_interpolate("api:${TAG:+x}1") == ("api:1", ("TAG",))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_helpers_never_raise_on_any_text(text: str) -> None:
    is_credential_name(text)
    url_password(text)
    is_secret_reference(text)
    compose_interpolate(text)
    is_helm_values(text)


PARTIAL = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 3
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
        - name: api
          image: acme/api:2.0.0
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          resources: {limits: {memory: 1Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      $setElementOrder/containers: [{name: api}]
      containers:
        - name: api
          image: acme/api:2.0.0
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: acme/api:2.0.0
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: old}
spec:
  template:
    spec:
      containers:
        - name: old
          image: acme/old:1.0.0
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - {name: job, image: acme/job:1.0.0}
"""


def test_partial_workloads_are_patches_and_whole_ones_are_not() -> None:
    file = load_yaml("deploy.yaml", PARTIAL)
    found = list(workloads(file))
    # The second has no selector but whole containers: incomplete (a patch only when a
    # kustomization applies its file as one), not certainly a fragment.
    assert [w.partial for w in found] == [True, False, True, True, False, False, False]
    assert [w.incomplete for w in found] == [True, True, True, True, False, False, False]
    assert [c.partial for c in found[2].containers] == [True]
    assert found[6].pod_spec_path == "spec.jobTemplate.spec.template.spec"
    assert found[4].pod_spec_path == "spec.template.spec"
    assert next(iter(workloads(file))) is found[0]  # computed once per file


def test_scale_targets_of_hpas_and_keda() -> None:
    text = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: web}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: consumer}
spec:
  scaleTargetRef: {name: consumer}
---
apiVersion: example.com/v1
kind: HorizontalPodAutoscaler
metadata: {name: other}
spec:
  scaleTargetRef: {kind: Deployment, name: other}
"""
    targets = [scale_target(obj) for obj in kube_objects(load_yaml("hpa.yaml", text))]
    assert targets == [("StatefulSet", "web"), ("Deployment", "consumer"), None]
