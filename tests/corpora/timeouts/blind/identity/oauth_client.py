"""OAuth 2.0 / OIDC client used by the SSO service to talk to upstream IdPs."""
from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
import time
from dataclasses import dataclass
from typing import Any

import requests

log = logging.getLogger("identity.oauth")


class Settings:
    IDP_TIMEOUT_S: float = float(os.environ.get("IDP_TIMEOUT_S", "10"))
    USERINFO_TIMEOUT_S: float = 5.0


settings = Settings()


class TimeoutSession(requests.Session):
    """Session that applies a default timeout to every request."""

    def __init__(self, timeout: float = 10.0) -> None:
        super().__init__()
        self._default_timeout = timeout

    def request(self, method, url, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self._default_timeout)
        return super().request(method, url, **kwargs)  # ok: TMO001


@dataclass(frozen=True)
class OAuthProvider:
    name: str
    token_url: str
    userinfo_url: str
    revoke_url: str | None
    device_url: str | None
    client_id: str
    client_secret: str


@dataclass
class TokenSet:
    access_token: str
    refresh_token: str | None
    id_token: str | None
    expires_at: float

    @classmethod
    def from_response(cls, body: dict[str, Any]) -> "TokenSet":
        return cls(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token"),
            id_token=body.get("id_token"),
            expires_at=time.time() + int(body.get("expires_in", 3600)),
        )


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return verifier, challenge


class TokenExchanger:
    def __init__(self, provider: OAuthProvider) -> None:
        self.provider = provider
        self._http = TimeoutSession(timeout=settings.IDP_TIMEOUT_S)

    def exchange_code(self, code: str, redirect_uri: str, verifier: str) -> TokenSet:
        resp = self._http.post(  # ok: TMO001
            self.provider.token_url,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            },
            auth=(self.provider.client_id, self.provider.client_secret),
        )
        resp.raise_for_status()
        return TokenSet.from_response(resp.json())

    def client_credentials(self, scope: str) -> TokenSet:
        resp = self._http.post(
            self.provider.token_url,
            data={"grant_type": "client_credentials", "scope": scope},
            auth=(self.provider.client_id, self.provider.client_secret),
        )
        resp.raise_for_status()
        return TokenSet.from_response(resp.json())


class UserInfoClient:
    def __init__(self, provider: OAuthProvider, session: requests.Session | None = None) -> None:
        self.provider = provider
        self.session = session if session is not None else requests.Session()

    def fetch(self, access_token: str) -> dict[str, Any]:
        resp = self.session.get(self.provider.userinfo_url, headers={"Authorization": f"Bearer {access_token}"})  # expect: TMO001
        resp.raise_for_status()
        return resp.json()

    def fetch_fast(self, access_token: str) -> dict[str, Any]:
        resp = self.session.get(
            self.provider.userinfo_url,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.USERINFO_TIMEOUT_S,
        )
        resp.raise_for_status()
        return resp.json()


def refresh(provider: OAuthProvider, token: TokenSet) -> TokenSet:
    if not token.refresh_token:
        raise ValueError("no refresh token available")
    resp = requests.post(  # expect: TMO001
        provider.token_url,
        data={"grant_type": "refresh_token", "refresh_token": token.refresh_token},
        auth=(provider.client_id, provider.client_secret),
        timeout=None,
    )
    resp.raise_for_status()
    return TokenSet.from_response(resp.json())


def revoke(provider: OAuthProvider, token: str) -> None:
    if provider.revoke_url is None:
        return
    requests.post(provider.revoke_url, data={"token": token}, auth=(provider.client_id, provider.client_secret), timeout=(5, None))  # expect: TMO001


def start_device_flow(provider: OAuthProvider, scope: str) -> dict[str, Any]:
    if provider.device_url is None:
        raise ValueError(f"{provider.name} does not support the device flow")
    resp = requests.post(
        provider.device_url,
        data={"client_id": provider.client_id, "scope": scope},
        timeout=settings.IDP_TIMEOUT_S,
    )
    resp.raise_for_status()
    return resp.json()


def poll_device_token(provider: OAuthProvider, device_code: str, interval: int = 5, expires_in: int = 600) -> TokenSet:
    deadline = time.monotonic() + expires_in
    while time.monotonic() < deadline:
        resp = requests.post(provider.token_url, data={  # expect: TMO001
            "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
            "device_code": device_code,
            "client_id": provider.client_id,
        })
        body = resp.json()
        if resp.ok:
            return TokenSet.from_response(body)
        error = body.get("error")
        if error == "slow_down":
            interval += 5
        elif error != "authorization_pending":
            raise RuntimeError(f"device flow failed: {error}")
        time.sleep(interval)
    raise TimeoutError("device authorization expired")


def token_introspect(introspect_url: str, token: str, client_auth: tuple[str, str], timeout: float | None = None) -> dict[str, Any]:
    resp = requests.post(introspect_url, data={"token": token}, auth=client_auth, timeout=timeout)  # ok: TMO001
    resp.raise_for_status()
    return resp.json()
