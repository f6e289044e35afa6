"""Python facts: imports, qualified names, traced objects, constants, and parser parity."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst
import pytest
from prodready_lint.sdk import (
    MISSING,
    NOT_LITERAL,
    Const,
    Name,
    Origin,
    SequenceValue,
    Span,
    Unknown,
    literal,
    string_fragments,
)
from prodready_lint.sdk.files import PythonFile

from prodready_lint.errors import SourceError
from prodready_lint.python import parse_python
from prodready_lint.python.front_ast import lower_ast
from prodready_lint.python.front_cst import lower_cst
from prodready_lint.python.resolve import build_facts

TESTS = Path(__file__).parent


def facts(source: str) -> PythonFile:
    return parse_python("module.py", textwrap.dedent(source))


def call_at(file: PythonFile, line: int):
    matches = [c for c in file.calls if c.span.line == line]
    assert matches, f"no call on line {line}"
    return matches[-1]


def test_imports_aliases_and_qualified_names() -> None:
    file = facts(
        """\
        import os.path
        import requests as rq
        import urllib.request
        from urllib import parse
        from requests import Session as S, get
        from .local import helper
        fetch = rq.post
        rq.get("u")
        get("u")
        S()
        urllib.request.urlopen("u")
        parse.quote("x")
        os.path.join("a", "b")
        fetch("u")
        helper()
        open("f")
        """
    )
    names = [c.qualname for c in file.calls]
    assert names == [
        "requests.get",
        "requests.get",
        "requests.Session",
        "urllib.request.urlopen",
        "urllib.parse.quote",
        "os.path.join",
        "requests.post",
        ".local.helper",
        "builtins.open",
    ]
    assert file.imports["rq"] == "requests"
    assert file.imports["S"] == "requests.Session"
    assert {"os.path", "requests", "urllib.request", "urllib", "urllib.parse"} <= file.imported_modules


def test_local_names_shadow_imports() -> None:
    file = facts(
        """\
        import requests

        def handler(requests):
            return requests.get("key")

        def other():
            requests = {}
            return requests.get("key")
        """
    )
    assert [c.qualname for c in file.calls] == [None, None]


def test_alternative_imports_are_each_a_qualified_name_and_none_is_certain() -> None:
    file = facts(
        """\
        try:
            import ujson as json
        except ImportError:
            import json
        try:
            import requests
        except ImportError:
            requests = None
        if USE_ADVOCATE:
            import advocate as http
        else:
            import requests as http
        json.loads("{}")
        requests.get(url)
        session = http.Session()
        session.get(url)
        """
    )
    loads, get, make, use = file.calls
    assert loads.qualname is None and loads.qualnames == ("ujson.loads", "json.loads")
    assert get.qualname is None and get.qualnames == ("requests.get",)
    assert make.qualnames == ("advocate.Session", "requests.Session")
    assert use.receiver is not None and use.receiver.qualname is None
    assert use.receiver.is_one_of({"requests.Session"}) and use.receiver.qualnames == make.qualnames
    assert "json" not in file.imports


def test_module_aliases_resolve_to_the_real_module() -> None:
    file = facts(
        """\
        import six
        from six.moves import http_client
        from six.moves.urllib.request import urlopen
        import requests
        six.moves.http_client.HTTPSConnection("h")
        http_client.HTTPConnection("h")
        urlopen("u")
        requests.packages.urllib3.PoolManager()
        """
    )
    assert [c.qualname for c in file.calls] == [
        "http.client.HTTPSConnection",
        "http.client.HTTPConnection",
        "urllib.request.urlopen",
        "urllib3.PoolManager",
    ]
    assert file.imports["http_client"] == "http.client"


def test_a_class_chosen_at_run_time_is_a_call_to_each() -> None:
    file = facts(
        """\
        import smtplib
        cls = smtplib.SMTP_SSL if tls else smtplib.SMTP
        client = cls(host)
        client.noop()
        other = smtplib.SMTP_SSL(host) if tls else smtplib.SMTP(host)
        other.noop()
        """
    )
    chosen = call_at(file, 3)
    assert chosen.qualname is None and chosen.qualnames == ("smtplib.SMTP_SSL", "smtplib.SMTP")
    assert call_at(file, 4).receiver.qualnames == ("smtplib.SMTP_SSL", "smtplib.SMTP")
    assert call_at(file, 6).receiver.is_one_of({"smtplib.SMTP"})


@pytest.mark.parametrize(
    "source, line",
    [
        ("import requests\ns = requests.Session()\ns.get('u')\n", 3),
        ("import requests\nwith requests.Session() as s:\n    s.get('u')\n", 3),
        ("import requests\ndef f(s: requests.Session):\n    s.get('u')\n", 3),
        ("import requests\ndef f(s: 'requests.Session'):\n    s.get('u')\n", 3),
        (
            "from typing import Optional\nimport requests\ndef f(s: Optional[requests.Session] = None):\n    s.get('u')\n",
            4,
        ),
        ("import requests\ndef f(s: requests.Session | None = None):\n    s.get('u')\n", 3),
        ("import requests\ndef make():\n    return requests.Session()\nmake().get('u')\n", 4),
        (
            "import contextlib, requests\n@contextlib.contextmanager\ndef opened():\n"
            "    s = requests.Session()\n    yield s\nwith opened() as s:\n    s.get('u')\n",
            7,
        ),
        (
            "import requests\nclass C:\n    def __init__(self):\n        self.http = None\n"
            "        self.http = requests.Session()\n    def go(self):\n        self.http.get('u')\n",
            7,
        ),
        (
            "import requests\nclass C:\n    http = requests.Session()\n    def go(self):\n        self.http.get('u')\n",
            5,
        ),
        (
            "import requests\nclass C:\n    def __init__(self):\n        self._s = requests.Session()\n"
            "    @property\n    def s(self):\n        return self._s\n    def go(self):\n        self.s.get('u')\n",
            9,
        ),
        (
            "import requests\nclass C:\n    def __init__(self):\n        self._s = requests.Session()\n"
            "    def session(self):\n        return self._s\n    def go(self):\n        self.session().get('u')\n",
            8,
        ),
        (
            "import requests\nclass C:\n    def __init__(self):\n        self.s = requests.Session()\n"
            "def use(c: C):\n    c.s.get('u')\n",
            6,
        ),
        ("import requests\nS = requests.Session()\ndef f():\n    S.get('u')\n", 4),
        ("import requests\ndef f(s=None):\n    s = s or requests.Session()\n    s.get('u')\n", 4),
        ("import requests\ns = requests.Session()\nget = s.get\nget('u')\n", 4),
        (
            "import requests\nclass C:\n    def __init__(self):\n        self.http = requests.Session()\n"
            "    def go(self):\n        fetch = self.http.get\n        fetch('u')\n",
            7,
        ),
    ],
)
def test_receivers_are_traced_to_where_they_were_made(source: str, line: int) -> None:
    call = call_at(facts(source), line)
    assert call.method == "get"
    assert call.receiver is not None and call.receiver.qualname == "requests.Session", call.receiver


@pytest.mark.parametrize(
    "source, line",
    [
        ("import requests\ndef f(s):\n    s.get('u')\n", 3),
        ("import os\nos.environ.get('X')\n", 2),
        ("import requests, boto3\ns = requests.Session()\ns = boto3.client('s3')\ns.get('u')\n", 4),
        ("import requests\ns = requests.Session()\ns = {}\ns.get('u')\n", 4),
        ("import requests\nclass C:\n    def go(self):\n        self.s.get('u')\n", 4),
        ("import requests\ns = requests.Session()\nget = s.get\nget = {}.get\nget('u')\n", 5),
    ],
)
def test_untraceable_or_conflicting_receivers_stay_unknown(source: str, line: int) -> None:
    call = call_at(facts(source), line)
    assert call.receiver is None or call.receiver.qualname != "requests.Session"


def test_method_results_and_attributes_of_traced_objects() -> None:
    file = facts(
        """\
        import psycopg2
        conn = psycopg2.connect("dsn")
        cur = conn.cursor()
        cur.execute("select 1")
        stub = make_stub()
        """
    )
    execute = call_at(file, 4)
    assert execute.receiver == Origin("call", None, Origin("call", "psycopg2.connect"), "cursor")


def test_the_object_an_origin_was_made_by() -> None:
    file = facts(
        """\
        import urllib3
        pool = urllib3.PoolManager(timeout=5)
        pool.request("GET", "u")
        if flag:
            other = urllib3.PoolManager()
        else:
            other = urllib3.PoolManager(timeout=3)
        other.request("GET", "u")
        """
    )
    made = call_at(file, 3).receiver.call
    assert made is not None and literal(made.argument("timeout")) == 5
    assert call_at(file, 8).receiver == Origin("call", "urllib3.PoolManager")
    assert call_at(file, 8).receiver.call is None  # two calls may have made it


def test_arguments_and_keywords_by_name_and_position() -> None:
    file = facts(
        """\
        import socket
        TIMEOUT = None
        socket.create_connection(("h", 1), 5)
        socket.create_connection(("h", 1), timeout=TIMEOUT)
        socket.create_connection(("h", 1))
        socket.create_connection(*args)
        socket.create_connection(addr, **options)
        """
    )
    positional, keyword, missing, star, kwargs = file.calls
    assert literal(positional.argument("timeout", 1)) == 5
    value = keyword.argument("timeout", 1)
    assert isinstance(value, Name) and value.bound == Const(None) and literal(value) is None
    assert missing.argument("timeout", 1) is MISSING
    assert star.argument("timeout", 1) == Unknown("*args")
    assert kwargs.argument("timeout", 1) == Unknown("**kwargs")
    assert literal(positional.args[0]) == ("h", 1)
    assert isinstance(positional.args[0], SequenceValue)


def test_keywords_spread_from_mappings_the_file_builds() -> None:
    file = facts(
        """\
        import requests
        BASE = {"verify": True}

        def options():
            if FAST:
                return {"timeout": 1, "stream": True}
            return {"timeout": 1}

        def grown():
            kwargs = dict(BASE, cert=CERT)
            kwargs["timeout"] = 2
            return kwargs

        def fetch(url, extra, **kwargs):
            params = {"allow_redirects": True, **BASE}
            requests.get(url, **params)
            requests.get(url, **options())
            requests.get(url, **grown())
            requests.get(url, **kwargs)
            changed = {"stream": True}
            changed.update(extra)
            requests.get(url, **changed)
            requests.get(url, **{"timeout": None}, **{"stream": False})
        """
    )
    display, returned, built, passed, changed, two = [c for c in file.calls if c.callee == "requests.get"]
    assert display.unpacked_keywords == (("allow_redirects", Const(True)), ("verify", Const(True)))
    assert display.argument("timeout") is MISSING and literal(display.argument("verify")) is True
    assert literal(returned.argument("timeout")) == 1 and literal(returned.argument("stream")) is True
    assert literal(built.argument("timeout")) == 2 and literal(built.argument("cert", 7)) is NOT_LITERAL
    assert passed.unpacked_keywords is None and passed.argument("timeout") == Unknown("**kwargs")
    assert changed.argument("timeout") == Unknown("**kwargs")
    assert literal(two.argument("timeout")) is None and literal(two.argument("stream")) is False


def test_a_partial_callee_is_the_function_it_wraps_with_the_arguments_it_binds() -> None:
    file = facts(
        """\
        import functools, requests
        get_json = functools.partial(requests.get, headers={"Accept": "json"}, timeout=5)
        post = functools.partial(requests.request, "POST", *defaults)
        session = requests.Session()
        fetch = functools.partial(session.get, verify=False)
        get_json(url)
        get_json(url, timeout=None)
        post(url, data)
        fetch(url)
        """
    )
    wrapped, overridden, positional, method = file.calls[-4:]
    assert wrapped.qualname is None and wrapped.qualnames == ("requests.get",)
    assert wrapped.partial is not None and wrapped.partial.qualname == "functools.partial"
    assert literal(wrapped.argument("timeout")) == 5 and literal(overridden.argument("timeout")) is None
    assert literal(positional.argument("method", 0)) == "POST"
    assert positional.argument("url", 1) == Unknown("*args")
    assert method.method == "get" and method.receiver.qualname == "requests.Session"
    assert method.argument("timeout") is MISSING


def test_context_managers_around_a_call() -> None:
    file = facts(
        """\
        import gevent, requests
        with gevent.Timeout(5), requests.Session() as s:
            s.get(url)
            def later():
                s.get(url)
        s.get(url)
        """
    )
    inside = call_at(file, 3)
    assert [m.call.qualname for m in inside.context_managers] == ["requests.Session", "gevent.Timeout"]
    assert call_at(file, 5).context_managers == () and call_at(file, 6).context_managers == ()


def test_assignments_in_every_form_in_the_order_they_run() -> None:
    file = facts(
        """\
        import os
        from django.conf import settings
        a = b = 1
        x, (y, z) = 1, (2, 3)
        p, *rest = values()
        name: str = "v"
        query = "select"
        query += " AND x = " + value
        if (size := len(query)) > 1:
            pass
        setattr(settings, "DEBUG", True)
        app.config["DEBUG"] = True
        app.config.update(SECRET_KEY="s", **more)
        app.config.update({"TESTING": False})
        app.config.from_mapping(ENV="prod")
        os.environ.setdefault("KEY", "value")
        os.environ["X"] = "v"
        queryset.update(status="done")
        cache.setdefault("KEY", 1)
        class Settings:
            timeout: int = 5
            def __init__(self, password):
                self.password = password
                self.items[0] = (last := [password][0])
        """
    )
    described = [
        (a.target.text, a.op, literal(a.value), a.scope, a.scope_name, a.function, a.call is not None)
        for a in file.assignments
    ]
    assert described == [
        ("a", "=", 1, "module", "<module>", "<module>", False),
        ("b", "=", 1, "module", "<module>", "<module>", False),
        ("x", "=", 1, "module", "<module>", "<module>", False),
        ("y", "=", 2, "module", "<module>", "<module>", False),
        ("z", "=", 3, "module", "<module>", "<module>", False),
        ("p", "=", NOT_LITERAL, "module", "<module>", "<module>", False),
        ("rest", "=", NOT_LITERAL, "module", "<module>", "<module>", False),
        ("name", ":", "v", "module", "<module>", "<module>", False),
        ("query", "=", "select", "module", "<module>", "<module>", False),
        ("query", "+=", NOT_LITERAL, "module", "<module>", "<module>", False),
        ("size", ":=", NOT_LITERAL, "module", "<module>", "<module>", False),
        ("settings.DEBUG", "=", True, "module", "<module>", "<module>", True),
        ("app.config['DEBUG']", "=", True, "module", "<module>", "<module>", False),
        ("app.config['SECRET_KEY']", "=", "s", "module", "<module>", "<module>", True),
        ("app.config['TESTING']", "=", False, "module", "<module>", "<module>", True),
        ("app.config['ENV']", "=", "prod", "module", "<module>", "<module>", True),
        ("os.environ['KEY']", "=", "value", "module", "<module>", "<module>", True),
        ("os.environ['X']", "=", "v", "module", "<module>", "<module>", False),
        ("timeout", ":", 5, "class", "Settings", "<module>", False),
        ("self.password", "=", NOT_LITERAL, "function", "Settings.__init__", "Settings.__init__", False),
        ("last", ":=", NOT_LITERAL, "function", "Settings.__init__", "Settings.__init__", False),
        ("self.items[0]", "=", NOT_LITERAL, "function", "Settings.__init__", "Settings.__init__", False),
    ]
    assignments = {a.target.text: a for a in file.assignments}
    assert assignments["p"].value == Unknown("unpacking")
    assert assignments["settings.DEBUG"].target.base_qualname == "django.conf.settings"
    assert assignments["os.environ['X']"].target.base_qualname == "os.environ"
    assert assignments["name"].annotation.qualname == "builtins.str"
    augmented = next(a for a in file.assignments if a.op == "+=")
    assert list(string_fragments(augmented.value)) == [" AND x = "]


def test_assignment_spans_cover_statement_target_and_value() -> None:
    file = facts('import os\nx, y = ("a", f(b))\nos.environ.setdefault("K", "v")\n')
    first, second, environ = file.assignments

    def text(span: Span) -> str:
        return file.lines[span.line - 1][span.column - 1 : span.end_column - 1]

    assert [text(a.span) for a in (first, second)] == ['x, y = ("a", f(b))'] * 2
    assert [(text(a.target.span), text(a.value_span)) for a in (first, second)] == [("x", '"a"'), ("y", "f(b)")]
    assert (environ.target.kind, environ.target.base, environ.target.key) == ("subscript", "os.environ", "K")
    assert (text(environ.span), text(environ.target.span), text(environ.value_span)) == (
        'os.environ.setdefault("K", "v")',
        '"K"',
        '"v"',
    )


def test_parameters_with_kinds_defaults_and_annotations() -> None:
    file = facts(
        """\
        import requests
        TIMEOUT = 5
        def fetch(session: requests.Session, /, url, retries=3, *args, timeout=TIMEOUT, verify, **kwargs):
            pass
        """
    )
    (fetch,) = file.functions
    assert fetch.params == ("session", "url", "retries", "args", "timeout", "verify", "kwargs")
    assert [(p.name, p.kind, literal(p.default) if p.default else None) for p in fetch.parameters] == [
        ("session", "positional-only", None),
        ("url", "positional", None),
        ("retries", "positional", 3),
        ("args", "vararg", None),
        ("timeout", "keyword-only", 5),
        ("verify", "keyword-only", None),
        ("kwargs", "kwarg", None),
    ]
    session = fetch.parameters[0]
    assert session.annotation.qualname == "requests.Session"
    assert file.lines[2][session.span.column - 1 : session.span.end_column - 1] == "session: requests.Session"


def test_classes_with_bases_keywords_and_decorators() -> None:
    file = facts(
        """\
        import abc, dataclasses
        from requests import Session as HttpSession

        @dataclasses.dataclass
        class Client(HttpSession, metaclass=abc.ABCMeta):
            class Config:
                pass
        """
    )
    client, config = file.classes
    assert (client.name, client.qualname, config.qualname) == ("Client", "Client", "Client.Config")
    assert [b.qualname for b in client.bases] == ["requests.Session"]
    assert [(k, v.qualname) for k, v in client.keywords] == [("metaclass", "abc.ABCMeta")]
    assert client.decorators[0].qualname == "dataclasses.dataclass"
    assert client.span.line == 5


def test_constants_and_string_building() -> None:
    file = facts(
        """\
        HOST = "db.internal"
        PORT = -5432
        DSN = f"host={HOST} connect_timeout=5"
        PARTS = ("a", None)
        changed = 1
        changed = 2
        """
    )
    assert file.constants["HOST"] == Const("db.internal")
    assert file.constants["PORT"] == Const(-5432)
    assert "connect_timeout" in "".join(string_fragments(file.constants["DSN"]))
    assert literal(file.constants["PARTS"]) == ("a", None)
    assert "changed" not in file.constants


def test_spans_are_in_characters_and_cover_the_call() -> None:
    file = facts('label = "café"; requests_get = fetch("ünïcode", x)\n')
    call = file.calls[0]
    assert call.span == Span(1, 32, 1, 51)
    assert file.lines[0][call.span.column - 1 : call.span.end_column - 1] == 'fetch("ünïcode", x)'


def test_functions_and_decorators() -> None:
    file = facts(
        """\
        from flask import Flask
        app = Flask(__name__)

        @app.get("/healthz")
        async def health():
            return {"ok": True}

        class Service:
            def run(self, port):
                pass
        """
    )
    health, run = file.functions
    assert (health.name, health.qualname, health.is_async) == ("health", "health", True)
    assert run.qualname == "Service.run" and run.params == ("self", "port")
    decorator = health.decorators[0]
    assert decorator.call.method == "get" and literal(decorator.call.args[0]) == "/healthz"
    assert decorator.call.receiver == Origin("call", "flask.Flask")


def test_enclosing_function_names() -> None:
    file = facts(
        """\
        def outer():
            def inner():
                go()
            return [go() for _ in range(2)]
        class K:
            def method(self):
                go()
        go()
        """
    )
    assert [c.function for c in file.calls if c.callee == "go"] == [
        "outer.<locals>.inner",
        "outer",
        "K.method",
        "<module>",
    ]


def test_newer_syntax_goes_through_libcst() -> None:
    file = facts(
        """\
        type Pair[T] = tuple[T, T]
        import requests
        def get[T](url: str) -> T:
            return requests.get(f"{url!r:>{10}} {"nested"}")
        """
    )
    assert file.tree is None
    assert [c.qualname for c in file.calls] == ["requests.get"]


def test_invalid_code_is_a_syntax_error_with_a_line() -> None:
    with pytest.raises(SourceError) as error:
        parse_python("bad.py", "def broken(:\n    pass\n")
    assert error.value.kind == "syntax" and error.value.line == 1


def test_deeply_nested_code_is_analyzed_or_reported_never_crashes(tmp_path: Path) -> None:
    import prodready_lint

    long_chain = "import requests\nrequests.get(url)\ntotal = " + " + ".join(["a"] * 3000) + "\n"
    absurd = "import requests\nrequests.get(url)\ntotal = " + " + ".join(["a"] * 60000) + "\n"
    (tmp_path / "generated.py").write_text(long_chain, encoding="utf-8")
    (tmp_path / "absurd.py").write_text(absurd, encoding="utf-8")
    result = prodready_lint.scan([tmp_path], config={}, cache=False, jobs=1, root=tmp_path)
    assert [(f.path, f.rule_id) for f in result.findings] == [("generated.py", "TMO001")]
    assert [(e.path, e.kind) for e in result.errors] == [("absurd.py", "too-complex")]


def _described(file_facts) -> list[tuple]:
    return [
        (
            c.span,
            c.callee,
            c.qualname,
            c.qualnames,
            c.method,
            c.receiver,
            c.args,
            c.keywords,
            c.star_args_at,
            c.star_kwargs,
            c.function,
            c.partial,
            c.unpacked_keywords,
            c.context_managers,
        )
        for c in file_facts.calls
    ]


def _assert_same_facts(from_ast, from_cst) -> None:
    assert _described(from_ast) == _described(from_cst)
    assert dict(from_ast.imports) == dict(from_cst.imports)
    assert dict(from_ast.constants) == dict(from_cst.constants)
    assert list(from_ast.functions) == list(from_cst.functions)
    assert list(from_ast.classes) == list(from_cst.classes)
    assert list(from_ast.assignments) == list(from_cst.assignments)


def _both(text: str):
    file = PythonFile("x.py", text, ast.parse(text))
    return build_facts(lower_ast(file.tree, file.column)), build_facts(lower_cst(libcst.parse_module(text)))


def _parses_with_ast(path: Path) -> bool:
    try:
        ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError:  # newer syntax than this interpreter: only LibCST reads it
        return False
    return True


_PARITY_INPUTS = sorted(
    p
    for p in [*(TESTS / "fixtures" / "timeouts").glob("*.py"), *(TESTS / "corpora" / "timeouts").rglob("*.py")]
    if _parses_with_ast(p)
)


@pytest.mark.parametrize("path", _PARITY_INPUTS, ids=lambda p: p.name)
def test_both_parsers_produce_the_same_facts(path: Path) -> None:
    _assert_same_facts(*_both(path.read_text(encoding="utf-8")))


_EVERY_FORM = """\
import os, functools, gevent, requests
from flask import Flask
app = Flask(__name__)
a = b = (1)
x, (y, z) = ( 1, (2,
    3))
