"""NWD001: every Celery task sets a hard time limit."""

from prodready_lint.sdk import Attribute, CallResult, Context, Missing, Name, PythonFile, Rule, Severity


def _task_call(decorator):
    """(is a Celery task decorator, the call when it has arguments)."""
    if isinstance(decorator, Name):
        return decorator.qualname == "celery.shared_task", None
    if isinstance(decorator, Attribute):
        return decorator.attr == "task" and _is_app(decorator.origin), None
    if isinstance(decorator, CallResult):
        call = decorator.call
        if call.qualname == "celery.shared_task":
            return True, call
        return call.method == "task" and _is_app(call.receiver), call
    return False, None


def _is_app(origin) -> bool:
    """Whether ``origin`` is (or comes from) a ``celery.Celery`` application."""
    while origin is not None:
        if origin.qualname == "celery.Celery":
            return True
        origin = origin.receiver
    return False


class CeleryTaskWithoutTimeLimit(Rule):
    """A Celery task without a hard time limit.

    ## What it does
    Checks functions decorated with `@app.task` or `@shared_task` for a `time_limit`
    argument. A task that passes `**options` may set it, and is not flagged.

    ## Why is this bad?
    Without `time_limit` (and no worker-wide `task_time_limit`), a task stuck on a
    network call holds its worker forever; enough of them and the queue stops.

    ## Example
    ```python
    from celery import shared_task

    @shared_task
    def sync_inventory():
        ...
    ```

    ## Use instead
    ```python
    from celery import shared_task

    @shared_task(time_limit=300, soft_time_limit=270)
    def sync_inventory():
        ...
    ```
    """

    id = "NWD001"
    name = "celery-task-without-time-limit"
    summary = "Celery task without a hard time limit"
    checklist = ("timeouts",)
    severity = Severity.MEDIUM
    references = ("https://docs.celeryq.dev/en/stable/userguide/workers.html#time-limits",)
    triggers = ("celery",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        for function in file.functions:
            for decorator in function.decorators:
                is_task, call = _task_call(decorator)
                if not is_task:
                    continue
                if call is not None and (call.star_kwargs or not isinstance(call.argument("time_limit"), Missing)):
                    continue
                ctx.report(function, f"Celery task {function.name}() sets no time_limit; a stuck call holds its worker")
