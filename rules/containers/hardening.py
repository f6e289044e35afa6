"""CTR003-CTR010: container hardening (checklist ``container-hardening``).

Privileged containers, privilege escalation, the host's namespaces, a writable root
filesystem, capabilities, host paths and the container runtime's socket.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from prodready_lint.sdk import (
    Confidence,
    Container,
    Context,
    Rule,
    Severity,
    Span,
    Workload,
    YamlFile,
    YamlMapping,
    YamlSequence,
    compose_interpolate,
    workloads,
    yaml_bool,
)

from ._common import (
    CWE_EXPOSURE,
    CWE_PRIVILEGES,
    K8S_SECURITY_CONTEXT,
    KUSTOMIZE_TRIGGERS,
    POD_SECURITY_STANDARDS,
    VALUES_CONTEXT_TRIGGERS,
    YAML,
    Missing,
    WorkloadRule,
    compose_services_of,
    describe_container,
    describe_object,
    describe_service,
    describe_values,
    item_span,
    key_value_span,
    values_contexts,
    workload_containers,
)

# The hardening rules that judge containers also read Helm values' security contexts.
HARDENING_TRIGGERS = (*KUSTOMIZE_TRIGGERS, "containers", *VALUES_CONTEXT_TRIGGERS)

CHECKLIST = ("container-hardening",)

# Capabilities that amount to root on the node, or let a container leave its sandbox.
DANGEROUS_CAPABILITIES = frozenset(
    {
        "ALL",
        "SYS_ADMIN",
        "NET_ADMIN",
        "SYS_PTRACE",
        "SYS_MODULE",
        "SYS_RAWIO",
        "SYS_BOOT",
        "SYS_TIME",
        "DAC_READ_SEARCH",
        "BPF",
        "PERFMON",
        "MAC_ADMIN",
        "MAC_OVERRIDE",
    }
)

RUNTIME_SOCKETS = (
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "podman.sock",
    "cri-dockerd.sock",
    "dockershim.sock",
)


def _capability(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    name = value.strip().upper()
    return name[4:] if name.startswith("CAP_") else name


def _own(container: Container, key: str) -> tuple[YamlMapping, Any] | None:
    """The container's own ``securityContext`` and its value for ``key``, when written."""
    node = container.security_context.node
    if node is None or key not in node or node.get(key) is None:
        return None
    return node, node.get(key)


def _capabilities(container: Container) -> YamlMapping | None:
    own = _own(container, "capabilities")
    return own[1] if own is not None and isinstance(own[1], YamlMapping) else None


def _adds_sys_admin(container: Container) -> bool:
    capabilities = _capabilities(container)
    added = capabilities.get("add") if capabilities is not None else None
    return isinstance(added, YamlSequence) and any(_capability(item) in ("SYS_ADMIN", "ALL") for item in added)


