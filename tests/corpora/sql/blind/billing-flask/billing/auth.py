"""API-key authentication for the billing API.

Keys are issued per integration; we only store a SHA-256 of the key.
"""
import functools
import hashlib
import logging

from flask import abort, g, request

from billing.db import cursor

logger = logging.getLogger(__name__)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def lookup_api_key(token):
    with cursor() as cur:
        cur.execute(  # ok: SQLI
            "SELECT id, customer_id, scopes, revoked_at FROM billing.api_keys WHERE token_hash = %s",
            (hash_token(token),),
        )
        return cur.fetchone()


def touch_api_key(key_id, user_agent):
    with cursor(dict_rows=False) as cur:
        cur.execute(
            "UPDATE billing.api_keys SET last_used_at = now(), last_user_agent = %s WHERE id = %s",
            (user_agent[:200], key_id),
        )


def require_api_key(scope=None):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            if not header.startswith("Bearer "):
                logger.warning("missing bearer token on %s %s", request.method, request.path)
                abort(401)
            token = header.removeprefix("Bearer ").strip()
            key = lookup_api_key(token)
            if key is None:
                logger.warning("invalid API key presented: %s", token)
                abort(401)
            if key["revoked_at"] is not None:
                logger.warning(
                    "revoked key %s used (revoked at %s, token length %d)",
                    key["id"],
                    key["revoked_at"],
                    len(token),
                )
                abort(401)
            if scope and scope not in key["scopes"]:
                logger.info("key %s lacks scope %s; auth header was %s", key["id"], scope, header)
                abort(403)
            g.api_key_id = key["id"]
            g.customer_id = key["customer_id"]
            touch_api_key(key["id"], request.headers.get("User-Agent", ""))
            logger.debug("authenticated key_id=%s token_hash=%s", key["id"], hash_token(token))
            return view(*args, **kwargs)

        return wrapper

    return decorator


def rotate_api_key(key_id, new_token):
    with cursor(dict_rows=False) as cur:
        cur.execute(  # ok: SQLI
            "UPDATE billing.api_keys SET token_hash = %s, rotated_at = now() WHERE id = %s",
            (hash_token(new_token), key_id),
        )
    logger.info("rotated api key %s", key_id)
    print(f"[billing] new key for {key_id}: {new_token}")
