"""The SQL model: statements split exactly, parsed by sqlglot, summarised for migration rules."""

from __future__ import annotations

import logging
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prodready_lint.sdk import FileKind, LoadError, Span, load
from prodready_lint.sdk.sql import SqlFile, SqlStatement, load_sql, parse_sql
from prodready_lint.sdk.sql_functions import volatility_of
from prodready_lint.sdk.sql_reader import MAX_NESTING, MAX_STATEMENT_CHARS
from prodready_lint.sdk.sql_summary import (
    ActionKind,
    ConstraintType,
    ObjectName,
    StatementKind,
    Volatility,
)
from prodready_lint.sdk.sql_tokens import sqlglot_dialect
from sqlglot import exp

PATH = "db/migrations/V7__add_email.sql"


def sql_file(text: str, dialect: str = "postgres") -> SqlFile:
    return load_sql(PATH, textwrap.dedent(text), dialect=dialect)


def one(text: str, dialect: str = "postgres") -> SqlStatement:
    (statement,) = parse_sql(text, dialect=dialect)
    return statement


def texts(model: SqlFile) -> list[str]:
    return [statement.text for statement in model.statements]


# -- splitting --------------------------------------------------------------------------


def test_a_migration_splits_into_statements_with_exact_spans() -> None:
    text = (
        "-- Add email to users\n"
        "BEGIN;\n"
        "ALTER TABLE public.users\n"
        "    ADD COLUMN email text NOT NULL DEFAULT '';\n"
        "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"
        "COMMIT;\n"
    )
    model = load_sql(PATH, text)
    assert isinstance(model, SqlFile) and model.kind is FileKind.SQL
    assert texts(model) == [
        "BEGIN",
        "ALTER TABLE public.users\n    ADD COLUMN email text NOT NULL DEFAULT ''",
        "CREATE INDEX CONCURRENTLY users_email_idx ON users (email)",
        "COMMIT",
    ]
    assert [s.span for s in model.statements] == [
        Span(2, 1, 2, 6),
        Span(3, 1, 4, 46),
        Span(5, 1, 5, 59),
        Span(6, 1, 6, 7),
    ]
    assert [s.index for s in model.statements] == [0, 1, 2, 3]
    assert [(c.span, c.text, c.body) for c in model.comments] == [
        (Span(1, 1, 1, 22), "-- Add email to users", "Add email to users")
    ]
    alter = model.statements[1]
    assert alter.table == ObjectName("users", "public")
    assert alter.table.span == Span(3, 13, 3, 25)
    (action,) = alter.summary.actions
    assert action.span == Span(4, 5, 4, 46)
    assert action.column_def is not None and action.column_def.span == Span(4, 16, 4, 21)


def test_the_registry_loads_sql_files_with_this_model() -> None:
    model = load("migrations/0001_init.sql", "CREATE TABLE t (id int);\n")
    assert isinstance(model, SqlFile)
    assert texts(model) == ["CREATE TABLE t (id int)"]


def test_statements_are_split_around_comments_and_a_drop_in_a_comment_is_not_a_statement() -> None:
    model = sql_file(
        """\
        /* outer /* DROP TABLE users; */ still a comment; */
        SELECT 1; -- DROP TABLE orders;
        SELECT 2 /* ; */ + 3;
        """
    )
    assert texts(model) == ["SELECT 1", "SELECT 2 /* ; */ + 3"]
    assert [c.text for c in model.comments] == [
        "/* outer /* DROP TABLE users; */ still a comment; */",
        "-- DROP TABLE orders;",
        "/* ; */",
    ]
    assert [c.span for c in model.comments] == [Span(1, 1, 1, 53), Span(2, 11, 2, 32), Span(3, 10, 3, 17)]
    assert all(s.kind is not StatementKind.DROP_TABLE for s in model.statements)


def test_strings_and_quoted_identifiers_hide_semicolons_and_comment_markers() -> None:
    model = sql_file(
        """\
        INSERT INTO notes (body) VALUES ('it''s; -- not a comment');
        INSERT INTO notes (body) VALUES (E'a\\'; DROP TABLE notes; --');
        SELECT "odd;name", "with ""quotes""; /*" FROM t;
        SELECT 'DROP TABLE users;';
        """
    )
    assert texts(model) == [
        "INSERT INTO notes (body) VALUES ('it''s; -- not a comment')",
        "INSERT INTO notes (body) VALUES (E'a\\'; DROP TABLE notes; --')",
        'SELECT "odd;name", "with ""quotes""; /*" FROM t',
        "SELECT 'DROP TABLE users;'",
    ]
    assert model.comments == ()
    assert [s.kind for s in model.statements] == [StatementKind.INSERT] * 2 + [StatementKind.SELECT] * 2


def test_dollar_quoted_function_bodies_keep_their_semicolons() -> None:
    model = sql_file(
        """\
        CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();  -- a comment inside the body; not a file comment
            RETURN NEW;
        END;
        $$;
        DO $body$ BEGIN RAISE NOTICE 'a $$ b; c'; END $body$;
        SELECT $1, price$usd$ FROM items;
        """
    )
    assert len(model.statements) == 3
    function, block, select = model.statements
    assert function.span == Span(1, 1, 6, 3)
    assert function.text.endswith("END;\n$$")
    assert block.text == "DO $body$ BEGIN RAISE NOTICE 'a $$ b; c'; END $body$"
    assert select.text == "SELECT $1, price$usd$ FROM items"
    assert model.comments == ()
    assert function.kind is StatementKind.CREATE_FUNCTION
    assert function.summary.name == ObjectName("touch")
    assert not function.parsed  # sqlglot reads a PL/pgSQL function only as an opaque command
    assert function.analyzed  # its kind and name are read from the tokens
    assert block.kind is StatementKind.DO


