"""Properties that must hold for any input: no crash, and the same results whatever the
cache and the number of worker processes."""

from __future__ import annotations

import ast
import os
import shutil
import tempfile
from pathlib import Path

import libcst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prodready_lint.sdk.files import PythonFile

import prodready_lint
from prodready_lint.python.front_ast import lower_ast
from prodready_lint.python.front_cst import lower_cst
from prodready_lint.python.resolve import build_facts

INTERNAL_ERRORS = {"rule-crash", "crash"}
TRIGGERS = ["", "import requests\n", "import redis, psycopg2, httpx, aiohttp, socket, smtplib, grpc\n"]
NAMES = ["app.py", "worker.py", "deploy.yaml", "Dockerfile", "settings.env", "schema.sql", "lib/util.py"]


@st.composite
def file_bytes(draw) -> bytes:
    """Any text (surrogates and NUL included, so also invalid UTF-8 and 'binary'), often
    behind a trigger so that the parsers really run on it."""
    text = draw(st.text(st.characters(blacklist_categories=()), max_size=400))
    prefix = draw(st.sampled_from(TRIGGERS))
    body = (prefix + text).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        body = body.replace(b"\r", b"\r\n")
    return body


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.dictionaries(st.sampled_from(NAMES), file_bytes(), min_size=1, max_size=4))
def test_any_text_never_crashes_a_scan(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
        result = prodready_lint.scan([root], root=root, config={}, cache=False, jobs=1)
        assert not [e for e in result.errors if e.kind in INTERNAL_ERRORS], result.errors
        stats = result.stats
        assert stats.files_seen == stats.files_parsed + stats.files_skipped + stats.files_cached + stats.files_failed
        for finding in result.findings:
            assert finding.line >= 1 and finding.location.column >= 1


KEYWORDS = [
    "",
    ", timeout=5",
    ", timeout=None",
    ", timeout=TIMEOUT",
    ", timeout=(3, None)",
    ", **opts",
    ", timeout=(2, 8)",
]
CALLS = [
    "requests.get(URL{kw})",
    "rq.post(URL{kw})",
    "get(URL{kw})",
    "SESSION.get(URL{kw})",
    "urlopen(URL{kw})",
    "socket.create_connection(('ledger', 9000){kw})",
    "redis.Redis(host='cache'{kw})",
    "psycopg2.connect(DSN{kw})",
    "httpx.get(URL{kw})",
    "aiohttp.ClientTimeout(total=None)",
    "smtplib.SMTP('smtp.internal', 587{kw})",
    "opts.get('x')",
]
BLOCKS = [
    "def fetch_{n}(url=URL, opts=None):\n    return {call}\n",
    "class Client{n}:\n    def __init__(self):\n        self.s = requests.Session()\n\n"
    "    def go(self, opts=None):\n        return self.s.get(URL{kw})\n",
    "with requests.Session() as session_{n}:\n    session_{n}.get(URL{kw})\n",
    "async def pull_{n}(opts=None):\n    async with aiohttp.ClientSession() as s:\n        return await s.get(URL{kw})\n",
    "result_{n} = {call}  # prodready: ignore[TMO00{d}]\n",
    "items_{n} = [{call} for _ in range(2)]\n",
]
HEADER = (
    "import aiohttp\nimport httpx\nimport psycopg2\nimport redis\nimport requests\nimport requests as rq\n"
    "import smtplib\nimport socket\nfrom requests import get\nfrom urllib.request import urlopen\n\n"
    "URL = 'https://api.internal'\nDSN = 'host=db'\nTIMEOUT = None\nopts = {}\nSESSION = requests.Session()\n\n"
)


@st.composite
def service_module(draw) -> str:
    parts = [HEADER]
    for n in range(draw(st.integers(1, 6))):
        block = draw(st.sampled_from(BLOCKS))
        call = draw(st.sampled_from(CALLS)).format(kw=draw(st.sampled_from(KEYWORDS)))
        parts.append(block.format(n=n, call=call, kw=draw(st.sampled_from(KEYWORDS)), d=draw(st.integers(1, 9))))
    return "\n".join(parts)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules=st.lists(service_module(), min_size=50, max_size=60))
def test_same_results_with_and_without_cache_and_for_any_jobs(modules: list[str]) -> None:
    temp = Path(tempfile.mkdtemp())
    try:
        for index, source in enumerate(modules):
            compile(source, f"m{index}.py", "exec")  # the generator only writes valid code
            (temp / f"svc{index % 5}").mkdir(exist_ok=True)
            (temp / f"svc{index % 5}" / f"module_{index}.py").write_text(source, encoding="utf-8")
        baseline = prodready_lint.scan([temp], root=temp, config={}, cache=False, jobs=1)
        assert baseline.findings, "the generator always writes findings"
        for jobs, cache in ((2, False), (2, True), (1, True), (2, True)):
            other = prodready_lint.scan([temp], root=temp, config={}, jobs=jobs, cache=cache, cache_dir=temp / ".c")
            assert other.findings == baseline.findings
            assert other.suppressed == baseline.suppressed
            assert other.errors == baseline.errors
        assert other.stats.files_cached == len(modules)
    finally:
        shutil.rmtree(temp)


