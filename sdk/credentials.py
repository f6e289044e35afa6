"""Names and values that carry credentials: the vocabulary rules about secrets share.

:func:`is_credential_name` reads a variable or key name the way people write them
(``DB_PASSWORD``, ``stripeApiKey``, ``aws-secret-access-key``) and says whether it
names a credential, not something about one (``PASSWORD_FILE`` is a path,
``TOKEN_TTL`` a duration, ``SECRET_NAME`` the name of a Kubernetes Secret).
:func:`url_password` finds the password in a URL's user information
(``postgres://app:s3cret@db/shop``). :func:`is_secret_reference` recognises values that
point at a secret store rather than hold the secret (``vault:secret/data/db#password``,
``arn:aws:secretsmanager:...``).
"""

from __future__ import annotations

import re

from .model import Span

__all__ = [
    "is_credential_name",
    "is_secret_reference",
    "is_trivial_secret_value",
    "name_words",
    "url_password",
    "url_password_span",
]

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|\b|_)|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

# Words that make a name a credential wherever they stand
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "passphrase",
        "secret",
        "secrets",
        "token",
        "apikey",
        "credential",
        "credentials",
        "creds",
        "privatekey",
        "pwd",
        "pass",
    }
)
# A last word that names a key: a credential unless something says it is public
_KEY_WORDS = frozenset({"key", "keys"})
_NOT_SECRET_KEY = frozenset(
    {"public", "pub", "primary", "foreign", "partition", "sort", "cache", "routing", "idempotency", "object", "s3"}
)
# A last word that makes the name about a credential rather than the credential itself
_ABOUT_WORDS = frozenset(
    """file path dir directory name names id ids user username usr login email url uri endpoint host hostname
    port ttl expiry expires expiration lifetime timeout length len size count min max minimum maximum enabled
    enable disabled disable required type method algorithm alg header ref refs version mode prefix suffix field
    policy rotation location region provider service issuer audience scope scopes store backend format encoding
    arn mount namespace kind secretref configmap env var variable label annotation hint reset recovery
    strength complexity regex pattern history attempts retries lockout salt rounds iterations hash hashing cost
    generator generate validation validator checker check""".split()  # noqa: SIM905 - a word list reads better
)
_EXACT_NOT_SECRET = frozenset({"pwd", "oldpwd"})
# Word sequences ending a name that identify rather than authenticate (etcd's
# --initial-cluster-token only keeps two clusters' members apart)
_NOT_SECRET_ENDINGS = (("initial", "cluster", "token"),)

_SECRET_REFERENCE = re.compile(
    r"""^(?:
        vault:[^\s]+                                   # Bank-Vaults / vault-env
      | ref\+[a-z0-9]+://\S+                          # vals (ref+vault://, ref+awssecrets://...)
      | arn:aws[a-z-]*:(?:secretsmanager|ssm|kms):\S+ # AWS Secrets Manager / SSM parameter ARNs
      | (?:awssecrets|awsssm|gcpsecrets|sm|akv|azurekeyvault|op|doppler|infisical|bws)://\S+
      | projects/[^/\s]+/secrets/[^/\s]+(?:/versions/[^/\s]+)?   # Google Secret Manager
      | \{\{.*\}\}                                    # a template filled at deploy time
      | \$\([A-Za-z_][A-Za-z0-9_]*\)                  # Kubernetes $(VAR) from another variable
      | \$\{[^}]+\}                                   # shell or compose ${VAR}
      | \$[A-Za-z_][A-Za-z0-9_]*                      # $VAR
      | %\([A-Za-z_][A-Za-z0-9_.]*\)s
      | /run/secrets/\S+ | /var/run/secrets/\S+ | /etc/secrets?/\S+   # a mounted secret file
    )$""",
    re.VERBOSE,
)
_URL_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://(?P<user>[^:/@\s]*):(?P<password>[^@/\s]+)@", re.IGNORECASE)
_TRIVIAL = frozenset(
    {"", "true", "false", "yes", "no", "on", "off", "y", "n", "null", "none", "nil", "~", "enabled", "disabled"}
)


def name_words(name: str) -> list[str]:
    """The lower-case words of a name in any convention: ``DB_PASSWORD`` and
    ``dbPassword`` both give ``["db", "password"]``; ``APIKey`` gives ``["api", "key"]``."""
    words = []
    for part in re.split(r"[^A-Za-z0-9]+", name):
        words.extend(match.group(0).lower() for match in _WORDS.finditer(part))
    return words


def is_credential_name(name: str) -> bool:
    """``name`` names a credential itself (a password, token, secret, API or private key),
    not a fact about one (``PASSWORD_FILE``, ``TOKEN_TTL``, ``SECRET_NAME``, ``KEY_ID``)."""
    if name.lower() in _EXACT_NOT_SECRET:
        return False
    words = name_words(name)
    if not words:
        return False
    if any(tuple(words[-len(ending) :]) == ending for ending in _NOT_SECRET_ENDINGS):
        return False
    last = words[-1]
    if last in _ABOUT_WORDS:
        return False
    if last in _KEY_WORDS:
        before = words[-2] if len(words) > 1 else ""
        return before not in _NOT_SECRET_KEY and len(words) > 1
    return any(word in _SECRET_WORDS for word in words)


def url_password(value: str) -> str | None:
    """The password in a URL's user information (``redis://:s3cret@cache:6379``), or
    ``None``; a ``${VAR}`` or ``$(VAR)`` placeholder is not a password."""
    match = _URL_PASSWORD.match(value.strip())
    if match is None:
        return None
    password = match.group("password")
    if password.startswith(("$", "{{", "%(")) or password in ("*", "***", "xxx", "password"):
        return None
    return password


def url_password_span(value: str, value_span: Span) -> Span | None:
    """Where the password of :func:`url_password` sits, when ``value`` is written on one
    line at ``value_span`` exactly as it reads (no quotes, no escapes)."""
    match = _URL_PASSWORD.match(value)
    if match is None or value_span.end_line != value_span.line:
        return None
    start = value_span.column + match.start("password")
    return Span(value_span.line, start, value_span.line, start + len(match.group("password")))


def is_secret_reference(value: str) -> bool:
    """``value`` points at where a secret is kept rather than holding it: a secret store
    reference (Vault, AWS, Google, Azure, 1Password, Doppler), a mounted secret file, a
    variable or a template placeholder."""
    return bool(_SECRET_REFERENCE.match(value.strip()))


def is_trivial_secret_value(value: object) -> bool:
    """A value that cannot be a credential: empty, a boolean or a yes/no word, a number."""
    if value is None or isinstance(value, (bool, int, float)):
        return True
    if not isinstance(value, str):
        return True
    text = value.strip()
    if text.lower() in _TRIVIAL:
        return True
    return bool(re.fullmatch(r"[0-9]+(?:\.[0-9]+)?[a-zA-Z]{0,2}", text))