def test_a_semicolon_inside_parentheses_does_not_end_the_statement_as_in_psql() -> None:
    model = sql_file("SELECT (1;\n2);\nSELECT 3;\n")
    assert texts(model) == ["SELECT (1;\n2)", "SELECT 3"]


def test_begin_atomic_function_bodies_keep_their_semicolons_as_in_psql() -> None:
    model = sql_file(
        """\
        CREATE FUNCTION add_one(i int) RETURNS int LANGUAGE sql
        BEGIN ATOMIC
            SELECT CASE WHEN i > 0 THEN i + 1 ELSE 0 END;
            SELECT i;
        END;
        SELECT add_one(1);
        """
    )
    assert len(model.statements) == 2
    assert model.statements[0].span == Span(1, 1, 5, 4)
    assert model.statements[0].kind is StatementKind.CREATE_FUNCTION
    assert model.statements[1].text == "SELECT add_one(1)"


def test_psql_meta_commands_are_client_commands_not_statements() -> None:
    model = sql_file(
        """\
        \\set ON_ERROR_STOP on
        \\connect billing
        DROP TABLE IF EXISTS old_invoices;
        SELECT count(*) AS n FROM invoices \\gset
        \\echo :n
        """
    )
    assert texts(model) == ["DROP TABLE IF EXISTS old_invoices", "SELECT count(*) AS n FROM invoices"]
    assert [(c.text, c.name, c.argument, c.span) for c in model.commands] == [
        ("\\set ON_ERROR_STOP on", "set", "ON_ERROR_STOP on", Span(1, 1, 1, 22)),
        ("\\connect billing", "connect", "billing", Span(2, 1, 2, 17)),
        ("\\gset", "gset", "", Span(4, 36, 4, 41)),
        ("\\echo :n", "echo", ":n", Span(5, 1, 5, 9)),
    ]
    assert model.statements[1].terminated  # \gset sends the query
    assert model.statements[1].parsed


def test_a_meta_command_inside_a_statement_is_not_given_to_the_parser() -> None:
    (statement,) = sql_file("SELECT 1\n\\echo hello\n+ 2;\n").statements
    assert statement.text == "SELECT 1\n\\echo hello\n+ 2"
    assert statement.parsed, statement.error


def test_copy_from_stdin_data_is_not_read_as_sql() -> None:
    model = sql_file(
        """\
        COPY public.users (id, name) FROM stdin;
        1\tO'Brien; DROP TABLE users
        2\t/* not a comment
        \\.
        SELECT 1;
        """
    )
    assert texts(model) == ["COPY public.users (id, name) FROM stdin", "SELECT 1"]
    assert model.statements[0].data_span == Span(2, 1, 4, 3)
    assert model.comments == ()


def test_the_last_statement_may_lack_its_semicolon() -> None:
    model = sql_file("SELECT 1;\nSELECT 2 -- trailing\n")
    assert texts(model) == ["SELECT 1", "SELECT 2"]
    assert [s.terminated for s in model.statements] == [True, False]


def test_empty_statements_and_crlf_line_endings() -> None:
    model = load_sql(PATH, ";;\r\nSELECT 1;\r\n;\r\nSELECT\r\n  2;")
    assert texts(model) == ["SELECT 1", "SELECT\r\n  2"]
    assert model.statements[1].span == Span(4, 1, 5, 4)


def test_columns_count_code_points() -> None:
    model = sql_file("SELECT 'héllo wörld'; SELECT 2;\n")
    assert model.statements[1].span == Span(1, 23, 1, 31)


def test_statement_at_and_of_kind() -> None:
    model = sql_file("CREATE TABLE a (id int);\n\nDROP TABLE a;\nDROP TABLE b;\n")
    assert model.statement_at(3) is model.statements[1]
    assert model.statement_at(2) is None
    assert [s.text for s in model.of_kind("drop_table")] == ["DROP TABLE a", "DROP TABLE b"]


# -- transactions -----------------------------------------------------------------------


def test_statements_inside_an_explicit_transaction_block_know_it() -> None:
    model = sql_file(
        """\
        CREATE INDEX CONCURRENTLY a_idx ON a (x);
        BEGIN;
        CREATE INDEX CONCURRENTLY b_idx ON b (x);
        SAVEPOINT s1;
        ROLLBACK TO SAVEPOINT s1;
        COMMIT;
        START TRANSACTION ISOLATION LEVEL SERIALIZABLE;
        UPDATE c SET x = 1 WHERE id = 2;
        COMMIT AND CHAIN;
        DELETE FROM c WHERE id = 3;
        END;
        BEGIN WORK;
        ROLLBACK;
        VACUUM c;
        """
    )
    flags = [(s.text.split()[0], s.in_transaction) for s in model.statements]
    assert flags == [
        ("CREATE", False),
        ("BEGIN", False),
        ("CREATE", True),
        ("SAVEPOINT", True),
        ("ROLLBACK", True),
        ("COMMIT", True),
        ("START", False),
        ("UPDATE", True),
        ("COMMIT", True),
        ("DELETE", True),
        ("END", True),
        ("BEGIN", False),
        ("ROLLBACK", True),
        ("VACUUM", False),
    ]
    kinds = [s.kind for s in model.statements]
    assert kinds[1] is StatementKind.BEGIN and kinds[6] is StatementKind.BEGIN and kinds[10] is StatementKind.COMMIT


