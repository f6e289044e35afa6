"""What the PII-logging family shares: recognising log calls (stdlib logging, structlog,
loguru, ``print`` in service code), breaking what they log into the values that reach
the output, and naming what a value is (an email, a token, a request body, a user)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from typing import ClassVar

from prodready_lint.sdk import (
    Attribute,
    BinOp,
    Call,
    CallResult,
    Const,
    Context,
    DataFlow,
    FileKind,
    FString,
    MappingValue,
    Name,
    Option,
    Origin,
    PythonFile,
    Rule,
    SequenceValue,
    Span,
    Subscript,
    Unknown,
    Value,
)

KINDS = frozenset({FileKind.PYTHON})
CWE = (532,)
CHECKLIST = ("pii-logging",)

LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg", "trace", "success"}
)
BIND_METHODS = frozenset({"bind", "new", "bind_contextvars", "contextualize"})
_LOGGER_FACTORIES = (
    "logging.getLogger",
    "logging.Logger",
    "logging.LoggerAdapter",
    "logging.root",
    "structlog.get_logger",
    "structlog.getLogger",
    "structlog.stdlib.get_logger",
    "structlog.wrap_logger",
    "structlog.stdlib.BoundLogger",
    "structlog.BoundLogger",
    "loguru.logger",
    "celery.utils.log.get_task_logger",
)
_LOGGER_MODULES = ("logging.", "structlog.", "loguru.")
_LOGGER_NAME = re.compile(r"(?:^|_)(?:log|logger|logging|audit_?log|log_?ger)$", re.IGNORECASE)
_STDLIB_KEYWORDS = frozenset({"exc_info", "stack_info", "stacklevel", "extra"})
_CLI_IMPORT = re.compile(r"^\s*(?:import|from)\s+(?:argparse|click|typer|fire|docopt|optparse)\b", re.MULTILINE)
_MAIN_BLOCK = re.compile(r"if\s+__name__\s*==\s*['\"]__main__['\"]")
_LOG_CALL_TEXT = re.compile(
    r"\.(?:debug|info|warning|warn|error|exception|critical|fatal|log|msg|trace|success|bind|new|contextualize)\("
)
_CLI_PATH = re.compile(
    r"(?:^|/)(?:scripts?|bin|tools|cli|commands|management|examples?|docs|tests?|testing|benchmarks?)/"
    r"|(?:^|/)(?:manage|setup|cli|__main__|conftest|noxfile|fabfile|tasks)\.py$|(?:^|/)test_[^/]*\.py$|_test\.py$"
)

DEFAULT_MASKING = (
    "mask*",
    "*_mask",
    "redact*",
    "hash*",
    "anonymi*",
    "pseudonymi*",
    "obfuscate*",
    "scrub*",
    "censor*",
    "truncate*",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "hexdigest",
    "digest",
    "last4",
    "last_four",
    "partial*",
)


def _split(identifier: str) -> list[str]:
    """``userEmailAddress`` / ``user_email_address`` / ``USER-EMAIL`` -> words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", identifier)
    return [word for word in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if word]


def _phrases(*texts: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(text.split()) for text in texts)


