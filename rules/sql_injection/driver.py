"""SQL001: SQL built from non-constant parts reaching a database driver call."""

from __future__ import annotations

from prodready_lint.sdk import Call, Confidence, Context, PythonFile, Rule, Severity

from ._common import CHECKLIST, CWE, KINDS, from_database, judge, message, sql_argument

# Methods that run the SQL they are given, on DB-API cursors and connections (sqlite3,
# psycopg 2 and 3, MySQL drivers, aiosqlite), asyncpg connections and pools, the
# databases package, and SQLAlchemy sessions, connections and engines.
SINK_METHODS = frozenset(
    {
        "execute",
        "executemany",
        "executescript",
        "exec_driver_sql",
        "mogrify",
        "fetch",
        "fetchrow",
        "fetchval",
        "fetch_all",
        "fetch_one",
        "fetch_val",
        "iterate",
        "copy_expert",
        "execute_sql",
    }
)
SINK_FUNCTIONS = frozenset(
    {
        "pandas.read_sql",
        "pandas.read_sql_query",
        "pandas.io.sql.read_sql",
        "pandas.io.sql.read_sql_query",
        "psycopg2.extras.execute_values",
        "psycopg2.extras.execute_batch",
    }
)
_FIX = (
    "use placeholders and pass the values as parameters (cursor.execute(sql, params)); "
    "take identifiers from a fixed allow-list or compose them with psycopg.sql.Identifier"
)


class SqlBuiltForDriver(Rule):
    """SQL built from variables is run by a database driver.

    ## What it does
    Checks for SQL strings built with an f-string, `%`, `.format()`, `+`/`+=` or
    `join()` from non-constant parts and passed to a call that runs SQL: DB-API
    `cursor.execute()`, `executemany()` and `executescript()` (sqlite3, psycopg 2 and 3,
    MySQL drivers, aiosqlite, Django's `connection.cursor()`), `connection.execute()`,
    asyncpg's `execute()`, `fetch()`, `fetchrow()` and `fetchval()`, the `databases`
    package's `fetch_all()`/`fetch_one()`/`fetch_val()`/`execute()`, SQLAlchemy's
    `Session.execute()`, `Connection.execute()` and `exec_driver_sql()`, and pandas'
    `read_sql()`/`read_sql_query()`. The string may be built in the call or in local
    variables assigned earlier in the function, in any branch.

    ## Why is this bad?
    A value pasted into SQL text becomes SQL: a quote in it ends the literal and the
    rest runs as part of the statement (SQL injection). Parameters are sent apart from
    the statement and can never change what it does.

    ## Example
    ```python
    import sqlite3

    def find_user(email):
        conn = sqlite3.connect("app.db")
        query = f"SELECT id, name FROM users WHERE email = '{email}'"
        return conn.execute(query).fetchone()
    ```

    ## Use instead
    ```python
    import sqlite3

    def find_user(email):
        conn = sqlite3.connect("app.db")
        query = "SELECT id, name FROM users WHERE email = ?"
        return conn.execute(query, (email,)).fetchone()
    ```

    ## Notes
    Constant strings, concatenations of constants, f-strings without fields and module
    or class constants interpolated into the text are not reported, nor is formatting
    that happens only in the parameters, `%d`-only formatting, placeholders generated
    from a count (`", ".join(["%s"] * len(ids))`), or objects that compose SQL safely
    (`psycopg.sql.SQL(...).format(sql.Identifier(...))`, SQLAlchemy expressions), values
    looked up in a constant table (`SORT_COLUMNS[key]`, `ORDER.get(key, "id")`), names
    written as constants that come from elsewhere (`SCHEMA`, `settings.TABLE_PREFIX`),
    ORM table names (`Model.__tablename__`), or SQL in schema migrations. A
    method named like a sink on an object that cannot be traced to a database driver
    is reported only when the string reads as SQL. A value checked against an
    allow-list first (`if column not in ALLOWED: raise`) is reported with low
    confidence.
    """

    id = "SQL001"
    name = "sql-built-for-driver"
    summary = "SQL built from non-constant parts is run by a database driver"
    checklist = CHECKLIST
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = CWE
    kinds = KINDS
    triggers = ("execute", "fetch", "iterate(", "read_sql", "mogrify", "copy_expert")
    references = (
        "https://peps.python.org/pep-0249/#id15",
        "https://owasp.org/www-community/attacks/SQL_Injection",
        "https://cwe.mitre.org/data/definitions/89.html",
    )

    def check(self, file: PythonFile, ctx: Context) -> None:
        for call in file.calls:
            sink = self.sink(call)
            if sink is None:
                continue
            typed, name = sink
            keywords = ("sql", "query", "statement", "operation", "stmt", "sql_query")
            value = sql_argument(call, keywords) if name != "psycopg2.extras" else call.argument("sql", 1) or None
            found = judge(file, call, value, needs_sql_text=not typed)
            if found is not None:
                ctx.report(call, message(found, self.display(call), _FIX), confidence=found.confidence)

    @staticmethod
    def sink(call: Call) -> tuple[bool, str] | None:
        """Whether a call runs SQL: (traced to a database library, its name)."""
        for qualname in call.qualnames:
            if qualname in SINK_FUNCTIONS:
                return True, "psycopg2.extras" if qualname.startswith("psycopg2.extras") else qualname
        if call.method in SINK_METHODS:
            typed = from_database(call.receiver) or any(
                name.startswith(("sqlalchemy.", "django.db.", "flask_sqlalchemy.")) for name in call.qualnames
            )
            return typed, call.method
        return None

    @staticmethod
    def display(call: Call) -> str:
        return f"{call.callee or call.qualname or call.method}()"
