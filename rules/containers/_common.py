"""What the container and cluster rules share: naming things, spans, and judging workloads
against the patches that complete them.

Rules that flag a *missing* setting (no ``resources``, no ``runAsNonRoot``, no
``replicas``) are repository rules built on :class:`WorkloadRule`: a value that is
written wrong is reported from the file at once, while a missing one is only a
candidate until every patch of the repository is known. A Kustomize overlay or
component that writes the setting for that workload (by name, in a kustomization that
builds from the base's file) settles it, and a patch itself is never judged for what it
leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

import attrs
from prodready_lint.sdk import (
    ComposeService,
    Confidence,
    Container,
    Context,
    FileKind,
    KubeObject,
    Kustomization,
    KustomizeTree,
    PatchedObject,
    PatchTarget,
    RepoContext,
    RepoRule,
    Repository,
    Span,
    ValuesSecurityContext,
    Workload,
    YamlFile,
    YamlMapping,
    YamlSequence,
    compose_services,
    is_helm_values,
    kustomization,
    parse_inline_patch,
    patched_objects,
    values_security_contexts,
    workloads,
)

YAML = frozenset({FileKind.YAML})
# What a file holding a kustomization or a patch contains (a JSON 6902 patch: "- op:")
KUSTOMIZE_TRIGGERS = ("patch", "resources", "components", "bases", re.compile(r"(?m)^\s*-?\s*op\s*:"))
# What a Helm values file setting a security context holds
VALUES_CONTEXT_TRIGGERS = ("ecurityContext",)
DOCKERFILE = frozenset({FileKind.DOCKERFILE})

CWE_PRIVILEGES = (250,)  # Execution with Unnecessary Privileges
CWE_RESOURCES = (770,)  # Allocation of Resources Without Limits or Throttling
CWE_EXPOSURE = (668,)  # Exposure of Resource to Wrong Sphere
CWE_CLEARTEXT = (319,)  # Cleartext Transmission of Sensitive Information
CWE_ENV_SECRET = (526,)  # Exposure of Sensitive Information Through Environmental Variables
CWE_UNTRUSTED = (829,)  # Inclusion of Functionality from Untrusted Control Sphere

K8S_SECURITY_CONTEXT = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"
POD_SECURITY_STANDARDS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"


# --- naming ------------------------------------------------------------------------


def describe_object(obj: KubeObject | Workload) -> str:
    """``Deployment 'web'`` (``Deployment`` when it has no name)."""
    return f"{obj.kind} {obj.name!r}" if obj.name else obj.kind


def describe_container(workload: Workload, container: Container) -> str:
    """``container 'api' of Deployment 'web'``, ``init container 'migrate' of Job 'x'``."""
    role = {"init": "init container", "ephemeral": "ephemeral container"}.get(container.role.value, "container")
    if container.is_sidecar:
        role = "sidecar container"
    name = f"{role} {container.name!r}" if container.name else f"{role} #{container.index + 1}"
    return f"{name} of {describe_object(workload)}"


def describe_service(service: ComposeService) -> str:
    return f"compose service {service.name!r}"


# --- spans -------------------------------------------------------------------------


def key_value_span(node: YamlMapping, key: str) -> Span:
    """From a key to the end of its value when both are on one line (``privileged: true``),
    else the key alone."""
    key_span = node.key_span(key)
    value_span = node.value_span(key)
    if value_span.line == key_span.line and value_span.end_line == key_span.line:
        return Span(key_span.line, key_span.column, key_span.line, max(value_span.end_column, key_span.end_column))
    return key_span


def item_span(sequence: YamlSequence, index: int) -> Span:
    """An item's span, cut to its first line."""
    span = sequence.item_span(index)
    if span.end_line == span.line:
        return span
    return Span(span.line, span.column)


def first_line(span: Span) -> Span:
    return span if span.end_line == span.line else Span(span.line, span.column)


# --- files -------------------------------------------------------------------------


def compose_services_of(file: YamlFile) -> list[ComposeService]:
    """The services of a Compose file; a Helm values file is never read as one."""
    if is_helm_values(file.path):
        return []
    return list(compose_services(file))


def values_contexts(file: YamlFile) -> list[ValuesSecurityContext]:
    """The security contexts a Helm values file sets (none for other files)."""
    return list(values_security_contexts(file)) if is_helm_values(file.path) else []


def describe_values(context: ValuesSecurityContext) -> str:
    """``Helm values 'api.containerSecurityContext'``."""
    return f"Helm values {'.'.join(context.path)!r}"


def is_fragment(service: ComposeService) -> bool:
    """A Compose service with no ``image``, ``build`` or ``extends``: a fragment that another
    Compose file of the project completes (``docker-compose.override.yml``)."""
    return not any(key in service.node for key in ("image", "build", "extends"))


