"""Loyalty points API for the POS terminals."""
import os

from flask import Flask, abort, jsonify, request
from healthcheck import EnvironmentDump, HealthCheck

from . import store

app = Flask(__name__)  # ok: HEALTH
app.config["ADMIN_MODE"] = os.environ.get("LOYALTY_ADMIN") == "1"

health = HealthCheck()
envdump = EnvironmentDump(include_process=False, include_config=False)


def redis_available():
    store.r.ping()
    return True, "redis ok"


health.add_check(redis_available)

# py-healthcheck runs the checks; kubelet readiness hits /readyz
app.add_url_rule("/readyz", "readyz", view_func=lambda: health.run())
app.add_url_rule("/environment", "environment", view_func=lambda: envdump.run())


@app.get("/healthz")
def healthz():
    return "ok", 200, {"Content-Type": "text/plain"}


@app.get("/members/<member_id>/points")
def get_points(member_id: str):
    return jsonify(member_id=member_id, points=store.balance(member_id))


@app.post("/members/<member_id>/points")
def add_points(member_id: str):
    body = request.get_json(force=True)
    points = int(body.get("points", 0))
    if points == 0:
        abort(400)
    return jsonify(points=store.add(member_id, points, body.get("reason", "pos")))


@app.post("/admin/members/<member_id>/reset")
def reset(member_id: str):
    if not app.config["ADMIN_MODE"]:
        abort(404)
    store.r.delete(f"points:{member_id}")
    return "", 204


if __name__ == "__main__":
    from waitress import serve

    serve(app, host="0.0.0.0", port=int(os.environ.get("PORT", "8080")))
