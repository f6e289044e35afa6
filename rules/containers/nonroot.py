"""CTR001-CTR002: images and pods that run as root (checklist ``container-nonroot``)."""

from __future__ import annotations

from collections.abc import Iterator

from prodready_lint.sdk import (
    Confidence,
    Context,
    DockerfileFile,
    ImageRef,
    Rule,
    Severity,
    Span,
    UserInstruction,
    Workload,
    YamlFile,
    yaml_bool,
)

from ._common import (
    CWE_PRIVILEGES,
    DOCKERFILE,
    K8S_SECURITY_CONTEXT,
    KUSTOMIZE_TRIGGERS,
    POD_SECURITY_STANDARDS,
    VALUES_CONTEXT_TRIGGERS,
    Missing,
    WorkloadRule,
    compose_services_of,
    describe_container,
    describe_object,
    describe_service,
    describe_values,
    first_line,
    is_windows,
    key_value_span,
    runnable_containers,
    values_contexts,
)

CHECKLIST = ("container-nonroot",)


def _nonroot_base(image: ImageRef | None) -> bool:
    """Images whose default user is not root: distroless ``:nonroot`` tags and the like."""
    if image is None or image.tag is None:
        return False
    return "nonroot" in image.tag or "non-root" in image.tag


def _windows_base(image: ImageRef | None) -> bool:
    if image is None:
        return False
    name = image.name.lower()
    return (
        "/windows/" in name
        or name.endswith(("/windows", "servercore", "nanoserver"))
        or "windows" in (image.tag or "").lower()
    )


class DockerfileRunsAsRoot(Rule):
    """The image built by a Dockerfile runs as root.

    ## What it does
    Checks the final stage of a Dockerfile (the image `docker build` produces) for the
    user it runs as: a final stage with no `USER`, or whose last `USER` is `root` or
    `0`, is reported. A stage built on an earlier stage inherits that stage's `USER`.

    ## Why is this bad?
    A process running as root in a container is root on the host's kernel: a container
    escape, a writable host mount or a kernel bug then gives the attacker the node.
    Most base images (`python`, `node`, `debian`...) default to root, so a Dockerfile
    without `USER` runs its service as root.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY . /app
    CMD ["python", "/app/main.py"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN useradd --uid 10001 --no-create-home app
    COPY . /app
    USER 10001
    CMD ["python", "/app/main.py"]
    ```

    ## Notes
    The finding without `USER` points at the final stage's `FROM`; with `USER root` at
    that instruction. Base images that run as a non-root user by default (distroless
    `:nonroot` tags) and Windows images are not reported, nor Dockerfiles under
    `.devcontainer/` (development environments, not deployed images). Switching to root
    for a few `RUN` steps is fine as long as the last `USER` is not root. A `USER` that
    names a variable is read with the `ARG` and `ENV` defaults in effect (`ARG UID=0`
    then `USER ${UID}` is root, as in a build without `--build-arg`); a variable with no
    default is not known to be root.
    """

    id = "CTR001"
    name = "dockerfile-runs-as-root"
    summary = "Dockerfile's final image runs as root"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE_PRIVILEGES
    kinds = DOCKERFILE
    triggers = ("from",)
    triggers_ignore_case = True
    references = (
        "https://docs.docker.com/reference/dockerfile/#user",
        "https://github.com/hadolint/hadolint/wiki/DL3002",
    )

    def check(self, file: DockerfileFile, ctx: Context) -> None:
        stage = file.final_stage
        if stage is None or ".devcontainer/" in f"/{file.path}":
            return
        root = stage
        while root.base_stage is not None:
            root = root.base_stage
        if _windows_base(root.image):
            return
        user = stage.user
        if user is None:
            if _nonroot_base(root.image):
                return
            base = stage.base_resolved or stage.base
            if stage.base_stage is not None:
                origin = root.base_resolved or root.base
                what = f"the final stage (FROM {base}, built on {origin}) sets no USER, nor do the stages it builds on"
            else:
                what = f"the final stage (FROM {base}) sets no USER"
            ctx.report(
                first_line(stage.from_instruction.span),
                f"{what}, so the container runs as the base image's user, root for most images; add a non-root "
                "USER (USER 10001) after the steps that need root",
                confidence=Confidence.MEDIUM,
            )
        elif _runs_as_root(file, user):
            written = user.arguments.strip()
            resolved = _resolved_user(file, user)
            shown = written if resolved == written.split(":", 1)[0] else f"{written}, which is {resolved}"
            ctx.report(
                first_line(user.span),
                f"the final image runs as root (USER {shown}); switch to a non-root USER "
                "(USER 10001) after the steps that need root",
            )


def _resolved_user(file: DockerfileFile, user: UserInstruction) -> str | None:
    """The user a ``USER`` names, its ``ARG``/``ENV`` variables expanded with their
    defaults (``USER ${UID}`` after ``ARG UID=0`` is root)."""
    stage = file.stages[user.stage] if user.stage is not None and user.stage < len(file.stages) else None
    written = user.arguments.strip()
    if stage is None or "$" not in written:
        return user.user.value
    value = file.expand(written, stage, before=user)
    return value.split(":", 1)[0].strip() if value is not None else None


