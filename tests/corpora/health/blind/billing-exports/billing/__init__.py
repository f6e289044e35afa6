"""Billing exports: generates Parquet invoice extracts for finance.

Runs behind the internal ALB on a single ECS task (see ops/ in the infra repo).
"""
import os
import uuid

from flask import Flask, abort, jsonify, request

from .exporter import EXPORTS, start_export

app = Flask(__name__)  # expect: HEALTH
app.config["EXPORT_BUCKET"] = os.environ.get("EXPORT_BUCKET", "acme-billing-exports")
app.config["HEALTHZ"] = {"live": lambda: None, "ready": "billing.exporter.s3_reachable"}

# Blueprint not registered yet: gunicorn's --check-config choked on it in 22.0,
# re-enable once that is sorted out.
# from flask_healthz import healthz
# app.register_blueprint(healthz, url_prefix="/healthz")


def create_export():
    body = request.get_json(force=True)
    export_id = str(uuid.uuid4())
    start_export(export_id, body["period"], app.config["EXPORT_BUCKET"])
    return jsonify(id=export_id), 202


def export_status(export_id: str):
    state = EXPORTS.get(export_id)
    if state is None:
        abort(404)
    return jsonify(id=export_id, **state)


app.add_url_rule("/exports", view_func=create_export, methods=["POST"])
app.add_url_rule("/exports/<export_id>/status", view_func=export_status)
