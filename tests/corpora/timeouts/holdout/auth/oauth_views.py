import secrets
import time
from urllib.parse import urlencode

import requests
from flask import Flask, abort, jsonify, redirect, request, session, url_for
from requests.auth import HTTPBasicAuth

app = Flask(__name__)
app.config.from_prefixed_env()

PROVIDER = {
    "authorize_url": "https://id.example.com/oauth2/authorize",
    "token_url": "https://id.example.com/oauth2/token",
    "userinfo_url": "https://id.example.com/oauth2/userinfo",
    "revoke_url": "https://id.example.com/oauth2/revoke",
    "jwks_url": "https://id.example.com/.well-known/jwks.json",
    "device_url": "https://id.example.com/oauth2/device/code",
}
TOKEN_TIMEOUT = 10

_jwks_cache = {}


def _client_auth():
    return HTTPBasicAuth(app.config["OAUTH_CLIENT_ID"], app.config["OAUTH_CLIENT_SECRET"])


@app.route("/login")
def login():
    state = secrets.token_urlsafe(16)
    session["oauth_state"] = state
    session["next"] = request.args.get("next", "/")  # ok: TMO001
    query = urlencode({
        "response_type": "code",
        "client_id": app.config["OAUTH_CLIENT_ID"],
        "redirect_uri": url_for("callback", _external=True),
        "scope": "openid email profile",
        "state": state,
    })
    return redirect(f"{PROVIDER['authorize_url']}?{query}")


@app.route("/callback")
def callback():
    if request.args.get("state") != session.get("oauth_state"):  # ok: TMO001
        abort(400)
    token = requests.post(  # ok: TMO001
        PROVIDER["token_url"],
        data={
            "grant_type": "authorization_code",
            "code": request.args["code"],
            "redirect_uri": url_for("callback", _external=True),
        },
        auth=_client_auth(),
        timeout=TOKEN_TIMEOUT,
    ).json()
    userinfo = requests.get(PROVIDER["userinfo_url"], headers={"Authorization": f"Bearer {token['access_token']}"}).json()  # expect: TMO001
    session["user"] = {"sub": userinfo["sub"], "email": userinfo.get("email")}
    session["access_token"] = token["access_token"]
    session["refresh_token"] = token.get("refresh_token")
    session["expires_at"] = time.time() + token.get("expires_in", 3600)
    return redirect(session.pop("next", "/"))


@app.route("/logout", methods=["POST"])
def logout():
    tok = session.pop("access_token", None)
    if tok:
        requests.post(PROVIDER["revoke_url"], data={"token": tok}, auth=_client_auth())  # expect: TMO001
    session.clear()
    return redirect("/")


def refresh(refresh_token):
    r = requests.post(  # expect: TMO001
        PROVIDER["token_url"],
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=_client_auth(),
        timeout=(TOKEN_TIMEOUT, None),
    )
    r.raise_for_status()
    return r.json()


def jwks():
    if "keys" not in _jwks_cache:
        _jwks_cache.update(requests.get(PROVIDER["jwks_url"], timeout=5).json())  # ok: TMO001
    return _jwks_cache.get("keys")  # ok: TMO001


def login_attempts(ip):
    requests = app.config.setdefault("LOGIN_ATTEMPTS", {})
    return requests.get(ip, 0)  # ok: TMO001


@app.route("/me")
def me():
    user = session.get("user")  # ok: TMO001
    if not user:
        abort(401)
    if session.get("expires_at", 0) < time.time() and session.get("refresh_token"):
        fresh = refresh(session["refresh_token"])
        session["access_token"] = fresh["access_token"]
        session["expires_at"] = time.time() + fresh.get("expires_in", 3600)
    return jsonify(user)


@app.route("/device/start", methods=["POST"])
def device_start():
    r = requests.post(PROVIDER["device_url"], data={"scope": "openid"}, auth=_client_auth(), timeout=TOKEN_TIMEOUT)  # ok: TMO001
    return jsonify(r.json())


def device_code_poll(device_code, interval=5, expires_in=600):
    deadline = time.time() + expires_in
    with requests.Session() as s:
        s.auth = _client_auth()
        while time.time() < deadline:
            r = s.post(  # expect: TMO001
                PROVIDER["token_url"],
                data={"grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": device_code},
            )
            body = r.json()
            if "access_token" in body:
                return body
            if body.get("error") == "slow_down":
                interval += 5
            elif body.get("error") != "authorization_pending":
                raise RuntimeError(body.get("error_description", body.get("error")))
            time.sleep(interval)
    return None


def introspect(token):
    prepared = requests.Request(  # ok: TMO001
        "POST", "https://id.example.com/oauth2/introspect", data={"token": token}, auth=_client_auth()
    ).prepare()
    with requests.Session() as s:
        return s.send(prepared).json()  # expect: TMO001
