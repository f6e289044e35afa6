"""NWD003: every service has a runbook beside it."""

from prodready_lint.sdk import Context, DockerfileFile, FileKind, RepoContext, RepoRule, Repository, Severity

RUNBOOKS = ("RUNBOOK.md", "docs/runbook.md")


class ServiceWithoutRunbook(RepoRule):
    """A service without a runbook.

    ## What it does
    Treats every directory holding a Dockerfile as a service, and checks that it also
    holds a `RUNBOOK.md` (or `docs/runbook.md`).

    ## Why is this bad?
    Whoever is paged at night for the service needs to know how to restart it, where
    its logs are and whom to call; a runbook written during the incident is too late.

    ## Example
    ```dockerfile title="orders/Dockerfile"
    FROM python:3.12-slim
    ```

    ## Use instead
    ```dockerfile title="orders/Dockerfile"
    FROM python:3.12-slim
    ```

    ```text title="orders/RUNBOOK.md"
    # orders: runbook
    ```
    """

    id = "NWD003"
    name = "service-without-runbook"
    summary = "service directory without a runbook"
    checklist = ("runbooks",)
    severity = Severity.LOW
    kinds = frozenset({FileKind.DOCKERFILE})

    def collect(self, file: DockerfileFile, ctx: Context):
        first = file.stages[0].from_instruction if file.stages else None
        return {"from": first.span} if first is not None else None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        paths = {info.path for info in repo.files}
        for path, facts in sorted(repo.facts.items()):
            directory = path.rpartition("/")[0]
            prefix = f"{directory}/" if directory else ""
            if not any(prefix + name in paths for name in RUNBOOKS):
                where = directory or "the repository root"
                ctx.report(path, facts["from"], f"the service in {where} has no RUNBOOK.md")