p, *rest = values()
[first, second] = [f(x), g(y)]
name: "str" = "v"
query = "select"
query //= 2; query += " AND x = " + value
if (size := len(query)) > 1:
    pass
setattr(app, "DEBUG", True)
app.config["DEBUG"] = True
app.config.update(SECRET_KEY="s", **more)
app.config.update({"TESTING": False, **other, KEY: 1})
app.config.from_mapping(ENV="prod")
os.environ.setdefault("KEY", "value")
os.environ["X"] = "v"
gen = (item for item in range(3))
params = {"allow_redirects": True}
params["stream"] = True
get = functools.partial(requests.get, **params)
with gevent.Timeout(5), requests.Session() as session:
    get(url, **params)
    [setattr(o, "seen", True) for o in objects]

@decorate(1)
class Settings(Base, metaclass=Meta, **extra):
    timeout: int = 5
    handler = lambda event, *rest, key=None, **more: (seen := event)

    def __init__(self, password, /, b: int = 1, *args, c, d=2, **kw) -> None:
        self.password = password
        self.items[0] = (last := [password][0])
        self.items[k], self.other = 1, 2
"""


def test_both_parsers_produce_the_same_facts_for_every_assignment_form() -> None:
    from_ast, from_cst = _both(_EVERY_FORM)
    _assert_same_facts(from_ast, from_cst)
    assert len(from_ast.assignments) == 35
