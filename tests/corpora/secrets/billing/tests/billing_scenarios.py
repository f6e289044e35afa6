import pytest

from app.auth import check_password, issue_token

TEST_PASSWORD = "correct-horse-battery"  # expect: SEC001
FAKE_TOKEN = "fake-token"


@pytest.fixture
def user(db):
    return db.create_user(email="alice@example.com", password="Al1ce-Test-Pa55")  # expect: SEC001


def test_login(client, user):
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200


def test_wrong_password(client, user):
    response = client.post("/login", data={"email": user.email, "password": ""})
    assert response.status_code == 401


def test_token_roundtrip():
    assert issue_token("alice")
