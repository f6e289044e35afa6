"""The YAML model: exact spans for keys, values and nodes; tags, anchors, merge keys and
duplicate keys; YAML 1.2 scalars; documents; Helm templates; and input that must fail
cleanly (invalid, tab-indented, deeply nested, alias bombs) rather than hang or crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Mapping

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prodready_lint.sdk import KINDS, FileKind, LoadError, SkipFile, Span, load
from prodready_lint.sdk.yaml_loader import MAX_DEPTH, load_yaml
from prodready_lint.sdk.yaml_model import Field, Tagged, YamlFile, YamlMapping, YamlSequence, yaml_bool


def source(file: YamlFile, span: Span) -> str:
    """The text a span covers."""
    lines = file.lines[span.line - 1 : span.end_line]
    if span.line == span.end_line:
        return lines[0][span.column - 1 : span.end_column - 1]
    return "\n".join([lines[0][span.column - 1 :], *lines[1:-1], lines[-1][: span.end_column - 1]])


DEPLOYMENT = """\
# The API, behind the gateway.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api   # owned by payments
  labels: {app: api,
    tier: backend}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: "registry.example.com/api:1.4.2"   # pinned
          args: [--port, "8080"]
          command:
            - /bin/sh
            - -c
            - |
              exec /app/server \\
                --log-format=json

        - name: sidecar
          image: envoyproxy/envoy:v1.31.0
          env:
            - name: NOTE
              value: >-
                folded text
                over two lines
            - name: PLAIN
              value: a plain scalar
                that continues\x20\x20\x20
