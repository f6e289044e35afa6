"""Web routes in a Python module: the apps and routers it builds and the routes it declares.

:func:`web_facts` reads one module's Python facts (calls resolved through imports,
receivers traced to their constructors, function decorators) and returns what it
contributes to the web services of a repository, for every mainstream framework:

* **Flask and Quart**: ``Flask()``, ``Blueprint(url_prefix=)``, ``@app.route``,
  ``@bp.get``..., ``add_url_rule``, ``register_blueprint(url_prefix=)``; Flask-RESTful,
  Flask-RESTX and flask-smorest ``Api``, ``add_resource``, ``Namespace``.
* **FastAPI**: ``FastAPI()``, ``APIRouter(prefix=)``, ``@app.get``..., ``api_route``,
  ``add_api_route``, ``include_router(prefix=)``, ``mount``.
* **Starlette**: ``Starlette(routes=[...])``, ``Router``, ``Route``, ``WebSocketRoute``,
  ``Mount(path, routes=[...])`` and ``Mount(path, app=...)``, ``add_route``, ``mount``.
* **aiohttp**: ``web.Application()``, ``app.router.add_get``..., ``add_route``,
  ``add_view``, ``web.RouteTableDef`` and its decorators, ``add_routes`` (a table or a
  list of ``web.get(...)``), ``add_subapp``.
* **Django**: URLconf modules (``urlpatterns`` built from ``path``, ``re_path``, ``url``
  and ``include`` of a module, a list or a Django REST framework router) and settings
  (``ROOT_URLCONF``, ``APPEND_SLASH``, ``MIDDLEWARE``).
* **Falcon, Sanic, Litestar, Tornado, Pyramid, Bottle**: their apps and route calls.
* **Health libraries** wired to an app: flask-healthz (``Healthz(app)`` or its
  blueprint), py-healthcheck (``HealthCheck(app, path)``), fastapi-health
  (``health([...])`` as an endpoint), django-health-check (``include("health_check.urls")``).

Each route names the object it is attached to by a :class:`ObjectRef`: a name of this
module (``app`` in ``create_app``), an imported name (``.views.bp``, still relative as
written), or a parameter (``app`` of ``def init_routes(app)``). Joining modules, so that
a blueprint registered in ``app.py`` brings the routes of ``views.py``, is
:func:`~prodready_lint.sdk.web_services.discover_services`'s work.

The facts are JSON data (:meth:`WebFacts.to_json`), so a repository rule returns them
from ``collect()`` as they are and rebuilds them with :meth:`WebFacts.from_json`.
"""

from __future__ import annotations

import ast
import re
import weakref
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from .files import PythonFile
from .model import Span
from .python import (
    Attribute,
    BinOp,
    Call,
    CallResult,
    Const,
    FString,
    Missing,
    Name,
    Origin,
    SequenceValue,
    Value,
)
from .web_paths import UNKNOWN, canonical_path, path_from_regex

__all__ = [
    "CONSTRUCTORS",
    "WEB_TRIGGERS",
    "Mount",
    "ObjectRef",
    "Parent",
    "Route",
    "Settings",
    "WebFacts",
    "WebObject",
    "web_facts",
]

# constructor qualified name -> (framework, role); roles: "app" (a service when it is not
# mounted into another app), "router" (holds routes, is attached to an app), "extension"
# (constructed on an app, adds routes to it)
CONSTRUCTORS: Mapping[str, tuple[str, str]] = {
    "flask.Flask": ("flask", "app"),
    "flask.app.Flask": ("flask", "app"),
    "flask.Blueprint": ("flask", "router"),
    "flask.blueprints.Blueprint": ("flask", "router"),
    "quart.Quart": ("quart", "app"),
    "quart.app.Quart": ("quart", "app"),
    "quart.Blueprint": ("quart", "router"),
    "quart.blueprints.Blueprint": ("quart", "router"),
    "fastapi.FastAPI": ("fastapi", "app"),
    "fastapi.applications.FastAPI": ("fastapi", "app"),
    "fastapi.APIRouter": ("fastapi", "router"),
    "fastapi.routing.APIRouter": ("fastapi", "router"),
    "starlette.applications.Starlette": ("starlette", "app"),
    "starlette.routing.Router": ("starlette", "router"),
    "aiohttp.web.Application": ("aiohttp", "app"),
    "aiohttp.web_app.Application": ("aiohttp", "app"),
    "aiohttp.web.RouteTableDef": ("aiohttp", "router"),
    "aiohttp.web_routedef.RouteTableDef": ("aiohttp", "router"),
    "falcon.App": ("falcon", "app"),
    "falcon.API": ("falcon", "app"),
    "falcon.app.App": ("falcon", "app"),
    "falcon.asgi.App": ("falcon", "app"),
    "sanic.Sanic": ("sanic", "app"),
    "sanic.app.Sanic": ("sanic", "app"),
    "sanic.Blueprint": ("sanic", "router"),
    "sanic.blueprints.Blueprint": ("sanic", "router"),
    "litestar.Litestar": ("litestar", "app"),
    "litestar.app.Litestar": ("litestar", "app"),
    "litestar.Router": ("litestar", "router"),
    "litestar.router.Router": ("litestar", "router"),
    "tornado.web.Application": ("tornado", "app"),
    "bottle.Bottle": ("bottle", "app"),
    "pyramid.config.Configurator": ("pyramid", "app"),
    "flask_restful.Api": ("flask", "router"),
    "flask_restx.Api": ("flask", "router"),
    "flask_restplus.Api": ("flask", "router"),
    "flask_restx.Namespace": ("flask", "router"),
    "flask_restplus.Namespace": ("flask", "router"),
    "flask_smorest.Api": ("flask", "router"),
    "flask_smorest.Blueprint": ("flask", "router"),
    "rest_framework.routers.DefaultRouter": ("django", "router"),
    "rest_framework.routers.SimpleRouter": ("django", "router"),
    "flask_healthz.Healthz": ("flask", "extension"),
    "healthcheck.HealthCheck": ("flask", "extension"),
    "healthcheck.EnvironmentDump": ("flask", "extension"),
    "prometheus_flask_exporter.PrometheusMetrics": ("flask", "extension"),
}

# The argument giving a router's own prefix at construction: (keyword, position)
_PREFIX_ARGUMENT: Mapping[str, tuple[str, int | None]] = {
    "flask.Blueprint": ("url_prefix", None),
    "flask.blueprints.Blueprint": ("url_prefix", None),
    "quart.Blueprint": ("url_prefix", None),
    "quart.blueprints.Blueprint": ("url_prefix", None),
    "fastapi.APIRouter": ("prefix", None),
    "fastapi.routing.APIRouter": ("prefix", None),
    "sanic.Blueprint": ("url_prefix", None),
    "sanic.blueprints.Blueprint": ("url_prefix", None),
    "litestar.Router": ("path", 0),
    "litestar.router.Router": ("path", 0),
    "flask_restful.Api": ("prefix", None),
    "flask_restx.Api": ("prefix", None),
    "flask_restplus.Api": ("prefix", None),
    "flask_restx.Namespace": ("path", None),
    "flask_restplus.Namespace": ("path", None),
    "flask_smorest.Blueprint": ("url_prefix", None),
}

# Extensions that serve fixed routes on the app they are constructed with:
# qualname -> (routes under the prefix, prefix keyword, prefix position, default prefix)
_EXTENSION_ROUTES: Mapping[str, tuple[tuple[str, ...], str | None, int | None, str]] = {
    "flask_healthz.Healthz": (("/live", "/ready"), "prefix", 1, "/healthz"),
    "healthcheck.HealthCheck": (("",), "path", 1, "/healthcheck"),
    "healthcheck.EnvironmentDump": (("",), "path", 1, "/environment"),
    "prometheus_flask_exporter.PrometheusMetrics": (("",), "path", None, "/metrics"),
}
_HEALTH_EXTENSIONS = frozenset({"flask_healthz.Healthz", "healthcheck.HealthCheck"})

