"""ConfigFile: .env, INI, TOML and JSON files load into one model with exact positions."""

from __future__ import annotations

import configparser
import datetime
import io
import json
import string
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prodready_lint.sdk import FileKind, LoadError, SkipFile, Span, load
from prodready_lint.sdk.config_files import (
    ConfigFile,
    Reference,
    format_path,
    load_config_file,
    load_env,
    load_ini,
    load_json,
    load_toml,
    parse_path,
)


def text_at(file: ConfigFile, span: Span) -> str:
    """The source text a span covers."""
    start = file._line_starts[span.line - 1] + span.column - 1
    end = file._line_starts[span.end_line - 1] + span.end_column - 1
    return file.text[start:end]


def by_path(file: ConfigFile) -> dict[str, object]:
    return {entry.path: entry.value for entry in file.entries}


# --- .env -----------------------------------------------------------------------------------

ENV = """\
# Billing service, local development
export DATABASE_URL=postgres://billing:${DB_PASSWORD}@db:5432/billing
DB_PASSWORD=hunter2   # rotate me
STRIPE_KEY='sk_test_4eC39HqLyjWDarjtT1zdp7dc'
GREETING="Hello\\nWorld"
PRIVATE_KEY="-----BEGIN KEY-----
MIIEow
-----END KEY-----"
EMPTY=
COMMENTED= # nothing here
HASHED=abc#def
FROM_VAULT=${VAULT_DB_PASSWORD}
WITH_DEFAULT=${SMTP_PASSWORD:-changeme}
"""


def test_env_entries_values_and_exact_spans() -> None:
    file = load_env(".env", ENV)
    assert file.format == "env" and file.kind is FileKind.ENV
    assert by_path(file) == {
        "DATABASE_URL": "postgres://billing:${DB_PASSWORD}@db:5432/billing",
        "DB_PASSWORD": "hunter2",
        "STRIPE_KEY": "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "GREETING": "Hello\nWorld",
        "PRIVATE_KEY": "-----BEGIN KEY-----\nMIIEow\n-----END KEY-----",
        "EMPTY": "",
        "COMMENTED": "",
        "HASHED": "abc#def",
        "FROM_VAULT": "${VAULT_DB_PASSWORD}",
        "WITH_DEFAULT": "${SMTP_PASSWORD:-changeme}",
    }
    url = file.entry("DATABASE_URL")
    assert url.key_span == Span(2, 8, 2, 20)
    assert url.value_span == Span(2, 21, 2, 70)
    password = file.entry("DB_PASSWORD")
    assert password.key_span == Span(3, 1, 3, 12)
    assert password.value_span == Span(3, 13, 3, 20)  # not the trailing comment
    assert password.span == Span(3, 1, 3, 20)
    stripe = file.entry("STRIPE_KEY")
    assert stripe.quote == "'" and stripe.value_span == Span(4, 13, 4, 45)  # inside the quotes
    greeting = file.entry("GREETING")
    assert text_at(file, greeting.value_span) == "Hello\\nWorld"  # as written, escapes undecoded
    key = file.entry("PRIVATE_KEY")
    assert key.value_span == Span(6, 14, 8, 18)
    assert file.entry("EMPTY").value_span == Span(9, 7, 9, 8)  # one column where the value starts
    assert file.data["DB_PASSWORD"] == "hunter2"
    assert file.get("HASHED") == "abc#def"


def test_env_references_are_exposed() -> None:
    file = load_env(".env", ENV)
    assert file.entry("FROM_VAULT").is_reference
    assert file.entry("FROM_VAULT").references == (Reference("VAULT_DB_PASSWORD"),)
    default = file.entry("WITH_DEFAULT")
    assert default.is_reference and default.references == (Reference("SMTP_PASSWORD", "changeme"),)
    url = file.entry("DATABASE_URL")
    assert not url.is_reference and url.is_templated
    assert url.references == (Reference("DB_PASSWORD"),)
    assert not file.entry("DB_PASSWORD").is_templated


