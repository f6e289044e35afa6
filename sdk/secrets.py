"""Judging hardcoded credentials: names, values, vendor tokens and connection URLs.

Rules that look for secrets, and the rules about how credentials are delivered, ask the
same questions of every file kind, so they are answered here once:

* :func:`credential_kind` - is a name (a variable, key, keyword, environment variable)
  one that holds a credential? ``DB_PASSWORD`` and ``stripeApiKey`` do;
  ``PASSWORD_FIELD``, ``password_reset_url``, ``TOKEN_HEADER`` and ``publishable_key``
  do not.
* :func:`looks_like_secret` - is a literal bound to such a name a real value? Empty
  strings, templates (``${VAR}``, ``{{ .Values.x }}``, ``%(var)s``, ``$(VAR)``),
  placeholders (``<your-api-key>``, ``xxxx``, ``dummy``, ``example``), names of other
  settings, paths and URLs are not.
* :func:`find_tokens` - vendor tokens anywhere in a string, whatever it is bound to:
  detect-secrets' own plugins (AWS, GitHub, GitLab, Slack, Stripe, Twilio, SendGrid,
  private keys, JWTs, ...) run on candidate strings only, never whole files, behind a
  cheap prefilter; :func:`url_passwords` finds the password of a connection URL
  (``postgresql://app:pw@db/app``, ``redis://:pw@cache``).
* :func:`is_credential_name`, :func:`is_secret_reference`,
  :func:`is_trivial_secret_value`, :func:`url_password` - the delivery rules' reading
  of an environment variable: whether ``PASSWORD_FILE`` or ``DB_PASSWORD`` names the
  credential itself, whether ``vault:secret/...`` or ``/run/secrets/db`` points at a
  store.
* :func:`is_leaked_literal`, :func:`is_delivered_password` - which rule reports a
  literal, so that each is reported once.

detect-secrets is used only through :func:`find_tokens` and :func:`entropy`: its plugins
are built once per process, only their ``analyze_string`` is called (never ``verify``,
so nothing goes to the network) and its process-global settings are never touched.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import attrs

from .model import Span

__all__ = [
    "AWS_CLOUDFORMATION_PASSWORDS",
    "AWS_TERRAFORM_PASSWORDS",
    "MAX_CANDIDATE",
    "TOKEN_NEEDLES",
    "TokenMatch",
    "UrlPassword",
    "authorization_credential",
    "collection_credential_kind",
    "credential_kind",
    "dsn_passwords",
    "embedded_json",
    "entropy",
    "find_tokens",
    "has_token_prefix",
    "is_credential_name",
    "is_delivered_password",
    "is_example_path",
    "is_leaked_literal",
    "is_placeholder",
    "is_secret_reference",
    "is_test_path",
    "is_trivial_secret_value",
    "json_leaves",
    "looks_like_secret",
    "name_words",
    "reference_default",
    "sibling_name",
    "token_offsets",
    "url_password",
    "url_password_span",
    "url_passwords",
]

MAX_CANDIDATE = 4096
"""Longer strings are never given whole to detect-secrets: only a bounded window around
each prefilter hit is (one 982-character line once cost one of its filters 1.6 s)."""

# Cheap literal prefixes of the token formats the plugins know: a string none of them
# occurs in is never shown to detect-secrets.
# needle -> (family, the pattern that must match where the needle is found). A string
# holding none of the needles is never shown to detect-secrets, and a hit only to the
# plugins of its family. Plain substring search: a regular expression alternation costs
# seconds on a 5 MB line.
_NEEDLES: dict[str, tuple[str, re.Pattern[str]]] = {
    **{p: ("aws", re.compile(p + r"[0-9A-Z]{16}")) for p in ("AKIA", "ASIA", "ABIA", "ACCA", "A3T")},
    **{p: ("github", re.compile(p + r"[A-Za-z0-9_]{30}")) for p in ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")},
    "github_pat_": ("github", re.compile("github_pat_")),
    **{p: ("gitlab", re.compile(re.escape(p))) for p in ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "glcbt-")},
    "GR1348941": ("gitlab", re.compile("GR1348941")),
    "xox": ("slack", re.compile(r"xox[abposr]-")),
    "hooks.slack.com/services/": ("slack", re.compile(r"hooks\.slack\.com/services/")),
    "k_live_": ("stripe", re.compile(r"k_live_")),
    "SG.": ("sendgrid", re.compile(r"SG\.[A-Za-z0-9_-]{20}")),
    "sq0csp-": ("square", re.compile("sq0csp-")),
    "eyJ": ("jwt", re.compile(r"eyJ[A-Za-z0-9_-]{8}")),
    "PRIVATE KEY-----": ("private", re.compile("PRIVATE KEY-----")),
    "pypi-Ag": ("pypi", re.compile("pypi-Ag")),
    "T3BlbkFJ": ("openai", re.compile("T3BlbkFJ")),
    "AccountKey=": ("azure", re.compile("AccountKey=")),
    "AIza": ("google", re.compile(r"AIza[0-9A-Za-z_-]{30}")),
    "SK": ("twilio", re.compile(r"SK[0-9a-f]{32}")),
    "-us": ("mailchimp", re.compile(r"-us[0-9]")),
    "_authToken=": ("npm", re.compile("_authToken=")),
}
TOKEN_NEEDLES: tuple[str, ...] = tuple(_NEEDLES)
"""Substrings one of which every vendor token contains (a rule's ``triggers``)."""


def has_token_prefix(text: str) -> bool:
    """Whether ``text`` holds one of :data:`TOKEN_NEEDLES` followed by what its token
    format needs (``SK`` and 32 hex digits, not the ``SK`` of ``TASK``)."""
    return bool(token_offsets(text, limit=1))


def token_offsets(text: str, limit: int | None = None) -> list[int]:
    """Offsets of the possible vendor tokens in ``text`` (plain substring searches),
    at most ``limit`` (default :data:`MAX_HITS`), in order."""
    return [offset for offset, _ in _hits(text, limit)]


def _hits(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """(offset, family) of every needle occurrence whose pattern matches, at most
    ``limit`` (default :data:`MAX_HITS`), in order."""
    limit = MAX_HITS if limit is None else limit
    out: list[tuple[int, str]] = []
    for needle, (family, pattern) in _NEEDLES.items():
        at = text.find(needle)
        while at >= 0 and len(out) < limit:
            if pattern.match(text, at):
                out.append((at, family))
            at = text.find(needle, at + 1)
    out.sort()
    return out


_FAMILY = {
    "aws": ("AWS access key",),
    "github": ("GitHub token", "GitHub fine-grained token"),
    "gitlab": ("GitLab token",),
    "slack": ("Slack token",),
    "stripe": ("Stripe secret key",),
    "sendgrid": ("SendGrid API key",),
    "square": ("Square OAuth secret",),
    "jwt": ("JSON Web Token",),
    "pypi": ("PyPI token",),
    "openai": ("OpenAI API key",),
    "azure": ("Azure storage account key",),
    "google": ("Google API key",),
    "twilio": ("Twilio API key",),
    "mailchimp": ("Mailchimp API key",),
    "npm": ("npm token",),
}
MAX_HITS = 200
"""Prefilter hits examined per string; a string with more is machine-made (a bundle, a dump)."""

# Formats detect-secrets 1.5 does not know (fine-grained GitHub tokens, Google API keys).
_OWN_TOKENS = (
    ("GitHub fine-grained token", re.compile(r"github_pat_[A-Za-z0-9_]{50,255}")),
    ("Google API key", re.compile(r"AIza[0-9A-Za-z_-]{35}")),
)

# detect-secrets plugin class name -> what a message calls the credential
_PLUGINS = {
    "aws.AWSKeyDetector": "AWS access key",
    "azure_storage_key.AzureStorageKeyDetector": "Azure storage account key",
    "github_token.GitHubTokenDetector": "GitHub token",
    "gitlab_token.GitLabTokenDetector": "GitLab token",
    "jwt.JwtTokenDetector": "JSON Web Token",
    "mailchimp.MailchimpDetector": "Mailchimp API key",
    "npm.NpmDetector": "npm token",
    "openai.OpenAIDetector": "OpenAI API key",
    "private_key.PrivateKeyDetector": "private key",
    "pypi_token.PypiTokenDetector": "PyPI token",
    "sendgrid.SendGridDetector": "SendGrid API key",
    "slack.SlackDetector": "Slack token",
    "square_oauth.SquareOAuthDetector": "Square OAuth secret",
    "stripe.StripeDetector": "Stripe secret key",
    "twilio.TwilioKeyDetector": "Twilio API key",
}

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _plugins() -> tuple[tuple[str, Any], ...]:
    """The detect-secrets plugins, built once per process."""
    import importlib

    with _LOCK:
        out = []
        for dotted, label in _PLUGINS.items():
            module, _, name = dotted.partition(".")
            plugin = getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), name)()
            if name == "TwilioKeyDetector":  # account SIDs (AC...) are identifiers, not secrets
                plugin.denylist = [r for r in plugin.denylist if r.pattern.startswith("SK")]
            if name == "AWSKeyDetector":  # the key id; secret keys are judged by the name they are bound to
                plugin.denylist = plugin.denylist[:1]
            out.append((label, plugin))
        return tuple(out)