# What a name means when it ends with one of these phrases.
SENSITIVE = {
    "an email address": _phrases("email", "emails", "email address", "e mail", "emailaddress", "email addr"),
    "a password": _phrases(
        "password",
        "passwords",
        "passwd",
        "pwd",
        "passphrase",
        "password hash",
        "pw hash",
        "hashed password",
        "password digest",
        "new password",
        "old password",
    ),
    "a secret": _phrases(
        "secret",
        "client secret",
        "secret key",
        "api key",
        "apikey",
        "access key",
        "private key",
        "signing key",
        "encryption key",
        "secret access key",
        "master key",
        "webhook secret",
        "credentials",
        "credential",
        "creds",
    ),
    "an auth token": _phrases(
        "token",
        "access token",
        "refresh token",
        "id token",
        "auth token",
        "bearer token",
        "api token",
        "session token",
        "csrf token",
        "reset token",
        "jwt",
        "bearer",
        "otp",
        "totp",
        "mfa code",
        "verification code",
        "one time password",
    ),
    "a session cookie": _phrases("sessionid", "session key", "cookie", "cookies", "session cookie"),
    "an Authorization header": _phrases("authorization", "auth header", "authorization header", "x api key"),
    "a national id": _phrases(
        "ssn",
        "social security number",
        "national id",
        "national id number",
        "tax id",
        "taxpayer id",
        "passport number",
        "passport",
        "nino",
        "drivers license",
        "driver license number",
    ),
    "a phone number": _phrases(
        "phone", "phone number", "phonenumber", "mobile", "mobile number", "msisdn", "telephone", "phone no"
    ),
    "a date of birth": _phrases("dob", "date of birth", "birth date", "birthdate", "birthday"),
    "a postal address": _phrases(
        "address",
        "street",
        "street address",
        "postal address",
        "home address",
        "shipping address",
        "billing address",
        "mailing address",
        "address line1",
        "address line 1",
        "address1",
    ),
    "a card number": _phrases(
        "card number", "cardnumber", "credit card", "creditcard", "cc number", "ccnum", "pan", "card no"
    ),
    "a card security code": _phrases("cvv", "cvc", "cvv2", "security code", "card cvv", "card cvc"),
    "a bank account number": _phrases("iban", "account number", "bank account", "routing number", "sort code"),
}
_LONGEST = max(len(p) for phrases in SENSITIVE.values() for p in phrases)
# A name ending with one of these is about the thing, not the thing (email_count, token_type).
SAFE_LAST = frozenset(
    {
        "count",
        "counts",
        "len",
        "length",
        "size",
        "total",
        "num",
        "id",
        "ids",
        "pk",
        "uuid",
        "template",
        "templates",
        "name",
        "names",
        "type",
        "types",
        "kind",
        "enabled",
        "disabled",
        "verified",
        "confirmed",
        "sent",
        "exists",
        "field",
        "fields",
        "column",
        "at",
        "on",
        "domain",
        "provider",
        "brand",
        "last4",
        "last",
        "four",
        "hint",
        "masked",
        "redacted",
        "hashed",
        "expiry",
        "expires",
        "expiration",
        "ttl",
        "age",
        "policy",
        "regex",
        "pattern",
        "status",
        "changed",
        "updated",
        "required",
        "valid",
        "invalid",
        "prefix",
        "suffix",
        "header",
        "format",
        "version",
        "label",
        "url",
        "path",
        "file",
        "arn",
        "ref",
        "scope",
        "scopes",
        "backend",
        "service",
        "strength",
        "error",
        "errors",
        "reason",
        "flag",
        "mode",
        "level",
        "index",
        "idx",
        "key",
    }
)
SAFE_FIRST = frozenset(
    {
        "is",
        "has",
        "have",
        "should",
        "can",
        "needs",
        "need",
        "was",
        "did",
        "allow",
        "allowed",
        "require",
        "requires",
        "use",
        "uses",
        "num",
        "max",
        "min",
        "n",
        "masked",
        "redacted",
        "obscure",
        "obscured",
        "hidden",
        "censored",
        "obfuscated",
        "anonymized",
        "truncated",
        "partial",
        "scrubbed",
        "sanitized",
        "safe",
        "no",
        "invalid",
    }
)
# Qualifiers that make a word something else (an IP address, a page token, a mobile app).
NOT_SENSITIVE_AFTER = {
    "address": frozenset(
        {
            "ip",
            "remote",
            "mac",
            "server",
            "bind",
            "host",
            "listen",
            "local",
            "peer",
            "client",
            "socket",
            "memory",
            "base",
            "node",
            "proxy",
            "network",
            "net",
            "broker",
            "smtp",
            "wallet",
            "contract",
            "return",
            "web",
            "from",
            "sender",
            "reply",
            "ipv4",
            "ipv6",
            "mail",
            "email",
            "bitcoin",
            "eth",
            "source",
            "destination",
            "dest",
            "target",
            "start",
            "end",
            "virtual",
        }
    ),
    "token": frozenset(
        {"page", "next", "continuation", "pagination", "cursor", "sync", "cancellation", "cancel", "lexer", "parse"}
    ),
    "mobile": frozenset({"is"}),
    "street": frozenset({"wall"}),
    "pan": frozenset({"time", "life", "camera"}),
}
SAFE_WORDS = frozenset({"key", "keys"})
# Subscript keys and dict keys holding whole-object dumps.
USER_WORDS = frozenset(
    {
        "user",
        "users",
        "customer",
        "customers",
        "member",
        "patient",
        "patients",
        "person",
        "people",
        "profile",
        "employee",
        "applicant",
        "subscriber",
        "cardholder",
        "account_holder",
        "current_user",
        "buyer",
        "payer",
        "guest",
        "student",
        "client_info",
        "user_info",
        "userinfo",
        "user_data",
        "customer_data",
        "user_obj",
        "user_object",
        "user_profile",
        "contact",
    }
)
_DUMP_METHODS = frozenset({"model_dump", "dict", "to_dict", "as_dict", "todict", "to_json", "json", "serialize"})
_DUMP_FUNCTIONS = frozenset(
    {
        "builtins.vars",
        "dataclasses.asdict",
        "attrs.asdict",
        "attr.asdict",
        "django.forms.models.model_to_dict",
        "jsonable_encoder",
    }
)
_BODY_ATTRS = frozenset(
    {"json", "data", "form", "body", "headers", "values", "POST", "META", "stream", "content", "text", "raw_body"}
)
_BODY_METHODS = frozenset({"get_json", "json", "body", "get_data", "form", "text", "read", "data"})
_REQUEST_NAMES = frozenset({"request", "req", "self.request", "flask.request", "http_request", "incoming"})
_PASS_THROUGH = frozenset(
    {
        "builtins.str",
        "builtins.repr",
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.format",
        "json.dumps",
        "json.loads",
        "pprint.pformat",
        "builtins.sorted",
    }
)
_PASS_METHODS = frozenset({"strip", "lower", "upper", "encode", "decode", "format", "items", "copy", "join"})
_NEVER_DATA = frozenset(
    {
        "builtins.len",
        "builtins.bool",
        "builtins.int",
        "builtins.float",
        "builtins.type",
        "builtins.id",
        "builtins.isinstance",
        "builtins.hasattr",
        "builtins.sum",
        "builtins.any",
        "builtins.all",
    }
)
_NEVER_DATA_METHODS = frozenset(
    {"count", "keys", "exists", "startswith", "endswith", "isdigit", "total_seconds", "is_valid", "check_password"}
)


def words_of(identifier: str) -> list[str]:
    return _split(identifier)


