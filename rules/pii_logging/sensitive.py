"""LOG001: a sensitive value (email, password, token, card number...) in a log call."""

from __future__ import annotations

from prodready_lint.sdk import Call, Confidence, Severity

from ._common import CHECKLIST, CWE, KINDS, Analyzer, Leaf, LogCall, LogRule, call_name


class SensitiveValueLogged(LogRule):
    """A log call carries a sensitive value.

    ## What it does
    Checks log calls (stdlib `logging` functions and loggers, `LoggerAdapter`,
    `self.logger`/`self.log`, structlog and loguru loggers and their `.bind()`, and
    `print()` in service code) for values that are personal data or secrets: emails,
    passwords and password hashes, national ids, phone numbers, dates of birth, postal
    addresses, card numbers and security codes, IBANs and account numbers, auth tokens,
    API keys, session cookies and `Authorization` headers. A value counts wherever it
    goes: an f-string field, a `%` argument, `.format()`, `extra={...}` or a structlog
    keyword. What a value is comes from its name (`user.email`, `password`), the key it
    is read with (`data["password"]`, `request.headers.get("Authorization")`,
    `os.getenv("API_KEY")`) or the name it is logged under (`email=...`, `"token=%s"`).
    A name that says nothing of its value (`header`, `key`) is judged by what it was
    assigned (`header = request.headers.get("Authorization")`), and a key just created
    is a secret whatever it is called (`token, raw_key = ApiToken.objects.create_token()`,
    `raw = generate_api_key()`).

    ## Why is this bad?
    Logs are copied to aggregators, retained for months and read by many people and
    tools. Personal data there breaks data-protection duties (erasure, minimisation),
    and a secret in a log is a leaked secret (CWE-532). A redacting filter configured
    elsewhere is easy to bypass or remove, so each call is judged on its own.

    ## Example
    ```python
    import logging

    logger = logging.getLogger(__name__)

    def on_login(user, password):
        logger.info("login for %s with password %s", user.email, password)
    ```

    ## Use instead
    ```python
    import logging

    logger = logging.getLogger(__name__)

    def on_login(user, password):
        logger.info("login for user %s", user.id)
    ```

    ## Notes
    Ids, counts, lengths and flags are not reported (`user.id`, `len(email)`,
    `email_count`, `has_phone`, `email_template_name`), nor values passed through a
    masking or hashing helper (`mask_email(...)`, `redact(...)`, `hash_*`, `hashlib`),
    truncations (`token[:6]`), a card's brand or last four digits, or words that only
    appear in the message text ("password reset email sent"). `print()` in command-line
    scripts, tests and files that parse arguments is not a log call.

    ## Options
    * `masking-helpers`: glob patterns of function names whose result is safe to log.
    * `sensitive-names`: more names of sensitive values, added to the vocabulary.
    """

    id = "LOG001"
    name = "sensitive-value-logged"
    summary = "log call carries personal data or a secret"
    checklist = CHECKLIST
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    cwe = CWE
    kinds = KINDS
    # A value is judged by a name, key or label from this vocabulary, so a file holding
    # none of these words cannot be flagged (a name added with `sensitive-names` is
    # looked for in files that hold at least one of them).
    triggers = (
        "email",
        "passw",
        "pwd",
        "passphrase",
        "secret",
        "token",
        "api_key",
        "secret_key",
        "private_key",
        "access_key",
        "signing_key",
        "encryption_key",
        "master_key",
        "apikey",
        "privatekey",
        "secretkey",
        "accesskey",
        "credential",
        "creds",
        "cookie",
        "sessionid",
        "session_key",
        "session_token",
        "sessiontoken",
        "authorization",
        "auth_header",
        "bearer",
        "jwt",
        "otp",
        "mfa",
        "verification",
        "ssn",
        "social_security",
        "national_id",
        "nationalid",
        "tax_id",
        "taxpayer",
        "passport",
        "nino",
        "license_n",
        "licence",
        "phone",
        "mobile",
        "msisdn",
        "dob",
        "birth",
        "address",
        "street",
        "card_",
        "card.",
        "cardnumber",
        "creditcard",
        "credit_card",
        "cvv",
        "cvc",
        "security_code",
        "iban",
        "account_n",
        "accountn",
        "bank_account",
        "routing",
        "sort_code",
    )
    triggers_ignore_case = True
    references = (
        "https://cwe.mitre.org/data/definitions/532.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude",
    )

    def judge(self, analyzer: Analyzer, leaf: Leaf, call: Call) -> str | None:
        return analyzer.sensitive(leaf, call.function, call.span)

    def message(self, log: LogCall, found: list[tuple[str, str]]) -> str:
        parts = ", ".join(f"`{text}` ({kind})" for text, kind in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        verb = "binds" if log.kind == "bind" else "prints" if log.kind == "print" else "logs"
        return (
            f"{call_name(log)} {verb} {parts}{more}: log an id or a masked value instead "
            "(user.id, mask_email(...)), never the value itself"
        )