# -- parsing and the summary --------------------------------------------------------------


def test_each_statement_is_parsed_on_first_use_into_sqlglots_tree() -> None:
    statement = one("UPDATE accounts SET balance = 0 WHERE id = 7")
    assert isinstance(statement.tree, exp.Update)
    assert statement.parsed and statement.error is None and statement.error_span is None
    assert statement.kind is StatementKind.UPDATE
    assert statement.summary.has_where is True
    where = statement.tree.args["where"].find(exp.Column)
    assert statement.span_of(where) == Span(1, 39, 1, 41)
    assert statement.span_of(statement.tokens[0]) == Span(1, 1, 1, 7)


@pytest.mark.parametrize(
    ("sql", "kind", "has_where"),
    [
        ("DELETE FROM sessions", StatementKind.DELETE, False),
        ("DELETE FROM sessions WHERE expires_at < now()", StatementKind.DELETE, True),
        ("UPDATE users SET flag = false", StatementKind.UPDATE, False),
        ("WITH old AS (SELECT id FROM users WHERE x) UPDATE users SET flag = false", StatementKind.UPDATE, False),
        ("DELETE FROM t WHERE id IN (SELECT id FROM u WHERE u.x)", StatementKind.DELETE, True),
        ("DELETE FROM t USING u WHERE t.id = u.id", StatementKind.DELETE, True),
    ],
)
def test_delete_and_update_know_whether_they_have_a_where(sql: str, kind: StatementKind, has_where: bool) -> None:
    statement = one(sql)
    assert statement.kind is kind and statement.parsed and statement.analyzed
    assert statement.summary.has_where is has_where


def test_create_table_lists_its_columns_and_constraints() -> None:
    statement = one(
        textwrap.dedent(
            """\
            CREATE TABLE IF NOT EXISTS billing.invoices (
                id bigserial PRIMARY KEY,
                number varchar(32) NOT NULL UNIQUE,
                customer_id bigint REFERENCES customers (id) ON DELETE CASCADE,
                total numeric(12, 2) NOT NULL DEFAULT 0,
                created_at timestamp with time zone DEFAULT now(),
                CONSTRAINT invoices_total_check CHECK (total >= 0)
            )"""
        )
    )
    summary = statement.summary
    assert statement.kind is StatementKind.CREATE_TABLE and statement.analyzed
    assert summary.table == ObjectName("invoices", "billing") and summary.if_not_exists
    columns = [(c.name, c.type, c.not_null, c.default, c.primary_key, c.unique, c.serial) for c in summary.columns]
    assert columns == [
        ("id", "bigserial", False, None, True, False, True),
        ("number", "varchar(32)", True, None, False, True, False),
        ("customer_id", "bigint", False, None, False, False, False),
        ("total", "numeric(12, 2)", True, "0", False, False, False),
        ("created_at", "timestamp with time zone", False, "now()", False, False, False),
    ]
    assert summary.columns[2].references == ObjectName("customers")
    assert summary.columns[4].default_volatility is Volatility.STABLE
    assert summary.columns[1].span == Span(3, 5, 3, 11)
    (check,) = summary.constraints
    assert (check.type, check.name, check.expression) == (ConstraintType.CHECK, "invoices_total_check", "total >= 0")


