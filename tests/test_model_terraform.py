"""The Terraform/HCL model: blocks, attributes, values and exact spans for native and
JSON syntax, bad input as one LoadError, and the module index repository rules use."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prodready_lint.sdk import FileKind, LoadError, RepoRule, Severity, Span, classify, load
from prodready_lint.sdk.terraform import Attribute, Block, Expression, TerraformFile, load_terraform
from prodready_lint.sdk.terraform_index import ModuleIndex, block_from_summary, target_of
from prodready_lint.sdk.terraform_lexer import MAX_NESTING

import prodready_lint
from tests.conftest import write_tree

MAIN_TF = """\
terraform {
  required_version = ">= 1.5"
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "prod/network.tfstate"
  }
}

provider "aws" {
  region     = var.region
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "orders" {
  identifier              = "orders-${var.env}"
  engine                  = "postgres"
  username                = "orders"
  password                = var.db_password
  backup_retention_period = 0
  deletion_protection     = false
  storage_encrypted       = true

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_db_instance" "legacy" {
  engine   = "mysql"
  password = "hunter2"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"

  versioning {
    enabled = true
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}

resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  dynamic "ingress" {
    for_each = var.admin_ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [var.office_cidr]
    }
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
  }
}

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  cidr   = "10.0.0.0/16"
}
"""


def covered(file: TerraformFile, span: Span) -> str:
    """The source text a span covers."""
    lines = file.lines
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    middle = lines[span.line : span.end_line - 1]
    return "\n".join(
        [lines[span.line - 1][span.column - 1 :], *middle, lines[span.end_line - 1][: span.end_column - 1]]
    )


def hcl(text: str, path: str = "infra/main.tf") -> TerraformFile:
    model = load(path, text)
    assert isinstance(model, TerraformFile)
    return model


def value_of(text: str) -> object:
    """The value of ``x = <text>`` in a .tfvars file."""
    return hcl(f"x = {text}\n", "terraform.tfvars").attributes["x"].value


# -- the registry and the file ------------------------------------------------------------


def test_terraform_paths_load_as_terraform_files() -> None:
    for path in ("main.tf", "prod.tfvars", "main.tf.json", "prod.tfvars.json", "terragrunt.hcl", "main.tofu"):
        assert classify(path) is FileKind.TERRAFORM, path
    model = hcl(MAIN_TF)
    assert model.kind is FileKind.TERRAFORM and model.syntax == "hcl" and not model.is_variables_file
    assert [b.address for b in model.blocks] == [
        "terraform",
        "provider.aws",
        "var.db_password",
        "aws_db_instance.orders",
        "aws_db_instance.legacy",
        "aws_s3_bucket.logs",
        "aws_security_group.web",
        "data.aws_iam_policy_document.assume",
        "module.vpc",
    ]


def test_blocks_have_type_labels_and_exact_spans() -> None:
    model = hcl(MAIN_TF)
    bucket = model.block("aws_s3_bucket", "logs")
    assert bucket is not None and bucket.type == "resource" and bucket.labels == ("aws_s3_bucket", "logs")
    assert bucket.name == "logs" and bucket.path == "infra/main.tf"
    assert bucket.header_span == Span(39, 1, 39, 32)
    assert covered(model, bucket.header_span) == 'resource "aws_s3_bucket" "logs"'
    assert bucket.span == Span(39, 1, 53, 2)
    versioning = bucket.get("versioning")
    assert isinstance(versioning, Block) and versioning.header_span == Span(42, 3, 42, 13)
    assert versioning.span == Span(42, 3, 44, 4)
    backend = model.blocks[0].nested("backend")[0]
    assert backend.labels == ("s3",) and backend.address == "backend.s3"
    assert covered(model, backend.header_span) == 'backend "s3"'


def test_attributes_have_name_value_and_exact_spans() -> None:
    model = hcl(MAIN_TF)
    legacy = model.block("aws_db_instance", "legacy")
    assert legacy is not None
    password = legacy.attributes["password"]
    assert password == Attribute("password", "hunter2", Span(36, 3, 36, 11), Span(36, 14, 36, 23))
    assert password.span == Span(36, 3, 36, 23)
    assert covered(model, password.span) == 'password = "hunter2"'
    orders = model.block("aws_db_instance", "orders")
    assert orders is not None
    retention = orders.attributes["backup_retention_period"]
    assert covered(model, retention.key_span) == "backup_retention_period"
    assert covered(model, retention.value_span) == "0" and retention.value == 0


def test_lookups_by_type_label_and_path() -> None:
    model = hcl(MAIN_TF)
    assert [b.address for b in model.resources("aws_db_instance")] == [
        "aws_db_instance.orders",
        "aws_db_instance.legacy",
    ]
    assert len(model.resources()) == 4
    assert [b.address for b in model.data_sources()] == ["data.aws_iam_policy_document.assume"]
    assert model.block("db_password", type="variable") is model.blocks_of("variable")[0]
    assert model.block("aws_s3_bucket", "missing") is None
    bucket = model.block("aws_s3_bucket", "logs")
    assert bucket is not None
    assert (
        bucket.value("server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm")
        == "aws:kms"
    )
    assert bucket.value("versioning.enabled") is True
    assert bucket.value("versioning.mfa_delete", "unset") == "unset"
    assert bucket.get("logging") is None and not bucket.has("logging.target_bucket") and bucket.has("versioning")
    assert [b.type for b in bucket.walk()] == [
        "resource",
        "versioning",
        "server_side_encryption_configuration",
        "rule",
        "apply_server_side_encryption_by_default",
    ]


# -- what the rule families read ----------------------------------------------------------


def test_a_literal_password_is_a_string_and_one_from_a_variable_is_a_reference() -> None:
    model = hcl(MAIN_TF)
    orders, legacy = model.resources("aws_db_instance")
    assert legacy.value("password") == "hunter2"
    from_variable = orders.value("password")
    assert isinstance(from_variable, Expression)
    assert from_variable.kind == "reference" and from_variable.references == ("var.db_password",)
    assert not from_variable.is_literal and from_variable.text == "var.db_password"
    provider = model.block("aws", type="provider")
    assert provider is not None
    assert provider.value("access_key") == "AKIAIOSFODNN7EXAMPLE"
    assert covered(model, provider.attributes["secret_key"].value_span) == '"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"'
    variable = model.block("db_password", type="variable")
    assert variable is not None and variable.value("sensitive") is True
    assert variable.value("type") == Expression("string", "reference", ("string",))


def test_database_settings_and_lifecycle() -> None:
    orders = hcl(MAIN_TF).block("aws_db_instance", "orders")
    assert orders is not None
    assert orders.value("backup_retention_period") == 0
    assert orders.value("deletion_protection") is False
    assert orders.value("storage_encrypted") is True
    assert orders.value("lifecycle.prevent_destroy") is True
    prevent = orders.get("lifecycle.prevent_destroy")
    assert isinstance(prevent, Attribute) and prevent.key_span == Span(30, 5, 30, 20)


def test_security_group_rules_written_as_blocks_and_dynamic_blocks() -> None:
    group = hcl(MAIN_TF).block("aws_security_group", "web")
    assert group is not None
    assert [b.value("cidr_blocks") for b in group.nested("ingress")] == [["0.0.0.0/0"]]
    rules = group.nested("ingress", dynamic=True)
    assert len(rules) == 2 and rules[1].type == "content"
    office = rules[1].value("cidr_blocks")
    assert isinstance(office, Expression) and office.kind == "tuple" and office.references == ("var.office_cidr",)
    assert rules[1].value("from_port").references == ("ingress.value",)


def test_walk_attributes_reaches_every_nested_attribute() -> None:
    model = hcl(MAIN_TF)
    names = [(block.type if block else None, a.name) for block, a in model.walk_attributes() if a.name.endswith("key")]
    assert names == [("backend", "key"), ("provider", "access_key"), ("provider", "secret_key")]


# -- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"plain"', "plain"),
        ('"tab\\tquote\\" \\u00e9 \\U0001F600 back\\\\slash"', 'tab\tquote" é 😀 back\\slash'),
        ('"$${not.interpolated} %%{not.a.directive}"', "${not.interpolated} %{not.a.directive}"),
        ("42", 42),
        ("-7", -7),
        ("1.5", 1.5),
        ("2.5e3", 2500.0),
        ("true", True),
        ("false", False),
        ("null", None),
        ('["a", 1, [true]]', ["a", 1, [True]]),
        (
            '{ Name = "logs", "quoted key" = 2, nested = { x = null } }',
            {"Name": "logs", "quoted key": 2, "nested": {"x": None}},
        ),
        ("(3)", 3),
        ("<<EOF\nline one\n  line two\nEOF", "line one\n  line two\n"),
        ("<<-EOT\n    indented\n      more\n\n    back\n  EOT", "indented\n  more\n\nback\n"),
        ("<<EOF\nliteral $${x}\nEOF", "literal ${x}\n"),
    ],
)
def test_literals_become_python_values(source: str, expected: object) -> None:
    value = value_of(source)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("source", "kind", "references", "functions", "strings"),
    [
        ("var.password", "reference", ("var.password",), (), ()),
        ('"${var.password}"', "reference", ("var.password",), (), ()),
        ("aws_s3_bucket.logs.id", "reference", ("aws_s3_bucket.logs.id",), (), ()),
        ("aws_instance.web[0].private_ip", "reference", ("aws_instance.web[0].private_ip",), (), ()),
        ('var.settings["db"].port', "reference", ('var.settings["db"].port',), (), ("db",)),
        ("aws_instance.web[count.index].id", "reference", ("aws_instance.web", "count.index"), (), ()),
        ("aws_instance.web[*].id", "reference", ("aws_instance.web",), (), ()),
        ("aws_instance.web.*.id", "reference", ("aws_instance.web",), (), ()),
        ('"${var.prefix}-logs"', "template", ("var.prefix",), (), ("-logs",)),
        ('"%{ if var.on }yes%{ else }no%{ endif }"', "template", ("var.on",), (), ("yes", "no")),
        ("jsonencode({ a = var.a })", "call", ("var.a",), ("jsonencode",), ()),
        ('var.env == "prod" ? 7 : 1', "conditional", ("var.env",), (), ("prod",)),
        ("!var.enabled", "operation", ("var.enabled",), (), ()),
        ("[for s in var.subnets : s.id if s.public]", "for", ("var.subnets",), (), ()),
        ("{ for k, v in var.tags : k => upper(v) }", "for", ("var.tags",), ("upper",), ()),
        ("[var.a, 1]", "tuple", ("var.a",), (), ()),
        ('{ (var.key) = 1, name = "x" }', "object", ("var.key",), (), ("x",)),
        ("<<EOF\narn=${aws_iam_role.app.arn}\nEOF", "template", ("aws_iam_role.app.arn",), (), ("arn=", "\n")),
        ("provider::aws::arn_parse(var.arn).region", "call", ("var.arn",), ("provider::aws::arn_parse",), ()),
        ('"a${join(",", [for x in local.l : "${x}!"])}b"', "template", ("local.l",), ("join",), ("a", ",", "!", "b")),
    ],
)
def test_everything_else_is_an_expression_with_its_references(
    source: str, kind: str, references: tuple[str, ...], functions: tuple[str, ...], strings: tuple[str, ...]
) -> None:
    value = value_of(source)
    assert value == Expression(source, kind, references, functions, strings)


def test_an_expression_that_refers_to_nothing_counts_as_literal() -> None:
    constant = value_of('"${"abc"}"')
    assert isinstance(constant, Expression) and constant.is_literal
    assert not value_of('"${upper("abc")}"').is_literal  # type: ignore[union-attr]
    bucket = value_of("aws_s3_bucket.logs[0].arn")
    assert bucket.refers_to("aws_s3_bucket.logs") and not bucket.refers_to("aws_s3_bucket.log")  # type: ignore[union-attr]


def test_spans_count_characters_not_bytes() -> None:
    model = hcl('locals {\n  greeting = "héllo wörld 🚀" # ünïcode\n  ключ     = var.значение\n}\n')
    greeting = model.blocks[0].attributes["greeting"]
    assert greeting.value_span == Span(2, 14, 2, 29)
    assert covered(model, greeting.value_span) == '"héllo wörld 🚀"'
    key = model.blocks[0].attributes["ключ"]
    assert key.key_span == Span(3, 3, 3, 7) and covered(model, key.value_span) == "var.значение"
    assert key.value.references == ("var.значение",)


def test_line_breaks_inside_brackets_strings_and_heredocs_are_fine() -> None:
    model = hcl(
        "locals {\n"
        "  total = (\n    var.a\n    + var.b\n  )\n"
        '  tags = merge(\n    var.tags,\n    { Name = "x" },\n  )\n'
        '  greeting = "${\n    var.name\n  }!"\n'
        "  ids = [for s in var.subnets :\n    s.id\n  ]\n"
        "}\n"
    )
    assert [a.value.kind for a in model.blocks[0].attributes.values()] == ["operation", "call", "template", "for"]


def test_a_lone_carriage_return_in_a_comment_or_heredoc_keeps_spans_exact() -> None:
    model = hcl('locals {\n  # ü comment\rcontinued 🚀\n  x = "é🚀"\n  y = <<EOF\nbody\rline\nEOF\n}\n')
    x, y = model.blocks[0].attributes.values()
    assert x.span == Span(4, 3, 4, 11) and covered(model, x.span) == 'x = "é🚀"'
    assert y.value == "body\rline\n" and y.value_span == Span(5, 7, 8, 4)
    assert model.blocks[0].span == Span(1, 1, 9, 2)


def test_crlf_line_endings_keep_lines_and_columns() -> None:
    model = hcl('resource "aws_s3_bucket" "b" {\r\n  bucket = "b"\r\n  policy = <<EOF\r\n{}\r\nEOF\r\n}\r\n')
    bucket = model.blocks[0]
    assert bucket.attributes["bucket"].span == Span(2, 3, 2, 15)
    assert bucket.attributes["policy"].value_span == Span(3, 12, 5, 4)
    assert bucket.span == Span(1, 1, 6, 2)


# -- other files of the kind ----------------------------------------------------------------


def test_a_tfvars_file_is_top_level_attributes() -> None:
    model = hcl('region      = "eu-west-1"\ndb_password = "s3cr3t"\ninstance_count = 3\n', "envs/prod.tfvars")
    assert model.is_variables_file and model.blocks == ()
    assert {name: a.value for name, a in model.attributes.items()} == {
        "region": "eu-west-1",
        "db_password": "s3cr3t",
        "instance_count": 3,
    }
    assert model.attributes["db_password"].span == Span(2, 1, 2, 23)
    assert [a.name for block, a in model.walk_attributes() if block is None] == [
        "region",
        "db_password",
        "instance_count",
    ]


def test_a_terragrunt_file_has_attributes_and_blocks() -> None:
    model = hcl(
        'include "root" {\n  path = find_in_parent_folders()\n}\n\ninputs = {\n  db_password = "s3cr3t"\n}\n',
        "live/prod/terragrunt.hcl",
    )
    assert [b.address for b in model.blocks] == ["include.root"]
    assert model.attributes["inputs"].value == {"db_password": "s3cr3t"}


MAIN_TF_JSON = """\
{
  "//": "generated",
  "variable": {
    "db_password": {"type": "string", "sensitive": true}
  },
  "provider": {
    "aws": [
      {"region": "eu-west-1", "access_key": "AKIAIOSFODNN7EXAMPLE"},
      {"alias": "us", "region": "us-east-1", "default_tags": {"tags": {"team": "data"}}}
    ]
  },
  "resource": {
    "aws_s3_bucket": {
      "logs": {
        "bucket": "${var.prefix}-logs",
        "tags": {"Name": "logs"},
        "versioning": {"enabled": true},
        "lifecycle": {"prevent_destroy": true}
      }
    },
    "aws_db_instance": {
      "orders": {
        "password": "${var.db_password}",
        "username": "$${literally}",
        "backup_retention_period": 0
      }
    },
    "aws_security_group": {
      "web": {
        "ingress": [
          {"from_port": 22, "cidr_blocks": ["0.0.0.0/0"]},
          {"from_port": 443, "cidr_blocks": ["${var.office_cidr}"]}
        ],
        "dynamic": {"egress": {"for_each": "${var.rules}", "content": {"to_port": "${egress.value}"}}}
      }
    }
  },
  "locals": {"name": "app-${upper(var.env)}"}
}
"""


def test_tf_json_gives_the_same_model_with_exact_spans() -> None:
    model = hcl(MAIN_TF_JSON, "infra/main.tf.json")
    assert model.syntax == "json"
    assert [b.address for b in model.blocks] == [
        "var.db_password",
        "provider.aws",
        "provider.aws",
        "aws_s3_bucket.logs",
        "aws_db_instance.orders",
        "aws_security_group.web",
        "locals",
    ]
    bucket = model.block("aws_s3_bucket", "logs")
    assert bucket is not None
    assert covered(model, bucket.header_span) == '"logs"' and bucket.header_span == Span(14, 7, 14, 13)
    assert bucket.span == Span(14, 7, 19, 8)
    assert bucket.value("versioning.enabled") is True and bucket.value("lifecycle.prevent_destroy") is True
    assert bucket.value("tags") == {"Name": "logs"}
    name = bucket.attributes["bucket"]
    assert name.value == Expression('"${var.prefix}-logs"', "template", ("var.prefix",), (), ("-logs",))
    assert covered(model, name.key_span) == '"bucket"' and covered(model, name.value_span) == '"${var.prefix}-logs"'
    orders = model.block("aws_db_instance", "orders")
    assert orders is not None
    assert orders.value("password").kind == "reference"
    assert orders.value("password").references == ("var.db_password",)
    assert orders.value("username") == "${literally}"
    assert model.blocks_of("provider")[0].value("access_key") == "AKIAIOSFODNN7EXAMPLE"
    assert model.blocks_of("provider")[1].value("default_tags.tags") == {"team": "data"}
    assert model.block("db_password", type="variable").value("sensitive") is True  # type: ignore[union-attr]


def test_tf_json_arrays_and_dynamic_blocks() -> None:
    model = hcl(MAIN_TF_JSON, "infra/main.tf.json")
    group = model.block("aws_security_group", "web")
    assert group is not None
    ingress = group.nested("ingress")
    assert [rule.value("from_port") for rule in ingress] == [22, 443]
    assert ingress[0].header_span == Span(31, 11, 31, 12) and covered(model, ingress[0].header_span) == "{"
    assert ingress[1].value("cidr_blocks").references == ("var.office_cidr",)
    assert [b.value("to_port").references for b in group.nested("egress", dynamic=True)] == [("egress.value",)]
    assert model.blocks[-1].value("name") == Expression(
        '"app-${upper(var.env)}"', "template", ("var.env",), ("upper",), ("app-",)
    )


def test_tfvars_json_is_attributes_with_literal_strings() -> None:
    model = hcl('{"db_password": "${not_a_template}", "zones": ["a", "b"]}', "prod.tfvars.json")
    assert model.is_variables_file and model.blocks == ()
    assert model.attributes["db_password"].value == "${not_a_template}"
    assert model.attributes["zones"].value_span == Span(1, 47, 1, 57)


# -- bad input ------------------------------------------------------------------------------


def load_error(text: str, path: str = "infra/main.tf") -> LoadError:
    with pytest.raises(LoadError) as caught:
        assert load_terraform(path, text).blocks is None
    return caught.value


def test_an_unclosed_block_names_the_line_of_the_block() -> None:
    error = load_error(
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n\nresource "aws_s3_bucket" "other" {\n  bucket = "other"\n}\n'
    )
    assert (error.kind, error.line) == ("hcl", 1)
    assert error.message == 'block resource "aws_s3_bucket" "logs" opened on line 1 is not closed'


def test_an_unterminated_string_names_its_line() -> None:
    error = load_error('resource "aws_db_instance" "db" {\n  password = "hunter2\n  engine   = "postgres"\n}\n')
    assert (error.kind, error.line) == ("hcl", 2)
    assert "unterminated string" in error.message


def test_an_unterminated_heredoc_names_its_marker_and_line() -> None:
    error = load_error(
        'resource "aws_iam_policy" "p" {\n  name = "p"\n  policy = <<EOF\n{"Version": "2012-10-17"}\n}\n'
    )
    assert (error.kind, error.line) == ("hcl", 3)
    assert error.message.startswith("unterminated heredoc <<EOF started on line 3")


def test_invalid_tf_json_is_a_load_error_with_its_line() -> None:
    error = load_error('{\n  "resource": {\n    "aws_s3_bucket": {"logs": {"bucket": "x",}}\n  }\n}\n', "main.tf.json")
    assert (error.kind, error.line) == ("json", 3)
    assert error.message.startswith("invalid JSON: ")
    assert load_error("[1, 2]", "main.tf.json").message == "a Terraform JSON file holds one object"
    assert load_error('{"resource": {"aws_s3_bucket": "x"}}', "main.tf.json").kind == "json"
    assert load_error('{"locals": {"x": "${unclosed"}}', "main.tf.json").message.startswith(
        "invalid template in a JSON string"
    )
    assert load_error('{"x": NaN}', "main.tf.json").kind == "json"


def test_an_empty_file_is_valid_and_has_no_blocks() -> None:
    for text in ("", "\n", "# only a comment\n", "/* nothing */"):
        model = hcl(text)
        assert model.blocks == () and dict(model.attributes) == {}
    assert hcl("", "terraform.tfvars").attributes == {}
    assert hcl("{}", "main.tf.json").blocks == ()


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("locals {\n  a = 1 b = 2\n}\n", 2, "missing newline after the argument"),
        ('resource "a" "b" { x = 1\n  y = 2\n}\n', 1, "holds exactly one argument"),
        ('terraform { required_providers { aws = { source = "hashicorp/aws" } } }\n', 1, "holds exactly one argument"),
        ("locals {\n  a = 1\n  a = 2\n}\n", 3, "argument 'a' is set twice (first on line 2)"),
        ("locals {\n  a = 1 }\n", 2, "missing newline before the '}'"),
        ('locals {\n  a =\n    "x"\n}\n', 3, "continues on a new line outside brackets"),
        ("locals {\n  a = var.x\n    + 1\n}\n", 3, "continues on a new line outside brackets"),
        ('locals {\n  a = var.on\n    ? "x" : "y"\n}\n', 3, "continues on a new line outside brackets"),
        ('resource "a" "b"\n{\n}\n', 2, "must be on the same line"),
        ('locals {\n  a = "\\q"\n}\n', 2, "invalid escape sequence '\\q'"),
        ("locals {\n  a = [1, 2}\n}\n", 2, "unexpected '}': the '[' opened on line 2 is not closed"),
        ("locals {\n  a = 1\n}\n}\n", 4, "unexpected '}': nothing is open here"),
        ("a = <<EOF \nx\nEOF\n", 1, "invalid heredoc"),
        ('a = "\\UFF11FF22"\n', 1, "no such character"),
        ('seal "pkcs11" {\n  mechanism = 0x1082\n}\n', 2, "hexadecimal numbers are not HCL"),
        ("a = 1 /* never closed\n", 1, "unterminated comment"),
        ("a = 1\rb = 2\n", 1, "carriage return"),
        ('{"a": 1}\n', 1, "found an object"),
        ("locals {\n  g = 1e10\n  h = 2\n}\n", 3, "write 1.0e10"),
        ("locals {\n  a =\n  b = 2\n}\n", 2, "invalid HCL: unexpected '='"),
    ],
)
def test_other_syntax_errors_are_one_clear_line(text: str, line: int, fragment: str) -> None:
    error = load_error(text)
    assert error.line == line and fragment in error.message, error.message


# -- native-parser guards ---------------------------------------------------------------------


def nest(depth: int, kind: str) -> str:
    opening, closing = {
        "tuple": ("[", "]"),
        "object": ("{ a = ", " }"),
        "paren": ("(", ")"),
        "call": ("f(", ")"),
        "template": ('"${', '}"'),
    }[kind]
    return f"x = {opening * depth}1{closing * depth}\n"


@pytest.mark.parametrize("kind", ["tuple", "object", "paren", "call", "template"])
def test_nesting_past_the_cap_is_refused_before_the_parser_runs(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import prodready_lint.sdk.terraform_native as native

    def no_parser() -> None:
        raise AssertionError("the native parser must not see this input")

    monkeypatch.setattr(native, "_language", no_parser)
    error = load_error(nest(100_000, kind), "deep.tfvars")
    assert error.kind == "too-complex" and error.line == 1


@pytest.mark.parametrize("kind", ["tuple", "object", "paren", "call", "template"])
def test_nesting_up_to_the_cap_builds_far_from_the_recursion_limit(kind: str) -> None:
    depth = MAX_NESTING if kind != "template" else MAX_NESTING // 2
    model = load("deep.tfvars", nest(depth, kind))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)
    try:
        value = model.attributes["x"].value  # type: ignore[attr-defined]
    finally:
        sys.setrecursionlimit(limit)
    assert value is not None


def test_nested_blocks_up_to_the_cap_build_and_past_it_are_refused() -> None:
    text = "".join(f"level{n} {{\n" for n in range(MAX_NESTING)) + "}\n" * MAX_NESTING
    model = hcl(text)
    assert len(list(model.walk())) == MAX_NESTING
    assert load_error("b {\n" * (MAX_NESTING + 1) + "}\n" * (MAX_NESTING + 1)).kind == "too-complex"


@pytest.mark.parametrize("operator", [" + ", " && ", " == "])
def test_long_operator_chains_without_brackets_build(operator: str) -> None:
    chain = operator.join(f"var.v{n}" for n in range(5_000))
    value = value_of(chain)
    assert isinstance(value, Expression) and len(value.references) == 5_000 and value.kind == "operation"
    for prefix in ("!", "-"):
        assert isinstance(value_of(prefix * 5_000 + "var.flag"), Expression)
    assert value_of("- - 1") == Expression("- - 1", "operation")


def test_unbalanced_or_unterminated_input_never_reaches_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    import prodready_lint.sdk.terraform_native as native

    monkeypatch.setattr(native, "_language", lambda: (_ for _ in ()).throw(AssertionError("parser reached")))
    for text in ('"${' * 300_000, "}{)(][" * 100_000, "a = <<EOF\n" + "x = ${y}\n" * 100_000, "{" * 300_000):
        assert load_error(text).kind in ("hcl", "too-complex")


def test_files_larger_than_the_cap_are_refused() -> None:
    from prodready_lint.sdk.terraform import MAX_CHARACTERS

    error = load_error("# padding\n" * (MAX_CHARACTERS // 10 + 1))
    assert error.kind == "too-complex" and "MiB" in error.message


HCL_ALPHABET = st.sampled_from(
    [
        *'{}[]()"$%<>=#/*\\\n\r\t :.,~!?-+',
        "${",
        "%{",
        "<<EOF\n",
        "EOF\n",
        "<<-X\n",
        "X\n",
        "a",
        "b",
        "1",
        "x = ",
        "true",
        "é",
        "for ",
        " in ",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=300), st.lists(HCL_ALPHABET, max_size=80).map("".join)))
def test_any_text_loads_or_raises_load_error(text: str) -> None:
    for path in ("main.tf", "prod.tfvars", "main.tf.json"):
        try:
            model = load(path, text)
        except LoadError:
            continue
        assert isinstance(model, TerraformFile)
        last_line = len(model.lines)
        for _, attribute in model.walk_attributes():
            assert 1 <= attribute.key_span.line <= attribute.value_span.end_line <= last_line
        json.dumps(model.summary(), allow_nan=False)


# -- the module index -----------------------------------------------------------------------

BUCKETS_TF = """\
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json
}
"""

VERSIONING_TF = """\
resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