class PrivilegedContainer(Rule):
    """A privileged container.

    ## What it does
    Checks Kubernetes containers (init and ephemeral containers included) for
    `securityContext.privileged: true`, Compose services for `privileged: true`, and
    Helm values security contexts for `privileged: true`.

    ## Why is this bad?
    A privileged container has every capability and every device of the host, and no
    seccomp or AppArmor confinement: anything that runs in it can take over the node.

    ## Example
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: tools
    spec:
      containers:
        - name: tools
          image: acme/tools:2.0.1
          securityContext:
            privileged: true
    ```

    ## Use instead
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: tools
    spec:
      containers:
        - name: tools
          image: acme/tools:2.0.1
          securityContext:
            privileged: false
            capabilities:
              add: [NET_BIND_SERVICE]
              drop: [ALL]
    ```

    ## Notes
    Grant the one capability the process needs instead. Node agents (CNI plugins,
    storage drivers) that really need privileges belong in a namespace of their own with
    an inline suppression that says why.

    Helm values files are read too: a security context a values file sets
    (`securityContext`, `podSecurityContext`, `containerSecurityContext`...; not one
    switched off with `enabled: false`) is reported for a value written wrong, with
    medium confidence, never for what it leaves out (the chart's templates may set it).
    """

    id = "CTR003"
    name = "privileged-container"
    summary = "container runs privileged"
    checklist = CHECKLIST
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = CWE_PRIVILEGES
    kinds = YAML
    triggers = ("privileged",)
    references = (K8S_SECURITY_CONTEXT, POD_SECURITY_STANDARDS)

    def check(self, file: YamlFile, ctx: Context) -> None:
        for workload, container in workload_containers(file, ephemeral=True):
            own = _own(container, "privileged")
            if own is not None and yaml_bool(own[1]) is True:
                ctx.report(
                    key_value_span(own[0], "privileged"),
                    f"{describe_container(workload, container)} runs privileged: it has every capability and "
                    "device of the node; remove privileged: true and add only the capabilities it needs",
                )
        for service in compose_services_of(file):
            field = service.privileged
            if field is not None and yaml_bool(field.value) is True:
                ctx.report(
                    key_value_span(service.node, "privileged"),
                    f"{describe_service(service)} runs privileged: it has every capability and device of the host; "
                    "remove privileged: true and use cap_add for what it needs",
                )
        for context in values_contexts(file):
            if yaml_bool(context.node.get("privileged")) is True:
                ctx.report(
                    key_value_span(context.node, "privileged"),
                    f"{describe_values(context)} sets privileged: true: the containers rendered with it get every "
                    "capability and device of the node; remove it and add only the capabilities they need",
                    confidence=Confidence.MEDIUM,
                )


class PrivilegeEscalationAllowed(WorkloadRule):
    """A container that does not forbid privilege escalation.

    ## What it does
    Checks every Kubernetes container (init containers included) for
    `securityContext.allowPrivilegeEscalation: false`; a container that leaves it out or
    sets it to `true` is reported.

    ## Why is this bad?
    Unless it is `false`, a process can gain more privileges than its parent (setuid
    binaries such as `su` or `sudo`, file capabilities), so a compromised non-root
    process can become root in the container.

    ## Example
    ```yaml
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: report
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: acme/report:3.2.0
    ```

    ## Use instead
    ```yaml
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: report
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: acme/report:3.2.0
              securityContext:
                allowPrivilegeEscalation: false
    ```

    ## Notes
    A privileged container, or one adding `SYS_ADMIN`, always allows escalation (the
    API server refuses `false` for it): those are reported by CTR003 and CTR008, not
    here. Like every hardening rule, a setting written with a wrong value is reported at
    its key, and a missing one at the container's `- name:` line.

    Helm values files are read too: a security context a values file sets
    (`securityContext`, `podSecurityContext`, `containerSecurityContext`...; not one
    switched off with `enabled: false`) is reported for a value written wrong, with
    medium confidence, never for what it leaves out (the chart's templates may set it).
    """

    id = "CTR004"
    collect_triggers = HARDENING_TRIGGERS
    name = "privilege-escalation-allowed"
    summary = "container does not set allowPrivilegeEscalation: false"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE_PRIVILEGES
    references = (K8S_SECURITY_CONTEXT, POD_SECURITY_STANDARDS)

    linux_only = True

    def judge_container(
        self, file: YamlFile, workload: Workload, container: Container, ctx: Context
    ) -> Iterator[Missing]:
        privileged = _own(container, "privileged")
        if (privileged is not None and yaml_bool(privileged[1]) is True) or _adds_sys_admin(container):
            return
        own = _own(container, "allowPrivilegeEscalation")
        if own is None:
            yield Missing.at_container(
                workload,
                container,
                "does not set allowPrivilegeEscalation: false, so a process can gain privileges through setuid "
                "binaries; set securityContext.allowPrivilegeEscalation: false",
                "securityContext.allowPrivilegeEscalation",
            )
        elif yaml_bool(own[1]) is True:
            ctx.report(
                key_value_span(own[0], "allowPrivilegeEscalation"),
                f"{describe_container(workload, container)} sets allowPrivilegeEscalation: true; set it to false",
            )

    def judge_other(self, file: YamlFile, ctx: Context) -> None:
        for context in values_contexts(file):
            if yaml_bool(context.node.get("allowPrivilegeEscalation")) is True:
                ctx.report(
                    key_value_span(context.node, "allowPrivilegeEscalation"),
                    f"{describe_values(context)} sets allowPrivilegeEscalation: true; set it to false",
                    confidence=Confidence.MEDIUM,
                )


