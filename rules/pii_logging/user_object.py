"""LOG003: a whole user or customer object (or its dump) in a log call."""

from __future__ import annotations

from prodready_lint.sdk import Call, Confidence, Severity

from ._common import CHECKLIST, CWE, KINDS, Analyzer, Leaf, LogCall, LogRule, call_name


class UserObjectLogged(LogRule):
    """A log call carries a whole user or customer object.

    ## What it does
    Checks log calls (as LOG001 knows them) for a whole user-like object (`user`,
    `customer`, `request.user`, `current_user`, `patient`, `profile`...) or its dump:
    `user.__dict__`, `vars(user)`, `user.model_dump()`, `user.dict()`,
    `user.to_dict()`, `dataclasses.asdict(user)`, `model_to_dict(user)`. Records read
    whole count too, whatever the variable is called: a database row (`cur.fetchone()`,
    `fetchall()`, `dict(row)`, a SQLAlchemy `result.mappings().first()`, asyncpg
    `fetchrow`, through a connection held on an object: `self.conn.execute(...)`) of a
    people table (`users`, `customers`...) or whose `SELECT` (or `INSERT`/`UPDATE ...
    RETURNING`) lists a personal column (`email`, `phone`...), a pandas frame loaded
    from one (`pd.read_sql("SELECT * FROM customers", conn)`) or named for one
    (`customers_df`) and what its `head()`, `sample()` or `to_dict()` give, an option
    of a conditional argument (`dict(rows[0]) if rows else None`), an ORM instance of a user-like model
    (`User.objects.get()`, `db.get(Customer, id)`, `db.query(User).first()`), the
    `instance` of a Django signal handler connected for one, a parameter typed with one
    (`obj_in: UserCreate`), and an instance of a class of the same file with a personal
    field.

    ## Why is this bad?
    An object's text or dump holds every field it has: email, phone, address, password
    hash, tokens. Logging it whole puts all of them in the logs, and new fields added
    later leak without anyone noticing.

    ## Example
    ```python
    import logging

    logger = logging.getLogger(__name__)

    def on_signup(user):
        logger.info("new signup: %s", user.__dict__)
    ```

    ## Use instead
    ```python
    import logging

    logger = logging.getLogger(__name__)

    def on_signup(user):
        logger.info("new signup: user %s", user.id)
    ```

    ## Notes
    Attributes of the object (`user.id`, `user.plan`) are judged as values (LOG001);
    a name that is a string (a parameter annotated `str`, one assigned a literal or an
    attribute such as `user = request.user.username`) is not a user object. A row whose
    `SELECT` lists only non-personal columns (`SELECT count(*) FROM users`) is not one,
    whatever its variable is called; fields typed `SecretStr` are masked by pydantic and
    do not count. A frame's length or column names (`len(df)`, `list(df.columns)`)
    are not records.
    """

    id = "LOG003"
    name = "user-object-logged"
    summary = "log call carries a whole user or customer object"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = CWE
    kinds = KINDS
    triggers = (
        "user",
        "User",
        "customer",
        "Customer",
        "patient",
        "profile",
        "employee",
        "buyer",
        "subscriber",
        "applicant",
    )
    references = (
        "https://cwe.mitre.org/data/definitions/532.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude",
    )

    def judge(self, analyzer: Analyzer, leaf: Leaf, call: Call) -> str | None:
        return analyzer.user_object(leaf, call.function, call.span)

    def message(self, log: LogCall, found: list[tuple[str, str]]) -> str:
        names = ", ".join(f"`{text}`" + (f" ({kind})" if kind != text else "") for text, kind in found[:3])
        verb = "binds" if log.kind == "bind" else "prints" if log.kind == "print" else "logs"
        return (
            f"{call_name(log)} {verb} the whole object {names}: every field it holds (email, phone, address, "
            "tokens) goes to the logs; log its id instead (user.id)"
        )
