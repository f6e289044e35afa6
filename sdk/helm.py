"""Helm values files: what can be judged in a chart's ``values.yaml`` before rendering.

Chart templates are not YAML until rendered (the loader skips them), but a values file
is ordinary YAML and says a good deal: which images a release deploys and with which
tags, which resources its containers ask for. It is not a manifest, and nothing in it
is a Kubernetes object: :func:`is_helm_values` tells rules to read it as values.

:func:`values_images` finds the image references written the ways charts conventionally
read them: ``image: {repository, tag, digest}`` (the ``helm create`` scaffold, Bitnami's
``registry``/``repository``/``tag``/``digest``), and ``image: "nginx:1.27"`` strings.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator

import attrs

from .model import Span
from .yaml_model import Field, YamlFile, YamlMapping, YamlSequence

__all__ = [
    "HELM_VALUES_NAMES",
    "ValuesImage",
    "ValuesSecurityContext",
    "is_helm_values",
    "values_images",
    "values_resources",
    "values_security_contexts",
]

HELM_VALUES_NAMES = (
    "values.yaml",
    "values.yml",
    "values-*.yaml",
    "values-*.yml",
    "values.*.yaml",
    "values.*.yml",
    "values_*.yaml",
    "values_*.yml",
    "*-values.yaml",
    "*-values.yml",
    "*.values.yaml",
    "*.values.yml",
    "*_values.yaml",
    "*_values.yml",
)
"""File names of Helm values files (``values.yaml``, ``values-prod.yaml``, ``prod-values.yaml``...)."""

_MAX_DEPTH = 12


_VALUES_NAME = re.compile("|".join(fnmatch.translate(pattern) for pattern in HELM_VALUES_NAMES))


def is_helm_values(path: str) -> bool:
    """A Helm values file, by its name (``values.yaml``, ``values-prod.yaml``...)."""
    return _VALUES_NAME.match(path.rsplit("/", 1)[-1]) is not None


@attrs.frozen(slots=True)
class ValuesImage:
    """An image a values file configures. ``field`` is the ``image`` key's value (a
    mapping or a string); ``repository``, ``tag`` and ``digest`` are its parts when it
    is a mapping (``None`` when absent); ``reference`` the text of a string form.
    ``path`` is where it sits (``("api", "image")``)."""

    path: tuple[str, ...]
    field: Field = attrs.field(eq=False)
    repository: Field | None = attrs.field(default=None, eq=False)
    tag: Field | None = attrs.field(default=None, eq=False)
    digest: Field | None = attrs.field(default=None, eq=False)
    reference: str | None = None

    @property
    def span(self) -> Span:
        return self.field.key_span


def _walk(node: YamlMapping, path: tuple[str, ...], depth: int = 0) -> Iterator[tuple[tuple[str, ...], YamlMapping]]:
    yield path, node
    if depth >= _MAX_DEPTH:
        return
    for key, value in node.items():
        if isinstance(value, YamlMapping):
            yield from _walk(value, (*path, str(key)), depth + 1)
        elif isinstance(value, YamlSequence):
            for index, item in enumerate(value):
                if isinstance(item, YamlMapping):
                    yield from _walk(item, (*path, str(key), str(index)), depth + 1)


def values_images(file: YamlFile) -> Iterator[ValuesImage]:
    """Every ``image`` of a values file: a mapping holding a string ``repository``, or a
    string (``image: "nginx:1.27"``), in document order."""
    for document in file.yaml_documents:
        if not isinstance(document.value, YamlMapping):
            continue
        for path, node in _walk(document.value, ()):
            field = node.field("image")
            if field is None:
                continue
            value = field.value
            if isinstance(value, YamlMapping) and isinstance(value.get("repository"), str):
                yield ValuesImage(
                    (*path, "image"), field, value.field("repository"), value.field("tag"), value.field("digest")
                )
            elif isinstance(value, str) and value.strip():
                yield ValuesImage((*path, "image"), field, reference=value.strip())


def _preset_named(node: YamlMapping) -> bool:
    preset = node.get("resourcesPreset")
    return isinstance(preset, str) and preset.strip().lower() not in ("", "none")


def values_resources(file: YamlFile) -> Iterator[tuple[tuple[str, ...], Field]]:
    """Every ``resources`` mapping of a values file shaped like a container's (empty, or
    holding only ``requests``, ``limits`` and ``claims``), with its path.

    A mapping beside a ``resourcesPreset`` naming a preset (Bitnami charts' ``nano`` to
    ``2xlarge``, which the chart renders as CPU and memory requests and limits) is left
    out: the preset fills an empty ``resources``. ``resourcesPreset: none`` does not."""
    for document in file.yaml_documents:
        if not isinstance(document.value, YamlMapping):
            continue
        for path, node in _walk(document.value, ()):
            field = node.field("resources")
            if field is None or not isinstance(field.value, YamlMapping):
                continue
            container_like = set(field.value) <= {"requests", "limits", "claims"}
            if container_like and not _preset_named(node) and not _storage_only(field.value):
                yield (*path, "resources"), field


def _storage_only(resources: YamlMapping) -> bool:
    """A volume claim's ``resources`` (``requests: {storage: 200Gi}``, in a
    ``volumeClaimTemplate`` or ``persistence`` block): not a container's."""
    amounts = [resources.get(key) for key in ("requests", "limits")]
    keys = {name for amount in amounts if isinstance(amount, YamlMapping) for name in amount}
    return bool(keys) and keys <= {"storage"}