@attrs.frozen(slots=True)
class TokenMatch:
    """A vendor token found in a string: ``kind`` names it (``"GitHub token"``),
    ``start``/``end`` are offsets in the string."""

    kind: str
    start: int
    end: int


_JWT = re.compile(r"[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+\.?[A-Za-z0-9_.+/=-]*")
_PRIVATE_KEY_END = re.compile(r"-----END[ A-Z]*PRIVATE KEY-----|\Z")
_STOP = re.compile(r"[\s\"'`<>,;()\[\]{}]")


def _window(text: str, at: int) -> tuple[int, int]:
    """The run of token characters around ``at``, at most :data:`MAX_CANDIDATE` long."""
    start = at
    floor = max(0, at - 256)
    while start > floor and not _STOP.match(text, start - 1):
        start -= 1
    stop = _STOP.search(text, at, min(len(text), at + MAX_CANDIDATE))
    return start, stop.start() if stop else min(len(text), at + MAX_CANDIDATE)


def find_tokens(text: str) -> list[TokenMatch]:
    """Every vendor token in ``text``: detect-secrets' plugins on the bounded window
    around each prefilter hit, plus the formats it does not know. Never reads more than
    :data:`MAX_CANDIDATE` characters per hit."""
    found: dict[tuple[int, int], TokenMatch] = {}
    if not has_token_prefix(text):
        return []
    for offset, family in _hits(text):
        if family == "private":
            begin = text.rfind("-----BEGIN", max(0, offset - 64), offset)
            if begin < 0:
                continue
            body_start = offset + len("PRIVATE KEY-----")
            end = _PRIVATE_KEY_END.search(text, body_start, body_start + 16384)
            stop = end.end() if end else min(len(text), body_start + 16384)
            body = text[body_start:stop]
            if len(re.sub(r"[-\s]|END|PRIVATE|KEY|[A-Z]{2,}", "", body)) < 32:  # a header only: a template or a check
                continue
            found[(begin, stop)] = TokenMatch("private key", begin, stop)
            continue
        start, stop = _window(text, offset)
        window = text[start:stop]
        wanted = _FAMILY.get(family, ())
        for label, plugin in _plugins():
            if label not in wanted:
                continue
            for secret in plugin.analyze_string(window):
                at = window.find(secret)
                if at >= 0 and label == "JSON Web Token":  # its expression stops before the signature
                    secret = _JWT.match(window, at).group()
                if at >= 0:
                    found.setdefault(
                        (start + at, start + at + len(secret)), TokenMatch(label, start + at, start + at + len(secret))
                    )
        for label, pattern in _OWN_TOKENS:
            if label not in wanted:
                continue
            for match in pattern.finditer(window):
                found.setdefault(
                    (start + match.start(), start + match.end()),
                    TokenMatch(label, start + match.start(), start + match.end()),
                )
    # a match inside a longer one (a key id inside a URL) is the longer one's
    out = sorted(found.values(), key=lambda m: (m.start, -m.end))
    kept: list[TokenMatch] = []
    for match in out:
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept


@lru_cache(maxsize=1)
def _entropy_plugins() -> tuple[Any, Any]:
    from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString, HexHighEntropyString

    return Base64HighEntropyString(), HexHighEntropyString()


_HEX = re.compile(r"[0-9a-fA-F]+")


def entropy(value: str) -> float:
    """Shannon entropy of ``value`` as detect-secrets measures it: over the hex alphabet
    for hex strings (with its penalty for all digits), else over base64's."""
    base64, hexadecimal = _entropy_plugins()
    if _HEX.fullmatch(value):
        return hexadecimal.calculate_shannon_entropy(value)
    return base64.calculate_shannon_entropy(value)


# --- names -------------------------------------------------------------------------

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

_STRONG = {
    "password": "password",
    "passwd": "password",
    "pwd": "password",
    "passphrase": "passphrase",
    "passwort": "password",
    "secret": "secret",
    "secrets": "secret",
    "token": "token",
    "apikey": "API key",
    "apitoken": "token",
    "authtoken": "token",
    "accesstoken": "token",
    "secretkey": "secret key",
    "privatekey": "private key",
    "accesskey": "access key",
    "clientsecret": "client secret",
    "credential": "credential",
    "credentials": "credential",
    "creds": "credential",
}
_KEY_PAIRS = {
    "api": "API key",
    "access": "access key",
    "secret": "secret key",
    "private": "private key",
    "signing": "signing key",
    "encryption": "encryption key",
    "encrypt": "encryption key",
    "master": "master key",
    "auth": "auth key",
    "app": "app key",
    "hmac": "HMAC key",
    "jwt": "JWT signing key",
    "fernet": "encryption key",
    "cipher": "encryption key",
    "crypto": "encryption key",
    "license": "license key",
    "subscription": "subscription key",
    "account": "account key",
    "shared": "shared key",
    "service": "service key",
    "webhook": "webhook key",
    "admin": "admin key",
    "write": "write key",
    "server": "server key",
    "consumer": "consumer key",
    "session": "session key",
    **{
        vendor: f"{vendor} key"
        for vendor in (
            "stripe",
            "twilio",
            "sendgrid",
            "mailgun",
            "openai",
            "anthropic",
            "github",
            "gitlab",
            "slack",
            "aws",
            "algolia",
            "pusher",
            "datadog",
            "dd",
            "postmark",
            "paypal",
            "braintree",
            "plaid",
            "shopify",
        )
    },
}
# a credential word followed or preceded by one of these names something else
_NOT_A_VALUE = frozenset(
    """field fields header headers name names label labels path paths file files filename dir dirs directory url
    urls uri uris endpoint endpoints type types length len min max size count regex re pattern patterns policy
    policies hash hashed hashes hasher hashers digest id ids format template templates mode expiry expires
    expiration expire exp ttl timeout lifetime age validator validators validation message messages msg error
    errors help placeholder column col param params attr attrs attribute kind reset changed required enabled
    enable disabled disable method methods algorithm algorithms alg scheme prefix suffix backend backends class
    cls generator strategy location source hint input widget form title description rotation version index arn
    ref refs reference env var vars variable variables storage store manager provider providers key_name mount
    mounts volume volume_mount ref selector prompt question confirmation placeholder char chars charset
    character characters flag flags option options setting settings config configs schema option
    is has use uses using no show should allow allowed needs need can validate generate rotate forgot change
    changes num number total encoding encoder decoder parser serializer factory handler handlers callback
    page next continuation pagination cursor sync bos eos pad unk mask sep cls start end stop special
    public publishable pub verifier verification rule rules limit limits lock counter key_id keyid sid
    cache cached lookup sort primary foreign partition idempotency dict lifetime uid
    expected existing mock dummy fake example sample keyword keywords masked display redacted missing invalid
    wrong bad incorrect""".split()  # noqa: SIM905 - a word list reads better
)
# after the credential word only: TOKEN_COOKIE names a cookie, COOKIE_SECRET is a secret
_NOT_A_VALUE_AFTER = frozenset({"cookie", "cookies", "parameter", "query", "claim", "claims", "scope", "scopes"})
_PUBLIC = frozenset({"public", "publishable", "pub"})
# a salt is stored beside its hash by design (and a baseline's salt is public): not a secret
_WEAK_KEYS = frozenset({"key", "auth", "signature", "cookie", "pin", "otp", "seed"})