def sensitive_kind(identifier: str, extra: frozenset[tuple[str, ...]] = frozenset()) -> str | None:
    """What a name says its value is (``"an email address"``), or ``None`` when it is
    not sensitive: ids, counts, flags and names about a value (``email_count``,
    ``has_phone``, ``token_type``, ``card_last4``) are not."""
    words = _split(identifier)
    if not words:
        return None
    if len(words) == 1 and words[0] in SAFE_WORDS:
        return None
    for size in range(min(_LONGEST, len(words)), 0, -1):
        tail = tuple(words[-size:])
        for kind, phrases in SENSITIVE.items():
            if tail in phrases:
                before = words[-size - 1] if len(words) > size else None
                if size == 1 and before is not None and before in NOT_SENSITIVE_AFTER.get(tail[0], ()):
                    return None
                if words[0] in SAFE_FIRST and len(words) > size:
                    return None
                return kind
        if tail in extra:
            return "sensitive data"
    return None


def explicitly_safe(identifier: str) -> bool:
    """A name about a value rather than the value: a count, an id, a flag, a type."""
    words = _split(identifier)
    return bool(words) and (words[-1] in SAFE_LAST or words[0] in SAFE_FIRST)


def user_model(name: str) -> bool:
    """Whether a table or model name is about people: ``users``, ``auth_user``,
    ``Customer``, ``CustomerProfile``, ``AUTH_USER_MODEL`` (not ``UserGroup``)."""
    words = _split(name)
    while len(words) > 1 and words[-1] in _MODEL_SUFFIXES:
        words.pop()
    if not words:
        return False
    last = words[-1]
    singular = last[:-1] if last.endswith("s") else last
    return last in USER_WORDS or singular in USER_WORDS or singular in _PEOPLE_TABLES or "_".join(words) in USER_WORDS


# Words after a class's subject that name its role, not its subject (UserCreate, CustomerOut).
_MODEL_SUFFIXES = frozenset(
    {
        "model",
        "table",
        "tbl",
        "create",
        "update",
        "in",
        "out",
        "schema",
        "base",
        "request",
        "payload",
        "dto",
        "read",
        "public",
        "input",
        "record",
        "row",
        "entity",
        "serializer",
        "detail",
        "details",
    }
)
_PEOPLE_TABLES = frozenset({"account", "employee", "member", "contact", "subscriber", "applicant", "patient"})


def personal_record(
    table: str, columns: tuple[str, ...] | None, extra: frozenset = frozenset(), *, selected: bool = True
) -> bool:
    """Whether a row or instance of ``table`` holds personal data. With ``selected``
    (the columns a query lists), one of them must be sensitive; otherwise (a model's or
    class's fields) a user-like name or one sensitive field is enough; with no columns
    known, the name decides."""
    sensitive = columns is not None and any(sensitive_kind(column, extra) for column in columns if column)
    if columns is not None and selected:
        return sensitive
    return sensitive or user_model(table)


def user_word(identifier: str) -> bool:
    """Whether a name is a user-like object (``user``, ``customer``, ``current_user``,
    ``new_user``, ``db_customer``, ``team_members``; not ``num_users``, ``max_users``)."""
    lowered = identifier.lower()
    if lowered in USER_WORDS:
        return True
    words = _split(identifier)
    if len(words) > 1 and words[-1] in _FRAME_SUFFIXES:
        rest = "_".join(words[:-1])  # customers_df: a frame of customers
        return user_word(rest) or (rest.endswith("s") and user_word(rest[:-1]))
    if "_".join(words) in USER_WORDS:
        return True
    if identifier.isupper() or len(words) < 2 or words[-1] not in _PERSON_LAST:
        return False  # DB_USER: a setting, a string
    return words[0] not in SAFE_FIRST and words[-2] not in _ACCOUNT_QUALIFIERS


# Suffixes of a name that holds a record of its subject (customers_df, patient_row, user_dict).
_FRAME_SUFFIXES = frozenset({"df", "frame", "dataframe", "row", "rows", "record", "records", "obj", "dict"})
# Qualifiers that make `*_user` a system account's name, a string (`remote_user` is the
# REMOTE_USER header, `smtp_user` a login).
_ACCOUNT_QUALIFIERS = frozenset(
    {
        "remote",
        "smtp",
        "mail",
        "imap",
        "ssh",
        "sudo",
        "os",
        "system",
        "service",
        "git",
        "ftp",
        "sftp",
        "proxy",
        "redis",
        "postgres",
        "pg",
        "mysql",
        "ldap",
        "unix",
        "linux",
        "windows",
        "as",
        "basic",
        "bind",
        "broker",
        "amqp",
        "rabbitmq",
        "kafka",
        "docker",
        "registry",
    }
)


# Last words that make a compound name a person (`new_user`, `db_customer`).
_PERSON_LAST = frozenset(
    {
        "user",
        "users",
        "customer",
        "customers",
        "member",
        "members",
        "patient",
        "patients",
        "employee",
        "employees",
        "subscriber",
        "subscribers",
        "applicant",
        "applicants",
        "cardholder",
        "buyer",
        "payer",
    }
)


# -- log calls ---------------------------------------------------------------------------
class LogCall:
    """A call that writes a log record (or prints), with the values it logs.

    ``values`` pairs each logged value with the name it is logged under (a keyword, an
    ``extra`` key, the label before a placeholder) or ``None``.
    """

    __slots__ = ("call", "kind", "values")

    def __init__(self, call: Call, kind: str, values: list[tuple[Value, str | None]]) -> None:
        self.call = call
        self.kind = kind  # "log", "bind" or "print"
        self.values = values


