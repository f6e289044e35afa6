from __future__ import annotations

import httpx

from .config import Config


class RegistryClient:
    def __init__(self, cfg: Config) -> None:
        headers = {"Authorization": f"Bearer {cfg.token}"} if cfg.token else {}
        self.http = httpx.Client(base_url=cfg.server, headers=headers, timeout=15)

    def server_health(self) -> tuple[bool, str]:
        # The registry server exposes /healthz; we only read it, we serve nothing.
        try:
            resp = self.http.get("/healthz")
        except httpx.HTTPError as exc:
            return False, str(exc)
        return resp.is_success, resp.text.strip()

    def list_prompts(self, tag: str | None = None) -> list[dict]:
        resp = self.http.get("/v1/prompts", params={"tag": tag} if tag else None)
        resp.raise_for_status()
        return resp.json()["items"]

    def push(self, name: str, body: str) -> dict:
        resp = self.http.put(f"/v1/prompts/{name}", json={"body": body})
        resp.raise_for_status()
        return resp.json()
