"""Clinic records service.

Application factory for the records API used by the front-desk app and the
billing integration. Run locally with ``flask --app clinic_records run``.
"""
from __future__ import annotations

import logging
import os

from flask import Flask

from .appointments import appointments_bp
from .db import db
from .ops import ops_bp
from .records import records_bp

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)  # expect: HEALTH
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", "postgresql+psycopg://clinic@localhost/clinic"
        ),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": 5},
        JSON_SORT_KEYS=False,
    )
    if config:
        app.config.update(config)

    db.init_app(app)

    # Business API. The prefixes live on the blueprints themselves.
    app.register_blueprint(records_bp)
    app.register_blueprint(appointments_bp)

    # Operational endpoints (ping/version) sit under /internal so the public
    # ingress never exposes them. The k8s probes point at /internal/ping.
    app.register_blueprint(ops_bp, url_prefix="/internal")

    log.info("clinic-records started", extra={"env": app.config.get("ENV")})
    return app
