"""Local SQLite cache used by the ``crmtool`` CLI.

The cache mirrors a subset of the CRM so support can search offline.
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_PATH = Path.home() / ".cache" / "crmtool" / "crm.sqlite"
SCHEMA_FILE = Path(__file__).with_name("schema.sql")
CONTACTS = "contacts"
TAGS = "contact_tags"


class Cache:
    def __init__(self, path: Path = DEFAULT_PATH, table_prefix: str = ""):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path)
        self.conn.row_factory = sqlite3.Row
        self.contacts = f"{table_prefix}{CONTACTS}"

    def init_schema(self) -> None:
        self.conn.executescript(SCHEMA_FILE.read_text())  # ok: SQLI
        self.conn.execute(f"CREATE INDEX IF NOT EXISTS idx_contacts_email ON {CONTACTS} (email)")  # ok: SQLI
        self.conn.execute("PRAGMA journal_mode = WAL")

    def upsert_contacts(self, contacts: list[dict]) -> None:
        with self.conn:
            self.conn.executemany(  # ok: SQLI
                "INSERT INTO contacts (id, email, name, phone, company, updated_at) "
                "VALUES (:id, :email, :name, :phone, :company, :updated_at) "
                "ON CONFLICT(id) DO UPDATE SET email = excluded.email, name = excluded.name, "
                "phone = excluded.phone, company = excluded.company, updated_at = excluded.updated_at",
                contacts,
            )
        log.info("cached %d contacts", len(contacts))

    def find(self, term: str, field: str = "email") -> list[sqlite3.Row]:
        cur = self.conn.execute(f"SELECT * FROM {self.contacts} WHERE {field} LIKE ?", (f"%{term}%",))  # expect: SQLI
        return cur.fetchall()

    def by_tag(self, tag: str) -> list[sqlite3.Row]:
        return self.conn.execute(  # ok: SQLI
            f"SELECT c.* FROM {CONTACTS} c JOIN {TAGS} t ON t.contact_id = c.id WHERE t.tag = ?",
            (tag,),
        ).fetchall()

    def delete(self, ids: list[int]) -> int:
        marks = ",".join("?" * len(ids))
        with self.conn:
            cur = self.conn.execute(f"DELETE FROM contacts WHERE id IN ({marks})", ids)  # ok: SQLI
        return cur.rowcount

    def reset(self, extra_tables: tuple[str, ...] = ()) -> None:
        """Drop everything (``crmtool reset``); the next sync rebuilds the cache."""
        script = "".join(f"DROP TABLE IF EXISTS {t};\n" for t in (CONTACTS, TAGS, *extra_tables))
        self.conn.executescript(script)  # expect: SQLI
        self.conn.executescript("VACUUM;")  # ok: SQLI

    def stats(self) -> dict[str, int]:
        out = {}
        for table in (CONTACTS, TAGS):
            out[table] = self.conn.execute("SELECT count(*) FROM " + table).fetchone()[0]  # expect: SQLI
        return out

    def purge_older_than(self, days: int) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM contacts WHERE updated_at < date('now', ?)", (f"-{days} days",))  # ok: SQLI

    def purge_orphan_tags(self, days: int) -> None:
        with self.conn:
            self.conn.execute(  # expect: SQLI
                "DELETE FROM contact_tags WHERE contact_id NOT IN (SELECT id FROM contacts) "
                "AND created_at < date('now', '-%d days')" % days
            )