"""


def test_keys_values_and_nodes_have_exact_spans() -> None:
    file = load_yaml("deploy/api.yaml", DEPLOYMENT)
    (deployment,) = file.documents
    metadata = deployment["metadata"]
    assert file.span_of(metadata, "name") == Span(5, 3, 5, 7)
    assert file.value_span(metadata, "name") == Span(5, 9, 5, 12)  # not the trailing comment
    assert source(file, file.value_span(metadata, "labels")) == "{app: api,\n    tier: backend}"
    assert file.value_span(deployment["spec"], "replicas") == Span(9, 13, 9, 14)

    api, sidecar = deployment["spec"]["template"]["spec"]["containers"]
    assert file.span_of(api, "image") == Span(14, 11, 14, 16)
    assert file.value_span(api, "image") == Span(14, 18, 14, 50)  # quotes included, comment not
    assert source(file, file.value_span(api, "image")) == '"registry.example.com/api:1.4.2"'
    assert source(file, file.value_span(api, "args")) == '[--port, "8080"]'
    # a literal block scalar: from its indicator to its last character, not the blank line after
    script = file.value_span(api["command"], 2)
    assert script == Span(19, 15, 21, 34)
    assert source(file, script).endswith("--log-format=json")
    assert api["command"][2] == "exec /app/server \\\n  --log-format=json\n"
    # a mapping ends with its last value, not at the blank line or the next item
    assert file.span_of(api) == Span(13, 11, 21, 34)
    assert file.span_of(sidecar) == Span(23, 11, 32, 31)

    note, plain = sidecar["env"]
    assert (
        source(file, file.value_span(note, "value"))
        == ">-\n                folded text\n                over two lines"
    )
    assert note["value"] == "folded text over two lines"
    assert file.value_span(plain, "value") == Span(31, 22, 32, 31)  # trailing spaces left out
    assert plain["value"] == "a plain scalar that continues"


def test_spans_of_sequences_items_and_nodes() -> None:
    file = load_yaml("ci.yml", "steps:\n  - checkout\n  - run: make test\n    timeout: 10\nflow: [a, {b: c}]\n")
    steps = file.documents[0]["steps"]
    assert isinstance(steps, YamlSequence) and isinstance(steps[1], YamlMapping)
    assert file.span_of(steps) == Span(2, 3, 4, 16)
    assert file.span_of(steps, 0) == Span(2, 5, 2, 13)  # for a sequence, the key is the index
    assert file.value_span(steps, 1) == Span(3, 5, 4, 16)
    assert steps.item_span(-1) == Span(3, 5, 4, 16)
    assert file.span_of(steps[1]) == steps[1].span == Span(3, 5, 4, 16)
    flow = file.documents[0]["flow"]
    assert flow.span == Span(5, 7, 5, 18)
    assert flow[1].key_span("b") == Span(5, 12, 5, 13)
    assert flow[1].field("b") == Field("b", "c", Span(5, 15, 5, 16), Span(5, 12, 5, 13))
    assert steps.field(0) == Field(0, "checkout", Span(2, 5, 2, 13), Span(2, 5, 2, 13))


def test_empty_values_have_a_position_after_the_colon() -> None:
    file = load_yaml("values.yaml", "nodeSelector:\ntolerations: []\n")
    values = file.documents[0]
    assert values["nodeSelector"] is None
    assert file.value_span(values, "nodeSelector") == Span(1, 14, 1, 15)
    assert file.span_of(values) == Span(1, 1, 2, 16)


def test_a_scalar_has_no_position_of_its_own_and_a_missing_key_is_a_key_error() -> None:
    file = load_yaml("a.yaml", "name: api\n")
    with pytest.raises(TypeError, match="pass its parent and key"):
        file.span_of(file.documents[0]["name"])
    with pytest.raises(KeyError):
        file.span_of(file.documents[0], "image")


def test_documents_know_their_index_and_span() -> None:
    text = "---\napiVersion: v1\nkind: Service\n---\n# nothing here\n---\napiVersion: v1\nkind: ConfigMap\n...\n---\n"
    file = load_yaml("all.yaml", text)
    assert [d.index for d in file.yaml_documents] == [0, 1, 2, 3]
    assert [d.value for d in file.yaml_documents] == file.documents
    assert file.documents[1] is None and file.documents[3] is None
    assert [d.span for d in file.yaml_documents] == [
        Span(1, 1, 3, 14),
        Span(4, 1, 4, 4),
        Span(6, 1, 8, 16),
        Span(10, 1, 10, 4),
    ]
    single = load_yaml("one.yaml", "# header\nkind: Pod\n")
    assert single.yaml_documents[0].span == Span(2, 1, 2, 10)


@pytest.mark.parametrize("text", ["", "# just a comment\n# and another\n", "\n\n   \n"])
def test_empty_and_comment_only_files_have_no_documents(text: str) -> None:
    file = load_yaml("empty.yaml", text)
    assert file.documents == [] and file.yaml_documents == ()


CLOUDFORMATION = """\
AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-logs"
      Tags:
        - Key: Arn
          Value: !GetAtt Queue.Arn
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [IsProd, 0, 5]
      QueueName: !Join
        - "-"
        - [!Ref Env, queue]
      Policy: {"Fn::GetAtt": [Role, Arn]}
      Version: !!str 12
"""


def test_cloudformation_tags_load_and_keep_their_tag_value_and_span() -> None:
    file = load_yaml("template.yaml", CLOUDFORMATION)
    resources = file.documents[0]["Resources"]
    equals = file.documents[0]["Conditions"]["IsProd"]
    assert equals == Tagged("!Equals", [Tagged("!Ref", "Env", Span(3, 20, 3, 28)), "prod"], equals.span)
    assert equals.span == Span(3, 11, 3, 35)

    bucket_name = resources["Bucket"]["Properties"]["BucketName"]
    assert isinstance(bucket_name, Tagged)
    assert (bucket_name.tag, bucket_name.name, bucket_name.value) == ("!Sub", "Sub", "${AWS::StackName}-logs")
    assert bucket_name.span == Span(8, 19, 8, 48)
    get_att = resources["Bucket"]["Properties"]["Tags"][0]["Value"]
    assert (get_att.tag, get_att.value) == ("!GetAtt", "Queue.Arn")

    properties = resources["Queue"]["Properties"]
    delay = properties["DelaySeconds"]
    assert delay.tag == "!If" and delay.value == ["IsProd", 0, 5] and isinstance(delay.value, YamlSequence)
    assert file.value_span(properties, "DelaySeconds") == delay.span == Span(15, 21, 15, 39)
    assert file.span_of(delay, 2) == Span(15, 37, 15, 38)  # through the tag to its sequence
    join = properties["QueueName"]
    assert join.tag == "!Join" and join.value[0] == "-"
    assert join.value[1][0] == Tagged("!Ref", "Env", Span(18, 12, 18, 20))
    assert join.span == Span(16, 18, 18, 28)
    assert properties["Policy"] == {"Fn::GetAtt": ["Role", "Arn"]}  # the long form is a mapping
    assert properties["Version"] == "12"  # a standard tag asks for a type, it is not kept


def test_a_python_object_tag_is_kept_as_data_and_never_constructed() -> None:
    file = load_yaml("evil.yaml", "x: !!python/object/apply:os.system ['touch /tmp/pwned']\n")
    value = file.documents[0]["x"]
    assert value.tag == "tag:yaml.org,2002:python/object/apply:os.system"
    assert value.value == ["touch /tmp/pwned"]


COMPOSE_WITH_ANCHORS = """\
x-service: &service
  restart: unless-stopped
  logging: &logging
    driver: json-file
  environment:
    LOG_LEVEL: info
