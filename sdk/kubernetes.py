"""Kubernetes objects in a YAML file, read the way the API server reads them.

:func:`kube_objects` yields every object (a document with ``apiVersion`` and ``kind``,
and the items of a ``kind: List``); :func:`workloads` the ones that run pods
(Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob,
Pod, Argo Rollout and OpenShift DeploymentConfig), each with its pod spec, selector,
replicas and containers. A container's :class:`SecurityContext` is the *effective*
one: the pod's settings that apply to containers, overridden field by field by the
container's own, each setting saying where it was written. :class:`LabelSelector` matches labels as Kubernetes does,
so a repository rule can pair a Service or a PodDisruptionBudget with its workloads.

Everything points back at the source: each value comes with the span to report at.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .model import Span
from .yaml_model import Field, YamlFile, YamlMapping, YamlSequence, yaml_bool

__all__ = [
    "INHERITED_SECURITY_FIELDS",
    "SCALER_KINDS",
    "WORKLOAD_KINDS",
    "Container",
    "ContainerRole",
    "KubeObject",
    "LabelSelector",
    "SecurityContext",
    "SelectorRequirement",
    "Setting",
    "Workload",
    "head_span",
    "kube_objects",
    "scale_target",
    "selector_of",
    "workloads",
]

_EMPTY: Mapping[str, Any] = MappingProxyType({})

INHERITED_SECURITY_FIELDS = frozenset(
    {"runAsUser", "runAsGroup", "runAsNonRoot", "seLinuxOptions", "seccompProfile", "windowsOptions", "appArmorProfile"}
)
"""Fields of the pod's ``securityContext`` that also apply to each container (the
container's own value wins). The pod's other fields (``fsGroup``, ``sysctls``, ...) are
pod-wide; ``privileged``, ``allowPrivilegeEscalation``, ``capabilities``,
``readOnlyRootFilesystem`` and ``procMount`` exist only on containers."""

# kind -> API groups it belongs to ("" is the core group, apiVersion "v1")
WORKLOAD_KINDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "Deployment": frozenset({"apps", "extensions"}),
        "StatefulSet": frozenset({"apps"}),
        "DaemonSet": frozenset({"apps", "extensions"}),
        "ReplicaSet": frozenset({"apps", "extensions"}),
        "ReplicationController": frozenset({""}),
        "Job": frozenset({"batch"}),
        "CronJob": frozenset({"batch"}),
        "Pod": frozenset({""}),
        "Rollout": frozenset({"argoproj.io"}),
        "DeploymentConfig": frozenset({"apps.openshift.io", ""}),
    }
)
"""The kinds :func:`workloads` reads, each with the API groups it is defined in (a
custom resource that reuses a name, such as Volcano's ``Job``, is not a workload)."""

_REPLICATED = frozenset(
    {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout", "DeploymentConfig"}
)


def _field(node: Any, key: str) -> Field | None:
    return node.field(key) if isinstance(node, YamlMapping) else None


def head_span(node: Any) -> Span:
    """The first line of a mapping, to report at: its first key through that key's value
    when the value ends on the same line (``name: api`` for a container); a mapping
    written on one line is its own head."""
    span = node.span
    if span.end_line == span.line or not isinstance(node, YamlMapping) or not node:
        return span
    # the first key written in this mapping (keys merged in with `<<` are written elsewhere)
    key = next((k for k, offsets in node._positions.items() if offsets[0] >= node._start), None)
    if key is None:
        return Span(span.line, span.column)
    key_span = node.key_span(key)
    value_span = node.value_span(key)
    end = value_span.end_column if value_span.end_line == key_span.line else key_span.end_column
    if key_span.line != span.line:  # an anchor or a tag on a line of its own: the key's line
        return Span(key_span.line, key_span.column, key_span.line, end)
    return Span(span.line, span.column, key_span.line, end)


def _mapping(node: Any, *path: str) -> YamlMapping | None:
    for key in path:
        if not isinstance(node, YamlMapping):
            return None
        node = node.get(key)
    return node if isinstance(node, YamlMapping) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@attrs.frozen(slots=True)
class KubeObject:
    """One Kubernetes object: a document with ``apiVersion`` and ``kind``, or an item of a
    ``kind: List``. ``labels`` and ``annotations`` are the metadata mappings (empty when
    absent); ``node`` is the object's mapping; ``span`` its first line; ``document`` the
    index of the document it is in."""

    kind: str
    api_version: str
    name: str | None
    namespace: str | None
    labels: Mapping[str, Any] = attrs.field(eq=False, repr=False)
    annotations: Mapping[str, Any] = attrs.field(eq=False, repr=False)
    node: YamlMapping = attrs.field(eq=False, repr=False)
    span: Span
    document: int

    @property
    def group(self) -> str:
        """The API group (``"apps"`` for ``apps/v1``; ``""`` for the core ``v1``)."""
        return self.api_version.rpartition("/")[0]

    @property
    def spec(self) -> YamlMapping | None:
        return _mapping(self.node, "spec")


def _object(node: Any, document: int) -> KubeObject | None:
    if not isinstance(node, YamlMapping):
        return None
    kind, api_version = node.get("kind"), node.get("apiVersion")
    if not isinstance(kind, str) or not isinstance(api_version, str) or not kind or not api_version:
        return None
    metadata = _mapping(node, "metadata")
    labels = _mapping(metadata, "labels") if metadata is not None else None
    annotations = _mapping(metadata, "annotations") if metadata is not None else None
    return KubeObject(
        kind=kind,
        api_version=api_version,
        name=_text(metadata.get("name")) if metadata is not None else None,
        namespace=_text(metadata.get("namespace")) if metadata is not None else None,
        labels=labels if labels is not None else _EMPTY,
        annotations=annotations if annotations is not None else _EMPTY,
        node=node,
        span=head_span(node),
        document=document,
    )


def kube_objects(file: YamlFile) -> Iterator[KubeObject]:
    """Every Kubernetes object of the file, in order; a ``List`` (``kind: List`` or
    ``kind: DeploymentList``...) yields its items instead of itself. Computed once per
    file and shared by every rule that asks (the objects are immutable)."""
    cached = file.__dict__.get("_kube_objects")
    if cached is None:
        cached = file.__dict__["_kube_objects"] = tuple(_kube_objects(file))
    return iter(cached)


def _kube_objects(file: YamlFile) -> Iterator[KubeObject]:
    for document in file.yaml_documents:
        obj = _object(document.value, document.index)
        if obj is None:
            continue
        items = obj.node.get("items")
        if obj.kind.endswith("List") and isinstance(items, YamlSequence):
            for item in items:
                inner = _object(item, document.index)
                if inner is not None:
                    yield inner
        else:
            yield obj


class ContainerRole(enum.Enum):
    """Which list of the pod spec a container comes from."""

    INIT = "init"  # initContainers
    REGULAR = "regular"  # containers
    EPHEMERAL = "ephemeral"  # ephemeralContainers (debug containers)

    def __str__(self) -> str:
        return self.value


_CONTAINER_LISTS = (
    ("initContainers", ContainerRole.INIT),
    ("containers", ContainerRole.REGULAR),
    ("ephemeralContainers", ContainerRole.EPHEMERAL),
)


@attrs.frozen(slots=True)
class Setting:
    """One effective security setting: its ``value``, the span of the value (``span``)
    and of its key (``key_span``), and ``source``, ``"pod"`` when inherited from the pod's
    ``securityContext`` or ``"container"`` when the container sets it."""

    name: str
    value: Any = attrs.field(eq=False)
    span: Span
    key_span: Span
    source: str

    @property
    def inherited(self) -> bool:
        return self.source == "pod"


@attrs.frozen(slots=True)
class SecurityContext:
    """A container's effective security settings: the pod's fields that apply to containers
    (:data:`INHERITED_SECURITY_FIELDS`), replaced field by field by the container's own
    ``securityContext``. A field set to null is not set. ``node`` is the container's own
    ``securityContext`` mapping (``None`` when it has none)."""

    settings: Mapping[str, Setting] = attrs.field(eq=False)
    node: YamlMapping | None = attrs.field(eq=False, repr=False)

    def get(self, name: str) -> Setting | None:
        return self.settings.get(name)

    def value(self, name: str, default: Any = None) -> Any:
        setting = self.settings.get(name)
        return default if setting is None else setting.value

    def __contains__(self, name: object) -> bool:
        return name in self.settings

    def flag(self, name: str) -> bool | None:
        """A boolean setting as Kubernetes reads YAML (``true``, ``yes``, ``on``...), ``None``
        when unset or not a boolean."""
        return yaml_bool(self.value(name))

    @property
    def privileged(self) -> bool | None:
        return self.flag("privileged")

    @property
    def allow_privilege_escalation(self) -> bool | None:
        return self.flag("allowPrivilegeEscalation")

    @property
    def read_only_root_filesystem(self) -> bool | None:
        return self.flag("readOnlyRootFilesystem")

    @property
    def run_as_non_root(self) -> bool | None:
        return self.flag("runAsNonRoot")

    @property
    def run_as_user(self) -> int | None:
        value = self.value("runAsUser")
        return value if isinstance(value, int) and not isinstance(value, bool) else None


def _security_context(pod_context: YamlMapping | None, own: YamlMapping | None) -> SecurityContext:
    settings: dict[str, Setting] = {}
    for source, node in (("pod", pod_context), ("container", own)):
        if node is None:
            continue
        for key, value in node.items():
            if value is None or not isinstance(key, str):
                continue
            if source == "pod" and key not in INHERITED_SECURITY_FIELDS:
                continue
            settings[key] = Setting(key, value, node.value_span(key), node.key_span(key), source)
    return SecurityContext(MappingProxyType(settings), own)


@attrs.frozen(slots=True)
class Container:
    """A container of a pod spec. ``role`` says which list it is in and ``index`` its place
    there; ``span`` is the first line of its mapping (the ``- name: api`` line);
    ``security_context`` is the effective one (pod settings inherited)."""

    name: str | None
    role: ContainerRole
    index: int
    image: Field | None
    node: YamlMapping = attrs.field(eq=False, repr=False)
    span: Span
    security_context: SecurityContext = attrs.field(eq=False, repr=False)

    @property
    def is_init(self) -> bool:
        return self.role is ContainerRole.INIT

    @property
    def is_ephemeral(self) -> bool:
        return self.role is ContainerRole.EPHEMERAL

    @property
    def is_sidecar(self) -> bool:
        """An init container with ``restartPolicy: Always``: it runs beside the app."""
        return self.is_init and self.node.get("restartPolicy") == "Always"

    def field(self, name: str) -> Field | None:
        """Any field of the container with its spans (``resources``, ``livenessProbe``...)."""
        return _field(self.node, name)

    @property
    def partial(self) -> bool:
        """The container has no ``image``, which every container of a whole object must
        have: it is a fragment, such as a Kustomize patch that only adds ``resources``."""
        return "image" not in self.node


def _containers(pod_spec: YamlMapping) -> tuple[Container, ...]:
    pod_context = _mapping(pod_spec, "securityContext")
    out = []
    for list_key, role in _CONTAINER_LISTS:
        items = pod_spec.get(list_key)
        if not isinstance(items, YamlSequence):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, YamlMapping):
                continue
            out.append(
                Container(
                    name=_text(item.get("name")),
                    role=role,
                    index=index,
                    image=_field(item, "image"),
                    node=item,
                    span=head_span(item),
                    security_context=_security_context(pod_context, _mapping(item, "securityContext")),
                )
            )
    return tuple(out)


@attrs.frozen(slots=True)
class SelectorRequirement:
    """One ``matchExpressions`` entry: ``key``, ``operator`` (``In``, ``NotIn``, ``Exists``,
    ``DoesNotExist``) and ``values``."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, Any]) -> bool:
        present = self.key in labels
        if self.operator == "Exists":
            return present
        if self.operator == "DoesNotExist":
            return not present
        if self.operator == "In":
            return present and _label_text(labels[self.key]) in self.values
        if self.operator == "NotIn":
            return not present or _label_text(labels[self.key]) not in self.values
        return False  # an unknown operator: the API server rejects the selector


def _label_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


@attrs.frozen(slots=True)
class LabelSelector:
    """A label selector: every ``match_labels`` pair and every ``match_expressions``
    requirement must hold (AND). An empty selector matches every set of labels, as for a
    PodDisruptionBudget or a NetworkPolicy. ``span`` is where it is written (``None`` for
    one built from JSON data)."""

    match_labels: Mapping[str, str] = attrs.field(converter=lambda m: MappingProxyType(dict(m)))
    match_expressions: tuple[SelectorRequirement, ...] = ()
    span: Span | None = attrs.field(default=None, eq=False)

    @classmethod
    def parse(cls, node: Any) -> LabelSelector | None:
        """A selector from a ``{matchLabels, matchExpressions}`` mapping; ``None`` when
        ``node`` is not a mapping. Works on plain dicts too (repository facts)."""
        if not isinstance(node, Mapping):
            return None
        labels = node.get("matchLabels")
        expressions = node.get("matchExpressions")
        requirements = []
        if isinstance(expressions, list):
            for entry in expressions:
                if not isinstance(entry, Mapping) or not isinstance(entry.get("key"), str):
                    continue
                values = entry.get("values")
                values = tuple(_label_text(v) for v in values) if isinstance(values, list) else ()
                requirements.append(SelectorRequirement(entry["key"], str(entry.get("operator", "")), values))
        return cls(_labels(labels), tuple(requirements), getattr(node, "span", None))

    @classmethod
    def from_labels(cls, node: Any) -> LabelSelector | None:
        """An equality selector from a plain ``key: value`` mapping (a Service's or a
        ReplicationController's ``selector``); ``None`` when ``node`` is not a mapping."""
        if not isinstance(node, Mapping):
            return None
        return cls(_labels(node), (), getattr(node, "span", None))

    @property
    def empty(self) -> bool:
        return not self.match_labels and not self.match_expressions

    def matches(self, labels: Mapping[str, Any] | None) -> bool:
        labels = labels or {}
        for key, value in self.match_labels.items():
            if key not in labels or _label_text(labels[key]) != value:
                return False
        return all(requirement.matches(labels) for requirement in self.match_expressions)

    def to_json(self) -> dict[str, Any]:
        """JSON data (for a repository rule's facts); :meth:`parse` reads it back."""
        return {
            "matchLabels": dict(self.match_labels),
            "matchExpressions": [
                {"key": r.key, "operator": r.operator, "values": list(r.values)} for r in self.match_expressions
            ],
        }


def _labels(node: Any) -> dict[str, str]:
    if not isinstance(node, Mapping):
        return {}
    return {str(key): _label_text(value) for key, value in node.items()}


def selector_of(obj: KubeObject) -> LabelSelector | None:
    """The pods an object selects: a Service's ``spec.selector`` (``None`` when it has
    none or it is empty: such a Service selects no pods), a PodDisruptionBudget's
    ``spec.selector``, a NetworkPolicy's ``spec.podSelector``, a workload's selector.
    ``None`` for other kinds."""
    spec = obj.spec
    if spec is None:
        return None
    if obj.kind == "Service":
        selector = LabelSelector.from_labels(spec.get("selector"))
        return None if selector is None or selector.empty else selector
    if obj.kind == "NetworkPolicy":
        return LabelSelector.parse(spec.get("podSelector"))
    if obj.kind in ("ReplicationController", "DeploymentConfig"):
        return LabelSelector.from_labels(spec.get("selector"))
    if obj.kind == "CronJob":
        return LabelSelector.parse(_mapping(spec, "jobTemplate", "spec", "selector"))
    if obj.kind == "Pod":
        return None
    return LabelSelector.parse(spec.get("selector"))


@attrs.frozen(slots=True)
class Workload:
    """An object that runs pods. ``pod_spec`` is its pod spec mapping (``None`` when it has
    none, e.g. a Rollout with a ``workloadRef``); ``template_labels`` the labels its pods
    get; ``selector`` its label selector (``None`` when not written); ``replicas`` its
    ``spec.replicas`` (``None`` when not written, or for kinds without one);
    ``containers`` every container: init, regular and ephemeral."""

    object: KubeObject
    pod_spec: YamlMapping | None = attrs.field(eq=False, repr=False)
    template_labels: Mapping[str, Any] = attrs.field(eq=False, repr=False)
    selector: LabelSelector | None
    replicas: Field | None
    containers: tuple[Container, ...]
    _directives: bool = attrs.field(default=True, eq=False, repr=False, alias="_directives")

    @property
    def kind(self) -> str:
        return self.object.kind

    @property
    def name(self) -> str | None:
        return self.object.name

    @property
    def namespace(self) -> str | None:
        return self.object.namespace

    @property
    def span(self) -> Span:
        return self.object.span

    @property
    def node(self) -> YamlMapping:
        return self.object.node

    @property
    def pod_security_context(self) -> YamlMapping | None:
        """The pod spec's own ``securityContext`` (with its pod-wide fields)."""
        return _mapping(self.pod_spec, "securityContext")

    @property
    def pod_spec_path(self) -> str:
        """Where the pod spec sits in the object, as a dotted path: ``spec.template.spec``,
        ``spec.jobTemplate.spec.template.spec`` for a CronJob, ``spec`` for a Pod."""
        return _POD_SPEC_PATHS.get(self.kind, "spec.template.spec")

    @property
    def partial(self) -> bool:
        """The object is certainly a fragment rather than a whole object: a Kustomize
        strategic-merge patch (or a file meant to be merged into one) that names a workload
        and writes only the fields it changes. Rules judge what a fragment writes, never
        what it leaves out.

        Certain: it has no pod template or no containers, a container without an
        ``image``, or a ``$patch`` directive. A Pod is always judged as written (Kustomize
        patches name controllers, not pods). See :attr:`incomplete` for objects that lack
        a field the API server requires, which may be patches too.
        """
        if self.pod_spec is None or not self.containers:
            return not (self.kind == "Rollout" and _field(self.object.spec, "workloadRef") is not None)
        if self._directives and _has_patch_directive(self.object.spec):
            return True
        if self.kind == "Pod":
            return False
        return any(container.partial for container in self.containers)

    @property
    def incomplete(self) -> bool:
        """The object lacks a field the API server requires of its kind: a
        ``spec.selector`` for the ``apps/v1`` kinds and Argo Rollouts, a ``schedule`` for a
        CronJob, a ``restartPolicy`` for a Job's pods (or it is :attr:`partial`). Such an
        object is a patch when a kustomization applies its file as one; otherwise it is a
        manifest written loosely, and judged as a whole."""
        if self.partial:
            return True
        kind, spec = self.kind, self.object.spec
        if kind in _SELECTOR_REQUIRED and self.object.api_version in _SELECTOR_VERSIONS and self.selector is None:
            return True
        if kind == "CronJob" and (spec is None or spec.get("schedule") is None):
            return True
        return kind == "Job" and self.pod_spec is not None and self.pod_spec.get("restartPolicy") is None


_POD_SPEC_PATHS: Mapping[str, str] = MappingProxyType({"Pod": "spec", "CronJob": "spec.jobTemplate.spec.template.spec"})
_SELECTOR_REQUIRED = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout"})
_SELECTOR_VERSIONS = frozenset({"apps/v1", "argoproj.io/v1alpha1"})


def _has_patch_directive(node: Any, depth: int = 0) -> bool:
    """A ``$patch``, ``$retainKeys`` or ``$setElementOrder/...`` key: strategic-merge
    directives, only ever written in patches."""
    if depth > 12:
        return False
    if isinstance(node, YamlMapping):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("$"):
                return True
            if isinstance(value, (YamlMapping, YamlSequence)) and _has_patch_directive(value, depth + 1):
                return True
    elif isinstance(node, YamlSequence):
        return any(
            _has_patch_directive(item, depth + 1) for item in node if isinstance(item, (YamlMapping, YamlSequence))
        )
    return False


def _pod_template(obj: KubeObject) -> YamlMapping | None:
    if obj.kind == "Pod":
        return obj.node
    if obj.kind == "CronJob":
        return _mapping(obj.node, "spec", "jobTemplate", "spec", "template")
    return _mapping(obj.node, "spec", "template")


def _workload(obj: KubeObject, directives: bool = True) -> Workload | None:
    groups = WORKLOAD_KINDS.get(obj.kind)
    if groups is None or obj.group not in groups:
        return None
    template = _pod_template(obj)
    pod_spec = _mapping(template, "spec")
    labels = _mapping(template, "metadata", "labels")
    return Workload(
        object=obj,
        pod_spec=pod_spec,
        template_labels=labels if labels is not None else _EMPTY,
        selector=selector_of(obj),
        replicas=_field(obj.spec, "replicas") if obj.kind in _REPLICATED else None,
        containers=_containers(pod_spec) if pod_spec is not None else (),
        _directives=directives,
    )


def workloads(file: YamlFile) -> Iterator[Workload]:
    """Every workload of the file, in order (see :data:`WORKLOAD_KINDS`); computed once
    per file and shared by every rule that asks."""
    cached = file.__dict__.get("_kube_workloads")
    if cached is None:
        directives = "$patch" in file.text or "$retainKeys" in file.text or "$setElementOrder" in file.text
        found = (_workload(obj, directives) for obj in kube_objects(file))
        cached = file.__dict__["_kube_workloads"] = tuple(w for w in found if w is not None)
    return iter(cached)


SCALER_KINDS: Mapping[str, str] = MappingProxyType(
    {"HorizontalPodAutoscaler": "autoscaling", "ScaledObject": "keda.sh"}
)
"""Objects that scale a workload's replicas, with their API group: the
HorizontalPodAutoscaler and KEDA's ``ScaledObject`` (which drives an HPA of its own)."""


def scale_target(obj: KubeObject) -> tuple[str, str] | None:
    """The ``(kind, name)`` of the workload an autoscaler scales (its ``scaleTargetRef``);
    a KEDA ``ScaledObject`` without a ``kind`` targets a Deployment. ``None`` for other
    objects, or when the reference names no target."""
    group = SCALER_KINDS.get(obj.kind)
    if group is None or obj.group != group:
        return None
    ref = _mapping(obj.spec, "scaleTargetRef")
    if ref is None or not isinstance(ref.get("name"), str):
        return None
    kind = ref.get("kind")
    if not isinstance(kind, str):
        if obj.kind != "ScaledObject":
            return None
        kind = "Deployment"
    return kind, ref["name"]
