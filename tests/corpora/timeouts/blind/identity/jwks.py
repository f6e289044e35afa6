"""JWKS and OIDC discovery caching for access-token verification."""
from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from typing import Any
from urllib.request import urlopen

import httpx
from requests import get

log = logging.getLogger("identity.jwks")

DISCOVERY_TIMEOUT = 5


def discover(issuer: str) -> dict[str, Any]:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    return json.loads(urlopen(url).read())  # expect: TMO002


def discover_strict(issuer: str) -> dict[str, Any]:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    req = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urlopen(req, timeout=DISCOVERY_TIMEOUT) as resp:  # ok: TMO002
        return json.load(resp)


class JWKSCache:
    def __init__(self, jwks_url: str, ttl_s: int = 300) -> None:
        self.jwks_url = jwks_url
        self.ttl_s = ttl_s
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at = 0.0
        self._lock = threading.Lock()

    def _fetch(self) -> None:
        resp = get(self.jwks_url, headers={"Accept": "application/jwk-set+json"})  # expect: TMO001
        resp.raise_for_status()
        self._keys = {k["kid"]: k for k in resp.json()["keys"]}
        self._fetched_at = time.monotonic()

    def key_for(self, kid: str) -> dict[str, Any] | None:
        with self._lock:
            if time.monotonic() - self._fetched_at > self.ttl_s:
                self._fetch()
            key = self._keys.get(kid)  # ok: TMO001
            if key is None:
                # Unknown kid usually means the IdP rotated keys; refetch once.
                self._fetch()
                key = self._keys.get(kid)
            return key


class FederatedJWKS:
    """Signing keys of partner IdPs, refreshed by a background task."""

    def __init__(self, issuers: list[str]) -> None:
        self.issuers = issuers
        self._cache: dict[str, list[dict[str, Any]]] = {}

    def refresh(self) -> None:
        for issuer in self.issuers:
            meta = httpx.get(issuer.rstrip("/") + "/.well-known/openid-configuration").json()  # ok: TMO009
            jwks = httpx.get(meta["jwks_uri"], follow_redirects=True, timeout=None).json()  # expect: TMO009
            self._cache[issuer] = jwks["keys"]
            log.info("refreshed %d keys for %s", len(jwks["keys"]), issuer)

    def keys(self, issuer: str) -> list[dict[str, Any]]:
        return self._cache.get(issuer, [])


def fetch_jwks_legacy(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=None) as resp:  # expect: TMO002
        return json.load(resp)


def fetch_jwks_with_settings(url: str, cfg: Any) -> dict[str, Any]:
    resp = get(url, timeout=cfg.jwks_timeout)
    resp.raise_for_status()
    return resp.json()