def test_env_repeated_key_keeps_both_entries_and_the_last_value() -> None:
    file = load_env(".env.production", "TOKEN=old\nTOKEN=new\n")
    assert [e.value for e in file.entries] == ["old", "new"]
    assert file.get("TOKEN") == "new" and file.entry("TOKEN").key_span.line == 2


def test_env_line_without_equals_is_an_error_with_its_line() -> None:
    with pytest.raises(LoadError) as caught:
        load_env(".env", "API_URL=https://api.internal\nghp_16C7e42F292c6912E7710c838347Ae178B4a\n")
    assert caught.value.kind == "env" and caught.value.line == 2
    assert "no '='" in caught.value.message
    assert "ghp_" not in str(caught.value)  # a stray line may be a secret: never echoed


def test_env_unterminated_quote_names_its_line() -> None:
    with pytest.raises(LoadError) as caught:
        load_env(".env", 'A=1\nCERT="-----BEGIN\nabc\n')
    assert caught.value.line == 2
    assert caught.value.message == "unterminated double-quoted value started on line 2"


def test_env_text_after_a_closing_quote_is_an_error() -> None:
    with pytest.raises(LoadError) as caught:
        load_env(".env", 'A="x" y\n')
    assert caught.value.line == 1


ENV_KEYS = st.from_regex(r"[A-Z][A-Z0-9_]{0,8}", fullmatch=True)
ENV_UNQUOTED = st.text(st.sampled_from(string.ascii_letters + string.digits + "/:@._-${}# "), max_size=12)
ENV_QUOTED = st.text(st.sampled_from(string.ascii_letters + " \\\"'#$\n"), max_size=12)


@st.composite
def env_lines(draw) -> str:
    key = draw(ENV_KEYS)
    export = draw(st.sampled_from(["", "export "]))
    form = draw(st.sampled_from(["bare", "single", "double"]))
    if form == "bare":
        value = draw(ENV_UNQUOTED).strip()
    elif form == "single":
        body = draw(ENV_QUOTED).replace("\\", "\\\\").replace("'", "\\'")
        value = f"'{body}'"
    else:
        body = draw(ENV_QUOTED).replace("\\", "\\\\").replace('"', '\\"')
        value = f'"{body}"'
    comment = draw(st.sampled_from(["", "  # note", "\t#x"]))
    return f"{export}{key}={value}{comment}"


