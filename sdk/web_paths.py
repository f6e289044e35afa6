"""URL paths of web routes: one spelling for every framework, joining, matching.

Frameworks spell path parameters differently (Flask ``<int:id>``, FastAPI ``{id}``,
Django ``<int:pk>`` or a regular expression, aiohttp ``{id:\\d+}``); routes are kept in
one canonical form so that rules compare them without knowing the framework:

* literal text as written (``/api/health``);
* ``{name}`` for a parameter matching one path segment;
* ``{name:path}`` for a parameter matching the rest of the path, slashes included;
* ``{?}`` for a part whose value the code computes and the analysis cannot know (an
  f-string field, a setting, a prefix imported from configuration).

:func:`match_path` then says whether a route serves a requested path (``"yes"``,
``"no"`` or ``"unknown"`` when an unknown part decides), with the framework's handling
of trailing slashes (:data:`SLASH_POLICIES`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "SLASH_POLICIES",
    "UNKNOWN",
    "canonical_path",
    "health_words",
    "is_health_path",
    "join_paths",
    "match_path",
    "path_from_regex",
    "request_path",
]

UNKNOWN = "{?}"
"""The canonical spelling of a path part whose value is not known."""

# Flask/Werkzeug, Sanic, Bottle, Django path(): <name>, <converter:name>, <converter(args):name>
_ANGLE = re.compile(r"<(?:(?P<conv>[A-Za-z_]\w*)(?:\([^)]*\))?:)?(?P<name>[A-Za-z_]\w*)>")
# FastAPI/Starlette, aiohttp, Falcon, Pyramid: {name}, {name:converter-or-regex}; {?} is ours
_BRACE = re.compile(r"\{(?P<name>[A-Za-z_]\w*|\?)(?::(?P<conv>(?:[^{}]|\{[^{}]*\})*))?\}")
_STAR = re.compile(r"(?<=/)\*(?P<name>[A-Za-z_]\w*)$")  # Pyramid's *traverse / *subpath

_PATH_CONVERTERS = frozenset({"path"})

SLASH_POLICIES = {
    "flask": "redirect-to-slash",
    "quart": "redirect-to-slash",
    "django": "append-slash",
    "fastapi": "either",
    "starlette": "either",
    "sanic": "either",
    "litestar": "either",
    "aiohttp": "exact",
    "falcon": "exact",
    "pyramid": "exact",
    "tornado": "exact",
    "bottle": "exact",
}
"""How each framework treats a trailing slash the route and the request disagree on:

* ``redirect-to-slash`` (Werkzeug's ``strict_slashes``): a route written ``/health/``
  also answers ``/health`` with a redirect; ``/health`` never answers ``/health/``.
* ``append-slash`` (Django's ``APPEND_SLASH``, on by default with ``CommonMiddleware``):
  the same, the redirect coming from the middleware; with ``APPEND_SLASH = False`` it is
  ``exact``.
* ``either``: FastAPI and Starlette (``redirect_slashes``), Sanic (``strict_slashes``
  off), Litestar: both spellings answer.
* ``exact``: only the path as written.

A probe that gets a redirect still succeeds: Kubernetes counts any status from 200 to
399 as success and ``curl -f`` fails only from 400 up."""


def canonical_path(path: str) -> str:
    """A route path written in any framework's syntax, in the canonical form (see the
    module documentation)."""

    def angle(match: re.Match) -> str:
        name = match.group("name")
        return f"{{{name}:path}}" if match.group("conv") in _PATH_CONVERTERS else f"{{{name}}}"

    def brace(match: re.Match) -> str:
        name = match.group("name")
        if name == "?":
            return UNKNOWN
        conv = match.group("conv")
        if conv is not None and (conv in _PATH_CONVERTERS or "/" in conv or ".*" in conv or ".+" in conv):
            return f"{{{name}:path}}"
        return f"{{{name}}}"

    if "<" in path:
        path = _ANGLE.sub(angle, path)
    if "{" in path:
        path = _BRACE.sub(brace, path)
    if "*" in path:
        path = _STAR.sub(lambda m: f"{{{m.group('name')}:path}}", path)
    return path


# Regular-expression routes (Django's re_path, Tornado): the common spellings turned
# into the canonical form; anything else becomes an unknown part.
_RE_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()\\]|\\.|\([^()]*\))*)\)")
_RE_TOKENS = (
    (re.compile(r"\\d\+|\\d\*|\[0-9\]\+|\[\^/\]\+|\[-\\w\]\+|\[\\w-\]\+|\\w\+|\[-a-zA-Z0-9_\]\+|\[\\w\.-\]\+"), "{p}"),
    (re.compile(r"\.\*|\.\+"), "{p:path}"),
)


def path_from_regex(pattern: str) -> str:
    """The canonical path of a route written as a regular expression (Django ``re_path``,
    Tornado): anchors dropped, named groups become parameters, an optional trailing slash
    (``/?``) is kept as a slash, and any other construct becomes an unknown part."""
    text = pattern
    if text.startswith("^"):
        text = text[1:]
    if text.endswith("$") and not text.endswith("\\$"):
        text = text[:-1]
    text = text.replace("\\Z", "")
    if text.endswith("/?"):
        text = text[:-2] + "/"

    def group(match: re.Match) -> str:
        body = match.group("body")
        if ".*" in body or ".+" in body or "/" in body.replace("[^/]", ""):
            return f"{{{match.group('name')}:path}}"
        return f"{{{match.group('name')}}}"

    text = _RE_GROUP.sub(group, text)
    for expression, replacement in _RE_TOKENS:
        text = expression.sub(replacement, text)
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            out.append(following if not following.isalnum() else UNKNOWN)
            index += 2
            continue
        if char == "{":
            end = text.find("}", index)
            if end > 0:
                out.append(text[index : end + 1])
                index = end + 1
                continue
        if char in "()[]|?*+^$":
            out.append(UNKNOWN)
            index += 1
            continue
        out.append(char)
        index += 1
    result = "".join(out)
    while UNKNOWN + UNKNOWN in result:
        result = result.replace(UNKNOWN + UNKNOWN, UNKNOWN)
    return result


def join_paths(prefix: str, path: str) -> str:
    """A route's path under a prefix (a blueprint's ``url_prefix``, a router included
    with ``prefix``, a Starlette ``Mount``, a Django ``include``): one slash between them,
    the prefix alone for an empty path."""
    if not path:
        return prefix
    if not prefix:
        return path
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def request_path(url_or_path: str) -> str | None:
    """The path a probe requests: ``http://localhost:8000/health?full=1`` and
    ``/health#x`` give ``/health``; ``localhost:8080/ready`` (curl accepts a URL without
    a scheme) gives ``/ready``. ``None`` when it holds no path (``http://localhost``
    requests ``/``, and gives ``"/"``)."""
    text = url_or_path.strip().strip("'\"")
    if not text:
        return None
    scheme = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text)
    if scheme:
        rest = text[scheme.end() :]
        slash = rest.find("/")
        path = "/" if slash < 0 else rest[slash:]
    elif text.startswith("/"):
        path = text
    else:
        slash = text.find("/")
        if slash <= 0:
            return None
        path = text[slash:]
    path = re.split(r"[?#]", path, maxsplit=1)[0]
    return path or "/"


def _pattern_regex(pattern: str) -> tuple[re.Pattern, bool]:
    """A regular expression for a canonical path, and whether it has unknown parts."""
    out = []
    unknown = False
    position = 0
    for match in _BRACE.finditer(pattern):
        out.append(re.escape(pattern[position : match.start()]))
        name, conv = match.group("name"), match.group("conv")
        if name == "?":
            out.append(r".*")
            unknown = True
        elif conv == "path":
            out.append(r".+")
        else:
            out.append(r"[^/]+")
        position = match.end()
    out.append(re.escape(pattern[position:]))
    return re.compile("".join(out)), unknown


def match_path(pattern: str, path: str, policy: str = "exact") -> str:
    """Whether a route (a canonical path) serves a requested ``path`` under a framework's
    trailing-slash ``policy`` (:data:`SLASH_POLICIES`): ``"yes"``, ``"no"``, or
    ``"unknown"`` when only an unknown part (``{?}``) could make it match."""
    candidates = [path]
    stripped = path.rstrip("/") or "/"
    if policy == "either":
        candidates.append(stripped if path.endswith("/") else path + "/")
    elif policy in ("redirect-to-slash", "append-slash") and not path.endswith("/"):
        candidates.append(path + "/")
    expression, unknown = _pattern_regex(pattern if pattern.startswith("/") else "/" + pattern)
    for candidate in candidates:
        if expression.fullmatch(candidate):
            return "unknown" if unknown else "yes"
    return "no"


_DEFAULT_HEALTH = (
    "/health",
    "/healthz",
    "/ready",
    "/readyz",
    "/livez",
    "/live",
    "/ping",
    "/-/health",
    "/status",
    "/healthcheck",
    "/health-check",
    "/health_check",
    "/liveness",
    "/readiness",
)


def health_words(paths: Iterable[str] = _DEFAULT_HEALTH) -> frozenset[str]:
    """The path segments that make a route a health route: the last segment of each of
    ``paths`` (``/-/health`` gives ``health``), lower-cased."""
    words = set()
    for path in paths:
        segment = path.strip().rstrip("/").rsplit("/", 1)[-1].lower()
        if segment:
            words.add(segment)
    return frozenset(words)


# words that make a health route when they end a segment (``/flask-health-check``);
# ``status`` and ``ping`` do not (``/order-status`` is a business route)
_SUFFIX_WORDS = frozenset(
    {"health", "healthz", "healthcheck", "health-check", "ready", "readyz", "live", "livez", "liveness", "readiness"}
)


def is_health_path(path: str, words: frozenset[str] | None = None) -> bool | None:
    """Whether a canonical route path is a health or readiness route: its last segment,
    or its first, is one of ``words`` (default: from ``/health``, ``/healthz``,
    ``/ready``, ``/readyz``, ``/livez``, ``/live``, ``/ping``, ``/-/health``,
    ``/status``, and the spellings ``/healthcheck``, ``/health-check``, ``/health_check``,
    ``/liveness``, ``/readiness``), and it takes no parameter (``/orders/{id}/status`` is a business
    route, and so is ``/health-records/{id}``: no segment is ``health``). A last segment
    that ends with a health word after a dash, underscore or dot counts
    (``/flask-health-check``, ``/db_healthz``), except ``status`` and ``ping``. ``None`` when
    an unknown part could make it one (``{?}`` as its last segment)."""
    words = health_words() if words is None else words
    segments = [s for s in path.lower().strip("/").split("/") if s]
    if not segments:
        return False
    if any(s.startswith("{") and s != UNKNOWN and s.endswith("}") for s in segments):
        return False
    if segments[-1] in words or segments[0] in words:
        return True
    tokens = re.split(r"[-_.]", segments[-1])
    for size in (1, 2):  # /flask-health-check, /db_healthz: a health word closes the segment
        if len(tokens) > size and "-".join(tokens[-size:]) in words & _SUFFIX_WORDS:
            return True
    if UNKNOWN in segments[-1]:
        return None
    return False