# Keys only a container's securityContext has, and keys only a pod's has.
_CONTAINER_ONLY = frozenset(
    {"privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities", "procMount"}
)
_POD_ONLY = frozenset({"fsGroup", "fsGroupChangePolicy", "supplementalGroups", "supplementalGroupsPolicy", "sysctls"})


@attrs.frozen(slots=True)
class ValuesSecurityContext:
    """A security context a values file configures for the chart to render: a mapping
    under a key named ``securityContext``, ``podSecurityContext``,
    ``containerSecurityContext`` or ending in ``SecurityContext``
    (``initContainerSecurityContext``...). ``level`` is ``"pod"`` or ``"container"``,
    from the key's name and, for a plain ``securityContext``, the fields it holds
    (``fsGroup`` only exists on a pod). ``path`` is where it sits
    (``("api", "containerSecurityContext")``)."""

    path: tuple[str, ...]
    field: Field = attrs.field(eq=False)
    level: str

    @property
    def node(self) -> YamlMapping:
        return self.field.value  # type: ignore[no-any-return]

    @property
    def span(self) -> Span:
        return self.field.key_span


def values_security_contexts(file: YamlFile) -> Iterator[ValuesSecurityContext]:
    """Every security context a values file sets, in document order. A Bitnami-style
    context switched off (``enabled: false``), or one in a section switched off
    (``volumePermissions: {enabled: false, containerSecurityContext: ...}``), is left
    out: the chart does not render it."""
    for document in file.yaml_documents:
        if not isinstance(document.value, YamlMapping):
            continue
        off: set[tuple[str, ...]] = set()
        for path, node in _walk(document.value, ()):
            if node.get("enabled") is False or any(path[:end] in off for end in range(len(path))):
                off.add(path)
                continue
            for key in node:
                if not isinstance(key, str) or not key.endswith(("securityContext", "SecurityContext")):
                    continue
                field = node.field(key)
                if field is None or not isinstance(field.value, YamlMapping):
                    continue
                if field.value.get("enabled") is False:
                    continue
                fields = set(field.value)
                pod_only = key == "securityContext" and fields & _POD_ONLY and not fields & _CONTAINER_ONLY
                level = "pod" if key.lower().endswith("podsecuritycontext") or pod_only else "container"
                yield ValuesSecurityContext((*path, key), field, level)
