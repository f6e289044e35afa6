"""NWD002: the image a Dockerfile builds declares a health check."""

from prodready_lint.sdk import Context, DockerfileFile, FileKind, Rule, Severity


class ImageWithoutHealthcheck(Rule):
    """An image without a `HEALTHCHECK`.

    ## What it does
    Checks the final stage of a Dockerfile (what `docker build` builds) for a
    `HEALTHCHECK`, its own or inherited from an earlier stage it builds on.

    ## Why is this bad?
    Docker and Compose cannot tell a hung container from a working one, so nothing
    restarts it and traffic keeps going to it.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "-m", "orders"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    HEALTHCHECK --interval=30s CMD ["python", "-m", "orders.health"]
    CMD ["python", "-m", "orders"]
    ```
    """

    id = "NWD002"
    name = "image-without-healthcheck"
    summary = "image declares no HEALTHCHECK"
    checklist = ("health-endpoints",)
    severity = Severity.LOW
    kinds = frozenset({FileKind.DOCKERFILE})

    def check(self, file: DockerfileFile, ctx: Context) -> None:
        stage = file.final_stage
        if stage is not None and not stage.is_scratch and stage.healthcheck is None:
            ctx.report(stage.from_instruction, "the final image declares no HEALTHCHECK")