@settings(max_examples=200, deadline=None)
@given(st.lists(env_lines(), max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_env_values_agree_with_python_dotenv(lines: list[str], newline: str) -> None:
    from dotenv import dotenv_values

    text = newline.join(lines) + newline
    file = load_env(".env", text)
    assert file.data == dict(dotenv_values(stream=io.StringIO(text), interpolate=False))
    for entry in file.entries:
        written = text_at(file, entry.value_span) if entry.value else ""
        if entry.quote == "":
            assert written == entry.value
        assert text_at(file, entry.key_span) == entry.keys[0]


# --- INI ------------------------------------------------------------------------------------

INI = """\
; deployment settings
[DEFAULT]
base_dir = /srv/app

[database]
host = db.internal   ; the primary
password: s3cr3t
url = postgresql://app:%(password)s@%(host)s/app
replicas =
    db-1.internal
    # retired: db-0.internal

    db-2.internal

[tool:pytest]
addopts = -q --strict-markers
"""


def test_ini_sections_entries_and_exact_spans() -> None:
    file = load_ini("deploy.ini", INI)
    assert file.format == "ini" and file.kind is FileKind.INI
    assert file.data == {
        "DEFAULT": {"base_dir": "/srv/app"},
        "database": {
            "host": "db.internal",
            "password": "s3cr3t",
            "url": "postgresql://app:%(password)s@%(host)s/app",
            "replicas": "\ndb-1.internal\n\ndb-2.internal",
        },
        "tool:pytest": {"addopts": "-q --strict-markers"},
    }
    assert [s.name for s in file.sections] == ["DEFAULT", "database", "tool:pytest"]
    assert file.sections[1].span == Span(5, 1, 5, 11) and file.sections[1].name_span == Span(5, 2, 5, 10)
    host = file.entry("database.host")
    assert host.section == "database" and host.key == "host"
    assert host.key_span == Span(6, 1, 6, 5) and host.value_span == Span(6, 8, 6, 19)  # no inline comment
    password = file.entry(("database", "password"))
    assert password.key_span == Span(7, 1, 7, 9) and password.value_span == Span(7, 11, 7, 17)
    url = file.entry("database.url")
    assert url.references == (Reference("password"), Reference("host"))  # %(name)s kept as written
    replicas = file.entry("database.replicas")
    assert replicas.value_span == Span(9, 11, 13, 18)
    assert file.entry('"tool:pytest".addopts').value == "-q --strict-markers"
    assert file.key_span("database") == Span(5, 2, 5, 10)


def test_ini_values_agree_with_configparser() -> None:
    parser = configparser.RawConfigParser(strict=False, interpolation=None, inline_comment_prefixes=("#", ";"))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(INI)
    file = load_ini("deploy.ini", INI)
    for section in parser.sections():
        assert file.data[section] == {k: v for k, v in parser.items(section, raw=True) if k not in parser.defaults()}
    assert file.data["DEFAULT"] == dict(parser.defaults())


def test_ini_key_outside_any_section_is_an_error() -> None:
    with pytest.raises(LoadError) as caught:
        load_ini("alembic.ini", "script_location = migrations\n[alembic]\nsqlalchemy.url = sqlite://\n")
    assert caught.value.kind == "ini" and caught.value.line == 1
    assert caught.value.message == "a key outside any section: an INI file starts with a [section] header"


def test_ini_line_that_is_not_a_key_names_its_line_without_echoing_it() -> None:
    with pytest.raises(LoadError) as caught:
        load_ini("app.ini", "[auth]\nuser = svc\nAKIAIOSFODNN7EXAMPLE\n")
    assert caught.value.line == 3 and "AKIA" not in str(caught.value)


def test_conf_and_properties_files_may_have_keys_before_any_section() -> None:
    file = load_ini("etc/sysctl.conf", "# kernel\nnet.ipv4.ip_forward = 1\nvm.swappiness=10\n")
    assert file.data == {"net.ipv4.ip_forward": "1", "vm.swappiness": "10"}
    entry = file.entry('"net.ipv4.ip_forward"')
    assert entry.section is None and entry.key_span == Span(2, 1, 2, 20) and entry.value_span == Span(2, 23, 2, 24)
    props = load_ini("src/main/resources/application.properties", "spring.datasource.password=s3cr3t\n")
    assert props.get(("spring.datasource.password",)) == "s3cr3t"


def test_conf_files_in_other_syntaxes_are_skipped_not_broken() -> None:
    nginx = "server {\n    listen 80;\n    server_name example.com;\n}\n"
    with pytest.raises(SkipFile) as caught:
        load_ini("deploy/nginx.conf", nginx)
    assert caught.value.line == 1
    with pytest.raises(LoadError) as strict:
        load_ini("deploy/nginx.ini", nginx)
    assert not isinstance(strict.value, SkipFile)


INI_KEYS = st.from_regex(r"[a-z][a-z0-9_.]{0,6}", fullmatch=True)
INI_VALUES = st.text(st.sampled_from(string.ascii_letters + " %()=:;#/"), max_size=10)


@st.composite
def ini_texts(draw) -> str:
    lines = []
    for section in draw(st.lists(st.from_regex(r"[a-zA-Z][\w:. -]{0,6}", fullmatch=True), min_size=1, max_size=3)):
        lines.append(f"[{section}]" + draw(st.sampled_from(["", "  ; header note"])))
        for key in draw(st.lists(INI_KEYS, max_size=4)):
            delimiter = draw(st.sampled_from(["=", " = ", ": ", ":"]))
            lines.append(f"{key}{delimiter}{draw(INI_VALUES)}")
            for _ in range(draw(st.integers(0, 2))):
                lines.append(draw(st.sampled_from(["    ", "\t", "  "])) + draw(INI_VALUES))
            lines.extend(draw(st.lists(st.sampled_from(["", "# comment", "  ; indented comment"]), max_size=2)))
    return "\n".join(lines) + "\n"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ini_texts())
def test_ini_locator_reads_what_configparser_reads(text: str) -> None:
    parser = configparser.RawConfigParser(strict=False, interpolation=None, inline_comment_prefixes=("#", ";"))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text)
    except configparser.Error:
        with pytest.raises(LoadError):
            load_ini("gen.ini", text)
        return
    file = load_ini("gen.ini", text)
    assert {s: file.data.get(s) for s in parser.sections()} == {s: dict(parser._sections[s]) for s in parser.sections()}
    for entry in file.entries:
        assert text_at(file, entry.key_span) == entry.keys[-1]
        if "\n" not in entry.value and entry.value:
            assert text_at(file, entry.value_span) == entry.value