def name_words(name: str) -> list[str]:
    """The lower-case words of a name in any convention: ``stripeApiKey`` ->
    ``["stripe", "api", "key"]``, ``DB_PASSWORD`` -> ``["db", "password"]``."""
    return [word.lower() for word in _WORDS.findall(name)]


@lru_cache(maxsize=4096)
def credential_kind(name: str) -> tuple[str, bool] | None:
    """What credential a name holds, and whether the name alone says so (``strong``):
    ``("password", True)`` for ``DB_PASSWORD``, ``("signing key", True)`` for
    ``SIGNING_KEY``; a weak name (``key``, ``auth``, ``seed``) only counts when its value
    also looks random. ``None`` for every other name, including those that name a
    setting about a credential (``PASSWORD_FIELD``, ``password_reset_url``,
    ``TOKEN_HEADER``, ``secret_name``, ``publishable_key``)."""
    if not name or len(name) > 128:
        return None
    words = name_words(name)
    if not words:
        return None
    found: str | None = None
    at = -1
    for index, word in enumerate(words):
        label = _STRONG.get(word)
        if word == "secret" and index > 0 and words[index - 1] == "client":
            label = "client secret"
        if label is None and word == "key" and index > 0:
            label = _KEY_PAIRS.get(words[index - 1])
        if label is None and word == "pass" and (index == len(words) - 1 or words[index + 1] in ("word", "phrase")):
            label = "password"
        if label is None and word == "word" and index > 0 and words[index - 1] == "pass":
            label = "password"
        if label is not None:
            found, at = label, index
    strong = found is not None
    if found is None:
        last = words[-1]
        if last in _WEAK_KEYS:
            found, at = ("key" if last == "key" else last), len(words) - 1
        else:
            return None
    if found in ("password", "passphrase", "token", "credential") and words[at + 1 : at + 2] == ["key"]:
        return None  # userPasswordKey: the name of a key inside a secret
    rest = words[:at] + words[at + 1 :]
    if any(word in _NOT_A_VALUE for word in rest) or any(word in _NOT_A_VALUE_AFTER for word in words[at + 1 :]):
        return None
    if any(word in _PUBLIC for word in words):
        return None
    return found, strong


# names of the keys of a mapping that say what the values are not (a host, a user)
_FIELD_WORDS = frozenset(
    """user users username usernames login email host hostname hosts port name db database url uri endpoint
    region zone type id scheme driver engine account tenant project org description comment enabled
    provider service issuer audience scope""".split()  # noqa: SIM905
)


def collection_credential_kind(name: str, key: str | None = None) -> tuple[str, bool] | None:
    """What credential the values of a collection named ``name`` hold, read through
    ``key`` (a dict key, ``None`` for a list item): ``PARTNER_KEYS = {"acme": ...}`` and
    ``TENANT_API_TOKENS = {...}`` hold credentials under tenant names, ``VALID_TOKENS =
    [...]`` in a list. ``None`` when the key names its value itself (a credential name,
    judged on its own; ``host``, ``user``, ``header_name``) or the collection is not of
    credentials (``PASSWORD_FIELDS``, ``TOKEN_TYPES``)."""
    if key is not None:
        words = name_words(key)
        if credential_kind(key) is not None or any(w in _FIELD_WORDS or w in _NOT_A_VALUE for w in words):
            return None
    found = credential_kind(name)
    if found is None and name[-1:] in "sS" and len(name) > 3 and not name.lower().endswith(("ss", "creds")):
        found = credential_kind(name[:-1])
    return found


