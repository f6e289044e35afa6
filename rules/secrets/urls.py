"""SEC003: connection URLs with an embedded password."""

from __future__ import annotations

from prodready_lint.sdk import FileKind, Severity

from ._common import REFERENCES, SecretsRule


class PasswordInUrl(SecretsRule):
    """A connection URL with a literal password in it.

    ## What it does
    Checks string values of every file kind (Python, YAML, `.env`, JSON, INI,
    Terraform, Dockerfiles, shell scripts) for URLs carrying a password:
    `postgresql://app:pw@db/app`, `redis://:pw@cache:6379/0`, `amqp://svc:pw@mq`,
    `https://user:pw@git.example.com`; and connection strings with a password beside a
    user, host or database: libpq (`host=db dbname=app user=app password=pw`), ADO.NET
    and ODBC (`Server=db;Database=app;User Id=app;Password=pw;`, `PWD=pw`), URL query
    parameters (`jdbc:mysql://db/app?user=app&password=pw`).

    ## Why is this bad?
    A database or broker URL is usually copied whole into settings, logs and error
    reports; its password travels with it and cannot be rotated without a change to
    every copy.

    ## Example
    ```python
    DATABASE_URL = "postgresql://orders:Xk2mP9vQ4tL8@db.internal:5432/orders"
    ```

    ## Use instead
    ```python
    import os

    DATABASE_URL = os.environ["DATABASE_URL"]
    LOCAL_URL = "postgresql://orders:${DB_PASSWORD}@db.internal:5432/orders"
    ```

    ## Notes
    A password that is a template (`${DB_PASSWORD}`, `{password}`, `%s`, `{{ x }}`) or a
    placeholder (`password`, `<pw>`, `xxxx`, `user:pass@`) is not reported. A URL
    holding a vendor token is reported once, by SEC002.
    """

    id = "SEC003"
    name = "password-in-url"
    summary = "connection URL with an embedded password"
    checklist = ("secrets",)
    severity = Severity.HIGH
    kinds = frozenset(
        {
            FileKind.PYTHON,
            FileKind.YAML,
            FileKind.ENV,
            FileKind.JSON,
            FileKind.INI,
            FileKind.TOML,
            FileKind.DOCKERFILE,
            FileKind.TERRAFORM,
            FileKind.SHELL,
        }
    )
    triggers = ("://",)
    references = REFERENCES