# --- TOML -----------------------------------------------------------------------------------

PYPROJECT = '''\
[project]
name = "billing"
dependencies = [
    "requests>=2.31",  # HTTP
    "psycopg[binary]==3.1.18",
]
optional-dependencies.test = ["pytest"]

[tool.poetry.dependencies]
python = "^3.11"
django = { version = "^4.2", extras = ["bcrypt"] }

[tool.setuptools.package-dir]
"prodready_lint.sdk" = 'sdk'

[[tool.deploy.targets]]
name = "eu"
token = """
ghp_abc"""

[[tool.deploy.targets]]
name = "us"
started = 2024-05-01T09:30:00Z
'''


def test_toml_entries_paths_and_exact_spans() -> None:
    file = load_toml("pyproject.toml", PYPROJECT)
    assert file.format == "toml" and file.kind is FileKind.TOML
    assert by_path(file) == {
        "project.name": "billing",
        "project.dependencies[0]": "requests>=2.31",
        "project.dependencies[1]": "psycopg[binary]==3.1.18",
        "project.optional-dependencies.test[0]": "pytest",
        "tool.poetry.dependencies.python": "^3.11",
        "tool.poetry.dependencies.django.version": "^4.2",
        "tool.poetry.dependencies.django.extras[0]": "bcrypt",
        'tool.setuptools.package-dir."prodready_lint.sdk"': "sdk",
        "tool.deploy.targets[0].name": "eu",
        "tool.deploy.targets[0].token": "ghp_abc",
        "tool.deploy.targets[1].name": "us",
        "tool.deploy.targets[1].started": datetime.datetime(2024, 5, 1, 9, 30, tzinfo=datetime.UTC),
    }
    first = file.entry("project.dependencies[0]")
    assert first.key == "dependencies"
    assert first.key_span == first.value_span == Span(4, 6, 4, 20)  # an element is its own key
    test = file.entry("project.optional-dependencies.test[0]")
    assert test.value_span == Span(7, 32, 7, 38)
    assert file.key_span("project.optional-dependencies.test") == Span(7, 23, 7, 27)
    version = file.entry("tool.poetry.dependencies.django.version")
    assert version.key_span == Span(11, 12, 11, 19) and version.value_span == Span(11, 23, 11, 27)
    literal = file.entry(("tool", "setuptools", "package-dir", "prodready_lint.sdk"))
    assert (
        literal.quote == "'" and literal.key_span == Span(14, 2, 14, 20) and literal.value_span == Span(14, 25, 14, 28)
    )
    token = file.entry("tool.deploy.targets[0].token")
    assert token.quote == '"""' and token.value_span == Span(18, 12, 19, 8)
    assert file.entry("tool.deploy.targets[1].started").value_span == Span(23, 11, 23, 31)
    assert [s.name for s in file.sections] == [
        "project",
        "tool.poetry.dependencies",
        "tool.setuptools.package-dir",
        "tool.deploy.targets[0]",
        "tool.deploy.targets[1]",
    ]
    assert file.sections[3].span == Span(16, 1, 16, 24) and file.sections[3].name_span == Span(16, 3, 16, 22)
    assert file.key_span("tool.deploy.targets[1]") == Span(21, 15, 21, 22)
    assert file.get("project.dependencies") == ["requests>=2.31", "psycopg[binary]==3.1.18"]
    assert [e.value for e in file.under("project.dependencies")] == ["requests>=2.31", "psycopg[binary]==3.1.18"]


