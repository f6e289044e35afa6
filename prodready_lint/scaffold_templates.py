"""The files ``prodready-lint new-rule`` writes: a pack's skeleton and one working rule
per kind, each with documentation whose examples pass and an annotated fixture.

Placeholders: ``{id}``, ``{name}``, ``{cls}``, ``{module}``, ``{pack}``, ``{dist}``,
``{api}``. Every rule template is a real, small check, so a fresh pack passes
``prodready-lint test-rules`` before its author changes anything.
"""

from __future__ import annotations

PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "Production-readiness rules for prodready-lint"
requires-python = ">=3.11"
dependencies = ["prodready-lint>=0.1"]

[project.optional-dependencies]
semgrep = ["prodready-lint[semgrep]"]

# prodready-lint finds the pack through this entry point once the package is installed.
[project.entry-points."prodready_lint.rules"]
{pack} = "{module}:PACK"

[tool.setuptools]
packages = ["{module}"]

[tool.setuptools.package-data]
"{module}" = ["*.yaml"]
"""

INIT = '''\
"""The {pack} rule pack for prodready-lint."""

from pathlib import Path

from prodready_lint.sdk import RulePack, semgrep_rules

# new-rule: imports

HERE = Path(__file__).parent

RULES = (
    # new-rule: rules
)

PACK = RulePack("{pack}", "0.1.0", RULES, "{pack} production-readiness rules", api_version="{api}")
'''

README = """\
# {dist}

