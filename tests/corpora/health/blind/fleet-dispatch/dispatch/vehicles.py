from flask import Blueprint, abort, jsonify
from sqlalchemy import text

from .db import engine
from .tasks import assign_vehicle

vehicles_bp = Blueprint("vehicles", __name__, url_prefix="/vehicles")
jobs_bp = Blueprint("jobs", __name__)


@vehicles_bp.get("/")
def list_vehicles():
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT vin, plate, free, last_seen FROM vehicles")).mappings().all()
    return jsonify([dict(r) for r in rows])


@vehicles_bp.get("/<vin>/status")
def vehicle_status(vin: str):
    with engine.connect() as conn:
        row = conn.execute(text("SELECT free, last_seen FROM vehicles WHERE vin = :v"), {"v": vin}).first()
    if row is None:
        abort(404)
    return jsonify(vin=vin, free=row.free, last_seen=row.last_seen.isoformat())


def ping_vehicle(vin: str):
    """Ask the telematics box to report in (POST /vehicles/<vin>/ping)."""
    return jsonify(queued=True, vin=vin), 202


@jobs_bp.post("/<int:job_id>/assign")
def assign(job_id: int):
    assign_vehicle.delay(job_id)
    return jsonify(queued=True), 202