_HOST_NAMESPACES = {
    "hostNetwork": "the node's network (it can bind the node's ports and reach every local service)",
    "hostPID": "the node's process table (it can see and signal every process on the node)",
    "hostIPC": "the node's IPC namespace (it can read other processes' shared memory)",
}
_COMPOSE_NAMESPACES = {
    "network_mode": "the host's network",
    "pid": "the host's process table",
    "ipc": "the host's IPC namespace",
}


class HostNamespaceShared(Rule):
    """A pod or Compose service that shares the host's namespaces.

    ## What it does
    Checks pod specs for `hostNetwork: true`, `hostPID: true` and `hostIPC: true`, and
    Compose services for `network_mode: host`, `pid: host` and `ipc: host`: one finding
    per namespace shared.

    ## Why is this bad?
    The namespaces are what isolate a container from the node. Sharing the network lets
    it listen on the node's ports and reach services bound to localhost (the kubelet,
    cloud metadata); sharing PIDs lets it inspect and kill the node's processes; sharing
    IPC exposes other processes' shared memory.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: agent
    spec:
      selector:
        matchLabels: {app: agent}
      template:
        metadata:
          labels: {app: agent}
        spec:
          hostNetwork: true
          containers:
            - name: agent
              image: acme/agent:1.0.3
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: agent
    spec:
      selector:
        matchLabels: {app: agent}
      template:
        metadata:
          labels: {app: agent}
        spec:
          containers:
            - name: agent
              image: acme/agent:1.0.3
              ports:
                - containerPort: 9100
    ```
    """

    id = "CTR005"
    name = "host-namespace-shared"
    summary = "pod or service shares the host's network, PID or IPC namespace"
    checklist = CHECKLIST
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = CWE_PRIVILEGES
    kinds = YAML
    triggers = (re.compile(r"hostNetwork|hostPID|hostIPC|network_mode|\bpid\b|\bipc\b"),)
    references = ("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",)

    def check(self, file: YamlFile, ctx: Context) -> None:
        for workload in workloads(file):
            spec = workload.pod_spec
            if spec is None:
                continue
            for key, what in _HOST_NAMESPACES.items():
                if key in spec and yaml_bool(spec.get(key)) is True:
                    ctx.report(
                        key_value_span(spec, key),
                        f"{describe_object(workload)} sets {key}: true: its pods share {what}; remove {key}",
                    )
        for service in compose_services_of(file):
            for key, what in _COMPOSE_NAMESPACES.items():
                value = service.node.get(key)
                if isinstance(value, str) and value.strip() == "host":
                    ctx.report(
                        key_value_span(service.node, key),
                        f"{describe_service(service)} sets {key}: host: it shares {what}; remove it",
                    )