def is_windows(workload: Workload) -> bool:
    """A pod scheduled on Windows nodes, where Linux security settings do not apply."""
    spec = workload.pod_spec
    if spec is None:
        return False
    selector = spec.get("nodeSelector")
    if isinstance(selector, Mapping) and selector.get("kubernetes.io/os") == "windows":
        return True
    os_field = spec.get("os")
    return isinstance(os_field, Mapping) and os_field.get("name") == "windows"


def runnable_containers(workload: Workload, *, ephemeral: bool = False) -> Iterator[Container]:
    """Init and regular containers (ephemeral debug containers are added by
    ``kubectl debug``, not deployed; ``ephemeral=True`` keeps them)."""
    for container in workload.containers:
        if ephemeral or not container.is_ephemeral:
            yield container


def workload_containers(
    file: YamlFile, *, linux_only: bool = False, ephemeral: bool = False
) -> Iterator[tuple[Workload, Container]]:
    """Every container of every workload of the file, with its workload: init and regular
    containers (ephemeral ones too with ``ephemeral=True``), skipping Windows pods with
    ``linux_only=True`` (where Linux security settings do not apply). Fragments
    (Kustomize patches) are included: what they write is judged, and
    :class:`WorkloadRule` drops what they leave out."""
    for workload in workloads(file):
        if linux_only and is_windows(workload):
            continue
        for container in runnable_containers(workload, ephemeral=ephemeral):
            yield workload, container


# --- patches -------------------------------------------------------------------------


def container_paths(workload: Workload, container: Container, *suffixes: str) -> list[str]:
    """The field paths a patch writes to set ``suffix`` on this container: by name (a
    strategic-merge patch) and by position (a JSON 6902 patch)."""
    list_key = "initContainers" if container.is_init else "containers"
    base = f"{workload.pod_spec_path}.{list_key}"
    heads = [f"{base}[#{container.index}]"]
    if container.name:
        heads.insert(0, f"{base}[{container.name}]")
    return [f"{head}.{suffix}" for head in heads for suffix in suffixes]


def pod_paths(workload: Workload, *suffixes: str) -> list[str]:
    return [f"{workload.pod_spec_path}.{suffix}" for suffix in suffixes]


@attrs.frozen(slots=True)
class Missing:
    """A setting a whole workload lacks: reported unless patches write, for each group
    of ``needs``, one of its paths (``((cpu paths...), (memory paths...))``)."""

    span: Span
    message: str
    needs: tuple[tuple[str, ...], ...]
    confidence: Confidence | None = None

    @classmethod
    def at_container(
        cls,
        workload: Workload,
        container: Container,
        message: str,
        *settings: str,
        pod: bool = False,
        confidence: Confidence | None = None,
    ) -> Missing:
        """A setting the container lacks, reported at its first line: ``message`` follows
        the container's name, and a patch writing one of the container's ``settings`` (dotted
        paths under the container, such as ``securityContext.runAsNonRoot``) settles it, or
        with ``pod=True`` one of them under the pod spec (an inherited setting)."""
        paths = container_paths(workload, container, *settings)
        if pod:
            paths += pod_paths(workload, *settings)
        return cls(container.span, f"{describe_container(workload, container)} {message}", (tuple(paths),), confidence)

    def to_json(self, obj: KubeObject) -> dict[str, Any]:
        return {
            "span": self.span,
            "message": self.message,
            "needs": [list(group) for group in self.needs],
            "kind": obj.kind,
            "name": obj.name,
            "confidence": self.confidence.value if self.confidence else None,
        }


def collect_patches(file: YamlFile) -> dict[str, Any]:
    """What a file contributes to the patch join: its kustomization (with what its
    inline patches write), the JSON 6902 operation lists and the partial workloads it
    holds."""
    out: dict[str, Any] = {}
    found = kustomization(file)
    if found is not None:
        out["kustomization"] = found.to_json()
        inline = []
        for index, patch in enumerate(found.patches):
            if patch.inline is None:
                continue
            documents = parse_inline_patch(f"{file.path}#patch{index}", patch.inline)
            inline.extend(p.to_json() for p in patched_objects(documents, patch.target))
        if inline:
            out["inline"] = inline
        return out
    patches = []
    for document in file.documents:
        if isinstance(document, list) and document and all(isinstance(op, Mapping) and "op" in op for op in document):
            patches.extend(p.to_json() for p in patched_objects([document], PatchTarget()))
    maybe = []
    for workload in workloads(file):
        if workload.partial:
            patches.extend(p.to_json() for p in patched_objects([workload.node]))
        elif workload.incomplete:  # a patch only if a kustomization applies the file as one
            maybe.extend(p.to_json() for p in patched_objects([workload.node]))
    if patches:
        out["patches"] = patches
    if maybe:
        out["maybe"] = maybe
    return out


