"""Python facts: imports, qualified names, traced objects, constants, and parser parity."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst
import pytest
from prodready_lint.sdk import MISSING, Const, Name, Origin, SequenceValue, Span, Unknown, literal, string_fragments
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


def test_conflicting_imports_resolve_to_nothing() -> None:
    file = facts(
        """\
        try:
            import ujson as json
        except ImportError:
            import json
        json.loads("{}")
        """
    )
    assert file.calls[0].qualname is None
    assert "json" not in file.imports


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
            c.method,
            c.receiver,
            c.args,
            c.keywords,
            c.star_args_at,
            c.star_kwargs,
            c.function,
        )
        for c in file_facts.calls
    ]


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
    text = path.read_text(encoding="utf-8")
    from_ast, from_cst = _both(text)
    assert _described(from_ast) == _described(from_cst)
    assert dict(from_ast.imports) == dict(from_cst.imports)
    assert dict(from_ast.constants) == dict(from_cst.constants)
    assert [(f.qualname, f.span, f.decorators) for f in from_ast.functions] == [
        (f.qualname, f.span, f.decorators) for f in from_cst.functions
    ]
