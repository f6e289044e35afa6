from unittest import mock

import pytest
from flask import Flask

from shipkit.contrib.flask import make_blueprint


@pytest.fixture()
def client():
    shipkit_client = mock.Mock()
    shipkit_client.carrier_status.return_value = True
    app = Flask(__name__)  # ok: HEALTH
    app.register_blueprint(make_blueprint(shipkit_client))
    return app.test_client()


def test_status(client):
    assert client.get("/shipkit/status").get_json() == {"up": True}