# The ALTER TABLE forms the migrations family reads; "native" says sqlglot (30.20 to 30.30)
# builds a tree for the statement; the others it reads only as an opaque command or
# rejects, and the summary is completed from its tokens. A later sqlglot may parse more.
ALTER_FORMS = [
    pytest.param(
        "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT ''",
        True,
        {"kind": ActionKind.ADD_COLUMN, "column": "email"},
        {"type": "text", "not_null": True, "default": "''", "default_volatility": Volatility.IMMUTABLE},
        id="add column not null default",
    ),
    pytest.param(
        "ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now()",
        True,
        {"kind": ActionKind.ADD_COLUMN},
        {"default": "now()", "default_volatility": Volatility.STABLE, "volatile_default": False},
        id="add column stable default",
    ),
    pytest.param(
        "ALTER TABLE users ADD COLUMN IF NOT EXISTS token uuid DEFAULT gen_random_uuid()",
        True,
        {"kind": ActionKind.ADD_COLUMN, "if_not_exists": True},
        {"default": "gen_random_uuid()", "default_volatility": Volatility.VOLATILE, "volatile_default": True},
        id="add column volatile default",
    ),
    pytest.param(
        "ALTER TABLE users ADD score int DEFAULT floor(random() * 10)::int",
        True,
        {"kind": ActionKind.ADD_COLUMN},
        {"default": "floor(random() * 10)::int", "default_volatility": Volatility.VOLATILE},
        id="add column nested volatile default",
    ),
    pytest.param(
        "ALTER TABLE users ADD COLUMN code text DEFAULT next_code()",
        True,
        {"kind": ActionKind.ADD_COLUMN},
        {"default_volatility": Volatility.UNKNOWN, "volatile_default": True},
        id="add column default of unknown volatility",
    ),
    pytest.param(
        "ALTER TABLE users ADD COLUMN id2 bigserial",
        True,
        {"kind": ActionKind.ADD_COLUMN},
        {"serial": True, "volatile_default": True, "default": None},
        id="add serial column",
    ),
    pytest.param(
        "ALTER TABLE users ADD COLUMN full_name text GENERATED ALWAYS AS (first || ' ' || last) STORED",
        True,
        {"kind": ActionKind.ADD_COLUMN},
        {"generated": "stored", "type": "text"},
        id="add generated column",
    ),
    pytest.param(
        "ALTER TABLE users ADD COLUMN n int GENERATED BY DEFAULT AS IDENTITY",
        True,
        {"kind": ActionKind.ADD_COLUMN},
        {"generated": "identity", "volatile_default": True},
        id="add identity column",
    ),
    pytest.param(
        "ALTER TABLE users ADD COLUMN bio text COMPRESSION lz4 DEFAULT 'x'",
        False,
        {"kind": ActionKind.ADD_COLUMN, "from_tokens": True},
        {"type": "text", "default": "'x'"},
        id="add column with compression",
    ),
    pytest.param(
        "ALTER TABLE users DROP COLUMN IF EXISTS legacy CASCADE",
        True,
        {"kind": ActionKind.DROP_COLUMN, "column": "legacy", "if_exists": True, "cascade": True},
        None,
        id="drop column",
    ),
    pytest.param(
        "ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint",
        True,
        {"kind": ActionKind.ALTER_COLUMN_TYPE, "column": "age", "type": "bigint", "using": "age::bigint"},
        None,
        id="alter column type using",
    ),
    pytest.param(
        "ALTER TABLE users ALTER age SET DATA TYPE numeric(10, 2)",
        True,
        {"kind": ActionKind.ALTER_COLUMN_TYPE, "column": "age", "type": "numeric(10, 2)", "using": None},
        None,
        id="alter column set data type",
    ),
    pytest.param(
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL",
        True,
        {"kind": ActionKind.SET_NOT_NULL, "column": "email"},
        None,
        id="set not null",
    ),
    pytest.param(
        "ALTER TABLE users ALTER COLUMN email DROP NOT NULL",
        True,
        {"kind": ActionKind.DROP_NOT_NULL, "column": "email"},
        None,
        id="drop not null",
    ),
    pytest.param(
        "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active'",
        True,
        {"kind": ActionKind.SET_DEFAULT, "default": "'active'", "default_volatility": Volatility.IMMUTABLE},
        None,
        id="set default",
    ),
    pytest.param(
        "ALTER TABLE users ALTER COLUMN status DROP DEFAULT",
        True,
        {"kind": ActionKind.DROP_DEFAULT, "column": "status"},
        None,
        id="drop default",
    ),
    pytest.param(
        "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID",
        True,
        {"kind": ActionKind.ADD_CONSTRAINT, "name": "orders_user_fk"},
        {
            "type": ConstraintType.FOREIGN_KEY,
            "columns": ("user_id",),
            "references": ObjectName("users"),
            "not_valid": True,
        },
        id="add foreign key not valid",
    ),
    pytest.param(
        "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID",
        True,
        {"kind": ActionKind.ADD_CONSTRAINT},
        {"type": ConstraintType.CHECK, "expression": "total >= 0", "not_valid": True},
        id="add check not valid",
    ),
    pytest.param(
        "ALTER TABLE orders ADD CHECK (total >= 0)",
        False,
        {"kind": ActionKind.ADD_CONSTRAINT, "from_tokens": True},
        {"type": ConstraintType.CHECK, "name": None, "not_valid": False},
        id="add unnamed check",
    ),
    pytest.param(
        "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)",
        True,
        {"kind": ActionKind.ADD_CONSTRAINT},
        {"type": ConstraintType.UNIQUE, "columns": ("email",), "not_valid": False},
        id="add unique",
    ),
    pytest.param(
        "ALTER TABLE users ADD PRIMARY KEY (id)",
        True,
        {"kind": ActionKind.ADD_CONSTRAINT},
        {"type": ConstraintType.PRIMARY_KEY, "columns": ("id",)},
        id="add primary key",
    ),
    pytest.param(
        "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx",
        False,
        {"kind": ActionKind.ADD_CONSTRAINT, "from_tokens": True},
        {"type": ConstraintType.PRIMARY_KEY, "using_index": "users_id_idx", "columns": ()},
        id="add primary key using index",
    ),
    pytest.param(
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk",
        False,
        {"kind": ActionKind.VALIDATE_CONSTRAINT, "name": "orders_user_fk", "from_tokens": True},
        None,
        id="validate constraint",
    ),
    pytest.param(
        "ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_user_fk",
        True,
        {"kind": ActionKind.DROP_CONSTRAINT, "name": "orders_user_fk", "if_exists": True},
        None,
        id="drop constraint",
    ),
    pytest.param(
        "ALTER TABLE users RENAME COLUMN name TO full_name",
        True,
        {"kind": ActionKind.RENAME_COLUMN, "column": "name", "new_name": "full_name"},
        None,
        id="rename column",
    ),
    pytest.param(
        "ALTER TABLE users RENAME TO accounts",
        True,
        {"kind": ActionKind.RENAME_TABLE, "new_name": "accounts"},
        None,
        id="rename table",
    ),
    pytest.param(
        "ALTER TABLE users RENAME CONSTRAINT a TO b",
        False,
        {"kind": ActionKind.RENAME_CONSTRAINT, "name": "a", "new_name": "b"},
        None,
        id="rename constraint",
    ),
    pytest.param(
        "ALTER TABLE users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY",
        False,
        {"kind": ActionKind.OTHER, "column": "id", "from_tokens": True},
        None,
        id="add identity to a column",
    ),
    pytest.param(
        "ALTER TABLE users OWNER TO app",
        False,
        {"kind": ActionKind.OTHER, "from_tokens": True},
        None,
        id="owner to",
    ),
]


