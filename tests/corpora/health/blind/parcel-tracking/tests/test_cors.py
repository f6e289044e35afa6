"""The CORS middleware config is shared with the gateway; test it in isolation."""
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.testclient import TestClient


def make_app() -> FastAPI:
    app = FastAPI()  # ok: HEALTH
    app.add_middleware(CORSMiddleware, allow_origins=["https://track.example.com"], allow_methods=["GET"])

    @app.get("/echo")
    def echo():
        return {"ok": True}

    return app


def test_preflight_allowed_origin():
    client = TestClient(make_app())
    resp = client.options(
        "/echo",
        headers={"Origin": "https://track.example.com", "Access-Control-Request-Method": "GET"},
    )
    assert resp.status_code == 200
