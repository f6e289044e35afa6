"""SEC001: credential literals bound to credential names in Python code."""

from __future__ import annotations

import re

from prodready_lint.sdk import FileKind, Severity

from ._common import REFERENCES, SecretsRule


class HardcodedCredential(SecretsRule):
    """A password, token, API key or secret key written as a literal in Python code.

    ## What it does
    Checks string literals bound to a name that holds a credential (`password`,
    `db_passwd`, `api_key`, `stripeApiKey`, `client_secret`, `SECRET_KEY`, ...) by any
    of: an assignment of any form (names, attributes, class attributes, annotated,
    `app.config["SECRET_KEY"] = ...`), a keyword argument (`password=`, `api_key=`,
    `token=`, `aws_secret_access_key=`, `dict(password=...)`), a parameter default
    (keyword-only included), a dict display, and the fallback of an environment lookup
    (`os.getenv("DB_PASSWORD", "...")`, `os.environ.get`, `environ.setdefault`,
    `config("SECRET_KEY", default=...)`). Also by context: the values of a mapping or list
    whose own name says credentials (`PARTNER_KEYS = {"acme": "..."}`,
    `TENANT_API_TOKENS`, `VALID_API_TOKENS = [...]`), the password of a basic-auth pair
    (`auth=("user", "...")`, `session.auth = (...)`, `HTTPBasicAuth("user", "...")`,
    `smtp.login("user", "...")`, LDAP `simple_bind_s`), the credential of an
    `Authorization` header (`{"Authorization": "Bearer ..."}`, `Token`, `Basic`), a value
    written into the environment (`os.environ["DB_PASSWORD"] = "..."`,
    `monkeypatch.setenv("API_TOKEN", "...")`, `os.putenv`), and credentials inside JSON
    written in a string (`json.loads('{"client_secret": "..."}')`).

    ## Why is this bad?
    A credential in the source is in every clone, fork, backup, CI log and container
    image built from it, and rotating it means a code change and a deploy. A literal
    fallback of `os.getenv` is worse than none: when the variable is missing in
    production the service starts anyway, with the committed credential.

    ## Example
    ```python
    import os
    import psycopg2

    SECRET_KEY = "django-insecure-7f3k9q2m8x1c5v6b4n0z"
    DB_PASSWORD = os.getenv("DB_PASSWORD", "hunter2-prod")

    def connect(host, password="Summer2024!"):
        return psycopg2.connect(host=host, user="app", password="Pr0d-db-pass")
    ```

    ## Use instead
    ```python
    import os
    import psycopg2

    SECRET_KEY = os.environ["SECRET_KEY"]
    DB_PASSWORD = os.environ["DB_PASSWORD"]
    PASSWORD_FIELD = "password"
    TOKEN_HEADER = "Authorization"

    def connect(host, password=None):
        return psycopg2.connect(host=host, user="app", password=DB_PASSWORD)
    ```

    ## Notes
    Never reported: values read from the environment or a secret store, templates
    (`${VAR}`, `{{ x }}`, `%(var)s`, `{password}`), empty strings, placeholders
    (`<your-api-key>`, `xxxx`, `changeme`, `dummy`, `example`, `TODO`), names of
    fields, headers and settings (`PASSWORD_FIELD = "password"`, `password_reset_url`,
    `TOKEN_HEADER`), public values (`publishable_key`, `public_key`, client ids), paths,
    plain URLs, hashes and ids, mappings of names (`PARTNER_KEY_NAMES`, `TOKEN_TYPES`) and
    values under keys that say what they are (`host`, `username`, `header_name`). A weak
    name (`key`, `auth`, `seed`) is reported only when its value looks random
    (detect-secrets' entropy measure) and is not a name made of words
    (`context_key = "thumbnail_by_size"`). In test directories and
    test modules findings are reported at `low` severity (the `test-severity` option).
    `# pragma: allowlist secret` (detect-secrets' marker) on the line silences it, as
    does `# prodready: ignore[SEC001]`. The value never appears in a message: it is shown
    redacted (`'djan****'`).
    """

    id = "SEC001"
    name = "hardcoded-credential"
    summary = "credential literal bound to a credential name in Python code"
    checklist = ("secrets",)
    severity = Severity.HIGH
    kinds = frozenset({FileKind.PYTHON})
    triggers = (re.compile(r"pass|pwd|secret|token|key|cred|auth|salt|signature|cookie|otp|seed|pin", re.IGNORECASE),)
    references = REFERENCES