@pytest.mark.parametrize(("sql", "native", "expected_action", "expected_detail"), ALTER_FORMS)
def test_alter_table_forms(sql: str, native: bool, expected_action: dict, expected_detail: dict | None) -> None:
    statement = one(sql)
    assert statement.kind is StatementKind.ALTER_TABLE
    assert statement.parsed or not native, statement.error  # sqlglot may learn a form, never forget one
    assert statement.analyzed
    (action,) = statement.summary.actions
    assert action.text == sql.split(" ", 3)[3]
    assert action.span == Span(1, len(sql) - len(action.text) + 1, 1, len(sql) + 1)
    assert action.from_tokens is not statement.parsed
    for field, value in expected_action.items():
        assert getattr(action, field) == value, field
    if expected_detail is not None:
        detail = action.constraint if action.kind is ActionKind.ADD_CONSTRAINT else action.column_def
        for field, value in expected_detail.items():
            assert getattr(detail, field) == value, field


def test_alter_table_with_several_actions_gives_each_its_span() -> None:
    statement = one(
        textwrap.dedent(
            """\
            ALTER TABLE ONLY public.orders
                ADD COLUMN note text,
                VALIDATE CONSTRAINT orders_user_fk,
                ALTER COLUMN total SET NOT NULL"""
        )
    )
    assert not statement.parsed  # VALIDATE CONSTRAINT makes sqlglot give up on the whole statement
    assert statement.analyzed and statement.table == ObjectName("orders", "public")
    actions = statement.summary.actions
    assert [a.kind for a in actions] == [
        ActionKind.ADD_COLUMN,
        ActionKind.VALIDATE_CONSTRAINT,
        ActionKind.SET_NOT_NULL,
    ]
    assert [a.span for a in actions] == [Span(2, 5, 2, 25), Span(3, 5, 3, 39), Span(4, 5, 4, 36)]


def test_an_alter_table_action_of_unknown_shape_leaves_the_statement_unanalyzed() -> None:
    statement = one("ALTER TABLE users ADD COLUMN email text, FROBNICATE everything")
    assert statement.kind is StatementKind.ALTER_TABLE
    assert not statement.parsed and not statement.analyzed
    assert [a.kind for a in statement.summary.actions] == [ActionKind.ADD_COLUMN, ActionKind.OTHER]


def test_names_fold_like_postgres_unquoted_identifiers() -> None:
    statement = one('ALTER TABLE "Billing".Invoices ADD COLUMN "Total" int, ADD COLUMN Tax int')
    assert statement.table == ObjectName("invoices", "Billing")
    assert [a.column for a in statement.summary.actions] == ["Total", "tax"]
    assert str(statement.table) == "Billing.invoices"
    assert statement.table.span == Span(1, 13, 1, 31)


@pytest.mark.parametrize(
    ("sql", "native", "fields"),
    [
        (
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email)",
            True,
            {"concurrently": True, "if_not_exists": True, "unique": False, "columns": ("email",), "where": None},
        ),
        (
            "CREATE UNIQUE INDEX users_lower_email ON public.users USING btree (lower(email)) WHERE deleted_at IS NULL",
            True,
            {"unique": True, "concurrently": False, "using": "btree", "columns": ("lower(email)",)},
        ),
        ("CREATE INDEX ON events (created_at)", True, {"name": None, "columns": ("created_at",)}),
        (
            "CREATE UNIQUE INDEX CONCURRENTLY u ON t (a) NULLS NOT DISTINCT",
            False,
            {"unique": True, "concurrently": True},
        ),
    ],
)
def test_create_index(sql: str, native: bool, fields: dict) -> None:
    statement = one(sql)
    assert statement.kind is StatementKind.CREATE_INDEX
    assert (statement.parsed or not native) and statement.analyzed
    index = statement.summary.index
    assert index is not None and statement.table == index.table
    for field, value in fields.items():
        assert getattr(index, field) == value, field
    assert statement.summary.concurrently is index.concurrently


def test_a_create_index_the_parser_rejects_is_not_analyzed() -> None:
    # Valid Postgres (an index on a partitioned table's parent) that sqlglot rejects: the
    # kind is known from the keywords, the rest is left to "could not analyze".
    statement = one("CREATE INDEX CONCURRENTLY p ON ONLY measurements (logdate)")
    assert statement.kind is StatementKind.CREATE_INDEX
    assert not statement.parsed and not statement.analyzed
    assert statement.error == "Expected table name but got 'ONLY'"
    assert statement.summary.index is None


def test_a_drop_the_parser_rejects_is_read_only_when_every_token_fits() -> None:
    assert one("DROP INDEX a_idx, b_idx").analyzed
    garbled = one("DROP INDEX IF EXISTS CONCURRENTLY a_idx")
    assert garbled.kind is StatementKind.DROP_INDEX and not garbled.parsed and not garbled.analyzed