data "aws_iam_policy_document" "logs" {
  statement {
    resources = ["${aws_s3_bucket.logs.arn}/*"]
  }
}

locals {
  bucket_names = [aws_s3_bucket.assets.bucket]
}
"""


def summaries(files: dict[str, str]) -> dict[str, object]:
    """What a repository rule's ``collect`` returns for each file, through JSON as the engine stores it."""
    return {path: json.loads(json.dumps(hcl(text, path).summary(), allow_nan=False)) for path, text in files.items()}


def buckets_without_versioning(index: ModuleIndex) -> list[tuple[str, Span, str]]:
    """A rule-like check: S3 buckets with neither inline versioning nor an aws_s3_bucket_versioning."""
    found = []
    for bucket in index.resources("aws_s3_bucket"):
        if bucket.value("versioning.enabled") is True:
            continue
        separate = index.referencing(bucket, type="aws_s3_bucket_versioning", attribute="bucket")
        if any(v.value("versioning_configuration.status") == "Enabled" for v in separate):
            continue
        found.append((bucket.path, bucket.header_span, bucket.address))
    return found


def test_a_rule_finds_versioning_configured_in_another_file_of_the_module() -> None:
    index = ModuleIndex(
        summaries(
            {
                "infra/storage/buckets.tf": BUCKETS_TF,
                "infra/storage/versioning.tf": VERSIONING_TF,
                "infra/other/buckets.tf": 'resource "aws_s3_bucket" "logs" {\n  bucket = "other-logs"\n}\n',
                "infra/storage/prod.tfvars": 'region = "eu-west-1"\n',
            }
        )
    )
    assert index.modules == ("infra/other", "infra/storage")
    assert buckets_without_versioning(index) == [
        ("infra/other/buckets.tf", Span(1, 1, 1, 32), "aws_s3_bucket.logs"),
        ("infra/storage/buckets.tf", Span(5, 1, 5, 34), "aws_s3_bucket.assets"),
    ]


