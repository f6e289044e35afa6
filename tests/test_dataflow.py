"""The SDK's local data flow: reaching definitions and string building, over both parsers."""

from __future__ import annotations

import ast
import textwrap

import libcst
import pytest
from prodready_lint.sdk import DataFlow, PythonFile, StringBuild
from prodready_lint.sdk.model import Span

from prodready_lint.python.front_ast import lower_ast
from prodready_lint.python.front_cst import lower_cst
from prodready_lint.python.resolve import build_facts


def _files(source: str) -> list[PythonFile]:
    """The same module with facts from the ``ast`` front end and from LibCST."""
    text = textwrap.dedent(source)
    from_ast = PythonFile("m.py", text, ast.parse(text))
    from_ast.__dict__["facts"] = build_facts(lower_ast(from_ast.tree, from_ast.column))
    from_cst = PythonFile("m.py", text, None)
    from_cst.__dict__["facts"] = build_facts(lower_cst(libcst.parse_module(text)))
    return [from_ast, from_cst]


def _built(source: str, line: int) -> list[StringBuild]:
    """How the first argument of the call on ``line`` was built, per parser."""
    out = []
    for file in _files(source):
        call = next(c for c in file.calls if c.span.line == line)
        out.append(DataFlow.of(file).string(call.args[0], call.function, call.span))
    assert out[0] == out[1], out
    return out


SOURCE = """\
TABLE = "users"
COLUMNS = ", ".join(["id", "name"])
BASE = "SELECT " + COLUMNS + " FROM " + TABLE

def constant(cur):
    cur.execute(BASE + " WHERE id = %s", (1,))
    cur.execute(f"SELECT * FROM {TABLE}")
    cur.execute(f"SELECT 1")

def branches(cur, name, order):
    query = BASE
    if name:
        query += f" WHERE name = '{name}'"
    if order:
        query = query + " ORDER BY %s" % order
    cur.execute(query)

def reassigned(cur, user):
    q = f"SELECT * FROM t WHERE u = '{user}'"
    q = "SELECT * FROM t WHERE u = %s"
    cur.execute(q, (user,))

def either(cur, user, flag):
    if flag:
        q = "SELECT 1"
    else:
        q = "SELECT * FROM t WHERE u = '%s'" % user
    cur.execute(q)

def formatted(cur, table):
    sql = "DELETE FROM {} WHERE id = %s".format(table)
    cur.execute(sql, (1,))
    cur.execute("SELECT {n}".format(n=len(table)))

def joined(cur, filters, ids):
    where = []
    params = []
    for key in filters:
        where.append(key + " = %s")
        params.append(filters[key])
    cur.execute("SELECT * FROM t WHERE " + " AND ".join(where), params)
    marks = ", ".join(["%s"] * len(ids))
    cur.execute("SELECT * FROM t WHERE id IN (" + marks + ")", ids)
    cur.execute("SELECT * FROM t WHERE id IN (%s)" % ",".join("?" for _ in ids), ids)

class Repo:
    QUERY = "SELECT * FROM items WHERE kind = '{}'"

    def find(self, cur, kind):
        cur.execute(self.QUERY.format(kind))

def outer(cur, user):
    prefix = f"SELECT * FROM t WHERE u = '{user}'"
    def inner():
        cur.execute(prefix)
    return inner

def opaque(cur, builder):
    cur.execute(builder.compile())
    cur.execute(make_query())
"""


def test_constants_module_constants_and_fieldless_fstrings_are_constant() -> None:
    for line in (6, 7, 8):
        built = _built(SOURCE, line)[0]
        assert built.constant, (line, built)
    assert _built(SOURCE, 6)[0].text.startswith("SELECT , idname FROM users WHERE")  # a join: separator first


def test_augmented_assignments_and_branches_all_reach_the_use() -> None:
    built = _built(SOURCE, 16)[0]
    assert {part.text for part in built.dynamic} == {"name", "order"}
    assert {"+=", "%", "f-string", "+"} <= built.operations
    by_text = {part.text: part for part in built.dynamic}
    assert by_text["name"].source == "parameter" and by_text["name"].how == "f-string"
    assert by_text["name"].names == ("query", "name")


def test_a_plain_assignment_on_every_path_hides_earlier_ones() -> None:
    assert _built(SOURCE, 21)[0].constant
    built = _built(SOURCE, 28)[0]
    assert [part.text for part in built.dynamic] == ["user"] and built.operations == {"%"}


def test_format_on_a_literal_and_numbers() -> None:
    built = _built(SOURCE, 32)[0]
    assert [(p.text, p.how) for p in built.dynamic] == [("table", ".format")]
    assert _built(SOURCE, 33)[0].constant  # a length is a number


def test_join_follows_what_was_added_to_the_list() -> None:
    built = _built(SOURCE, 41)[0]
    assert [(p.text, p.how) for p in built.dynamic] == [("key", "+")]  # the loop variable
    assert "join" in built.operations
    assert _built(SOURCE, 43)[0].constant  # ["%s"] * len(ids)
    assert _built(SOURCE, 44)[0].constant  # "?" for _ in ids


def test_class_constants_enclosing_functions_and_opaque_values() -> None:
    assert [p.text for p in _built(SOURCE, 50)[0].dynamic] == ["kind"]
    assert [p.text for p in _built(SOURCE, 55)[0].dynamic] == ["user"]
    for line in (59, 60):
        built = _built(SOURCE, line)[0]
        assert built.opaque and not built.is_built and not built.constant


