"""The CloudFormation model: recognition, resources, parameters and intrinsic functions in
both syntaxes, with exact spans."""

from __future__ import annotations

import json
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st
from prodready_lint.sdk import (
    CfnList,
    CfnMapping,
    Intrinsic,
    Span,
    cfn_bool,
    cfn_int,
    cfn_values,
    cloudformation_template,
    dynamic_reference,
    load,
)

YAML = textwrap.dedent(
    """\
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::Serverless-2016-10-31
    Parameters:
      DbPassword:
        Type: String
        NoEcho: true
      MultiAZ:
        Type: String
        Default: "false"
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        DeletionPolicy: Snapshot
        Condition: IsProd
        Properties:
          MultiAZ: !Ref MultiAZ
          MasterUserPassword: !Sub "{{resolve:secretsmanager:${Secret}:SecretString:password}}"
          Endpoint: !GetAtt Other.Endpoint.Address
          Long:
            Fn::GetAtt: [Other, Arn]
          Chosen:
            Fn::If: [IsProd, true, false]
          Tags:
            - Key: team
              Value: orders
      Bucket:
        Type: AWS::S3::Bucket
      Custom:
        Type: Custom::Thing
        Properties:
          Target: !Ref Bucket
    Outputs:
      Url:
        Value: !GetAtt Db.Endpoint.Address
    """
)

JSON = json.dumps(
    {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"MultiAZ": {"Type": "String", "Default": "false"}},
        "Resources": {
            "Db": {
                "Type": "AWS::RDS::DBInstance",
                "DeletionPolicy": "Snapshot",
                "Properties": {
                    "MultiAZ": {"Ref": "MultiAZ"},
                    "Endpoint": {"Fn::GetAtt": ["Other", "Endpoint.Address"]},
                    "Short": {"Fn::GetAtt": "Other.Arn"},
                    "Tags": [{"Key": "team", "Value": "orders"}],
                },
            }
        },
    },
    indent=2,
)


def _template(path: str, text: str):
    template = cloudformation_template(load(path, text))
    assert template is not None
    return template


def test_resources_parameters_and_attributes_with_spans() -> None:
    template = _template("stack.yaml", YAML)
    assert template.syntax == "yaml" and template.transform == "AWS::Serverless-2016-10-31"
    assert [r.logical_id for r in template.resources] == ["Db", "Bucket", "Custom"]
    db = template.resource("Db")
    assert db.type == "AWS::RDS::DBInstance"
    assert db.id_span == Span(13, 3, 13, 5)
    assert db.span == Span(13, 3, 27, 24)
    assert db.deletion_policy.value == "Snapshot" and db.deletion_policy.key_span.line == 15
    assert db.condition.value == "IsProd"
    assert template.resource("Bucket").properties == {} and isinstance(
        template.resource("Bucket").properties, CfnMapping
    )
    parameter = template.parameter("DbPassword")
    assert parameter.no_echo and parameter.default is None and parameter.span == Span(4, 3, 4, 13)
    assert template.parameter("MultiAZ").default.value == "false"
    assert set(template.outputs) == {"Url"} and set(template.conditions) == {"IsProd"}


def test_intrinsic_functions_in_both_syntaxes() -> None:
    db = _template("stack.yaml", YAML).resource("Db")
    assert db.get("MultiAZ") == Intrinsic("Ref", "MultiAZ", Span(1, 1, 1, 2))  # spans are not compared
    assert db.get("Endpoint").argument == ["Other", "Endpoint.Address"]
    assert db.get("Long").name == "Fn::GetAtt" and db.get("Long").argument == ["Other", "Arn"]
    assert db.get("Chosen").short_name == "If"
    assert db.get("MultiAZ").span == Span(18, 16, 18, 28)
    assert db.field("MultiAZ").key_span == Span(18, 7, 18, 14)
    assert db.get("MasterUserPassword").references == ("Secret",)
    assert db.get("Endpoint").target == "Other"

    json_db = _template("stack.json", JSON).resource("Db")
    assert json_db.get("MultiAZ") == Intrinsic("Ref", "MultiAZ", Span(1, 1, 1, 2))
    assert json_db.get("Endpoint").argument == ["Other", "Endpoint.Address"]
    assert json_db.get("Short").argument == ["Other", "Arn"]
    line = JSON.splitlines()[json_db.field("MultiAZ").key_span.line - 1]
    assert line.strip().startswith('"MultiAZ"')


