import uuid
from datetime import datetime, timezone

from sqlalchemy import Uuid

from .db import db


class HealthRecord(db.Model):
    __tablename__ = "health_records"

    id = db.Column(Uuid, primary_key=True, default=uuid.uuid4)
    patient_id = db.Column(db.Integer, index=True, nullable=False)
    kind = db.Column(db.String(32), nullable=False)
    body = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), default=lambda: datetime.now(timezone.utc))

    def to_dict(self):
        return {"id": str(self.id), "patient_id": self.patient_id, "kind": self.kind,
                "body": self.body, "created_at": self.created_at.isoformat()}


class Appointment(db.Model):
    __tablename__ = "appointments"

    id = db.Column(db.Integer, primary_key=True)
    patient_id = db.Column(db.Integer, index=True, nullable=False)
    starts_at = db.Column(db.DateTime(timezone=True), nullable=False)
    status = db.Column(db.String(16), default="booked")

    def to_dict(self):
        return {"id": self.id, "patient_id": self.patient_id,
                "starts_at": self.starts_at.isoformat(), "status": self.status}
