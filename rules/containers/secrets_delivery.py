"""CTR015-CTR016: how credentials reach a container (checklist ``secrets-management``).

The boundary with the secrets family, one finding per literal: that family reports a
value that proves itself a credential wherever it is written (a vendor token, a private
key, a URL with a password: the value itself has leaked). These rules report the
*delivery*: a credential variable handed to a container as a plain environment value or
through a ConfigMap instead of a Secret or a secret store; the secrets family leaves
those to them. A ``${DB_PASSWORD}`` reference or a Compose ``secrets:`` entry is neither.
"""

from __future__ import annotations

import re
from typing import Any

from prodready_lint.sdk import (
    Confidence,
    Context,
    Rule,
    Severity,
    Span,
    YamlFile,
    YamlMapping,
    YamlSequence,
    is_credential_name,
    is_leaked_literal,
    is_secret_reference,
    is_trivial_secret_value,
    url_password,
    url_password_span,
)

from ._common import (
    CWE_ENV_SECRET,
    YAML,
    compose_services_of,
    describe_container,
    describe_service,
    key_value_span,
    workload_containers,
)

CHECKLIST = ("secrets-management",)
K8S_SECRETS = "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables"


_PRIVATE_KEY = re.compile(r"-{3,}\s*BEGIN [A-Z0-9 ]*PRIVATE KEY")


def _literal_credential(name: str, value: Any) -> str | None:
    """Why the value of ``name`` is a credential delivered as a literal, or ``None``."""
    if not isinstance(value, str) or is_trivial_secret_value(value) or is_secret_reference(value):
        return None
    if is_leaked_literal(value):  # a token, a private key, a URL with a password: the secrets rules report it
        return None
    if url_password(value) is not None:
        return "a URL with a password in it"
    if _PRIVATE_KEY.search(value):
        return "a private key"
    if is_credential_name(name):
        return "a credential"
    return None


class SecretInEnvLiteral(Rule):
    """A credential passed to a container as a literal environment value.

    ## What it does
    Checks Kubernetes containers' `env` entries for a `value` given to a credential
    variable (`DB_PASSWORD`, `API_KEY`, `JWT_SECRET`, `*_TOKEN`...), and Compose
    services' `environment` for the same, in both the list and the mapping form.

    ## Why is this bad?
    A literal value lives in the manifest, in the repository's history and in every
    rendered copy, and is shown by `kubectl describe` and `docker inspect` to anyone who
    can read the workload. It cannot be rotated without a commit and a redeploy.
    Secrets (`valueFrom.secretKeyRef`), a secret store (Vault, External Secrets, a
    cloud secret manager) or Compose `secrets:` keep the value out of the manifest and
    under access control.

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
              env:
                - name: DB_PASSWORD
                  value: correct-horse-battery
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
              env:
                - name: DB_PASSWORD
                  valueFrom:
                    secretKeyRef: {name: api-db, key: password}
    ```

    ## Notes
    Values that point at where the secret is kept are not reported: `$(VAR)`,
    `${VAR}`, a mounted secret file (`/run/secrets/...`), Vault and vals references,
    secret-manager ARNs and paths. Names about a credential rather than the credential
    (`PASSWORD_FILE`, `TOKEN_TTL`, `SECRET_NAME`) and empty, boolean or numeric values
    are not reported. A value that is a vendor token, a private key or a URL with a
    password is reported once, by the secrets rules (SEC002, SEC003), wherever it is
    written; this rule reports the other credential literals. The value is redacted from
    every output.
    """

    id = "CTR015"
    name = "secret-in-env-literal"
    summary = "credential passed to a container as a literal environment value"
    checklist = CHECKLIST
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = CWE_ENV_SECRET
    kinds = YAML
    triggers = ("env",)
    references = (K8S_SECRETS, "https://docs.docker.com/compose/how-tos/use-secrets/")

    def check(self, file: YamlFile, ctx: Context) -> None:
        for workload, container in workload_containers(file, ephemeral=True):
            env = container.node.get("env")
            if not isinstance(env, YamlSequence):
                continue
            for item in env:
                if not isinstance(item, YamlMapping) or "value" not in item:
                    continue
                name, value = item.get("name"), item.get("value")
                if not isinstance(name, str):
                    continue
                why = _literal_credential(name, value)
                if why is None:
                    continue
                value_span = item.value_span("value")
                ctx.report(
                    key_value_span(item, "value"),
                    f"{describe_container(workload, container)} gets {name} as a literal env value ({why}); "
                    "keep it in a Secret and use valueFrom.secretKeyRef, or a secret store",
                    secrets=_secret_spans(value, value_span, name),
                )
        for service in compose_services_of(file):
            for variable in service.environment:
                why = _literal_credential(variable.name, variable.value)
                if why is None or variable.value_span is None:
                    continue
                ctx.report(
                    variable.span,
                    f"{describe_service(service)} gets {variable.name} as a literal environment value ({why}); "
                    "use Compose secrets (secrets: and a *_FILE variable) or pass it from the environment "
                    f"(${{{variable.name}}})",
                    secrets=_secret_spans(variable.value, variable.value_span, variable.name),
                )