class WritableRootFilesystem(WorkloadRule):
    """A container whose root filesystem is writable.

    ## What it does
    Checks every Kubernetes container (init containers included) for
    `securityContext.readOnlyRootFilesystem: true`; a container that leaves it out or
    sets it to `false` is reported.

    ## Why is this bad?
    A writable root filesystem lets an attacker who gets code execution drop tools,
    replace binaries and persist in the container. Services should write only to
    volumes they declare (`emptyDir` for scratch space and `/tmp`).

    ## Example
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
    spec:
      containers:
        - name: web
          image: acme/web:5.1.0
          securityContext:
            readOnlyRootFilesystem: false
    ```

    ## Use instead
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
    spec:
      containers:
        - name: web
          image: acme/web:5.1.0
          securityContext:
            readOnlyRootFilesystem: true
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
      volumes:
        - name: tmp
          emptyDir: {}
    ```

    ## Notes
    `readOnlyRootFilesystem: false` is reported at its key; a container without the
    setting at its `- name:` line.

    Helm values files are read too: a security context a values file sets
    (`securityContext`, `podSecurityContext`, `containerSecurityContext`...; not one
    switched off with `enabled: false`) is reported for a value written wrong, with
    medium confidence, never for what it leaves out (the chart's templates may set it).
    """

    id = "CTR006"
    collect_triggers = HARDENING_TRIGGERS
    name = "writable-root-filesystem"
    summary = "container does not set readOnlyRootFilesystem: true"
    checklist = CHECKLIST
    severity = Severity.LOW
    confidence = Confidence.HIGH
    cwe = (732,)  # Incorrect Permission Assignment for Critical Resource
    references = (K8S_SECURITY_CONTEXT,)

    linux_only = True

    def judge_container(
        self, file: YamlFile, workload: Workload, container: Container, ctx: Context
    ) -> Iterator[Missing]:
        own = _own(container, "readOnlyRootFilesystem")
        if own is None:
            yield Missing.at_container(
                workload,
                container,
                "does not set readOnlyRootFilesystem: true, so a compromised process can change its files; set "
                "securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it must write",
                "securityContext.readOnlyRootFilesystem",
            )
        elif yaml_bool(own[1]) is False:
            ctx.report(
                key_value_span(own[0], "readOnlyRootFilesystem"),
                f"{describe_container(workload, container)} sets readOnlyRootFilesystem: false; set it to true "
                "and mount an emptyDir where it must write",
            )

    def judge_other(self, file: YamlFile, ctx: Context) -> None:
        for context in values_contexts(file):
            if yaml_bool(context.node.get("readOnlyRootFilesystem")) is False:
                ctx.report(
                    key_value_span(context.node, "readOnlyRootFilesystem"),
                    f"{describe_values(context)} sets readOnlyRootFilesystem: false; set it to true and mount an "
                    "emptyDir where the containers must write",
                    confidence=Confidence.MEDIUM,
                )