# Importable objects of health libraries that are blueprints or routers themselves:
# qualname -> routes relative to where they are registered
HEALTH_LIBRARY_OBJECTS: Mapping[str, tuple[str, ...]] = {
    "flask_healthz.healthz": ("/live", "/ready"),
    "flask_healthz.bp": ("/live", "/ready"),
}
# Modules whose functions make health endpoints (fastapi-health's health([...]))
_HEALTH_ENDPOINT_MODULES = ("fastapi_health", "healthcheck", "health_check", "flask_healthz", "starlette_health")

_ROUTE_DECORATORS = frozenset(
    {
        "route",
        "get",
        "post",
        "put",
        "delete",
        "patch",
        "head",
        "options",
        "trace",
        "api_route",
        "websocket",
        "websocket_route",
        "view",
    }
)
_HTTP_METHODS = frozenset({"get", "post", "put", "delete", "patch", "head", "options", "trace"})
_AIOHTTP_ADD = {
    "add_get": "GET",
    "add_post": "POST",
    "add_put": "PUT",
    "add_patch": "PATCH",
    "add_delete": "DELETE",
    "add_head": "HEAD",
    "add_options": "OPTIONS",
    "add_view": "*",
}
_ADD_ROUTE = frozenset(
    {
        "add_url_rule",
        "add_api_route",
        "add_route",
        "add_api_websocket_route",
        "add_websocket_route",
        "add_resource",
        "add_static",
        "add_sink",
        "add_static_route",
        "register",
        *_AIOHTTP_ADD,
    }
)
_REGISTER = frozenset(
    {
        "register_blueprint",
        "include_router",
        "mount",
        "add_subapp",
        "add_routes",
        "blueprint",
        "add_namespace",
        "init_app",
        "add_middleware",
        "expose",
    }
)
_METHODS = _ROUTE_DECORATORS | _ADD_ROUTE | _REGISTER
# aiohttp methods of ``app.router`` that add to the app itself
_ON_ROUTER = frozenset({*_AIOHTTP_ADD, "add_route", "add_static", "add_resource", "add_routes"})

# Module-level route functions, taking a path: qualname -> (framework, kind)
_ROUTE_FUNCTIONS: Mapping[str, tuple[str, str]] = {
    "starlette.routing.Route": ("starlette", "route"),
    "starlette.routing.WebSocketRoute": ("starlette", "route"),
    "starlette.routing.Mount": ("starlette", "mount"),
    "starlette.routing.Host": ("starlette", "host"),
    "django.urls.path": ("django", "path"),
    "django.urls.re_path": ("django", "re_path"),
    "django.urls.conf.path": ("django", "path"),
    "django.urls.conf.re_path": ("django", "re_path"),
    "django.conf.urls.url": ("django", "re_path"),
    "django.urls.include": ("django", "include"),
    "django.urls.conf.include": ("django", "include"),
    "django.conf.urls.include": ("django", "include"),
    "aiohttp.web.get": ("aiohttp", "route"),
    "aiohttp.web.post": ("aiohttp", "route"),
    "aiohttp.web.put": ("aiohttp", "route"),
    "aiohttp.web.patch": ("aiohttp", "route"),
    "aiohttp.web.delete": ("aiohttp", "route"),
    "aiohttp.web.head": ("aiohttp", "route"),
    "aiohttp.web.view": ("aiohttp", "route"),
    "aiohttp.web.route": ("aiohttp", "route"),
    "aiohttp.web.static": ("aiohttp", "static"),
    "tornado.web.url": ("tornado", "route"),
    "tornado.routing.URLSpec": ("tornado", "route"),
    "tornado.web.URLSpec": ("tornado", "route"),
    "litestar.get": ("litestar", "handler"),
    "litestar.post": ("litestar", "handler"),
    "litestar.put": ("litestar", "handler"),
    "litestar.patch": ("litestar", "handler"),
    "litestar.delete": ("litestar", "handler"),
    "litestar.head": ("litestar", "handler"),
    "litestar.route": ("litestar", "handler"),
    "litestar.websocket": ("litestar", "handler"),
    "litestar.handlers.get": ("litestar", "handler"),
    "litestar.handlers.post": ("litestar", "handler"),
}

_SETTINGS = ("ROOT_URLCONF", "APPEND_SLASH", "MIDDLEWARE", "MIDDLEWARE_CLASSES")

WEB_TRIGGERS: tuple[str | re.Pattern, ...] = (
    "flask",
    "Flask",
    "fastapi",
    "starlette",
    "aiohttp",
    "falcon",
    "sanic",
    "quart",
    "litestar",
    "tornado",
    "pyramid",
    "bottle",
    "urlpatterns",
    "ROOT_URLCONF",
    "DJANGO_SETTINGS_MODULE",
    # a router imported from another module: @router.get(...), router.add_api_route(...)
    re.compile(
        r"\brouter\.(?:get|post|put|patch|delete|head|options|route|api_route|add_\w+|include_router|websocket)\("
    ),
    "Blueprint",
    ".route(",
    "add_url_rule",
    "add_route",
    re.compile(r"""['"]/(?:-/)?(?:health|healthz|ready|readyz|live|livez|ping|status)\b"""),
)
"""Byte triggers of the files that can hold web facts: a repository rule that reads
:func:`web_facts` declares them as its ``collect_triggers``."""
_STRUCTURAL_TRIGGERS = tuple(t for t in WEB_TRIGGERS if t not in ("ROOT_URLCONF", "DJANGO_SETTINGS_MODULE"))


@attrs.frozen(slots=True)
class ObjectRef:
    """How code names a web object (an app, a blueprint, a router).

    ``kind`` is ``"local"`` (a name bound in this module; ``function`` is the enclosing
    function's qualified name or ``"<module>"``), ``"import"`` (``name`` is the qualified
    name as imported, relative imports still relative: ``.views.bp``) or ``"param"`` (a
    parameter ``name`` of ``function``). ``type`` is what the name was traced to, when
    known: a constructor (``flask.Flask``) or the factory that returned it
    (``myapp.create_app``)."""

    kind: str
    name: str
    function: str = "<module>"
    type: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "function": self.function, "type": self.type}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ObjectRef:
        return cls(data["kind"], data["name"], data.get("function", "<module>"), data.get("type"))


@attrs.frozen(slots=True)
class Parent:
    """What a route or a mount belongs to: a web object (``object``), a group (``group``:
    the index of a :class:`Mount` whose routes are written inside it, such as Starlette's
    ``Mount(path, routes=[...])`` or Django's ``path("api/", include([...]))``), or a
    module-level list (``list``: ``urlpatterns``, a Starlette ``routes`` list). All
    ``None``: declared where nothing attaches it (a ``path()`` in a function body)."""

    object: ObjectRef | None = None
    group: int | None = None
    list: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "object": self.object.to_json() if self.object else None,
            "group": self.group,
            "list": self.list,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Parent:
        obj = data.get("object")
        return cls(ObjectRef.from_json(obj) if obj else None, data.get("group"), data.get("list"))


@attrs.frozen(slots=True)
class WebObject:
    """An app, router or extension built in this module: ``constructor`` is the class's
    qualified name, ``framework`` and ``role`` (``"app"``, ``"router"``,
    ``"extension"``) what it is; ``name`` the name it is bound to (``app``,
    ``self.app``; ``None`` when it is not bound to a name), in ``function``;
    ``prefix`` the path prefix given at construction (canonical); ``attaches`` the app
    an extension or API object is constructed on (``Api(app)``); ``routes`` the routes
    an extension serves on it; ``span`` the constructor call."""

    framework: str
    role: str
    constructor: str
    name: str | None
    function: str
    span: Span
    prefix: str | None = None
    attaches: ObjectRef | None = None
    routes: tuple[str, ...] = ()
    health: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "role": self.role,
            "constructor": self.constructor,
            "name": self.name,
            "function": self.function,
            "span": self.span,
            "prefix": self.prefix,
            "attaches": self.attaches.to_json() if self.attaches else None,
            "routes": list(self.routes),
            "health": self.health,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WebObject:
        attaches = data.get("attaches")
        return cls(
            data["framework"],
            data["role"],
            data["constructor"],
            data.get("name"),
            data.get("function", "<module>"),
            _span(data["span"]),
            data.get("prefix"),
            ObjectRef.from_json(attaches) if attaches else None,
            tuple(data.get("routes") or ()),
            bool(data.get("health")),
        )