_AUTH_HEADERS = frozenset({"authorization", "proxy-authorization", "http_authorization"})
_AUTH_SCHEME = re.compile(
    r"(?P<scheme>Bearer|Token|Basic|ApiKey|Api-Key|Key|JWT|Bot|OAuth|SSWS|GenieKey|DeepL-Auth-Key)\s+",
    re.IGNORECASE,
)


def authorization_credential(name: str, value: str) -> tuple[str, int, str] | None:
    """The credential of an ``Authorization`` header value bound to ``name``
    (``"Bearer 8fK2..."``, ``"Token ..."``, ``"Basic dXNlcjpwdw=="``): its text, its offset
    in ``value`` and what it is (``"bearer token"``); ``None`` when ``name`` is not an
    Authorization header or the value holds no credential."""
    if name.lower().replace("_", "-") not in _AUTH_HEADERS and name.lower() not in _AUTH_HEADERS:
        return None
    text = value.strip()
    match = _AUTH_SCHEME.match(text)
    offset = value.find(text)
    if match is None:
        if " " in text:
            return None
        return text, offset, "Authorization header credential"
    credential = text[match.end() :]
    scheme = match["scheme"].lower()
    label = {"bearer": "bearer token", "basic": "basic-auth credential", "jwt": "JSON Web Token"}.get(
        scheme, "Authorization header credential"
    )
    return credential, offset + match.end(), label


_JSON_LIMIT = 1 << 16


def embedded_json(value: str) -> dict[str, Any] | list[Any] | None:
    """A JSON object (or array of objects) written as a string value of another file or
    string (``"config": "{\\"client_secret\\": \\"...\\"}"``, a Secret holding a JSON file),
    or ``None``. Bounded: longer strings are not parsed."""
    text = value.strip()
    if len(text) < 8 or len(text) > _JSON_LIMIT or not (text[0] in "{[" and text[-1] in "}]") or '"' not in text:
        return None
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, dict) or (isinstance(data, list) and any(isinstance(item, dict) for item in data)):
        return data
    return None


def json_leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, Any]]:
    """(path, name, value) of every string leaf of parsed JSON: ``name`` is the nearest
    string key; a ``{"type": "password", "value": ...}`` or ``{"name": "DB_PASSWORD",
    "value": ...}`` pair is named by its ``type`` or ``name``."""
    if isinstance(data, dict):
        for key, item in data.items():
            name = key
            if key == "value" and isinstance(item, str):
                name = sibling_name(data) or key
            yield from json_leaves(item, (*path, name))
    elif isinstance(data, list):
        for item in data:
            yield from json_leaves(item, path)
    elif isinstance(data, str) and path:
        yield path, str(path[-1]), data


_NAME_KEYS = ("name", "key", "type", "Name", "Key", "Type", "id")


def sibling_name(mapping: Any) -> str | None:
    """The credential name a ``value`` entry of ``mapping`` is given by a sibling: the
    ``type`` of a Keycloak credential (``{"type": "password", "value": ...}``), the
    ``name`` of an environment entry (``{"name": "DB_PASSWORD", "value": ...}``)."""
    getter = getattr(mapping, "get", None)
    if getter is None:
        return None
    for key in _NAME_KEYS:
        name = getter(key)
        if isinstance(name, str) and credential_kind(name) is not None:
            return name
    return None


# --- values ------------------------------------------------------------------------

_TEMPLATE = re.compile(
    r"\$\{|\{\{|\{%|%\(|\$\(|<%|\$[A-Za-z_]"  # ${VAR} {{ x }} {% %} %(x)s $(VAR) <%= %> $VAR
    r"|\{[A-Za-z_][\w.]*\}|\{\d*\}"  # str.format fields
    r"|%[sdr]\b|#\{"  # printf, Ruby
)
_PLACEHOLDER_WORDS = frozenset(
    """example examples sample samples dummy placeholder your yours todo tbd fixme redacted replace replaceme
    insert fake mock none null nil undefined notset unset empty changethis xxx xxxx xxxxx removed hidden
    masked omitted foo bar baz qux""".split()  # noqa: SIM905
)
_CREDENTIAL_VALUES = frozenset(
    """password passwd pwd pass passphrase secret token key apikey api_key api-key secret_key access_token
    auth_token authorization bearer basic token_type client_secret credentials true false yes no on off
    none null nil n/a na required optional string str text hidden""".split()  # noqa: SIM905
)
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:[_.\-][a-z0-9]+)+")
_WORDY = re.compile(r"[A-Za-z]{2,}(?:[_.:\-][A-Za-z]{2,})+")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*){2,}")
_PATHLIKE = re.compile(
    r"(?:[~.]?/|[A-Za-z]:\\|file:|arn:aws)|.*\.(?:pem|key|crt|cer|p12|pfx|json|txt|ya?ml|env|ini|cfg|jks|der|pub|gpg|asc|conf)\Z"
)
_URL = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_FILE_PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)+\.[A-Za-z][A-Za-z0-9]{0,4}")  # models/users/token.md
_REGEX = re.compile(r"\(\?[:=!<P]|\\[dwsbDWS]|\[\^|\.[*+]|[*+]\)|\)\{?[*+?]")  # (?:key|pass)\s*
_SAME = re.compile(r"(.)\1*\Z", re.DOTALL)
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
_HASH = re.compile(r"(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9A-F]{32}|[0-9A-F]{40}|[0-9A-F]{64})")
_SEQUENTIAL = (
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "0123456789012345678901234567890123456789",
    "qwertyuiopasdfghjklzxcvbnm",
)


