"""Audit trail shared by services that use pgkit.

Writes one row per security-relevant event to ``audit.events`` and mirrors
it to the ``pgkit.audit`` logger (shipped to the SIEM).
"""
from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING, Any

import psycopg

if TYPE_CHECKING:
    from myorg_accounts.models import ApiKey, User

AUDIT_TABLE = "audit.events"
SENSITIVE_FIELDS = frozenset({"password", "password_hash", "email", "phone", "iban", "ssn", "token"})


def hash_email(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def redact(value: Any) -> str:
    return "<redacted>" if value else ""


class AuditTrail:
    def __init__(self, conn: psycopg.Connection, logger: logging.Logger | None = None, *, table: str = AUDIT_TABLE):
        self.conn = conn
        self.table = table
        self.logger = logger or logging.getLogger("pgkit.audit")

    def _write(self, kind: str, actor_id: int | None, payload: dict[str, Any]) -> None:
        self.conn.execute(  # expect: SQLI
            f"INSERT INTO {self.table} (kind, actor_id, payload, at) VALUES (%s, %s, %s, now())",
            (kind, actor_id, json.dumps(payload, default=str)),
        )

    @staticmethod
    def purge_before(conn: psycopg.Connection, cutoff) -> int:
        """Retention job entry point; always works on the canonical table."""
        cur = conn.execute(f"DELETE FROM {AUDIT_TABLE} WHERE at < %s", (cutoff,))  # ok: SQLI
        return cur.rowcount

    def login_succeeded(self, user: "User", mfa: bool) -> None:
        self._write("login", user.id, {"mfa": mfa})
        self.logger.info("login user_id=%s mfa=%s", user.id, mfa)
        self.logger.debug("login for %r", user)

    def login_failed(self, email: str, reason: str) -> None:
        self._write("login_failed", None, {"email_sha256": hash_email(email), "reason": reason})
        self.logger.warning("login failed: %s", reason, extra={"email": email})
        self.logger.warning("login failed, email hash %s: %s", hash_email(email), reason)

    def password_changed(self, user: "User", forced: bool) -> None:
        self._write("password_changed", user.id, {"forced": forced})
        self.logger.info(
            "password changed for user %s (forced=%s, password_changed_at=%s)",
            user.id,
            forced,
            user.password_changed_at,
        )

    def api_key_created(self, key: "ApiKey", owner: "User") -> None:
        self._write("api_key_created", owner.id, {"key_id": key.id, "scopes": key.scopes})
        self.logger.info("api key %s created for user %s, scopes=%s", key.id, owner.id, key.scopes)
        self.logger.debug("api key %s secret %s", key.id, key.secret)

    def access_denied(self, user: "User", resource: str, severe: bool = False) -> None:
        self._write("access_denied", user.id, {"resource": resource})
        level = logging.ERROR if severe else logging.WARNING
        self.logger.log(level, "access to %s denied for %s", resource, user.email)

    def mfa_reset(self, user: "User", admin_id: int) -> None:
        self._write("mfa_reset", admin_id, {"user_id": user.id})
        self.logger.log(logging.WARNING, "MFA reset for user %s by admin %s", user.id, admin_id)

    def profile_updated(self, user: "User", changes: dict[str, Any]) -> None:
        payload = {k: (redact(v) if k in SENSITIVE_FIELDS else v) for k, v in changes.items()}
        self._write("profile_updated", user.id, payload)
        self.logger.info("profile of %s updated: %s", user.id, sorted(changes))
        self.logger.info("profile of %s now %s", user.id, user.to_dict())

    def events_for(self, actor_id: int, kinds: list[str], limit: int = 100) -> list[tuple]:
        kind_list = ", ".join(f"'{k}'" for k in kinds)
        cur = self.conn.execute(  # expect: SQLI
            f"SELECT kind, payload, at FROM {AUDIT_TABLE} WHERE actor_id = %s AND kind IN ({kind_list}) "
            "ORDER BY at DESC LIMIT %s",
            (actor_id, limit),
        )
        return cur.fetchall()

    def events_since(self, actor_id: int, since) -> list[tuple]:
        cur = self.conn.execute(  # ok: SQLI
            f"SELECT kind, payload, at FROM {AUDIT_TABLE} WHERE actor_id = %s AND at >= %s ORDER BY at",
            (actor_id, since),
        )
        return cur.fetchall()