def _is_logger(origin: Origin | None, callee: str, qualnames: tuple[str, ...]) -> bool:
    depth = 0
    current = origin
    while current is not None and depth < 6:
        for name in current.qualnames:
            if name.startswith(_LOGGER_FACTORIES) or name.startswith(_LOGGER_MODULES):
                return True
        if current.method not in BIND_METHODS and current.method not in ("getChild", "opt", "patch", None):
            break
        current = current.receiver
        depth += 1
    for name in qualnames:
        if name.startswith(_LOGGER_MODULES) or name.startswith("loguru.logger"):
            return True
    base = callee.rsplit(".", 1)[0] if "." in callee else ""
    last = base.rsplit(".", 1)[-1]
    return bool(last) and bool(_LOGGER_NAME.search(last))


def cli_file(file: PythonFile) -> bool:
    """A command-line script or a test, where ``print`` is the interface, not logging:
    by its path, an argument-parsing import, or an ``if __name__ == "__main__"`` block."""
    if _CLI_PATH.search(file.path):
        return True
    text = file.text
    if _CLI_IMPORT.search(text):
        return True
    return "__name__" in text and _MAIN_BLOCK.search(text) is not None


def may_log(file: PythonFile) -> bool:
    """A cheap test on the text, before any fact is computed: whether the file has
    something that looks like a log call, or a ``print`` outside a script."""
    text = file.text
    if _LOG_CALL_TEXT.search(text):
        return True
    return "print(" in text and not cli_file(file)


def log_calls(file: PythonFile) -> Iterator[LogCall]:
    """Every log call of the file, with what it logs (cached per file)."""
    cached = file.__dict__.get("_pii_log_calls")
    if cached is None:
        cached = file.__dict__["_pii_log_calls"] = list(_log_calls(file))
    return iter(cached)


def _log_calls(file: PythonFile) -> Iterator[LogCall]:
    printing: bool | None = None
    for call in file.calls:
        method = call.method
        if method in LOG_METHODS:
            if (
                any(name.startswith("logging.") for name in call.qualnames) and call.callee.count(".") == 1
            ) or _is_logger(call.receiver, call.callee, call.qualnames):
                yield LogCall(call, "log", _logged(call, skip=1 if method == "log" else 0))
        elif method in BIND_METHODS and _is_logger(call.receiver, call.callee, call.qualnames):
            yield LogCall(call, "bind", [(value, key) for key, value in call.keywords])
        elif call.qualname == "builtins.print":
            if printing is None:
                printing = not cli_file(file)
            if printing and call.keyword("file") is None:
                yield LogCall(call, "print", [(arg, None) for arg in call.args])


def _logged(call: Call, skip: int) -> list[tuple[Value, str | None]]:
    args = call.args[skip:]
    out: list[tuple[Value, str | None]] = []
    if not args:
        pass
    else:
        message, rest = args[0], args[1:]
        labels = _percent_labels(message) if rest else []
        out.append((message, None))
        for index, arg in enumerate(rest):
            out.append((arg, labels[index] if index < len(labels) else None))
    for key, value in (*call.keywords, *(call.unpacked_keywords or ())):
        if key == "extra":
            out.extend(_mapping_items(value))
        elif key not in _STDLIB_KEYWORDS:
            out.append((value, key))
    return out


def _mapping_items(value: Value) -> list[tuple[Value, str | None]]:
    if isinstance(value, MappingValue):
        return [
            (item, key.value if isinstance(key, Const) and isinstance(key.value, str) else None)
            for key, item in zip(value.keys, value.values)
        ]
    return [(value, None)]


_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\*|\d+)?(?:\.\d+)?[a-zA-Z%]|\{[^{}]*\}")
_LABEL = re.compile(r"([A-Za-z][A-Za-z0-9_ -]{0,40}?)\s*[:=]\s*['\"(\[<]?$")


def label_before(text: str) -> str | None:
    """The name a template gives the value after ``text`` (``"email=%s"``, ``"password: "``)."""
    match = _LABEL.search(text[-48:])
    if not match:
        return None
    label = match.group(1).strip()
    return label.split()[-1] if label else None


def _percent_labels(message: Value) -> list[str | None]:
    if not (isinstance(message, Const) and isinstance(message.value, str)):
        return []
    text = message.value
    labels: list[str | None] = []
    start = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.group(0) == "%%":
            continue
        labels.append(label_before(text[start : match.start()]))
        start = match.end()
    return labels


# -- what reaches the output -------------------------------------------------------------
class Leaf:
    """A value that reaches a log record, under the name it is known by."""

    __slots__ = ("label", "text", "truncated", "value")

    def __init__(self, value: Value, text: str, label: str | None, truncated: bool = False) -> None:
        self.value = value
        self.text = text
        self.label = label
        self.truncated = truncated  # a slice of the value (token[:6]): a prefix, not the value