@settings(max_examples=40, deadline=None)
@given(source=service_module())
def test_both_parsers_agree_on_generated_code(source: str) -> None:
    file = PythonFile("m.py", source, ast.parse(source))
    from_ast = build_facts(lower_ast(file.tree, file.column))
    from_cst = build_facts(lower_cst(libcst.parse_module(source)))

    def described(facts):
        return [
            (c.span, c.callee, c.qualnames, c.method, c.receiver, c.args, c.keywords, c.unpacked_keywords)
            for c in facts.calls
        ]

    assert described(from_ast) == described(from_cst)
    assert list(from_ast.assignments) == list(from_cst.assignments)
    assert from_ast.functions == from_cst.functions and from_ast.classes == from_cst.classes


# -- any bytes, any kind, any name -------------------------------------------------------

KIND_NAMES = [
    "app.py",
    "Dockerfile",
    "deploy/api.yaml",
    "charts/api/templates/deployment.yaml",
    "infra/main.tf",
    "infra/main.tf.json",
    "db/001_init.sql",
    ".env",
    "setup.cfg",
    "pyproject.toml",
    "package.json",
    "requirements.txt",
    "run.sh",
]
SEEDS = {
    "Dockerfile": b"FROM python:3.12\nUSER root\n",
    "deploy/api.yaml": b"apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: []\n",
    "infra/main.tf": b'resource "aws_db_instance" "db" {\n',
    "db/001_init.sql": b"DROP TABLE users;\n",
    ".env": b"DEBUG=true\n",
    "requirements.txt": b"requests>=2\n",
}


def _every_kind_rules():
    from prodready_lint.rules import PACK

    from tests.test_readme import _readme_rules

    return [*PACK.rules, *_readme_rules()]


@st.composite
def hostile_bytes(draw, name: str) -> bytes:
    """Random bytes, random text, or a valid start of the kind followed by either."""
    body = draw(
        st.one_of(
            st.binary(max_size=300),
            st.text(st.characters(blacklist_categories=()), max_size=300).map(
                lambda t: t.encode("utf-8", "surrogatepass")
            ),
        )
    )
    return SEEDS.get(name, b"") + body if draw(st.booleans()) else body


_NAME_CHARS = st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_bytes_in_any_kind_under_any_name_never_crash_a_scan(data) -> None:
    names = data.draw(st.lists(st.sampled_from(KIND_NAMES), min_size=1, max_size=5, unique=True))
    odd = data.draw(st.lists(st.text(_NAME_CHARS, min_size=1, max_size=12), max_size=2))
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        for name in names:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data.draw(hostile_bytes(name)))
        for name in odd:
            if name in (".", "..") or len(name.encode("utf-8")) > 200:
                continue
            (root / (name + ".py")).write_bytes(data.draw(hostile_bytes("app.py")))
        raw = os.fsencode(root) + b"/caf\xe9\xff.yaml"
        with open(raw, "wb") as handle:
            handle.write(data.draw(hostile_bytes("deploy/api.yaml")))
        result = prodready_lint.scan(
            [root], root=root, config={}, cache=False, rules=_every_kind_rules(), installed_rules=False
        )
        assert not [e for e in result.errors if e.kind in INTERNAL_ERRORS], result.errors
        from prodready_lint.reporters import render

        for fmt in ("text", "json", "sarif"):
            render(result, fmt).encode("utf-8")  # every report is valid UTF-8


# -- a damaged cache never changes a result ----------------------------------------------

CACHE_REPO = {
    "svc/client.py": "import requests\n\ndef rates():\n    return requests.get('https://rates')\n",
    "svc/util.py": "def add(a, b):\n    return a + b\n",
    "svc/broken.py": "def f(:\n",
    "Dockerfile": "FROM python:3.12\nUSER root\n",
    "db/001.sql": "DROP TABLE legacy;\n",
}
WRONG_SHAPES = ["42", "[]", "{}", '{"s": 1}', '{"s": "parsed", "f": [1]}', '{"s": "failed", "e": [{}]}', "null", '"x"']


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_randomly_damaged_cache_never_changes_results(data) -> None:
    import sqlite3

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "repo"
        for name, text in CACHE_REPO.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        rules = _every_kind_rules()

        def scan(**kwargs):
            result = prodready_lint.scan([root], root=root, config={}, rules=rules, installed_rules=False, **kwargs)
            return [(f.path, f.line, f.rule_id, f.message, f.fingerprint) for f in result.findings], result.errors

        fresh = scan(cache=False)
        cache = Path(temp) / "cache"
        assert scan(cache_dir=cache) == fresh
        (database,) = cache.glob("*.sqlite")
        damage = data.draw(st.sampled_from(["truncate", "flip", "shape"]))
        if damage == "truncate":
            content = database.read_bytes()
            database.write_bytes(content[: data.draw(st.integers(0, len(content)))])
        elif damage == "flip":
            content = bytearray(database.read_bytes())
            for _ in range(data.draw(st.integers(1, 16))):
                position = data.draw(st.integers(0, len(content) - 1))
                content[position] ^= 1 << data.draw(st.integers(0, 7))
            database.write_bytes(bytes(content))
        else:
            with sqlite3.connect(database) as db:
                db.execute("UPDATE files SET result = ?", (data.draw(st.sampled_from(WRONG_SHAPES)),))
        assert scan(cache_dir=cache) == fresh
        assert scan(cache_dir=cache) == fresh