def test_reaching_definitions_and_sources() -> None:
    for file in _files(SOURCE):
        flow = DataFlow.of(file)
        assert DataFlow.of(file) is flow
        use = Span(16, 5)
        found = flow.reaching("query", "branches", use)
        assert [d.op for d in found] == ["=", "+=", "="]
        assert [d.op for d in flow.reaching("name", "branches", use)] == ["param"]
        assert flow.reaching("nothing", "branches", use) == ()
        call = next(c for c in file.calls if c.span.line == 55)
        texts = [v for v, _ in flow.sources(call.args[0], call.function, call.span)]
        assert len(texts) == 2  # prefix, then the f-string it was assigned


@pytest.mark.parametrize(
    ("source", "dynamic"),
    [
        ("def f(x):\n    run('a' 'b' + x)\n", ["x"]),
        ("def f(x):\n    s = 'SELECT '\n    s += x\n    run(s)\n", ["x"]),
        ("def f(x):\n    s = str(x)\n    run('id=' + s)\n", ["x"]),
        ("def f(r):\n    run('id=' + r['id'])\n", ["r['id']"]),
        ("def f(xs):\n    for x in xs:\n        run('v=' + x)\n", ["x"]),
        ("def f(x):\n    run('v=%(a)s' % {'a': x})\n", ["x"]),
        ("def f(x):\n    run('{}'.format(**x))\n", ["**kwargs"]),
    ],
)
def test_dynamic_parts(source: str, dynamic: list[str]) -> None:
    line = source.count("\n")
    assert [p.text for p in _built(source, line)[0].dynamic] == dynamic


def test_subscripts_carry_their_object_and_key() -> None:
    from prodready_lint.sdk import Attribute, Const, Subscript, Unknown

    for file in _files("def f(request):\n    log(request.headers['Authorization'], row[1:])\n"):
        header, sliced = file.calls[0].args
        assert isinstance(header, Subscript) and isinstance(header, Unknown) and header.kind == "subscript"
        assert isinstance(header.base, Attribute) and header.base.dotted == "request.headers"
        assert header.key == Const("Authorization")
        assert isinstance(sliced, Subscript) and sliced.key == Unknown("slice")


def test_lookups_in_constant_tables_are_constant() -> None:
    source = (
        "ORDER = {'new': 'created_at DESC', 'old': 'created_at'}\n"
        "def f(cur, key, d, xs):\n"
        "    run('x ' + ORDER[key])\n"
        "    run('x ' + ORDER.get(key, 'id'))\n"
        "    run('x ' + {'a': 'ASC'}[d])\n"
        "    run('x ' + xs[key])\n"
    )
    assert _built(source, 3)[0].constant
    assert _built(source, 4)[0].constant
    assert _built(source, 5)[0].constant
    assert [p.text for p in _built(source, 6)[0].dynamic] == ["xs[key]"]


RECORDS = """\
from sqlalchemy import text
from .models import User

def rows(conn, session, request, db, user_id):
    cur = conn.cursor()
    cur.execute("SELECT id, email AS contact FROM customers WHERE id = %s", (user_id,))
    row = cur.fetchone()
    everything = conn.execute("SELECT * FROM users").fetchall()
    for item in everything:
        use(dict(item), item[0])
    mapped = session.execute(text("SELECT count(*) FROM users")).mappings().first()
    body = request.get_json()
    user = User.objects.filter(pk=user_id).first()
    other = db.get(User, user_id)
    queried = db.query(User).filter(User.id == user_id).one()
    use(row, everything, mapped, body, user.__dict__, vars(other), queried)
"""


def test_records_read_whole() -> None:
    for file in _files(RECORDS):
        flow = DataFlow.of(file)
        call = next(c for c in file.calls if c.callee == "use" and c.span.line == 16)
        found = [flow.record(arg, call.function, call.span) for arg in call.args]
        assert [(r.kind, r.table, r.columns) for r in found] == [
            ("row", "customers", ("id", "contact")),
            ("rows", "users", None),
            ("row", "users", ("",)),
            ("request-body", None, None),
            ("instance", "User", None),
            ("instance", "User", None),
            ("instance", "User", None),
        ]
        assert found[0].source == "cur.fetchone()"
        loop = next(c for c in file.calls if c.callee == "use" and c.span.line == 10)
        item, column = (flow.record(arg, loop.function, loop.span) for arg in loop.args)
        assert (item.kind, item.table) == ("row", "users")
        assert column is None


FOLDING = """\
def f(param, flag):
    num = 86
    if 7 * 42 - num > 200:
        bar = "constant"
    else:
        bar = param
    run(bar)
    guess = "ABC"[1]
    match guess:
        case "A":
            other = param
        case "B":
            other = "bob"
        case _:
            other = param
    run(other)
    pick = "ASC" if flag else "DESC"
    run("ORDER BY " + pick)
    forced = param if num > 100 else "x"
    run("v=" + forced)
    live = "x" if flag else param
    run("v=" + live)
"""


def test_branches_that_cannot_run_and_conditional_expressions() -> None:
    file = _files(FOLDING)[0]  # folding reads the ast tree
    flow = DataFlow.of(file)
    for line, name in ((7, "bar"), (16, "other")):
        call = next(c for c in file.calls if c.span.line == line)
        assert [d.value for d in flow.reaching(name, "f", call.span)] != []
        assert flow.string(call.args[0], "f", call.span).dynamic == ()
    for line, dynamic in ((18, []), (20, []), (22, ["param"])):
        call = next(c for c in file.calls if c.span.line == line)
        assert [p.text for p in flow.string(call.args[0], "f", call.span).dynamic] == dynamic