class Patches:
    """Every patch of a repository, each with the files it applies to, built from what
    :func:`collect_patches` gathered per file (under the ``patch_key`` of the facts)."""

    def __init__(self, repo: Repository, key: str = "patches") -> None:
        collected = {path: facts.get(key) or {} for path, facts in repo.facts.items() if isinstance(facts, Mapping)}
        kustomizations = {
            path: Kustomization.from_json(data["kustomization"])
            for path, data in collected.items()
            if data.get("kustomization")
        }
        self.tree = KustomizeTree(kustomizations, (f.path for f in repo.files))
        patch_files = self.tree.patch_files()
        self._patches: list[tuple[frozenset[str] | None, PatchedObject]] = []
        for path, data in sorted(collected.items()):
            for item in data.get("inline", ()):
                self._patches.append((self.tree.applies_to(path), PatchedObject.from_json(item)))
            users = patch_files.get(path)
            for item in (*data.get("patches", ()), *(data.get("maybe", ()) if users else ())):
                patch = PatchedObject.from_json(item)
                if not users:
                    self._patches.append((None, patch))
                    continue
                for kustomization_path, target in users:
                    self._patches.append((self.tree.applies_to(kustomization_path), _retarget(patch, target)))
        self.patch_files = frozenset(patch_files)

    def is_patch_file(self, path: str) -> bool:
        """A kustomization applies the file as a patch: nothing in it is a whole object."""
        return path in self.patch_files

    def for_object(self, path: str, kind: str, name: str | None) -> Iterator[PatchedObject]:
        """The patches that change the object ``kind``/``name`` written in ``path``."""
        for scope, patch in self._patches:
            if scope is not None and path not in scope:
                continue
            if (patch.kind is None or patch.kind == kind) and (patch.name is None or patch.name == name):
                yield patch

    def writes(self, path: str, kind: str, name: str | None, needs: Iterable[Iterable[str]]) -> bool:
        """Patches of the object write, for every group of ``needs``, one of its paths."""
        patches = list(self.for_object(path, kind, name))
        if not patches:
            return False
        return all(any(p.writes(n) for p in patches for n in group) for group in needs)


def _retarget(patch: PatchedObject, target: PatchTarget | None) -> PatchedObject:
    if target is None:
        return patch
    kind = target.kind or patch.kind
    name = target.name if target.name is not None else (None if target.kind else patch.name)
    return PatchedObject(kind, name, patch.paths, patch.values)


class WorkloadRule(RepoRule):
    """Base of the rules that judge each workload's containers and pod (not a rule).

    Subclasses implement :meth:`judge_container` (or :meth:`judge` for a whole
    workload), yielding a :class:`Missing` for a setting a
    whole workload lacks, or reporting a wrong value through ``ctx`` directly; and may
    implement :meth:`judge_other` for other objects of a file (Compose services, Helm
    values). Partial workloads, and every workload of a file a kustomization applies as a
    patch, are judged only for what they write.
    """

    kinds = YAML
    collect_triggers: ClassVar[tuple[str | re.Pattern, ...]] = (*KUSTOMIZE_TRIGGERS, "containers")
    linux_only: ClassVar[bool] = False  # Windows pods are not judged (Linux security settings)

    def collect(self, file: YamlFile, ctx: Context) -> Any:
        facts: dict[str, Any] = {}
        patches = collect_patches(file)
        if patches:
            facts["patches"] = patches
        if "kustomization" in patches:
            return facts
        missing = []
        for workload in workloads(file):
            partial = workload.partial
            for item in self.judge(file, workload, ctx):
                if not partial:
                    missing.append(item.to_json(workload.object))
        self.judge_other(file, ctx)
        if missing:
            facts["missing"] = missing
        return facts or None

    def judge(self, file: YamlFile, workload: Workload, ctx: Context) -> Iterator[Missing]:
        """Judge a workload: by default, each of its containers (:meth:`judge_container`),
        Windows pods skipped when the rule is :attr:`linux_only`."""
        if self.linux_only and is_windows(workload):
            return
        for container in runnable_containers(workload):
            yield from self.judge_container(file, workload, container, ctx)

    def judge_container(
        self, file: YamlFile, workload: Workload, container: Container, ctx: Context
    ) -> Iterator[Missing]:
        return iter(())

    def judge_other(self, file: YamlFile, ctx: Context) -> None:
        return None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        patches: Patches | None = None
        for path, facts in sorted(repo.facts.items()):
            for item in facts.get("missing", ()):
                if patches is None:
                    patches = Patches(repo)
                if patches.is_patch_file(path) or patches.writes(path, item["kind"], item["name"], item["needs"]):
                    continue
                confidence = Confidence(item["confidence"]) if item.get("confidence") else None
                ctx.report(path, item["span"], item["message"], confidence=confidence)
