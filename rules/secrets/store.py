"""SEC005: a credential delivered as a literal where a secret store fits."""

from __future__ import annotations

import re

from prodready_lint.sdk import FileKind, Severity

from ._common import REFERENCES, SecretsRule


class SecretOutsideStore(SecretsRule):
    """A credential given as a literal where the platform has a secret store for it.

    ## What it does
    Checks the places a deployment hands a credential to a service:

    * Kubernetes (and Helm values) `env` entries whose `value:` is a literal for a
      credential variable, instead of `valueFrom.secretKeyRef`;
    * Docker Compose `environment` entries with a literal credential, instead of
      `secrets:`;
    * Terraform resource, provider and module arguments such as `password`,
      `master_password`, `access_key`, `secret_key`, `token` set to a literal, instead
      of a variable marked `sensitive` or a secrets-manager data source.

    ## Why is this bad?
    The manifest is committed and readable by everyone who can read the repository,
    and the value also lands in the Terraform state, `kubectl get -o yaml` and
    `docker inspect`. A secret store keeps it encrypted, access-controlled, audited
    and rotatable without a change to the code.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: orders}
    spec:
      template:
        spec:
          containers:
            - name: orders
              image: acme/orders:2.3.1
              env:
                - name: DB_PASSWORD
                  value: Xk2mP9vQ4tL8
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: orders}
    spec:
      template:
        spec:
          containers:
            - name: orders
              image: acme/orders:2.3.1
              env:
                - name: DB_PASSWORD
                  valueFrom:
                    secretKeyRef: {name: orders-db, key: password}
    ```

    ## Notes
    References are never reported: `${DB_PASSWORD}` in Compose (its value comes from
    the shell or an env file), `var.db_password` and data sources in Terraform,
    `{{ .Values.x }}` in templates. A `${VAR:-fallback}` is judged by its fallback.
    """

    id = "SEC005"
    name = "secret-outside-secret-store"
    summary = "credential passed as a literal where a secret store fits"
    checklist = ("secrets-management", "secrets")
    severity = Severity.HIGH
    kinds = frozenset({FileKind.YAML, FileKind.TERRAFORM})
    triggers = (re.compile(r"pass|pwd|secret|token|key|cred|auth|salt|signature|cookie|otp|seed|pin", re.IGNORECASE),)
    references = REFERENCES