@attrs.frozen(slots=True)
class Route:
    """A route: ``path`` in canonical form (see :mod:`~prodready_lint.sdk.web_paths`),
    relative to what it is attached to (``parent``); ``methods`` as declared (empty when
    the framework's default applies); ``handler`` the view as written; ``health`` when
    the handler comes from a health library (fastapi-health's ``health([...])``);
    ``span`` the decorator or call that declares it."""

    parent: Parent
    path: str
    framework: str
    span: Span
    methods: tuple[str, ...] = ()
    handler: str | None = None
    health: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "parent": self.parent.to_json(),
            "path": self.path,
            "framework": self.framework,
            "span": self.span,
            "methods": list(self.methods),
            "handler": self.handler,
            "health": self.health,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Route:
        return cls(
            Parent.from_json(data["parent"]),
            data["path"],
            data["framework"],
            _span(data["span"]),
            tuple(data.get("methods") or ()),
            data.get("handler"),
            bool(data.get("health")),
        )


@attrs.frozen(slots=True)
class Mount:
    """Something attached under a path prefix: a blueprint registered on an app, a router
    included, a sub-application mounted, a Django ``include``.

    ``parent`` is where it is attached; ``prefix`` the path prefix (canonical; ``None``
    when the registration gives none, so a blueprint's own ``url_prefix`` applies);
    ``target`` what is attached: an object (``ObjectRef``), a Django URLconf module
    (``urlconf``, as written: ``"blog.urls"``), a module-level list (``list``), or
    nothing but the routes written inside it (all ``None``: a group, which routes name
    as their ``Parent.group``). ``replaces_prefix`` says the prefix given here replaces
    the target's own (Flask's ``register_blueprint(url_prefix=)``) rather than being
    added to it (FastAPI's ``include_router(prefix=)``)."""

    parent: Parent
    prefix: str | None
    framework: str
    span: Span
    target: ObjectRef | None = None
    urlconf: str | None = None
    list: str | None = None
    replaces_prefix: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "parent": self.parent.to_json(),
            "prefix": self.prefix,
            "framework": self.framework,
            "span": self.span,
            "target": self.target.to_json() if self.target else None,
            "urlconf": self.urlconf,
            "list": self.list,
            "replaces_prefix": self.replaces_prefix,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Mount:
        target = data.get("target")
        return cls(
            Parent.from_json(data["parent"]),
            data.get("prefix"),
            data["framework"],
            _span(data["span"]),
            ObjectRef.from_json(target) if target else None,
            data.get("urlconf"),
            data.get("list"),
            bool(data.get("replaces_prefix")),
        )


@attrs.frozen(slots=True)
class Settings:
    """Django settings a module sets at module level: ``root_urlconf`` (``ROOT_URLCONF``),
    ``append_slash`` (``APPEND_SLASH``; ``None`` when not set), ``middleware`` (the
    ``MIDDLEWARE`` entries, when written as a literal list), ``span`` where
    ``ROOT_URLCONF`` is set."""

    root_urlconf: str | None
    append_slash: bool | None
    middleware: tuple[str, ...] | None
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "root_urlconf": self.root_urlconf,
            "append_slash": self.append_slash,
            "middleware": list(self.middleware) if self.middleware is not None else None,
            "span": self.span,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Settings:
        middleware = data.get("middleware")
        span = data.get("span")
        return cls(
            data.get("root_urlconf"),
            data.get("append_slash"),
            tuple(middleware) if middleware is not None else None,
            _span(span) if span is not None else None,
        )