class Analyzer:
    """Judges what log calls carry, for one file and one rule's options."""

    def __init__(self, file: PythonFile, masking: tuple[str, ...], extra_names: tuple[str, ...]) -> None:
        self.file = file
        self.flow = DataFlow.of(file)
        self.masking = tuple(pattern.lower() for pattern in masking)
        self.extra = frozenset(tuple(_split(name)) for name in extra_names)

    def options(self, log: LogCall) -> Iterator[tuple[Value, str | None]]:
        """What the log call carries, with an argument written ``a if cond else b``
        replaced by its options."""
        branches: dict[int | str, tuple[Value, ...]] | None = None
        copies: dict[int | str, Value] | None = None
        call = log.call
        for value, label in log.values:
            if isinstance(value, Unknown) and value.kind == "comprehension":
                if copies is None:
                    copies = self.flow.comprehended(call)  # [dict(r) for r in rows]: the rows
                key = label if label is not None and call.keyword(label) is value else None
                if key is None:
                    key = next((i for i, arg in enumerate(call.args) if arg is value), None)
                copied = copies.get(key) if key is not None else None
                if copied is not None:
                    yield copied, label
                continue
            if isinstance(value, Unknown) and value.kind == "alternatives":
                if branches is None:
                    branches = self.flow.argument_alternatives(call)
                key = label if label is not None and call.keyword(label) is value else None
                if key is None:
                    key = next((i for i, arg in enumerate(call.args) if arg is value), None)
                for option in branches.get(key, ()) if key is not None else ():
                    yield option, label
                continue
            yield value, label
        if log.kind == "log" and call.star_kwargs and call.unpacked_keywords is None:
            for mapping in self.flow.spread_mappings(call):  # log.info("event", **payload)
                yield mapping, None

    def masked(self, call: Call) -> bool:
        name = (call.callee or call.qualname or call.method or "").rsplit(".", 1)[-1].lower()
        if call.method in ("hexdigest", "digest") or any(n.startswith("hashlib.") for n in call.qualnames):
            return True
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.masking)

    def leaves(self, value: Value, label: str | None, function: str, at: Span, depth: int = 0) -> Iterator[Leaf]:
        """The values inside ``value`` that reach the output, each with its name."""
        if depth > 8:
            return
        if isinstance(value, Const):
            return
        if isinstance(value, FString):
            previous = ""
            for part in value.parts:
                if isinstance(part, Const):
                    previous = part.value if isinstance(part.value, str) else ""
                    continue
                yield from self.leaves(part, label_before(previous) or label, function, at, depth + 1)
                previous = ""
            return
        if isinstance(value, BinOp):
            if value.op == "%":
                labels = _percent_labels(value.left)
                right = value.right
                items = right.items if isinstance(right, SequenceValue) and right.kind == "tuple" else (right,)
                if isinstance(right, MappingValue):
                    for item, key in _mapping_items(right):
                        yield from self.leaves(item, key, function, at, depth + 1)
                else:
                    for index, item in enumerate(items):
                        yield from self.leaves(
                            item, labels[index] if index < len(labels) else label, function, at, depth + 1
                        )
                yield from self.leaves(value.left, label, function, at, depth + 1)
            elif value.op == "+":
                yield from self.leaves(value.left, label, function, at, depth + 1)
                yield from self.leaves(value.right, label, function, at, depth + 1)
            return
        if isinstance(value, SequenceValue):
            for item in value.items:
                yield from self.leaves(item, label, function, at, depth + 1)
            return
        if isinstance(value, MappingValue):
            for item, key in _mapping_items(value):
                yield from self.leaves(item, key, function, at, depth + 1)
            return
        if isinstance(value, CallResult):
            call = value.call
            if self.masked(call) or any(name in _NEVER_DATA for name in call.qualnames):
                return
            if call.method in _NEVER_DATA_METHODS:
                return
            if call.method == "format" and not call.qualnames:
                for arg in call.args:
                    yield from self.leaves(arg, label, function, at, depth + 1)
                for key, arg in call.keywords:
                    yield from self.leaves(arg, key, function, at, depth + 1)
                return
            if any(name in _PASS_THROUGH for name in call.qualnames):
                for arg in call.args[:1]:
                    yield from self.leaves(arg, label, function, at, depth + 1)
                return
            yield Leaf(value, _describe(value), label)
            return
        if isinstance(value, Subscript):
            if isinstance(value.key, Unknown) and value.key.kind == "slice":
                if isinstance(value.base, (Name, Attribute, CallResult)):  # token[:6], request.data[:2000]
                    yield Leaf(value.base, _describe(value), label, truncated=True)
                return
            yield Leaf(value, _describe(value), label)
            return
        if isinstance(value, Name):
            built = self._built_locally(value, function, at)
            if built is not None:  # msg = f"..."; extra = {...}: what they were built from
                for definition_value, where in built:
                    yield from self.leaves(definition_value, label, function, where, depth + 1)
                return
        if isinstance(value, (Name, Attribute)):
            yield Leaf(value, _describe(value), label)
            return
        # comparisons, boolean operations, lambdas...: never the data itself

    def _built_locally(self, value: Name, function: str, at: Span) -> list[tuple[Value, Span]] | None:
        """The strings and displays a name was assigned, when every assignment that
        reaches ``at`` is one (``None`` otherwise: the name itself is the value)."""
        shapes = (FString, BinOp, MappingValue, SequenceValue)
        if value.bound is not None:
            return [(value.bound, at)] if isinstance(value.bound, shapes) else None
        definitions = self.flow.reaching(value.id, function, at)
        if not definitions or any(d.op in ("param", "grow") or not isinstance(d.value, shapes) for d in definitions):
            return None
        return [(d.value, d.span) for d in definitions]

    # -- the judgements ------------------------------------------------------------------
    def sensitive(self, leaf: Leaf, function: str, at: Span) -> str | None:
        """What sensitive value ``leaf`` is, by its own name or key, else by the name it
        is logged under (a keyword, an ``extra`` key, a ``label=`` before it)."""
        value = leaf.value
        if leaf.truncated:
            return None  # a prefix of a token or an email is not the value
        if isinstance(value, CallResult) and ".cookies." in f"{value.call.callee}.":
            return "a session cookie"  # request.cookies.get(...): whatever the name
        own = self._own_name(value)
        if own in _EXCEPTION_NAMES:
            return None
        if own is not None:
            kind = sensitive_kind(own, self.extra)
            if kind == "an auth token" and own == "token" and _identifier_owner(value) not in (None, *_TOKEN_OWNERS):
                kind = None  # checkout.token, order.token: a public identifier of a record
            if kind is not None:
                return None if self._masked_name(value, function, at) else kind
            if explicitly_safe(own) and own not in _OPAQUE_NAMES:
                return self._minted_kind(value, function, at)
        if isinstance(value, Attribute) and value.dotted and value.dotted.count(".") >= 1:
            parts = value.dotted.split(".")
            combined = sensitive_kind(f"{parts[-2]}_{parts[-1]}", self.extra)  # card.number
            if combined in ("a card number", "a bank account number", "a card security code"):
                return combined
        if own in _RECORD_KEYS and isinstance(value, (Subscript, CallResult)):
            return _RECORD_KEYS[own]  # body["card"], payload.get("card")
        if isinstance(value, Name) and (own is None or not explicitly_safe(own) or own in _OPAQUE_NAMES):
            traced = self._traced(value, function, at)
            if traced is not None:
                return traced
            minted = self._minted_kind(value, function, at)
            if minted is not None:
                return minted
        if leaf.label is not None and not explicitly_safe(own or ""):
            return sensitive_kind(leaf.label, self.extra)
        return None

    def _traced(self, value: Name, function: str, at: Span) -> str | None:
        """What a local name holds when it was assigned a sensitive value under another
        name (``recipient = user.email``, ``auth = request.headers.get("Authorization")``)."""
        for source, names in self.flow.sources(value, function, at):
            if not names or isinstance(source, Name):
                continue
            if isinstance(source, CallResult) and self.masked(source.call):
                return None
            own = self._own_name(source)
            if own is None or own in _EXCEPTION_NAMES:
                continue
            if isinstance(source, CallResult) and ".cookies." in f"{source.call.callee}.":
                return "a session cookie"
            kind = sensitive_kind(own, self.extra)
            if kind == "an auth token" and own == "token" and _identifier_owner(source) not in (None, *_TOKEN_OWNERS):
                kind = None
            if kind is not None:
                return kind
            if own in _RECORD_KEYS and isinstance(source, (Subscript, CallResult)):
                return _RECORD_KEYS[own]
        return None

    def _minted_kind(self, value: Value, function: str, at: Span) -> str | None:
        if isinstance(value, Name) and set(_split(value.id)) & _MINTED_WORDS and self._minted(value, function, at):
            return "a secret just created"
        return None

    def _minted(self, value: Name, function: str, at: Span) -> bool:
        """Whether every assignment of ``value`` reaching ``at`` is the result (or an
        item unpacked from the result) of a call that creates a credential:
        ``token, raw_key = ApiToken.objects.create_token(...)``, ``key = generate_api_key()``."""
        definitions = self.flow.reaching(value.id, function, at)
        if not definitions:
            return False
        for definition in definitions:
            made = definition.value.call if isinstance(definition.value, CallResult) else None
            if made is None and isinstance(definition.value, Unknown) and definition.value.kind == "unpacking":
                made = self.flow.call_at(definition.span)
            if made is None or not _mints(made):
                return False
        return True

    @staticmethod
    def _own_name(value: Value) -> str | None:
        """The name a value carries: a variable, an attribute, a constant key read with
        ``[...]``/``.get()``/``os.getenv()``."""
        if isinstance(value, (Name, Attribute)):
            return _identifier(value)
        if isinstance(value, Subscript):
            key = value.key
            return key.value if isinstance(key, Const) and isinstance(key.value, str) else None
        if isinstance(value, CallResult):
            call = value.call
            if call.method in ("get", "getlist", "pop", "get_secret_value") or _getenv(call):
                key = _const_arg(call)
                if key is not None:
                    return key
                if call.method == "get_secret_value":
                    return "secret"
            if call.method in _PASS_METHODS and call.callee and "." in call.callee:
                return call.callee.rsplit(".", 2)[-2]
        return None

    def _masked_name(self, value: Value, function: str, at: Span) -> bool:
        if not isinstance(value, Name):
            return False
        definitions = self.flow.reaching(value.id, function, at)
        values = [d.value for d in definitions if d.op != "param"]
        return (
            bool(values)
            and len(values) == len(definitions)
            and all(isinstance(v, CallResult) and self.masked(v.call) for v in values)
        )

    def request_body(self, leaf: Leaf, function: str, at: Span) -> str | None:
        """``request.json``, ``request.headers``... (or a local assigned from one), a
        body read with ``await request.json()``, or a route's body model and its dump."""
        for source, _ in self.flow.sources(leaf.value, function, at):
            found = _body(source)
            if found is not None:
                return found
        record = self.flow.record(leaf.value, function, at)
        if record is not None and record.kind == "request-body":
            return record.source
        return None

    def user_object(self, leaf: Leaf, function: str, at: Span) -> str | None:
        """A whole user-like object, or its ``__dict__``/``vars()``/``model_dump()``: by
        its name, or because it is a row or model instance read from a user-like table
        or with personal columns (a row whose columns are known and hold nothing
        personal is not one, whatever its name)."""
        value = leaf.value
        if isinstance(value, (Name, Attribute, CallResult, Subscript)):
            record = self.flow.record(value, function, at)
            if record is not None and record.kind != "request-body" and record.table is not None:
                selected = record.kind.startswith("row")
                if not personal_record(record.table, record.columns, self.extra, selected=selected):
                    return None
                what = {"row": "a row", "rows": "rows", "instance": "an instance", "instances": "instances"}
                return f"{what.get(record.kind, 'a record')} of `{record.table}` read by `{record.source}`"
        if isinstance(value, CallResult):
            call = value.call
            if any(name in _DUMP_FUNCTIONS for name in call.qualnames) or call.callee.rsplit(".", 1)[-1] in (
                "asdict",
                "model_to_dict",
                "jsonable_encoder",
            ):
                inner = call.args[0] if call.args else None
                if inner is not None and self._user_like(inner, function, at):
                    return f"{_describe(value)}"
                return None
            if call.method in _DUMP_METHODS and call.callee:
                owner = call.callee.rsplit(".", 1)[0]
                if user_word(owner.rsplit(".", 1)[-1]):
                    return _describe(value)
            frame = self.flow.frame_base(call)  # contacts_df.head(5).to_dict("records")
            name = frame.rsplit(".", 1)[-1] if frame is not None else ""
            if _split(name)[-1:] in (["df"], ["frame"], ["dataframe"]) and user_word(name):
                return f"{frame}.{call.method}()"
            return None
        if isinstance(value, Attribute) and value.attr == "__dict__" and value.dotted:
            owner = value.dotted.rsplit(".", 1)[0]
            if user_word(owner.rsplit(".", 1)[-1]):
                return _describe(value)
            return None
        if isinstance(value, (Name, Attribute)) and self._user_like(value, function, at):
            return _describe(value)
        return None

    def _user_like(self, value: Value, function: str, at: Span) -> bool:
        name = _identifier(value)
        if name is None or not user_word(name):
            return False
        if isinstance(value, Name):
            definitions = self.flow.reaching(value.id, function, at)
            for definition in definitions:
                if definition.op == "param":
                    func = self.flow.function(function)
                    param = next((p for p in func.parameters if p.name == value.id), None) if func else None
                    if param is not None and param.annotation is not None:
                        declared = param.annotation
                        text = declared.value if isinstance(declared, Const) else _identifier(declared)
                        annotation = text.rsplit(".", 1)[-1] if isinstance(text, str) else ""
                        if annotation in ("str", "int", "UUID", "uuid") or not annotation[:1].isupper():
                            return False
                elif isinstance(definition.value, (Const, FString, BinOp)):
                    return False
                elif isinstance(definition.value, (Attribute, Subscript)):
                    return False  # user = request.user is fine below; user = data["user"] is some field
                elif isinstance(definition.value, CallResult):
                    made = definition.value.call
                    # request.args.get("user"): a string; cache.get(customer_id): a record looked up by id
                    keyed = not made.args or isinstance(made.args[0], (Const, FString))
                    mapping_read = made.method in ("getlist", "get_argument") or (
                        made.method in ("get", "pop") and keyed
                    )
                    orm = made.callee[:1].isupper() or ".objects." in made.callee or ".query." in made.callee
                    if mapping_read and not orm:
                        return False  # target_user = request.args.get("user"): a string
                    if made.method in _NEVER_DATA_METHODS or any(name in _NEVER_DATA for name in made.qualnames):
                        return False  # num = users.count()
                    if _getenv(made):
                        return False  # db_user = os.getenv("DB_USER"): a login name
        return True


