"""Internal admin console (Flask). Runs on the ops VPN only."""
from __future__ import annotations

import http.client
import json
import os
import urllib.parse
import urllib.request
from urllib.request import Request, urlopen

import requests as rq
from flask import Flask, abort, jsonify, render_template, request

app = Flask(__name__)
app.config.from_prefixed_env()

USERS_API = os.environ.get("ADMIN_USERS_API", "http://users.internal:8000")
STATUS_URL = os.environ.get("ADMIN_STATUS_URL", "http://status.internal/summary.json")
SEARCH_HOST = os.environ.get("ADMIN_SEARCH_HOST", "search.internal")
BILLING_HOST = os.environ.get("ADMIN_BILLING_HOST", "billing.internal")
SERVICE_TIMEOUT = float(os.environ.get("ADMIN_SERVICE_TIMEOUT", "8"))


def _auth_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {os.environ['ADMIN_SERVICE_TOKEN']}"}


@app.before_request
def require_staff():
    if request.headers.get("X-Staff-User") is None:
        abort(403)


@app.get("/users/<int:user_id>")
def user_detail(user_id: int):
    resp = rq.get(f"{USERS_API}/users/{user_id}", headers=_auth_headers())  # expect: TMO001
    if resp.status_code == 404:
        abort(404)
    orders = rq.get(f"{USERS_API}/users/{user_id}/orders", headers=_auth_headers(), timeout=SERVICE_TIMEOUT).json()
    return render_template("user_detail.html", user=resp.json(), orders=orders)


@app.post("/users/<int:user_id>/ban")
def ban_user(user_id: int):
    reason = request.form.get("reason", "unspecified")
    resp = rq.post(  # expect: TMO001
        f"{USERS_API}/users/{user_id}/ban",
        json={"reason": reason, "by": request.headers["X-Staff-User"]},
        headers=_auth_headers(),
    )
    return jsonify(resp.json()), resp.status_code


@app.delete("/sessions/<session_id>")
def kill_session(session_id: str):
    resp = rq.delete(f"{USERS_API}/sessions/{session_id}", headers=_auth_headers(), timeout=(None, 30))  # expect: TMO001
    return "", resp.status_code


@app.get("/status")
def status():
    with urllib.request.urlopen(STATUS_URL) as fh:  # expect: TMO002
        summary = json.load(fh)
    return render_template("status.html", summary=summary)


@app.post("/cache/purge")
def purge_cache():
    body = json.dumps({"paths": request.json.get("paths", [])}).encode()
    req = Request(
        "http://cdn-control.internal/purge",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urlopen(req, None, 10) as fh:  # ok: TMO002
        return jsonify(json.load(fh))


@app.get("/feature-flags")
def feature_flags():
    req = Request("http://flags.internal/api/flags", headers=_auth_headers())
    with urlopen(req, timeout=None) as fh:  # expect: TMO002
        flags = json.load(fh)
    return render_template("flags.html", flags=flags)


@app.get("/search/health")
def search_health():
    conn = http.client.HTTPConnection(SEARCH_HOST, 9200)  # expect: TMO003
    try:
        conn.request("GET", "/_cluster/health")
        resp = conn.getresponse()
        return jsonify(json.loads(resp.read()))
    finally:
        conn.close()


@app.get("/search/indices")
def search_indices():
    conn = http.client.HTTPConnection(SEARCH_HOST, 9200, 10)  # ok: TMO003
    try:
        conn.request("GET", "/_cat/indices?format=json")
        return jsonify(json.loads(conn.getresponse().read()))
    finally:
        conn.close()


@app.get("/billing/invoices/<invoice_id>")
def invoice(invoice_id: str):
    conn = http.client.HTTPSConnection(BILLING_HOST, timeout=SERVICE_TIMEOUT)  # ok: TMO003
    conn.request("GET", f"/invoices/{invoice_id}", headers=_auth_headers())
    resp = conn.getresponse()
    if resp.status != 200:
        abort(resp.status)
    return jsonify(json.loads(resp.read()))


@app.post("/billing/invoices/<invoice_id>/resend")
def resend_invoice(invoice_id: str):
    conn = http.client.HTTPSConnection(BILLING_HOST)  # expect: TMO003
    conn.request("POST", f"/invoices/{invoice_id}/resend", body=b"", headers=_auth_headers())
    resp = conn.getresponse()
    if resp.status < 300:
        return "", 204
    return resp.read(), resp.status


@app.get("/sellers/export")
def seller_export():
    qs = urllib.parse.urlencode({"since": request.args.get("since", ""), "format": "json"})
    with urllib.request.urlopen(f"{USERS_API}/sellers/export?{qs}", None) as fh:  # expect: TMO002
        data = json.load(fh)
    return jsonify(data)