services:
  api:
    <<: *service
    image: acme/api:1.4.2
    restart: always
  worker:
    <<: [*service, {restart: on-failure, user: "1000"}]
    logging: *logging
"""


def test_aliases_are_shared_and_merge_keys_apply() -> None:
    file = load_yaml("docker-compose.yml", COMPOSE_WITH_ANCHORS)
    document = file.documents[0]
    base = document["x-service"]
    api, worker = document["services"]["api"], document["services"]["worker"]
    assert dict(api) == {
        "image": "acme/api:1.4.2",
        "restart": "always",
        "logging": base["logging"],
        "environment": base["environment"],
    }
    assert "<<" not in api
    assert api["environment"] is base["environment"]  # shared, not copied
    assert worker["logging"] is base["logging"]
    assert worker["restart"] == "unless-stopped"  # the earlier merged mapping wins
    assert worker["user"] == "1000"
    # a key written in the mapping is where it is written; a merged key is where its anchor has it
    assert file.span_of(api, "restart") == Span(11, 5, 11, 12)
    assert file.span_of(api, "environment") == Span(5, 3, 5, 14)
    # an alias used as a value is reported where the alias is written
    assert file.value_span(worker, "logging") == Span(14, 14, 14, 22)


def test_a_merge_key_with_a_scalar_is_an_ordinary_key() -> None:
    file = load_yaml("odd.yaml", "a:\n  <<: 1\n  '<<': {x: 1}\n")
    assert file.documents[0]["a"] == {"<<": {"x": 1}}


def test_duplicate_keys_do_not_fail_the_file_the_last_one_wins() -> None:
    text = "metadata:\n  name: api\n  name: api-v2\n  labels: {app: api}\n"
    file = load_yaml("deploy.yaml", text)
    metadata = file.documents[0]["metadata"]
    assert metadata["name"] == "api-v2"
    assert file.span_of(metadata, "name") == Span(3, 3, 3, 7)
    assert file.value_span(metadata, "name") == Span(3, 9, 3, 15)
    (duplicate,) = file.duplicate_keys
    assert (duplicate.key, duplicate.first, duplicate.winner) == ("name", Span(2, 3, 2, 7), Span(3, 3, 3, 7))
    assert duplicate.mapping is metadata


def test_scalars_follow_yaml_1_2_like_the_round_trip_loader_did() -> None:
    text = textwrap.dedent(
        """\
        on: push
        enabled: yes
        debug: off
        flag: True
        mode: 0644
        octal: 0o644
        hex: 0x1F
        count: 12
        negative: -3
        ratio: 1.5e3
        infinite: -.inf
        empty:
        tilde: ~
        quoted: "12"
        version: 1.10
        date: 2024-01-31
        """
    )
    values = load_yaml("workflow.yml", text).documents[0]
    assert values == {
        "on": "push",
        "enabled": "yes",
        "debug": "off",
        "flag": True,
        "mode": 644,
        "octal": 420,
        "hex": 31,
        "count": 12,
        "negative": -3,
        "ratio": 1500.0,
        "infinite": float("-inf"),
        "empty": None,
        "tilde": None,
        "quoted": "12",
        "version": 1.1,
        "date": "2024-01-31",
    }
    assert [yaml_bool(values[key]) for key in ("enabled", "debug", "flag", "count")] == [True, False, True, None]


def test_a_yaml_1_1_directive_reads_yes_and_leading_zero_octal() -> None:
    file = load_yaml("legacy.yaml", "%YAML 1.1\n---\nenabled: yes\nmode: 0644\nsize: 1_000\n")
    assert file.documents[0] == {"enabled": True, "mode": 420, "size": 1000}


def test_a_collection_key_becomes_a_tuple() -> None:
    file = load_yaml("odd.yaml", "? [a, b]\n: 1\n")
    assert file.documents[0] == {("a", "b"): 1}


def test_walk_visits_every_node_once_even_when_shared() -> None:
    file = load_yaml("c.yaml", "base: &b {k: v}\none: *b\ntwo: *b\nlist: [1, *b]\n")
    entries = list(file.walk())
    assert [entry.path for entry in entries] == [
        (),
        ("base",),
        ("one",),
        ("two",),
        ("list",),
        ("base", "k"),
        ("list", 0),
        ("list", 1),
    ]
    by_path = {entry.path: entry for entry in entries}
    assert by_path[("base", "k")].span == Span(1, 14, 1, 15)
    assert by_path[("list", 1)].span == Span(4, 11, 4, 13)


def test_bom_crlf_and_wide_characters_keep_columns_in_code_points() -> None:
    file = load_yaml("i18n.yaml", "\ufeffname: café\r\nemoji: [😀, x]\r\nnext: 1\r\n")
    document = file.documents[0]
    assert document == {"name": "café", "emoji": ["😀", "x"], "next": 1}
    assert file.span_of(document, "name") == Span(1, 2, 1, 6)  # the BOM is a code point of line 1
    assert file.value_span(document, "name") == Span(1, 8, 1, 12)
    assert document["emoji"].item_span(1) == Span(2, 12, 2, 13)
    assert file.span_of(document, "next") == Span(3, 1, 3, 5)


def test_values_agree_with_pyyaml_on_manifests_without_yaml_1_1_words() -> None:
    # (PyYAML lets the later of `<<: [*a, *b]` win, against the merge key spec: not compared)
    text = DEPLOYMENT + "---\nbase: &base {cpu: 1, memory: 2Gi}\nlimits:\n  <<: *base\n  memory: 4Gi\n"
    file = load_yaml("deploy/api.yaml", text)

    def plain(value):
        if isinstance(value, Mapping):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    expected = list(yaml.load_all(text, Loader=yaml.SafeLoader))
    assert [plain(document) for document in file.documents] == expected


# --- YamlFile and the registry -------------------------------------------------------------


def test_the_pure_python_parser_builds_the_same_model(monkeypatch) -> None:
    from prodready_lint.sdk import yaml_loader

    def snapshot(file: YamlFile) -> list:
        return [(entry.path, entry.span, repr(entry.value)) for entry in file.walk()]

    texts = [DEPLOYMENT, CLOUDFORMATION, COMPOSE_WITH_ANCHORS, "\ufeffa: 1\r\nb: [x,\r\n y]\r\n"]
    native = [snapshot(load_yaml("a.yaml", text)) for text in texts]
    monkeypatch.setattr(yaml_loader, "_Parser", yaml_loader._PurePythonParser)
    assert [snapshot(load_yaml("a.yaml", text)) for text in texts] == native
    with pytest.raises(LoadError) as caught:
        load_yaml("a.yaml", "a: [1,\nb: 2\n")
    assert caught.value.line == 3
    with pytest.raises(LoadError, match="too-complex|nests") as caught:
        load_yaml("a.yaml", _deep("flow-sequence", 1_000))
    assert caught.value.kind == "too-complex"


def test_yaml_file_stays_importable_from_files_and_the_registry_uses_the_new_loader() -> None:
    from prodready_lint.sdk import YamlFile as Exported
    from prodready_lint.sdk.files import YamlFile as FromFiles
    from prodready_lint.sdk.files import load_yaml as files_load_yaml

    assert Exported is FromFiles is YamlFile
    assert KINDS[FileKind.YAML].loader == "prodready_lint.sdk.yaml_loader:load_yaml"
    file = load("deploy/api.yaml", "kind: Pod\n")
    assert isinstance(file, YamlFile) and file.kind is FileKind.YAML
    assert isinstance(files_load_yaml("a.yaml", "a: 1\n"), YamlFile)
    assert isinstance(file.documents[0], Mapping)


# --- Helm ------------------------------------------------------------------------------------

HELM_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "api.fullname" . }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
"""