def test_the_index_resolves_references_across_files_of_a_module() -> None:
    index = ModuleIndex(
        summaries({"infra/storage/buckets.tf": BUCKETS_TF, "infra/storage/versioning.tf": VERSIONING_TF})
    )
    versioning = index.resources("aws_s3_bucket_versioning")[0]
    target = index.resolve(versioning, versioning.value("bucket").references[0])
    assert target is not None and target.address == "aws_s3_bucket.logs"
    assert (target.path, target.header_span) == ("infra/storage/buckets.tf", Span(1, 1, 1, 32))
    policy = index.resolve("infra/storage", "data.aws_iam_policy_document.logs.json")
    assert policy is not None and policy.path == "infra/storage/versioning.tf"
    assert index.resolve("infra/storage", "local.bucket_names").type == "locals"  # type: ignore[union-attr]
    assert index.resolve("infra/storage", "aws_s3_bucket.missing.id") is None
    assert index.resolve("infra/other", "aws_s3_bucket.logs.id") is None
    assert index.resolve("infra/storage", "count.index") is None
    logs = index.resolve("infra/storage/", "aws_s3_bucket.logs")
    assert logs is not None
    assert [b.address for b in index.referencing(logs)] == [
        "aws_s3_bucket_policy.logs",
        "aws_s3_bucket_versioning.logs",
        "data.aws_iam_policy_document.logs",
    ]
    assert [b.address for b in index.referencing(logs, type="data")] == ["data.aws_iam_policy_document.logs"]
    assert index.referencing(logs, type="aws_s3_bucket_policy", attribute="policy") == ()


