from flask import Flask
from flask_healthz import healthz

from .vehicles import jobs_bp, ping_vehicle, vehicles_bp


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask("dispatch")  # ok: HEALTH
    app.config.from_object("dispatch.settings")
    if overrides:
        app.config.update(overrides)

    app.register_blueprint(healthz, url_prefix="/healthz")
    app.register_blueprint(vehicles_bp)
    app.register_blueprint(jobs_bp, url_prefix="/jobs")
    app.add_url_rule("/vehicles/<vin>/ping", view_func=ping_vehicle, methods=["POST"])
    return app