def test_create_index_knows_its_table_and_partial_predicate() -> None:
    statement = one("CREATE UNIQUE INDEX users_lower_email ON public.users (lower(email)) WHERE deleted_at IS NULL")
    assert statement.table == ObjectName("users", "public")
    assert statement.summary.index is not None and statement.summary.index.where == "deleted_at IS NULL"
    assert statement.summary.name == ObjectName("users_lower_email")


@pytest.mark.parametrize(
    ("sql", "kind", "object_type", "names", "if_exists", "cascade", "concurrently", "native"),
    [
        (
            "DROP TABLE IF EXISTS a, s.b CASCADE",
            StatementKind.DROP_TABLE,
            "table",
            ["a", "s.b"],
            True,
            True,
            False,
            True,
        ),
        ("DROP INDEX CONCURRENTLY IF EXISTS i", StatementKind.DROP_INDEX, "index", ["i"], True, False, True, True),
        ("DROP INDEX a_idx, b_idx", StatementKind.DROP_INDEX, "index", ["a_idx", "b_idx"], False, False, False, False),
        ("DROP MATERIALIZED VIEW v", StatementKind.DROP, "materialized view", ["v"], False, False, False, True),
        ("DROP FUNCTION IF EXISTS f(int, text)", StatementKind.DROP, "function", ["f"], True, False, False, True),
        ("DROP EXTENSION pgcrypto", StatementKind.DROP, "extension", ["pgcrypto"], False, False, False, False),
    ],
)
def test_drop(sql, kind, object_type, names, if_exists, cascade, concurrently, native) -> None:
    statement = one(sql)
    assert statement.kind is kind and (statement.parsed or not native) and statement.analyzed
    drop = statement.summary.drop
    assert drop is not None
    assert (drop.object_type, [str(n) for n in drop.names]) == (object_type, names)
    assert (drop.if_exists, drop.cascade, drop.concurrently) == (if_exists, cascade, concurrently)


def test_drop_table_and_truncate_name_their_tables() -> None:
    drop = one("DROP TABLE audit_log")
    assert drop.table == ObjectName("audit_log") and drop.summary.tables == (ObjectName("audit_log"),)
    truncate = one("TRUNCATE TABLE ONLY a, b RESTART IDENTITY CASCADE")
    assert truncate.kind is StatementKind.TRUNCATE and truncate.analyzed
    assert truncate.summary.tables == (ObjectName("a"), ObjectName("b"))


@pytest.mark.parametrize(
    ("sql", "kind", "name", "native"),
    [
        ("CREATE OR REPLACE VIEW active_users AS SELECT * FROM users", StatementKind.CREATE_VIEW, "active_users", True),
        ("CREATE EXTENSION IF NOT EXISTS pgcrypto", StatementKind.CREATE_EXTENSION, "pgcrypto", False),
        ("CREATE TYPE mood AS ENUM ('sad', 'ok')", StatementKind.CREATE_TYPE, "mood", True),
        ("ALTER TYPE mood ADD VALUE 'happy'", StatementKind.ALTER, "mood", False),
        ("COMMENT ON TABLE users IS 'People; who log in'", StatementKind.COMMENT, "users", True),
        ("REFRESH MATERIALIZED VIEW CONCURRENTLY stats", StatementKind.REFRESH, "stats", False),
        ("CREATE SEQUENCE IF NOT EXISTS order_seq", StatementKind.CREATE_SEQUENCE, "order_seq", True),
    ],
)
def test_other_statements_name_their_object(sql: str, kind: StatementKind, name: str, native: bool) -> None:
    statement = one(sql)
    assert statement.kind is kind and (statement.parsed or not native) and statement.analyzed
    assert str(statement.summary.name) == name


def test_create_trigger_names_its_table_and_lock_its_tables() -> None:
    trigger = one("CREATE TRIGGER touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION touch()")
    assert trigger.kind is StatementKind.CREATE_TRIGGER and trigger.table == ObjectName("users", "public")
    lock = one("LOCK TABLE users, orders IN ACCESS EXCLUSIVE MODE")
    assert lock.kind is StatementKind.LOCK and lock.analyzed and not lock.parsed
    assert lock.summary.tables == (ObjectName("users"), ObjectName("orders"))
    assert lock.summary.tables[1].span == Span(1, 19, 1, 25)


# -- statements the parser does not understand --------------------------------------------


def test_a_statement_that_does_not_parse_is_kept_and_the_file_still_loads() -> None:
    model = sql_file(
        """\
        CREATE TABLE a (id int);
        SELECT FROM WHERE;
        DROP TABLE b;
        """
    )
    assert len(model.statements) == 3
    bad = model.statements[1]
    assert not bad.parsed and bad.tree is None and not bad.analyzed
    assert bad.error == "Expected table name but got 'WHERE'"
    assert bad.error_span == Span(2, 13, 2, 18)
    assert bad.kind is StatementKind.SELECT  # from its leading keyword
    assert model.statements[2].parsed and model.statements[2].kind is StatementKind.DROP_TABLE


def test_an_opaque_command_is_said_so_and_a_shape_it_cannot_read_stays_unanalyzed() -> None:
    statement = one("CREATE POLICY tenant ON accounts USING (tenant_id = current_setting('app.tenant')::int)")
    assert isinstance(statement.tree, exp.Command)
    assert not statement.parsed
    assert statement.error == "the SQL parser reads this statement only as an opaque command"
    assert statement.kind is StatementKind.CREATE


