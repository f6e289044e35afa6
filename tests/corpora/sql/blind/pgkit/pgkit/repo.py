"""Tiny table-gateway base class on top of psycopg 3.

    class Accounts(Repository):
        table = "accounts"
        columns = ("id", "email", "display_name", "created_at")

Used by half a dozen internal services; keep the public API stable.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

__all__ = ["Repository", "NotFound"]

DEFAULT_PAGE_SIZE = 100


class NotFound(LookupError):
    pass


class Repository:
    table: ClassVar[str]
    columns: ClassVar[Sequence[str]] = ()
    pk: ClassVar[str] = "id"

    def __init__(self, conn: psycopg.Connection, *, schema: str = "public"):
        self.conn = conn
        self.schema = schema
        self.log = logging.getLogger(f"pgkit.{type(self).__name__}")

    # -- safe, composed queries -------------------------------------------------
    def _ident(self) -> sql.Composable:
        return sql.Identifier(self.schema, self.table)

    def get(self, pk: Any) -> dict:
        query = sql.SQL("SELECT * FROM {} WHERE {} = %s").format(self._ident(), sql.Identifier(self.pk))
        row = self.conn.execute(query, (pk,)).fetchone()  # ok: SQLI
        if row is None:
            raise NotFound(f"{self.table} {pk}")
        return row

    def insert(self, values: Mapping[str, Any]) -> dict:
        cols = list(values)
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING *").format(
            self._ident(),
            sql.SQL(", ").join(map(sql.Identifier, cols)),
            sql.SQL(", ").join(sql.Placeholder() * len(cols)),
        )
        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(query, list(values.values()))  # ok: SQLI
            row = cur.fetchone()
        self.log.debug("inserted %s %s", self.table, row[self.pk])
        return row

    def delete(self, pk: Any) -> None:
        self.conn.execute(  # ok: SQLI
            sql.SQL("DELETE FROM {} WHERE {} = %s").format(self._ident(), sql.Identifier(self.pk)),
            [pk],
        )

    # -- legacy helpers, predate the psycopg 3 migration --------------------------
    def count(self, where: str = "true") -> int:
        query = f"SELECT count(*) FROM {self.schema}.{self.table} WHERE {where}"
        return self.conn.execute(query).fetchone()[0]  # expect: SQLI

    def find_by(self, **filters: Any) -> list[dict]:
        clause = " AND ".join(f"{name} = %({name})s" for name in filters)
        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(  # expect: SQLI
                f"SELECT * FROM {self.schema}.{self.table} WHERE {clause}",
                filters,
            )
            return cur.fetchall()

    def page(self, after: Any = None, size: int = DEFAULT_PAGE_SIZE, order_by: str | None = None) -> list[dict]:
        order_by = order_by or self.pk
        if order_by not in self.columns:
            raise ValueError(f"{order_by} is not a column of {self.table}")
        query = "SELECT * FROM %s.%s" % (self.schema, self.table)
        params: list[Any] = []
        if after is not None:
            query += " WHERE %s > %%s" % order_by
            params.append(after)
        query += " ORDER BY %s LIMIT %d" % (order_by, size)
        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(query, params)  # expect: SQLI
            return cur.fetchall()

    def bulk_touch(self, pks: Iterable[Any], column: str = "updated_at") -> None:
        with self.conn.cursor() as cur:
            cur.executemany(  # expect: SQLI
                "UPDATE " + self.table + " SET " + column + " = now() WHERE " + self.pk + " = %s",
                [(pk,) for pk in pks],
            )

    def truncate(self) -> None:
        self.conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY").format(self._ident()))  # ok: SQLI
