from __future__ import annotations

from decimal import Decimal

import attrs


@attrs.frozen
class Address:
    name: str
    street: str
    postal_code: str
    city: str
    country: str = "NL"


@attrs.frozen
class Parcel:
    weight_grams: int
    length_cm: int = 30
    width_cm: int = 20
    height_cm: int = 10


@attrs.frozen
class Shipment:
    sender: Address
    recipient: Address
    parcels: tuple[Parcel, ...]
    reference: str | None = None


@attrs.frozen
class Rate:
    carrier: str
    service: str
    amount: Decimal
    currency: str


@attrs.frozen
class Label:
    tracking_number: str
    pdf: bytes