def test_nested_paths_lists_and_spans_in_json() -> None:
    template = _template("stack.json", JSON)
    db = template.resource("Db")
    tags = db.get("Tags")
    assert isinstance(tags, CfnList) and tags[0]["Key"] == "team"
    field = db.field(("Tags", 0, "Value"))
    assert field.value == "orders"
    assert JSON.splitlines()[field.key_span.line - 1].strip().startswith('"Value"')
    assert db.field("Tags.0.Value") is None  # dotted paths name mapping keys only
    assert db.field(("Tags", 5)) is None and db.get("Missing", "x") == "x"
    assert template.resolve(db.get("MultiAZ")).value == "false"
    assert template.resolve(db.get("MultiAZ")).from_default
    assert template.resolve(db.get("Endpoint")).value is db.get("Endpoint")


def test_references_between_resources() -> None:
    template = _template("stack.yaml", YAML)
    assert [r.logical_id for r in template.referencing("Bucket")] == ["Custom"]
    assert template.referencing("Bucket", "AWS::RDS::DBInstance") == ()
    assert [r.logical_id for r in template.resources_of("AWS::S3::Bucket", "Custom::Thing")] == ["Bucket", "Custom"]


def test_recognition() -> None:
    assert cloudformation_template(load("deploy.yaml", "apiVersion: v1\nkind: ConfigMap\n")) is None
    assert cloudformation_template(load("a.yaml", "Resources:\n  X:\n    Type: Custom::Y\n")) is None
    assert cloudformation_template(load("a.yaml", "Resources:\n  X:\n    Type: AWS::SNS::Topic\n")) is not None
    two = "AWSTemplateFormatVersion: '2010-09-09'\n---\nkind: ConfigMap\n"
    assert cloudformation_template(load("two.yaml", two)) is None  # a template is one document
    assert cloudformation_template(load("list.json", "[1, 2]")) is None
    assert cloudformation_template(load("main.tf", 'resource "a" "b" {}\n')) is None
    file = load("a.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n")
    assert cloudformation_template(file) is cloudformation_template(file)  # built once per file


def test_value_helpers() -> None:
    assert cfn_bool("True") is True and cfn_bool(" false ") is False and cfn_bool("yes") is None
    assert cfn_int("7") == 7 and cfn_int(7.0) == 7 and cfn_int(True) is None and cfn_int("x") is None
    assert dynamic_reference("{{resolve:ssm-secure:/a}}") == "ssm-secure"
    sub = Intrinsic("Fn::Join", ["", ["{{resolve:secretsmanager:", "x", "}}"]], Span(1, 1, 1, 2))
    assert dynamic_reference(sub) == "secretsmanager" and dynamic_reference("plain") is None
    db = _template("stack.yaml", YAML).resource("Db")
    assert "orders" in list(cfn_values(db.properties))


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
_KEYS = st.sampled_from(
    ["Resources", "Type", "Properties", "Ref", "Fn::GetAtt", "Fn::Sub", "Condition", "x", "AWS::S3::Bucket"]
)
_DATA = st.recursive(
    _SCALARS | st.sampled_from(["AWS::S3::Bucket", "AWS::RDS::DBInstance"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(_DATA)
def test_any_json_document_is_read_or_refused_without_raising(data: object) -> None:
    document = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": data}
    template = cloudformation_template(load("t.json", json.dumps(document, indent=1)))
    assert template is not None
    for resource in template.resources:
        resource.field("Properties")
        for value in cfn_values(resource.properties):
            if isinstance(value, CfnMapping):
                for key in value:
                    assert value.key_span(key) and value.value_span(key)
            if isinstance(value, Intrinsic):
                assert isinstance(value.references, tuple)
                assert value.target is None or isinstance(value.target, str)


_TAGS = st.sampled_from(["!Ref", "!GetAtt", "!Sub", "!If", "!Join", "!Base64", "!Condition"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), _TAGS, st.text("abc.${}", max_size=6)), max_size=5))
def test_any_tagged_yaml_is_read_without_raising(items: list[tuple[str, str, str]]) -> None:
    lines = ["Resources:", "  R:", "    Type: AWS::S3::Bucket", "    Properties:"]
    lines += [f"      {key}{index}: {tag} {json.dumps(text)}" for index, (key, tag, text) in enumerate(items)]
    template = cloudformation_template(load("t.yaml", "\n".join(lines) + "\n"))
    assert template is not None
    for value in cfn_values(template.resources[0].properties):
        if isinstance(value, Intrinsic):
            assert value.name in ("Ref", "Condition") or value.name.startswith("Fn::")
            assert isinstance(value.references, tuple)