Production-readiness rules for [prodready-lint](https://github.com/prodready-lint/prodready-lint),
in the pack `{pack}`.

```console
$ pip install {dist}
$ prodready-lint rules
```

Test the rules with `prodready-lint test-rules .` (or `python -m pytest`).
"""

TESTS = '''\
"""The pack's rules behave as their documentation and fixtures say."""

from pathlib import Path

from prodready_lint.sdk.testing import assert_pack

from {module} import PACK


def test_every_rule_behaves_as_documented():
    assert_pack(PACK, Path(__file__).parent / "fixtures")
'''

PYTHON_RULE = '''\
from prodready_lint.sdk import Context, PythonFile, Rule, Severity


class {cls}(Rule):
    """`print()` in service code.

    ## What it does
    Checks for calls to the builtin `print`. (A starting point: change the check, the
    documentation and the fixture to the rule you want.)

    ## Why is this bad?
    Services log through the logging system, where output is structured and levelled.

    ## Example
    ```python
    print("order created")
    ```

    ## Use instead
    ```python
    import logging

    logging.getLogger(__name__).info("order created")
    ```
    """

    id = "{id}"
    name = "{name}"
    summary = "print() in service code"
    checklist = ("structured-logging",)
    severity = Severity.LOW
    triggers = ("print",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        for call in file.calls:
            if call.qualname == "builtins.print":
                ctx.report(call, "print() in service code; log through logging")
'''

PYTHON_FIXTURE = """\
import logging

print("starting")  # expect: {id}
logging.getLogger(__name__).info("started")  # ok: {id}
"""

DOCKERFILE_RULE = '''\
from prodready_lint.sdk import Context, DockerfileFile, FileKind, Rule, Severity


class {cls}(Rule):
    """The deprecated `MAINTAINER` instruction.

    ## What it does
    Checks Dockerfiles for `MAINTAINER`. (A starting point: change the check, the
    documentation and the fixture to the rule you want.)

    ## Why is this bad?
    It is deprecated; a label is what registries and scanners read.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    MAINTAINER ops@example.com
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    LABEL org.opencontainers.image.authors="ops@example.com"
    ```
    """

    id = "{id}"
    name = "{name}"
    summary = "deprecated MAINTAINER instruction"
    checklist = ("container-hardening",)
    severity = Severity.LOW
    kinds = frozenset({{FileKind.DOCKERFILE}})
    triggers = ("maintainer",)
    triggers_ignore_case = True

    def check(self, file: DockerfileFile, ctx: Context) -> None:
        for instruction in file.instructions:
            if instruction.keyword == "MAINTAINER":
                ctx.report(instruction, "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors")
'''

DOCKERFILE_FIXTURE = """\
FROM python:3.12-slim
# expect: {id}
MAINTAINER ops@example.com
# ok: {id}
LABEL org.opencontainers.image.authors="ops@example.com"
"""

TERRAFORM_RULE = '''\
from prodready_lint.sdk import Context, FileKind, Rule, Severity, TerraformFile


class {cls}(Rule):
    """An RDS instance without deletion protection.

    ## What it does
    Checks `aws_db_instance` resources for `deletion_protection = true`. (A starting
    point: change the check, the documentation and the fixture to the rule you want.)

    ## Why is this bad?
    One mistaken `terraform destroy` or rename deletes the database.

    ## Example
    ```terraform
    resource "aws_db_instance" "orders" {{
      engine = "postgres"
    }}
    ```

    ## Use instead
    ```terraform
    resource "aws_db_instance" "orders" {{
      engine              = "postgres"
      deletion_protection = true
    }}
    ```
    """

    id = "{id}"
    name = "{name}"
    summary = "RDS instance without deletion protection"
    checklist = ("deletion-protection",)
    severity = Severity.MEDIUM
    kinds = frozenset({{FileKind.TERRAFORM}})
    triggers = ("aws_db_instance",)

    def check(self, file: TerraformFile, ctx: Context) -> None:
        for database in file.resources("aws_db_instance"):
            setting = database.get("deletion_protection")
            if setting is None or setting.value is False:
                ctx.report(database.header_span, f"{{database.address}} has no deletion protection")
'''

TERRAFORM_FIXTURE = """\
# expect: {id}
resource "aws_db_instance" "orders" {{
  engine = "postgres"
}}

# ok: {id}
resource "aws_db_instance" "ledger" {{
  engine              = "postgres"
  deletion_protection = true
}}
"""

SQL_RULE = '''\
from prodready_lint.sdk import Context, FileKind, Rule, Severity, SqlFile


class {cls}(Rule):
    """A migration drops a table.

    ## What it does
    Checks SQL files for `DROP TABLE`. (A starting point: change the check, the
    documentation and the fixture to the rule you want.)

    ## Why is this bad?
    The data is gone, and rolling the deployment back does not bring it back.

    ## Example
    ```sql
    DROP TABLE legacy_orders;
    ```

    ## Use instead
    ```sql
    ALTER TABLE legacy_orders RENAME TO legacy_orders_retired;
    ```
    """

    id = "{id}"
    name = "{name}"
    summary = "migration drops a table"
    checklist = ("migrations",)
    severity = Severity.HIGH
    kinds = frozenset({{FileKind.SQL}})
    triggers = ("drop",)
    triggers_ignore_case = True

    def check(self, file: SqlFile, ctx: Context) -> None:
        for statement in file.statements:
            if statement.kind == "drop_table":
                ctx.report(statement, f"DROP TABLE {{statement.table}}: the data cannot be rolled back")
'''

SQL_FIXTURE = """\
DROP TABLE legacy_orders;  -- expect: {id}
ALTER TABLE orders RENAME TO orders_retired;  -- ok: {id}
"""

REPO_RULE = '''\
from prodready_lint.sdk import Context, DockerfileFile, FileKind, RepoContext, RepoRule, Repository, Severity


class {cls}(RepoRule):
    """A Dockerfile with no `.dockerignore` beside it.

    ## What it does
    Checks that every directory holding a Dockerfile also holds a `.dockerignore`. (A
    starting point: change the check, the documentation and the fixture to the rule you
    want.)

    ## Why is this bad?
    Without it the whole directory, `.git` and local secrets included, is sent to the
    build and may end up in the image.

    ## Example
    ```dockerfile title="api/Dockerfile"
    FROM python:3.12-slim
    ```

    ## Use instead
    ```dockerfile title="api/Dockerfile"
    FROM python:3.12-slim
    ```

    ```text title="api/.dockerignore"
    .git
    .env
    ```
    """

    id = "{id}"
    name = "{name}"
    summary = "Dockerfile without a .dockerignore beside it"
    checklist = ("secrets",)
    severity = Severity.LOW
    kinds = frozenset({{FileKind.DOCKERFILE}})

    def collect(self, file: DockerfileFile, ctx: Context):
        first = file.stages[0].from_instruction if file.stages else None
        return {{"from": first.span if first else None}}

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        ignored = {{info.path.rpartition("/")[0] for info in repo.files if info.path.endswith(".dockerignore")}}
        for path, facts in repo.facts.items():
            if facts["from"] is not None and path.rpartition("/")[0] not in ignored:
                ctx.report(path, facts["from"], "no .dockerignore beside this Dockerfile: the build sends everything")
'''

REPO_FIXTURE = {
    "api/Dockerfile": "# expect: {id}\nFROM python:3.12-slim\n",
    "worker/Dockerfile": "# ok: {id}\nFROM python:3.12-slim\n",
    "worker/.dockerignore": ".git\n.env\n",
}

SEMGREP_RULE = """\
rules:
  - id: {id}
    languages: [python]
    severity: INFO
    message: print() in service code; log through logging
    pattern: print(...)
    metadata:
      name: {name}
      checklist: [structured-logging]
      confidence: HIGH
      references: [https://docs.python.org/3/howto/logging.html]
      docs: |
        `print()` in service code.

        ## What it does
        Checks for calls to `print`, with Semgrep. (A starting point: change the
        pattern, the documentation and the fixtures to the rule you want.)

        ## Why is this bad?
        Services log through the logging system, where output is structured and levelled.

        ## Example
        ```python
        print("order created")
        ```

        ## Use instead
        ```python
        import logging

        logging.getLogger(__name__).info("order created")
        ```
"""

SEMGREP_TEST = """\
import logging

# ruleid: {id}
print("starting")
# ok: {id}
logging.getLogger(__name__).info("started")
"""
