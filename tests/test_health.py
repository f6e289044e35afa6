"""The health family: fixture repositories checked exactly, docs examples, the route model,
and the services published in the JSON report's inventory."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from prodready_lint.rules import health
from prodready_lint.sdk import canonical_path, is_health_path, match_path, request_path
from prodready_lint.sdk.testing import assert_examples, assert_fixture
from prodready_lint.sdk.web_paths import path_from_regex

import prodready_lint
from prodready_lint.reporters import json_report
from tests.conftest import write_tree

FIXTURES = Path(__file__).parent / "fixtures" / "health"
SCHEMA = Path(prodready_lint.__file__).parent / "reporters" / "schemas" / "report-v1.json"


@pytest.mark.parametrize("fixture", sorted(p for p in FIXTURES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_fixture_repository_matches_markers_exactly(fixture: Path) -> None:
    assert_fixture(fixture, select=["HLT"])


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(health.RULES)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("/orders/<int:order_id>", "/orders/{order_id}"),
        ("/files/<path:name>", "/files/{name:path}"),
        ("/items/{item_id}", "/items/{item_id}"),
        ("/prices/{sku:\\w+}", "/prices/{sku}"),
    ],
)
def test_route_paths_have_one_spelling(written: str, canonical: str) -> None:
    assert canonical_path(written) == canonical


def test_regex_routes_and_probe_urls() -> None:
    assert path_from_regex(r"^orders/(?P<pk>\d+)/status/$") == "orders/{pk}/status/"
    assert request_path("http://localhost:8000/health?full=1") == "/health"
    assert request_path("localhost:8080/ready") == "/ready"
    assert request_path("http://localhost") == "/"


@pytest.mark.parametrize(
    ("route", "path", "policy", "verdict"),
    [
        ("/health/", "/health", "redirect-to-slash", "yes"),  # Flask redirects, the probe follows
        ("/health", "/health/", "redirect-to-slash", "no"),
        ("/health/", "/health", "append-slash", "yes"),  # Django's APPEND_SLASH
        ("/health/", "/health", "exact", "no"),
        ("/health", "/health/", "either", "yes"),  # FastAPI and Starlette redirect_slashes
        ("/{?}/health", "/api/health", "exact", "unknown"),
    ],
)
def test_trailing_slashes_follow_the_framework(route: str, path: str, policy: str, verdict: str) -> None:
    assert match_path(route, path, policy) == verdict


@pytest.mark.parametrize(
    ("path", "health"),
    [
        ("/healthz", True),
        ("/api/v1/health", False),
        ("/v1/ping", False),
        ("/healthz/ready", True),
        ("/status/{order}", False),
        ("/-/health", True),
        ("/health-records/{id}", False),
        ("/flask-health-check", False),
        ("/api/db_healthz", False),
        ("/order-status", False),
        ("/health_check/", True),
        ("/orders/{id}/status", False),
        ("/healthcheck-docs", False),
        ("/{?}", None),
    ],
)
def test_health_routes_are_the_listed_paths_as_served(path: str, health: bool | None) -> None:
    assert is_health_path(path) is health


def test_extra_health_paths_are_configurable(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "svc/app.py": "from flask import Flask\napp = Flask(__name__)\n@app.get('/heartbeat')\ndef hb():\n    return 'ok'\n"
        },
    )
    result = prodready_lint.scan([tmp_path], select=["HLT001"], cache=False, root=tmp_path, config={})
    assert [f.rule_id for f in result.findings] == ["HLT001"]
    config = {"rules": {"HLT001": {"health-paths": ["/heartbeat"]}}}
    result = prodready_lint.scan([tmp_path], select=["HLT001"], cache=False, root=tmp_path, config=config)
    assert result.findings == ()


def test_json_report_lists_services_with_framework_file_and_routes() -> None:
    root = FIXTURES / "flask_factory_k8s"
    result = prodready_lint.scan([root], select=["HLT"], cache=False, root=root, config={})
    entry = result.inventory["web-services"]
    assert entry.rules == ("HLT001",)
    (service,) = entry.data
    assert (service["framework"], service["file"], service["name"]) == ("flask", "orders/orders/__init__.py", "app")
    assert [r["path"] for r in service["routes"]] == [
        "/-/health",
        "/api/v1/health-records/{record_id}",
        "/api/v1/orders/{order_id}",
    ]
    document = json.loads(json_report.render(result))
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert document["inventory"]["web-services"]["data"][0]["routes"][0]["file"] == "orders/orders/ops.py"


def test_inventory_is_absent_when_no_rule_publishes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"client.py": "import requests\nrequests.get(url)\n"})
    result = prodready_lint.scan([tmp_path], select=["TMO"], cache=False, root=tmp_path, config={})
    assert result.inventory == {}
    assert "inventory" not in json.loads(json_report.render(result))


@pytest.mark.parametrize(
    ("prefix", "could"),
    [
        ("", True),
        ("/", True),
        ("/admin/", False),  # the Django admin's own URLconf
        ("/static", False),
        ("/api/v1", False),
        ("/healthz", True),
        ("/-", True),  # /-/health
        ("/{?}/", True),  # a computed prefix
    ],
)
def test_opaque_prefixes_hold_a_health_route_only_where_one_could_be(prefix: str, could: bool) -> None:
    from prodready_lint.sdk import could_hold_health_path

    assert could_hold_health_path(prefix) is could


@pytest.mark.parametrize(
    ("port", "declared", "listen", "verdict"),
    [
        ("http", [["http", 8000], ["metrics", 9100]], [], ("app", 8000)),
        ("metrics", [["http", 8000], ["metrics", 9100]], [], ("other", 9100)),
        (9100, [["http", 8000], ["metrics", 9100]], [], ("other", 9100)),
        ("http", [["http", 9000]], [8000], ("other", 9000)),  # the named port is not the server's
        ("http-alt", [["http", 8000]], [], ("unknown", None)),
        (8080, [[None, 8000]], [], ("unknown", 8080)),
        (8000, [], [8000], ("app", 8000)),
        (8000, [], [], ("app", 8000)),
        (None, [], [8000], ("app", None)),
        ("$PORT", [], [8000], ("app", None)),
    ],
)
def test_probe_ports_are_resolved_like_the_orchestrator(port, declared, listen, verdict) -> None:
    from prodready_lint.rules.health._common import probe_port_verdict

    assert probe_port_verdict(port, declared, listen) == verdict


def test_server_commands_name_their_port() -> None:
    from prodready_lint.rules.health._common import listen_ports, probe_target

    assert listen_ports("gunicorn -w 4 -b 0.0.0.0:8000 app:app") == [8000]
    assert listen_ports("uvicorn main:app --host 0.0.0.0 --port=8080") == [8080]
    assert listen_ports("python manage.py runserver 0.0.0.0:8001") == [8001]
    assert listen_ports("celery -A app worker -b redis://redis:6379/0") == []
    assert probe_target("curl -fsS http://localhost:9100/metrics || exit 1") == ("/metrics", 9100)
    assert probe_target("wget -qO- 127.0.0.1/health") == ("/health", None)


def test_django_settings_are_read_without_lowering_the_module(tmp_path: Path) -> None:
    from prodready_lint.sdk.files import load_python
    from prodready_lint.sdk.web import web_facts

    settings = load_python(
        "config/settings/base.py",
        'ROOT_URLCONF = "config.urls"\nAPPEND_SLASH = False\nMIDDLEWARE = ["a.B"] + ["c.D"]\nMIDDLEWARE += ["e.F"]\n',
    )
    facts = web_facts(settings)
    assert facts.settings is not None
    assert (facts.settings.root_urlconf, facts.settings.append_slash) == ("config.urls", False)
    assert facts.settings.middleware == ("a.B", "c.D", "e.F")
    configured = load_python("catalog/settings.py", 'class Common(Configuration):\n    ROOT_URLCONF = "catalog.urls"\n')
    assert web_facts(configured).settings.root_urlconf == "catalog.urls"
    manage = load_python("manage.py", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n')
    assert [name for name, _span in web_facts(manage).django_settings] == ["config.settings.production"]
