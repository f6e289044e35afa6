"""Error envelope behaviour, tested on a bare app so no DB is needed."""
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient


def test_http_exception_envelope():
    app = FastAPI()  # ok: HEALTH

    @app.get("/boom")
    def boom():
        raise HTTPException(409, "duplicate reference")

    resp = TestClient(app).get("/boom")
    assert resp.status_code == 409
    assert resp.json() == {"detail": "duplicate reference"}
