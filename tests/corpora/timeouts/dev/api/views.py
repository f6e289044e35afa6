import os

import redis
import requests
from flask import Blueprint, Response, abort, current_app, jsonify, request, session

bp = Blueprint("api", __name__, url_prefix="/api")

RECOMMENDER_URL = os.environ.get("RECOMMENDER_URL", "http://recommender:8000")  # ok: TMO001
UPSTREAM_TIMEOUT = float(os.getenv("UPSTREAM_TIMEOUT", "4"))

cache = redis.Redis(host=os.getenv("REDIS_HOST", "localhost"), port=6379, db=2)  # expect: TMO006

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade"}


@bp.route("/recommendations")
def recommendations():
    user_id = session.get("user_id")  # ok: TMO001
    if user_id is None:
        abort(401)
    limit = request.args.get("limit", 10, type=int)  # ok: TMO001
    cached = cache.get(f"recs:{user_id}")  # ok: TMO001
    if cached:
        return Response(cached, mimetype="application/json")
    resp = requests.get(f"{RECOMMENDER_URL}/users/{user_id}/recs", params={"limit": limit})  # expect: TMO001
    cache.setex(f"recs:{user_id}", 300, resp.content)
    return jsonify(resp.json())


@bp.route("/avatar/<int:user_id>")
def avatar(user_id):
    upstream = requests.get(  # ok: TMO001
        f"https://avatars.internal/{user_id}", stream=True, timeout=UPSTREAM_TIMEOUT
    )
    return Response(upstream.iter_content(8192), content_type=upstream.headers.get("Content-Type"))  # ok: TMO001


@bp.route("/search")
def search():
    q = request.args.get("q", "")
    r = requests.request("GET", current_app.config["SEARCH_URL"], params={"q": q})  # expect: TMO001
    return jsonify(r.json())


@bp.route("/feedback", methods=["POST"])
def feedback():
    body = request.get_json(force=True)
    requests.post(  # ok: TMO001
        current_app.config["FEEDBACK_WEBHOOK"],
        json=body,
        timeout=current_app.config["HTTP_TIMEOUT"],
    )
    return "", 204


@bp.route("/legacy/<path:path>", methods=["GET", "POST", "PUT", "DELETE"])
def legacy_proxy(path):
    """Forward everything under /api/legacy to the old monolith."""
    headers = {k: v for k, v in request.headers if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
    upstream = requests.request(  # expect: TMO001
        method=request.method,
        url=f"{current_app.config['LEGACY_URL']}/{path}",
        headers=headers,
        params=request.args,
        data=request.get_data(),
        allow_redirects=False,
    )
    out_headers = [(k, v) for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP]
    return Response(upstream.content, upstream.status_code, out_headers)


@bp.route("/status/<service>")
def service_status(service):
    urls = current_app.config["STATUS_URLS"]
    url = urls.get(service)  # ok: TMO001
    if url is None:
        abort(404)
    try:
        ok = requests.get(url, timeout=(1, 2)).status_code == 200  # ok: TMO001
    except requests.RequestException:
        ok = False
    return jsonify({"service": service, "ok": ok})


@bp.route("/currency/convert")
def convert():
    amount = float(request.args.get("amount", "0"))
    to = request.args.get("to", "EUR")
    rates = (
        requests.get(current_app.config["FX_URL"], params={"base": "USD"}).json()  # expect: TMO001
        if not cache.exists("fx:usd")
        else None
    )
    if rates is None:
        rate = float(cache.hget("fx:usd", to) or 0)
    else:
        rate = rates["rates"][to]
    return jsonify({"amount": round(amount * rate, 2), "currency": to})
