"""Patient health records (read-mostly)."""
from uuid import UUID

from flask import Blueprint, abort, jsonify, request

from .db import db
from .models import HealthRecord

# The word "health" here is the business domain, not an ops endpoint.
records_bp = Blueprint("records", __name__, url_prefix="/api/v1/health-records")  # ok: HEALTH


@records_bp.get("/")
def list_records():
    patient_id = request.args.get("patient_id", type=int)
    if patient_id is None:
        abort(400, description="patient_id is required")
    rows = (
        db.session.query(HealthRecord)
        .filter_by(patient_id=patient_id)
        .order_by(HealthRecord.created_at.desc())
        .limit(100)
        .all()
    )
    return jsonify([r.to_dict() for r in rows])


@records_bp.get("/<uuid:record_id>")
def get_record(record_id: UUID):
    record = db.session.get(HealthRecord, record_id)
    if record is None:
        abort(404)
    return jsonify(record.to_dict())