def test_a_bare_expression_is_not_taken_for_a_statement() -> None:
    statement = one("lock_timeout = '5s'")  # sqlglot would read it as a comparison
    assert not statement.parsed and not statement.analyzed
    assert statement.error == "the SQL parser does not read this as a statement"
    assert statement.kind is StatementKind.OTHER


def test_the_parsers_fallback_warnings_do_not_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert not one("ALTER TABLE users VALIDATE CONSTRAINT fk").parsed
    assert caplog.records == []


def test_statements_are_value_objects() -> None:
    first, second = sql_file("SELECT 1;\nSELECT 1;\n").statements
    assert first != second  # different spans and positions
    assert one("SELECT 1") == one("SELECT 1")
    with pytest.raises(AttributeError):
        first.text = "DROP TABLE users"  # type: ignore[misc]


# -- SQL inside other files ---------------------------------------------------------------


def test_parse_sql_places_spans_where_the_text_starts_in_its_file() -> None:
    # op.execute("ALTER TABLE users ADD COLUMN ...") at line 12, the string's text at column 17
    statements = parse_sql("DROP TABLE legacy;\nDELETE FROM users", line=12, column=17)
    assert [s.span for s in statements] == [Span(12, 17, 12, 34), Span(13, 1, 13, 18)]
    assert statements[0].table is not None and statements[0].table.span == Span(12, 28, 12, 34)
    assert statements[1].summary.has_where is False


def test_parse_sql_raises_load_error_like_the_loader() -> None:
    with pytest.raises(LoadError) as caught:
        parse_sql("SELECT 1;\nSELECT 'oops", line=40)
    assert caught.value.line == 41 and caught.value.kind == "sql"


# -- bad input ----------------------------------------------------------------------------


def test_an_unterminated_dollar_quote_names_the_line_it_started_on() -> None:
    with pytest.raises(LoadError) as caught:
        sql_file(
            """\
            SELECT 1;
            CREATE FUNCTION f() RETURNS int AS $fn$
            BEGIN
              RETURN 1;
            END;
            $$;
            """
        )
    assert caught.value.line == 2
    assert caught.value.message == "unterminated dollar-quoted string $fn$ started on line 2"


def test_an_unterminated_string_is_a_load_error() -> None:
    with pytest.raises(LoadError) as caught:
        sql_file("SELECT 1;\nINSERT INTO t VALUES ('it''s;\n);\n")
    assert (caught.value.line, caught.value.message) == (2, "unterminated quoted string started on line 2")


def test_an_unterminated_escape_string_is_a_load_error() -> None:
    with pytest.raises(LoadError) as caught:
        sql_file("SELECT E'ends with an escaped quote\\';\n")
    assert caught.value.line == 1


def test_an_unterminated_quoted_identifier_is_a_load_error() -> None:
    with pytest.raises(LoadError, match="unterminated quoted identifier started on line 1"):
        sql_file('SELECT "name;\n')


def test_an_unterminated_block_comment_is_a_load_error() -> None:
    with pytest.raises(LoadError) as caught:
        sql_file("SELECT 1;\n/* outer /* inner */ still open;\nSELECT 2;\n")
    assert (caught.value.line, caught.value.message) == (2, "unterminated /* comment started on line 2")


def test_an_empty_file_is_valid_and_has_no_statements() -> None:
    model = load_sql(PATH, "")
    assert model.statements == () and model.comments == () and model.commands == ()


def test_a_comments_only_file_is_valid_and_has_no_statements() -> None:
    model = sql_file(
        """\
        -- This migration intentionally left empty.
        /* It used to drop a table;
           DROP TABLE users; */
        """
    )
    assert model.statements == ()
    assert [c.span for c in model.comments] == [Span(1, 1, 1, 44), Span(2, 1, 3, 24)]


def test_a_five_megabyte_single_line_insert_is_kept_but_not_parsed() -> None:
    rows = ",".join(f"({i}, 'name {i}; --', true)" for i in range(200_000))
    text = f"INSERT INTO seeds (id, name, active) VALUES {rows};\nSELECT 1;\n"
    assert len(text) > 5_000_000
    model = load_sql(PATH, text)
    big, small = model.statements
    assert big.span == Span(1, 1, 1, len(text.split("\n")[0]))
    assert not big.parsed and big.tokens == ()
    assert (
        big.error == f"statement too long to analyze ({len(big.text)} characters; the limit is {MAX_STATEMENT_CHARS})"
    )
    assert big.kind is StatementKind.INSERT and not big.analyzed
    assert small.parsed


def test_deep_nesting_is_refused_before_the_parser_recurses() -> None:
    depth = 5_000
    statement = one("SELECT " + "(" * depth + "1" + ")" * depth)
    assert not statement.parsed and statement.tree is None
    assert statement.error == (
        f"statement nested too deeply to analyze ({depth} levels of parentheses; the limit is {MAX_NESTING})"
    )


def test_deep_nesting_without_parentheses_is_an_unparsed_statement_not_a_crash() -> None:
    statement = one("SELECT " + "CASE WHEN true THEN " * 2_000 + "1" + " END" * 2_000)
    assert not statement.parsed
    assert statement.error == "statement nested too deeply to analyze"


