"""Docker Compose helpers: recognising a Compose file and reading its services, with the
spans of every field and of each environment variable's name and value."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from prodready_lint.sdk import Span
from prodready_lint.sdk.docker_compose import compose_services, is_compose_file
from prodready_lint.sdk.yaml_loader import load_yaml

COMPOSE = """\
x-logging: &logging
  driver: json-file

services:
  api:
    image: "acme/api:1.4.2"
    build:
      context: .
      dockerfile: Dockerfile
    user: "1000:1000"
    ports:
      - "8080:80"
      - target: 443
        published: 8443
    environment:
      - LOG_LEVEL=info
      - "API_TOKEN=tok_live_1234"
      - EMPTY=
      - FROM_SHELL
    volumes:
      - ./data:/data:ro
    secrets: [db_password]
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/healthz"]
      interval: 30s
    deploy:
      resources:
        limits: {cpus: "0.50", memory: 512M}
    logging: *logging
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: s3cret   # only for local use
      POSTGRES_USER:
      MAX_CONNECTIONS: 100
    mem_limit: 1g
    privileged: true

secrets:
  db_password:
    file: ./db_password.txt
"""


def source(file, span: Span) -> str:
    assert span.line == span.end_line
    return file.line(span.line)[span.column - 1 : span.end_column - 1]


@pytest.mark.parametrize(
    "path",
    ["docker-compose.yml", "deploy/docker-compose.prod.yaml", "compose.yaml", "compose.override.yml"],
)
def test_compose_files_are_known_by_name(path: str) -> None:
    assert is_compose_file(load_yaml(path, "services: {}\n"))


def test_a_compose_file_under_another_name_is_known_by_its_services() -> None:
    assert is_compose_file(load_yaml("deploy/stack.yml", COMPOSE))


@pytest.mark.parametrize(
    "text",
    [
        # a Helm values file with a `services` section that is not Compose
        "services:\n  api:\n    enabled: true\n    port: 80\n",
        # services without image, build or extends
        "services:\n  api:\n    ports: ['80']\n",
        "services: [a, b]\n",
        "name: not compose\n",
    ],
)
def test_other_files_with_services_are_not_compose_files(text: str) -> None:
    file = load_yaml("deploy/values.yaml", text)
    assert not is_compose_file(file)
    assert list(compose_services(file)) == []


def test_services_and_their_fields_with_spans() -> None:
    file = load_yaml("docker-compose.yml", COMPOSE)
    api, db = compose_services(file)
    assert (api.name, api.span, api.document) == ("api", Span(5, 3, 5, 6), 0)
    assert api.node is file.documents[0]["services"]["api"]
    assert api.image.value == "acme/api:1.4.2" and api.image.span == Span(6, 12, 6, 28)
    assert api.build.value == {"context": ".", "dockerfile": "Dockerfile"}
    assert api.user.value == "1000:1000" and api.user.key_span == Span(10, 5, 10, 9)
    assert [(p.value, p.span) for p in api.ports] == [
        ("8080:80", Span(12, 9, 12, 18)),
        ({"target": 443, "published": 8443}, Span(13, 9, 14, 24)),
    ]
    assert [v.value for v in api.volumes] == ["./data:/data:ro"]
    assert [(s.value, s.span) for s in api.secrets] == [("db_password", Span(22, 15, 22, 26))]
    assert api.healthcheck.value["interval"] == "30s"
    assert api.deploy.key_span == Span(26, 5, 26, 11)
    assert api.resource_limits.value == {"cpus": "0.50", "memory": "512M"}
    assert api.resource_limits.span == Span(28, 17, 28, 45)
    assert api.field("logging").value == {"driver": "json-file"}
    assert api.mem_limit is None and api.privileged is None

    assert db.mem_limit.value == "1g" and db.mem_limit.span == Span(36, 16, 36, 18)
    assert db.privileged.value is True and db.privileged.span == Span(37, 17, 37, 21)
    assert db.ports == () and db.healthcheck is None and db.resource_limits is None


def test_environment_in_the_list_form_spans_names_and_values() -> None:
    file = load_yaml("docker-compose.yml", COMPOSE)
    api = next(compose_services(file))
    variables = api.environment
    assert [(v.name, v.value) for v in variables] == [
        ("LOG_LEVEL", "info"),
        ("API_TOKEN", "tok_live_1234"),
        ("EMPTY", ""),
        ("FROM_SHELL", None),
    ]
    level, token, empty, from_shell = variables
    assert (level.span, level.name_span, level.value_span) == (
        Span(16, 9, 16, 23),
        Span(16, 9, 16, 18),
        Span(16, 19, 16, 23),
    )
    # inside quotes: the name and the value, not the quotes
    assert (source(file, token.name_span), source(file, token.value_span)) == ("API_TOKEN", "tok_live_1234")
    assert token.span == Span(17, 9, 17, 34)
    assert empty.value_span == Span(18, 15, 18, 15)
    assert from_shell.value_span is None and source(file, from_shell.name_span) == "FROM_SHELL"


def test_environment_in_the_mapping_form_spans_names_and_values() -> None:
    file = load_yaml("docker-compose.yml", COMPOSE)
    db = list(compose_services(file))[1]
    password, user, connections = db.environment
    assert (password.name, password.value) == ("POSTGRES_PASSWORD", "s3cret")
    assert password.name_span == Span(33, 7, 33, 24)
    assert password.value_span == Span(33, 26, 33, 32)  # not the comment
    assert password.span == Span(33, 7, 33, 32)
    assert (user.value, user.value_span) == (None, None)
    assert user.span == user.name_span == Span(34, 7, 34, 20)
    assert connections.value == 100  # the YAML value: Compose turns it into the string "100"


SERVICE_KEYS = st.sampled_from(
    [
        "image",
        "build",
        "environment",
        "ports",
        "volumes",
        "secrets",
        "deploy",
        "resources",
        "limits",
        "mem_limit",
        "user",
        "privileged",
        "healthcheck",
        "x-extra",
    ]
)
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(0, 9), st.sampled_from(["A=1", "B", "=", "'q=1'", "x: y", ""])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(SERVICE_KEYS, inner, max_size=4)),
    max_leaves=15,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["api", "db", "1", "x-y"]), VALUES, max_size=3))
def test_the_helpers_accept_any_shape_of_service(services: dict) -> None:
    text = yaml.dump({"services": services}, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))
    file = load_yaml("docker-compose.yml", text)
    for service in compose_services(file):
        for variable in service.environment:
            assert variable.name_span.line >= 1
            if variable.value_span is not None and variable.value_span.line == variable.value_span.end_line:
                assert variable.value_span.column <= variable.value_span.end_column
        assert all(field.span.line >= 1 for field in (*service.ports, *service.volumes, *service.secrets))
        for field in (service.image, service.resource_limits, service.mem_limit, service.user, service.privileged):
            assert field is None or field.span.line >= 1
