"""What the SQL-injection family shares: finding the SQL argument of a sink, judging how
it was built (through :class:`~prodready_lint.sdk.DataFlow`), and the message."""

from __future__ import annotations

import re
from collections.abc import Iterable

from prodready_lint.sdk import (
    MISSING,
    Call,
    Confidence,
    DataFlow,
    DynamicPart,
    FileKind,
    Origin,
    PythonFile,
    StringBuild,
    Unknown,
    Value,
)

KINDS = frozenset({FileKind.PYTHON})
CWE = (89,)
CHECKLIST = ("sql-injection",)

# Statements as they start, and clauses that only SQL has.
_SQL_START = re.compile(
    r"^[\s(]*(?:SELECT|INSERT\s+INTO|INSERT\s+OR|UPDATE|DELETE\s+FROM|DELETE|WITH|CREATE|DROP|ALTER|TRUNCATE|REPLACE"
    r"|MERGE|GRANT|REVOKE|PRAGMA|EXPLAIN|SHOW|CALL|EXEC|EXECUTE|DECLARE|SET|COPY|VACUUM|ANALYZE|LOCK|UPSERT|VALUES"
    r"|COMMENT\s+ON|REINDEX|REFRESH|LISTEN|NOTIFY|ATTACH|DETACH|USE|DESCRIBE|OPTIMIZE|KILL)\b",
    re.IGNORECASE,
)
_SQL_CLAUSE = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\b[\s\S]*\bSET\b|\bDELETE\s+FROM\b|\bWHERE\b"
    r"|\bORDER\s+BY\b|\bGROUP\s+BY\b|\b(?:LEFT|INNER|OUTER|CROSS)\s+JOIN\b|\bVALUES\s*\(|\bLIMIT\s+\d|\bAND\b.+=",
    re.IGNORECASE,
)
# Modules whose objects run SQL: a receiver traced to one of them is a database handle.
DATABASE_MODULES = (
    "sqlite3",
    "psycopg2",
    "psycopg",
    "pymysql",
    "MySQLdb",
    "mysql.connector",
    "asyncpg",
    "aiosqlite",
    "aiomysql",
    "aiopg",
    "databases",
    "sqlalchemy",
    "django.db",
    "cx_Oracle",
    "oracledb",
    "pyodbc",
    "pymssql",
    "snowflake.connector",
    "clickhouse_driver",
    "duckdb",
    "trino",
    "pyhive",
    "ibm_db",
    "teradatasql",
    "vertica_python",
    "pg8000",
    "sqlmodel",
    "flask_sqlalchemy",
)
_NUMERIC_PERCENT = re.compile(r"%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?([a-zA-Z%])")
_CONFIG_SOURCES = frozenset({"attribute", "import"})


def looks_like_sql(text: str) -> bool:
    """Whether constant text reads as SQL: a statement keyword at its start or a clause
    only SQL has."""
    return bool(_SQL_START.match(text) or _SQL_CLAUSE.search(text))


def from_database(origin: Origin | None) -> bool:
    """Whether an object was made by (or declared as) something of a database driver or
    toolkit, following method calls back (``sqlite3.connect(p).cursor()``)."""
    depth = 0
    while origin is not None and depth < 8:
        for name in origin.qualnames:
            if any(name == module or name.startswith(module + ".") for module in DATABASE_MODULES):
                return True
        origin = origin.receiver
        depth += 1
    return False


_SQL_KEYWORDS = ("sql", "query", "statement", "operation", "stmt")


def sql_argument(call: Call, keywords: Iterable[str] = _SQL_KEYWORDS) -> Value | None:
    """The SQL a call is given: its first positional argument, or the first of
    ``keywords`` it passes."""
    for name in keywords:
        value = call.argument(name)
        if value is not MISSING and not isinstance(value, Unknown):
            return value  # type: ignore[return-value]
    value = call.argument("", 0)
    if value is MISSING or (isinstance(value, Unknown) and value.kind in ("*args", "**kwargs")):
        return None
    return value  # type: ignore[return-value]


def numeric_only(built: StringBuild) -> bool:
    """``%`` formatting whose every conversion is numeric (``LIMIT %d``): Python refuses
    to put anything but a number there."""
    if built.operations != {"%"}:
        return False
    conversions = [m.group(1) for m in _NUMERIC_PERCENT.finditer(built.text)]
    conversions = [c for c in conversions if c != "%"]
    return bool(conversions) and all(c in "dif" for c in conversions)


def allow_listed(file: PythonFile, part: DynamicPart, function: str, line: int) -> bool:
    """Whether a name in ``part`` is checked against a collection before the sink, in
    the same function (``if column not in ALLOWED: raise``, ``assert order in ORDERS``)."""
    names = {part.text, *part.names}
    func = DataFlow.of(file).function(function)
    if func is None:
        return False
    start = func.span.line
    for name in names:
        if not name.isidentifier():
            continue
        test = re.compile(rf"\b(?:if|elif|assert|and|or)\b[^\n#]*\b{re.escape(name)}\s+(?:not\s+)?in\s+[\w.(\[{{]")
        for number in range(start, line):
            if name in file.line(number) and test.search(file.line(number)):
                return True
    return False


