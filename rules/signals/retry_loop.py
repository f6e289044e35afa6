"""SIG005: a retry loop that sleeps a fixed time between attempts."""

from __future__ import annotations

import ast

from prodready_lint.sdk import Confidence, Context, PythonFile, Rule, Severity, literal

_SLEEPS = frozenset({"time.sleep", "asyncio.sleep", "gevent.sleep", "trio.sleep", "anyio.sleep", "eventlet.sleep"})


class FixedSleepRetryLoop(Rule):
    """A retry loop sleeps a fixed time between attempts.

    ## What it does
    Checks `for` and `while` loops that catch an exception and then sleep a constant time
    (`time.sleep(5)`, `await asyncio.sleep(1)`) before trying again: in the `except`
    handler, or right after the `try` statement in the loop body.

    ## Why is this bad?
    When a dependency struggles, every client retrying on the same fixed beat keeps
    hitting it in waves: retries should back off exponentially, with jitter and a bound,
    so a recovering service is not knocked over again. A `while True` loop also never
    gives up.

    ## Example
    ```python
    import time

    import requests


    def fetch_rates():
        for attempt in range(5):
            try:
                return requests.get("https://rates.internal/today", timeout=5).json()
            except requests.RequestException:
                time.sleep(2)
    ```

    ## Use instead
    ```python
    import requests
    from tenacity import retry, stop_after_attempt, wait_exponential_jitter


    @retry(stop=stop_after_attempt(5), wait=wait_exponential_jitter(max=30))
    def fetch_rates():
        return requests.get("https://rates.internal/today", timeout=5).json()
    ```

    ## Notes
    A sleep computed from the attempt (`time.sleep(2 ** attempt)`, `delay *= 2`) is
    backoff and is not flagged; neither is a polling loop that catches nothing. The
    finding points at the sleep call.
    """

    id = "SIG005"
    name = "fixed-sleep-retry-loop"
    summary = "retry loop sleeps a fixed time between attempts"
    checklist = ("retries-backoff",)
    severity = Severity.LOW
    cwe = (400,)
    confidence = Confidence.MEDIUM
    triggers = ("sleep",)
    references = ("https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        sleeps = {}
        for call in file.calls:
            if set(call.qualnames) & _SLEEPS:
                sleeps[(call.span.line, call.span.column)] = call
        if not sleeps:
            return
        for loop in ast.walk(file.tree):
            if not isinstance(loop, (ast.For, ast.AsyncFor, ast.While)):
                continue
            for statement in loop.body:
                if not isinstance(statement, (ast.Try, getattr(ast, "TryStar", ast.Try))) or not statement.handlers:
                    continue
                candidates = [node for handler in statement.handlers for node in handler.body]
                index = loop.body.index(statement)
                candidates += loop.body[index + 1 : index + 2]
                for node in candidates:
                    call = _sleep_call(node, file, sleeps)
                    if call is not None:
                        seconds = literal(call.argument("seconds", 0))
                        ctx.report(
                            call,
                            f"retry loop sleeps a fixed {seconds}s between attempts: clients retry in lockstep "
                            "against a struggling dependency; back off exponentially with jitter and a bound "
                            "(tenacity, backoff)",
                        )
                        break


def _sleep_call(node: ast.stmt, file: PythonFile, sleeps: dict):
    if not isinstance(node, ast.Expr):
        return None
    value = node.value.value if isinstance(node.value, ast.Await) else node.value
    if not isinstance(value, ast.Call) or len(value.args) != 1 or value.keywords:
        return None
    span = file.span_of(value)
    call = sleeps.get((span.line, span.column))
    if call is None:
        return None
    seconds = literal(call.argument("seconds", 0))
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
        return None
    return call