class CapabilitiesNotDropped(WorkloadRule):
    """A container that keeps the default Linux capabilities.

    ## What it does
    Checks every Kubernetes container (init containers included) for
    `securityContext.capabilities.drop` holding `ALL`; a container without it, or that
    drops only some capabilities, is reported.

    ## Why is this bad?
    Container runtimes grant a default set of capabilities (`CHOWN`, `DAC_OVERRIDE`,
    `FOWNER`, `SETUID`, `NET_RAW`...) that almost no service needs; `NET_RAW` alone
    allows ARP and DNS spoofing on the node's network. Drop them all and add back the
    one a process needs (`NET_BIND_SERVICE` to bind a port below 1024).

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: StatefulSet
    metadata:
      name: queue
    spec:
      serviceName: queue
      selector:
        matchLabels: {app: queue}
      template:
        metadata:
          labels: {app: queue}
        spec:
          containers:
            - name: queue
              image: acme/queue:4.0.0
              securityContext:
                capabilities:
                  drop: [NET_RAW]
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: StatefulSet
    metadata:
      name: queue
    spec:
      serviceName: queue
      selector:
        matchLabels: {app: queue}
      template:
        metadata:
          labels: {app: queue}
        spec:
          containers:
            - name: queue
              image: acme/queue:4.0.0
              securityContext:
                capabilities:
                  drop: [ALL]
    ```

    ## Notes
    Where the finding points follows the rule every hardening rule keeps: a value
    written wrong at its key, a missing setting at the container's first line. What this
    rule asks for is `ALL` in the `drop` list, so a container whose list lacks it is
    reported at its `- name:` line, like one with no `drop` at all (no `securityContext`,
    no `capabilities`, or `capabilities` with only `add`); a Helm values security context,
    which has no container line, at its `drop:` key. Windows pods
    are not checked.

    Helm values files are read too: a security context a values file sets
    (`securityContext`, `podSecurityContext`, `containerSecurityContext`...; not one
    switched off with `enabled: false`) is reported for a value written wrong, with
    medium confidence, never for what it leaves out (the chart's templates may set it).
    """

    id = "CTR007"
    collect_triggers = HARDENING_TRIGGERS
    name = "capabilities-not-dropped"
    summary = "container does not drop ALL capabilities"
    checklist = CHECKLIST
    severity = Severity.LOW
    confidence = Confidence.HIGH
    cwe = CWE_PRIVILEGES
    references = (K8S_SECURITY_CONTEXT, "https://kubernetes.io/docs/concepts/security/pod-security-standards/")

    linux_only = True

    def judge_container(
        self, file: YamlFile, workload: Workload, container: Container, ctx: Context
    ) -> Iterator[Missing]:
        capabilities = _capabilities(container)
        drop = capabilities.get("drop") if capabilities is not None else None
        if isinstance(drop, YamlSequence) and any(_capability(item) == "ALL" for item in drop):
            return
        if capabilities is not None and isinstance(drop, YamlSequence):
            dropped = ", ".join(str(item) for item in drop) or "nothing"
            yield Missing.at_container(
                workload,
                container,
                f"drops {dropped} but not ALL; drop ALL and add back only what it needs",
                "securityContext.capabilities.drop",
            )
            return
        if capabilities is not None and "drop" in capabilities and drop is not None:
            return  # a template or a variable
        yield Missing.at_container(
            workload,
            container,
            "keeps the runtime's default capabilities (NET_RAW, CHOWN, SETUID...); set "
            "securityContext.capabilities.drop: [ALL] and add back only what it needs",
            "securityContext.capabilities.drop",
        )

    def judge_other(self, file: YamlFile, ctx: Context) -> None:
        for context in values_contexts(file):
            capabilities = context.node.get("capabilities")
            drop = capabilities.get("drop") if isinstance(capabilities, YamlMapping) else None
            if isinstance(drop, YamlSequence) and not any(_capability(item) == "ALL" for item in drop):
                _report_partial_drop(ctx, capabilities, drop, describe_values(context), Confidence.MEDIUM)


def _report_partial_drop(
    ctx: Context, capabilities: YamlMapping, drop: YamlSequence, owner: str, confidence: Confidence | None = None
) -> None:
    """A ``drop`` list without ``ALL``: a value written wrong, reported at its key."""
    dropped = ", ".join(str(item) for item in drop) or "nothing"
    ctx.report(
        capabilities.key_span("drop"),
        f"{owner} drops {dropped} but not ALL; drop ALL and add back only what it needs",
        confidence=confidence,
    )