def test_toml_duplicate_key_is_an_error_with_its_line() -> None:
    with pytest.raises(LoadError) as caught:
        load_toml("config.toml", '[database]\nhost = "db"\npassword = "a"\npassword = "b"\n')
    assert caught.value.kind == "toml" and caught.value.line == 4
    assert "defined twice" in caught.value.message


def test_toml_duplicate_table_is_an_error_with_its_line() -> None:
    with pytest.raises(LoadError) as caught:
        load_toml("config.toml", "[a]\nx = 1\n\n[a]\ny = 2\n")
    assert caught.value.line == 4 and caught.value.message == "invalid TOML: a table is declared twice"


def test_toml_deep_nesting_is_refused_before_the_parser_recurses() -> None:
    with pytest.raises(LoadError) as caught:
        load_toml("deep.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert caught.value.kind == "too-complex"
    nested = "x = " + "[" * 50 + "1" + "]" * 50 + "\n"  # deep but reasonable: fine
    assert load_toml("ok.toml", nested).entries[0].path == "x" + "[0]" * 50


def test_toml_brackets_in_strings_and_comments_do_not_count_as_nesting() -> None:
    text = 'pattern = "' + "[" * 300 + '"  # ' + "{" * 300 + "\n"
    assert load_toml("regex.toml", text).get("pattern") == "[" * 300


TOML_KEYS = st.one_of(
    st.from_regex(r"[a-z][a-z0-9_-]{0,5}", fullmatch=True),
    st.text(st.sampled_from('ab. é"\\'), min_size=1, max_size=4),
)
TOML_STRINGS = st.text(st.sampled_from(string.ascii_letters + " '\"\\#[]{},=\n\té"), max_size=8)
TOML_SCALARS = st.one_of(
    TOML_STRINGS,
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(timezones=st.just(datetime.UTC)).map(lambda d: d.replace(microsecond=0)),
    st.dates(),
)


def toml_key(key: str) -> str:
    if key and all(c in string.ascii_letters + string.digits + "_-" for c in key):
        return key
    return json.dumps(key, ensure_ascii=False)


@st.composite
def toml_value(draw, depth: int = 0) -> str:
    choice = draw(st.integers(0, 5 if depth < 3 else 0))
    if choice <= 2:
        value = draw(TOML_SCALARS)
        if isinstance(value, str):
            form = draw(st.sampled_from(["basic", "literal", "multi-basic", "multi-literal"]))
            if form == "literal" and "'" not in value and "\n" not in value:
                return f"'{value}'"
            if form == "multi-literal" and "'''" not in value and not value.endswith("'"):
                return f"'''{value}'''"
            if form == "multi-basic":
                return '"""' + value.replace("\\", "\\\\").replace('"', '\\"') + '"""'
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, datetime.datetime):
            return value.isoformat().replace("+00:00", "Z")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return repr(value)
    if choice <= 4:
        items = draw(st.lists(toml_value(depth + 1), max_size=3))
        separator = draw(st.sampled_from([", ", ",\n  ", " ,", ",  # note\n"]))
        trailing = draw(st.sampled_from(["", ","])) if items else ""
        return "[" + separator.join(items) + trailing + "]"
    keys = draw(st.lists(TOML_KEYS, max_size=3, unique=True))
    return "{" + ", ".join(f"{toml_key(k)} = {draw(toml_value(depth + 1))}" for k in keys) + "}"


