"""Staff authentication (OIDC access tokens from the clinic IdP)."""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
from dataclasses import dataclass

import jwt
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

logger = logging.getLogger("clinic.security")

JWKS_URL = os.environ.get("OIDC_JWKS_URL", "https://idp.clinic.internal/.well-known/jwks.json")
AUDIENCE = "clinic-api"
PEPPER = os.environ.get("ID_HASH_PEPPER", "").encode()

_bearer = HTTPBearer(auto_error=False)
_jwks = jwt.PyJWKClient(JWKS_URL, cache_keys=True)


@dataclass
class CurrentUser:
    id: int
    email: str
    roles: tuple[str, ...]


def hash_identifier(value: str) -> str:
    """Keyed hash so support can correlate log lines without seeing the id."""
    return hmac.new(PEPPER, value.encode(), hashlib.sha256).hexdigest()[:16]


def mask_phone(phone: str) -> str:
    return f"***{phone[-3:]}" if phone and len(phone) > 3 else "***"


async def current_user(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> CurrentUser:
    if credentials is None:
        logger.info("no credentials on %s", request.url.path)  # ok: PII
        raise HTTPException(status_code=401)
    token = credentials.credentials
    try:
        signing_key = _jwks.get_signing_key_from_jwt(token)
        claims = jwt.decode(token, signing_key.key, algorithms=["RS256"], audience=AUDIENCE)
    except jwt.ExpiredSignatureError:
        logger.info("expired token presented (token length %d)", len(token))  # ok: PII
        raise HTTPException(status_code=401, detail="token expired")
    except jwt.PyJWTError as exc:
        logger.warning("rejected bearer token {}: {}".format(token, exc))  # expect: PII
        raise HTTPException(status_code=401)

    user = CurrentUser(id=int(claims["sub"]), email=claims.get("email", ""), roles=tuple(claims.get("roles", ())))
    logger.debug("authenticated sub=%s roles=%s", claims["sub"], ",".join(user.roles))  # ok: PII
    logger.debug("staff login %s", user)  # expect: PII
    if "clinician" not in user.roles and request.url.path.startswith("/patients"):
        logger.warning(  # expect: PII
            "forbidden: %s tried %s %s",
            user.email,
            request.method,
            request.url.path,
        )
        raise HTTPException(status_code=403)
    return user


def require_role(role: str):
    async def checker(user: CurrentUser = Depends(current_user)) -> CurrentUser:
        if role not in user.roles:
            logger.info("missing role", extra={"user_id": user.id, "role": role})  # ok: PII
            raise HTTPException(status_code=403)
        return user

    return checker
