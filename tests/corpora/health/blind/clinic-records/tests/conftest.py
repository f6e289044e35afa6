import pytest

from clinic_records import create_app


@pytest.fixture()
def app():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})  # ok: HEALTH
    yield app


@pytest.fixture()
def client(app):
    return app.test_client()
