"""Operational endpoints.

Historically this module also answered ``GET /healthz`` for the old ELB
target group; that handler was dropped when we moved to GKE. Everything here
is registered under the ``/internal`` prefix by the factory.
"""
import os

from flask import Blueprint, jsonify
from sqlalchemy import text

from .db import db

ops_bp = Blueprint("ops", __name__)


@ops_bp.get("/ping")
def ping():
    db.session.execute(text("SELECT 1"))
    return jsonify(ok=True)


@ops_bp.get("/version")
def version():
    return jsonify(sha=os.environ.get("GIT_SHA", "dev"))

# @ops_bp.get("/healthz")
# def healthz():
#     return "ok"