@attrs.frozen(slots=True)
class WebFacts:
    """What one module contributes to the web services of a repository (see the module
    documentation).

    ``lists`` maps each module-level list of routes (``urlpatterns``, a Starlette
    ``routes``) to its first span and the other lists or objects added to it
    (``urlpatterns += router.urls``); ``handoffs`` are calls passing a web object to a
    function (``init_routes(app)``), as ``(callee, position, keyword, object)``;
    ``params`` the parameters of the functions that attach routes to a parameter;
    ``intercepts`` paths that code answers before routing (a middleware comparing
    ``request.path`` with ``"/health"``); ``middleware`` the middleware classes
    registered on this module's apps (qualified names); ``served`` the objects this module
    runs (``app.run()``, ``uvicorn.run(app)``, ``web.run_app(app)``); ``django_settings`` the
    settings modules it names in ``DJANGO_SETTINGS_MODULE`` (``manage.py``, ``wsgi.py``,
    ``asgi.py``: ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")``)."""

    objects: tuple[WebObject, ...] = ()
    routes: tuple[Route, ...] = ()
    mounts: tuple[Mount, ...] = ()
    lists: Mapping[str, tuple[Span, tuple[ObjectRef, ...]]] = attrs.field(factory=dict)
    handoffs: tuple[tuple[str, int | None, str | None, ObjectRef], ...] = ()
    params: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    settings: Settings | None = None
    intercepts: tuple[tuple[str, Span], ...] = ()
    middleware: tuple[str, ...] = ()
    served: tuple[ObjectRef, ...] = ()
    django_settings: tuple[tuple[str, Span], ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.objects
            or self.routes
            or self.mounts
            or self.lists
            or self.handoffs
            or self.settings
            or self.intercepts
            or self.served
            or self.django_settings
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "objects": [o.to_json() for o in self.objects],
            "routes": [r.to_json() for r in self.routes],
            "mounts": [m.to_json() for m in self.mounts],
            "lists": {name: [span, [r.to_json() for r in refs]] for name, (span, refs) in self.lists.items()},
            "handoffs": [[callee, pos, kw, ref.to_json()] for callee, pos, kw, ref in self.handoffs],
            "params": {name: list(params) for name, params in self.params.items()},
            "settings": self.settings.to_json() if self.settings else None,
            "intercepts": [[path, span] for path, span in self.intercepts],
            "middleware": list(self.middleware),
            "served": [r.to_json() for r in self.served],
            "django_settings": [[name, span] for name, span in self.django_settings],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WebFacts:
        settings = data.get("settings")
        return cls(
            objects=tuple(WebObject.from_json(o) for o in data.get("objects", ())),
            routes=tuple(Route.from_json(r) for r in data.get("routes", ())),
            mounts=tuple(Mount.from_json(m) for m in data.get("mounts", ())),
            lists={
                name: (_span(span), tuple(ObjectRef.from_json(r) for r in refs))
                for name, (span, refs) in (data.get("lists") or {}).items()
            },
            handoffs=tuple(
                (callee, pos, kw, ObjectRef.from_json(ref)) for callee, pos, kw, ref in data.get("handoffs", ())
            ),
            params={name: tuple(params) for name, params in (data.get("params") or {}).items()},
            settings=Settings.from_json(settings) if settings else None,
            intercepts=tuple((path, _span(span)) for path, span in data.get("intercepts", ())),
            middleware=tuple(data.get("middleware", ())),
            served=tuple(ObjectRef.from_json(r) for r in data.get("served", ())),
            django_settings=tuple((name, _span(span)) for name, span in data.get("django_settings", ())),
        )


def _span(value: Any) -> Span:
    if isinstance(value, Span):
        return value
    if isinstance(value, Mapping) and "line" in value:
        return Span(value["line"], value["column"], value["end_line"], value["end_column"])
    return Span(*value)


_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def web_facts(file: PythonFile) -> WebFacts:
    """The web facts of a module (computed once per file object, however many rules ask)."""
    facts = _MEMO.get(file)
    if facts is None:
        if _builds_web_objects(file.text):
            facts = _Extractor(file).run()
        else:  # only Django settings (settings.py, manage.py, wsgi.py): read without lowering
            facts = WebFacts(settings=_settings(file), django_settings=tuple(_settings_modules(file)))
        _MEMO[file] = facts
    return facts


def _builds_web_objects(text: str) -> bool:
    """Whether a module may build apps, routers or routes (any trigger of
    :data:`WEB_TRIGGERS` other than the Django settings names)."""
    return any(
        (trigger in text if isinstance(trigger, str) else trigger.search(text)) for trigger in _STRUCTURAL_TRIGGERS
    )


# -- values ---------------------------------------------------------------------------------


def path_text(value: Value | Missing | None) -> str | None:
    """The text of a path argument, with the parts the code computes as ``{?}``; ``None``
    when the value is not a string at all."""
    if isinstance(value, Const):
        return value.value if isinstance(value.value, str) else None
    if isinstance(value, (Name, Attribute)):
        if value.bound is not None:
            return path_text(value.bound)
        return UNKNOWN
    if isinstance(value, FString):
        parts = []
        for part in value.parts:
            text = path_text(part)
            parts.append(UNKNOWN if text is None else text)
        return "".join(parts)
    if isinstance(value, BinOp) and value.op == "+":
        left, right = path_text(value.left), path_text(value.right)
        if left is None and right is None:
            return None
        return (left if left is not None else UNKNOWN) + (right if right is not None else UNKNOWN)
    if isinstance(value, BinOp) and value.op == "%":
        left = path_text(value.left)
        return re.sub(r"%[sdr]", UNKNOWN, left) if left is not None else None
    if isinstance(value, CallResult):
        call = value.call
        if call.method == "format" or call.qualname in ("os.getenv", "os.environ.get"):
            return UNKNOWN
        return UNKNOWN
    return None


def _clean(text: str) -> str:
    text = canonical_path(text)
    while UNKNOWN + UNKNOWN in text:
        text = text.replace(UNKNOWN + UNKNOWN, UNKNOWN)
    return text


def _str_value(value: Value | Missing | None) -> str | None:
    if isinstance(value, Const) and isinstance(value.value, str):
        return value.value
    if isinstance(value, (Name, Attribute)) and isinstance(value.bound, Const) and isinstance(value.bound.value, str):
        return value.bound.value
    return None


_TARGET = re.compile(r"^\s*((?:[A-Za-z_][\w.]*\s*(?::[^=]+)?=\s*)+)$")
_TARGET_NAME = re.compile(r"([A-Za-z_][\w.]*)\s*(?::[^=]+)?=")


class _Extractor:
    def __init__(self, file: PythonFile) -> None:
        self.file = file
        self.subclasses = _subclasses(file)
        self.objects: list[WebObject] = []
        self.routes: list[Route] = []
        self.mounts: list[Mount] = []
        self.handoffs: list[tuple[str, int | None, str | None, ObjectRef]] = []
        self.params: dict[str, tuple[str, ...]] = {}
        self.consumed: set[Span] = set()
        self.served: list[ObjectRef] = []
        self.middleware: list[str] = []
        self._handlers: dict[Span, str] | None = None
        self._functions: dict[str, tuple[str, ...]] | None = None

    # -- helpers ----------------------------------------------------------------------------
    def binding(self, call: Call) -> str | None:
        """The name a call's result is bound to, from the text before it on its line
        (``app = Flask(__name__)``, ``self.app: Flask = Flask()``)."""
        line = self.file.line(call.span.line)
        match = _TARGET.match(line[: call.span.column - 1])
        if match is None:
            return None
        names = _TARGET_NAME.findall(match.group(1))
        return names[-1] if names else None

    def handler_of(self, call: Call) -> str | None:
        if self._handlers is None:
            self._handlers = {}
            for function in self.file.functions:
                for decorator in function.decorators:
                    if isinstance(decorator, CallResult):
                        self._handlers[decorator.call.span] = function.name
        return self._handlers.get(call.span)

    def function_params(self) -> dict[str, tuple[str, ...]]:
        if self._functions is None:
            self._functions = {f.qualname: f.params for f in self.file.functions}
        return self._functions

    def ref_of_value(self, value: Value | Missing | None, function: str) -> ObjectRef | None:
        """The web object an argument names (``views_bp``, ``routes.bp``, ``app``)."""
        if isinstance(value, CallResult):
            call = value.call
            if call.qualname in CONSTRUCTORS:
                return ObjectRef("local", f"<call {call.span.line}:{call.span.column}>", call.function, call.qualname)
            return None
        if not isinstance(value, (Name, Attribute)):
            return None
        text = value.id if isinstance(value, Name) else value.dotted
        if value.qualname is not None and not value.qualname.startswith("builtins."):
            return ObjectRef("import", value.qualname)
        if text is None:
            return None
        origin = value.origin
        type_ = self.origin_type(origin)
        if type_ is not None:
            return ObjectRef("local", text, function, type_)
        if isinstance(value, Name) and value.id in self.function_params().get(function, ()):
            return ObjectRef("param", value.id, function)
        return ObjectRef("local", text, function, None)

    def origin_type(self, origin: Origin | None) -> str | None:
        """The constructor or factory a traced object comes from; an app class of this
        module (``class Api(Flask)``) is its framework's class."""
        type_ = _origin_type(origin)
        if type_ is None and origin is not None and origin.kind == "call" and origin.call is not None:
            return self.subclasses.get(origin.call.callee or "")
        return type_

    def owner_of(self, call: Call) -> ObjectRef | None:
        """The object a method call is made on."""
        callee = call.callee
        if not callee or "." not in callee:
            return None
        owner = callee.rsplit(".", 1)[0]
        receiver = call.receiver
        if owner.endswith(".router") and call.method in _ON_ROUTER:
            owner = owner[: -len(".router")]
            if receiver is not None and receiver.kind == "attribute" and receiver.method == "router":
                receiver = receiver.receiver
        if call.qualname is not None:
            qualname = call.qualname.rsplit(".", 1)[0]
            if qualname.endswith(".router") and call.method in _ON_ROUTER:
                qualname = qualname[: -len(".router")]
            return ObjectRef("import", qualname)
        type_ = self.origin_type(receiver)
        if type_ is not None:
            return ObjectRef("local", owner, call.function, type_)
        if "." not in owner and owner in self.function_params().get(call.function, ()):
            return ObjectRef("param", owner, call.function)
        if owner.isidentifier():
            return ObjectRef("local", owner, call.function, None)
        return None

    # -- the pass ---------------------------------------------------------------------------
    def run(self) -> WebFacts:
        file = self.file
        calls = file.calls
        loose: list[Call] = []
        method_calls: list[Call] = []
        for call in calls:
            qualname = call.qualname
            if qualname is None and call.callee in self.subclasses:
                self.construct(call, self.subclasses[call.callee])
                continue
            if qualname is not None:
                if qualname in CONSTRUCTORS:
                    self.construct(call)
                    continue
                if qualname in _ROUTE_FUNCTIONS:
                    loose.append(call)
                    continue
                if qualname in _SERVERS:
                    self.serve(call)
                    continue
            method = call.method
            if method is not None and method in _METHODS:
                method_calls.append(call)
            elif method == "run" and call.qualname is None:
                owner = self.owner_of(call)
                if owner is not None and owner.type in CONSTRUCTORS:
                    self.served.append(owner)
        for call in method_calls:
            if call.span not in self.consumed:
                self.method(call)
        lists = self.module_lists()
        for call in loose:
            if call.span in self.consumed:
                continue
            parent = Parent()
            if call.function == "<module>":
                name = self.list_at(lists, call.span)
                parent = Parent(list=name) if name else Parent(list="<module>")
            self.loose(call, parent)
        if self.objects or self.routes or self.mounts:
            self.find_handoffs()
        self.params = {
            name: params
            for name, params in self.function_params().items()
            if any(
                (r.parent.object is not None and r.parent.object.kind == "param" and r.parent.object.function == name)
                for r in self.routes
            )
            or any(m.parent.object is not None and m.parent.object.function == name for m in self.mounts)
            or any(h[3].kind == "param" and h[3].function == name for h in self.handoffs)
        }
        return WebFacts(
            objects=tuple(self.objects),
            routes=tuple(self.routes),
            mounts=tuple(self.mounts),
            lists={name: (span, refs) for name, (span, _spans, refs) in lists.items() if name != "<module>"},
            handoffs=tuple(self.handoffs),
            params=self.params,
            settings=self.settings(),
            intercepts=tuple(self.intercepts()),
            middleware=tuple(dict.fromkeys(self.middleware)),
            served=tuple(self.served),
            django_settings=tuple(self.django_settings()),
        )

    # -- constructors -----------------------------------------------------------------------
    def construct(self, call: Call, qualname: str | None = None) -> None:
        qualname = qualname or call.qualname
        framework, role = CONSTRUCTORS[qualname]  # type: ignore[index]
        prefix = None
        spec = _PREFIX_ARGUMENT.get(qualname)  # type: ignore[arg-type]
        if spec is not None:
            text = path_text(call.argument(*spec))
            prefix = _clean(text) if text is not None else None
        attaches = None
        routes: tuple[str, ...] = ()
        if role == "extension" or qualname in (
            "flask_restful.Api",
            "flask_restx.Api",
            "flask_restplus.Api",
            "flask_smorest.Api",
        ):
            attaches = self.ref_of_value(call.argument("app", 0), call.function)
        if role == "extension":
            paths, keyword, position, default = _EXTENSION_ROUTES[qualname]  # type: ignore[index]
            text = path_text(call.argument(keyword, position)) if keyword else None
            base = _clean(text) if text is not None else default
            routes = tuple(_clean(base + suffix) if suffix else base for suffix in paths)
        name = self.binding(call)
        obj = WebObject(
            framework,
            role,
            qualname,  # type: ignore[arg-type]
            name,
            call.function,
            call.span,
            prefix,
            attaches,
            routes,
            qualname in _HEALTH_EXTENSIONS,
        )
        self.objects.append(obj)
        ref = ObjectRef("local", name or f"<call {call.span.line}:{call.span.column}>", call.function, qualname)
        if framework == "starlette" or qualname in ("litestar.Litestar", "litestar.app.Litestar"):
            self.route_list(call.argument("routes", None), Parent(object=ref), framework, call.span)
            if framework == "litestar":
                self.route_list(call.argument("route_handlers", 0), Parent(object=ref), framework, call.span)
            middleware = call.argument("middleware", None)
            if isinstance(middleware, SequenceValue):
                for item in middleware.items:
                    if isinstance(item, CallResult) and item.call.args:
                        self.add_middleware(item.call.args[0])
        elif framework == "tornado":
            self.tornado_handlers(call.argument("handlers", 0), Parent(object=ref), call.span)
        elif framework == "litestar":
            self.route_list(call.argument("route_handlers", 1), Parent(object=ref), framework, call.span)

    def add_middleware(self, value: Value) -> None:
        if isinstance(value, (Name, Attribute)) and value.qualname and not value.qualname.startswith("builtins."):
            self.middleware.append(value.qualname)

    def serve(self, call: Call) -> None:
        ref = self.ref_of_value(call.argument("app", 0), call.function)
        if ref is not None:
            self.served.append(ref)

    # -- route lists (Starlette, Django, aiohttp add_routes, Tornado) -------------------------
    def route_list(self, value: Value | Missing, parent: Parent, framework: str, span: Span) -> None:
        if isinstance(value, SequenceValue):
            for item in value.items:
                if isinstance(item, CallResult):
                    call = item.call
                    if call.qualname in _ROUTE_FUNCTIONS:
                        self.loose(call, parent)
                    elif call.qualname in CONSTRUCTORS:
                        pass  # a router built inline: handled as its own object
                elif framework == "litestar" and isinstance(item, (Name, Attribute)):
                    ref = self.ref_of_value(item, "<module>")
                    if ref is not None:
                        self.mounts.append(Mount(parent, None, framework, span, target=ref))
        elif isinstance(value, (Name, Attribute)):
            if isinstance(value, Name) and value.qualname is None:
                self.mounts.append(Mount(parent, None, framework, span, list=value.id))
            elif value.qualname is not None:
                self.mounts.append(Mount(parent, None, framework, span, target=ObjectRef("import", value.qualname)))
            elif isinstance(value, Attribute) and value.attr == "urls" and value.dotted:
                ref = ObjectRef("local", value.dotted.rsplit(".", 1)[0], "<module>", self.origin_type(value.origin))
                self.mounts.append(Mount(parent, None, framework, span, target=ref))

    def tornado_handlers(self, value: Value | Missing, parent: Parent, span: Span) -> None:
        if not isinstance(value, SequenceValue):
            return
        for item in value.items:
            if isinstance(item, SequenceValue) and item.items:
                text = _str_value(item.items[0])
                if text is not None:
                    handler = _value_text(item.items[1]) if len(item.items) > 1 else None
                    self.routes.append(Route(parent, _clean(path_from_regex(text)), "tornado", span, (), handler))
            elif isinstance(item, CallResult) and item.call.qualname in _ROUTE_FUNCTIONS:
                self.loose(item.call, parent)

    def loose(self, call: Call, parent: Parent) -> None:
        """A module-level route function (``Route``, ``Mount``, ``path``, ``include``,
        ``web.get``...) under ``parent``."""
        self.consumed.add(call.span)
        framework, kind = _ROUTE_FUNCTIONS[call.qualname]  # type: ignore[index]
        if kind == "route":
            if framework == "aiohttp":
                if call.qualname == "aiohttp.web.route":
                    method, path = _str_value(call.argument("method", 0)), path_text(call.argument("path", 1))
                    handler = call.argument("handler", 2)
                else:
                    method = call.qualname.rsplit(".", 1)[1].upper()  # type: ignore[union-attr]
                    path, handler = path_text(call.argument("path", 0)), call.argument("handler", 1)
                if path is not None:
                    methods = (method,) if method else ()
                    self.routes.append(Route(parent, _clean(path), framework, call.span, methods, _value_text(handler)))
                return
            if framework == "tornado":
                text = _str_value(call.argument("pattern", 0))
                if text is not None:
                    handler = _value_text(call.argument("handler", 1))
                    self.routes.append(Route(parent, _clean(path_from_regex(text)), framework, call.span, (), handler))
                return
            path = path_text(call.argument("path", 0))
            if path is not None:
                endpoint = call.argument("endpoint", 1)
                methods = _methods(call.argument("methods", None))
                self.routes.append(
                    Route(
                        parent,
                        _clean(path),
                        framework,
                        call.span,
                        methods,
                        _value_text(endpoint),
                        _is_health_endpoint(endpoint),
                    )
                )
        elif kind == "mount":  # Starlette Mount(path, app=None, routes=None)
            path = path_text(call.argument("path", 0))
            prefix = _clean(path) if path is not None else UNKNOWN
            app = call.argument("app", 1)
            routes = call.argument("routes", None)
            if isinstance(routes, (SequenceValue, Name, Attribute)):
                index = len(self.mounts)
                self.mounts.append(Mount(parent, prefix, framework, call.span))
                self.route_list(routes, Parent(group=index), framework, call.span)
            ref = self.ref_of_value(app, call.function) if not isinstance(app, Missing) else None
            if ref is not None:
                self.mounts.append(Mount(parent, prefix, framework, call.span, target=ref))
            elif not isinstance(app, Missing) and not isinstance(routes, (SequenceValue, Name, Attribute)):
                self.mounts.append(Mount(parent, prefix, framework, call.span, target=ObjectRef("import", "<opaque>")))
        elif kind == "host":
            self.mounts.append(Mount(parent, UNKNOWN, framework, call.span, target=ObjectRef("import", "<opaque>")))
        elif kind in ("path", "re_path"):
            text = _str_value(call.argument("route", 0))
            if text is None:
                raw = path_text(call.argument("route", 0))
                path = _clean(raw) if raw is not None else UNKNOWN
            else:
                path = _clean(path_from_regex(text)) if kind == "re_path" else _clean(text)
            view = call.argument("view", 1)
            if isinstance(view, CallResult) and view.call.qualname in _ROUTE_FUNCTIONS:
                inner = view.call
                if _ROUTE_FUNCTIONS[inner.qualname][1] == "include":  # type: ignore[index]
                    self.include(inner, parent, path)
                    return
            if isinstance(view, SequenceValue) and len(view.items) == 3:  # admin.site.urls is a tuple
                self.mounts.append(Mount(parent, path, framework, call.span, target=ObjectRef("import", "<opaque>")))
                return
            if isinstance(view, Attribute) and view.attr == "urls":
                self.mounts.append(Mount(parent, path, framework, call.span, target=self._urls_ref(view)))
                return
            self.routes.append(
                Route(parent, path, framework, call.span, (), _value_text(view), _is_health_endpoint(view))
            )
        elif kind == "include":
            self.include(call, parent, "")
        elif kind == "static":
            prefix = path_text(call.argument("prefix", 0))
            if prefix is not None:
                self.routes.append(Route(parent, _clean(prefix.rstrip("/") + "/{file:path}"), framework, call.span))
        elif kind == "handler":
            pass  # litestar handlers are attached where an app or router lists them

    def _urls_ref(self, value: Attribute) -> ObjectRef:
        """``router.urls`` / ``admin.site.urls``: the router, or an opaque target."""
        base = value.dotted.rsplit(".", 1)[0] if value.dotted else None
        type_ = self.origin_type(value.origin)
        if value.qualname is not None:
            qualname = value.qualname.rsplit(".", 1)[0]
            if qualname.startswith("django.contrib.admin"):
                return ObjectRef("import", "<opaque>")
            return ObjectRef("import", qualname)
        if base is not None:
            return ObjectRef("local", base, "<module>", type_)
        return ObjectRef("import", "<opaque>")

    def include(self, call: Call, parent: Parent, prefix: str) -> None:
        """Django ``include()``: of a module (``"blog.urls"``, ``("blog.urls", "blog")``), a
        list, or a router's ``urls``."""
        self.consumed.add(call.span)
        target = call.argument("arg", 0)
        if isinstance(target, SequenceValue) and target.kind == "tuple" and target.items:
            target = target.items[0]  # include(("app.urls", "app_name"))
        module = _str_value(target)
        if module is not None:
            self.mounts.append(Mount(parent, prefix, "django", call.span, urlconf=module))
        elif isinstance(target, SequenceValue):
            index = len(self.mounts)
            self.mounts.append(Mount(parent, prefix, "django", call.span))
            for item in target.items:
                if isinstance(item, CallResult) and item.call.qualname in _ROUTE_FUNCTIONS:
                    self.loose(item.call, Parent(group=index))
        elif isinstance(target, Attribute) and target.attr == "urls":
            self.mounts.append(Mount(parent, prefix, "django", call.span, target=self._urls_ref(target)))
        elif isinstance(target, Name) and target.qualname is None:
            self.mounts.append(Mount(parent, prefix, "django", call.span, list=target.id))
        elif isinstance(target, (Name, Attribute)) and target.qualname is not None:
            self.mounts.append(Mount(parent, prefix, "django", call.span, target=ObjectRef("import", target.qualname)))
        else:
            self.mounts.append(Mount(parent, prefix, "django", call.span, target=ObjectRef("import", "<opaque>")))

    # -- method calls on web objects ----------------------------------------------------------
    def method(self, call: Call) -> None:
        method = call.method
        owner = self.owner_of(call)
        if owner is None:
            return
        framework = _framework_of(owner)
        known = owner.type in CONSTRUCTORS
        parent = Parent(object=owner)
        if method in _ROUTE_DECORATORS:
            if method in ("route", "view") and framework == "aiohttp":
                if method == "route":
                    path = path_text(call.argument("path", 1))
                    verbs = (_str_value(call.argument("method", 0)) or "",)
                else:
                    path, verbs = path_text(call.argument("path", 0)), ("*",)
            elif method in _HTTP_METHODS and framework == "django":
                return  # a DRF router has no get()
            else:
                value = call.argument("path", 0)
                if isinstance(value, Missing):
                    value = call.argument("rule", None)
                if isinstance(value, Missing):
                    value = call.argument("uri", None)
                path = path_text(value)
                verbs = (method.upper(),) if method in _HTTP_METHODS else _methods(call.argument("methods", None))
            if path is None or not _plausible(path, known):
                return
            handler = self.handler_of(call)
            self.routes.append(Route(parent, _clean(path), framework or "", call.span, verbs, handler))
        elif method in _ADD_ROUTE:
            self.add_route(call, owner, framework, known)
        elif method in _REGISTER:
            self.register(call, owner, framework)

    def add_route(self, call: Call, owner: ObjectRef, framework: str | None, known: bool) -> None:
        method = call.method
        parent = Parent(object=owner)
        if method in _AIOHTTP_ADD:
            path = path_text(call.argument("path", 0))
            if path is not None and _plausible(path, known):
                handler = call.argument("handler", 1)
                self.routes.append(
                    Route(parent, _clean(path), "aiohttp", call.span, (_AIOHTTP_ADD[method],), _value_text(handler))
                )
            return
        if method == "add_static" or method == "add_static_route":
            path = path_text(call.argument("prefix", 0))
            if path is not None:
                self.routes.append(Route(parent, _clean(path.rstrip("/") + "/{file:path}"), framework or "", call.span))
            return
        if method == "add_sink":
            path = path_text(call.argument("prefix", 1))
            prefix = _clean(path_from_regex(path)) if path is not None else "/"
            self.mounts.append(Mount(parent, prefix, "falcon", call.span, target=ObjectRef("import", "<opaque>")))
            return
        if method == "register":  # DRF router.register(prefix, viewset)
            if framework not in ("django", None) or (owner.type is None and owner.kind != "import"):
                return
            prefix = _str_value(call.argument("prefix", 0))
            if prefix is None:
                return
            base = _clean(path_from_regex(prefix)).strip("/")
            viewset = _value_text(call.argument("viewset", 1))
            for suffix in ("/", "/{pk}/"):
                self.routes.append(Route(parent, base + suffix, "django", call.span, (), viewset))
            return
        if method == "add_resource":  # flask-restful: add_resource(Resource, *urls)
            handler = _value_text(call.args[0]) if call.args else None
            for value in call.args[1:]:
                path = path_text(value)
                if path is not None:
                    self.routes.append(Route(parent, _clean(path), framework or "flask", call.span, (), handler))
            return
        # add_url_rule(rule, endpoint, view_func), add_api_route(path, endpoint),
        # add_route: Starlette (path, endpoint), Falcon (uri, resource), Sanic (handler, uri),
        # aiohttp router (method, path, handler), Pyramid config (name, pattern)
        if method == "add_route" and framework == "sanic":
            path_value, handler_value = call.argument("uri", 1), call.argument("handler", 0)
        elif method == "add_route" and framework == "pyramid":
            path_value, handler_value = call.argument("pattern", 1), None
        elif method == "add_route" and framework == "aiohttp":
            path_value, handler_value = call.argument("path", 1), call.argument("handler", 2)
        elif method == "add_url_rule":
            path_value, handler_value = call.argument("rule", 0), call.argument("view_func", 2)
        else:
            path_value, handler_value = call.argument("path", 0), call.argument("endpoint", 1)
            if framework is None and _str_value(path_value) is not None and not _str_value(path_value).startswith("/"):
                second = _str_value(call.argument("path", 1))
                if second is not None and second.startswith("/"):  # (method, path) or (name, pattern)
                    path_value, handler_value = call.argument("path", 1), call.argument("handler", 2)
            if isinstance(path_value, Missing) and method == "add_route":
                path_value = call.argument("uri_template", None)
        path = path_text(path_value)
        if path is None or not _plausible(path, known):
            return
        methods = _methods(call.argument("methods", None))
        self.routes.append(
            Route(
                parent,
                _clean(path),
                framework or "",
                call.span,
                methods,
                _value_text(handler_value),
                _is_health_endpoint(handler_value),
            )
        )

    def register(self, call: Call, owner: ObjectRef, framework: str | None) -> None:
        method = call.method
        parent = Parent(object=owner)
        if method == "add_middleware":
            if call.args:
                self.add_middleware(call.args[0])
            return
        if method == "expose":  # prometheus-fastapi-instrumentator: .expose(app, endpoint="/metrics")
            app = self.ref_of_value(call.argument("app", 0), call.function)
            if app is not None:
                text = path_text(call.argument("endpoint", 1))
                path = _clean(text) if text is not None else "/metrics"
                self.routes.append(Route(Parent(object=app), path, "fastapi", call.span))
            return
        if method == "init_app":  # api.init_app(app): the owner attaches to the app
            app = self.ref_of_value(call.argument("app", 0), call.function)
            if app is not None and (owner.type in CONSTRUCTORS or owner.kind == "import"):
                self.mounts.append(Mount(Parent(object=app), None, framework or "flask", call.span, target=owner))
            return
        if method == "add_routes":  # aiohttp: a RouteTableDef or a list of web.get(...)
            value = call.argument("routes", 0)
            if isinstance(value, SequenceValue):
                for item in value.items:
                    if isinstance(item, CallResult) and item.call.qualname in _ROUTE_FUNCTIONS:
                        self.loose(item.call, parent)
                return
            target = self.ref_of_value(value, call.function)
            if target is not None:
                self.mounts.append(Mount(parent, None, "aiohttp", call.span, target=target))
            return
        if method == "mount":  # Starlette/FastAPI app.mount(path, app)
            path = path_text(call.argument("path", 0))
            target = self.ref_of_value(call.argument("app", 1), call.function)
            prefix = _clean(path) if path is not None else UNKNOWN
            self.mounts.append(
                Mount(parent, prefix, framework or "", call.span, target=target or ObjectRef("import", "<opaque>"))
            )
            return
        if method == "add_subapp":
            path = path_text(call.argument("prefix", 0))
            target = self.ref_of_value(call.argument("subapp", 1), call.function)
            prefix = _clean(path) if path is not None else UNKNOWN
            self.mounts.append(
                Mount(parent, prefix, "aiohttp", call.span, target=target or ObjectRef("import", "<opaque>"))
            )
            return
        # register_blueprint(bp, url_prefix=), include_router(router, prefix=),
        # app.blueprint(bp, url_prefix=) (Sanic), api.add_namespace(ns, path=)
        keyword = {"include_router": "prefix", "add_namespace": "path"}.get(method, "url_prefix")  # type: ignore[arg-type]
        value = call.argument("blueprint" if method != "include_router" else "router", 0)
        if method == "add_namespace":
            value = call.argument("ns", 0)
        target = self.ref_of_value(value, call.function)
        if target is None:
            if isinstance(value, CallResult):
                target = ObjectRef("import", "<opaque>")
            else:
                return
        text = path_text(call.argument(keyword, None))
        prefix = _clean(text) if text is not None else None
        self.mounts.append(
            Mount(
                parent,
                prefix,
                framework or ("fastapi" if method == "include_router" else "flask"),
                call.span,
                target=target,
                replaces_prefix=method != "include_router",
            )
        )

    # -- functions handed a web object -------------------------------------------------------------
    def find_handoffs(self) -> None:
        names = {o.name for o in self.objects if o.name}
        names |= {
            r.parent.object.name
            for r in self.routes
            if r.parent.object is not None and r.parent.object.kind in ("param", "local")
        }
        names |= {p for params in self.function_params().values() for p in params if p in ("app", "application")}
        if not names:
            return
        lines = self.file.lines
        for call in self.file.calls:
            if call.qualname in CONSTRUCTORS or not call.callee:
                continue
            # ``handlers.init_app(app)`` on a module of the repository is a function handed the app
            if call.method in _METHODS and not (call.method == "init_app" and call.qualname is not None):
                continue
            text = lines[call.span.line - 1] if call.span.line <= len(lines) else ""
            if not any(name in text for name in names):
                continue
            callee = call.qualname or call.callee
            if callee.startswith("builtins.") or callee in _SERVERS:
                continue
            for position, value in enumerate(call.args):
                ref = self._handed(value, call.function)
                if ref is not None:
                    self.handoffs.append((callee, position, None, ref))
            for keyword, value in call.keywords:
                ref = self._handed(value, call.function)
                if ref is not None:
                    self.handoffs.append((callee, None, keyword, ref))

    def _handed(self, value: Value, function: str) -> ObjectRef | None:
        if not isinstance(value, Name) or value.qualname is not None:
            return None
        type_ = self.origin_type(value.origin)
        if type_ in CONSTRUCTORS:
            return ObjectRef("local", value.id, function, type_)
        if value.id in self.function_params().get(function, ()):
            return ObjectRef("param", value.id, function)
        if any(o.name == value.id for o in self.objects):
            return ObjectRef("local", value.id, function, None)
        return None

    # -- module-level lists and settings (read from the module's statements) ----------------------------
    def module_lists(self) -> dict[str, tuple[Span, list[Span], tuple[ObjectRef, ...]]]:
        """Module-level lists of routes: name -> (first span, spans of its values, refs
        added to it). Read from the ``ast`` tree's module-level statements (and the bodies
        of module-level ``if`` and ``try``); without a tree, nothing."""
        tree = self.file.tree
        out: dict[str, tuple[Span, list[Span], list[ObjectRef]]] = {}
        if tree is None:
            return {}
        for statement in _module_statements(tree.body):
            if isinstance(statement, ast.Assign):
                targets = [t.id for t in statement.targets if isinstance(t, ast.Name)]
                value = statement.value
            elif (
                isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value
            ) or (isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name)):
                targets, value = [statement.target.id], statement.value
            else:
                continue
            if not targets or not _holds_list(value):
                continue
            span = self.file.span_of(statement)
            refs = [self._list_ref(part) for part in _added_parts(value)]
            for name in targets:
                _first, spans, known = out.setdefault(name, (span, [], []))
                spans.append(self.file.span_of(value))
                known.extend(r for r in refs if r is not None)
        return {name: (first, spans, tuple(refs)) for name, (first, spans, refs) in out.items()}

    def _list_ref(self, node: ast.expr) -> ObjectRef | None:
        if isinstance(node, ast.Name):
            qualname = self.file.imports.get(node.id)
            return ObjectRef("import", qualname) if qualname else ObjectRef("local", node.id)
        if isinstance(node, ast.Attribute) and node.attr == "urls":
            dotted = _dotted(node.value)
            if dotted is None:
                return None
            head = dotted.split(".", 1)[0]
            if dotted.startswith("admin.site"):
                return ObjectRef("import", "<opaque>")
            qualname = self.file.imports.get(head)
            if qualname is not None:
                return ObjectRef("import", qualname + dotted[len(head) :])
            return ObjectRef("local", dotted, "<module>", None)
        return None

    @staticmethod
    def list_at(lists: Mapping[str, tuple[Span, list[Span], tuple[ObjectRef, ...]]], span: Span) -> str | None:
        for name, (_first, spans, _refs) in lists.items():
            for outer in spans:
                if (outer.line, outer.column) <= (span.line, span.column) and (span.end_line, span.end_column) <= (
                    outer.end_line,
                    outer.end_column,
                ):
                    return name
        return None

    def django_settings(self) -> Iterator[tuple[str, Span]]:
        return _settings_modules(self.file)

    def settings(self) -> Settings | None:
        return _settings(self.file)

    def intercepts(self) -> Iterator[tuple[str, Span]]:
        """Paths compared with the request's path before routing (middleware, hooks), and
        paths handed to a health middleware wrapping the app."""
        tree = self.file.tree
        if tree is None or not _HEALTH_LITERAL.search(self.file.text):
            return
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and len(node.ops) == 1:
                left, right = node.left, node.comparators[0]
                if isinstance(node.ops[0], (ast.Eq, ast.In)):
                    if _is_request_path(left):
                        yield from ((p, self.file.span_of(node)) for p in _literal_paths(right))
                    elif _is_request_path(right) and isinstance(node.ops[0], ast.Eq):
                        yield from ((p, self.file.span_of(node)) for p in _literal_paths(left))
            elif isinstance(node, ast.Call) and "health" in (_dotted(node.func) or "").lower():
                # a health middleware wrapping the app: health_check(application, "/health/")
                for argument in (*node.args, *(k.value for k in node.keywords)):
                    yield from ((p, self.file.span_of(node)) for p in _literal_paths(argument))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("startswith", "endswith")
                and _is_request_path(node.func.value)
                and node.args
            ):
                yield from ((p, self.file.span_of(node)) for p in _literal_paths(node.args[0]))