def _secret_spans(value: Any, value_span: Span, name: str) -> tuple[Span, ...]:
    """What to redact: the whole value of a credential variable; only the password of a
    URL held by another variable (the host and database stay readable)."""
    if isinstance(value, str) and not is_credential_name(name):
        inner = url_password_span(value, value_span)
        if inner is not None:
            return (inner,)
    return (value_span,)


class SecretFromConfigMap(Rule):
    """A credential read from a ConfigMap.

    ## What it does
    Checks Kubernetes containers' `env` entries that take a credential variable
    (`DB_PASSWORD`, `API_TOKEN`...) from `valueFrom.configMapKeyRef`, or take any
    variable from a ConfigMap key named like a credential.

    ## Why is this bad?
    ConfigMaps are for configuration: they are readable by every role that can read
    configuration, shown in plain text by `kubectl get -o yaml`, never encrypted at rest
    and often logged by tooling. Secrets can be encrypted at rest, are kept out of
    `describe` output and are guarded by their own RBAC.

    ## Example
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: worker
    spec:
      containers:
        - name: worker
          image: acme/worker:2.0.0
          env:
            - name: SMTP_PASSWORD
              valueFrom:
                configMapKeyRef: {name: worker-config, key: smtp-password}
    ```

    ## Use instead
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: worker
    spec:
      containers:
        - name: worker
          image: acme/worker:2.0.0
          env:
            - name: SMTP_PASSWORD
              valueFrom:
                secretKeyRef: {name: worker-smtp, key: password}
    ```
    """

    id = "CTR016"
    name = "secret-from-configmap"
    summary = "credential delivered to a container through a ConfigMap"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = CWE_ENV_SECRET
    kinds = YAML
    triggers = ("configMapKeyRef",)
    references = (K8S_SECRETS, "https://kubernetes.io/docs/concepts/configuration/configmap/")

    def check(self, file: YamlFile, ctx: Context) -> None:
        for workload, container in workload_containers(file, ephemeral=True):
            env = container.node.get("env")
            if not isinstance(env, YamlSequence):
                continue
            for item in env:
                source = item.get("valueFrom") if isinstance(item, YamlMapping) else None
                ref = source.get("configMapKeyRef") if isinstance(source, YamlMapping) else None
                if not isinstance(ref, YamlMapping):
                    continue
                name, key = item.get("name"), ref.get("key")
                named = [n for n in (name, key) if isinstance(n, str) and is_credential_name(n)]
                if not named:
                    continue
                config_map = ref.get("name")
                which = f"ConfigMap {config_map!r}" if isinstance(config_map, str) else "a ConfigMap"
                ctx.report(
                    source.key_span("configMapKeyRef"),
                    f"{describe_container(workload, container)} reads {name} from {which} (key {key!r}), which "
                    "is not meant for credentials; move it to a Secret and use secretKeyRef",
                )