@pytest.mark.parametrize(
    "path",
    [
        "charts/api/templates/deployment.yaml",
        "templates/service.yml",
        "deploy/charts/api/templates/tests/test-connection.yaml",
    ],
)
def test_a_helm_template_is_skipped_with_a_one_line_reason(path: str) -> None:
    with pytest.raises(SkipFile) as caught:
        load(path, HELM_DEPLOYMENT)
    assert isinstance(caught.value, LoadError) and caught.value.kind == "helm-template"
    assert "\n" not in str(caught.value) and "Helm" in str(caught.value)


def test_chart_values_and_other_chart_files_are_ordinary_yaml() -> None:
    values = load("charts/api/values.yaml", 'replicaCount: 2\nannotations:\n  note: "{{ .Release.Name }}"\n')
    assert values.documents[0]["annotations"]["note"] == "{{ .Release.Name }}"
    chart = load("charts/api/Chart.yaml", "apiVersion: v2\nname: api\nversion: 0.1.0\n")
    assert chart.documents[0]["name"] == "api"
    # a file under templates/ with no template action is plain YAML
    plain = load("charts/api/templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\n")
    assert plain.documents[0]["kind"] == "ConfigMap"


# --- bad input -------------------------------------------------------------------------------


def test_an_unclosed_flow_sequence_names_its_line() -> None:
    with pytest.raises(LoadError) as caught:
        load_yaml("deploy/values.yaml", "replicas: 3\nports: [80, 443\nname: ledger\n")
    error = caught.value
    assert (error.kind, error.line) == ("yaml", 3)
    assert "flow sequence started on line 2" in error.message