@st.composite
def toml_documents(draw) -> str:
    lines = []
    for key in draw(st.lists(TOML_KEYS, max_size=3, unique=True)):
        lines.append(f"{toml_key(key)} = {draw(toml_value())}")
    for name in draw(st.lists(TOML_KEYS, max_size=3, unique=True)):
        array = draw(st.booleans())
        for _ in range(draw(st.integers(1, 2)) if array else 1):
            lines.append(f"[[t.{toml_key(name)}]]" if array else f"[t.{toml_key(name)}]")
            for key in draw(st.lists(TOML_KEYS, max_size=3, unique=True)):
                dotted = draw(st.sampled_from(["", "sub.", '"q.x" . ']))
                lines.append(f"{dotted}{toml_key(key)} = {draw(toml_value())}  # c")
    return "\n".join(lines) + "\n"


def leaves(node, keys=()):
    """The paths of a value's leaves: scalars and empty containers (not an empty document)."""
    if not keys and not node and isinstance(node, (dict, list)):
        return
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from leaves(value, (*keys, key))
    elif isinstance(node, list) and node:
        for index, value in enumerate(node):
            yield from leaves(value, (*keys, index))
    else:
        yield keys, node


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(toml_documents())
def test_toml_every_located_value_parses_back_to_its_value(text: str) -> None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(LoadError):
            load_toml("gen.toml", text)
        return
    file = load_toml("gen.toml", text)
    assert sorted(map(repr, (e.keys for e in file.entries))) == sorted(map(repr, (k for k, _ in leaves(data))))
    for entry in file.entries:
        written = entry.quote + text_at(file, entry.value_span) + entry.quote if entry.value != "" else '""'
        if entry.value == {} and written.startswith("["):  # an empty table is located at its header
            assert entry.value_span in [s.span for s in file.sections if s.keys == entry.keys]
            continue
        parsed = tomllib.loads(f"v = {written}")["v"]
        assert parsed == entry.value or (parsed != parsed and entry.value != entry.value), entry  # nan
        if isinstance(entry.keys[-1], str) and entry.keys[-1]:
            start = file._line_starts[entry.key_span.line - 1] + entry.key_span.column - 1
            quote = text[start - 1] if start and text[start - 1] in "'\"" else ""
            assert tomllib.loads(f"{quote}{text_at(file, entry.key_span)}{quote} = 1") == {entry.keys[-1]: 1}


# --- JSON -----------------------------------------------------------------------------------

APPSETTINGS = """\
{
  "ConnectionStrings": {
    "Default": "Server=db;Database=app;User Id=sa;Password=Pa55w0rd!;"
  },
  "Servers": [
    {"host": "eu.internal", "token": "tok_\\u0041bc"},
    {"host": "us.internal", "token": "${US_TOKEN}"}
  ],
  "Retries": 3,
  "Ratio": 0.5,
  "Debug": false,
  "Proxy": null,
  "Tags": [],
  "Extra": {}
}
"""


def test_json_entries_paths_and_exact_spans() -> None:
    file = load_json("appsettings.json", APPSETTINGS)
    assert file.format == "json" and file.kind is FileKind.JSON
    assert by_path(file) == {
        "ConnectionStrings.Default": "Server=db;Database=app;User Id=sa;Password=Pa55w0rd!;",
        "Servers[0].host": "eu.internal",
        "Servers[0].token": "tok_Abc",
        "Servers[1].host": "us.internal",
        "Servers[1].token": "${US_TOKEN}",
        "Retries": 3,
        "Ratio": 0.5,
        "Debug": False,
        "Proxy": None,
        "Tags": [],
        "Extra": {},
    }
    default = file.entry("ConnectionStrings.Default")
    assert default.key_span == Span(3, 6, 3, 13) and default.value_span == Span(3, 17, 3, 70)
    token = file.entry("Servers[0].token")
    assert token.key_span == Span(6, 30, 6, 35) and token.value_span == Span(6, 39, 6, 51)
    assert text_at(file, token.value_span) == "tok_\\u0041bc"
    assert file.entry("Servers[1].token").is_reference
    assert file.entry("Retries").value_span == Span(9, 14, 9, 15)
    tags = file.entry("Tags")
    assert tags.key_span == Span(13, 4, 13, 8) and tags.value_span == Span(13, 11, 13, 13)
    assert file.key_span("Servers") == Span(5, 4, 5, 11)
    assert file.key_span("Servers[1]") == Span(7, 5, 7, 52)
    assert file.get("Servers[1].host") == "us.internal" and file.get("Servers[5]") is None
    assert file.data == json.loads(APPSETTINGS)
    assert len(set(file.entries)) == len(file.entries)  # hashable, [] and {} values included