def is_placeholder(value: str, *, changeme: bool = True) -> bool:
    """``True`` for values that stand for a secret without being one: templates,
    ``<your-api-key>``, ``xxxx``, ``****``, ``dummy``, ``example`` written as a word,
    sequences (``abcdef``, ``123456``); ``changeme`` too unless ``changeme=False``
    (in a deployed file it is a real, weak default)."""
    text = value.strip()
    if not text:
        return True
    if _TEMPLATE.search(text) or ("<" in text and ">" in text) or text.startswith(("<", "[", "...", "$")):
        return True
    if _SAME.match(text) or text.lower() in _CREDENTIAL_VALUES:
        return True
    lowered = text.lower()
    if any(lowered in sequence for sequence in _SEQUENTIAL) and len(lowered) >= 4:
        return True
    words = [word for word in _SPLIT.split(lowered) if word]
    for word in words:
        if word in _PLACEHOLDER_WORDS or (len(word) >= 3 and _SAME.match(word) and word[0] in "x0*"):
            return True
        if changeme and word in ("changeme", "change", "changeit"):
            return True
    return bool(re.search(r"x{4,}|\*{3,}|\.{3}|…", text, re.IGNORECASE))


def looks_like_secret(value: Any, kind: str = "secret", *, strong: bool = True, changeme: bool = True) -> bool:
    """Whether a literal bound to a credential name (``kind`` as :func:`credential_kind`
    names it) is a real value rather than a placeholder, a template, a reference to
    another setting (``DB_PASSWORD``, ``myapp.auth.password``), a path, a plain URL, a
    hash or id, a boolean or number. A weak name (``strong=False``) also needs a value
    that looks random (detect-secrets' entropy). ``changeme`` is a real (weak) default
    outside example files; pass ``changeme=False`` to treat it as a placeholder."""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return False
    if not isinstance(value, str):
        return False
    text = value.strip()
    minimum = 4 if kind in ("password", "passphrase") else 8
    if len(text) < minimum or len(text) > MAX_CANDIDATE:
        return False
    if any(c in text for c in " \t\r\n"):
        return False
    if is_placeholder(text, changeme=not changeme):
        return False
    if _ENV_NAME.fullmatch(text) or _DOTTED.fullmatch(text):
        return False
    if _IDENTIFIER.fullmatch(text) and credential_kind(text) is not None:
        return False
    if _URL.match(text) or _PATHLIKE.match(text) or _FILE_PATH.fullmatch(text) or _REGEX.search(text):
        return False
    if text.isdigit() or re.fullmatch(r"[0-9.:-]+", text):
        return False
    if not strong:
        if _WORDY.fullmatch(text):  # thumbnail_by_app_size_and_format: a name made of words, not a key
            return False
        return len(text) >= 16 and entropy(text) >= (3.0 if _HEX.fullmatch(text) else 3.8)
    if kind == "password":
        return True
    if _UUID.fullmatch(text) and kind in ("token", "credential"):
        return True
    return len(text) >= 8 or kind not in ("token", "API key", "secret key", "access key", "client secret", "secret")


def is_hash_or_id(value: str) -> bool:
    """A hex digest, git SHA or UUID: never a secret by itself."""
    return bool(_HASH.fullmatch(value) or _UUID.fullmatch(value))


# --- URLs --------------------------------------------------------------------------

_CONNECTION_URL = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{1,30})://"
    r"(?P<user>[^\s:/?#@\"'`<>{}\[\]$%]*)"
    r":(?P<password>[^\s@/?#\"'`<>]{1,256})@"
    r"(?P<host>[A-Za-z0-9_.\[\]-]*)"
)
"""The user information of a URL: the one expression :func:`url_passwords` (anywhere in
a text, a host required) and :func:`url_password` (a whole value, host optional for unix
sockets) read passwords with."""
_URL_PLACEHOLDER = frozenset(
    """password pass pwd passwd secret pw p user username changeme xxx xxxx xxxxx your_password yourpassword
    mypassword my_password example dummy placeholder token apikey api_key""".split()  # noqa: SIM905
)