def test_bad_indentation_names_its_line() -> None:
    text = "spec:\n  containers:\n    - name: api\n   image: acme/api\n"
    with pytest.raises(LoadError) as caught:
        load_yaml("deploy.yaml", text)
    assert (caught.value.kind, caught.value.line) == ("yaml", 4)
    assert caught.value.message.startswith("invalid YAML: ")


def test_a_tab_indented_file_says_so() -> None:
    with pytest.raises(LoadError) as caught:
        load_yaml("config.yaml", "server:\n\tport: 8080\n")
    assert (caught.value.kind, caught.value.line) == ("yaml", 2)
    assert "tab" in caught.value.message and "\n" not in caught.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: *missing\n", "alias *missing refers to no anchor before it"),
        ("a: &loop [1, *loop]\n", "alias *loop refers to a node that contains it"),
        ("a: b\x00c\n", "is not allowed in YAML"),
        ('a: "unterminated\nb: 2\n', "quoted scalar started on line 1"),
    ],
)
def test_other_invalid_yaml_is_a_load_error(text: str, message: str) -> None:
    with pytest.raises(LoadError, match="invalid YAML") as caught:
        load_yaml("bad.yaml", text)
    assert message in caught.value.message and caught.value.line is not None


def test_a_lone_surrogate_is_an_encoding_error() -> None:
    with pytest.raises(LoadError) as caught:
        load_yaml("bad.yaml", "a: 1\nb: \ud800\n")
    assert (caught.value.kind, caught.value.line) == ("encoding", 2)


def _deep(kind: str, depth: int) -> str:
    if kind == "flow-sequence":
        return "[" * depth + "]" * depth
    if kind == "flow-mapping":
        return "{a: " * depth + "1" + "}" * depth
    if kind == "unclosed-flow":
        return "[" * depth
    if kind == "block-sequence":
        return "- " * depth + "x\n"
    if kind == "block-mapping":  # one more space per level: quadratic text, so fewer levels
        return "".join(" " * level + "a:\n" for level in range(depth))
    raise AssertionError(kind)


DEEP_CASES = [
    ("flow-sequence", 10_000),
    ("flow-sequence", 100_000),
    ("flow-mapping", 100_000),
    ("unclosed-flow", 100_000),
    ("block-sequence", 10_000),
    ("block-sequence", 100_000),
    ("block-mapping", 10_000),
]


