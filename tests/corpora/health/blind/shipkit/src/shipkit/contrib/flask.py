"""Optional Flask integration.

Usage in *your* application::

    from flask import Flask
    from shipkit.contrib.flask import make_blueprint

    app = Flask(__name__)
    app.register_blueprint(make_blueprint(client))

The blueprint deliberately has no /healthz: that belongs to the host app.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..client import Client
from ..models import Address, Parcel, Shipment


def make_blueprint(client: Client, url_prefix: str = "/shipkit") -> Blueprint:
    bp = Blueprint("shipkit", __name__, url_prefix=url_prefix)

    @bp.post("/rates")
    def rates():
        data = request.get_json(force=True)
        shipment = Shipment(
            sender=Address(**data["sender"]),
            recipient=Address(**data["recipient"]),
            parcels=tuple(Parcel(**p) for p in data["parcels"]),
        )
        return jsonify([{"service": r.service, "amount": str(r.amount)} for r in client.rates(shipment)])

    @bp.get("/status")
    def carrier_status():
        return jsonify(up=client.carrier_status())

    return bp
