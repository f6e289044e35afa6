from __future__ import annotations

import abc

import httpx

from ..models import Label, Rate, Shipment


class Carrier(abc.ABC):
    base_url: str
    sandbox_url: str
    status_path = "/status"

    def __init__(self, api_key: str, *, sandbox: bool = False, timeout: float = 10.0) -> None:
        self.http = httpx.Client(
            base_url=self.sandbox_url if sandbox else self.base_url,
            headers={"apikey": api_key},
            timeout=timeout,
        )

    def is_up(self) -> bool:
        try:
            return self.http.get(self.status_path).is_success
        except httpx.HTTPError:
            return False

    @abc.abstractmethod
    def rates(self, shipment: Shipment) -> list[Rate]: ...

    @abc.abstractmethod
    def create_label(self, shipment: Shipment) -> Label: ...