@pytest.fixture(scope="module")
def deep_results() -> dict[str, str]:
    """Every deep case loaded in one child process: a native parser that overflowed its
    stack would kill that process, not the test run."""
    code = textwrap.dedent(
        f"""\
        from prodready_lint.sdk import LoadError
        from prodready_lint.sdk.yaml_loader import load_yaml
        from tests.test_model_yaml import _deep
        for kind, depth in {DEEP_CASES!r}:
            try:
                load_yaml("deep.yaml", _deep(kind, depth))
                print(kind, depth, "loaded", flush=True)
            except LoadError as error:
                print(kind, depth, error.kind, error.line, error.message, flush=True)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return {" ".join(line.split()[:2]): line.split(" ", 2)[2] for line in result.stdout.splitlines()}


@pytest.mark.parametrize(("kind", "depth"), DEEP_CASES)
def test_deep_nesting_is_refused_without_crashing_the_process(deep_results, kind: str, depth: int) -> None:
    outcome = deep_results[f"{kind} {depth}"]
    kind_word, line, message = outcome.split(" ", 2)
    assert kind_word == "too-complex" and "nests" in message
    assert int(line) == (MAX_DEPTH + 1 if kind == "block-mapping" else 1)


def test_nesting_up_to_the_limit_loads() -> None:
    file = load_yaml("deep.yaml", _deep("flow-sequence", MAX_DEPTH))
    node, depth = file.documents[0], 1
    while node:
        node, depth = node[0], depth + 1
    assert depth == MAX_DEPTH


BILLION_LAUGHS = (
    "\n".join(
        ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    )
    + "\n"
)


def test_an_alias_bomb_is_refused_before_anything_expands() -> None:
    with pytest.raises(LoadError) as caught:
        load_yaml("lol.yaml", BILLION_LAUGHS)
    assert caught.value.kind == "too-complex" and "alias" in caught.value.message
    assert caught.value.line is not None


def test_a_few_levels_of_aliases_load_shared() -> None:
    text = "\n".join(BILLION_LAUGHS.splitlines()[:4]) + "\n"  # 9**3 strings when expanded
    file = load_yaml("lol.yaml", text)
    top = file.documents[0]["a3"]
    assert len(top) == 9 and all(item is top[0] for item in top)
    assert len(list(file.walk())) < 60


def test_many_aliases_of_a_shared_anchor_are_no_bomb() -> None:
    defaults = "x-defaults: &defaults\n" + "".join(f"  key{i}: value{i}\n" for i in range(20))
    services = "".join(f"  svc{i}:\n    <<: *defaults\n    image: acme/svc{i}:1\n" for i in range(3000))
    file = load_yaml("docker-compose.yml", defaults + "services:\n" + services)
    services = file.documents[0]["services"]
    assert len(services) == 3000 and services["svc2999"]["key19"] == "value19"


def test_a_merge_key_chain_is_refused_before_it_copies_quadratically() -> None:
    lines = ["k0: &k0 {x0: 1}"] + [f"k{i}: &k{i} {{<<: *k{i - 1}, x{i}: 1}}" for i in range(1, 3000)]
    with pytest.raises(LoadError) as caught:
        load_yaml("merge.yaml", "\n".join(lines) + "\n")
    assert caught.value.kind == "too-complex"


# --- any text --------------------------------------------------------------------------------

YAMLISH = st.lists(
    st.sampled_from([*"ab:- \n\t[]{},&*!|>'\"#?%@`\\.0~\ufeff", "<<", "---", "...", "  ", "\n- ", ": "])
).map("".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.text(), YAMLISH))
def test_any_text_loads_or_raises_a_load_error_and_spans_stay_in_the_file(text: str) -> None:
    try:
        file = load_yaml("any.yaml", text)
    except LoadError as error:
        assert error.message and "\n" not in error.message
        return
    last_line = len(file.lines)
    for entry in file.walk():
        span = entry.span
        assert 1 <= span.line <= span.end_line <= last_line
        if isinstance(entry.parent, YamlMapping):
            key_span = entry.parent.key_span(entry.key)
            assert 1 <= key_span.line <= key_span.end_line <= last_line