@attrs.frozen(slots=True)
class UrlPassword:
    """The password of a connection URL: ``start``/``end`` are its offsets in the text;
    ``scheme`` and ``host`` name the service."""

    scheme: str
    user: str
    host: str
    start: int
    end: int


def url_passwords(text: str) -> list[UrlPassword]:
    """The literal passwords of the URLs in ``text`` (``postgresql://app:pw@db/app``,
    ``redis://:pw@cache:6379``, ``amqp://guest:s3cr3t@mq``); a password that is a
    template (``${DB_PASSWORD}``, ``{password}``, ``%s``) or a placeholder
    (``password``, ``<pw>``, ``xxxx``) is none."""
    if "://" not in text or "@" not in text:
        return []
    out = []
    for match in _CONNECTION_URL.finditer(text, 0, min(len(text), 1 << 20)):
        if not match["host"]:
            continue
        password = match["password"]
        lowered = password.lower()
        if lowered in _URL_PLACEHOLDER or is_placeholder(password) or "{" in password or "}" in password:
            continue
        out.append(
            UrlPassword(match["scheme"], match["user"], match["host"], match.start("password"), match.end("password"))
        )
    return out


_DSN_PASSWORD = re.compile(
    r"""(?:^|[\s;?&])(?:password|passwd|pwd)[ \t]*=[ \t]*(?P<q>['"]?)(?P<password>[^\s;&'"]{1,256})(?P=q)""",
    re.IGNORECASE,
)
_DSN_CONTEXT = re.compile(
    r"(?:^|[\s;?&])(?:user|username|user[ _]id|uid|host|hostaddr|server|dbname|database|data[ _]source|"
    r"initial[ _]catalog)[ \t]*=",
    re.IGNORECASE,
)


def dsn_passwords(text: str) -> list[tuple[int, int]]:
    """Offsets of the literal passwords of the connection strings in ``text``: libpq
    (``"host=db dbname=orders user=app password=pw"``), ADO.NET and ODBC
    (``"Server=db;Database=orders;User Id=app;Password=pw;"``) and URL queries
    (``jdbc:mysql://db/orders?user=app&password=pw``). A connection string needs a
    user, host, server or database beside the password; templates and placeholders are
    left out."""
    if "=" not in text or len(text) > MAX_CANDIDATE or not _DSN_CONTEXT.search(text):
        return []
    out = []
    for match in _DSN_PASSWORD.finditer(text):
        password = match["password"]
        if password.lower() in _URL_PLACEHOLDER or is_placeholder(password) or any(c in password for c in "{}%$"):
            continue
        out.append((match.start("password"), match.end("password")))
    return out


_REFERENCE_DEFAULT = re.compile(r"\$\{[A-Za-z_][\w.]*:?[-=](?P<default>[^}]*)\}")


def reference_default(value: str) -> tuple[str, int] | None:
    """The fallback of a ``${VAR:-fallback}`` reference and its offset in ``value``, when
    the value is that reference alone (the fallback is itself a literal)."""
    match = _REFERENCE_DEFAULT.fullmatch(value.strip())
    if match is None or not match["default"]:
        return None
    return match["default"], value.find(match["default"], value.find("${"))


# --- names and values at delivery points --------------------------------------------
#
# The vocabulary the delivery rules (a container's environment, ConfigMaps) judge names
# and values by: whether a variable names a credential itself rather than a fact about
# one, whether a value points at a secret store, whether it is trivial.

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
_TRIVIAL = frozenset(
    {"", "true", "false", "yes", "no", "on", "off", "y", "n", "null", "none", "nil", "~", "enabled", "disabled"}
)


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


def url_password(value: str) -> str | None:
    """The password in the user information of the URL ``value`` is
    (``redis://:s3cret@cache:6379``), or ``None``; a ``${VAR}``, ``$(VAR)``, ``{{ x }}`` or
    ``%(x)s`` placeholder is not a password. :func:`url_passwords` finds them anywhere in
    a text and leaves out placeholders as well."""
    match = _url_at_start(value.strip())
    return None if match is None else match["password"]


def url_password_span(value: str, value_span: Span) -> Span | None:
    """Where the password of :func:`url_password` sits, when ``value`` is written on one
    line at ``value_span`` exactly as it reads (no quotes, no escapes)."""
    match = _url_at_start(value)
    if match is None or value_span.end_line != value_span.line:
        return None
    start = value_span.column + match.start("password")
    return Span(value_span.line, start, value_span.line, start + len(match["password"]))


def _url_at_start(text: str) -> re.Match[str] | None:
    match = _CONNECTION_URL.match(text)
    if match is None:
        return None
    password = match["password"]
    if password.startswith(("$", "{{", "%(")) or password in ("*", "***", "xxx", "password"):
        return None
    return match


# --- who reports a literal ------------------------------------------------------------
#
# A literal credential is reported once. A value that proves itself a credential (a
# vendor token, a private key, a URL with a password) is a leak wherever it is written:
# the secrets rules report it. A literal given to a credential-named setting at a
# delivery point that has its own rule (a container's environment, the password of an
# AWS resource) is a delivery problem: that rule reports it, the secrets rules do not.

