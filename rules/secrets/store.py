"""SEC005: a credential delivered as a literal where a secret store fits."""

from __future__ import annotations

import re

from prodready_lint.sdk import FileKind, Severity

from ._common import REFERENCES, SecretsRule


class SecretOutsideStore(SecretsRule):
    """A credential given as a literal where the platform has a secret store for it.

    ## What it does
    Checks the places a deployment hands a credential to a service outside the
    workload manifests themselves:

    * Helm values `env` entries whose `value:` is a literal for a credential variable,
      instead of `valueFrom.secretKeyRef`;
    * Terraform resource, provider and module arguments such as `password`,
      `master_password`, `access_key`, `secret_key`, `token` set to a literal, instead
      of a variable marked `sensitive` or a secrets-manager data source; also inside
      objects and calls: a Lambda function's `environment { variables = {...} }`, a
      `kubernetes_secret`'s `data`, the `environment` of ECS container definitions in
      `jsonencode([...])`.

    Each literal is reported once. Literal credentials in the `env` of Kubernetes
    workloads and in Compose `environment` are the container rules' finding
    (`secret-in-env-literal`), and the password attributes of AWS resources
    (`password` of `aws_db_instance`, `master_password`, `MasterUserPassword`...) the
    AWS rules' (`password-not-from-secret-store`): there the delivery is the problem. A
    vendor token, a private key or a URL with a password is reported by the token and
    URL rules wherever it is written, delivery points included.

    ## Why is this bad?
    The file is committed and readable by everyone who can read the repository, and
    the value also lands in the Terraform state and in the rendered manifests. A secret
    store keeps it encrypted, access-controlled, audited and rotatable without a change
    to the code.

    ## Example
    ```hcl
    provider "aws" {
      region     = "eu-west-1"
      secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE"
    }
    ```

    ## Use instead
    ```hcl
    variable "aws_secret_key" {
      type      = string
      sensitive = true
    }

    provider "aws" {
      region     = "eu-west-1"
      secret_key = var.aws_secret_key
    }
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