# Keys that name a sensitive value when read from a body or a row, though the bare word
# is too common as a variable name (a `card` widget, a Trello card).
_RECORD_KEYS = {"card": "a card number", "card_details": "a card number", "payment_card": "a card number"}
_EXCEPTION_NAMES = frozenset({"e", "ex", "exc", "err", "error", "exception", "error_message", "msg", "message"})
_TOKEN_OWNERS = frozenset(
    {
        "self",
        "user",
        "auth",
        "session",
        "credentials",
        "creds",
        "oauth",
        "api",
        "client",
        "access",
        "refresh",
        "invite",
        "reset",
        "request",
        "response",
        "account",
        "jwt",
        "bearer",
        "login",
        "device",
        "integration",
        "settings",
        "config",
        "current_user",
        "member",
        "customer",
        "profile",
        "identity",
        "secrets",
        "verification",
        "password_reset",
    }
)


# Names that say nothing of their value (`header`, `key`): what was assigned to them decides.
_OPAQUE_NAMES = frozenset({"header", "key"})
# Words of a name that holds a credential when a creating call gave it (`raw_key`, `plain`).
_MINTED_WORDS = frozenset({"key", "raw", "plain", "plaintext", "cleartext", "unhashed", "full"})
_MINT_VERBS = frozenset({"create", "generate", "gen", "make", "new", "issue", "mint", "rotate", "regenerate", "reset"})
# Verbs whose call returns a new credential even when the method does not name it (ApiKey.generate()).
_MINT_ALONE = frozenset({"generate", "gen", "issue", "mint", "regenerate", "rotate"})
_CREDENTIAL_WORDS = frozenset(
    {"token", "tokens", "apikey", "secret", "secrets", "password", "passphrase", "credential", "credentials"}
)
# A `key` is a credential only next to one of these (an API key, a signing key; not a cache key).
_KEY_QUALIFIERS = frozenset(
    {"api", "access", "secret", "signing", "private", "auth", "client", "encryption", "fernet", "hmac", "ssh", "rsa"}
)


