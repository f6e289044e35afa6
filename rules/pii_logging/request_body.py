"""LOG002: a whole request body or header set in a log call."""

from __future__ import annotations

from prodready_lint.sdk import Call, Confidence, Severity

from ._common import CHECKLIST, CWE, KINDS, Analyzer, Leaf, LogCall, LogRule, call_name


class RequestBodyLogged(LogRule):
    """A log call carries a whole request body or all of its headers.

    ## What it does
    Checks log calls (as LOG001 knows them) for a whole request body or header set:
    `request.json`, `request.get_json()`, `request.data`, `request.form`,
    `request.body`, `request.values`, `request.headers`, Django's `request.POST` and
    `request.META`, `await request.json()`/`request.body()`/`request.form()`,
    `json.loads(request.body)`, `request.POST.dict()`, a route handler's body model (a
    FastAPI parameter typed with a pydantic class) and its dumps (`body.model_dump()`,
    `.dict()`, `.json()`), local variables assigned from any of them
    (`payload = request.get_json()`), slices of them (`request.data[:2000]`: the first
    two thousand bytes of a body are still the body) and mappings spread into a
    structlog call (`log.info("event", **payload)`).

    ## Why is this bad?
    A body carries whatever the client sent: passwords on a login form, card numbers on
    a checkout, personal details on a sign-up. Headers carry `Authorization` and
    `Cookie`. Logging them whole copies every secret and personal field into the logs.

    ## Example
    ```python
    import logging

    from flask import request

    log = logging.getLogger(__name__)

    def create_order():
        payload = request.get_json()
        log.info("create order: %s", payload)
    ```

    ## Use instead
    ```python
    import logging

    from flask import request

    log = logging.getLogger(__name__)

    def create_order():
        payload = request.get_json()
        log.info("create order for sku %s", payload["sku"])
    ```

    ## Notes
    One field of a body (`payload["sku"]`), one header that is not sensitive
    (`request.headers.get("User-Agent")`) and header names
    (`list(request.headers.keys())`) are not reported; a sensitive field or header is
    LOG001's.
    """

    id = "LOG002"
    name = "request-body-logged"
    summary = "log call carries a whole request body or its headers"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("request", "req.")
    references = (
        "https://cwe.mitre.org/data/definitions/532.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude",
    )

    def judge(self, analyzer: Analyzer, leaf: Leaf, call: Call) -> str | None:
        return analyzer.request_body(leaf, call.function, call.span)

    def message(self, log: LogCall, found: list[tuple[str, str]]) -> str:
        text, source = found[0]
        via = f" (from `{source}`)" if source != text else ""
        verb = "binds" if log.kind == "bind" else "prints" if log.kind == "print" else "logs"
        return (
            f"{call_name(log)} {verb} the whole request data `{text}`{via}: log the few fields you need "
            "(an id, a type), with passwords, tokens and personal fields left out or masked"
        )
