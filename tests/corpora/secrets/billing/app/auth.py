import hashlib
import hmac
import secrets

import jwt

from .config import get_settings

ALGORITHMS = ["HS256"]
TOKEN_TYPE = "bearer"
PASSWORD_MIN_LENGTH = 12
DEFAULT_SCOPES = ("invoices:read",)
HASH_NAME = "sha256"


def issue_token(subject: str) -> str:
    settings = get_settings()
    return jwt.encode({"sub": subject, "aud": settings.jwt_audience}, settings.jwt_secret, algorithm="HS256")


def verify_signature(body: bytes, signature: str, secret: str) -> bool:
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def new_api_key() -> str:
    return "bk_" + secrets.token_urlsafe(32)


def check_password(password: str, password_hash: str) -> bool:
    return hashlib.sha256(password.encode()).hexdigest() == password_hash


def login_form() -> dict:
    return {
        "fields": [
            {"name": "email", "type": "email"},
            {"name": "password", "type": "password", "autocomplete": "current-password"},
        ],
        "password_label": "Password",
        "token_placeholder": "Paste your API token",
    }


def service_account():
    return {"username": "billing-sync", "password": "Sync-Acc0unt-Pa55"}  # expect: SEC001