_ORM_METADATA = re.compile(r"(?:^|\.)(?:__tablename__|__table__(?:\.name)?|_meta\.db_table|_meta\.model_name)$")
_MIGRATION_PATH = re.compile(r"(?:^|/)(?:migrations|alembic|versions)/[^/]+\.py$")


def _orm_metadata(part: DynamicPart) -> bool:
    """A table name an ORM model declares in code (``Model.__tablename__``,
    ``Model._meta.db_table``), or a name written as a constant (``SCHEMA``,
    ``settings.TABLE_PREFIX``) that comes from another module: identifiers from the
    code or the deployment, never from a user."""
    if _ORM_METADATA.search(part.text):
        return True
    last = part.text.rsplit(".", 1)[-1]
    return part.source in ("import", "attribute", "name") and last.isupper() and not part.names


_ORM_COMPILED = re.compile(r"\.(?:sql_with_params|as_sql|compile)\s*\(")


def _orm_compiled(file: PythonFile, part: DynamicPart) -> bool:
    """SQL an ORM compiled (``sql, params = qs.query.sql_with_params()``,
    ``str(stmt.compile())``): generated from expressions, with the values kept apart as
    parameters, so nesting it in a wrapping query is not building SQL from data."""
    if not part.names or part.span is None or part.source not in ("unpacking", "call", "attribute"):
        return False
    text = "\n".join(file.line(number) for number in range(part.span.line, part.span.end_line + 1))
    return _ORM_COMPILED.search(text) is not None


def migration(file: PythonFile) -> bool:
    """A schema migration (Alembic, Django): it runs offline, from code, never on user input."""
    if not _MIGRATION_PATH.search(file.path):
        return False
    return (
        "alembic" in file.imported_modules
        or "django.db.migrations" in file.imported_modules
        or any(module.startswith(("alembic.", "django.db.migrations")) for module in file.imported_modules)
    )


class Judgement:
    """A SQL argument found unsafe: what was built, the parts, the confidence."""

    __slots__ = ("built", "confidence", "low", "parts")

    def __init__(self, built: StringBuild, parts: tuple[DynamicPart, ...], confidence: Confidence, low: bool) -> None:
        self.built = built
        self.parts = parts
        self.confidence = confidence
        self.low = low


def judge(file: PythonFile, call: Call, value: Value | None, *, needs_sql_text: bool) -> Judgement | None:
    """Judge the SQL ``value`` given to ``call``: a :class:`Judgement` when it was built
    with non-constant parts, ``None`` when it is constant, passed in whole, opaque (a
    query builder's object) or, with ``needs_sql_text``, does not read as SQL."""
    if value is None or migration(file):
        return None
    built = DataFlow.of(file).string(value, call.function, call.span)
    if not built.is_built or not built.dynamic:
        return None
    if needs_sql_text and not looks_like_sql(built.text):
        return None
    if numeric_only(built):
        return None
    parts = tuple(part for part in built.dynamic if not _orm_metadata(part) and not _orm_compiled(file, part))
    if not parts:
        return None
    low = all(allow_listed(file, part, call.function, call.span.line) for part in parts)
    if low:
        confidence = Confidence.LOW
    elif all(part.source in _CONFIG_SOURCES for part in parts):
        confidence = Confidence.MEDIUM
    else:
        confidence = Confidence.HIGH
    return Judgement(built, parts, confidence, low)


_HOW = {
    "f-string": "an f-string",
    "%": "% formatting",
    ".format": ".format()",
    "+": "+ concatenation",
    "+=": "+= concatenation",
    "join": "join()",
}


def describe_parts(judgement: Judgement) -> str:
    """``user_id`` (a parameter, by an f-string), ``order`` ... as message text."""
    out = []
    for part in judgement.parts[:3]:
        via = f" via `{part.names[0]}`" if part.names and part.names[0] != part.text else ""
        how = _HOW.get(part.how, "")
        out.append(f"`{part.text}`{via}" + (f" ({how})" if how else ""))
    more = len(judgement.parts) - 3
    return ", ".join(out) + (f" and {more} more" if more > 0 else "")


def message(judgement: Judgement, sink: str, fix: str) -> str:
    text = f"SQL passed to {sink} is built from non-constant {describe_parts(judgement)}: {fix}"
    if judgement.low:
        text += (
            "; the value is checked against an allow-list first, which makes this likely safe, but an "
            "identifier belongs in a composed identifier (psycopg.sql.Identifier) or a fixed mapping"
        )
    return text