def _settings_modules(file: PythonFile) -> Iterator[tuple[str, Span]]:
    """The settings modules ``DJANGO_SETTINGS_MODULE`` is set to, read from the text."""
    if "DJANGO_SETTINGS_MODULE" not in file.text:
        return
    for number, line in enumerate(file.lines, 1):
        match = _SETTINGS_MODULE.search(line)
        if match:
            yield match.group(1), Span(number, match.start(1) + 1, number, match.end(1) + 1)


def _literal_setting(node: ast.expr | None) -> Any:
    """A setting's literal value: a constant, or a list or tuple of strings (added
    together); ``None`` when the code computes it."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        items = []
        for element in node.elts:
            if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
                return None
            items.append(element.value)
        return items
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal_setting(node.left), _literal_setting(node.right)
        return left + right if isinstance(left, list) and isinstance(right, list) else None
    return None


def _module_settings(file: PythonFile) -> dict[str, Any] | None:
    """``ROOT_URLCONF``, ``APPEND_SLASH``, ``MIDDLEWARE`` and ``MIDDLEWARE_CLASSES`` as the
    module's top-level statements set them last (``None`` for a computed value), read
    from the ``ast`` tree without lowering the module; ``None`` without a tree."""
    tree = file.tree
    if tree is None:
        return None
    out: dict[str, Any] = {}
    for statement in _module_statements(tree.body):
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        elif isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add):
            target = statement.target
            if isinstance(target, ast.Name) and target.id in _SETTINGS:
                previous, added = out.get(target.id), _literal_setting(statement.value)
                out[target.id] = previous + added if isinstance(previous, list) and isinstance(added, list) else None
            continue
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in _SETTINGS:
                out[target.id] = _literal_setting(value)
    return out


def _settings(file: PythonFile) -> Settings | None:
    """The Django settings a module sets (see :class:`Settings`)."""
    text = file.text
    if "ROOT_URLCONF" not in text and "APPEND_SLASH" not in text:
        return None
    values = _module_settings(file)
    if values is None:  # parsed by LibCST: the lowered constants
        constants = file.constants
        values = {key: constants.get(key) for key in _SETTINGS}
        for key, value in values.items():
            if isinstance(value, Const):
                values[key] = value.value
            elif isinstance(value, SequenceValue):
                values[key] = [_str_value(item) for item in value.items]
            else:
                values[key] = None
    root = values.get("ROOT_URLCONF")
    root = root if isinstance(root, str) else None
    if root is None and "ROOT_URLCONF" in text:
        # set in a class (django-configurations), under a condition, annotated, or
        # from the environment with a default: the first literal module name written
        for line in file.lines:
            match = _ROOT_URLCONF_LINE.match(line)
            if match and match.group(1):
                root = match.group(1)
                break
    append = values.get("APPEND_SLASH")
    append_slash = append if isinstance(append, bool) else None
    middleware = None
    for key in ("MIDDLEWARE", "MIDDLEWARE_CLASSES"):
        value = values.get(key)
        if isinstance(value, list):
            middleware = tuple(item for item in value if item)
    span = None
    if root is not None or "ROOT_URLCONF" in text:
        for number, line in enumerate(file.lines, 1):
            match = _ROOT_URLCONF_LINE.match(line)
            if match:
                indent = len(line) - len(line.lstrip())
                span = Span(number, indent + 1, number, len(line) + 1)
                break
    if root is None and append_slash is None and span is None:
        return None
    return Settings(root, append_slash, middleware, span)


_SERVERS = frozenset(
    {
        "uvicorn.run",
        "aiohttp.web.run_app",
        "hypercorn.asyncio.serve",
        "waitress.serve",
        "werkzeug.serving.run_simple",
        "wsgiref.simple_server.make_server",
        "gevent.pywsgi.WSGIServer",
        "bjoern.run",
    }
)

# ROOT_URLCONF = "config.urls", ROOT_URLCONF: str = env("ROOT_URLCONF", default="config.urls")
_ROOT_URLCONF_LINE = re.compile(
    r"""^\s*ROOT_URLCONF\s*(?::[^=]*)?=(?!=)(?:[^#'"]*?['"](?:ROOT_URLCONF|DJANGO_ROOT_URLCONF)['"]\s*,)?"""
    r"""(?:[^#'"]*?['"](?![A-Z_]+['"])([A-Za-z_][\w.]*)['"])?"""
)
# os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production"),
# os.environ["DJANGO_SETTINGS_MODULE"] = "...", environ.get("DJANGO_SETTINGS_MODULE", "...")
_SETTINGS_MODULE = re.compile(r"""['"]DJANGO_SETTINGS_MODULE['"]\s*(?:\]\s*=|,)\s*['"]([A-Za-z_][\w.]*)['"]""")

_HEALTH_LITERAL = re.compile(r"""['"]/(?:-/)?(?:health|healthz|ready|readyz|live|livez|ping|status|healthcheck)""")


def _module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    for statement in body:
        if isinstance(statement, ast.If):
            yield from _module_statements(statement.body)
            yield from _module_statements(statement.orelse)
        elif isinstance(statement, ast.Try):
            yield from _module_statements(statement.body)
            yield from _module_statements(statement.orelse)
            yield from _module_statements(statement.finalbody)
        else:
            yield statement


def _holds_list(node: ast.expr) -> bool:
    if isinstance(node, (ast.List, ast.Tuple)):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _holds_list(node.left) or _holds_list(node.right) or _is_urls(node.left) or _is_urls(node.right)
    if isinstance(node, ast.Call):  # i18n_patterns(...), format_suffix_patterns([...]), static(...)
        return any(_holds_list(a) for a in node.args)
    return _is_urls(node)


def _is_urls(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "urls"


def _added_parts(node: ast.expr) -> Iterator[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _added_parts(node.left)
        yield from _added_parts(node.right)
    elif isinstance(node, (ast.Name, ast.Attribute)):
        yield node


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _is_request_path(node: ast.expr) -> bool:
    """``request.path``, ``request.url.path``, ``req.path_info``, ``scope["path"]``,
    ``environ["PATH_INFO"]``, ``request.rel_url.path``..."""
    if isinstance(node, ast.Attribute):
        return node.attr in ("path", "path_info", "raw_path", "url_rule") and _dotted(node) is not None
    if isinstance(node, ast.Subscript):
        key = node.slice
        return isinstance(key, ast.Constant) and key.value in ("path", "PATH_INFO", "raw_path")
    return False


def _literal_paths(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("/"):
        yield node.value
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for item in node.elts:
            yield from _literal_paths(item)


def _subclasses(file: PythonFile) -> dict[str, str]:
    """Classes of this module that extend a web framework's app or router class (``class
    CTFdFlask(Flask)``), by name, with that class's qualified name."""
    out: dict[str, str] = {}
    for _ in range(2):  # a subclass of a subclass
        for cls in file.classes:
            if cls.name in out or "." in cls.qualname:
                continue
            for base in cls.bases:
                name = getattr(base, "qualname", None)
                local = getattr(base, "id", None)
                if name in CONSTRUCTORS:
                    out[cls.name] = name
                elif local in out:
                    out[cls.name] = out[local]
    return out


def _origin_type(origin: Origin | None) -> str | None:
    """The constructor or factory a traced object comes from."""
    if origin is None:
        return None
    if origin.kind in ("call", "annotation") and origin.qualname is not None:
        return origin.qualname
    return None


def _framework_of(ref: ObjectRef) -> str | None:
    entry = CONSTRUCTORS.get(ref.type or "")
    return entry[0] if entry else None


def _plausible(path: str, known: bool) -> bool:
    """A path argument worth keeping: any string on a known web object, else one that
    reads like a URL path (``requests.get("https://...")`` on an unknown object is not)."""
    if known:
        return True
    return path.startswith("/") or path == "" or path.startswith(UNKNOWN)


def _methods(value: Value | Missing | None) -> tuple[str, ...]:
    if isinstance(value, SequenceValue):
        return tuple(v.upper() for v in (_str_value(item) for item in value.items) if v)
    return ()


def _value_text(value: Value | Missing | None) -> str | None:
    if isinstance(value, Name):
        return value.qualname if value.qualname and not value.qualname.startswith("builtins.") else value.id
    if isinstance(value, Attribute):
        return value.qualname or value.dotted
    if isinstance(value, CallResult):
        call = value.call
        name = call.qualname or call.callee
        return f"{name}()" if name else None
    return None


def _is_health_endpoint(value: Value | Missing | None) -> bool:
    """An endpoint made by a health library (fastapi-health's ``health([...])``)."""
    name = None
    if isinstance(value, CallResult):
        name = value.call.qualname
    elif isinstance(value, (Name, Attribute)):
        name = value.qualname
    return bool(name) and name.split(".", 1)[0] in _HEALTH_ENDPOINT_MODULES  # type: ignore[union-attr]