def test_json_byte_order_mark_keeps_columns() -> None:
    file = load_json("package.json", '\ufeff{"name": "app"}')
    assert file.get("name") == "app" and file.entry("name").value_span == Span(1, 12, 1, 15)


@pytest.mark.parametrize(
    "path,text,keys",
    [
        (".env", "\ufeffTOKEN=abc\n", ("TOKEN",)),
        ("app.ini", "\ufeff[auth]\nTOKEN = abc\n", ("auth", "TOKEN")),
        ("app.toml", '\ufeffTOKEN = "abc"\n', ("TOKEN",)),
    ],
)
def test_byte_order_mark_is_not_part_of_the_first_line(path: str, text: str, keys: tuple) -> None:
    file = load(path, text)
    assert file.get(keys) == "abc"
    assert text_at(file, file.entry(keys).value_span) == "abc"


def test_json_comments_and_trailing_commas_are_accepted_as_in_tsconfig() -> None:
    text = '{\n  // paths\n  "compilerOptions": {\n    /* strict */ "strict": true,\n    "lib": ["dom",],\n  },\n}\n'
    file = load_json("tsconfig.json", text)
    assert file.data == {"compilerOptions": {"strict": True, "lib": ["dom"]}}
    assert file.entry("compilerOptions.strict").key_span == Span(4, 19, 4, 25)
    assert file.entry("compilerOptions.lib[0]").value_span == Span(5, 14, 5, 17)


@pytest.mark.parametrize("text", ["[,]", '["a",,]', '{"a": 1,,}', "{,}"])
def test_json_a_comma_that_follows_no_value_is_still_an_error(text: str) -> None:
    with pytest.raises(LoadError):
        load_json("tsconfig.json", text)


def test_json_comment_markers_inside_strings_are_text() -> None:
    file = load_json("urls.json", '{"url": "https://example.com/*x*/", "n": 1,}')
    assert file.get("url") == "https://example.com/*x*/"


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(LoadError) as caught:
        load_json("package.json", '{\n  "name": "app",\n  "version" "1.0.0"\n}\n')
    assert caught.value.kind == "json" and caught.value.line == 3
    assert caught.value.message == "invalid JSON: expecting ':' delimiter at column 13"


def test_json_unterminated_block_comment() -> None:
    with pytest.raises(LoadError) as caught:
        load_json("settings.json", '{\n  "a": 1 /* forgot\n}\n')
    assert caught.value.line == 2 and caught.value.message == "unterminated /* comment started on line 2"


def test_json_nan_is_not_json() -> None:
    with pytest.raises(LoadError) as caught:
        load_json("metrics.json", '{\n"ratio": NaN\n}')
    assert caught.value.line == 2 and "NaN" in caught.value.message


@pytest.mark.parametrize("opener,closer", [("[", "]"), ('{"a":', "}")])
def test_json_deep_nesting_is_a_load_error_not_a_recursion_error(opener: str, closer: str) -> None:
    with pytest.raises(LoadError) as caught:
        load_json("deep.json", opener * 100_000 + "1" + closer * 100_000)
    assert caught.value.kind == "too-complex"


def test_json_moderately_deep_nesting_is_located_without_recursion() -> None:
    file = load_json("deep.json", "[" * 800 + "1" + "]" * 800)
    assert file.entries[0].keys == (0,) * 800 and file.entries[0].value == 1