SQL_PIECES = [*"abcdeEST $'\"`[]#-/*;()\\\n\r.,:0", "BEGIN", "END", "CASE", "CREATE FUNCTION ", "CREATE TRIGGER ",
    "$$", "$a$", "--", "/*", "*/", "ALTER TABLE t ADD ", "DROP ", "COPY t FROM stdin", "\\.", "DELIMITER //", "ON ",
    "NOT VALID", "DEFAULT ", "INDEX ", "TABLE ", "COLUMN ", "CONSTRAINT ", "PRIMARY KEY ", "E'", "USING "]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(SQL_PIECES), max_size=40).map("".join), st.sampled_from(["postgres", "mysql", "sqlite"])
)
def test_arbitrary_sql_like_text_loads_or_raises_load_error(text: str, dialect: str) -> None:
    try:
        model = load_sql(PATH, text, dialect=dialect)
    except LoadError as error:
        assert error.line is None or error.line >= 1
        return
    for statement in model.statements:
        assert statement.text == text[_offset(text, statement.span) :][: len(statement.text)]
        summary = statement.summary  # parsing never raises either
        assert summary.kind in StatementKind
        assert statement.parsed is (statement.error is None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_loads_or_raises_load_error(text: str) -> None:
    try:
        model = load_sql(PATH, text)
    except LoadError:
        return
    for statement in model.statements:
        statement.summary  # noqa: B018


def _offset(text: str, span: Span) -> int:
    """The offset of a span's start (line starts counted as the model counts them)."""
    import re

    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return starts[span.line - 1] + span.column - 1


# -- dialects -----------------------------------------------------------------------------


def test_mysql_comments_quotes_and_delimiter() -> None:
    model = sql_file(
        """\
        # a MySQL comment; with a semicolon
        INSERT INTO `order items` (note) VALUES ('it\\'s; fine'), ("double; quoted");
        DELIMITER //
        CREATE PROCEDURE touch()
        BEGIN
          UPDATE t SET x = 1;
          UPDATE u SET y = 2;
        END //
        DELIMITER ;
        ALTER TABLE users ADD COLUMN age INT NOT NULL DEFAULT 0 AFTER name, ALGORITHM=INPLACE, LOCK=NONE;
        """,
        dialect="mysql",
    )
    assert [s.text.split()[0] for s in model.statements] == ["INSERT", "CREATE", "ALTER"]
    assert model.statements[1].span == Span(4, 1, 8, 4)
    assert [c.text for c in model.comments] == ["# a MySQL comment; with a semicolon"]
    assert [(c.name, c.argument) for c in model.commands] == [("delimiter", "//"), ("delimiter", ";")]
    insert, procedure, alter = model.statements
    assert insert.parsed and insert.table == ObjectName("order items")
    assert procedure.kind is StatementKind.CREATE_FUNCTION
    assert [a.kind for a in alter.summary.actions] == [ActionKind.ADD_COLUMN, ActionKind.OTHER, ActionKind.OTHER]
    assert alter.summary.actions[0].column_def is not None and alter.summary.actions[0].column_def.not_null


def test_mysql_names_keep_their_case() -> None:
    statement = one("ALTER TABLE Users ADD COLUMN Email varchar(255)", dialect="mysql")
    assert statement.table == ObjectName("Users") and statement.summary.actions[0].column == "Email"


def test_sqlite_triggers_and_bracketed_names() -> None:
    model = sql_file(
        """\
        CREATE TABLE [order] ("id" INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT);
        CREATE TRIGGER touch AFTER UPDATE ON [order]
        BEGIN
          UPDATE [order] SET note = 'x;' WHERE id = NEW.id;
          SELECT CASE WHEN NEW.id > 0 THEN 1 ELSE 0 END;
        END;
        SELECT 1;
        """,
        dialect="sqlite",
    )
    assert len(model.statements) == 3
    assert model.statements[1].span == Span(2, 1, 6, 4)
    table = model.statements[0]
    assert table.kind is StatementKind.CREATE_TABLE and table.analyzed
    assert [(c.name, c.primary_key, c.serial) for c in table.summary.columns] == [
        ("id", True, True),
        ("note", False, False),
    ]


def test_an_unknown_dialect_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown SQL dialect 'oracle'"):
        load_sql(PATH, "SELECT 1", dialect="oracle")


# -- volatility ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "volatility"),
    [
        ("0", Volatility.IMMUTABLE),
        ("'pending'::character varying", Volatility.IMMUTABLE),
        ("lower('X')", Volatility.IMMUTABLE),
        ("CAST('1' AS numeric(10, 2))", Volatility.IMMUTABLE),
        ("now()", Volatility.STABLE),
        ("CURRENT_TIMESTAMP", Volatility.STABLE),
        ("date_trunc('day', now())", Volatility.STABLE),
        ("random()", Volatility.VOLATILE),
        ("gen_random_uuid()", Volatility.VOLATILE),
        ("public.uuid_generate_v4()", Volatility.VOLATILE),
        ("clock_timestamp()", Volatility.VOLATILE),
        ("nextval('orders_id_seq'::regclass)", Volatility.VOLATILE),
        ("make_code(8)", Volatility.UNKNOWN),
        ("coalesce(make_code(8), random()::text)", Volatility.VOLATILE),
    ],
)
def test_volatility_of_a_default(expression: str, volatility: Volatility) -> None:
    tokens = sqlglot_dialect("postgres").tokenize(expression)
    assert volatility_of(tokens) is volatility
