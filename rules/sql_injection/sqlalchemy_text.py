"""SQL002: SQLAlchemy ``text()`` built from non-constant parts."""

from __future__ import annotations

from prodready_lint.sdk import Confidence, Context, PythonFile, Rule, Severity

from ._common import CHECKLIST, CWE, KINDS, judge, message, sql_argument

TEXT_FUNCTIONS = frozenset(
    {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "sqlmodel.text"}
)
_FIX = (
    "write :name bind parameters in the text and pass the values to execute() (or .bindparams()); "
    "use SQLAlchemy expressions for identifiers"
)


class SqlAlchemyTextBuilt(Rule):
    """SQLAlchemy `text()` built from variables.

    ## What it does
    Checks for `sqlalchemy.text()` (and `sqlalchemy.sql.text`, `sqlmodel.text`) given a
    string built with an f-string, `%`, `.format()`, `+`/`+=` or `join()` from
    non-constant parts, directly or through local variables.

    ## Why is this bad?
    `text()` sends its string to the database as SQL. A value pasted into it can close a
    literal and add SQL of its own (SQL injection); bind parameters (`:name`) are sent
    apart from the statement.

    ## Example
    ```python
    from sqlalchemy import text

    def orders_for(session, customer_id):
        return session.execute(text(f"SELECT * FROM orders WHERE customer_id = {customer_id}"))
    ```

    ## Use instead
    ```python
    from sqlalchemy import text

    def orders_for(session, customer_id):
        return session.execute(text("SELECT * FROM orders WHERE customer_id = :cid"), {"cid": customer_id})
    ```

    ## Notes
    Module constants interpolated into the text, f-strings without fields and
    placeholders generated from a count are not reported. The call that runs the
    `text()` object is not reported again: the finding is on `text()`.
    """

    id = "SQL002"
    name = "sqlalchemy-text-built"
    summary = "SQLAlchemy text() built from non-constant parts"
    checklist = CHECKLIST
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("sqlalchemy", "sqlmodel")
    references = (
        "https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text",
        "https://cwe.mitre.org/data/definitions/89.html",
    )

    def check(self, file: PythonFile, ctx: Context) -> None:
        for call in file.calls:
            if not any(name in TEXT_FUNCTIONS for name in call.qualnames):
                continue
            found = judge(file, call, sql_argument(call, ("text",)), needs_sql_text=False)
            if found is not None:
                ctx.report(call, message(found, "text()", _FIX), confidence=found.confidence)