def _runs_as_root(file: DockerfileFile, user: UserInstruction) -> bool:
    return user.is_root or _resolved_user(file, user) in ("root", "0")


def _is_root_user(value: object) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return value == 0
    if not isinstance(value, str):
        return False
    user = value.strip().split(":", 1)[0].strip()
    return user in ("root", "0")


class ContainerRunsAsRoot(WorkloadRule):
    """A Kubernetes container or Compose service that may run as root.

    ## What it does
    Checks every container of a workload (init containers and sidecars included) for
    its *effective* security context, the pod's `securityContext` overridden field by
    field by the container's own: a container that runs as UID 0 (`runAsUser: 0`), or
    that neither sets `runAsNonRoot: true` nor a non-zero `runAsUser`, is reported. A
    Compose service with `user: root` (or `0`) is reported too.

    ## Why is this bad?
    Without `runAsNonRoot: true` the kubelet starts the container as whatever user the
    image names, root for most images; with it, a root image is refused instead of
    started. Root in a container is root on the node's kernel once anything goes wrong.

    ## Example
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
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
          containers:
            - name: api
              image: acme/api:1.4.2
    ```

    ## Notes
    A missing setting is reported at the container's `- name:` line; a value that runs
    as root at the value (once for a pod-level value, naming the containers that
    inherit it). A non-zero `runAsUser` is enough: the container cannot run as root.
    Windows pods are not checked. A Kustomize patch is judged only for what it writes,
    and an overlay or component that sets `runAsNonRoot` for a base's workload settles
    the base's finding. A Compose service without `user` runs as its image's user,
    which the Dockerfile rule (CTR001) judges. A Helm values security context
    (`podSecurityContext`, `containerSecurityContext`, `securityContext`..., not one
    switched off with `enabled: false`) that sets `runAsUser: 0`, or `runAsNonRoot:
    false` without a non-zero UID, is reported with medium confidence; an empty one is
    not (the chart's templates may set the fields).
    """

    id = "CTR002"
    name = "container-runs-as-root"
    summary = "Kubernetes container or Compose service may run as root"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE_PRIVILEGES
    collect_triggers = (*KUSTOMIZE_TRIGGERS, "containers", "user", *VALUES_CONTEXT_TRIGGERS)
    references = (K8S_SECURITY_CONTEXT, POD_SECURITY_STANDARDS)

    def judge(self, file: YamlFile, workload: Workload, ctx: Context) -> Iterator[Missing]:
        if is_windows(workload):
            return
        inherited: dict[Span, tuple[str, object, list[str]]] = {}
        for container in runnable_containers(workload):
            context = container.security_context
            user = context.get("runAsUser")
            non_root = context.get("runAsNonRoot")
            if user is not None and context.run_as_user == 0:
                bad = user
            elif context.run_as_non_root is True or (context.run_as_user or 0) > 0:
                continue
            elif non_root is not None and context.run_as_non_root is False:
                bad = non_root
            elif non_root is not None or user is not None:
                continue  # a template or a variable: not known to be root
            else:
                settings = ("securityContext.runAsNonRoot", "securityContext.runAsUser")
                yield Missing.at_container(
                    workload,
                    container,
                    "does not set runAsNonRoot: true (nor a non-zero runAsUser), so it runs as the image's user, "
                    "root for most images; set securityContext.runAsNonRoot: true and a non-zero runAsUser",
                    *settings,
                    pod=True,
                    confidence=Confidence.MEDIUM,
                )
                continue
            span = Span(bad.key_span.line, bad.key_span.column, bad.span.end_line, bad.span.end_column)
            if bad.inherited:
                entry = inherited.setdefault(span, (bad.name, bad.value, []))
                entry[2].append(repr(container.name) if container.name else f"#{container.index + 1}")
                continue
            ctx.report(span, self._message(describe_container(workload, container), bad.name, bad.value))
        for span, (name, value, containers) in inherited.items():
            owner = f"the pod of {describe_object(workload)} (containers {', '.join(containers)})"
            ctx.report(span, self._message(owner, name, value))

    @staticmethod
    def _message(owner: str, name: str, value: object) -> str:
        if name == "runAsUser":
            return (
                f"{owner} sets runAsUser: {value} and runs as root; use a non-zero UID (runAsUser: 10001) "
                "with runAsNonRoot: true"
            )
        return f"{owner} sets runAsNonRoot: {value}, so it runs as root if the image does; set runAsNonRoot: true"

    def judge_other(self, file: YamlFile, ctx: Context) -> None:
        for context in values_contexts(file):
            user, non_root = context.node.get("runAsUser"), context.node.get("runAsNonRoot")
            if isinstance(user, int) and not isinstance(user, bool) and user == 0:
                key, value = "runAsUser", user
            elif yaml_bool(non_root) is False and not (isinstance(user, int) and user > 0):
                key, value = "runAsNonRoot", non_root
            else:
                continue
            ctx.report(
                key_value_span(context.node, key),
                self._message(describe_values(context), key, value),
                confidence=Confidence.MEDIUM,
            )
        for service in compose_services_of(file):
            user = service.user
            if user is not None and _is_root_user(user.value):
                ctx.report(
                    key_value_span(service.node, "user"),
                    f"{describe_service(service)} runs as root (user: {user.value}); set user to a non-root "
                    'UID ("10001:10001")',
                )