def test_an_index_over_loaded_files_answers_the_same() -> None:
    files = [hcl(BUCKETS_TF, "infra/buckets.tf"), hcl(VERSIONING_TF, "infra/versioning.tf")]
    index = ModuleIndex.from_files(files)
    assert [(path, address) for path, _, address in buckets_without_versioning(index)] == [
        ("infra/buckets.tf", "aws_s3_bucket.assets")
    ]


def test_a_summary_rebuilds_the_same_blocks() -> None:
    model = hcl(MAIN_TF)
    data = json.loads(json.dumps(model.summary()))
    for block, summary in zip(model.blocks, data["blocks"]):
        rebuilt = block_from_summary(summary, model.path)
        assert [(b.address, b.span, b.header_span, b.path) for b in rebuilt.walk()] == [
            (b.address, b.span, b.header_span, b.path) for b in block.walk()
        ]
        assert [a for _, a in rebuilt.walk_attributes()] == [a for _, a in block.walk_attributes()]


def test_reference_targets() -> None:
    assert target_of("aws_s3_bucket.logs[0].arn") == "aws_s3_bucket.logs"
    assert target_of("data.aws_ami.ubuntu.id") == "data.aws_ami.ubuntu"
    assert target_of("module.vpc.private_subnets") == "module.vpc"
    assert target_of("var.region") == "var.region"
    assert target_of("each.value") is None and target_of("path.module") is None


