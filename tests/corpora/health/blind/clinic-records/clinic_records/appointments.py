from flask import Blueprint, abort, jsonify

from .db import db
from .models import Appointment

appointments_bp = Blueprint("appointments", __name__, url_prefix="/api/v1/appointments")


@appointments_bp.get("/<int:appt_id>")
def get_appointment(appt_id: int):
    appt = db.session.get(Appointment, appt_id) or abort(404)
    return jsonify(appt.to_dict())


@appointments_bp.get("/<int:appt_id>/status")
def appointment_status(appt_id: int):
    appt = db.session.get(Appointment, appt_id) or abort(404)
    return jsonify({"id": appt.id, "status": appt.status})
