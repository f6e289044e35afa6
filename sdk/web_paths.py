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
    "could_hold_health_path",
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
    """The health routes to look for, normalised: ``paths`` lower-cased, with one leading
    slash and no trailing slash (``"/healthz/"`` gives ``"/healthz"``)."""
    out = set()
    for path in paths:
        normal = "/" + path.strip().strip("/").lower()
        if normal != "/":
            out.add(normal)
    return frozenset(out)


# a health route's own sub-routes (``/healthz/live``, ``/health/db``) count too, except
# under these, whose sub-routes are business routes (``/status/{order}``)
_NO_SUBTREE = frozenset({"/status", "/ping"})


def is_health_path(path: str, words: frozenset[str] | None = None) -> bool | None:
    """Whether a canonical route path, as the service serves it (prefixes of blueprints,
    routers and mounts included), is a health or readiness route: exactly one of
    ``words`` (default, from :func:`health_words`: ``/health``, ``/healthz``, ``/ready``,
    ``/readyz``, ``/livez``, ``/live``, ``/ping``, ``/-/health``, ``/status``, and the
    spellings ``/healthcheck``, ``/health-check``, ``/health_check``, ``/liveness``,
    ``/readiness``; a configured list adds to them), or a sub-route of one of them other
    than ``/status`` and ``/ping`` (``/healthz/ready``). Trailing slashes and case do not
    matter. A route under another prefix is not one (``/api/v1/health``, ``/v1/ping``:
    probes and load balancers are configured with the service's health path, which is
    listed as such), nor a business route containing the word (``/health-records/{id}``).
    ``None`` when an unknown part (``{?}``) could make it one."""
    words = health_words() if words is None else words
    segments = [s for s in path.lower().strip("/").split("/") if s]
    if not segments:
        return False
    if any(s.startswith("{") and s != UNKNOWN and s.endswith("}") for s in segments):
        return False
    full = "/" + "/".join(segments)
    if full in words:
        return True
    for size in range(1, len(segments)):
        head = "/" + "/".join(segments[:size])
        if head in words and head not in _NO_SUBTREE:
            return True
    if any(UNKNOWN in segment for segment in segments):
        return None
    return False


def could_hold_health_path(prefix: str, words: frozenset[str] | None = None) -> bool:
    """Whether routes the analysis cannot see under ``prefix`` (a router from a package
    outside the repository, the Django admin's ``admin.site.urls``, an app mounted at
    ``/static``) could include a health route as :func:`is_health_path` counts them:
    the root prefix can, and so can a prefix that is a health path itself, leads to one
    (``/healthz`` under ``/`` or ``/-``), or holds a computed part; ``/admin/`` and
    ``/api/v1`` cannot (``/api/v1/health`` is not one unless configured)."""
    words = health_words() if words is None else words
    segments = [s for s in prefix.lower().strip("/").split("/") if s]
    if not segments or any(UNKNOWN in s for s in segments):
        return True
    if is_health_path("/" + "/".join(segments), words):
        return True
    return any(word.strip("/").split("/")[: len(segments)] == segments for word in words)