def _credential(words: list[str]) -> bool:
    if set(words) & _CREDENTIAL_WORDS:
        return True
    return bool({"key", "keys"} & set(words)) and bool(set(words) & _KEY_QUALIFIERS)


def _mints(call: Call) -> bool:
    """A call that creates a credential and returns it: ``ApiToken.objects.create_token(...)``,
    ``generate_api_key()``, ``ApiKey.generate()``, ``Fernet.generate_key()``,
    ``secrets.token_urlsafe()``; not ``ApiKey.objects.create(...)`` (a model instance) nor
    ``cache.make_key(...)``."""
    if any(name.startswith("secrets.token_") for name in call.qualnames):
        return True
    callee = call.callee or call.qualname or ""
    method = _split(callee.rsplit(".", 1)[-1])
    if not method or method[0] not in _MINT_VERBS:
        return False
    if _credential(method):
        return True
    words = [word for part in callee.split(".") for word in _split(part)]
    return method[0] in _MINT_ALONE and _credential(words)


def _identifier_owner(value: Value) -> str | None:
    """The last word of the object an attribute is read from (``checkout`` for
    ``checkout_info.checkout.token``), ``None`` for a plain name."""
    if isinstance(value, Attribute) and value.dotted and "." in value.dotted:
        owner = value.dotted.rsplit(".", 2)[-2]
        words = _split(owner)
        return "_".join(words) if "_".join(words) in _TOKEN_OWNERS else (words[-1] if words else owner)
    return None


