from __future__ import annotations

from .carriers import get_carrier
from .models import Label, Rate, Shipment


class Client:
    """Thin facade that dispatches to a carrier implementation."""

    def __init__(self, carrier: str, api_key: str, *, sandbox: bool = False, timeout: float = 10.0):
        self._carrier = get_carrier(carrier)(api_key=api_key, sandbox=sandbox, timeout=timeout)

    def rates(self, shipment: Shipment) -> list[Rate]:
        return self._carrier.rates(shipment)

    def create_label(self, shipment: Shipment) -> Label:
        return self._carrier.create_label(shipment)

    def carrier_status(self) -> bool:
        """Return True when the carrier API answers its status endpoint."""
        return self._carrier.is_up()
