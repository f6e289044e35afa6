"""shipkit: carrier-agnostic shipping helpers."""
from .client import Client
from .models import Address, Label, Parcel, Rate, Shipment

__all__ = ["Client", "Address", "Label", "Parcel", "Rate", "Shipment"]
__version__ = "2.3.0"