def _identifier(value: Value) -> str | None:
    if isinstance(value, Name):
        return value.id
    if isinstance(value, Attribute):
        return value.attr
    return None


def _const_arg(call: Call) -> str | None:
    if call.args and isinstance(call.args[0], Const) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _getenv(call: Call) -> bool:
    return any(name in ("os.getenv", "os.environ.get") for name in call.qualnames)


def _body(value: Value) -> str | None:
    if isinstance(value, Attribute) and value.dotted and value.attr in _BODY_ATTRS:
        base = value.dotted.rsplit(".", 1)[0]
        if base in _REQUEST_NAMES or base.endswith(".request") or "flask.request" in value.qualnames[:1]:
            if value.attr in ("content", "text", "stream") and base != "request":
                return None
            return value.dotted
        if any(name.startswith(("flask.request.", "quart.request.")) for name in value.qualnames):
            return value.dotted
    if isinstance(value, CallResult):
        call = value.call
        if call.method in _BODY_METHODS and call.callee:
            base = call.callee.rsplit(".", 1)[0]
            if base in _REQUEST_NAMES or base.endswith(".request"):
                return f"{call.callee}()"
        if any(name in _PASS_THROUGH for name in call.qualnames) and call.args:
            return _body(call.args[0])
        if call.method in ("items", "copy", "to_dict", "dict", "lists", "urlencode", "decode") and call.callee:
            base = call.callee.rsplit(".", 1)[0]
            inner = Attribute(base, base.rsplit(".", 1)[-1])
            return _body(inner)
    return None


def _describe(value: Value) -> str:
    if isinstance(value, Name):
        return value.id
    if isinstance(value, Attribute):
        return value.dotted or f"(...).{value.attr}"
    if isinstance(value, CallResult):
        call = value.call
        name = call.callee or call.qualname or (f"(...).{call.method}" if call.method else "call")
        key = _const_arg(call)
        return f"{name}({key!r})" if key is not None and call.method in ("get", "getlist", "pop") else f"{name}()"
    if isinstance(value, Subscript):
        key = value.key
        index = repr(key.value) if isinstance(key, Const) else "..."
        return f"{_describe(value.base)}[{index}]"
    return "a value"


class LogRule(Rule):
    """Base of the family's rules (not a rule itself): walks every log call's values and
    asks :meth:`judge` about each; one finding per call."""

    options = (
        Option(
            "masking-helpers",
            "list[str]",
            list(DEFAULT_MASKING),
            "Function names (glob patterns, lower case) whose result is masked or hashed and safe to log.",
        ),
        Option(
            "sensitive-names",
            "list[str]",
            [],
            "More names of sensitive values (snake_case or camelCase), added to the built-in vocabulary.",
        ),
    )
    what: ClassVar[str] = ""

    def check(self, file: PythonFile, ctx: Context) -> None:
        if not may_log(file):
            return
        analyzer: Analyzer | None = None
        for log in log_calls(file):
            if analyzer is None:
                analyzer = Analyzer(file, self.settings["masking-helpers"], self.settings["sensitive-names"])
            call = log.call
            found: list[tuple[str, str]] = []
            for value, label in analyzer.options(log):
                for leaf in analyzer.leaves(value, label, call.function, call.span):
                    kind = self.judge(analyzer, leaf, call)
                    if kind is not None and (leaf.text, kind) not in found:
                        found.append((leaf.text, kind))
            if found:
                ctx.report(call, self.message(log, found))

    def judge(self, analyzer: Analyzer, leaf: Leaf, call: Call) -> str | None:
        raise NotImplementedError

    def message(self, log: LogCall, found: list[tuple[str, str]]) -> str:
        raise NotImplementedError


def call_name(log: LogCall) -> str:
    call = log.call
    return f"{call.callee or call.qualname or call.method}()"
