from __future__ import annotations

import base64
from decimal import Decimal

from ..models import Label, Rate, Shipment
from .base import Carrier


class PostNL(Carrier):
    base_url = "https://api.postnl.nl"
    sandbox_url = "https://api-sandbox.postnl.nl"
    status_path = "/shipment/v2/status/ping"

    def rates(self, shipment: Shipment) -> list[Rate]:
        weight = sum(p.weight_grams for p in shipment.parcels)
        amount = Decimal("6.95") if weight <= 2000 else Decimal("13.25")
        return [Rate(carrier="postnl", service="standard", amount=amount, currency="EUR")]

    def create_label(self, shipment: Shipment) -> Label:
        resp = self.http.post("/shipment/v2_2/label", json={"Shipments": [{"Reference": shipment.reference}]})
        resp.raise_for_status()
        body = resp.json()["ResponseShipments"][0]
        return Label(tracking_number=body["Barcode"], pdf=base64.b64decode(body["Labels"][0]["Content"]))
