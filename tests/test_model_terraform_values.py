"""Terraform values: the structure of computed values with exact spans, evaluation through
locals and variable defaults, filtered summaries and the variables set outside a module."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st
from prodready_lint.sdk import (
    NOT_LITERAL,
    ModuleIndex,
    Span,
    TerraformExpression,
    load,
    terraform_structure,
    terraform_value_text,
)
from prodready_lint.sdk.terraform_index import ANY_VARIABLE


def _tf(path: str, text: str):
    return load(path, textwrap.dedent(text))


def test_structure_opens_calls_objects_and_tuples_with_file_positions() -> None:
    file = _tf(
        "policy.tf",
        """\
        resource "aws_s3_bucket_policy" "p" {
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = "*"
              Resource  = "${aws_s3_bucket.b.arn}/*"
            }, local.extra]
          })
        }
        """,
    )
    attribute = file.block("aws_s3_bucket_policy", "p").attributes["policy"]
    node = terraform_structure(attribute)
    assert node.kind == "call" and node.name == "jsonencode" and node.span == Span(2, 12, 9, 5)
    document = node.items[0]
    assert document.kind == "object" and [key for key, _ in document.keys] == ["Version", "Statement"]
    statements = document.get("Statement")
    assert statements.kind == "tuple" and statements.items[1].kind == "expression"
    statement = statements.items[0]
    assert statement.key_span("Principal") == Span(6, 7, 6, 16)
    assert statement.get("Principal").literal == "*"
    assert statement.get("Resource").expression.references == ("aws_s3_bucket.b.arn",)
    assert statement.literal is NOT_LITERAL and document.get("Version").literal == "2012-10-17"
    assert [n.kind for n in node.walk()][:3] == ["call", "object", "literal"]


def test_structure_of_literal_collections_keeps_positions() -> None:
    file = _tf(
        "sg.tf",
        """\
        resource "aws_security_group" "sg" {
          ingress = [
            {
              from_port   = 22
              cidr_blocks = ["0.0.0.0/0"]
            },
          ]
        }
        """,
    )
    attribute = file.block("aws_security_group", "sg").attributes["ingress"]
    assert attribute.source is not None and attribute.value == [{"from_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]
    node = terraform_structure(attribute)
    assert node.items[0].key_span("cidr_blocks") == Span(5, 7, 5, 18)
    assert node.literal == attribute.value
    # rebuilt from a summary, the source travels along
    index = ModuleIndex({"sg.tf": file.summary()})
    rebuilt = index.resources("aws_security_group")[0].attributes["ingress"]
    assert terraform_structure(rebuilt).items[0].key_span("cidr_blocks") == Span(5, 7, 5, 18)


def test_structure_in_json_syntax_uses_the_value_span() -> None:
    file = load("p.tf.json", '{"resource": {"x": {"y": {"policy": "${jsonencode({a = [1, var.b]})}"}}}}')
    attribute = file.block("x", "y").attributes["policy"]
    node = terraform_structure(attribute, native=False)
    assert node.kind == "call" and node.items[0].get("a").items[1].kind == "expression"
    assert {n.span for n in node.walk()} == {attribute.value_span}


def test_evaluation_follows_locals_and_defaults_across_files() -> None:
    main = _tf(
        "db/main.tf",
        """\
        resource "aws_db_instance" "db" {
          multi_az                = var.multi_az
          backup_retention_period = local.days
          storage_encrypted       = "${var.settings.encrypted}"
          deletion_protection     = var.required
          port                    = var.port + 1
          iops                    = local.missing
        }
        locals {
          days = var.days
        }
        """,
    )
    variables = _tf(
        "db/variables.tf",
        """\
        variable "multi_az" { default = false }
        variable "days" { default = 0 }
        variable "settings" { default = { encrypted = false } }
        variable "required" {}
        variable "port" { default = 5432 }
        """,
    )
    index = ModuleIndex.from_files([main, variables])
    db = index.resources("aws_db_instance")[0]
    multi_az = index.evaluate(db, "multi_az")
    assert (multi_az.value, multi_az.via, multi_az.from_default) == (False, ("var.multi_az",), True)
    assert multi_az.source.address == "var.multi_az" and multi_az.describe() == "var.multi_az defaults to false"
    days = index.evaluate(db, "backup_retention_period")
    assert (days.value, days.via) == (0, ("local.days", "var.days"))
    assert days.describe() == "local.days (through var.days) defaults to 0"
    assert index.evaluate(db, "storage_encrypted").value is False
    for unknown in ("deletion_protection", "port", "iops"):
        evaluation = index.evaluate(db, unknown)
        assert not evaluation.known and isinstance(evaluation.value, TerraformExpression), unknown
    assert index.evaluate(db, "absent") is None
    local_literal = _tf("m/main.tf", 'resource "a" "b" {\n  x = local.y\n}\nlocals {\n  y = "z"\n}\n')
    other = ModuleIndex.from_files([local_literal])
    evaluation = other.evaluate(other.resources("a")[0], "x")
    assert (evaluation.value, evaluation.from_default) == ("z", False)


def test_variables_set_by_tfvars_and_terragrunt_inputs() -> None:
    module = _tf("m/main.tf", 'resource "a" "b" {\n  x = var.x\n}\nvariable "x" { default = 1 }\n')
    tfvars = load("m/envs/prod.tfvars", "x = 2\n")
    index = ModuleIndex.from_files([module, tfvars])
    assert index.assigned("m") == frozenset({"x"}) and not index.evaluate(index.resources("a")[0], "x").known
    # a .tfvars file of another module (examples/complete) does not set this module's variables
    example = _tf("examples/complete/main.tf", 'module "m" {\n  source = "../../m"\n  x = var.x\n}\n')
    other = load("examples/complete/test.tfvars", "x = 2\n")
    index = ModuleIndex.from_files([module, example, other])
    assert index.assigned("m") == frozenset() and index.assigned("examples/complete") == frozenset({"x"})
    assert index.evaluate(index.resources("a")[0], "x").value == 1
    terragrunt = load("live/terragrunt.hcl", "inputs = merge(local.common, { y = 1 })\n")
    assert ModuleIndex.from_files([module, terragrunt]).assigned() == frozenset({ANY_VARIABLE})
    literal_inputs = load("live/terragrunt.hcl", "inputs = {\n  y = 1\n  z = var.q\n}\n")
    assert ModuleIndex.from_files([module, literal_inputs]).assigned() == frozenset({"y", "z"})
    summaries = {"m/main.tf": module.summary(), "m/envs/prod.tfvars": tfvars.summary()}
    assert ModuleIndex(summaries).assigned("m") == frozenset({"x"})


def test_summary_keeps_only_the_named_blocks() -> None:
    file = _tf(
        "main.tf",
        """\
        resource "aws_s3_bucket" "a" {}
        resource "aws_sqs_queue" "q" {}
        data "aws_iam_policy_document" "d" {}
        variable "v" {}
        locals { l = 1 }
        """,
    )
    summary = file.summary(only=("aws_s3_bucket", "aws_iam_policy_document", "variable"))
    assert [(b["type"], b["labels"]) for b in summary["blocks"]] == [
        ("resource", ["aws_s3_bucket", "a"]),
        ("data", ["aws_iam_policy_document", "d"]),
        ("variable", ["v"]),
    ]
    assert len(file.summary()["blocks"]) == 5


def test_value_text() -> None:
    assert [terraform_value_text(v) for v in (False, None, "x", 3, [1])] == ["false", "null", '"x"', "3", "[1]"]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet='{}[]()"=,.$ abvar_lc\n0123', max_size=40))
def test_structure_of_any_text_never_raises(text: str) -> None:
    expression = TerraformExpression(text, "expression")
    node = terraform_structure(expression, Span(3, 7, 3, 8))
    assert node.kind in ("literal", "object", "tuple", "call", "expression")


def test_a_list_is_followed_item_by_item() -> None:
    file = _tf(
        "sg.tf",
        """\
        variable "ops" { default = "0.0.0.0/0" }
        variable "office" {}
        resource "aws_security_group_rule" "a" {
          cidr_blocks = ["10.0.0.0/8", var.ops]
          other       = [var.office, "10.0.0.0/8"]
        }
        """,
    )
    index = ModuleIndex.from_files([file])
    rule = index.resources("aws_security_group_rule")[0]
    known = index.evaluate(rule, "cidr_blocks")
    assert (known.value, known.via, known.from_default) == (["10.0.0.0/8", "0.0.0.0/0"], ("var.ops",), True)
    assert not index.evaluate(rule, "other").known
