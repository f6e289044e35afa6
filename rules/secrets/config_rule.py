"""SEC004: credentials in configuration: .env, YAML, JSON, INI, Dockerfiles, Terraform variables."""

from __future__ import annotations

import re

from prodready_lint.sdk import FileKind, Severity

from ._common import REFERENCES, SecretsRule


class CredentialInConfig(SecretsRule):
    """A password, token or key written as a literal in a configuration file.

    ## What it does
    Checks the values of configuration files bound to a credential name: `.env`
    files, YAML (application config, Helm `values.yaml`), Kubernetes `Secret`
    manifests (`stringData`, and `data` decoded from base64), JSON and INI
    files, Dockerfile `ENV` and `ARG` defaults, and Terraform variable defaults,
    `locals` and `.tfvars` files. A `${VAR:-fallback}` reference is judged by its
    fallback. Values named by a sibling are judged by that name: identity-provider
    realm exports (Keycloak `credentials: [{"type": "password", "value": ...}]`, a
    client's `secret`, LDAP `bindCredential`), `{"name": "DB_PASSWORD", "value": ...}`
    pairs. Files written inside a value are read too: JSON inside a string (escaped or
    not) or a Secret's decoded `data`, and `KEY=value` or `key: value` lines of a
    ConfigMap's `application.properties` or a `.env` kept in a Secret. Kustomize
    `secretGenerator` and `configMapGenerator` `literals` (`DB_PASSWORD=...`) are judged
    by their key. An `Authorization` value is judged by its credential
    (`Bearer ...`).

    ## Why is this bad?
    Configuration is committed, copied into images and printed by tools. A value in
    a Dockerfile `ENV` stays in every layer and in `docker history`; a Kubernetes
    Secret manifest in the repository is only base64, not encryption.

    ## Example
    ```dotenv
    DATABASE_PASSWORD=Xk2mP9vQ4tL8
    STRIPE_WEBHOOK_SECRET=whsec_5fG8hJ2kL9mN3pQ6
    ```

    ## Use instead
    ```dotenv
    DATABASE_PASSWORD=${DATABASE_PASSWORD}
    STRIPE_WEBHOOK_SECRET=
    ```

    ## Notes
    `.env.example`, `.env.sample`, `.env.template` and other example files are
    not read: their values are placeholders. Nor are values that are references
    (`${VAR}`, `{{ .Values.x }}`, `%(var)s`, `$(VAR)`), empty, placeholders
    (`<your-api-key>`, `xxxx`, `changeme` in an example file, `dummy`), names of
    other settings, paths or plain URLs. Where a secret store fits (Helm values
    `env`, Terraform resource arguments) the finding is SEC005 instead, and a
    credential in a workload's `env` or a Compose `environment` is the container
    rules' (`secret-in-env-literal`), the password property of an AWS resource in
    CloudFormation the AWS rules' (`password-not-from-secret-store`).
    """

    id = "SEC004"
    name = "credential-in-config"
    summary = "credential literal in a configuration file"
    checklist = ("secrets",)
    severity = Severity.HIGH
    kinds = frozenset(
        {
            FileKind.YAML,
            FileKind.ENV,
            FileKind.JSON,
            FileKind.INI,
            FileKind.TOML,
            FileKind.DOCKERFILE,
            FileKind.TERRAFORM,
        }
    )
    triggers = (re.compile(r"pass|pwd|secret|token|key|cred|auth|salt|signature|cookie|otp|seed|pin", re.IGNORECASE),)
    references = REFERENCES
