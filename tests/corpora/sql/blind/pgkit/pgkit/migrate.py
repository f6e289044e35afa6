"""Minimal forward-only migration runner.

Migrations are ``NNNN_description.sql`` files; applied versions are recorded in
``<schema>.schema_migrations``.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import psycopg
from psycopg import sql

log = logging.getLogger("pgkit.migrate")

VERSION_RE = re.compile(r"^(\d{4})_[\w-]+\.sql$")
MIGRATIONS_TABLE = "schema_migrations"
DEFAULT_LOCK_TIMEOUT = "5s"


class Migrator:
    def __init__(self, conn: psycopg.Connection, directory: Path, schema: str = "public"):
        self.conn = conn
        self.directory = directory
        self.schema = schema

    def ensure_table(self) -> None:
        self.conn.execute(  # ok: SQLI
            sql.SQL("CREATE TABLE IF NOT EXISTS {} (version int PRIMARY KEY, applied_at timestamptz DEFAULT now())").format(
                sql.Identifier(self.schema, MIGRATIONS_TABLE)
            )
        )

    def applied(self) -> set[int]:
        rows = self.conn.execute(f"SELECT version FROM {self.schema}.{MIGRATIONS_TABLE}").fetchall()  # expect: SQLI
        return {v for (v,) in rows}

    def pending(self) -> list[tuple[int, Path]]:
        done = self.applied()
        found = []
        for path in sorted(self.directory.glob("*.sql")):
            match = VERSION_RE.match(path.name)
            if match and int(match.group(1)) not in done:
                found.append((int(match.group(1)), path))
        return found

    def apply(self, lock_timeout: str = DEFAULT_LOCK_TIMEOUT, dry_run: bool = False) -> list[int]:
        applied = []
        for version, path in self.pending():
            body = path.read_text()
            if dry_run:
                log.info("would apply %s (%d bytes)", path.name, len(body))
                continue
            with self.conn.transaction():
                self.conn.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")  # expect: SQLI
                self.conn.execute(body)  # ok: SQLI
                self.conn.execute(  # expect: SQLI
                    "INSERT INTO " + self.schema + "." + MIGRATIONS_TABLE + " (version) VALUES (%s)",
                    (version,),
                )
            log.info("applied migration %s", path.name)
            applied.append(version)
        return applied

    def baseline(self, up_to: int) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(  # ok: SQLI
                sql.SQL("INSERT INTO {} (version) VALUES (%s) ON CONFLICT DO NOTHING").format(
                    sql.Identifier(self.schema, MIGRATIONS_TABLE)
                ),
                [(v,) for v in range(1, up_to + 1)],
            )

    def rollback_record(self, version: int) -> None:
        with self.conn.cursor() as cur:
            cur.execute(  # expect: SQLI
                "DELETE FROM %s.%s WHERE version = %d" % (self.schema, MIGRATIONS_TABLE, version)
            )

    def create_schema(self) -> None:
        self.conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema)))  # ok: SQLI