class DangerousCapabilityAdded(Rule):
    """A container that adds a capability amounting to root on the node.

    ## What it does
    Checks Kubernetes `securityContext.capabilities.add` and Compose `cap_add` for
    `ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `SYS_RAWIO`,
    `SYS_BOOT`, `SYS_TIME`, `DAC_READ_SEARCH`, `BPF`, `PERFMON`, `MAC_ADMIN` and
    `MAC_OVERRIDE` (with or without the `CAP_` prefix): one finding per capability,
    at the item. Ephemeral containers and Helm values security contexts
    (`capabilities.add`) are checked too, the latter with medium confidence.

    ## Why is this bad?
    `SYS_ADMIN` is "the new root": it allows mounting filesystems and most container
    escapes. `NET_ADMIN` reconfigures the node's network, `SYS_PTRACE` reads other
    processes' memory, `SYS_MODULE` loads kernel modules.

    ## Example
    ```yaml
    services:
      vpn:
        image: acme/vpn:1.2.0
        cap_add:
          - NET_ADMIN
    ```

    ## Use instead
    ```yaml
    services:
      vpn:
        image: acme/vpn:1.2.0
        cap_add:
          - NET_BIND_SERVICE
    ```
    """

    id = "CTR008"
    name = "dangerous-capability-added"
    summary = "container adds a capability that amounts to root (SYS_ADMIN, NET_ADMIN...)"
    checklist = CHECKLIST
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = CWE_PRIVILEGES
    kinds = YAML
    triggers = ("add",)
    references = ("https://man7.org/linux/man-pages/man7/capabilities.7.html", POD_SECURITY_STANDARDS)

    def check(self, file: YamlFile, ctx: Context) -> None:
        for workload, container in workload_containers(file, ephemeral=True):
            capabilities = _capabilities(container)
            added = capabilities.get("add") if capabilities is not None else None
            if isinstance(added, YamlSequence):
                self._report(ctx, added, describe_container(workload, container))
        for context in values_contexts(file):
            capabilities = context.node.get("capabilities")
            added = capabilities.get("add") if isinstance(capabilities, YamlMapping) else None
            if isinstance(added, YamlSequence):
                self._report(ctx, added, describe_values(context), Confidence.MEDIUM)
        for service in compose_services_of(file):
            added = service.node.get("cap_add")
            if isinstance(added, YamlSequence):
                self._report(ctx, added, describe_service(service))

    @staticmethod
    def _report(ctx: Context, added: YamlSequence, owner: str, confidence: Confidence | None = None) -> None:
        for index, item in enumerate(added):
            capability = _capability(item)
            if capability in DANGEROUS_CAPABILITIES:
                ctx.report(
                    item_span(added, index),
                    f"{owner} adds the {capability} capability, which amounts to root on the node; remove it and "
                    "grant a narrower one if the process needs it",
                    confidence=confidence,
                )


class HostPathVolume(Rule):
    """A pod that mounts a directory or file of the node (`hostPath`).

    ## What it does
    Checks pod specs for `volumes` of type `hostPath`, one finding per volume, naming
    the path; the container runtime's socket (`/var/run/docker.sock`,
    `containerd.sock`...) is called out as such.

    ## Why is this bad?
    A host path gives the pod the node's files: writable, it can plant binaries or
    cron jobs on the node; even read-only, it can read other pods' secrets and the
    kubelet's credentials. The runtime socket gives full control of every container on
    the node (Docker-in-Docker by socket is root on the node).

    ## Example
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: builder
    spec:
      containers:
        - name: builder
          image: acme/builder:1.0.0
          volumeMounts:
            - {name: docker, mountPath: /var/run/docker.sock}
      volumes:
        - name: docker
          hostPath:
            path: /var/run/docker.sock
    ```

    ## Use instead
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: builder
    spec:
      containers:
        - name: builder
          image: gcr.io/kaniko-project/executor:v1.23.2
          volumeMounts:
            - {name: workspace, mountPath: /workspace}
      volumes:
        - name: workspace
          emptyDir: {}
    ```

    ## Notes
    Use `emptyDir`, a `persistentVolumeClaim`, a `configMap` or a `secret` volume
    instead; build images with a daemonless builder (Kaniko, BuildKit rootless).
    """

    id = "CTR009"
    name = "host-path-volume"
    summary = "pod mounts a path of the node (hostPath)"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE_EXPOSURE
    kinds = YAML
    triggers = ("hostPath",)
    references = ("https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",)

    def check(self, file: YamlFile, ctx: Context) -> None:
        for workload in workloads(file):
            volumes = workload.pod_spec.get("volumes") if workload.pod_spec is not None else None
            if not isinstance(volumes, YamlSequence):
                continue
            for volume in volumes:
                if not isinstance(volume, YamlMapping) or "hostPath" not in volume:
                    continue
                host_path = volume.get("hostPath")
                path = host_path.get("path") if isinstance(host_path, YamlMapping) else None
                name = volume.get("name")
                what = f"volume {name!r}" if isinstance(name, str) else "a volume"
                if isinstance(path, str) and path.rstrip("/").endswith(RUNTIME_SOCKETS):
                    detail = f"the container runtime's socket {path}, which controls every container on the node"
                elif isinstance(path, str):
                    detail = f"the node's {path}"
                else:
                    detail = "a path of the node"
                ctx.report(
                    _key_line(volume, "hostPath"),
                    f"{describe_object(workload)} mounts {detail} ({what}, hostPath); use an emptyDir, a "
                    "persistentVolumeClaim, a configMap or a secret volume instead",
                )