def test_json_five_megabyte_single_line_file_loads() -> None:
    records = [{"name": f"pkg{i}", "integrity": "sha512-" + "a" * 1000, "deps": {"x": "^1"}} for i in range(5_000)]
    text = json.dumps({"packages": records})
    assert len(text) > 5_000_000 and "\n" not in text
    file = load_json("package-lock.json", text)
    assert len(file.get("packages")) == 5_000
    last = file.entries[-1]
    assert last.path == "packages[4999].deps.x" and last.value_span.line == 1
    assert last.value_span.column == len(text) - 6  # ^1"}}]} ends the text


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 0, 2, "\t"]), st.booleans())
def test_json_entries_agree_with_the_data(value, indent, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    file = load_json("gen.json", text)
    assert sorted(map(repr, (e.keys for e in file.entries))) == sorted(map(repr, (k for k, _ in leaves(value))))
    for entry in file.entries:
        assert file.get(entry.keys) == entry.value
        written = text_at(file, entry.value_span) if entry.value != "" else ""
        assert json.loads(f'"{written}"' if entry.quote else written) == entry.value
        if entry.keys and isinstance(entry.keys[-1], str) and entry.keys[-1]:
            assert json.loads(f'"{text_at(file, entry.key_span)}"') == entry.keys[-1]


# --- every format ---------------------------------------------------------------------------

GARBAGE = "\x00\x01\x02PK\x03\x04\x14\x00\x06\x00\ufffd\ufffd\x7fELF\x02\x01\x01\n\x00\x00\x00"


@pytest.mark.parametrize(
    "path,loader", [(".env", load_env), ("app.ini", load_ini), ("app.toml", load_toml), ("app.json", load_json)]
)
def test_binary_garbage_is_a_load_error(path: str, loader) -> None:
    with pytest.raises(LoadError):
        loader(path, GARBAGE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([".env", "app.ini", "app.conf", "pyproject.toml", "tsconfig.json"]),
    st.text(st.characters(blacklist_categories=()), max_size=300)
    | st.text(st.sampled_from("[]{}\"'=:#;,.\\\n abc01\t/*-$"), max_size=300),
)
def test_any_text_loads_or_raises_load_error(path: str, text: str) -> None:
    try:
        file = load(path, text)
    except LoadError:
        return
    assert isinstance(file, ConfigFile)
    for entry in file.entries:
        assert entry.key_span.line >= 1 and entry.value_span.line >= 1
        entry.references  # noqa: B018
    file.sections  # noqa: B018


def test_the_registry_loads_each_kind_as_a_config_file() -> None:
    for path, kind in [
        ("services/api/.env", FileKind.ENV),
        ("setup.cfg", FileKind.INI),
        ("pyproject.toml", FileKind.TOML),
        ("package.json", FileKind.JSON),
    ]:
        file = load(path, "{}" if kind is FileKind.JSON else "")
        assert isinstance(file, ConfigFile) and file.kind is kind
    assert load_config_file("x.txt", "A=1\n", "env").get("A") == "1"
    assert load_config_file("x.txt", "a = 1\n", FileKind.TOML).get("a") == 1
    with pytest.raises(LoadError):
        load_config_file("x.txt", "", "yaml")


def test_empty_files() -> None:
    assert load_env(".env", "").entries == ()
    assert load_ini("setup.cfg", "").data == {}
    assert load_toml("pyproject.toml", "").data == {}
    with pytest.raises(LoadError):
        load_json("package.json", "")


@pytest.mark.parametrize(
    "keys,path",
    [
        (("database", "password"), "database.password"),
        (("servers", 0, "token"), "servers[0].token"),
        (("tool", "setuptools.packages"), 'tool."setuptools.packages"'),
        ((0, 1), "[0][1]"),
        (("", "a b"), '""."a b"'),
    ],
)
def test_paths(keys, path: str) -> None:
    assert format_path(keys) == path and parse_path(path) == keys


@given(st.lists(st.text(max_size=5) | st.integers(0, 99), min_size=1, max_size=5))
def test_paths_round_trip(keys) -> None:
    assert parse_path(format_path(keys)) == tuple(keys)


@pytest.mark.parametrize("bad", ["", ".a", "a..b", "a[x]", "a b", 'a."b'])
def test_malformed_paths(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_path(bad)
