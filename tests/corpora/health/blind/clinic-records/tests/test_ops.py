def test_ping(client):
    resp = client.get("/internal/ping")
    assert resp.status_code == 200


def test_no_public_healthz(client):
    # /healthz was removed with the ELB; make sure nobody re-adds it by accident
    assert client.get("/healthz").status_code == 404