def _key_line(node: YamlMapping, key: str) -> Span:
    span = key_value_span(node, key)
    return span if span.end_line == span.line else node.key_span(key)


_SENSITIVE_DIRECTORIES = frozenset(
    {
        "/",
        "/etc",
        "/proc",
        "/sys",
        "/dev",
        "/root",
        "/boot",
        "/run",
        "/var/run",
        "/var/lib/docker",
        "/var/lib/containerd",
        "/var/lib/kubelet",
        "/lib/modules",
        "/usr",
        "/bin",
        "/sbin",
    }
)


def _bind_source(volume: Any) -> str | None:
    """The host path of a Compose bind mount (short ``src:dst[:mode]`` or long form)."""
    if isinstance(volume, str):
        text = compose_interpolate(volume)[0] if "$" in volume else volume
        parts = text.split(":") if text is not None else []
        return parts[0] if len(parts) >= 2 else None
    if isinstance(volume, YamlMapping) and volume.get("type") in (None, "bind"):
        source = volume.get("source")
        if isinstance(source, str) and "$" in source:
            source = compose_interpolate(source)[0]
        return source if isinstance(source, str) else None
    return None


class ComposeSensitiveHostMount(Rule):
    """A Compose service that mounts the Docker socket or a system directory of the host.

    ## What it does
    Checks Compose `volumes` for bind mounts of the container runtime's socket
    (`/var/run/docker.sock`, `containerd.sock`, `podman.sock`...) and of the host's
    system directories (`/`, `/etc`, `/proc`, `/sys`, `/dev`, `/root`, `/var/run`,
    `/var/lib/docker`...), in the short (`src:dst`) and the long form.

    ## Why is this bad?
    Whoever can talk to the Docker socket can start a privileged container that mounts
    the host's root: the socket is root on the host, read-only or not. System
    directories expose the host's credentials and processes, and writable ones let a
    container change the host.

    ## Example
    ```yaml
    services:
      ci-runner:
        image: acme/runner:2.3.0
        volumes:
          - /var/run/docker.sock:/var/run/docker.sock
    ```

    ## Use instead
    ```yaml
    services:
      ci-runner:
        image: acme/runner:2.3.0
        volumes:
          - ./builds:/builds
    ```

    ## Notes
    Kubernetes `hostPath` volumes (the socket included) are CTR009's.
    """

    id = "CTR010"
    name = "compose-sensitive-host-mount"
    summary = "Compose service mounts the Docker socket or a host system directory"
    checklist = CHECKLIST
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = CWE_EXPOSURE
    kinds = YAML
    triggers = ("volumes",)
    references = ("https://docs.docker.com/engine/security/#docker-daemon-attack-surface",)

    def check(self, file: YamlFile, ctx: Context) -> None:
        for service in compose_services_of(file):
            volumes = service.node.get("volumes")
            if not isinstance(volumes, YamlSequence):
                continue
            for index, volume in enumerate(volumes):
                source = _bind_source(volume)
                if source is None or not source.startswith("/"):
                    continue
                normalized = "/" + "/".join(part for part in source.split("/") if part)
                if normalized.endswith(RUNTIME_SOCKETS):
                    message = (
                        f"{describe_service(service)} mounts the container runtime's socket {source}: whoever "
                        "controls the service controls the host (Docker-in-Docker by socket); use a daemonless "
                        "builder or a socket proxy that allows only the calls it needs"
                    )
                elif normalized in _SENSITIVE_DIRECTORIES:
                    message = (
                        f"{describe_service(service)} mounts the host's {source}, which exposes the host's "
                        "credentials, devices or processes; mount only the files it needs, read-only"
                    )
                else:
                    continue
                ctx.report(item_span(volumes, index), message)