# resource type -> paths of the attributes that carry a password (a path step may be a nested block)
AWS_TERRAFORM_PASSWORDS: dict[str, tuple[str, ...]] = {
    "aws_db_instance": ("password",),
    "aws_rds_cluster": ("master_password",),
    "aws_docdb_cluster": ("master_password",),
    "aws_redshift_cluster": ("master_password",),
    "aws_redshiftserverless_namespace": ("admin_user_password",),
    "aws_elasticache_replication_group": ("auth_token",),
    "aws_elasticache_user": ("passwords",),
    "aws_memorydb_user": ("authentication_mode.passwords",),
    "aws_mq_broker": ("user.password",),
    "aws_opensearch_domain": ("advanced_security_options.master_user_options.master_user_password",),
    "aws_elasticsearch_domain": ("advanced_security_options.master_user_options.master_user_password",),
    "aws_dms_endpoint": ("password",),
    "aws_directory_service_directory": ("password",),
}
"""The password attributes of AWS Terraform resources (AWS019 judges how they are set)."""
AWS_CLOUDFORMATION_PASSWORDS: dict[str, tuple[str, ...]] = {
    "AWS::RDS::DBInstance": ("MasterUserPassword",),
    "AWS::RDS::DBCluster": ("MasterUserPassword",),
    "AWS::DocDB::DBCluster": ("MasterUserPassword",),
    "AWS::Redshift::Cluster": ("MasterUserPassword",),
    "AWS::RedshiftServerless::Namespace": ("AdminUserPassword",),
    "AWS::ElastiCache::ReplicationGroup": ("AuthToken",),
    "AWS::AmazonMQ::Broker": ("Users.*.Password",),
    "AWS::OpenSearchService::Domain": ("AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword",),
    "AWS::Elasticsearch::Domain": ("AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword",),
    "AWS::DMS::Endpoint": ("Password",),
    "AWS::DirectoryService::MicrosoftAD": ("Password",),
    "AWS::DirectoryService::SimpleAD": ("Password",),
}
"""The password properties of AWS CloudFormation resources (``*``: any list index)."""


def is_delivered_password(resource_type: str, steps: tuple[Any, ...] | list[Any]) -> bool:
    """Whether the attribute at ``steps`` (nested block or property names, list indices
    allowed) of a resource of ``resource_type`` is one of the AWS password attributes
    above, whose delivery AWS019 judges."""
    paths = AWS_TERRAFORM_PASSWORDS.get(resource_type) or AWS_CLOUDFORMATION_PASSWORDS.get(resource_type)
    if not paths:
        return False
    names = [step for step in steps if isinstance(step, str)]
    for path in paths:
        wanted = [part for part in path.split(".") if part != "*"]
        if names == wanted:
            return True
    return False


def is_leaked_literal(value: object) -> bool:
    """Whether a value proves itself a credential, whatever it is bound to: it holds a
    vendor token or a private key (:func:`find_tokens`) or a URL with a literal password
    (:func:`url_passwords`). The secrets rules report such a value wherever it is written,
    delivery points included."""
    if not isinstance(value, str) or not value:
        return False
    if has_token_prefix(value) and find_tokens(value):
        return True
    return "://" in value and "@" in value and bool(url_passwords(value))


# --- paths -------------------------------------------------------------------------

_TEST_DIRS = frozenset(
    {"test", "tests", "testing", "__tests__", "spec", "specs", "testdata", "test_data", "fixtures", "e2e"}
)
_EXAMPLE_PARTS = frozenset(
    {"example", "examples", "sample", "samples", "template", "templates", "tpl", "dist", "default", "defaults"}
)


def is_test_path(path: str) -> bool:
    """A file under a test directory, or a test module (``test_*.py``, ``*_test.py``,
    ``tests.py``, ``conftest.py``)."""
    parts = path.lower().split("/")
    name = parts[-1]
    if any(part in _TEST_DIRS for part in parts[:-1]):
        return True
    if name in ("tests.py", "test.py", "conftest.py"):  # Django's tests.py module
        return True
    return name.startswith("test_") or re.search(r"_tests?\.[a-z]+\Z", name) is not None


def is_example_path(path: str) -> bool:
    """An example or template file whose values are placeholders: ``.env.example``,
    ``.env.sample``, ``.env.template``, ``config.example.yaml``, ``settings.py.dist``."""
    name = path.rsplit("/", 1)[-1].lower()
    parts = name.split(".")
    return any(part in _EXAMPLE_PARTS for part in parts[1:])


def iter_lines_with_pragma(lines: list[str]) -> Iterator[int]:
    """Line numbers (1-based) that detect-secrets' ``# pragma: allowlist secret`` (on the
    line) or ``pragma: allowlist nextline secret`` (on the line above) exempts."""
    for number, line in enumerate(lines, 1):
        if "allowlist" not in line:
            continue
        if "pragma: allowlist secret" in line:
            yield number
        if "pragma: allowlist nextline secret" in line:
            yield number + 1