class BucketWithoutVersioning(RepoRule):
    """Flags S3 buckets whose versioning is not enabled.

    ## What it does
    Finds `aws_s3_bucket` resources without versioning, inline or in a separate resource.

    ## Why is this bad?
    Objects overwritten or deleted by mistake cannot be recovered.

    ## Example
    ```hcl
    resource "aws_s3_bucket" "logs" {}
    ```

    ## Use instead
    ```hcl
    resource "aws_s3_bucket_versioning" "logs" {
      bucket = aws_s3_bucket.logs.id
      versioning_configuration { status = "Enabled" }
    }
    ```
    """

    id = "TFX001"
    name = "bucket-without-versioning"
    summary = "S3 bucket without versioning"
    checklist = ("backups",)
    severity = Severity.MEDIUM
    kinds = frozenset({FileKind.TERRAFORM})

    def collect(self, file, ctx):  # type: ignore[no-untyped-def]
        return file.summary()

    def check_repo(self, repository, ctx):  # type: ignore[no-untyped-def]
        for path, span, address in buckets_without_versioning(ModuleIndex(repository.facts)):
            ctx.report(path, span, f"{address} has no versioning")


def test_a_repository_rule_reports_in_the_right_file_through_the_engine(repo: Path) -> None:
    write_tree(repo, {"infra/buckets.tf": BUCKETS_TF, "infra/versioning.tf": VERSIONING_TF})
    result = prodready_lint.scan([repo], rules=[BucketWithoutVersioning], installed_rules=False, cache=False, jobs=1)
    assert result.errors == ()
    assert [(f.path, f.line, f.location.column, f.message) for f in result.findings] == [
        ("infra/buckets.tf", 5, 1, "aws_s3_bucket.assets has no versioning")
    ]


def test_parentheses_among_operands_may_span_lines() -> None:
    # cloudposse/terraform-aws-s3-bucket writes its count this way; `terraform fmt` accepts it
    text = (
        'resource "aws_s3_bucket_policy" "default" {\n'
        "  count = local.enabled && (\n"
        "    var.allow_ssl_requests_only ||\n"
        "    length(var.source_policy_documents) > 0\n"
        "  ) ? 1 : 0\n"
        "}\n"
    )
    block = load_terraform("main.tf", text).blocks[0]
    assert block.attributes["count"].value_span.end_line == 5
    with pytest.raises(LoadError):
        load_terraform("main.tf", "x = (a) +\n  1\n")
