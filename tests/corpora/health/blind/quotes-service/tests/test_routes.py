from quotes.app import app


def test_health_is_under_api():
    paths = {getattr(r, "path", None) for r in app.routes}
    assert "/api" in paths
