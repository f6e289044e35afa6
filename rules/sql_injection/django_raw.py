"""SQL003: Django raw SQL (``raw()``, ``extra()``, ``RawSQL``) built from non-constant parts."""

from __future__ import annotations

from prodready_lint.sdk import Call, Confidence, Context, MappingValue, PythonFile, Rule, SequenceValue, Severity, Value

from ._common import CHECKLIST, CWE, KINDS, judge, message, sql_argument

RAW_SQL = frozenset({"django.db.models.expressions.RawSQL", "django.db.models.RawSQL"})
_FIX = (
    "write %s placeholders in the SQL and pass the values in params "
    "(raw(sql, params), RawSQL(sql, params), extra(where=[...], params=[...]))"
)


class DjangoRawSqlBuilt(Rule):
    """Django raw SQL built from variables.

    ## What it does
    Checks for `Manager.raw()` / `QuerySet.raw()`, `QuerySet.extra()` (`where`,
    `select`, `tables` and `order_by`) and `RawSQL()` expressions given SQL built with an
    f-string, `%`, `.format()`, `+`/`+=` or `join()` from non-constant parts, directly
    or through local variables. (`connection.cursor().execute()` is SQL001.)

    ## Why is this bad?
    Django passes this SQL to the database as it is: a value pasted into it can end a
    literal and run SQL of its own (SQL injection). The `params` argument sends values
    apart from the statement.

    ## Example
    ```python
    from myapp.models import Person

    def people_named(last_name):
        return Person.objects.raw(f"SELECT * FROM myapp_person WHERE last_name = '{last_name}'")
    ```

    ## Use instead
    ```python
    from myapp.models import Person

    def people_named(last_name):
        return Person.objects.raw("SELECT * FROM myapp_person WHERE last_name = %s", [last_name])
    ```

    ## Notes
    `raw()` on an object whose string does not read as SQL is not reported; nor are
    module constants interpolated into the SQL, or a value checked against an
    allow-list first (reported with low confidence).
    """

    id = "SQL003"
    name = "django-raw-sql-built"
    summary = "Django raw()/extra()/RawSQL given SQL built from non-constant parts"
    checklist = CHECKLIST
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = (".raw(", ".extra(", "RawSQL")
    references = (
        "https://docs.djangoproject.com/en/stable/topics/db/sql/#passing-parameters-into-raw",
        "https://cwe.mitre.org/data/definitions/89.html",
    )

    def check(self, file: PythonFile, ctx: Context) -> None:
        for call in file.calls:
            if any(name in RAW_SQL for name in call.qualnames):
                self.judge(file, ctx, call, sql_argument(call, ("sql",)), "RawSQL()", needs_sql_text=False)
            elif call.method == "raw":
                self.judge(file, ctx, call, sql_argument(call, ("raw_query",)), f"{call.callee or '.raw'}()", True)
            elif call.method == "extra":
                self.extra(file, ctx, call)

    def extra(self, file: PythonFile, ctx: Context, call: Call) -> None:
        """One finding per ``extra()`` call, for its first SQL built from variables."""
        for keyword in ("where", "select", "tables", "order_by"):
            value = call.keyword(keyword)
            for item in _items(value) if value is not None else ():
                if self.judge(file, ctx, call, item, f"extra({keyword}=...)", needs_sql_text=False):
                    return

    @staticmethod
    def judge(file: PythonFile, ctx: Context, call: Call, value: Value | None, sink: str, needs_sql_text: bool) -> bool:
        found = judge(file, call, value, needs_sql_text=needs_sql_text)
        if found is None:
            return False
        ctx.report(call, message(found, sink, _FIX), confidence=found.confidence)
        return True


def _items(value: Value) -> tuple[Value, ...]:
    if isinstance(value, SequenceValue):
        return value.items
    if isinstance(value, MappingValue):
        return value.values
    return (value,)
